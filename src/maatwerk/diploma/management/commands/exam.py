"""`maatwerk exam`: exam decisions, module credentials and the ROD export from the command line.

    maatwerk exam decide --school 21KR --school-year 2025 [--dry-run] [--verbose]
    maatwerk exam credentials --school 21KR
    maatwerk exam export --school 21KR --school-year 2025 [--all] [-o uitslagen.csv]

`decide` runs the engine's decide_exam for every candidate of the school and exam year under their
cohort's regulation (as the examensecretaris's page does) and prints the outcome, the time and the number
of database queries. The command line is the operator's: it needs no login, and it writes the same
history as the page (computed_by empty).
"""

from __future__ import annotations

import time

from django.core.management.base import BaseCommand, CommandError
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maatwerk.domain import school_year_label


class Command(BaseCommand):
    help = "Examenuitslagen berekenen, modulecertificaten uitgeven en de uitslagen voor ROD exporteren."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        decide = sub.add_parser("decide", help="Bereken de uitslag van alle kandidaten van een school en examenjaar.")
        decide.add_argument("--school", required=True, help="BRIN van de school, bijv. 21KR.")
        decide.add_argument("--school-year", required=True, type=int, help="Examenjaar: 2025 is 2025-2026.")
        decide.add_argument("--dry-run", action="store_true", help="Alleen berekenen, niets opslaan.")
        decide.add_argument("--verbose", action="store_true", help="Een regel per kandidaat.")
        cred = sub.add_parser("credentials", help="Geef modulecertificaten (Open Badges 3.0) uit voor behaalde modulen.")
        cred.add_argument("--school", required=True)
        export = sub.add_parser("export", help="Exporteer de vastgestelde uitslagen als CSV voor ROD.")
        export.add_argument("--school", required=True)
        export.add_argument("--school-year", required=True, type=int)
        export.add_argument("--all", action="store_true", help="Ook berekende (nog niet vastgestelde) uitslagen.")
        export.add_argument("-o", "--output", default="-", help="Bestand (standaard: stdout).")

    def handle(self, *args, **options):
        from maatwerk.schools.models import School

        school = School.objects.filter(brin__iexact=options["school"]).first()
        if school is None:
            raise CommandError(f"Onbekende school (BRIN) {options['school']!r}.")
        return getattr(self, f"_{options['action']}")(school, options)

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

    def _credentials(self, school, options):
        from maatwerk.diploma.services import issue_credentials

        report = issue_credentials(by=None, school=school)
        self.stdout.write(f"{school.name} ({school.brin}): {report.summary()}")

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
