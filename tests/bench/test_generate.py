"""The national-scale generator at a tiny scale (issue 10): counts, determinism, the command, and that the
engine's bulk bridge gives the same inputs as the one-by-one path on generated data. Runs on whichever
database the suite runs on (SQLite and PostgreSQL in CI)."""

from __future__ import annotations

import hashlib
from dataclasses import replace
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.db import connection, transaction
from django.db.models import Count
from django.test.utils import CaptureQueriesContext

from maatwerk.bench.generate import COHORTS, CURRENT_YEAR, EXAM_COHORT, USAGE_YEARS, Plan, generate

SCALE = 0.001  # 2 schools, 100 students per cohort

pytestmark = pytest.mark.django_db


def fingerprint() -> str:
    """A hash of the generated rows by their natural keys (primary keys may differ between runs)."""
    from maatwerk.assessment.models import ModuleResult, Result, SubjectGrade
    from maatwerk.catalog.models import ModuleUsageReport
    from maatwerk.schools.models import Offering, School, TeachingGroup
    from maatwerk.students.models import ProgrammeItem, Student

    h = hashlib.sha256()
    queries = [
        School.objects.values_list("brin", "name", "city"),
        Student.objects.values_list("school__brin", "student_number", "leerweg", "cohort", "profiel__code",
                                    "class_name", "last_name"),
        Offering.objects.values_list("school__brin", "module_version__module__code", "school_year", "for_tl"),
        ProgrammeItem.objects.values_list("programme__student__school__brin", "programme__student__student_number",
                                          "module_version__module__code", "school_year", "status"),
        Result.objects.values_list("student__school__brin", "student__student_number", "item__code",
                                   "item__pta__cohort", "attempt", "grade"),
        ModuleResult.objects.values_list("student__school__brin", "student__student_number",
                                         "module_version__module__code", "outcome", "grade"),
        SubjectGrade.objects.values_list("student__school__brin", "student__student_number", "code", "school_exam",
                                         "central_exam", "qualification"),
        TeachingGroup.objects.values_list("school__brin", "name").annotate(n=Count("students")),
        ModuleUsageReport.objects.values_list("module__code", "school_year", "brin", "exams_taken"),
    ]
    for qs in queries:
        for row in sorted(qs.order_by(), key=repr):
            h.update(repr(row).encode())
    return h.hexdigest()


def test_plan_scales_linearly_with_a_floor():
    assert (Plan.at(1).schools, Plan.at(1).locations, Plan.at(1).students_per_cohort) == (650, 1000, 100_000)
    assert (Plan.at(0.1).schools, Plan.at(0.1).students_per_cohort) == (65, 10_000)
    assert Plan.at(SCALE).schools == 2


def test_counts_and_shape():
    from maatwerk.assessment.models import ModuleResult, PtaItem, Result, SubjectGrade
    from maatwerk.catalog.models import Module, ModuleUsageReport
    from maatwerk.schools.models import School, SchoolLocation, TeachingGroup
    from maatwerk.students.models import Programme, ProgrammeItem, Student

    report = generate(SCALE, seed=1, out=lambda line: None)
    plan = report.plan
    assert School.objects.count() == plan.schools
    assert SchoolLocation.objects.count() == plan.locations
    assert Student.objects.count() == plan.students_per_cohort * len(COHORTS)
    assert set(Student.objects.values_list("cohort", flat=True)) == set(COHORTS)
    assert Programme.objects.count() == Student.objects.count()
    assert report.counts["students.Student"] == Student.objects.count()
    assert report.database_bytes > 0 and report.seconds > 0
    # the real menukaart plus the pilot modules
    assert Module.objects.filter(versions__legacy_kind="keuzevak").exists()
    assert Module.objects.filter(code__startswith="PILOT-").count() == 80
    # about 40 results per examination-year student, module results and subject grades for each of them
    exam = Student.objects.filter(cohort=EXAM_COHORT)
    per_student = Result.objects.filter(student__in=exam).count() / exam.count()
    assert 25 <= per_student <= 50
    assert not exam.annotate(n=Count("subject_grades")).filter(n__lt=7).exists()
    assert not exam.annotate(n=Count("module_results")).filter(n=0, leerweg__in=["BB", "KB"]).exists()
    assert ModuleResult.objects.filter(outcome="PASSED").count() > ModuleResult.objects.filter(outcome="FAILED").count()
    assert SubjectGrade.objects.filter(school_year=CURRENT_YEAR, code="ne", central_exam__isnull=False).count() == \
        exam.count()
    # leerjaar 1 and 2 only planned, the exam year completed or not completed
    assert set(ProgrammeItem.objects.filter(programme__student__cohort__gt=CURRENT_YEAR)
               .values_list("status", flat=True)) == {"planned"}
    assert set(ProgrammeItem.objects.filter(programme__student__cohort=EXAM_COHORT)
               .values_list("status", flat=True)) <= {"completed", "not_completed"}
    # the heavy gradebook: a group of 30 for a module closed by 25 items in the exam cohort's PTA
    heavy = (PtaItem.objects.filter(pta__cohort=EXAM_COHORT).values("module_versions").annotate(n=Count("pk"))
             .filter(n=25))
    assert heavy.exists()
    assert TeachingGroup.objects.filter(offering__module_version__in=[h["module_versions"] for h in heavy]) \
        .annotate(n=Count("students")).filter(n=30).exists()
    assert set(ModuleUsageReport.objects.values_list("school_year", flat=True)) == set(USAGE_YEARS)


def test_same_seed_same_data_other_seed_other_data():
    prints = []
    for seed in (7, 7, 8):
        with transaction.atomic():
            generate(SCALE, seed=seed, out=lambda line: None)
            prints.append(fingerprint())
            transaction.set_rollback(True)
    assert prints[0] == prints[1]
    assert prints[0] != prints[2]


def test_command_generates_prints_and_refuses_a_database_with_schools():
    out = StringIO()
    call_command("bench", "generate", "--scale", str(SCALE), "--seed", "3", stdout=out)
    text = out.getvalue()
    assert "Gegenereerd op schaal 0.001" in text and "database nu" in text and "students.Student" in text
    info = StringIO()
    call_command("bench", "info", stdout=info)
    assert "students.Student" in info.getvalue() and "database:" in info.getvalue()
    with pytest.raises(CommandError, match="bevat al scholen"):
        call_command("bench", "generate", "--scale", str(SCALE), stdout=StringIO())


def test_generated_data_feeds_the_engine_and_the_bulk_bridge_matches_the_single_one():
    from maatwerk import engine
    from maatwerk.diploma.services import run_decisions
    from maatwerk.rules import validate_programme
    from maatwerk.schools.models import School
    from maatwerk.students.models import Programme

    generate(SCALE, seed=2, out=lambda line: None)
    school = School.objects.order_by("pk").first()
    programmes = Programme.objects.filter(student__school=school)
    with CaptureQueriesContext(connection) as queries:
        bulk = engine.programme_inputs(programmes)
    assert len(queries) == 4  # whatever the number of programmes
    single = {p.pk: engine.programme_input(p) for p in programmes.select_related("student__profiel")}

    def same_order(inputs):  # the single path follows the model's ordering, the bulk one (year, period, pk)
        return {k: replace(v, items=tuple(sorted(v.items, key=lambda i: (i.school_year, i.module.code))))
                for k, v in inputs.items()}

    assert same_order(bulk) == same_order(single)
    policy, offering = engine.policy_input(school), engine.offering_input(school)
    verdicts = [validate_programme(bulk[p.pk], engine.regulation_of(p.regulation_id, p.student.cohort), policy,
                                   offering) for p in programmes.select_related("student")]
    assert sum(v.ok for v in verdicts) > 0.8 * len(verdicts)
    report = run_decisions(by=None, school=school, school_year=CURRENT_YEAR)
    assert report.lines and not report.errors
    assert report.outcomes["PASSED"] > len(report.lines) / 2
