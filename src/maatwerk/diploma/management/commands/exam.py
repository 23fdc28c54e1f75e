"""`maatwerk exam`: exam decisions, module credentials and the ROD export from the command line.

    maatwerk exam decide --school 21KR --school-year 2025 [--dry-run] [--verbose]
    maatwerk exam decide --all --school-year 2025 [--workers 2] [--dry-run]
    maatwerk exam credentials --school 21KR
    maatwerk exam export --school 21KR --school-year 2025 [--all] [-o uitslagen.csv]

`decide` runs the engine's decide_exam for every candidate of the school and exam year under their
cohort's regulation (as the examensecretaris's page does) and prints the outcome, the time and the number
of database queries. `decide --all` does that for every school (the national run at the end of May),
each school in its own transaction, the schools spread over `--workers` processes (on PostgreSQL by
default one per core; on SQLite one, as SQLite has one writer): the runs of two schools share no rows.
The command line is the operator's: it needs no login, and it writes the same history as the page
(computed_by empty).
"""

from __future__ import annotations

import os
import time
from collections import Counter

from django.core.management.base import BaseCommand, CommandError
from django.db import connection, connections
from django.test.utils import CaptureQueriesContext

from maatwerk.domain import school_year_label


class Command(BaseCommand):
    help = "Examenuitslagen berekenen, modulecertificaten uitgeven en de uitslagen voor ROD exporteren."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        decide = sub.add_parser("decide", help="Bereken de uitslag van alle kandidaten van een school en examenjaar.")
        decide.add_argument("--school", help="BRIN van de school, bijv. 21KR.")
        decide.add_argument("--all", action="store_true", help="Alle scholen (de landelijke run), elke school in een "
                                                               "eigen transactie.")
        decide.add_argument("--workers", type=int, default=None,
                            help="Met --all: processen naast elkaar (standaard: het aantal kernen op PostgreSQL, "
                                 "1 op SQLite).")
        decide.add_argument("--school-year", required=True, type=int, help="Examenjaar: 2025 is 2025-2026.")
        decide.add_argument("--dry-run", action="store_true", help="Alleen berekenen, niets opslaan.")
        decide.add_argument("--verbose", action="store_true", help="Een regel per kandidaat.")
        cred = sub.add_parser("credentials", help="Geef modulecertificaten (Open Badges 3.0) uit voor behaalde modulen.")
        cred.add_argument("--school", required=True)
        grades = sub.add_parser("import-grades", help="Lees de vakcijfers (SE, CE, beoordeling) van de algemene vakken "
                                                      "in uit de leerlingadministratie: alles of niets.")
        grades.add_argument("--school", required=True)
        grades.add_argument("--school-year", required=True, type=int, help="Examenjaar: 2025 is 2025-2026.")
        grades.add_argument("file", help="CSV (; of ,) of XLSX: leerlingnummer, vakcode, se, ce, beoordeling, "
                                         "soort, niveau, extra vak, deel.")
        grades.add_argument("--dry-run", action="store_true", help="Alleen controleren, niets opslaan.")
        export = sub.add_parser("export", help="Exporteer de vastgestelde uitslagen als CSV voor ROD.")
        export.add_argument("--school", required=True)
        export.add_argument("--school-year", required=True, type=int)
        export.add_argument("--all", action="store_true", help="Ook berekende (nog niet vastgestelde) uitslagen.")
        export.add_argument("-o", "--output", default="-", help="Bestand (standaard: stdout).")

    def handle(self, *args, **options):
        from maatwerk.schools.models import School

        if options["action"] == "decide" and options.get("all"):
            if options.get("school"):
                raise CommandError("Kies --school of --all, niet allebei.")
            return self._decide_all(options)
        if not options.get("school"):
            raise CommandError("Geef de school: --school BRIN" + (" (of --all)." if options["action"] == "decide"
                                                                  else "."))
        school = School.objects.filter(brin__iexact=options["school"]).first()
        if school is None:
            raise CommandError(f"Onbekende school (BRIN) {options['school']!r}.")
        return getattr(self, f"_{options['action'].replace('-', '_')}")(school, options)

    def _decide(self, school, options):
        from maatwerk.diploma.services import run_decisions

        year = options["school_year"]
        started = time.perf_counter()
        with CaptureQueriesContext(connection) as queries:
            report = run_decisions(by=None, school=school, school_year=year, dry_run=options["dry_run"])
        seconds = time.perf_counter() - started
        if options["verbose"]:
            for line in report.lines:
                d = line.decision
                what = line.error or (f"{d.get_outcome_display()}{' (nieuw)' if line.changed else ''}"
                                      + "".join(f"\n      {f['code']}: {f['message']}" for f in d.findings
                                                if f["severity"] == "error"))
                self.stdout.write(f"  {line.student.student_number} {line.student.full_name} ({line.student.leerweg}): "
                                  f"{what}")
        self.stdout.write(f"{school.name} ({school.brin}), examenjaar {school_year_label(year)}: {report.summary()}")
        self.stdout.write(f"tijd {seconds:.2f} s, {len(queries)} databasequeries")
        return None

    def _decide_all(self, options):
        from maatwerk.schools.models import School

        year = options["school_year"]
        schools = list(School.objects.order_by("pk").values_list("pk", flat=True))
        workers = options["workers"] or (min(os.cpu_count() or 1, 8) if connection.vendor == "postgresql" else 1)
        workers = max(1, min(workers, len(schools) or 1))
        started = time.perf_counter()
        totals: Counter = Counter()
        for school_id, counts, error in decide_schools(schools, year, dry_run=options["dry_run"], workers=workers):
            totals.update(counts)
            if error:
                totals["schools_failed"] += 1
                self.stderr.write(f"school {school_id}: {error}")
            elif options["verbose"]:
                self.stdout.write(f"  school {school_id}: {counts['candidates']} kandidaten, {counts['created']} nieuw "
                                  f"besluit")
        seconds = time.perf_counter() - started
        self.stdout.write(
            f"{len(schools)} scholen, examenjaar {school_year_label(year)}: {totals['candidates']} kandidaten: "
            f"{totals['PASSED']} geslaagd, {totals['FAILED']} afgewezen, {totals['INCOMPLETE']} nog niet compleet; "
            f"{totals['created']} nieuw besluit, {totals['unchanged']} ongewijzigd"
            + (f", {totals['errors']} niet te beslissen" if totals["errors"] else "")
            + (" (proefberekening: niets opgeslagen)" if options["dry_run"] else ""))
        self.stdout.write(f"tijd {seconds:.2f} s met {workers} proces{'sen' if workers > 1 else ''}")
        if totals["schools_failed"]:
            raise CommandError(f"{totals['schools_failed']} scholen niet berekend (zie hierboven); de andere wel.")
        return None

    def _credentials(self, school, options):
        from maatwerk.diploma.services import issue_credentials

        report = issue_credentials(by=None, school=school)
        self.stdout.write(f"{school.name} ({school.brin}): {report.summary()}")

    def _import_grades(self, school, options):
        from pathlib import Path

        from maatwerk.assessment.services import SYSTEM
        from maatwerk.assessment.subject_imports import TableError, import_subject_grades

        path = Path(options["file"])
        if not path.is_file():
            raise CommandError(f"Bestand {path} bestaat niet.")
        try:
            report = import_subject_grades(by=SYSTEM, school=school, school_year=options["school_year"],
                                           upload=path, dry_run=options["dry_run"])
        except TableError as exc:
            raise CommandError(exc.nl) from None
        for error in report.errors:
            self.stdout.write(f"regel {error.line}: {error.message}")
        self.stdout.write(f"{school.name} ({school.brin}), examen {school_year_label(options['school_year'])}: "
                          f"{report.summary()}")
        if report.errors:
            raise CommandError("Er is niets opgeslagen.")

    def _export(self, school, options):
        from maatwerk.diploma.export import write_rod_csv

        if options["output"] == "-":
            count = write_rod_csv(self.stdout, school=school, school_year=options["school_year"],
                                  include_drafts=options["all"])
        else:
            with open(options["output"], "w", newline="", encoding="utf-8") as fh:
                count = write_rod_csv(fh, school=school, school_year=options["school_year"],
                                      include_drafts=options["all"])
        self.stderr.write(f"{count} regels geschreven.")


def _decide_school(args) -> tuple[int, Counter, str]:
    """One school's run_decisions in its own transaction (run_decisions is atomic): the counts or the error."""
    from maatwerk.diploma.services import DiplomaError, run_decisions
    from maatwerk.schools.models import School

    school_id, year, dry_run = args
    try:
        report = run_decisions(by=None, school=School.objects.get(pk=school_id), school_year=year, dry_run=dry_run)
    except DiplomaError as exc:
        return school_id, Counter(), exc.nl
    counts = Counter(report.outcomes)
    counts.update(candidates=len(report.lines), created=len(report.created), unchanged=len(report.unchanged),
                  errors=len(report.errors))
    return school_id, counts, ""


def _worker_start() -> None:
    connections.close_all()  # never share the parent's connection: each process opens its own


def decide_schools(school_ids, year: int, *, dry_run: bool = False, workers: int = 1):
    """Yield (school id, counts, error) for every school, the schools spread over `workers` processes (the
    largest first, so no process is left with a large school at the end)."""
    from django.db.models import Count

    from maatwerk.students.models import Student

    sizes = dict(Student.objects.filter(school_id__in=school_ids, cohort=year - 1).values_list("school_id")
                 .annotate(n=Count("pk")).order_by())
    tasks = [(pk, year, dry_run) for pk in sorted(school_ids, key=lambda pk: -sizes.get(pk, 0))]
    if workers <= 1:
        yield from map(_decide_school, tasks)
        return
    import multiprocessing

    connections.close_all()  # before fork: the children must not inherit an open connection
    with multiprocessing.get_context("fork").Pool(workers, initializer=_worker_start) as pool:
        yield from pool.imap_unordered(_decide_school, tasks)
