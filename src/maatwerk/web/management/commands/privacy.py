"""`maatwerk privacy export STUDENT_ID [-o FILE]` and `maatwerk privacy retention [--date] [--dry-run]`."""

import datetime as dt
import json

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maatwerk.web.privacy import anonymise_student, collect_student_data, retention_due


class Command(BaseCommand):
    help = "AVG: alle gegevens van een leerling uitvoeren, of leerlingen na de bewaartermijn anonimiseren."

    def add_arguments(self, parser):
        sub = parser.add_subparsers(dest="action", required=True)
        export = sub.add_parser("export", help="Alle gegevens van één leerling als JSON.")
        export.add_argument("student_id", type=int)
        export.add_argument("-o", "--output", default=None)
        retention = sub.add_parser("retention", help="Anonimiseer leerlingen van wie de bewaartermijn voorbij is.")
        retention.add_argument("--date", default=None, help="Peildatum JJJJ-MM-DD (standaard vandaag).")
        retention.add_argument("--dry-run", action="store_true", help="Alleen tonen, niets veranderen.")

    def handle(self, *args, **options):
        if options["action"] == "export":
            from maatwerk.students.models import Student

            try:
                student = Student.objects.get(pk=options["student_id"])
            except Student.DoesNotExist as exc:
                raise CommandError(f"Geen leerling met id {options['student_id']}.") from exc
            text = json.dumps(collect_student_data(student), ensure_ascii=False, indent=2)
            if options["output"]:
                with open(options["output"], "w", encoding="utf-8") as fh:
                    fh.write(text)
                self.stdout.write(f"Geschreven: {options['output']}")
            else:
                self.stdout.write(text)
            return
        try:
            on = dt.date.fromisoformat(options["date"]) if options["date"] else dt.date.today()
        except ValueError as exc:
            raise CommandError("Gebruik een datum als JJJJ-MM-DD.") from exc
        years = settings.MAATWERK.get("RETENTION_YEARS_AFTER_LEAVING", 2)
        due = list(retention_due(on).select_related("school"))
        self.stdout.write(f"Bewaartermijn: {years} jaar na uitschrijving; peildatum {on.isoformat()}; "
                          f"{len(due)} leerling(en) te anonimiseren.")
        for student in due:
            if options["dry_run"]:
                self.stdout.write(f"  zou anonimiseren: {student.pk} ({student.school.brin}, uitgeschreven "
                                  f"{student.left_on:%d-%m-%Y})")
            else:
                counts = anonymise_student(student)
                detail = ", ".join(f"{v} {k}" for k, v in counts.items() if v)
                self.stdout.write(f"  geanonimiseerd: {student.pk} ({student.school.brin}) {detail}")
        if options["dry_run"]:
            self.stdout.write("Proefdraai: er is niets veranderd.")
