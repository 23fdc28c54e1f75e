"""Two teachers save the same cell at the same moment, for real: two threads, two database connections,
on PostgreSQL (row locks). The first save holds its row lock while the second arrives; the second must
wait, then see the new version and get a conflict. Without select_for_update the second would read the
old version and overwrite: this test fails then.

Runs only on PostgreSQL (`.ci/run` runs `make test` with DATABASE_URL=postgres://...); on SQLite every
write transaction is serialised by the database lock (BEGIN IMMEDIATE), which the sequential stale-version
tests in test_results.py cover on both databases.
"""

from __future__ import annotations

import threading
import time
from decimal import Decimal

import pytest
from django.db import connection
from django.db.models.signals import post_save

from maatwerk.accounts.models import Role
from maatwerk.assessment import services
from maatwerk.assessment.models import Result
from tests import factories as f
from tests.assessment.conftest import build_exam

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs PostgreSQL row locks: run with DATABASE_URL=postgres://... (CI does)"),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def _race(exam, *, version_a: int, version_b: int, value_a: str, value_b: str):
    """Thread A writes the row and, still inside its transaction (holding the row lock or the unique
    index entry), waits while thread B starts its own save."""
    other = f.member(Role.TEACHER, school=exam.school)
    a_holds_lock = threading.Event()
    outcomes: dict[str, str] = {}
    errors: list[BaseException] = []

    def hold(sender, instance, **kwargs):
        if threading.current_thread().name == "A":
            a_holds_lock.set()
            time.sleep(0.8)  # B now runs into A's row lock (or unique index) and must wait

    def run(name, by, value, version):
        try:
            services.save_result(by=by, student=exam.students[0], item=exam.items[1], value=value,
                                 version=version)
            outcomes[name] = "saved"
        except services.ResultConflict:
            outcomes[name] = "conflict"
        except BaseException as exc:  # noqa: BLE001 - reported below
            errors.append(exc)
        finally:
            connection.close()

    post_save.connect(hold, sender=Result, weak=False)
    try:
        a = threading.Thread(target=run, name="A", args=("A", exam.teacher, value_a, version_a))
        b = threading.Thread(target=run, name="B", args=("B", other, value_b, version_b))
        a.start()
        assert a_holds_lock.wait(10)
        b.start()
        a.join(20)
        b.join(20)
    finally:
        post_save.disconnect(hold, sender=Result)
    assert not errors, errors
    return outcomes


def test_two_threads_update_the_same_result_the_later_gets_a_conflict():
    exam = build_exam()
    seen = services.save_result(by=exam.teacher, student=exam.students[0], item=exam.items[1], value="6,0",
                                version=0)
    outcomes = _race(exam, version_a=seen.version, version_b=seen.version, value_a="7,0", value_b="5,0")
    assert outcomes == {"A": "saved", "B": "conflict"}
    stored = Result.objects.get(pk=seen.pk)
    assert (stored.grade, stored.version) == (Decimal("7.0"), 2)
    assert [h.grade for h in stored.history.order_by("history_date")] == [Decimal("6.0"), Decimal("7.0")]


def test_two_threads_create_the_same_result_the_later_gets_a_conflict():
    exam = build_exam()
    outcomes = _race(exam, version_a=0, version_b=0, value_a="8,0", value_b="4,0")
    assert outcomes == {"A": "saved", "B": "conflict"}
    assert list(Result.objects.values_list("grade", flat=True)) == [Decimal("8.0")]
