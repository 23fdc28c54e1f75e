"""The pages under /examen/: the examensecretaris's decisions, a decision, the student's page, routes."""

from __future__ import annotations

import re

import pytest

from maatwerk.accounts.models import Role
from maatwerk.diploma import services
from maatwerk.diploma.models import DecisionStatus, ExamDecision, ModuleCredential
from tests import factories as f
from tests.diploma import builders as b

pytestmark = pytest.mark.django_db
YEAR = b.EXAM_YEAR


@pytest.fixture
def school():
    return b.exam_school("vmbo-huidig")


@pytest.fixture
def secretary(school):
    return f.member(Role.EXAM_SECRETARY, school=school)


def no_inline_code(html: str) -> None:
    """CSP: no style attributes and no inline scripts."""
    assert not re.search(r"<[^>]+\sstyle=", html)
    assert not re.search(r"<script(?![^>]*\ssrc=)[^>]*>", html)


def test_the_examensecretaris_runs_reviews_and_signs_off(client, login, school, secretary):
    passed = b.current_candidate(school)
    failed = b.current_candidate(school, changes={"ne": (3, 3)})
    login(client, secretary)
    page = client.get(f"/examen/?jaar={YEAR}")
    assert page.status_code == 200 and "Nog geen uitslagen" in page.content.decode()
    no_inline_code(page.content.decode())
    preview = client.post("/examen/berekenen/", {"school": school.brin, "school_year": YEAR, "dry_run": "on"})
    assert "Proefberekening" in preview.content.decode() and not ExamDecision.objects.exists()
    response = client.post("/examen/berekenen/", {"school": school.brin, "school_year": YEAR}, follow=True)
    html = response.content.decode()
    assert "2 kandidaten: 1 geslaagd, 1 afgewezen" in html
    assert "Je eindcijfer voor Nederlands" in html or "Nederlands" in html  # the reason, in plain Dutch
    decisions = {d.student_id: d for d in ExamDecision.objects.all()}
    response = client.post("/examen/vaststellen/", {"school": school.brin, "jaar": YEAR,
                                                     "besluit": [decisions[passed.pk].pk, decisions[failed.pk].pk]},
                           follow=True)
    assert "2 uitslagen vastgesteld" in response.content.decode()
    assert set(ExamDecision.objects.values_list("status", flat=True)) == {DecisionStatus.SIGNED_OFF}
    detail = client.get(f"/examen/besluit/{decisions[failed.pk].pk}/")
    text = detail.content.decode()
    assert "EXAM_NEDERLANDS_TOO_LOW" in text and "UB 3.35 lid 1 sub b" in text and "Uitslag corrigeren" in text
    no_inline_code(text)
    again = client.post(f"/examen/besluit/{decisions[failed.pk].pk}/vaststellen/", follow=True)
    assert "diploma_decision_signed_off" in again.content.decode()


def test_a_correction_through_the_page(client, login, school, secretary):
    student = b.current_candidate(school, changes={"en": (4, 4)})
    d = services.run_decisions(by=None, school=school, school_year=YEAR).lines[0].decision
    services.sign_off(by=secretary, decision=d)
    from maatwerk.assessment.models import SubjectGrade

    SubjectGrade.objects.filter(student=student, code="en").update(central_exam=7, school_exam=7)
    login(client, secretary)
    response = client.post(f"/examen/besluit/{d.pk}/corrigeren/", {"reason": "Klacht gegrond: Engels herzien"},
                           follow=True)
    new = ExamDecision.objects.current().get(student=student)
    assert new.pk != d.pk and new.correction_reason == "Klacht gegrond: Engels herzien"
    assert response.redirect_chain[-1][0] == f"/examen/besluit/{new.pk}/"
    assert "gecorrigeerd" in response.content.decode()


def test_who_sees_the_decisions(client, login, school, secretary):
    student = b.current_candidate(school)
    d = services.run_decisions(by=None, school=school, school_year=YEAR).lines[0].decision
    teacher = f.member(Role.TEACHER, school=school)
    login(client, teacher)
    assert client.get("/examen/").status_code == 403
    other = f.member(Role.EXAM_SECRETARY, school=f.SchoolFactory())
    login(client, other)
    assert client.get(f"/examen/besluit/{d.pk}/").status_code == 404
    assert client.post(f"/examen/besluit/{d.pk}/vaststellen/").status_code == 404
    student_user = f.member(Role.STUDENT, school=school, student=student)
    login(client, student_user)
    response = client.get("/examen/", follow=True)
    assert response.redirect_chain[-1][0] == f"/examen/leerling/{student.pk}/"
    assert client.get(f"/examen/besluit/{d.pk}/").status_code == 403
    client.logout()
    assert client.get("/examen/").status_code == 302  # to the login page


@pytest.mark.parametrize("n", [5, 50])
def test_the_decisions_page_has_flat_queries(client, login, school, secretary, n, django_assert_max_num_queries):
    for i in range(n):
        b.current_candidate(school, changes={"ne": (3, 3)} if i % 5 == 0 else None)
    services.run_decisions(by=None, school=school, school_year=YEAR)
    login(client, secretary)
    with django_assert_max_num_queries(16):
        response = client.get(f"/examen/?jaar={YEAR}")
    assert response.content.decode().count('name="besluit"') == n


def test_the_student_page_downloads_and_privacy(client, login):
    school = b.exam_school("spv-modulair")
    student = b.modular_candidate(school)
    classmate = b.modular_candidate(school)
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    services.run_decisions(by=None, school=school, school_year=YEAR)
    services.issue_credentials(by=secretary, school=school)
    mine = ModuleCredential.objects.filter(student=student).first()
    theirs = ModuleCredential.objects.filter(student=classmate).first()
    user = f.member(Role.STUDENT, school=school, student=student)
    login(client, user)
    page = client.get(f"/examen/leerling/{student.pk}/")
    html = page.content.decode()
    assert page.status_code == 200 and "Modulecertificaten" in html and str(mine.pk) in html
    no_inline_code(html)
    json_download = client.get(f"/examen/certificaten/{mine.pk}/download/json/")
    assert json_download.status_code == 200 and json_download.json()["id"] == f"urn:uuid:{mine.pk}"
    jwt = client.get(f"/examen/certificaten/{mine.pk}/download/jwt/")
    assert jwt.content.decode() == mine.jwt and jwt["Content-Type"] == "application/jwt"
    assert client.get(f"/examen/certificaten/{theirs.pk}/download/jwt/").status_code == 404
    assert client.get(f"/examen/leerling/{classmate.pk}/").status_code == 404
    parent = f.member(Role.PARENT, school=school, student=student)
    login(client, parent)
    assert client.get(f"/examen/certificaten/{mine.pk}/download/json/").status_code == 200
    teacher = f.member(Role.TEACHER, school=school)
    login(client, teacher)  # staff see the cijferlijst, not the student's credentials
    assert client.get(f"/examen/leerling/{student.pk}/").status_code == 200
    assert client.get(f"/examen/certificaten/{mine.pk}/download/json/").status_code == 403


def test_the_export_page(client, login, school, secretary):
    b.current_candidate(school)
    d = services.run_decisions(by=None, school=school, school_year=YEAR).lines[0].decision
    services.sign_off(by=secretary, decision=d)
    login(client, secretary)
    response = client.get(f"/examen/export.csv?school={school.brin}&jaar={YEAR}")
    assert response.status_code == 200 and response["Content-Type"].startswith("text/csv")
    assert response.content.decode("utf-8-sig").startswith("brin;vestiging;leerlingnummer")
    login(client, f.member(Role.TEACHER, school=school))
    assert client.get(f"/examen/export.csv?school={school.brin}&jaar={YEAR}").status_code == 403


def test_routes_and_progress_towards_the_startkwalificatie(client, login):
    school = b.exam_school("spv-modulair")
    college = f.PartnerFactory(school=school, kind="mbo_college", name="Mbo College Test")
    level2 = f.MboQualificationFactory(crebo="25960", name="Helpende Zorg en Welzijn", level=2)
    level1 = f.MboQualificationFactory(crebo="25252", name="Entree", level=1)
    student = b.modular_candidate(school, leerweg="KB")
    bb = f.StudentFactory(school=school, leerweg="BB")
    leader = f.member(Role.SCHOOL_LEADER, school=school)
    login(client, leader)
    page = client.get("/examen/routes/")
    assert page.status_code == 200 and "Nieuwe route" in page.content.decode()
    modules = [b.version(f"M-{i}").module for i in (1, 2, 3)] + [b.version("ZW-X").module]
    response = client.post("/examen/routes/", {"name": "Zorg doorlopend", "kind": "continuous",
                                               "mbo_college": college.pk, "qualification": level2.pk,
                                               "modules": [m.pk for m in modules]}, follow=True)
    assert "is aangemaakt" in response.content.decode()
    route = school.routes.get()
    with pytest.raises(services.DiplomaError) as exc:
        services.create_route(by=leader, school=school, mbo_college=college, qualification=level1,
                              kind="integrated", name="Entree")
    assert exc.value.code == "diploma_route_level"
    with pytest.raises(services.DiplomaError) as exc:
        services.set_route_students(by=leader, route=services.create_route(
            by=leader, school=school, mbo_college=college, qualification=level2, kind="integrated", name="BB"),
            students=[student])
    assert exc.value.code == "diploma_route_integrated_bb"
    services.set_route_students(by=leader, route=route, students=[student, bb])
    services.run_decisions(by=None, school=school, school_year=YEAR)
    login(client, f.member(Role.STUDENT, school=school, student=student))
    html = client.get(f"/examen/leerling/{student.pk}/").content.decode()
    assert "Modulen voor het mbo: 3 van 4 behaald" in html
    assert "dit is een startkwalificatie" in html
    assert "nog niet in het programma" in html  # ZW-X
    from maatwerk.diploma.selectors import routes_of

    progress = routes_of(student)[0]
    assert (progress.done, progress.total, progress.starting_qualification) == (3, 4, True)
    assert progress.steps[1][2].startswith("geslaagd")


def test_anyone_can_open_the_verification_page(client):
    page = client.get("/examen/verifieer/")
    assert page.status_code == 200 and "Certificaat controleren" in page.content.decode()
    no_inline_code(page.content.decode())
    empty = client.post("/examen/verifieer/", {"text": ""})
    assert "Plak een certificaat of kies een bestand" in empty.content.decode()
