from django.core.management import call_command
from django.core.management.base import BaseCommand

from maatwerk.web.demo import DEMO_PASSWORD, DEMO_TOTP_KEY_BASE32

DEMO_LOGINS = [
    ("landelijk beheerder", "beheerder@maatwerk.demo"),
    ("indiener (Platform BWI)", "indiener@platform-bwi.demo"),
    ("schoolleider", "schoolleider@hetbaken.demo"),
    ("examensecretaris", "examensecretaris@hetbaken.demo"),
    ("decaan", "decaan@hetbaken.demo"),
    ("mentor", "mentor@hetbaken.demo"),
    ("docent", "docent@hetbaken.demo"),
    ("externe beoordelaar", "beoordelaar@hetbaken.demo"),
    ("leerling", "leerling@hetbaken.demo"),
    ("ouder", "ouder@hetbaken.demo"),
    ("schoolleider vakschool", "schoolleider@vakschoolmaasstad.demo"),
]


class Command(BaseCommand):
    help = "Migreer de database, laad de demo-gegevens en start Maatwerk op http://127.0.0.1:8000."

    def add_arguments(self, parser):
        parser.add_argument("--addrport", default="127.0.0.1:8000")
        parser.add_argument("--no-serve", action="store_true", help="Alleen migreren en laden.")

    def handle(self, *args, **options):
        call_command("migrate", interactive=False, verbosity=0)
        self.stdout.write("Database gemigreerd.")
        call_command("loaddemo", stdout=self.stdout)
        self.stdout.write("")
        self.stdout.write(self.style.SUCCESS(f"Maatwerk draait op http://{options['addrport']}/"))
        self.stdout.write(f"Demo-accounts (wachtwoord voor allemaal: {DEMO_PASSWORD}):")
        for role, email in DEMO_LOGINS:
            self.stdout.write(f"  {role:<28} {email}")
        self.stdout.write(
            f"Medewerkers loggen in met een tweede stap: voeg de sleutel {DEMO_TOTP_KEY_BASE32} toe aan een "
            "authenticator-app, of vraag de huidige code op met `maatwerk democode`."
        )
        self.stdout.write("")
        if not options["no_serve"]:
            call_command("runserver", options["addrport"], use_reloader=False)
