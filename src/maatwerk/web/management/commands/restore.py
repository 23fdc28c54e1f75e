from pathlib import Path

from django.core.management.base import BaseCommand, CommandError

from maatwerk.web.backup import BackupError, read_manifest, restore_backup


class Command(BaseCommand):
    help = "Zet een back-up terug: vervangt de database en de geüploade bestanden."

    def add_arguments(self, parser):
        parser.add_argument("archive", help="Het back-upbestand (.tar.gz) van `maatwerk backup`.")
        parser.add_argument("--yes", action="store_true", help="Niet om bevestiging vragen.")

    def handle(self, *args, **options):
        archive = Path(options["archive"])
        try:
            manifest = read_manifest(archive)
        except Exception as exc:  # noqa: BLE001 - any unreadable file gets one clear message
            raise CommandError(f"Dit is geen leesbare Maatwerk-back-up: {archive}") from exc
        if not options["yes"]:
            answer = input(
                f"Back-up van {manifest['created_at']} ({manifest['engine']}) terugzetten? "
                "ALLE huidige gegevens worden vervangen. Typ 'ja': "
            )
            if answer.strip().lower() != "ja":
                raise CommandError("Afgebroken: er is niets veranderd.")
        try:
            restore_backup(archive)
        except BackupError as exc:
            raise CommandError(str(exc)) from exc
        self.stdout.write(self.style.SUCCESS("Back-up teruggezet."))
