"""Shared fixtures. `login(client, user)` logs a user in the way every page expects (including the
second factor for staff once two-factor login is required)."""

from __future__ import annotations

from importlib import import_module
from importlib.util import find_spec

import pytest


@pytest.hookimpl(trylast=True)
def pytest_collection_modifyitems(items):
    """Tests that use the `demo` fixture run first and together: it keeps the demo in an open transaction, which
    is rolled back after the last of them (see pytest_runtest_teardown), before any other test runs."""
    uses_demo = [item for item in items if "demo" in getattr(item, "fixturenames", ())]
    for item in uses_demo:  # under pytest-xdist (make test: -n 2 --dist loadgroup) on one worker, one after another
        item.add_marker(pytest.mark.xdist_group("demo"))
    if uses_demo:
        others = [item for item in items if "demo" not in getattr(item, "fixturenames", ())]
        items[:] = uses_demo + others


@pytest.hookimpl(hookwrapper=True)
def pytest_runtest_teardown(item, nextitem):
    yield
    if "demo" in getattr(item, "fixturenames", ()) and "demo" not in getattr(nextitem, "fixturenames", ()):
        _close_demo()


@pytest.fixture(autouse=True)
def _fast_password_hashing(settings):
    """PBKDF2 with a million rounds per test user would make the suite slow; tests need no strength."""
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]


@pytest.fixture(autouse=True)
def _media_in_tmp(settings, tmp_path):
    """Uploaded files of a test go to a temporary folder, never to var/media."""
    settings.MEDIA_ROOT = tmp_path / "media"


def _login(client, user):
    client.force_login(user)
    from maatwerk.accounts.twofactor import mark_verified

    mark_verified(client, user)
    return client


@pytest.fixture
def login():
    return _login


_DEMO: dict = {}


@pytest.fixture(scope="session")
def demo(django_db_setup, django_db_blocker, tmp_path_factory):
    """The whole demo (`maatwerk loaddemo`), loaded once for every test that asks for it: the demo tests
    (tests/*/test_demo*.py) check that the story the data tell holds together across the apps. Loading takes
    about a minute; the tests that use it run first, and the demo is rolled back after the last of them."""
    from contextlib import ExitStack

    from django.db import transaction
    from django.test.utils import override_settings

    from maatwerk.web.demo import load_all

    stack = ExitStack()
    stack.enter_context(django_db_blocker.unblock())
    stack.enter_context(override_settings(PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"],
                                          MEDIA_ROOT=tmp_path_factory.mktemp("media")))
    stack.enter_context(transaction.atomic())
    _DEMO["stack"] = stack
    try:
        ctx = load_all()
    except BaseException:
        _close_demo()
        raise
    yield ctx
    _close_demo()


def _close_demo() -> None:
    from django.db import transaction

    stack = _DEMO.pop("stack", None)
    if stack is not None:
        transaction.set_rollback(True)
        stack.close()


#: Each app adds rows of its school-owned models to a school's world (tests/<app>/world.py,
#: `build(w)` where w is the dict below), so the tenancy test covers every model.
WORLD_BUILDERS = ["schools", "students", "assessment", "diploma"]


@pytest.fixture
def two_schools(db):
    """Two schools, each with staff of every role, a partner, students, a parent and an assessor."""
    return build_two_schools()


def build_two_schools() -> dict:
    """The `two_schools` world, for fixtures of a wider scope (tests/security builds it once per module)."""
    from maatwerk.accounts.models import Role

    from .factories import LocationFactory, PartnerFactory, SchoolFactory, StudentFactory, member

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
        for app in WORLD_BUILDERS:
            module = f"tests.{app}.world"
            if find_spec(module) is not None:
                import_module(module).build(world[key])
    return world
