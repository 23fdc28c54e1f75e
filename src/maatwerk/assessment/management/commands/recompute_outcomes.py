"""`maatwerk recompute_outcomes [--school BRIN] [--dry-run]`: recompute every module outcome from the
results through the rules engine (after a regulation or PTA correction, or a restore), and let the
programme items and the menukaart's usage reports follow. Idempotent: unchanged outcomes write nothing."""

from __future__ import annotations

from django.core.management.base import BaseCommand, CommandError
from django.db import transaction

from maatwerk.assessment import services
from maatwerk.assessment.models import ModuleResult, PtaItem, Result
from maatwerk.students.models import Student


class Command(BaseCommand):
    help = "Bereken alle moduleresultaten opnieuw uit de resultaten (via de rekenregels)."

    def add_arguments(self, parser):
        parser.add_argument("--school", help="Alleen deze school (BRIN, bijv. 21KR).")
        parser.add_argument("--dry-run", action="store_true", help="Rekenen en tellen, niets opslaan.")

    def handle(self, *args, school=None, dry_run=False, **options):
        students = Student.objects.filter(pk__in=Result.objects.values("student_id")).select_related("school")
        if school:
            students = students.filter(school__brin=school.upper())
            if not students.exists():
                raise CommandError(f"Geen resultaten voor school {school}.")
        before = dict(ModuleResult.objects.filter(student__in=students).values_list("pk", "outcome"))
        with transaction.atomic():
            count = 0
            for student in students.order_by("school__brin", "student_number"):
                items = PtaItem.objects.filter(results__student=student).distinct().select_related("pta")
                services.recompute_outcomes(student=student, items=list(items), by=services.SYSTEM)
                count += 1
            after = dict(ModuleResult.objects.filter(student__in=students).values_list("pk", "outcome"))
            changed = sum(1 for pk, outcome in after.items() if before.get(pk) != outcome)
            if dry_run:
                transaction.set_rollback(True)
        self.stdout.write(f"{count} leerlingen, {len(after)} moduleresultaten, {changed} met een andere uitkomst"
                          f"{' (proef: niets opgeslagen)' if dry_run else ''}.")
