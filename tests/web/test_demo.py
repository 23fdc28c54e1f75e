"""`maatwerk loaddemo` loads a coherent demo, idempotently: the accounts, the schools' packages (completable where they say so), the offering and the teaching groups formed from the
programmes, every teacher's gradebook, and staff lists without the students who left."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from maatwerk.accounts.models import Membership, Role, User
from maatwerk.assessment import selectors as assessment_selectors
from maatwerk.catalog.models import Module, ModuleUsageReport, ModuleVersion
from maatwerk.domain import Leerweg, school_year_of
from maatwerk.schools import demo as schools_demo
from maatwerk.schools import selectors as schools_selectors
from maatwerk.schools import services as schools_services
from maatwerk.schools.models import Offering, Package, School, TeachingGroup
from maatwerk.students import selectors as students_selectors
from maatwerk.students.models import ProgrammeItem, Student

pytestmark = pytest.mark.django_db


def _snapshot():
    from maatwerk.assessment.models import KernObservation, ModuleResult, Pta, PtaItem, Result, SubjectGrade
    from maatwerk.catalog.models import ModuleProposal
    from maatwerk.diploma.models import ExamDecision, ModuleCredential
    from maatwerk.students.models import CareerActivity, CareerConversation, Programme, ProgrammeRevision

    models = [User, Membership, Student, School, Module, ModuleVersion, ModuleProposal, ModuleUsageReport, Offering,
              Package, TeachingGroup, Programme, ProgrammeItem, ProgrammeRevision, CareerActivity, CareerConversation,
              Pta, PtaItem, Result, ModuleResult, KernObservation, SubjectGrade, ExamDecision, ModuleCredential]
    counts = {m.__name__: m.objects.count() for m in models}
    states = (sorted(Programme.objects.values_list("pk", "status", "revision")),
              sorted(ProgrammeItem.objects.values_list("pk", "status")),
              sorted(ModuleResult.objects.values_list("pk", "outcome", "grade")),
              sorted(ExamDecision.objects.values_list("pk", "status", "outcome")),
              sorted(ModuleUsageReport.objects.values_list("pk", "exams_taken")))
    return counts, states


def test_a_second_loaddemo_changes_nothing(demo):
    before = _snapshot()
    call_command("loaddemo", stdout=io.StringIO())
    assert _snapshot() == before


def test_the_accounts(demo):
    assert Student.objects.filter(left_on__isnull=True).count() == 200
    assert {s.is_vakschool for s in School.objects.all()} == {True, False}
    current = Student.objects.filter(left_on__isnull=True)
    assert set(current.values_list("leerweg", flat=True)) == set(Leerweg.values)
    assert set(current.values_list("year_level", flat=True)) == {1, 2, 3, 4}
    # last year's exam cohort: 20-30 alumni per school, who left in July
    sy = demo.school_year
    for brin in ("21KR", "30PF"):
        alumni = Student.objects.filter(school__brin=brin, left_on__isnull=False)
        assert 20 <= alumni.count() <= 30
        assert set(alumni.values_list("cohort", "year_level")) == {(sy - 2, 4)}
        assert {d.month for d in alumni.values_list("left_on", flat=True)} == {7}
    assert set(Membership.objects.values_list("role", flat=True)) == set(Role.values)
    for email in ["beheerder@maatwerk.demo", "mentor@hetbaken.demo", "leerling@hetbaken.demo", "ouder@hetbaken.demo",
                  "leerling@vakschoolmaasstad.demo", "docent3@vakschoolmaasstad.demo"]:
        assert User.objects.get(email=email).check_password("maatwerk-demo")


def test_every_package_is_completable_for_the_leerwegen_it_is_for(demo):
    sy = demo.school_year
    for school in School.objects.all():
        specs = {spec.name: spec for spec in schools_demo.PACKAGES[school.brin]}
        packages = Package.objects.filter(school=school).prefetch_related("package_modules")
        assert set(packages.values_list("school_year", flat=True)) == set(range(sy - 2, sy + 2))
        for package in packages:
            spec = specs[package.name]
            assert schools_demo.claim_text(spec.claims) in package.description
            modules = schools_selectors.modules_for_engine().filter(
                pk__in=[pm.module_id for pm in package.package_modules.all()])
            check = schools_services.check_package(school=school, modules=modules, school_year=package.school_year)
            for leerweg in spec.claims:
                assert check.verdicts[leerweg].ok, (package.name, package.school_year, leerweg,
                                                    check.verdicts[leerweg].codes)
        # TL has pilot packages at Het Baken; the vakschool has no TL
        claimed = {lw for spec in specs.values() for lw in spec.claims}
        assert ("TL" in claimed) == (school.brin == "21KR")


def test_the_offering_spans_the_pilot_years_with_the_version_in_force(demo):
    sy = demo.school_year
    for school in School.objects.all():
        years = set(Offering.objects.filter(school=school).values_list("school_year", flat=True))
        assert years == set(range(sy - 2, sy + 3))
    for offering in Offering.objects.select_related("module_version"):
        version = offering.module_version
        assert version.valid_from <= offering.school_year
        assert version.valid_until is None or offering.school_year <= version.valid_until


def test_teaching_groups_follow_the_programmes_and_mix_leerwegen(demo):
    sy = demo.school_year
    groups = TeachingGroup.objects.select_related("offering__module_version").prefetch_related("students")
    assert groups.filter(offering__school_year=sy).exists() and groups.filter(offering__school_year=sy - 1).exists()
    in_programme = set(ProgrammeItem.objects.exclude(status="planned").values_list(
        "programme__student_id", "module_version_id", "school_year"))
    mixed = 0
    for group in groups:
        students = list(group.students.all())
        assert students, group
        for student in students:
            assert (student.pk, group.offering.module_version_id, group.offering.school_year) in in_programme, \
                (group.name, student)
        mixed += len({s.leerweg for s in students} & {"BB", "KB", "GL"}) >= 2
    assert mixed >= 10
    # and every student following a module this year is in a group for it
    grouped = {(s.pk, g.offering.module_version_id) for g in groups if g.offering.school_year == sy
               for s in g.students.all()}
    following = set(ProgrammeItem.objects.filter(school_year=sy).exclude(status="planned")
                    .values_list("programme__student_id", "module_version_id"))
    assert following <= grouped


def test_every_demo_teacher_has_a_filled_gradebook(demo):
    for domain in ("hetbaken.demo", "vakschoolmaasstad.demo"):
        for local in ("docent", "docent2", "docent3"):
            teacher = User.objects.get(email=f"{local}@{domain}")
            filled = 0
            for group in TeachingGroup.objects.filter(teacher=teacher).select_related("offering__module_version"):
                book = assessment_selectors.gradebook(teacher, group)
                filled += any(cell.result is not None for _, cells in book.rows() for cell in cells)
            assert filled, teacher.email
            # this school year too (period 1 is over in November)
            assert TeachingGroup.objects.filter(teacher=teacher, offering__school_year=demo.school_year).exists()


def test_staff_lists_leave_out_the_students_who_left(demo):
    mentor = User.objects.get(email="mentor@hetbaken.demo")
    listed = students_selectors.student_list(mentor, students_selectors.StudentFilters())
    assert listed.count() == Student.objects.filter(school__brin="21KR", left_on__isnull=True).count()
    left = students_selectors.student_list(mentor, students_selectors.StudentFilters(left=True))
    assert left.count() == Student.objects.filter(school__brin="21KR", left_on__isnull=False).count() > 0
    leader = User.objects.get(email="schoolleider@hetbaken.demo")
    assert not schools_selectors.students(leader, School.objects.get(brin="21KR")).filter(left_on__isnull=False)


def test_the_demo_is_relative_to_today(demo):
    assert demo.school_year == school_year_of()
    assert not Offering.objects.filter(school_year__gt=demo.school_year + 2).exists()
