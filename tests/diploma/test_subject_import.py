"""Vakcijfers from the leerlingadministratie (assessment/subject_imports.py, `maatwerk exam import-grades`):
all or nothing with a dry run, files as administrations and Excel write them, the history kept, and the
examendeel that decides cum laude in TL (UB 3.48 lid 1) end to end through the exam decision."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.core.management import CommandError, call_command

from maatwerk.accounts.models import Role
from maatwerk.assessment.models import SubjectGrade
from maatwerk.assessment.subject_imports import import_subject_grades
from maatwerk.diploma import services
from tests import factories as f
from tests.diploma import builders as b

pytestmark = pytest.mark.django_db
YEAR = b.EXAM_YEAR


@pytest.fixture
def school():
    return b.exam_school("vmbo-huidig")


def _decision(school, student):
    report = services.run_decisions(by=None, school=school, school_year=YEAR)
    return next(line.decision for line in report.lines if line.student.pk == student.pk)


def _codes(decision) -> set[str]:
    return {x["code"] for x in decision.findings}


def test_the_parts_from_the_administration_decide_cum_laude_in_tl(school):
    eights = {**dict.fromkeys(("ne", "en", "wi", "ec", "bi", "gs"), (8, 8)), "ma": (8, None)}
    student = b.current_candidate(school, leerweg="TL", changes=eights)
    before = _decision(school, student)
    assert "EXAM_CUM_LAUDE_UNDETERMINED" in _codes(before) and not before.cum_laude
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    rows = [("wi", "profieldeel"), ("ec", "Profieldeel"), ("bi", "vrij"), ("gs", "vrije deel")]
    upload = ("Stamnummer;Vakcode;Examendeel\r\n"
              + "".join(f"{student.student_number};{c};{p}\r\n" for c, p in rows)).encode("cp1252")

    report = import_subject_grades(by=secretary, school=school, school_year=YEAR, upload=upload, dry_run=True)
    assert report.ok and (report.updated, report.created) == (4, 0) and "Zou inlezen" in report.summary()
    assert not SubjectGrade.objects.filter(student=student).exclude(part="").exists()  # a dry run writes nothing

    report = import_subject_grades(by=secretary, school=school, school_year=YEAR, upload=upload, dry_run=False)
    assert report.written and report.updated == 4
    stored = {g.code: g for g in SubjectGrade.objects.filter(student=student)}
    assert {c: stored[c].part for c, _ in rows} == {"wi": "profieldeel", "ec": "profieldeel", "bi": "vrij",
                                                      "gs": "vrij"}
    assert stored["wi"].school_exam == Decimal("8") and stored["wi"].version == 2  # an empty cell keeps the grade
    last = stored["wi"].history.order_by("-history_id").first()
    assert (last.history_user, last.history_change_reason, last.part) == (
        secretary, "ingelezen uit de leerlingadministratie", "profieldeel")

    after = _decision(school, student)
    assert after.cum_laude and "EXAM_CUM_LAUDE" in _codes(after) and "EXAM_CUM_LAUDE_UNDETERMINED" not in _codes(after)
    again = import_subject_grades(by=secretary, school=school, school_year=YEAR, upload=upload, dry_run=False)
    assert (again.unchanged, again.updated) == (4, 0) and not again.written


def test_one_bad_row_and_nothing_is_stored_every_bad_row_named(school):
    student = b.current_candidate(school, leerweg="KB")
    other = f.StudentFactory()  # of another school
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    count = SubjectGrade.objects.count()
    n = student.student_number
    text = ("\ufeffleerlingnummer,vakcode,vak,se,ce,beoordeling,niveau,extra vak,deel\n"
            f'{n},du,Duits,"6,5","7,1",,KB,ja,vrij\n'
            f"{other.student_number},ne,,7,7,,,,\n"
            f'{n},en,,"10,1",,,,,\n'
            f'{n},wi,,"6,55",,,,,\n'
            f"{n},du,,6,,,,,\n"
            f"{n},ec,,,,,,,midden\n"
            f"{n},fa,Frans,,,,,,\n"
            f"{n},lo,,,,matig,,,\n")
    report = import_subject_grades(by=secretary, school=school, school_year=YEAR, upload=text.encode("utf-8"),
                                   dry_run=False)
    assert not report.ok and not report.written and "Niets ingelezen: 7 fouten" in report.summary()
    lines = {e.line: e.message for e in report.errors}
    assert sorted(lines) == [3, 4, 5, 6, 7, 8, 9]
    assert "geen leerling van" in lines[3] and lines[4].startswith("SE:") and lines[5].startswith("SE:")
    assert "staat al op regel 2" in lines[6] and "Deel 'midden'" in lines[7] and "is nieuw" in lines[8]
    assert lines[9].startswith("Beoordeling:")
    assert [(e.number, e.code) for e in report.errors[:2]] == [(other.student_number, "ne"), (n, "en")]
    assert SubjectGrade.objects.count() == count  # all or nothing

    good = text.splitlines()[:2]
    report = import_subject_grades(by=secretary, school=school, school_year=YEAR,
                                   upload="\n".join(good).encode("utf-8"), dry_run=False)
    assert report.written and report.created == 1
    du = SubjectGrade.objects.get(student=student, code="du")
    assert (du.name, du.school_exam, du.central_exam, du.level, du.extra, du.part) == (
        "Duits", Decimal("6.5"), Decimal("7.1"), "KB", True, "vrij")


@pytest.mark.parametrize("n", [2, 20])
def test_the_import_writes_in_bulk_the_same_number_of_queries_for_more_rows(school, n,
                                                                          django_assert_max_num_queries):
    """New and changed vakcijfers are written in bulk with their history rows: the same ceiling for 2 and for
    20 candidates (8 subjects each, some new, the others changed)."""
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    students = [b.current_candidate(school) for _ in range(n)]
    SubjectGrade.objects.filter(student__in=students, code__in=("ne", "wi")).delete()
    subjects = ("ne", "en", "wi", "ma", "ec", "bi", "gs", "ak")
    before = set(SubjectGrade.objects.filter(student__in=students, school_year=YEAR).values_list("student", "code"))
    new_keys = {(s.pk, c) for s in students for c in subjects} - before
    upload = ("leerlingnummer;vakcode;se\n" + "".join(f"{s.student_number};{c};7,{i}\n" for s in students
                                                       for i, c in enumerate(subjects))).encode()
    with django_assert_max_num_queries(16):
        report = import_subject_grades(by=secretary, school=school, school_year=YEAR, upload=upload, dry_run=False)
    assert report.written and report.created == len(new_keys) >= 2 * n
    assert report.updated == 8 * n - len(new_keys) > 0
    grades = {(g.student_id, g.code): g for g in SubjectGrade.objects.filter(student__in=students, school_year=YEAR)}
    assert {(c, grades[(students[-1].pk, c)].school_exam) for c in subjects} == {
        (c, Decimal(f"7.{i}")) for i, c in enumerate(subjects)}
    for key in new_keys:
        record = grades[key].history.order_by("-history_id").first()  # (SQLite may reuse a deleted row's id)
        assert grades[key].version == 1 and grades[key].name == key[1].upper()
        assert (record.history_type, record.history_user, record.history_change_reason) == (
            "+", secretary, "ingelezen uit de leerlingadministratie")
    for key in {(s.pk, c) for s in students for c in subjects} - new_keys:
        last = grades[key].history.order_by("-history_id").first()
        assert grades[key].version == 2 and last.history_type == "~" and last.version == 2
        assert (last.school_exam, last.history_user) == (grades[key].school_exam, secretary)


def test_a_grade_for_a_part_that_gets_a_qualification_is_refused(school):
    """LO, ckv and the profielwerkstuk get onvoldoende/voldoende/goed, not a grade (UB 3.13 lid 3, 3.14), and a
    graded subject no qualification: the rules engine would refuse the row at the exam decision, so the import
    refuses it first, with its line."""
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    student = b.current_candidate(school)
    upload = (f"leerlingnummer;vakcode;soort;se;beoordeling\n{student.student_number};lo;lo;7,0;\n"
              f"{student.student_number};ne;;;goed\n{student.student_number};ckv;kunstvak;;v\n").encode()
    report = import_subject_grades(by=secretary, school=school, school_year=YEAR, upload=upload, dry_run=False)
    assert not report.written and [(e.line, e.number) for e in report.errors] == [
        (2, student.student_number), (3, student.student_number)]
    assert "beoordeling" in report.errors[0].message and "cijfer" in report.errors[1].message
    assert SubjectGrade.objects.get(student=student, code="lo").school_exam is None


def test_only_the_exam_office_of_the_school_imports(school):
    student = b.current_candidate(school, leerweg="KB")
    upload = f"leerlingnummer;vakcode;se\n{student.student_number};ne;7\n".encode()
    for user in (f.member(Role.MENTOR, school=school), f.member(Role.TEACHER, school=school),
                 f.member(Role.EXAM_SECRETARY, school=f.SchoolFactory())):
        with pytest.raises(PermissionDenied):
            import_subject_grades(by=user, school=school, school_year=YEAR, upload=upload, dry_run=False)
    assert SubjectGrade.objects.get(student=student, code="ne").school_exam == Decimal("6")
    leader = f.member(Role.SCHOOL_LEADER, school=school)
    assert import_subject_grades(by=leader, school=school, school_year=YEAR, upload=upload, dry_run=False).written


def test_the_command_checks_first_and_refuses_a_bad_file(school, tmp_path, capsys):
    student = b.current_candidate(school, leerweg="KB")
    path = tmp_path / "vakcijfers.csv"
    path.write_bytes(f"Leerlingnummer;Vakcode;SE;CE\n{student.student_number};ne;7,4;6,8\n".encode("cp1252"))
    call_command("exam", "import-grades", "--school", school.brin, "--school-year", str(YEAR), str(path),
                 "--dry-run")
    assert "Zou inlezen: 0 nieuw, 1 gewijzigd" in capsys.readouterr().out
    assert SubjectGrade.objects.get(student=student, code="ne").school_exam == Decimal("6")
    call_command("exam", "import-grades", "--school", school.brin, "--school-year", str(YEAR), str(path))
    assert SubjectGrade.objects.get(student=student, code="ne").central_exam == Decimal("6.8")
    path.write_bytes(f"Leerlingnummer;Vakcode;SE\n{student.student_number};ne;elf\n".encode())
    with pytest.raises(CommandError, match="niets opgeslagen"):
        call_command("exam", "import-grades", "--school", school.brin, "--school-year", str(YEAR), str(path))
    assert "regel 2: SE:" in capsys.readouterr().out
    assert SubjectGrade.objects.get(student=student, code="ne").school_exam == Decimal("7.4")


# --- the page /examen/vakcijfers/ ------------------------------------------------------------------


def _upload(client, school, text: bytes, *, dry_run: bool, name: str = "vakcijfers.csv"):
    from django.core.files.uploadedfile import SimpleUploadedFile
    from django.urls import reverse

    data = {"school": school.brin, "jaar": YEAR, "file": SimpleUploadedFile(name, text, "text/csv")}
    if dry_run:
        data["dry_run"] = "on"
    return client.post(reverse("diploma:subject_grades"), data)


def test_the_page_checks_then_reads_in_and_refuses_a_bad_file_whole(client, login, school):
    from django.urls import reverse

    student = b.current_candidate(school, leerweg="KB")
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    login(client, secretary)
    html = client.get(reverse("diploma:subject_grades"), {"school": school.brin, "jaar": YEAR}).content.decode()
    assert "Vakcijfers inlezen" in html and "<strong>1</strong> van de 1 kandidaten" in html
    assert "Vakcijfers inlezen" in client.get(reverse("diploma:decisions"), {"jaar": YEAR}).content.decode()

    good = f"Leerlingnummer;Vakcode;SE;CE\n{student.student_number};ne;7,4;6,8\n".encode("cp1252")
    response = _upload(client, school, good, dry_run=True)
    html = response.content.decode()
    assert response.status_code == 200 and "Controle: alles is in orde" in html and "Wat er zou veranderen" in html
    assert "SE 6,0 · CE 6,0" in html and "SE 7,4 · CE 6,8" in html
    assert SubjectGrade.objects.get(student=student, code="ne").school_exam == Decimal("6")

    bad = good + f"{student.student_number};en;11;\n".encode()
    response = _upload(client, school, bad, dry_run=False)
    html = response.content.decode()
    assert response.status_code == 400 and "Niet ingelezen: 1 regel met een fout" in html and "Er is niets opgeslagen" in html
    assert SubjectGrade.objects.get(student=student, code="ne").school_exam == Decimal("6")
    response = _upload(client, school, b"\x00\x01", dry_run=False, name="cijfers.xls")
    assert response.status_code == 400 and "kan niet worden gelezen" in response.content.decode()

    response = _upload(client, school, good, dry_run=False)
    assert response.status_code == 200 and "Ingelezen: 0 nieuw, 1 gewijzigd" in response.content.decode()
    assert SubjectGrade.objects.get(student=student, code="ne").central_exam == Decimal("6.8")


def test_only_the_exam_office_reaches_the_page(client, login, school):
    from django.urls import reverse

    student = b.current_candidate(school, leerweg="KB")
    good = f"Leerlingnummer;Vakcode;SE\n{student.student_number};ne;9\n".encode()
    for user in (f.member(Role.MENTOR, school=school), f.member(Role.TEACHER, school=school)):
        login(client, user)
        assert client.get(reverse("diploma:subject_grades")).status_code == 403
        assert _upload(client, school, good, dry_run=False).status_code == 403
    login(client, f.member(Role.EXAM_SECRETARY, school=f.SchoolFactory()))  # asks for school A: gets their own
    _upload(client, school, good, dry_run=False)
    assert SubjectGrade.objects.get(student=student, code="ne").school_exam == Decimal("6")
