"""`maatwerk loaddemo` loads realistic demo data, idempotently."""

from __future__ import annotations

import io

import pytest
from django.core.management import call_command

from maatwerk.accounts.models import Membership, Role, User
from maatwerk.domain import Leerweg
from maatwerk.schools.models import School
from maatwerk.students.models import Student


@pytest.mark.django_db
def test_loaddemo_is_idempotent_and_complete(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("loaddemo", stdout=io.StringIO())
    counts = (User.objects.count(), Membership.objects.count(), Student.objects.count(), School.objects.count())
    call_command("loaddemo", stdout=io.StringIO())
    assert (User.objects.count(), Membership.objects.count(), Student.objects.count(),
            School.objects.count()) == counts
    assert Student.objects.count() == 200
    assert {s.is_vakschool for s in School.objects.all()} == {True, False}
    assert set(Student.objects.values_list("leerweg", flat=True)) == set(Leerweg.values)
    assert set(Student.objects.values_list("year_level", flat=True)) == {1, 2, 3, 4}
    roles = set(Membership.objects.values_list("role", flat=True))
    assert roles == set(Role.values)
    for email in ["beheerder@maatwerk.demo", "mentor@hetbaken.demo", "leerling@hetbaken.demo", "ouder@hetbaken.demo"]:
        assert User.objects.get(email=email).check_password("maatwerk-demo")
