"""`maatwerk schools <subcommand>`: a school's offering on the command line (for an administrator who
scripts the yearly import). Every write goes through the same services as the pages, as the user
given with --as (who needs the permission, like on the page).

  import KIND FILE --school BRIN --as EMAIL [--apply] [--school-year YEAR]
        KIND is aanbod, leerlingen, medewerkers or lesgroepen; without --apply only a dry run.
        Exit code 0 when the file is fine (and imported with --apply), 2 when a row is bad.
  export KIND FILE --school BRIN --as EMAIL [--school-year YEAR]     CSV or XLSX by the file's extension
  packages --school BRIN [--school-year YEAR]                        which leerwegen can complete each package
"""

from __future__ import annotations

import sys
from pathlib import Path

from django.contrib.auth import get_user_model
from django.core.exceptions import PermissionDenied
from django.core.management.base import BaseCommand, CommandError

from maatwerk.domain import school_year_label
from maatwerk.schools import imports, selectors
from maatwerk.schools.models import Package, School
from maatwerk.web.tabular import write_csv, write_xlsx


class Command(BaseCommand):
    help = "Het aanbod van een school: import, export, packages."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="subcommand", required=True)
        for name in ("import", "export"):
            p = sub.add_parser(name)
            p.add_argument("kind", choices=sorted(imports.IMPORTERS))
            p.add_argument("file")
            p.add_argument("--school", required=True, help="BRIN van de school, bijv. 21KR.")
            p.add_argument("--as", dest="as_user", required=True, help="E-mailadres van de medewerker.")
            p.add_argument("--school-year", type=int, default=None)
            if name == "import":
                p.add_argument("--apply", action="store_true", help="Echt importeren (anders alleen controleren).")
        p = sub.add_parser("packages")
        p.add_argument("--school", required=True)
        p.add_argument("--school-year", type=int, default=None)

    def handle(self, *args, **options):
        school = School.objects.filter(brin=options["school"].upper()).first()
        if school is None:
            raise CommandError(f"Onbekende school {options['school']!r}.")
        if options["subcommand"] == "packages":
            return self._packages(school, options["school_year"])
        user = get_user_model().objects.filter(email__iexact=options["as_user"]).first()
        if user is None:
            raise CommandError(f"Onbekende gebruiker {options['as_user']!r}.")
        try:
            if options["subcommand"] == "import":
                return self._import(school, user, options)
            return self._export(school, user, options)
        except PermissionDenied as exc:
            raise CommandError(f"{user.email} mag dit niet bij {school.name}.") from exc

    def _import(self, school, user, options):
        path = Path(options["file"])
        if not path.exists():
            raise CommandError(f"{path} bestaat niet.")
        with path.open("rb") as fh:
            report = imports.run_import(options["kind"], fh, school=school, by=user, dry_run=not options["apply"],
                                        filename=path.name, school_year=options["school_year"])
        for error in report.errors:
            self.stderr.write(f"regel {error.line}: {error.message}")
        state = "geïmporteerd" if report.applied else ("in orde (proefimport)" if report.ok else "NIET geïmporteerd")
        self.stdout.write(f"{report.rows} regels: {report.created} nieuw, {report.updated} bijgewerkt, "
                          f"{report.unchanged} ongewijzigd; {len(report.errors)} fout(en); {state}.")
        if not report.ok:
            sys.exit(2)

    def _export(self, school, user, options):
        path = Path(options["file"])
        headers, rows = imports.export_rows(options["kind"], school=school, by=user,
                                            school_year=options["school_year"])
        body = write_xlsx(headers, rows, title=options["kind"]) if path.suffix.lower() == ".xlsx" \
            else write_csv(headers, rows)
        path.write_bytes(body)
        self.stdout.write(f"{len(rows)} regels naar {path}.")

    def _packages(self, school, year):
        qs = Package.objects.filter(school=school).prefetch_related(
            "package_modules__module__current_version__profielen",
            "package_modules__module__current_version__mbo_qualifications").select_related("school")
        if year:
            qs = qs.filter(school_year=year)
        packages = list(qs.order_by("school_year", "name"))
        for y in sorted({p.school_year for p in packages}):
            group = [p for p in packages if p.school_year == y]
            checks = selectors.package_checks(group, school)
            self.stdout.write(school_year_label(y))
            for p in group:
                check = checks[p.pk]
                marks = " ".join(f"{lw}{'+' if v.ok else '-'}" for lw, v in check.verdicts.items())
                self.stdout.write(f"  {p.name} ({p.get_kind_display()}, {p.package_modules.count()} modulen): {marks}")
