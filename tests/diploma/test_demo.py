"""The demo step of the diploma app: last year's exam cohort decided and signed off in July, this year's a
tussenstand in November, credentials, a route; idempotent, and honest when earlier steps left nothing."""

from __future__ import annotations

import datetime as dt

import pytest

from maatwerk.accounts.models import Role
from maatwerk.diploma import demo
from maatwerk.diploma.models import ContinuousRoute, DecisionStatus, ExamDecision, ModuleCredential
from maatwerk.web.demo import DemoContext
from tests import factories as f
from tests.diploma import builders as b

pytestmark = pytest.mark.django_db


def world(year):
    """Het Baken with last year's exam cohort (left in July) and this year's (leerjaar 4)."""
    school = f.SchoolFactory(brin="21KR", name="Het Baken Scholengemeenschap")
    f.SchoolPolicyFactory(school=school, regulation_id="spv-modulair")
    f.member(Role.EXAM_SECRETARY, school=school)
    f.member(Role.SCHOOL_LEADER, school=school)
    f.PartnerFactory(school=school, name=demo.ROUTE_COLLEGE, kind="mbo_college")
    f.MboQualificationFactory(crebo=demo.ROUTE_CREBO, name="Helpende Zorg en Welzijn", level=2)
    alumni = [f.StudentFactory(school=school, leerweg=lw, cohort=year - 2, year_level=4, left_on=dt.date(year, 7, 10))
              for lw in ("KB", "GL", "BB")]
    current = [f.StudentFactory(school=school, leerweg="KB", cohort=year - 1, year_level=4)]
    zw = b.version("ZW-K-01", module_type="INTRODUCTORY")
    for i, student in enumerate(alumni + current):
        b.complete_dossier(student)
        for n in range(8 if student.leerweg != "GL" else 6):
            v = zw if n == 0 else b.version(f"M-{n}")
            b.module_result(student, v, 7 if i != 2 else 5, regulation_id="spv-modulair")
        programme = f.ProgrammeFactory(student=student)
        f.ProgrammeItemFactory(programme=programme, module_version=zw, school_year=year - 2, status="completed")
    vakschool = f.SchoolFactory(brin="30PF")
    f.member(Role.EXAM_SECRETARY, school=vakschool)
    return school, alumni, current


def test_the_demo_step_is_complete_and_idempotent():
    ctx = DemoContext(school_year=b.EXAM_YEAR + 1)
    school, alumni, current = world(ctx.school_year)
    demo.load(ctx)
    log = "\n".join(ctx.log)
    assert "aangeleverd als uit de leerlingadministratie" in log
    last = ExamDecision.objects.current().filter(student__in=alumni, school_year=b.EXAM_YEAR)
    assert last.count() == 3 and {d.regulation_id for d in last} == {"spv-modulair"}
    # decided and signed off in July, as the exam office does
    assert all(d.status == DecisionStatus.SIGNED_OFF and d.signed_off_at.date() == dt.date(b.EXAM_YEAR + 1, 7, 2)
               for d in last if d.outcome != "INCOMPLETE")
    now = ExamDecision.objects.current().get(student=current[0], school_year=ctx.school_year)
    assert now.outcome == "INCOMPLETE" and now.status == DecisionStatus.DRAFT  # November: no CE yet
    assert "EXAM_GRADE_MISSING" in {f["code"] for f in now.findings}
    assert ModuleCredential.objects.filter(student__in=alumni).count() > 0
    route = ContinuousRoute.objects.get(school=school)
    assert route.qualification.crebo == demo.ROUTE_CREBO
    assert "geen examenkandidaten" in log  # the vakschool has none: said, not hidden
    counts = (ExamDecision.objects.count(), ModuleCredential.objects.count(), ContinuousRoute.objects.count(),
              ExamDecision.objects.filter(status=DecisionStatus.SIGNED_OFF).count())
    demo.load(DemoContext(school_year=ctx.school_year))
    assert (ExamDecision.objects.count(), ModuleCredential.objects.count(), ContinuousRoute.objects.count(),
            ExamDecision.objects.filter(status=DecisionStatus.SIGNED_OFF).count()) == counts


def test_the_demo_step_says_so_when_there_is_nothing():
    ctx = DemoContext(school_year=b.EXAM_YEAR)
    demo.load(ctx)
    assert "geen demoscholen" in "\n".join(ctx.log)
    assert not ExamDecision.objects.exists()


# --- in the whole demo ------------------------------------------------------------------------------


def test_last_years_exam_cohort_is_decided_signed_off_and_certified(demo):
    from django.urls import reverse

    from maatwerk.assessment.models import ModuleResult
    from maatwerk.diploma.credentials import verify_text
    from maatwerk.students.models import Student

    year = demo.school_year - 1
    decisions = ExamDecision.objects.current().filter(school_year=year)
    outcomes = [d.outcome for d in decisions]
    assert outcomes.count("PASSED") >= 0.8 * len(outcomes)
    assert outcomes.count("FAILED") >= 2 and outcomes.count("INCOMPLETE") == 1
    assert set(decisions.values_list("student_id", flat=True)) == set(
        Student.objects.filter(left_on__isnull=False).values_list("pk", flat=True))
    for decision in decisions:
        if decision.outcome == "INCOMPLETE":
            assert decision.status == DecisionStatus.DRAFT
            assert {f["code"] for f in decision.findings} & {"EXAM_GRADE_MISSING", "EXAM_SUBJECT_MISSING"}
        else:  # signed off by the examensecretaris in July
            assert decision.status == DecisionStatus.SIGNED_OFF and decision.signed_off_at.month == 7
            assert decision.signed_off_by.email.startswith("examensecretaris@")
    failed = {f["code"] for d in decisions if d.outcome == "FAILED" for f in d.findings if f["severity"] == "error"}
    assert {"EXAM_NEDERLANDS_TOO_LOW", "DIPLOMA_TOO_MANY_INSUFFICIENT"} <= failed
    # one was corrected after the sign-off: the corrected decision stays, with the reason on the new one
    corrected = ExamDecision.objects.filter(school_year=year, status=DecisionStatus.CORRECTED)
    assert corrected.count() == 1
    successor = ExamDecision.objects.get(supersedes=corrected.get())
    assert successor.correction_reason and successor.status == DecisionStatus.SIGNED_OFF
    # every completed module of theirs has a credential that verifies
    passed = ModuleResult.objects.filter(student__left_on__isnull=False, outcome="PASSED")
    credentials = ModuleCredential.objects.filter(student__left_on__isnull=False, revoked_at__isnull=True)
    assert credentials.count() == passed.count() > 0
    for credential in credentials.select_related("student")[:5]:
        assert verify_text(credential.jwt, holder_name=credential.student.full_name).valid
    # the exam office sees them on its page, next to this year's candidates
    from django.test import Client

    from tests.conftest import _login

    client = _login(Client(), ExamDecision.objects.filter(status=DecisionStatus.SIGNED_OFF).first().signed_off_by)
    html = client.get(reverse("diploma:decisions"), {"jaar": year}).content.decode()
    assert "Geslaagd" in html or "geslaagd" in html
    assert decisions.filter(outcome="PASSED").first().student.last_name in html or "pagina" in html


def test_this_years_exam_cohort_is_a_tussenstand(demo):
    decisions = ExamDecision.objects.current().filter(school_year=demo.school_year)
    assert decisions.count() > 30
    assert set(decisions.values_list("outcome", "status")) == {("INCOMPLETE", DecisionStatus.DRAFT)}
    for decision in decisions:
        assert all(s.get("central_exam") is None for s in decision.inputs["subjects"] if s["source"] == "vakcijfer")
