from django.core.management.base import BaseCommand

from maatwerk.web.demo import DEMO_PASSWORD, load_all


class Command(BaseCommand):
    help = "Laad de demo-gegevens in de ingestelde database (idempotent; start geen server)."

    def add_arguments(self, parser):
        parser.add_argument("--school-year", type=int, default=None,
                            help="Huidig schooljaar voor de demo (2026 = 2026-2027); standaard vandaag.")

    def handle(self, *args, **options):
        self.stdout.write("Demo-gegevens laden ...")
        load_all(stdout=self.stdout, school_year=options["school_year"])
        self.stdout.write(self.style.SUCCESS(f"Klaar. Alle demo-accounts hebben het wachtwoord '{DEMO_PASSWORD}'."))
