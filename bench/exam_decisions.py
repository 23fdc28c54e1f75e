"""Exam decisions of the whole national exam cohort through the real code path, vs reading the same rows.

    .venv/bin/python bench/exam_decisions.py [--school-year 2026] [--workers 2] [--profile cprofile|pyinstrument]

Real path: for every school, `diploma.services.run_decisions(by=None, ...)`, exactly what
`maatwerk exam decide --school BRIN` does: exam_candidates -> engine.candidate_inputs (six queries per
500 candidates) -> rules.decide_exam -> ExamDecision rows with their history (bulk_create_with_history).
The whole run is one transaction that is rolled back at the end, so the benchmark can be repeated on the
same data (the decisions are written and then thrown away; only the final commit is not measured).

National run: `maatwerk exam decide --all --workers N` (the command an operator runs for the whole country:
every school in its own transaction, the schools spread over N processes; N defaults to the number of
cores on PostgreSQL, 1 on SQLite). It commits, so afterwards the decisions it wrote and their history rows
are deleted again (only on a database without decisions before the run; otherwise this part is skipped).

Floor: the same queries per school and per chunk of 500 candidates (candidates, subject grades, module
results with their module version, programme items with version and programme, programmes, school
policies, LOB activities), fetched as plain tuples (values_list of every column the ORM would load):
what the database and the driver cost before any Python object is built.
"""

from __future__ import annotations

import argparse
import io
import os
from collections import Counter

from django.core.management import call_command
from django.db import connection, reset_queries, transaction
from django.db.models import Max, Q

import _setup  # noqa: F401
from _common import emit, profiled, ratio, timed, vacuum
from maatwerk.assessment.models import ModuleResult, SubjectGrade
from maatwerk.bench.generate import CURRENT_YEAR
from maatwerk.diploma.models import ExamDecision
from maatwerk.diploma.services import exam_candidates, run_decisions
from maatwerk.schools.models import School, SchoolPolicy
from maatwerk.students.models import CareerActivity, Programme, ProgrammeItem

CHUNK = 500


def _columns(model, prefix=""):
    return [f"{prefix}{f.attname}" for f in model._meta.concrete_fields]


def read_floor(schools, school_year: int) -> int:
    rows = 0
    mv = ["module_version__" + c for c in ("id", "module_id", "version", "status", "title", "module_type", "units",
                                            "legacy_kind", "legacy_code", "valid_from", "valid_until")]
    for school in schools:
        students = list(exam_candidates(school, school_year).values_list(
            *_columns(exam_candidates(school, school_year).model), "school__brin", "profiel__code"))
        rows += len(students)
        ids = [s[0] for s in students]
        rows += len(list(SchoolPolicy.objects.filter(school=school).values_list(
            "school_id", "regulation_id", "loopbaandossier_required")))
        for start in range(0, len(ids), CHUNK):
            chunk = ids[start:start + CHUNK]
            rows += len(list(SubjectGrade.objects.filter(student_id__in=chunk, school_year=school_year)
                             .order_by("student_id", "code").values_list(*_columns(SubjectGrade))))
            rows += len(list(ModuleResult.objects.filter(student_id__in=chunk)
                             .filter(Q(school_year__lte=school_year) | Q(school_year__isnull=True))
                             .order_by("student_id", "module_version__module__code")
                             .values_list(*_columns(ModuleResult), *mv, "module_version__module__code")))
            rows += len(list(ProgrammeItem.objects.filter(programme__student_id__in=chunk,
                                                          school_year__lte=school_year)
                             .order_by("pk").values_list(*_columns(ProgrammeItem), *mv,
                                                         "module_version__module__code",
                                                         *_columns(Programme, "programme__"))))
            rows += len(list(Programme.objects.filter(student_id__in=chunk).values_list("student_id", "regulation_id")))
            rows += len(list(CareerActivity.objects.filter(student_id__in=chunk).order_by().values_list(
                "id", "student_id", "goals", "results", "evaluation", "follow_up", "qualities", "motives",
                "work_exploration", "career_steering", "networking")))
    return rows


def national_run(school_year: int, workers: int) -> dict | None:
    """`maatwerk exam decide --all`: the wall time, then the decisions it wrote are deleted again."""
    if ExamDecision.objects.exists():
        print("  national run skipped: the database already holds decisions")
        return None
    history = ExamDecision.history.model
    last = history.objects.aggregate(m=Max("history_id"))["m"] or 0
    out = io.StringIO()
    with timed() as t:
        call_command("exam", "decide", "--all", "--school-year", str(school_year), "--workers", str(workers),
                     stdout=out)
    written = ExamDecision.objects.count()
    with transaction.atomic(), connection.cursor() as cursor:  # what the run committed, and only that
        cursor.execute(f"DELETE FROM {history._meta.db_table} WHERE history_id > %s", [last])  # noqa: S608
        cursor.execute(f"DELETE FROM {ExamDecision._meta.db_table}")  # noqa: S608 - it held none before the run
    vacuum(ExamDecision, history)
    print("  " + out.getvalue().strip().replace("\n", "\n  "))
    return {"seconds": round(t.wall, 2), "workers": workers, "written": written}


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--school-year", type=int, default=CURRENT_YEAR)
    parser.add_argument("--workers", type=int, default=None,
                        help="processes of the national run (default: the cores on PostgreSQL, 1 on SQLite; 0: skip it)")
    parser.add_argument("--profile", choices=("cprofile", "pyinstrument"))
    args = parser.parse_args(argv)
    schools = list(School.objects.order_by("pk"))
    with timed() as floor:
        rows = read_floor(schools, args.school_year)
    outcomes: Counter = Counter()
    candidates = created = 0
    with profiled(args.profile, "exam decisions"), timed() as real, transaction.atomic():
        for school in schools:
            report = run_decisions(by=None, school=school, school_year=args.school_year)
            candidates += len(report.lines)
            created += len(report.created)
            outcomes.update(report.outcomes)
            reset_queries()
        transaction.set_rollback(True)
    vacuum(ExamDecision, ExamDecision.history.model)
    print(f"exam decisions, exam year {args.school_year}: {candidates:,} candidates at {len(schools):,} schools "
          f"on {connection.vendor}")
    print(f"  real path  {real.wall:8.2f} s wall ({real.cpu:.2f} s CPU in Python) = "
          f"{candidates / real.wall:,.0f} decisions/s; {created:,} decisions written (rolled back)")
    print(f"  read floor {floor.wall:8.2f} s wall for {rows:,} rows; ratio {ratio(real.wall, floor.wall):.2f}x")
    print(f"  outcomes {dict(sorted(outcomes.items()))}")
    workers = args.workers if args.workers is not None else (
        min(os.cpu_count() or 1, 8) if connection.vendor == "postgresql" else 1)
    national = national_run(args.school_year, workers) if workers else None
    if national:
        print(f"  national run (maatwerk exam decide --all, {workers} process(es)) {national['seconds']:8.2f} s wall; "
              f"{national['written']:,} decisions written (deleted again)")
    emit("exam_decisions", candidates=candidates, schools=len(schools), seconds=round(real.wall, 2),
         cpu_seconds=round(real.cpu, 2), floor_seconds=round(floor.wall, 2), floor_rows=rows,
         ratio=round(ratio(real.wall, floor.wall), 2), per_second=round(candidates / real.wall),
         outcomes=dict(sorted(outcomes.items())), national=national)


if __name__ == "__main__":
    main()
