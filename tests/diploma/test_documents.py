"""The cijferlijst, diploma and certificaat as PDFs (text extracted with pypdf) and the ROD export."""

from __future__ import annotations

import csv
import io
import re

import pytest
from pypdf import PdfReader

from maatwerk.accounts.models import Role
from maatwerk.diploma import pdf, selectors, services
from maatwerk.diploma.export import COLUMNS, write_rod_csv
from tests import factories as f
from tests.diploma import builders as b

pytestmark = pytest.mark.django_db
YEAR = b.EXAM_YEAR


def text_of(data: bytes) -> str:
    reader = PdfReader(io.BytesIO(data))
    return re.sub(r"\s+", " ", " ".join(page.extract_text() for page in reader.pages))


def run(school):
    return {line.student.pk: line.decision for line in
            services.run_decisions(by=None, school=school, school_year=YEAR).lines}


def test_the_transcript_lists_every_subject_and_module_with_its_level_spv():
    school = b.exam_school("spv-modulair")
    student = b.modular_candidate(school, levels={"en": "GL", "M-2": "GL", "M-5": "BB"})
    from maatwerk.kern.models import KernObjective

    objectives = list(KernObjective.objects.select_related("area").order_by("pk")[:3])
    for objective, level in zip(objectives, ["proficient", "proficient", "developing"], strict=True):
        f.KernObservationFactory(student=student, objective=objective, level=level)
    decision = run(school)[student.pk]
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    services.sign_off(by=secretary, decision=decision)
    transcript = selectors.transcript_for(student, YEAR)
    text = text_of(pdf.transcript_pdf(transcript))
    assert "CIJFERLIJST" in text and student.full_name in text and school.name in text
    assert "maatwerkdiploma" in text
    for module in transcript.modules:
        match = re.search(rf"{re.escape(module.code)} {re.escape(module.name)} \w+ (?P<level>[a-z]+)", text)
        assert match, (module.code, text)
        assert match.group("level") == {"M-2": "gemengd", "M-5": "basis"}.get(module.code, "kader"), module.code
    assert len(transcript.modules) == 8
    for name in ("Nederlandse taal", "Engelse taal", "Maatschappijleer", "Wiskunde", "Economie"):
        assert name in text
    assert re.search(r"Engelse taal gemengd", text)  # English at GL level for a KB student
    assert "Loopbaandossier (LOB) voldaan" in text
    assert "De kern" in text and "beheerst" in text  # the kern summary from the observations
    assert "UITSLAG GESLAAGD" in text.upper() and "Voorlopig" not in text
    assert "de secretaris van het eindexamen" in text


def test_the_transcript_under_vmbo_huidig_has_the_combinatiecijfer_and_keuzevakken():
    school = b.exam_school("vmbo-huidig")
    student = b.current_candidate(school, keuzevakken=["7.0", "6.5", "5.5", "6.0"], extra={"du": (3, 3)})
    no_lob = b.current_candidate(school, dossier=False)
    run(school)
    text = text_of(pdf.transcript_pdf(selectors.transcript_for(student, YEAR)))
    assert re.search(r"Combinatiecijfer KV-1, KV-2, KV-3, KV-4 7 zeven", text)
    for code, se, final in (("KV-1", "7,0", 7), ("KV-2", "6,5", 7), ("KV-3", "5,5", 6), ("KV-4", "6,0", 6)):
        assert re.search(rf"{code} Module {code} keuzevak verdiepend kader 1 {se} {final} behaald", text), code
    assert re.search(r"Duitse taal buiten beschouwing gelaten \(UB 3.33 lid 3\) kader 3,0 3,0 3 drie", text)
    assert "Voorlopig overzicht" in text  # not signed off
    other = text_of(pdf.transcript_pdf(selectors.transcript_for(no_lob, YEAR)))
    assert "Loopbaandossier (LOB) niet voldaan" in other
    assert "nog niet compleet" in other.lower()


def test_diploma_and_certificate():
    school = b.exam_school("vmbo-huidig")
    passed = b.current_candidate(school)
    failed = b.current_candidate(school, changes={"ne": (3, 3), "en": (7, 7)})
    decisions = run(school)
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    services.sign_off(by=secretary, decision=decisions[passed.pk])
    diploma = text_of(pdf.diploma_pdf(selectors.transcript_for(passed, YEAR)))
    assert "DIPLOMA" in diploma and passed.full_name in diploma and "kaderberoepsgerichte leerweg" in diploma
    assert "Voorbeeld" not in diploma
    certificate = text_of(pdf.certificate_pdf(selectors.transcript_for(failed, YEAR)))
    assert "CERTIFICAAT" in certificate and "UB 3.50" in certificate
    assert "Engelse taal" in certificate  # 7
    assert "Nederlandse taal" not in certificate  # 3: not on the certificate
    assert "KV-1" in certificate  # completed modules


def test_pdf_pages_need_the_right_user(client, login):
    school = b.exam_school("vmbo-huidig")
    student = b.current_candidate(school)
    run(school)
    other = f.StudentFactory(school=school)
    student_user = f.member(Role.STUDENT, school=school, student=student)
    login(client, student_user)
    response = client.get(f"/examen/leerling/{student.pk}/cijferlijst.pdf")
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    assert client.get(f"/examen/leerling/{other.pk}/cijferlijst.pdf").status_code == 404
    outsider = f.member(Role.EXAM_SECRETARY, school=f.SchoolFactory())
    login(client, outsider)
    assert client.get(f"/examen/leerling/{student.pk}/cijferlijst.pdf").status_code == 404


def test_the_rod_export_has_one_row_per_subject_and_escapes_formula_cells():
    school = b.exam_school("vmbo-huidig")
    student = b.current_candidate(school, student_number="=HYPERLINK(1)")
    b.grade(student, "@x", 7, 7, extra=True)
    from maatwerk.assessment.models import SubjectGrade

    SubjectGrade.objects.filter(student=student, code="ma").update(name="+Maatschappijleer -1")
    d = run(school)[student.pk]
    services.sign_off(by=f.member(Role.EXAM_SECRETARY, school=school), decision=d)
    out = io.StringIO()
    count = write_rod_csv(out, school=school, school_year=YEAR)
    rows = list(csv.reader(io.StringIO(out.getvalue()), delimiter=";"))
    assert count == len(rows) - 1
    assert rows[0] == COLUMNS
    body = rows[1:]
    assert len(body) == len(d.inputs["subjects"])
    row = dict(zip(COLUMNS, body[0], strict=True))
    assert row["leerlingnummer"] == "'=HYPERLINK(1)"
    assert row["uitslag"] == "G" and row["brin"] == school.brin and row["examenjaar"] == f"{YEAR}-{YEAR + 1}"
    by_code = {r[COLUMNS.index("vakcode")]: dict(zip(COLUMNS, r, strict=True)) for r in body}
    assert by_code["'@x"]["vakcode"] == "'@x"
    assert by_code["ma"]["vaknaam"] == "'+Maatschappijleer -1"
    assert by_code["ne"]["eindcijfer"] == "6" and by_code["ne"]["ce_cijfer"] == "6,0"
    for line in out.getvalue().splitlines()[1:]:
        for cell in line.split(";"):
            assert not cell.startswith(("=", "+", "-", "@")), cell


def test_the_rod_export_leaves_out_unsigned_results_unless_asked():
    school = b.exam_school("vmbo-huidig")
    b.current_candidate(school)
    run(school)
    out = io.StringIO()
    write_rod_csv(out, school=school, school_year=YEAR)
    assert len(out.getvalue().splitlines()) == 1
    out = io.StringIO()
    write_rod_csv(out, school=school, school_year=YEAR, include_drafts=True)
    assert len(out.getvalue().splitlines()) > 10
