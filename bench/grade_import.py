"""Grade import (CSV) through the assessment app's import path, vs the database's own bulk insert.

    .venv/bin/python bench/grade_import.py [--rows 1000000] [--sample 20000] [--profile cprofile|pyinstrument]

The rows: grades for PTA items of the leerjaar-3 cohort (2026) that have no result yet, school after
school (student number, item code, grade), as each school's examensecretaris would upload them: one CSV
per school in the long shape (leerlingnummer;toetscode;cijfer), split in files of at most 50,000 lines (the
largest upload the import takes).

Real path: `assessment.imports.import_results(by=<the school's examensecretaris>, upload=<CSV>,
dry_run=False)` per file: read and map the file, then `services.save_results`, the bulk form of
`save_result` (every row validated in memory with save_result's rules: grade, attempt and resit rule,
permission; results and their history written in bulk; the module outcomes recomputed through the engine
once per student and module; programme items and usage reports), all or nothing per file. `--sample` rows
go through it (the first schools' files; 0: all `--rows`); when that is fewer than `--rows`, the time for
`--rows` is extrapolated linearly and marked so.

Floor: the same rows inserted with the database's own bulk path: COPY on PostgreSQL, executemany on
SQLite, into the result table: for the sample (the ratio compares the same rows) and for all `--rows`. A
second figure (not the budget's floor): the same rows and a history row each, as every grade must have one,
inserted the same way, with the import's ratio to that.

Both run in transactions that are rolled back, so the benchmark can be repeated; afterwards the tables the
import wrote are VACUUMed (outside the measurement).
"""

from __future__ import annotations

import argparse
import random
from decimal import Decimal

from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection, transaction

import _setup  # noqa: F401
from _common import emit, profiled, ratio, timed, vacuum
from maatwerk.accounts.models import Membership, Role
from maatwerk.assessment.imports import import_results
from maatwerk.assessment.models import ModuleResult, PtaItem, Result
from maatwerk.bench.bulk import NOW, _sqlite_value
from maatwerk.bench.generate import CURRENT_YEAR
from maatwerk.schools.models import School
from maatwerk.students.models import ProgrammeItem, Student
from maatwerk.web.tabular import MAX_ROWS


def rows_to_import(limit: int, seed: int = 7) -> list[tuple[int, list[tuple]]]:
    """[(school id, [(student number, item code, grade text, student id, item id), ...]), ...]"""
    rng = random.Random(seed)
    out, total = [], 0
    for school in School.objects.order_by("pk"):
        if total >= limit:
            break
        students = list(Student.objects.filter(school=school, cohort=CURRENT_YEAR).order_by("pk")
                        .values_list("pk", "student_number", "leerweg"))
        items = list(PtaItem.objects.filter(pta__school=school, pta__cohort=CURRENT_YEAR).order_by("code")
                     .values_list("pk", "code"))
        done = set(Result.objects.filter(student__school=school, student__cohort=CURRENT_YEAR)
                   .values_list("student_id", "item_id"))
        rows = []
        for item_id, code in items:
            for student_id, number, _ in students:
                if total + len(rows) >= limit:
                    break
                if (student_id, item_id) not in done:
                    grade = f"{min(10.0, max(1.0, rng.gauss(6.8, 1.2))):.1f}".replace(".", ",")
                    rows.append((number, code, grade, student_id, item_id))
        total += len(rows)
        out.append((school.pk, rows))
    return out


def csv_of(rows) -> bytes:
    lines = ["leerlingnummer;toetscode;cijfer"] + [f"{n};{c};{g}" for n, c, g, _, _ in rows]
    return ("\n".join(lines) + "\n").encode("utf-8")


def _insert(model, columns: list[str], values: list[tuple]) -> None:
    """The database's own bulk insert: COPY on PostgreSQL, executemany on SQLite (in the caller's transaction)."""
    table = connection.ops.quote_name(model._meta.db_table)
    names = ", ".join(connection.ops.quote_name(model._meta.get_field(f).column) for f in columns)
    if connection.vendor == "postgresql":
        with connection.cursor() as cursor, cursor.cursor.copy(f"COPY {table} ({names}) FROM STDIN") as copy:
            for row in values:
                copy.write_row(row)
    else:
        marks = ", ".join(["%s"] * len(columns))
        with connection.cursor() as cursor:
            cursor.executemany(f"INSERT INTO {table} ({names}) VALUES ({marks})",  # noqa: S608 - quoted names
                               [tuple(_sqlite_value(v) for v in row) for row in values])


#: the result's columns both floors write (the assessor and its history user are left empty)
FIELDS = ["student_id", "item_id", "attempt", "grade", "qualification", "assessed_on", "rubric_scores", "comment",
          "version", "updated_at"]


def _values(rows) -> list[tuple]:
    day = NOW.date()
    return [(s, i, 1, Decimal(g.replace(",", ".")), "", day, "{}", "", 1, NOW) for _, _, g, s, i in rows]


def bulk_insert(rows) -> None:
    """The database's own bulk insert of the rows into the result table."""
    _insert(Result, FIELDS, _values(rows))


def bulk_insert_with_history(rows) -> None:
    """The rows and a history row for each, as the rules demand of every grade ('+', who, when): ids from the
    result table's sequence, then the database's own bulk insert into both tables."""
    with connection.cursor() as cursor:
        if connection.vendor == "postgresql":
            cursor.execute("SELECT nextval(pg_get_serial_sequence(%s, 'id')) FROM generate_series(1, %s)",
                           [Result._meta.db_table, len(rows)])
            ids = [r[0] for r in cursor.fetchall()]
        else:
            cursor.execute(f"SELECT COALESCE(MAX(id), 0) FROM {Result._meta.db_table}")  # noqa: S608 - a model's table
            first = cursor.fetchone()[0] + 1
            ids = range(first, first + len(rows))
    data = [(pk, *row) for pk, row in zip(ids, _values(rows), strict=True)]
    _insert(Result, ["id", *FIELDS], data)
    _insert(Result.history.model, ["id", *FIELDS, "history_date", "history_change_reason", "history_type",
                                   "history_user_id"], [(*row, NOW, "import", "+", None) for row in data])


def timed_bulk(rows, insert=bulk_insert):
    with transaction.atomic(), timed() as t:
        insert(rows)
        transaction.set_rollback(True)
    return t


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--rows", type=int, default=1_000_000)
    parser.add_argument("--sample", type=int, default=20_000, help="rows through the import path (0: all --rows)")
    parser.add_argument("--profile", choices=("cprofile", "pyinstrument"))
    args = parser.parse_args(argv)
    per_school = rows_to_import(args.rows)
    all_rows = [r for _, rows in per_school for r in rows]
    sample_n = len(all_rows) if not args.sample else min(args.sample, len(all_rows))
    sample_files, left = [], sample_n
    for school_id, rows in per_school:
        if left <= 0:
            break
        taken = rows[:left]
        for start in range(0, len(taken), MAX_ROWS):  # an upload holds at most MAX_ROWS lines: more files
            sample_files.append((school_id, taken[start:start + MAX_ROWS]))
        left -= len(taken)
    sample_rows = [r for _, rows in sample_files for r in rows]
    floor_all = timed_bulk(all_rows)
    floor_sample = timed_bulk(sample_rows)
    floor_history = timed_bulk(sample_rows, bulk_insert_with_history)
    vacuum(Result, Result.history.model)  # the floors' rolled-back rows, so the import does not read past them
    secretaries = dict(Membership.objects.filter(role=Role.EXAM_SECRETARY).values_list("school_id", "user"))
    from maatwerk.accounts.models import User

    users = User.objects.in_bulk(list(secretaries.values()))
    created = 0
    with profiled(args.profile, "grade import"), timed() as real, transaction.atomic():
        for school_id, rows in sample_files:
            upload = SimpleUploadedFile(f"cijfers-{school_id}.csv", csv_of(rows), content_type="text/csv")
            report = import_results(by=users[secretaries[school_id]], upload=upload, dry_run=False,
                                    filename=upload.name)
            if not report.ok:
                raise SystemExit(f"import refused: {report.file_error} {[e.as_dict() for e in report.errors[:5]]}")
            created += report.created
        transaction.set_rollback(True)
    vacuum(Result, Result.history.model, ModuleResult, ModuleResult.history.model, ProgrammeItem,
           ProgrammeItem.history.model)
    extrapolated = real.wall * len(all_rows) / max(1, len(sample_rows))
    print(f"grade import: {len(sample_rows):,} rows through import_results in {len(sample_files)} school file(s) "
          f"on {connection.vendor} ({created:,} results created, rolled back)")
    print(f"  real path  {real.wall:8.2f} s wall ({real.cpu:.2f} s CPU in Python) = {len(sample_rows) / real.wall:,.0f} "
          f"rows/s")
    print(f"  bulk floor {floor_sample.wall:8.3f} s for the same {len(sample_rows):,} rows; ratio "
          f"{ratio(real.wall, floor_sample.wall):.1f}x")
    print(f"  with history {floor_history.wall:6.3f} s: the same rows and a history row each; ratio "
          f"{ratio(real.wall, floor_history.wall):.1f}x")
    print(f"  bulk floor {floor_all.wall:8.3f} s for {len(all_rows):,} rows"
          + (f"; the import path would take ~{extrapolated:,.0f} s for them (extrapolated from the sample), "
             f"ratio ~{ratio(extrapolated, floor_all.wall):.0f}x" if len(sample_rows) < len(all_rows) else ""))
    emit("grade_import", rows=len(all_rows), sample_rows=len(sample_rows), files=len(sample_files),
         seconds=round(real.wall, 2), cpu_seconds=round(real.cpu, 2), per_second=round(len(sample_rows) / real.wall),
         floor_sample_seconds=round(floor_sample.wall, 3), floor_seconds=round(floor_all.wall, 3),
         ratio=round(ratio(real.wall, floor_sample.wall), 1), floor_history_seconds=round(floor_history.wall, 3),
         ratio_history=round(ratio(real.wall, floor_history.wall), 1),
         extrapolated_seconds=round(extrapolated, 1) if len(sample_rows) < len(all_rows) else None)


if __name__ == "__main__":
    main()
