"""The demo step of the diploma app: decisions for the exam cohort, some signed off, credentials, a route;
idempotent, and honest when earlier steps left nothing."""

from __future__ import annotations

import pytest

from maatwerk.accounts.models import Role
from maatwerk.diploma import demo
from maatwerk.diploma.models import ContinuousRoute, DecisionStatus, ExamDecision, ModuleCredential
from maatwerk.web.demo import DemoContext
from tests import factories as f
from tests.diploma import builders as b

pytestmark = pytest.mark.django_db


def world(year):
    school = f.SchoolFactory(brin="21KR", name="Het Baken Scholengemeenschap")
    f.SchoolPolicyFactory(school=school, regulation_id="spv-modulair")
    f.member(Role.EXAM_SECRETARY, school=school)
    f.member(Role.SCHOOL_LEADER, school=school)
    f.PartnerFactory(school=school, name=demo.ROUTE_COLLEGE, kind="mbo_college")
    f.MboQualificationFactory(crebo=demo.ROUTE_CREBO, name="Helpende Zorg en Welzijn", level=2)
    students = [f.StudentFactory(school=school, leerweg=lw, cohort=year - 1, year_level=4) for lw in ("KB", "GL", "BB")]
    zw = b.version("ZW-K-01", module_type="INTRODUCTORY")
    for i, student in enumerate(students):
        b.complete_dossier(student)
        for n in range(8 if student.leerweg != "GL" else 6):
            v = zw if n == 0 else b.version(f"M-{n}")
            b.module_result(student, v, 7 if i != 2 else 5, regulation_id="spv-modulair")
        programme = f.ProgrammeFactory(student=student)
        f.ProgrammeItemFactory(programme=programme, module_version=zw, school_year=year - 1, status="completed")
    vakschool = f.SchoolFactory(brin="30PF")
    f.member(Role.EXAM_SECRETARY, school=vakschool)
    return school, students


def test_the_demo_step_is_complete_and_idempotent():
    ctx = DemoContext(school_year=b.EXAM_YEAR)
    school, students = world(ctx.school_year)
    demo.load(ctx)
    log = "\n".join(ctx.log)
    assert "aangeleverd als uit de leerlingadministratie" in log
    current = ExamDecision.objects.current().filter(student__school=school)
    assert current.count() == 3
    assert {d.regulation_id for d in current} == {"spv-modulair"}
    assert current.filter(status=DecisionStatus.SIGNED_OFF).exists()
    assert ModuleCredential.objects.filter(student__in=students).count() > 0
    route = ContinuousRoute.objects.get(school=school)
    assert route.qualification.crebo == demo.ROUTE_CREBO and route.students.count() == 3
    assert "geen kandidaten" in log  # the vakschool has none: said, not hidden
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

