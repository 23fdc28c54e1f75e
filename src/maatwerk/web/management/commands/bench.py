"""`maatwerk bench`: national-scale data for the benchmarks (issue 10; see bench/README.md).

    maatwerk bench generate --scale S [--seed N]   deterministic data at scale S (1 = national) into the
                                                   configured database, which must be migrated and hold no
                                                   schools; prints the time taken and the database size
    maatwerk bench info                            row counts of the main tables and the database size

A thin wrapper around `maatwerk.bench.generate` (importable from the installed package); the benchmarks
themselves are the scripts in the repository's bench/ folder (`make bench`, `bench/run_all.py`).
"""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError


class Command(BaseCommand):
    help = "Gegevens op landelijke schaal voor de benchmarks (zie bench/README.md)."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        gen = sub.add_parser("generate", help="Genereer gegevens op schaal S (1 = landelijk).")
        gen.add_argument("--scale", type=float, required=True, help="Schaal: 1 = 650 scholen, 400.000 leerlingen.")
        gen.add_argument("--seed", type=int, default=2025, help="Zaad van de toevalsgenerator (standaard 2025).")
        sub.add_parser("info", help="Aantallen rijen en de grootte van de database.")

    def handle(self, *args, **options):
        if options["action"] == "generate":
            from maatwerk.bench.generate import GenerateError, main_report

            try:
                main_report(options["scale"], options["seed"], out=self.stdout.write)
            except GenerateError as exc:
                raise CommandError(str(exc)) from exc
        else:
            from maatwerk.bench.bulk import database_size, human_bytes
            from maatwerk.bench.info import table_counts

            for label, n in table_counts():
                self.stdout.write(f"{label:40} {n:>12,}")
            self.stdout.write(f"database: {human_bytes(database_size())}")
