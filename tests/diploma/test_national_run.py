"""`maatwerk exam decide --all --workers 2` for real: the schools spread over two processes, each with its own
database connection, on PostgreSQL (committed data: other processes do not see a test's transaction). The
same decisions and history as one process would write. On SQLite the national run uses one process
(tests/diploma/test_decisions.py::test_the_national_run_decides_every_school)."""

from __future__ import annotations

import pytest
from django.core.management import call_command
from django.db import connection

from maatwerk.diploma.models import ExamDecision
from tests.diploma import builders as b

pytestmark = [
    pytest.mark.postgres,
    pytest.mark.skipif(connection.vendor != "postgresql",
                       reason="needs a database other processes can see: run with DATABASE_URL=postgres://..."),
    pytest.mark.django_db(transaction=True, serialized_rollback=True),
]


def test_two_processes_decide_every_school_once(capsys):
    schools = [b.exam_school("vmbo-huidig") for _ in range(3)]
    for i, school in enumerate(schools):
        for j in range(i + 2):
            b.current_candidate(school, changes={"ne": (3, 3)} if j == 0 else None)
    call_command("exam", "decide", "--all", "--school-year", str(b.EXAM_YEAR), "--workers", "2")
    out = capsys.readouterr().out
    assert "9 kandidaten: 6 geslaagd, 3 afgewezen, 0 nog niet compleet; 9 nieuw besluit" in out
    assert "met 2 processen" in out
    decisions = list(ExamDecision.objects.all())
    assert len(decisions) == 9 and len({d.student_id for d in decisions}) == 9
    assert ExamDecision.history.filter(history_type="+").count() == 9
    call_command("exam", "decide", "--all", "--school-year", str(b.EXAM_YEAR), "--workers", "2")
    assert "0 nieuw besluit, 9 ongewijzigd" in capsys.readouterr().out
