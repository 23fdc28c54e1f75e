"""`maatwerk catalog <subcommand>`: the menukaart on the command line.

  import-stock [--valid-from YEAR]        the starting stock from fixtures/ (idempotent)
  stats                                   counts: modules by type/profiel/status, versions, proposals, usage
  lifecycle --date YYYY-MM-DD [--dry-run] due reviews, overdue updates, removals (idempotent)
  import-usage FILE [--dry-run]           usage counts from CSV (; or ,; UTF-8 or Windows-1252), all or nothing
  export-case FILE                        the whole menukaart plus the kern as a CASE 1.1 package (JSON)
  import-case FILE                        such a package into a database without modules
  time-search [--repeat N] [QUERY ...]    how long menukaart searches take on this database
"""

from __future__ import annotations

import datetime as dt
import json
import statistics
import time
from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maatwerk.catalog import case, services
from maatwerk.catalog.models import ModuleType, ProposalStatus, VersionStatus


class Command(BaseCommand):
    help = "De menukaart: import-stock, stats, lifecycle, import-usage, export-case, import-case, time-search."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        p = sub.add_parser("import-stock", help="Importeer de startvoorraad (profielmodulen en keuzevakken).")
        p.add_argument("--valid-from", type=int, default=None,
                       help="Schooljaar waarin de modulen op de menukaart komen (standaard: dit schooljaar).")
        sub.add_parser("stats", help="Tellingen van de menukaart.")
        p = sub.add_parser("lifecycle", help="Reviews, bijstellingen en schrappen op een peildatum.")
        p.add_argument("--date", required=True, help="Peildatum JJJJ-MM-DD.")
        p.add_argument("--dry-run", action="store_true", help="Laat zien wat er zou gebeuren; verandert niets.")
        p = sub.add_parser("import-usage", help="Gebruiksmeldingen uit een CSV-bestand.")
        p.add_argument("file")
        p.add_argument("--dry-run", action="store_true")
        p = sub.add_parser("export-case", help="Exporteer menukaart en kern als CASE 1.1-pakket.")
        p.add_argument("file")
        p = sub.add_parser("import-case", help="Importeer een CASE-pakket in een lege menukaart.")
        p.add_argument("file")
        p = sub.add_parser("time-search", help="Meet zoektijden op deze database.")
        p.add_argument("--repeat", type=int, default=20)
        p.add_argument("queries", nargs="*")

    def handle(self, *args, **options):
        getattr(self, "do_" + options["subcommand"].replace("-", "_"))(options)

    def do_import_stock(self, options):
        result = services.import_stock(valid_from=options["valid_from"])
        self.stdout.write(f"{result.rows} regels gelezen: {len(result.created)} modulen gemaakt en gepubliceerd, "
                          f"{len(result.existing)} bestonden al; {result.qualifications} mbo-kwalificaties.")

    def do_stats(self, options):
        c = services.catalog_counts()
        w = self.stdout.write
        w(f"Modulen: {c['modules']} (met een gepubliceerde versie: {c['modules_with_published_version']}, "
          f"van de menukaart: {c['retired']})")
        w("  naar soort: " + ", ".join(f"{ModuleType(k).label} {v}" for k, v in sorted(c["by_type"].items())))
        w("  naar herkomst: " + ", ".join(f"{k or 'nieuw'} {v}" for k, v in sorted(c["by_legacy"].items())))
        w("  naar profiel: " + ", ".join(f"{k} {v}" for k, v in sorted(c["by_profiel"].items())))
        w(f"Versies: {c['versions']} (" + ", ".join(f"{VersionStatus(k).label} {v}"
                                                    for k, v in sorted(c["by_status"].items())) + ")")
        w("Voorstellen: " + (", ".join(f"{ProposalStatus(k).label} {v}" for k, v in sorted(c["proposals"].items()))
                             or "geen"))
        w(f"Reviews: {c['reviews']}")
        years = c["usage_years"]
        span = f", schooljaren {years[0]}-{years[1] + 1}" if years[0] is not None else ""
        w(f"Gebruiksmeldingen: {c['usage_reports']} ({c['usage_exams']} examens{span})")
        w(f"Mbo-kwalificaties: {c['mbo_qualifications']}")

    def do_lifecycle(self, options):
        try:
            on = dt.date.fromisoformat(options["date"])
        except ValueError as exc:
            raise CommandError("Geef de datum als JJJJ-MM-DD, bijvoorbeeld 2026-08-01.") from exc
        result = services.run_lifecycle(on=on, dry_run=options["dry_run"])
        for line in result.lines():
            self.stdout.write(line)
        if result.run is not None:
            self.stdout.write(f"Vastgelegd als levenscyclusrun {result.run.pk}.")

    def do_import_usage(self, options):
        result = services.import_usage_csv(by=services.SYSTEM, data=self._read(options["file"]),
                                           dry_run=options["dry_run"])
        for line, message in result.errors:
            self.stderr.write(f"regel {line}: {message}")
        if result.errors:
            raise CommandError(f"{len(result.errors)} fout(en): er is niets ingelezen.")
        if result.dry_run:
            self.stdout.write(f"Proefdraai: {result.rows} regels zijn in orde; er is niets ingelezen.")
        else:
            self.stdout.write(f"{result.rows} regels ingelezen: {result.created} nieuw, {result.updated} bijgewerkt.")

    def do_export_case(self, options):
        package = case.export_package()
        problems = case.check_package(package)
        if problems:  # pragma: no cover - export_package makes valid packages
            raise CommandError("; ".join(problems))
        Path(options["file"]).write_text(case.dumps(package), encoding="utf-8")
        self.stdout.write(f"{len(package['CFItems'])} CFItems en {len(package['CFAssociations'])} CFAssociations "
                          f"geschreven naar {options['file']}.")

    def do_import_case(self, options):
        try:
            package = json.loads(self._read(options["file"]).decode("utf-8-sig"))
        except (UnicodeDecodeError, json.JSONDecodeError) as exc:
            raise CommandError(f"Geen geldig JSON-bestand: {exc}") from exc
        try:
            counts = case.import_package(package)
        except case.CaseError as exc:
            for problem in exc.problems:
                self.stderr.write(f"- {problem}")
            raise CommandError("Het pakket is niet ingelezen; er is niets veranderd.") from exc
        self.stdout.write("Ingelezen: " + ", ".join(f"{k} {v}" for k, v in sorted(counts.items())) + ".")

    def do_time_search(self, options):
        from django.contrib.auth.models import AnonymousUser

        from maatwerk.catalog.selectors import PAGE_SIZE, CatalogFilters, catalog_versions

        queries = options["queries"] or ["zorg", "metselwerk", "geuniformeerde", "ZW-KV", "camera opname",
                                         "duurzaam", "xyzzy"]
        total = catalog_versions(AnonymousUser(), CatalogFilters(status="all")).count()
        self.stdout.write(f"{total} modulen; {options['repeat']} herhalingen per zoekvraag (aantal + eerste pagina).")
        for q in queries:
            times = []
            for _ in range(options["repeat"]):
                start = time.perf_counter()
                qs = catalog_versions(AnonymousUser(), CatalogFilters(q=q))
                count = qs.count()
                list(qs[:PAGE_SIZE])
                times.append((time.perf_counter() - start) * 1000)
            self.stdout.write(f"  {q!r:24} {count:6} treffers  mediaan {statistics.median(times):7.1f} ms  "
                              f"max {max(times):7.1f} ms")

    @staticmethod
    def _read(name: str) -> bytes:
        try:
            return Path(name).read_bytes()
        except OSError as exc:
            raise CommandError(f"Kan {name} niet lezen: {exc.strerror}.") from exc
