from pathlib import Path

from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maatwerk.web.backup import BackupError, create_backup


class Command(BaseCommand):
    help = "Maak een back-up van de database en de geüploade bestanden (SQLite of PostgreSQL)."

    def add_arguments(self, parser):
        parser.add_argument("--output", "-o", default=None,
                            help="Bestand of map voor de back-up (standaard var/backups/).")

    def handle(self, *args, **options):
        target = Path(options["output"] or Path(settings.VAR_DIR) / "backups")
        try:
            path = create_backup(target)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS(f"Back-up gemaakt: {path} ({path.stat().st_size // 1024} kB)"))
