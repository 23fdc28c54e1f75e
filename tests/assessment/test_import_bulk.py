"""The bulk write path of the grade import (`services.save_results`) against THE write path (`save_result`):
on the same input they store the same results with the same history, refuse the same entries with the same
message, and leave the same module outcomes, programme items and usage reports. Module outcomes are
recomputed once per (student, module) after all entries (save_result does it after each one), so the module
result's history holds the outcome after the import, not every step in between."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction

from maatwerk.accounts.models import Role
from maatwerk.assessment import services
from maatwerk.assessment.grades import GradeError
from maatwerk.assessment.models import ModuleResult, Result
from maatwerk.catalog.models import ModuleUsageReport
from maatwerk.students.models import ProgrammeItem
from tests import factories as f
from tests.assessment.conftest import build_exam

pytestmark = pytest.mark.django_db
REASON = "import cijfers.csv"


def entries(exam) -> list[services.ResultEntry]:
    """Every kind of entry an import has: new grades, a resit after the first attempt in the same list, a
    changed and an unchanged grade over stored ones, a comment, a date; no entry is refused."""
    s, (item1, item2) = exam.students, exam.items
    e = services.ResultEntry
    return [
        e(s[0], item1, "4,0", 1, assessed_on=dt.date(2026, 3, 10)),
        e(s[0], item1, "6,5", 2, comment="herkansing", assessed_on=dt.date(2026, 4, 14)),
        e(s[0], item2, "7", 1),
        e(s[1], item1, "8,1", 1, comment=" prima "),
        e(s[1], item2, "5,0", 1, assessed_on=dt.date(2026, 5, 1)),   # stored 6,0: changed
        e(s[2], item2, "6,0", 1),                                       # stored 6,0: unchanged
        e(s[2], item1, "9,9", 1),
    ]


def stored_before(exam) -> None:
    for student in exam.students[1:]:
        services.save_result(by=exam.teacher, student=student, item=exam.items[1], value="6,0", version=0)


def state(exam) -> dict:
    results = {}
    for r in Result.objects.filter(student__in=exam.students).order_by("student_id", "item_id", "attempt"):
        key = (r.student_id, r.item_id, r.attempt)
        results[key] = ((r.grade, r.qualification, r.comment, r.assessed_on, r.version, r.assessor_id,
                         r.rubric_scores),
                        [(h.history_type, h.grade, h.comment, h.version, h.assessed_on, h.history_user_id,
                          h.history_change_reason) for h in r.history.order_by("history_date", "history_id")])
    modules = {(m.student_id, m.module_version_id): (m.pta_id, m.outcome, m.grade, m.final_grade, m.level,
                                                     m.school_year, m.findings)
               for m in ModuleResult.objects.filter(student__in=exam.students)}
    last_history = {key: m.history.order_by("-history_date", "-history_id").first()
                    for key, m in ((k, ModuleResult.objects.get(student_id=k[0], module_version_id=k[1]))
                                   for k in modules)}
    return {
        "results": results,
        "modules": modules,
        "module_history": {k: (h.outcome, h.grade, h.school_year, h.history_user_id) for k, h in last_history.items()},
        "programme_items": sorted(ProgrammeItem.objects.filter(programme__student__in=exam.students)
                                  .values_list("programme__student_id", "status")),
        "programme_item_history": sorted(ProgrammeItem.history.filter(programme__student__in=exam.students)
                                         .values_list("id", "status", "history_change_reason", "history_user_id")),
        "usage": sorted(ModuleUsageReport.objects.values_list("module_id", "school_year", "brin", "exams_taken")),
    }


def one_by_one(exam, by, items: list[services.ResultEntry]) -> list:
    """save_result for every entry in turn, each in a savepoint (as the import did): the outcome or the error."""
    out = []
    for e in items:
        try:
            with transaction.atomic():
                result = services.save_result(by=by, student=e.student, item=e.item, value=e.value,
                                              attempt=e.attempt, version=None, comment=e.comment,
                                              assessed_on=e.assessed_on, reason=REASON)
            out.append(("ok", result.attempt, services.display_value(result)))
        except (PermissionDenied, services.AssessmentError, GradeError) as exc:
            out.append((type(exc).__name__, getattr(exc, "code", ""), getattr(exc, "nl", str(exc))))
    return out


def in_bulk(exam, by, items: list[services.ResultEntry]) -> list:
    out = []
    for o in services.save_results(by=by, entries=items, reason=REASON):
        if o.error is not None:
            out.append((type(o.error).__name__, getattr(o.error, "code", ""), getattr(o.error, "nl", str(o.error))))
        else:
            out.append(("ok", o.result.attempt, services.display_value(o.result)))
    return out


def both_ways(exam, by, make_entries, prepare=None):
    """Run the entries one by one and in bulk from the same start (each in a rolled-back transaction)."""
    outcomes, states = [], []
    for run in (one_by_one, in_bulk):
        with transaction.atomic():
            if prepare:
                prepare(exam)
            outcomes.append(run(exam, by, make_entries(exam)))
            states.append(state(exam))
            transaction.set_rollback(True)
    return outcomes, states


def test_the_bulk_path_stores_the_same_results_history_and_outcomes_as_save_result():
    exam = build_exam(n_students=3, n_items=2)
    (single, bulk), (single_state, bulk_state) = both_ways(exam, exam.secretary, entries, stored_before)
    assert single == bulk
    assert all(kind == "ok" for kind, *_ in bulk)
    assert single_state["results"] == bulk_state["results"]
    assert len(bulk_state["results"]) == 7
    # a resit after the first attempt of the same list; every result's history names the importer and the file
    first, resit = (bulk_state["results"][(exam.students[0].pk, exam.items[0].pk, n)] for n in (1, 2))
    assert resit[0][0] == Decimal("6.5") and resit[0][2] == "herkansing"
    assert all(h[5] == exam.secretary.pk and h[6] == REASON for h in resit[1] + first[1])
    changed = bulk_state["results"][(exam.students[1].pk, exam.items[1].pk, 1)]
    assert [h[0] for h in changed[1]] == ["+", "~"] and changed[0][4] == 2  # version 2, the old value kept
    unchanged = bulk_state["results"][(exam.students[2].pk, exam.items[1].pk, 1)]
    assert [h[0] for h in unchanged[1]] == ["+"] and unchanged[0][4] == 1
    for key in ("modules", "module_history", "programme_items", "usage"):
        assert single_state[key] == bulk_state[key], key
    assert {v[1] for v in bulk_state["modules"].values()} == {"PASSED"}
    assert {status for _, status in bulk_state["programme_items"]} == {"completed"}
    assert {(s, r) for _, s, r, _ in bulk_state["programme_item_history"] if s == "completed"} == {
        ("completed", "uitslag module")}


def test_the_bulk_path_refuses_the_same_entries_with_the_same_messages():
    exam = build_exam(n_students=3, n_items=2, resit=False)
    other_school = build_exam(n_students=1, n_items=1)

    def bad(exam):
        s, (item1, item2) = exam.students, exam.items
        e = services.ResultEntry
        return [
            e(s[0], item1, "6,5", 1),
            e(s[0], item1, "7,0", 2),        # no resit in this PTA
            e(s[1], item1, "10,1", 1),       # not a grade
            e(s[1], item2, "6,55", 1),       # two decimals
            e(s[2], item2, "6,0", 0),        # attempt 0
            e(s[2], other_school.items[0], "6,0", 1),  # another school's PTA
            e(s[2], item1, "7,5", 1),
        ]

    (single, bulk), (single_state, bulk_state) = both_ways(exam, exam.teacher, bad)
    assert single == bulk
    assert [kind for kind, *_ in bulk] == ["ok", "AssessmentError", "GradeError", "GradeError", "AssessmentError",
                                           "AssessmentError", "ok"]
    # save_result wrote the good entries; the bulk path writes nothing when any entry is refused
    assert len(single_state["results"]) == 2 and bulk_state["results"] == {}


def test_a_resit_needs_the_previous_attempt_in_the_same_order():
    exam = build_exam(n_students=1, n_items=1)

    def resit_first(exam):
        s, item = exam.students[0], exam.items[0]
        return [services.ResultEntry(s, item, "6,0", 2), services.ResultEntry(s, item, "4,0", 1)]

    (single, bulk), _ = both_ways(exam, exam.teacher, resit_first)
    assert single == bulk and bulk[0][1] == "result_resit_without_attempt" and bulk[1][0] == "ok"


def test_only_graders_of_the_school_and_assigned_assessors_may_enter():
    exam = build_exam(n_students=2, n_items=1)
    mentor = f.member(Role.MENTOR, school=exam.school)

    def some(exam):
        return [services.ResultEntry(s, exam.items[0], "6,0", 1) for s in exam.students]

    (single, bulk), _ = both_ways(exam, mentor, some)
    assert single == bulk and {kind for kind, *_ in bulk} == {"PermissionDenied"}
    f.AssessorAssignmentFactory(assessor=exam.assessor, item=exam.items[0], student=exam.students[0])
    (single, bulk), _ = both_ways(exam, exam.assessor, some)
    assert single == bulk and [kind for kind, *_ in bulk] == ["ok", "PermissionDenied"]


def test_a_dry_run_writes_nothing(django_assert_max_num_queries):
    exam = build_exam(n_students=3, n_items=2)
    with django_assert_max_num_queries(4):
        outcomes = services.save_results(by=exam.teacher, entries=entries(exam), write=False)
    assert [o.change for o in outcomes] == ["created"] * 7
    assert not Result.objects.exists()


@pytest.mark.parametrize("n", [3, 30])
def test_the_bulk_path_takes_the_same_number_of_queries_for_more_rows(n, django_assert_max_num_queries):
    """Reads and writes in bulk: the ceiling is the same for 3 and for 30 students x 2 items x 2 attempts."""
    exam = build_exam(n_students=n, n_items=2)
    rows = [services.ResultEntry(s, item, grade, attempt) for s in exam.students for item in exam.items
            for attempt, grade in ((1, "4,0"), (2, "6,5"))]
    with django_assert_max_num_queries(40):
        outcomes = services.save_results(by=exam.teacher, entries=rows, reason=REASON)
    assert {o.change for o in outcomes} == {"created"}
    assert Result.objects.count() == 4 * n and Result.history.count() == 4 * n
    assert set(ModuleResult.objects.values_list("outcome", flat=True)) == {"PASSED"}
    # corrections of every row: the stored results are updated in bulk, their students not read one by one
    again = [services.ResultEntry(s, item, grade, attempt) for s in exam.students for item in exam.items
             for attempt, grade in ((1, "4,5"), (2, "5,0"))]
    with django_assert_max_num_queries(40):
        outcomes = services.save_results(by=exam.teacher, entries=again, reason=REASON)
    assert {o.change for o in outcomes} == {"updated"} and Result.history.count() == 8 * n
    assert set(ModuleResult.objects.values_list("outcome", flat=True)) == {"FAILED"}


def test_a_corrected_module_result_revokes_its_certificate():
    """The bulk path sends module_results_saved: the diploma app revokes the certificate a result no longer
    matches, as post_save does for save_result."""
    from maatwerk.diploma import services as diploma
    from maatwerk.diploma.models import ModuleCredential

    exam = build_exam(n_students=1, n_items=1, resit=False)
    student, item = exam.students[0], exam.items[0]
    services.save_results(by=exam.teacher, entries=[services.ResultEntry(student, item, "7,0", 1)], reason=REASON)
    assert ModuleResult.objects.get(student=student).outcome == "PASSED"
    report = diploma.issue_credentials(by=None, school=exam.school)
    (credential,) = report.issued
    services.save_results(by=exam.teacher, entries=[services.ResultEntry(student, item, "4,0", 1)], reason=REASON)
    credential.refresh_from_db()
    assert ModuleResult.objects.get(student=student).outcome == "FAILED"
    assert credential.revoked_at is not None and "gecorrigeerd" in credential.revocation_reason
    assert ModuleCredential.objects.filter(revoked_at__isnull=True).count() == 0
