"""maatwerk/bulk.py: the bulk writes with history, on SQLite (simple_history's own bulk functions) and on
PostgreSQL (COPY; an UPDATE from a temporary table filled by COPY). Both must leave the same rows."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

import pytest

from maatwerk.assessment.models import Result
from maatwerk.bulk import create_with_history, update_with_history
from tests import factories as f

pytestmark = pytest.mark.django_db


def test_update_with_history_changes_only_the_named_fields_and_keeps_a_history_row_each():
    writer = f.UserFactory()
    item = f.PtaItemFactory()
    results = [f.ResultFactory(item=item, comment=f"oud {n}") for n in range(3)]
    untouched = f.ResultFactory(item=item, grade=Decimal("7.0"))
    for n, result in enumerate(results):
        result.grade = Decimal(f"{5 + n}.5")
        result.rubric_scores = {"crit": n, "tekst": 'met "aanhalingstekens" en \\ en\ttab'}
        result.assessed_on = dt.date(2026, 11, 1 + n)
        result.comment = f"nieuw {n}"  # not named below: must not be written
        result.version = 2
    assert update_with_history(results, Result, ["grade", "rubric_scores", "assessed_on", "version"],
                               user=writer, reason="Herstel na import") == 3
    for n, result in enumerate(results):
        stored = Result.objects.get(pk=result.pk)
        assert (stored.grade, stored.assessed_on, stored.version, stored.comment) == (
            Decimal(f"{5 + n}.5"), dt.date(2026, 11, 1 + n), 2, f"oud {n}")
        assert stored.rubric_scores == {"crit": n, "tekst": 'met "aanhalingstekens" en \\ en\ttab'}
        last = stored.history.order_by("-history_id").first()
        assert (last.history_type, last.history_change_reason, last.history_user_id) == ("~", "Herstel na import",
                                                                                         writer.pk)
        assert (last.grade, last.rubric_scores["crit"]) == (Decimal(f"{5 + n}.5"), n)
    assert Result.objects.get(pk=untouched.pk).grade == Decimal("7.0")
    assert untouched.history.count() == 1  # only its own '+'


def test_create_with_history_sets_keys_and_writes_a_plus_row_each():
    item = f.PtaItemFactory()
    students = [f.StudentFactory() for _ in range(3)]
    objs = [Result(student=s, item=item, attempt=1, grade=Decimal("6.0"), rubric_scores={"n": i})
            for i, s in enumerate(students)]
    create_with_history(objs, Result, reason="Import")
    assert all(o.pk for o in objs)
    assert {r.rubric_scores["n"] for r in Result.objects.filter(item=item)} == {0, 1, 2}
    assert [h.history_type for h in Result.history.filter(item=item)] == ["+"] * 3
    assert {h.history_change_reason for h in Result.history.filter(item=item)} == {"Import"}


def test_create_with_history_fills_auto_now_and_writes_empty_and_full_json_alike():
    """auto_now is set on every object and stored as it is set (as save() does); an empty JSON object and a
    full one are stored as themselves; an object's own history user (even none) wins over the default."""
    writer = f.UserFactory()
    item = f.PtaItemFactory()
    students = [f.StudentFactory() for _ in range(4)]
    objs = [Result(student=s, item=item, attempt=1, grade=Decimal("6.0"),
                   rubric_scores={} if i % 2 else {"n": i, "t": "a\tb\\c"}) for i, s in enumerate(students)]
    objs[3]._history_user = None  # a system write: no user, not the default
    before = dt.datetime.now(dt.UTC)
    create_with_history(objs, Result, user=writer)
    for i, obj in enumerate(objs):
        stored = Result.objects.get(pk=obj.pk)
        assert obj.updated_at is not None and obj.updated_at >= before
        assert stored.updated_at == obj.updated_at
        assert stored.rubric_scores == ({} if i % 2 else {"n": i, "t": "a\tb\\c"})
        history = stored.history.get()
        assert history.rubric_scores == stored.rubric_scores and history.updated_at == obj.updated_at
        assert history.history_user_id == (None if i == 3 else writer.pk)


def test_update_with_history_writes_the_values_the_objects_hold_as_bulk_update_does():
    """An update writes what the objects hold, auto_now included (bulk_update's rule, the same on both
    databases): a caller that wants a new timestamp sets it, as save_results does."""
    item = f.PtaItemFactory()
    results = [f.ResultFactory(item=item) for _ in range(2)]
    stamps = [r.updated_at for r in results]
    for r in results:
        r.comment = "bijgewerkt"
    update_with_history(results, Result, ["comment", "updated_at"])
    assert [Result.objects.get(pk=r.pk).updated_at for r in results] == stamps == [r.updated_at for r in results]
    later = stamps[0] + dt.timedelta(minutes=5)
    for r in results:
        r.updated_at = later
    update_with_history(results, Result, ["updated_at"])
    assert [Result.objects.get(pk=r.pk).updated_at for r in results] == [later, later]
    assert [r.history.order_by("-history_id").first().updated_at for r in results] == [later, later]
