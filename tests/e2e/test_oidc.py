"""Login with a school account against a REAL OpenID Connect provider (node-oidc-provider, started
here from tests/oidc; `npm ci --prefix tests/oidc` installs it)."""

from __future__ import annotations

import json
import socket
import subprocess
import time
import urllib.request
from pathlib import Path

import pytest

from maatwerk.accounts.models import Role
from tests.factories import SchoolFactory, StudentFactory, member

OIDC_DIR = Path(__file__).resolve().parent.parent / "oidc"
SECRET = "test-client-secret-0123456789"


def _free_port() -> int:
    with socket.socket() as s:
        s.bind(("127.0.0.1", 0))
        return s.getsockname()[1]


@pytest.fixture
def oidc_provider(live_server, settings):
    if not (OIDC_DIR / "node_modules" / "oidc-provider").exists():
        pytest.fail("node-oidc-provider ontbreekt: run `npm ci --prefix tests/oidc` (make e2e doet dat).")
    port = _free_port()
    redirect = f"{live_server.url}/account/oidc/callback/"
    proc = subprocess.Popen(["node", str(OIDC_DIR / "provider.mjs"), str(port), redirect, SECRET],
                            stdout=subprocess.PIPE, stderr=subprocess.STDOUT, text=True)
    issuer = f"http://127.0.0.1:{port}"
    deadline = time.time() + 20
    discovery = None
    while time.time() < deadline:
        try:
            with urllib.request.urlopen(f"{issuer}/.well-known/openid-configuration", timeout=2) as r:  # noqa: S310
                discovery = json.load(r)
                break
        except OSError:
            time.sleep(0.2)
    if discovery is None:
        proc.kill()
        pytest.fail(f"OIDC provider did not start: {proc.stdout.read() if proc.stdout else ''}")
    settings.OIDC_ENABLED = True
    settings.OIDC_RP_CLIENT_ID = "maatwerk"
    settings.OIDC_RP_CLIENT_SECRET = SECRET
    settings.OIDC_OP_AUTHORIZATION_ENDPOINT = discovery["authorization_endpoint"]
    settings.OIDC_OP_TOKEN_ENDPOINT = discovery["token_endpoint"]
    settings.OIDC_OP_USER_ENDPOINT = discovery["userinfo_endpoint"]
    settings.OIDC_OP_JWKS_ENDPOINT = discovery["jwks_uri"]
    settings.AUTHENTICATION_BACKENDS = [settings.AUTHENTICATION_BACKENDS[0],
                                        "maatwerk.accounts.oidc.SchoolAccountBackend",
                                        *settings.AUTHENTICATION_BACKENDS[1:]]
    yield issuer
    proc.terminate()
    proc.wait(timeout=10)


def _login_at_provider(page, email):
    page.click("#oidc-login")
    page.wait_for_selector("input[name=login]")
    page.fill("input[name=login]", email)
    page.fill("input[name=password]", "wat-dan-ook")
    page.click("button[type=submit]")
    page.wait_for_load_state("networkidle")
    if page.locator("button[type=submit]").count() and "127.0.0.1:" in page.url and "/interaction/" in page.url:
        page.click("button[type=submit]")  # consent
    page.wait_for_load_state("networkidle")


@pytest.mark.django_db(transaction=True)
def test_student_logs_in_with_school_account(page, oidc_provider):
    school = SchoolFactory()
    student = member(Role.STUDENT, school=school, student=StudentFactory(school=school))
    page.goto("/account/inloggen/")
    _login_at_provider(page, student.email.upper())  # e-mail matched case-insensitively
    page.wait_for_url("**/")
    assert page.locator("h1").first.inner_text().startswith("Goedendag")


@pytest.mark.django_db(transaction=True)
def test_staff_still_need_the_second_factor_without_idp_mfa(page, oidc_provider):
    school = SchoolFactory()
    mentor = member(Role.MENTOR, school=school)
    page.goto("/account/inloggen/")
    _login_at_provider(page, mentor.email)
    assert "/account/tweestaps/" in page.url


@pytest.mark.django_db(transaction=True)
def test_unknown_account_is_refused(page, oidc_provider):
    page.goto("/account/inloggen/")
    _login_at_provider(page, "onbekend@school.example")
    assert "schoolaccount=onbekend" in page.url
    assert "niet bekend in Maatwerk" in page.content()
