"""Two-factor login: required for staff, optional for students and parents."""

from __future__ import annotations

import pytest
from django.urls import reverse
from django_otp.oath import totp
from django_otp.plugins.otp_totp.models import TOTPDevice

from maatwerk.accounts.models import Role
from tests.factories import SchoolFactory, StudentFactory, member

PASSWORD = "geheim-wachtwoord-1"


def _code(device) -> str:
    return f"{totp(device.bin_key, step=30, t0=0, digits=6, drift=0):06d}"


@pytest.fixture
def school(db):
    return SchoolFactory()


@pytest.mark.parametrize("role", [Role.SCHOOL_LEADER, Role.EXAM_SECRETARY, Role.COUNSELLOR, Role.MENTOR,
                                  Role.TEACHER])
def test_staff_without_second_factor_reach_no_page_with_student_data(client, school, role):
    student = StudentFactory(school=school)
    user = member(role, school=school)
    client.force_login(user)  # password checked, no second factor yet
    for url in ["/", reverse("kern:detail"), "/api/v1/accounts/me/", "/beheer/"]:
        response = client.get(url)
        assert response.status_code in (302, 403), url
        if response.status_code == 302:
            assert response.url.startswith("/account/tweestaps/"), url
    body = client.get("/", follow=True).content.decode()
    assert student.last_name not in body


def test_staff_login_then_code_gives_access(client, school):
    user = member(Role.MENTOR, school=school)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 302
    response = client.get("/")
    assert response.status_code == 302 and "/account/tweestaps/" in response.url
    response = client.post(reverse("accounts:otp_verify"), {"code": "000000", "next": "/"})
    assert "klopt niet" in response.content.decode()
    device.refresh_from_db()
    device.throttling_failure_count = 0
    device.throttling_failure_timestamp = None
    device.save()
    response = client.post(reverse("accounts:otp_verify"), {"code": _code(device), "next": "/"})
    assert response.status_code == 302
    assert client.get("/").status_code == 200


def test_first_login_sets_up_the_app(client, school):
    user = member(Role.TEACHER, school=school)
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    response = client.get(reverse("accounts:otp_verify"))
    assert response.status_code == 302 and "instellen" in response.url
    page = client.get(response.url)
    assert "QR-code" in page.content.decode()
    device = TOTPDevice.objects.get(user=user, confirmed=False)
    response = client.post(reverse("accounts:otp_setup"), {"code": _code(device), "next": "/"})
    assert response.status_code == 302
    device.refresh_from_db()
    assert device.confirmed
    assert client.get("/").status_code == 200


def test_students_and_parents_need_no_second_factor(client, school):
    student = StudentFactory(school=school)
    for role in (Role.STUDENT, Role.PARENT):
        user = member(role, school=school, student=student)
        client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
        assert client.get("/").status_code == 200
        client.logout()


def test_a_student_who_sets_up_a_device_must_use_it(client, school):
    student = StudentFactory(school=school)
    user = member(Role.STUDENT, school=school, student=student)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert client.get("/").status_code == 302


def test_api_token_for_staff_needs_the_code(client, school):
    user = member(Role.TEACHER, school=school)
    device = TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    url = reverse("api-token")
    response = client.post(url, {"username": user.email, "password": PASSWORD}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "second_factor_required"
    response = client.post(url, {"username": user.email, "password": PASSWORD, "otp": _code(device)},
                           content_type="application/json")
    assert response.status_code == 200
    token = response.json()["token"]
    me = client.get("/api/v1/accounts/me/", HTTP_AUTHORIZATION=f"Token {token}")
    assert me.status_code == 200 and me.json()["email"] == user.email


def test_lockout_after_repeated_failures(client, school, settings):
    user = member(Role.TEACHER, school=school)
    for _ in range(settings.AXES_FAILURE_LIMIT):
        client.post(reverse("login"), {"username": user.email, "password": "fout"})
    response = client.post(reverse("login"), {"username": user.email, "password": PASSWORD})
    assert response.status_code == 429
    assert "Te vaak" in response.content.decode()


def test_reset2fa_removes_devices(school):
    from io import StringIO

    from django.core.management import call_command

    user = member(Role.MENTOR, school=school)
    TOTPDevice.objects.create(user=user, name="app", confirmed=True)
    call_command("reset2fa", user.email.upper(), stdout=StringIO())
    assert not TOTPDevice.objects.filter(user=user).exists()


def test_no_route_answers_a_staff_session_without_its_second_factor(client, db):
    """Every page of the URL resolver and every operation of the OpenAPI schema (the enumeration of the
    authorisation matrix, tests/security), for every role that needs a second factor, with a password
    login only: a redirect to the two-factor page (the API: 403 second_factor_required). Only the
    declared exempt paths (twofactor.EXEMPT_PREFIXES / EXEMPT_PATHS) answer, and none of them shows a
    student's name."""
    from maatwerk.accounts import policy
    from maatwerk.accounts.models import STAFF_ROLES
    from maatwerk.accounts.twofactor import EXEMPT_PATHS, EXEMPT_PREFIXES
    from tests.security import world as security_world
    from tests.security.routes import api_url, page_url

    world = security_world.build()
    targets = world["target"]
    urls = [("GET", page_url(key, targets)) for key in policy.PAGES]
    urls += [("POST", page_url(key, targets)) for key, page in policy.PAGES.items() if page.write is not None]
    urls += [(key.split(" ", 1)[0], api_url(key, targets)) for key in policy.API]
    exempt = {url for _, url in urls if url.startswith(EXEMPT_PREFIXES) or url.split("?")[0] in EXEMPT_PATHS}
    assert exempt and len(exempt) < 15, sorted(exempt)  # the exempt list stays short and deliberate
    users = {role: next(u for u in world["users"].values() if role in {m.role for m in u.memberships.all()})
             for role in STAFF_ROLES}
    problems = []
    for role, user in sorted(users.items()):
        client.force_login(user)  # password checked, no second factor yet
        for method, url in urls:
            if url in exempt and method != "GET":
                continue  # POST /account/uitloggen/ would end the session
            response = client.generic(method, url)
            path = url.split("?")[0]
            if url in exempt:
                body = response.content.decode("utf-8", "replace")
                if any(name in body for name in security_world.MARKERS.values()):
                    problems.append(f"{role}: {method} {url} is exempt but shows a student")
            elif path.startswith("/api/"):
                if response.status_code != 403 or response.json().get("code") != "second_factor_required":
                    problems.append(f"{role}: {method} {url} answered {response.status_code}")
            elif not (response.status_code == 302 and response["Location"].startswith("/account/tweestaps/")):
                problems.append(f"{role}: {method} {url} answered {response.status_code}")
        client.logout()
    assert not problems, "\n".join(problems)
