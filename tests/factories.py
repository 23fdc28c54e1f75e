"""factory_boy factories for the tests."""

from __future__ import annotations

import factory

from maatwerk.accounts.models import Membership, Platform, Role, User
from maatwerk.domain import Leerweg
from maatwerk.schools.models import Partner, School, SchoolLocation
from maatwerk.students.models import Student


class UserFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = User
        django_get_or_create = ("email",)

    email = factory.Sequence(lambda n: f"user{n}@test.example")
    first_name = factory.Iterator(["Sanne", "Daan", "Fatima", "Yusuf", "Lotte"])
    last_name = factory.Iterator(["Jansen", "Bakker", "El Amrani", "Kaya", "Visser"])
    password = factory.django.Password("geheim-wachtwoord-1")


class PlatformFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Platform
        django_get_or_create = ("code",)

    code = factory.Sequence(lambda n: f"platform{n}")
    name = factory.LazyAttribute(lambda o: f"Platform {o.code.upper()}")


def _brin(n: int) -> str:
    letters = "ABCDEFGHJKLMNPRSTVWXZ"
    return f"{n % 100:02d}{letters[(n // 100) % len(letters)]}{letters[n % len(letters)]}"


class SchoolFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = School
        django_get_or_create = ("brin",)

    brin = factory.Sequence(lambda n: _brin(n + 10))
    name = factory.Sequence(lambda n: f"Testschool {n}")
    city = "Utrecht"


class LocationFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = SchoolLocation

    school = factory.SubFactory(SchoolFactory)
    number = factory.Sequence(lambda n: f"{n % 100:02d}")
    name = factory.LazyAttribute(lambda o: f"{o.school.name} vestiging {o.number}")


class PartnerFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Partner

    school = factory.SubFactory(SchoolFactory)
    name = factory.Sequence(lambda n: f"Partnerbedrijf {n}")
    offers_assessment = True


class StudentFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Student

    school = factory.SubFactory(SchoolFactory)
    student_number = factory.Sequence(lambda n: f"{100000 + n}")
    first_name = factory.Iterator(["Noah", "Emma", "Bilal", "Aylin", "Sem"])
    last_name = factory.Iterator(["de Vries", "Smit", "Öztürk", "Nguyen", "Bos"])
    leerweg = Leerweg.KB
    year_level = 3
    cohort = 2025


class MembershipFactory(factory.django.DjangoModelFactory):
    class Meta:
        model = Membership

    user = factory.SubFactory(UserFactory)
    role = Role.TEACHER
    school = factory.SubFactory(SchoolFactory)


def member(role: str, *, school=None, student=None, platform=None, partner=None, user=None) -> User:
    """A user with one membership of `role` (and the organisation that role needs)."""
    user = user or UserFactory()
    Membership.objects.create(user=user, role=role, school=school, student=student, platform=platform,
                              partner=partner)
    return user
