"""`/api/v1/diploma/`: decisions (list, run, sign off, correct, history, export), transcripts, credentials,
verification and routes; scoped, with stable error codes."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maatwerk.accounts.models import Role
from maatwerk.diploma import services
from maatwerk.diploma.models import DecisionStatus, ExamDecision, ModuleCredential
from tests import factories as f
from tests.diploma import builders as b

pytestmark = pytest.mark.django_db
YEAR = b.EXAM_YEAR
API = "/api/v1/diploma"


@pytest.fixture
def school():
    return b.exam_school("vmbo-huidig")


@pytest.fixture
def secretary(school):
    return f.member(Role.EXAM_SECRETARY, school=school)


def test_run_list_sign_off_and_refuse_a_change(client, login, school, secretary):
    passed = b.current_candidate(school)
    b.current_candidate(school, changes={"en": (4, 4)})
    login(client, secretary)
    dry = client.post(f"{API}/decisions/run/", {"school": school.brin, "school_year": YEAR, "dry_run": True},
                      content_type="application/json")
    assert dry.status_code == 200 and dry.json()["created"] == 2 and not ExamDecision.objects.exists()
    response = client.post(f"{API}/decisions/run/", {"school": school.brin, "school_year": YEAR},
                           content_type="application/json")
    assert response.status_code == 201
    assert response.json()["outcomes"] == {"PASSED": 1, "FAILED": 1}
    listed = client.get(f"{API}/decisions/?school={school.brin}&school_year={YEAR}").json()
    assert listed["count"] == 2
    failed = next(d for d in listed["results"] if d["outcome"] == "FAILED")
    assert {x["code"] for x in failed["findings"]} >= {"EXAM_NO_COMPENSATING_7"}
    d = ExamDecision.objects.get(student=passed)
    detail = client.get(f"{API}/decisions/{d.pk}/").json()
    assert detail["inputs"]["regulation"] == "vmbo-huidig"
    signed = client.post(f"{API}/decisions/{d.pk}/sign-off/")
    assert signed.status_code == 200 and signed.json()["status"] == DecisionStatus.SIGNED_OFF
    again = client.post(f"{API}/decisions/{d.pk}/sign-off/")
    assert again.status_code == 409
    body = again.json()
    assert body["code"] == "diploma_decision_signed_off" and body["message"]["nl"] and body["message"]["en"]
    for method in ("put", "patch", "delete"):
        assert getattr(client, method)(f"{API}/decisions/{d.pk}/", {"outcome": "FAILED"},
                                       content_type="application/json").status_code == 405
    assert ExamDecision.objects.get(pk=d.pk).outcome == "PASSED"
    history = client.get(f"{API}/decisions/{d.pk}/history/").json()
    assert [h["id"] for h in history] == [d.pk]


def test_correct_through_the_api(client, login, school, secretary):
    student = b.current_candidate(school, changes={"en": (4, 4)})
    d = services.run_decisions(by=None, school=school, school_year=YEAR).lines[0].decision
    services.sign_off(by=secretary, decision=d)
    login(client, secretary)
    refused = client.post(f"{API}/decisions/{d.pk}/correct/", {"reason": "Geen wijziging"},
                          content_type="application/json")
    assert refused.status_code == 409 and refused.json()["code"] == "diploma_correction_no_change"
    from maatwerk.assessment.models import SubjectGrade

    SubjectGrade.objects.filter(student=student, code="en").update(central_exam=Decimal("8.0"))
    response = client.post(f"{API}/decisions/{d.pk}/correct/", {"reason": "Cijfer Engels gecorrigeerd"},
                           content_type="application/json")
    assert response.status_code == 201 and response.json()["supersedes"] == d.pk
    assert response.json()["correction_reason"] == "Cijfer Engels gecorrigeerd"


def test_decisions_are_scoped(client, login, school, secretary):
    student = b.current_candidate(school)
    other_school = b.exam_school()
    b.current_candidate(other_school)
    services.run_decisions(by=None, school=school, school_year=YEAR)
    services.run_decisions(by=None, school=other_school, school_year=YEAR)
    login(client, secretary)
    assert client.get(f"{API}/decisions/").json()["count"] == 1
    theirs = ExamDecision.objects.get(student__school=other_school)
    assert client.get(f"{API}/decisions/{theirs.pk}/").status_code == 404
    assert client.post(f"{API}/decisions/run/", {"school": other_school.brin, "school_year": YEAR},
                       content_type="application/json").status_code == 404
    teacher = f.member(Role.TEACHER, school=school)
    login(client, teacher)
    assert client.get(f"{API}/decisions/").json()["count"] == 0
    student_user = f.member(Role.STUDENT, school=school, student=student)
    login(client, student_user)
    assert client.get(f"{API}/decisions/").json()["count"] == 1
    mine = ExamDecision.objects.get(student=student)
    assert client.post(f"{API}/decisions/{mine.pk}/sign-off/").status_code == 403
    client.logout()
    assert client.get(f"{API}/decisions/").status_code in (401, 403)


def test_transcript_pdf_and_export(client, login, school, secretary):
    student = b.current_candidate(school)
    d = services.run_decisions(by=None, school=school, school_year=YEAR).lines[0].decision
    services.sign_off(by=secretary, decision=d)
    login(client, secretary)
    pdf = client.get(f"{API}/transcripts/{student.pk}/")
    assert pdf.status_code == 200 and pdf["Content-Type"] == "application/pdf" and pdf.content.startswith(b"%PDF")
    assert client.get(f"{API}/transcripts/{student.pk}/diploma/").content.startswith(b"%PDF")
    assert client.get(f"{API}/transcripts/{student.pk}/certificate/").content.startswith(b"%PDF")
    csv = client.get(f"{API}/decisions/export/?school={school.brin}&school_year={YEAR}")
    assert csv.status_code == 200 and csv.content.decode().startswith("brin;")
    outsider = f.member(Role.EXAM_SECRETARY, school=f.SchoolFactory())
    login(client, outsider)
    assert client.get(f"{API}/transcripts/{student.pk}/").status_code == 404


def test_credentials_issue_list_and_revoke(client, login):
    school = b.exam_school("spv-modulair")
    student = b.modular_candidate(school)
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    login(client, secretary)
    issued = client.post(f"{API}/credentials/issue/", {"school": school.brin}, content_type="application/json")
    assert issued.status_code == 201 and issued.json()["issued"] == 8
    listed = client.get(f"{API}/credentials/?student={student.pk}").json()
    assert listed["count"] == 8
    c = ModuleCredential.objects.filter(student=student).first()
    detail = client.get(f"{API}/credentials/{c.pk}/").json()
    assert detail["credential"]["id"] == f"urn:uuid:{c.pk}" and detail["jwt"] == c.jwt
    assert client.get(f"{API}/credentials/{c.pk}/jwt/").content.decode() == c.jwt
    revoked = client.post(f"{API}/credentials/{c.pk}/revoke/", {"reason": "Verkeerd cijfer"},
                          content_type="application/json")
    assert revoked.status_code == 200 and revoked.json()["revoked"] is True
    verify = client.post(f"{API}/verify/", {"credential": c.jwt}, content_type="application/json").json()
    assert verify["status"] == "revoked" and "Verkeerd cijfer" in verify["reason"]["nl"]
    user = f.member(Role.STUDENT, school=school, student=student)
    other = b.modular_candidate(school)
    services.issue_credentials(by=None, school=school, students=[other])
    login(client, user)
    assert client.get(f"{API}/credentials/").json()["count"] == 8  # only their own
    assert client.post(f"{API}/credentials/issue/", {"school": school.brin},
                       content_type="application/json").status_code == 404


def test_routes_api(client, login):
    school = b.exam_school("spv-modulair")
    college = f.PartnerFactory(school=school, kind="mbo_college")
    q = f.MboQualificationFactory(crebo="25960", level=2)
    counsellor = f.member(Role.COUNSELLOR, school=school)
    login(client, counsellor)
    v = b.version("M-1")
    response = client.post(f"{API}/routes/", {"school": school.brin, "name": "Zorg", "kind": "continuous",
                                              "mbo_college_id": college.pk, "crebo": q.crebo,
                                              "module_codes": [v.module.code]}, content_type="application/json")
    assert response.status_code == 201, response.json()
    assert response.json()["starting_qualification"] is True and response.json()["modules"] == ["M-1"]
    student = b.modular_candidate(school)
    route = school.routes.get()
    route.students.add(student)
    progress = client.get(f"{API}/routes/progress/?student={student.pk}").json()
    assert progress[0]["done"] == 1 and progress[0]["total"] == 1
    teacher = f.member(Role.TEACHER, school=school)
    login(client, teacher)
    assert client.post(f"{API}/routes/", {"school": school.brin, "name": "X", "kind": "continuous",
                                          "mbo_college_id": college.pk, "crebo": q.crebo},
                       content_type="application/json").status_code == 403
