"""The cycle's dates right around their boundaries (seed, "Er ontstaat een menukaart": review every 5
years, an update within 1 year, removal after 5 years without an exam; regulation spv-modulair
parameters review_cycle_years, update_deadline_years, removal_years), and the lifecycle command."""

from __future__ import annotations

import datetime as dt
from io import StringIO

import pytest
from django.core.management import call_command
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from maatwerk.catalog import cycle, services
from maatwerk.catalog.models import LifecycleAction, LifecycleRun, Module, ModuleUsageReport, Review
from maatwerk.catalog.services import SYSTEM, plan_lifecycle, run_lifecycle
from maatwerk.domain import school_year_of

from .conftest import make_module

D = dt.date
dates = st.dates(min_value=D(2020, 1, 1), max_value=D(2045, 12, 31))


def test_parameters_come_from_the_regulation():
    from maatwerk.rules.regulation import load_regulation

    reg = load_regulation("spv-modulair")
    assert cycle.param("review_cycle_years") == reg.value("review_cycle_years") == 5
    assert cycle.param("update_deadline_years") == reg.value("update_deadline_years") == 1
    assert cycle.param("removal_years") == reg.value("removal_years") == 5


def test_review_is_due_five_years_after_the_start_of_the_valid_from_year():
    assert cycle.review_due_on(2024) == D(2029, 8, 1)
    assert cycle.review_due_on(2024, cycles=2) == D(2034, 8, 1)
    assert cycle.review_window_opens(D(2029, 8, 1)) == D(2028, 8, 1)


def test_a_different_regulation_value_moves_the_dates(monkeypatch):
    values = {"review_cycle_years": 3, "update_deadline_years": 2, "removal_years": 4}
    monkeypatch.setattr(cycle, "param", values.__getitem__)
    assert cycle.review_due_on(2024) == D(2027, 8, 1)
    assert cycle.update_due_on(D(2025, 3, 1)) == D(2027, 3, 1)
    assert cycle.removal_years_window(D(2030, 9, 1)) == (2026, 2030)


@given(valid_from=st.integers(2000, 2090), cycles=st.integers(1, 4))
def test_review_due_property(valid_from, cycles):
    due = cycle.review_due_on(valid_from, cycles)
    assert (due.month, due.day) == (8, 1)
    assert school_year_of(due) == valid_from + 5 * cycles
    assert school_year_of(due - dt.timedelta(days=1)) == valid_from + 5 * cycles - 1


@given(decided=dates)
def test_update_deadline_property(decided):
    due = cycle.update_due_on(decided)
    assert due.year == decided.year + 1
    assert (due.month, due.day) == ((decided.month, decided.day) if (decided.month, decided.day) != (2, 29) else (2, 28))
    assert 365 <= (due - decided).days <= 366


def test_update_deadline_on_29_february():
    assert cycle.update_due_on(D(2024, 2, 29)) == D(2025, 2, 28)


@pytest.mark.parametrize(("on", "scheduled", "overdue"), [
    (D(2028, 7, 31), False, False),   # the day before the review enters the calendar
    (D(2028, 8, 1), True, False),     # one year before it is due
    (D(2029, 8, 1), True, False),     # the due date itself: not yet late
    (D(2029, 8, 2), True, True),      # the day after: overdue
])
def test_review_boundaries(db, on, scheduled, overdue):
    version = make_module(valid_from=2024)
    result = run_lifecycle(on=on)
    review = Review.objects.filter(version=version).first()
    assert (review is not None) == scheduled
    if review:
        assert review.due_on == D(2029, 8, 1)
    kinds = set(LifecycleAction.objects.values_list("kind", flat=True))
    assert ("review_overdue" in kinds) == overdue
    assert result.status["reviews_overdue"] == int(overdue)
    assert result.status["reviews_due"] == int(scheduled and not overdue)


def test_keep_moves_the_next_review_a_full_cycle(db):
    version = make_module(valid_from=2024)
    run_lifecycle(on=D(2029, 3, 1))
    review = Review.objects.get(version=version)
    services.record_review(review=review, by=SYSTEM, decision="keep", reasons="Past nog.", consulted_vmbo="a",
                           consulted_mbo="b", consulted_employers="c", decided_on=D(2029, 5, 1))
    version.refresh_from_db()
    assert services.next_review_due(version) == D(2034, 8, 1)
    run_lifecycle(on=D(2033, 7, 31))
    assert Review.objects.filter(version=version).count() == 1
    run_lifecycle(on=D(2033, 8, 1))
    assert Review.objects.filter(version=version, decision="").get().due_on == D(2034, 8, 1)


def test_review_needs_reasons_and_who_was_consulted(db):
    version = make_module(valid_from=2024)
    review = services.schedule_review(module=version.module, by=SYSTEM)
    with pytest.raises(services.CatalogError) as info:
        services.record_review(review=review, by=SYSTEM, decision="keep", reasons="", consulted_vmbo="x",
                               consulted_mbo="", consulted_employers="y")
    assert info.value.code == "catalog_review_invalid"
    assert set(info.value.details) == {"reasons", "consulted_mbo"}
    review.refresh_from_db()
    assert review.decision == ""


@pytest.mark.parametrize(("on", "overdue"), [(D(2026, 3, 10), False), (D(2026, 3, 11), True)])
def test_update_deadline_boundaries(db, on, overdue):
    version = make_module(valid_from=2020)
    review = services.schedule_review(module=version.module, by=SYSTEM)
    services.record_review(review=review, by=SYSTEM, decision="update", reasons="Verouderd.", consulted_vmbo="a",
                           consulted_mbo="b", consulted_employers="c", decided_on=D(2025, 3, 10))
    review.refresh_from_db()
    assert review.update_due_on == D(2026, 3, 10)
    result = run_lifecycle(on=on)
    assert result.status["updates_overdue"] == int(overdue)
    assert LifecycleAction.objects.filter(kind="update_overdue").exists() == overdue


def test_publishing_the_update_ends_the_overdue_update(db):
    version = make_module(valid_from=2020)
    review = services.schedule_review(module=version.module, by=SYSTEM)
    services.record_review(review=review, by=SYSTEM, decision="update", reasons="Verouderd.", consulted_vmbo="a",
                           consulted_mbo="b", consulted_employers="c", decided_on=D(2025, 3, 10))
    new = services.new_version(module=version.module, by=SYSTEM)
    services.publish_version(version=new, by=SYSTEM, valid_from=2026)
    review.refresh_from_db()
    assert review.update_version_id == new.pk
    assert run_lifecycle(on=D(2027, 1, 1)).status["updates_overdue"] == 0


def test_withdraw_decision_takes_the_module_off_next_school_year(db):
    version = make_module(valid_from=2020)
    review = services.schedule_review(module=version.module, by=SYSTEM)
    services.record_review(review=review, by=SYSTEM, decision="withdraw", reasons="Geen vraag meer.",
                           consulted_vmbo="a", consulted_mbo="b", consulted_employers="c", decided_on=D(2025, 3, 10))
    module = Module.objects.get(pk=version.module_id)
    assert module.retired_from == 2025 and module.current_version.status == "withdrawn"


REPORTED = range(2010, 2047)


def _world(valid_from: int, last_exam: int | None, years=REPORTED):
    """A target module and a busy one (so every school year has usage reports)."""
    target = make_module("ZW-K-01", valid_from=valid_from)
    busy = make_module("ZW-K-02", valid_from=2015)
    ModuleUsageReport.objects.bulk_create(
        [ModuleUsageReport(module=busy.module, school_year=y, brin="21KR", exams_taken=10) for y in years]
        + [ModuleUsageReport(module=target.module, school_year=y, brin="30PF", exams_taken=3 if y == last_exam else 0)
           for y in years])
    return target.module


@pytest.mark.parametrize(("valid_from", "last_exam", "retired"), [
    (2024, 2024, True),    # on 2030-09-01 (school year 2030): 2025..2030 without exam -> off from 2031
    (2024, 2025, False),   # an exam in 2025-2026 keeps it
    (2025, None, True),    # valid from 2025: exactly five full years without exam
    (2026, None, False),   # valid from 2026: it has not existed five years yet
    (2024, 2030, False),   # an exam in the running school year keeps it
])
def test_removal_boundaries(db, valid_from, last_exam, retired):
    module = _world(valid_from, last_exam)
    run_lifecycle(on=D(2030, 9, 1))
    module.refresh_from_db()
    assert (module.retired_from == 2031) == retired
    assert (module.retirement_reason == "no_exams") == retired
    if retired:  # a module leaving the menukaart gets no review
        assert not Review.objects.filter(module=module).exists()


def test_no_removal_while_a_year_has_no_usage_reports_at_all(db):
    module = _world(2020, None, years=[y for y in REPORTED if y != 2027])
    result = run_lifecycle(on=D(2030, 9, 1))
    module.refresh_from_db()
    assert module.retired_from is None
    assert result.missing_usage_years == [2027]
    assert any("2027-2028" in line for line in result.lines())


def test_students_already_enrolled_keep_a_removed_module(db):
    from tests.factories import ProgrammeItemFactory

    module = _world(2020, None)
    item = ProgrammeItemFactory(module_version=module.current_version, school_year=2030)
    run_lifecycle(on=D(2030, 9, 1))
    module.refresh_from_db()
    item.refresh_from_db()
    assert not module.is_available_in(2031) and module.is_available_in(2030)
    assert item.module_version_id == module.current_version_id


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(valid_from=st.integers(2016, 2030), last_exam=st.one_of(st.none(), st.integers(2015, 2034)), on=dates)
def test_removal_property(db, valid_from, last_exam, on):
    with transaction.atomic():
        module = _world(valid_from, last_exam)
        run_lifecycle(on=on)
        module.refresh_from_db()
        year = school_year_of(on)
        exam_in_window = last_exam is not None and year - 5 <= last_exam <= year
        expected = valid_from <= year - 5 and not exam_in_window
        assert (module.retired_from is not None) == expected
        if expected:
            assert module.retired_from == year + 1
        transaction.set_rollback(True)


@settings(max_examples=30, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture])
@given(valid_from=st.integers(2016, 2035), on=dates)
def test_review_property(db, valid_from, on):
    with transaction.atomic():
        version = make_module(valid_from=valid_from)
        result = run_lifecycle(on=on)
        due = D(valid_from + 5, 8, 1)
        review = Review.objects.filter(version=version).first()
        assert (review is not None) == (on >= D(valid_from + 4, 8, 1))
        assert result.status["reviews_overdue"] == int(on > due)
        transaction.set_rollback(True)


def _state():
    return (LifecycleRun.objects.count(), LifecycleAction.objects.count(),
            list(Review.objects.values_list("pk", "due_on", "decision").order_by("pk")),
            list(Module.objects.values_list("code", "retired_from", "retirement_reason").order_by("code")))


def test_lifecycle_is_idempotent_and_a_dry_run_changes_nothing(db):
    make_module("ZW-K-05", valid_from=2019)
    _world(2020, None)
    before = _state()
    dry = run_lifecycle(on=D(2026, 9, 1), dry_run=True)
    assert dry.actions and _state() == before and dry.run is None
    first = run_lifecycle(on=D(2026, 9, 1))
    after_first = _state()
    assert first.run is not None and after_first != before
    assert {a.kind for a in first.actions} >= {"review_scheduled", "review_overdue", "retired"}
    second = run_lifecycle(on=D(2026, 9, 1))
    assert second.actions == [] and second.run is None
    assert _state() == after_first
    assert plan_lifecycle(D(2026, 9, 1))[0] == []


def test_lifecycle_command_prints_and_records(db):
    _world(2020, None)
    out = StringIO()
    call_command("catalog", "lifecycle", "--date", "2026-09-01", "--dry-run", stdout=out)
    assert "proefdraai" in out.getvalue() and "Zou doen" in out.getvalue()
    assert LifecycleRun.objects.count() == 0
    out = StringIO()
    call_command("catalog", "lifecycle", "--date", "2026-09-01", stdout=out)
    assert "Gedaan" in out.getvalue() and "ZW-K-01" in out.getvalue()
    assert LifecycleRun.objects.count() == 1
    out = StringIO()
    call_command("catalog", "lifecycle", "--date", "2026-09-01", stdout=out)
    assert "Niets nieuws" in out.getvalue()
    assert LifecycleRun.objects.count() == 1
