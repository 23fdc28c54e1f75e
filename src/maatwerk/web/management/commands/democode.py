from django.conf import settings
from django.core.management.base import BaseCommand, CommandError

from maatwerk.web.demo import DEMO_TOTP_KEY_BASE32, demo_totp_code


class Command(BaseCommand):
    help = "Toon de huidige tweestapscode van de demo-accounts (alleen met DEBUG=1)."

    def handle(self, *args, **options):
        if not settings.DEBUG:
            raise CommandError("Alleen beschikbaar in een demo-omgeving (DEBUG=1).")
        self.stdout.write(demo_totp_code())
        self.stderr.write(f"(geheime sleutel voor een authenticator-app: {DEMO_TOTP_KEY_BASE32})")
