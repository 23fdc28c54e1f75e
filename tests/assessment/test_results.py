"""save_result: the one write path for a grade. Validation, optimistic locking, resits, history, and
what follows a save: the module outcome (through the engine), the programme item and the usage report."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied

from maatwerk import engine
from maatwerk.accounts.models import Role
from maatwerk.assessment import services
from maatwerk.assessment.grades import GradeError
from maatwerk.assessment.models import ModuleResult, Result
from maatwerk.catalog.models import ModuleUsageReport
from maatwerk.rules import load_regulation, module_outcome
from maatwerk.rules.outcome import ItemResultInput, PtaItemInput
from maatwerk.students.models import ProgrammeItem
from tests import factories as f


def save(exam, value, *, student=None, item=None, version=0, by=None, attempt=1, **kw):
    return services.save_result(by=by or exam.teacher, student=student or exam.students[0],
                                item=item or exam.items[1], value=value, version=version, attempt=attempt, **kw)


@pytest.mark.parametrize("typed", ["0.9", "10.1", "6.55", "6,55", "", "abc"])
def test_a_refused_grade_changes_nothing(exam, typed):
    first = save(exam, "6,5")
    with pytest.raises(GradeError):
        save(exam, typed, version=first.version)
    stored = Result.objects.get(pk=first.pk)
    assert (stored.grade, stored.version) == (Decimal("6.5"), 1)
    assert stored.history.count() == 1


@pytest.mark.parametrize("typed,expected", [("1.0", "1.0"), ("10.0", "10.0"), ("6,5", "6.5"), ("6.5", "6.5")])
def test_boundary_grades_are_stored(exam, typed, expected):
    assert save(exam, typed).grade == Decimal(expected)


def test_stale_version_never_overwrites_and_names_who_changed_it(exam):
    seen = save(exam, "6,0")  # both teachers saw version 1 with 6,0
    other = f.member(Role.TEACHER, school=exam.school, user=f.UserFactory(first_name="Joost", last_name="Oorschot"))
    save(exam, "7,0", version=seen.version, by=other)
    with pytest.raises(services.ResultConflict) as info:
        save(exam, "5,0", version=seen.version)
    conflict = info.value
    assert conflict.status == 409 and conflict.code == "result_conflict"
    assert "7,0" in conflict.nl and "Joost Oorschot" in conflict.nl and "5,0" in conflict.nl
    assert conflict.details["current"]["grade"] == "7,0"
    stored = Result.objects.get(pk=seen.pk)
    assert (stored.grade, stored.version) == (Decimal("7.0"), 2)


def test_a_first_save_over_someone_elses_first_save_is_a_conflict(exam):
    save(exam, "6,0", version=0)
    with pytest.raises(services.ResultConflict):
        save(exam, "8,0", version=0)
    assert Result.objects.get().grade == Decimal("6.0")


def test_every_change_is_in_the_history_with_who_old_and_new(exam):
    result = save(exam, "5,4")
    other = f.member(Role.EXAM_SECRETARY, school=exam.school)
    save(exam, "5,6", version=result.version, by=other, reason="rekenfout hersteld")
    records = list(Result.objects.get(pk=result.pk).history.order_by("history_date", "history_id"))
    assert [(r.grade, r.history_user, r.history_type) for r in records] == [
        (Decimal("5.4"), exam.teacher, "+"), (Decimal("5.6"), other, "~")]
    assert records[1].history_change_reason == "rekenfout hersteld"
    delta = records[1].diff_against(records[0])
    assert [(c.field, c.old, c.new) for c in delta.changes if c.field == "grade"] == [
        ("grade", Decimal("5.4"), Decimal("5.6"))]


def test_saving_the_same_value_again_writes_nothing(exam):
    save(exam, "6,5")
    again = save(exam, "6.5", version=1)
    assert again.version == 1 and again.history.count() == 1


def test_resits_follow_the_pta(exam):
    item = exam.items[1]  # resit allowed, max 2 attempts
    with pytest.raises(services.AssessmentError) as info:
        save(exam, "6,0", attempt=2)
    assert info.value.code == "result_resit_without_attempt"
    save(exam, "4,0")
    save(exam, "6,8", attempt=2)
    with pytest.raises(services.AssessmentError) as info:
        save(exam, "7,0", attempt=3)
    assert info.value.code == "result_attempt_not_allowed" and "ten hoogste 2 pogingen" in info.value.nl
    assert Result.objects.filter(item=item).count() == 2


def test_no_resit_when_the_pta_allows_none(db):
    from tests.assessment.conftest import build_exam

    exam = build_exam(resit=False)
    save(exam, "4,0")
    with pytest.raises(services.AssessmentError) as info:
        save(exam, "7,0", attempt=2)
    assert "geen herkansing" in info.value.nl


def test_only_graders_of_the_school_and_assigned_assessors_may_enter(exam):
    for role in (Role.MENTOR, Role.COUNSELLOR, Role.SCHOOL_LEADER):
        with pytest.raises(PermissionDenied):
            save(exam, "6,0", by=f.member(role, school=exam.school))
    with pytest.raises(PermissionDenied):
        save(exam, "6,0", by=f.member(Role.TEACHER, school=f.SchoolFactory()))
    with pytest.raises(PermissionDenied):  # an assessor without an assignment
        save(exam, "6,0", by=exam.assessor, item=exam.items[0])
    f.AssessorAssignmentFactory(assessor=exam.assessor, item=exam.items[0], student=exam.students[0])
    assert save(exam, "6,0", by=exam.assessor, item=exam.items[0]).assessor == exam.assessor
    with pytest.raises(PermissionDenied):  # the same item, another student
        save(exam, "6,0", by=exam.assessor, item=exam.items[0], student=exam.students[1])
    assert not Result.objects.filter(student=exam.students[1]).exists()


def test_results_need_an_adopted_pta_that_covers_the_student(exam):
    tl_student = f.StudentFactory(school=exam.school, leerweg="TL", cohort=2025)
    with pytest.raises(services.AssessmentError) as info:
        save(exam, "6,0", student=tl_student)
    assert info.value.code == "result_student_not_in_pta"
    concept = f.PtaItemFactory(pta=f.PtaFactory(school=exam.school))
    with pytest.raises(services.AssessmentError) as info:
        save(exam, "6,0", item=concept)
    assert info.value.code == "pta_not_adopted"


def test_qualification_items_take_onvoldoende_voldoende_goed(exam):
    item = services.save_item(by=services.SYSTEM, pta=exam.pta, reason="loopbaandossier als onderdeel",
                              code="LOB", title="Loopbaandossier", form="portfolio", result_kind="qualification",
                              weight=Decimal("0"), resit_allowed=False, module_versions=[exam.version])
    assert save(exam, "v", item=item).qualification == "voldoende"
    with pytest.raises(GradeError):
        save(exam, "7,5", item=item, version=1)


# --- outcomes through the engine ------------------------------------------------------------------


def _engine_outcome(exam, student):
    regulation = load_regulation(exam.pta.regulation_id)
    items = tuple(PtaItemInput(code=i.code, weight=i.weight, result_kind=i.result_kind,
                               resit_allowed=i.resit_allowed, max_attempts=i.max_attempts) for i in exam.items)
    results = tuple(ItemResultInput(item_code=r.item.code, attempt=r.attempt, grade=r.grade,
                                    qualification=r.qualification or None)
                    for r in Result.objects.filter(student=student).select_related("item"))
    return module_outcome(results, items, regulation)


def test_module_outcome_matches_the_engine_and_completes_the_programme_item(exam):
    student = exam.students[0]
    f.AssessorAssignmentFactory(assessor=exam.assessor, item=exam.items[0], student=student)
    save(exam, "7,0", item=exam.items[0], by=exam.assessor)
    mr = ModuleResult.objects.get(student=student, module_version=exam.version)
    assert mr.outcome == "INCOMPLETE" and mr.school_year is None
    assert {f["code"] for f in mr.findings} == {"OUTCOME_ITEM_MISSING"}
    save(exam, "5,9", item=exam.items[1])  # weights 1 and 2: (7.0 + 2 x 5.9) / 3 = 6.27 -> 6.3
    mr.refresh_from_db()
    expected = _engine_outcome(exam, student)
    assert (mr.outcome, mr.grade, mr.final_grade) == (expected.outcome, expected.grade, expected.final_grade)
    assert (mr.outcome, mr.grade, mr.final_grade) == ("PASSED", Decimal("6.3"), 6)
    assert ProgrammeItem.objects.get(programme__student=student).status == "completed"


def test_a_failed_module_and_a_resit(exam):
    student = exam.students[1]
    f.AssessorAssignmentFactory(assessor=exam.assessor, item=exam.items[0], student=student)
    save(exam, "4,0", item=exam.items[0], by=exam.assessor, student=student)
    save(exam, "4,5", student=student)
    mr = ModuleResult.objects.get(student=student)
    assert (mr.outcome, mr.grade) == ("FAILED", Decimal("4.3"))
    assert "OUTCOME_GRADE_INSUFFICIENT" in {f["code"] for f in mr.findings}
    assert ProgrammeItem.objects.get(programme__student=student).status == "not_completed"
    save(exam, "7,5", student=student, attempt=2)  # the highest attempt counts (UB 3.16)
    mr.refresh_from_db()
    assert mr.outcome == _engine_outcome(exam, student).outcome == "PASSED"
    assert ProgrammeItem.objects.get(programme__student=student).status == "completed"


def test_engine_inputs_are_built_in_a_fixed_number_of_queries(exam, django_assert_num_queries):
    for student in exam.students:
        save(exam, "6,0", student=student)
    keys = [(s.pk, exam.pta.pk, exam.version.pk) for s in exam.students]
    with django_assert_num_queries(3):
        inputs = engine.module_outcome_inputs(keys)
    assert len(inputs) == 3 and all(len(items) == 2 for _, items, _ in inputs.values())


# --- the menukaart's usage report -----------------------------------------------------------------


def test_usage_report_counts_completed_exams_per_module_and_school_year(exam):
    for student in exam.students[:2]:
        f.AssessorAssignmentFactory(assessor=exam.assessor, item=exam.items[0], student=student)
        save(exam, "6,0", item=exam.items[0], by=exam.assessor, student=student)
    assert not ModuleUsageReport.objects.exists()  # nothing complete yet
    save(exam, "7,0", student=exam.students[0])
    save(exam, "3,0", student=exam.students[1])  # failed, but the exam was taken
    report = ModuleUsageReport.objects.get()
    assert (report.module_id, report.brin, report.exams_taken) == (exam.version.module_id, exam.school.brin, 2)
    assert report.source == "local"
    # the count is recomputed from the module results, not incremented: saving again does not double it
    save(exam, "7,5", student=exam.students[0], version=1)
    assert ModuleUsageReport.objects.get().exams_taken == 2
    assert services.completed_exam_count(module_id=exam.version.module_id, school_year=report.school_year,
                                         brin=exam.school.brin) == 2


def test_usage_report_holds_no_personal_data():
    fields = {f.name for f in ModuleUsageReport._meta.get_fields()}
    assert fields == {"id", "module", "school_year", "brin", "exams_taken", "source", "reported_at"}


def test_recompute_command_is_idempotent(exam):
    import io

    from django.core.management import call_command

    f.AssessorAssignmentFactory(assessor=exam.assessor, item=exam.items[0], student=exam.students[0])
    save(exam, "7,0", item=exam.items[0], by=exam.assessor)
    save(exam, "6,0")
    ModuleResult.objects.update(outcome="INCOMPLETE")  # as if stale
    out = io.StringIO()
    call_command("recompute_outcomes", "--dry-run", stdout=out)
    assert "1 met een andere uitkomst" in out.getvalue() and ModuleResult.objects.get().outcome == "INCOMPLETE"
    call_command("recompute_outcomes", stdout=out)
    assert ModuleResult.objects.get().outcome == "PASSED"
    out = io.StringIO()
    call_command("recompute_outcomes", stdout=out)
    assert "0 met een andere uitkomst" in out.getvalue()
