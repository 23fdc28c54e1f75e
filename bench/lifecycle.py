"""The menukaart's lifecycle run over six school years of usage reports, vs reading the usage reports.

    .venv/bin/python bench/lifecycle.py [--date 2026-11-29] [--profile cprofile|pyinstrument]

Real path: `catalog.services.run_lifecycle(on=DATE)`, what `maatwerk catalog lifecycle --date DATE` does:
due and overdue reviews, overdue updates and the removal rule (five school years without an exam at any
school) over every usage report, applied and recorded. It runs in a transaction that is rolled back, so
the benchmark can be repeated (a second real run would find nothing new: the lifecycle is idempotent).
The dry run (`--dry-run`, plan only) is measured too.

Floor: every usage report read as plain tuples (module, school year, BRIN, exams).
"""

from __future__ import annotations

import argparse
import datetime as dt

from django.db import connection, transaction

import _setup  # noqa: F401
from _common import emit, profiled, ratio, timed
from maatwerk.catalog.models import ModuleUsageReport
from maatwerk.catalog.services import run_lifecycle


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--date", default=dt.date.today().isoformat())
    parser.add_argument("--profile", choices=("cprofile", "pyinstrument"))
    args = parser.parse_args(argv)
    on = dt.date.fromisoformat(args.date)
    with timed() as floor:
        rows = len(list(ModuleUsageReport.objects.values_list("module_id", "school_year", "brin", "exams_taken")))
    with timed() as dry:
        planned = run_lifecycle(on=on, dry_run=True)
    with profiled(args.profile, "lifecycle"), timed() as real, transaction.atomic():
        result = run_lifecycle(on=on)
        transaction.set_rollback(True)
    kinds: dict[str, int] = {}
    for action in result.actions:
        kind = str(getattr(action.kind, "value", action.kind))
        kinds[kind] = kinds.get(kind, 0) + 1
    print(f"lifecycle on {on}: {rows:,} usage reports on {connection.vendor}; {len(planned.actions):,} actions "
          f"planned {dict(sorted(kinds.items()))}")
    print(f"  real run   {real.wall:8.3f} s wall (applied and recorded, rolled back); dry run {dry.wall:.3f} s")
    print(f"  read floor {floor.wall:8.3f} s wall for {rows:,} rows; ratio {ratio(real.wall, floor.wall):.2f}x "
          f"(dry run {ratio(dry.wall, floor.wall):.2f}x)")
    emit("lifecycle", usage_reports=rows, actions=len(result.actions), seconds=round(real.wall, 3),
         dry_run_seconds=round(dry.wall, 3), floor_seconds=round(floor.wall, 3),
         ratio=round(ratio(real.wall, floor.wall), 2), dry_ratio=round(ratio(dry.wall, floor.wall), 2),
         actions_by_kind=dict(sorted(kinds.items())))


if __name__ == "__main__":
    main()
