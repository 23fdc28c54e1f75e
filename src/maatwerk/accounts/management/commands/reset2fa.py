from django.core.management.base import BaseCommand, CommandError
from django_otp.plugins.otp_static.models import StaticDevice
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatwerk.accounts.models import User


class Command(BaseCommand):
    help = ("Zet de tweestapsverificatie van een gebruiker terug (telefoon kwijt): bij de volgende login "
            "koppelt hij of zij een nieuwe authenticator-app.")

    def add_arguments(self, parser):
        parser.add_argument("email")

    def handle(self, *args, **options):
        try:
            user = User.objects.get(email__iexact=options["email"])
        except User.DoesNotExist as exc:
            raise CommandError(f"Geen gebruiker met e-mailadres {options['email']}.") from exc
        removed = TOTPDevice.objects.filter(user=user).delete()[0] + StaticDevice.objects.filter(user=user).delete()[0]
        self.stdout.write(self.style.SUCCESS(
            f"{removed} apparaat/apparaten van {user.email} verwijderd; bij de volgende login stelt "
            f"{user.get_short_name()} de app opnieuw in."
        ))
