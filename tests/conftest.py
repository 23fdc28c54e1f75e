"""Shared fixtures. `login(client, user)` logs a user in the way every page expects (including the
second factor for staff once two-factor login is required)."""

from __future__ import annotations

import pytest

from maatwerk.accounts.models import Role

from .factories import LocationFactory, PartnerFactory, SchoolFactory, StudentFactory, member


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 with a million rounds per test user would make the suite slow; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


def _login(client, user):
    client.force_login(user)
    return client


@pytest.fixture
def login():
    return _login


@pytest.fixture
def two_schools(db):
    """Two schools, each with staff of every role, a partner, students, a parent and an assessor."""
    world = {}
    for key in ("a", "b"):
        school = SchoolFactory()
        partner = PartnerFactory(school=school)
        LocationFactory(school=school)
        students = [StudentFactory(school=school) for _ in range(3)]
        staff = {role: member(role, school=school) for role in (
            Role.SCHOOL_LEADER, Role.EXAM_SECRETARY, Role.COUNSELLOR, Role.MENTOR, Role.TEACHER)}
        world[key] = {
            "school": school, "partner": partner, "students": students, "staff": staff,
            "student_user": member(Role.STUDENT, school=school, student=students[0]),
            "parent": member(Role.PARENT, school=school, student=students[0]),
            "assessor": member(Role.EXTERNAL_ASSESSOR, school=school, partner=partner),
        }
    return world
