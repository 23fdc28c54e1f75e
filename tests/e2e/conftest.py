"""Browser tests: Playwright for Python driving Debian's Chromium (/usr/bin/chromium).

Never `playwright install`: the browser comes from apt-get (see .ci/run). Run with `make e2e`.
"""

from __future__ import annotations

import os
from pathlib import Path

import pytest

CHROMIUM = os.environ.get("CHROMIUM", "/usr/bin/chromium")
CHROMIUM_ARGS = ["--headless", "--no-sandbox", "--disable-gpu", "--disable-background-networking",
                 "--disable-component-update", "--disable-quic", "--no-first-run", "--disable-sync"]



def pytest_collection_modifyitems(config, items):
    here = Path(__file__).resolve().parent
    for item in items:
        if here in Path(item.fspath).resolve().parents:
            item.add_marker(pytest.mark.e2e)


@pytest.fixture(scope="session")
def browser():
    from playwright.sync_api import sync_playwright

    # Playwright's sync API runs an event loop in this thread; the live server runs Django in another.
    # Set here, not at import: `make test` collects this file too, and the variable must not leak into
    # the rest of the suite (check --deploy rightly refuses it).
    os.environ.setdefault("DJANGO_ALLOW_ASYNC_UNSAFE", "true")

    if not Path(CHROMIUM).exists():
        pytest.fail(f"{CHROMIUM} ontbreekt: installeer Debian's chromium (apt-get install chromium).")
    with sync_playwright() as pw:
        browser = pw.chromium.launch(executable_path=CHROMIUM, args=CHROMIUM_ARGS)
        yield browser
        browser.close()


@pytest.fixture(autouse=True)
def reference_data(transactional_db):
    """Transactional tests flush the database after each test, migration data included: load the
    reference data (kern, profielen) again when it is missing."""
    from maatwerk.web.reference import ensure_reference_data

    ensure_reference_data()


@pytest.fixture
def page(browser, live_server):
    context = browser.new_context(base_url=live_server.url, viewport={"width": 1280, "height": 900},
                                  locale="nl-NL")
    page = context.new_page()
    page.set_default_timeout(10_000)
    yield page
    context.close()


@pytest.fixture
def browser_login(page):
    def do(user, password="geheim-wachtwoord-1"):
        """Log in through the real login page, with the second factor when the account needs it."""
        from django_otp.oath import totp
        from django_otp.plugins.otp_totp.models import TOTPDevice

        device, _ = TOTPDevice.objects.get_or_create(user=user, name="e2e", defaults={"confirmed": True})
        page.goto("/account/inloggen/")
        page.fill("#id_username", user.email)
        page.fill("#id_password", password)
        page.click("button[type=submit]")
        page.wait_for_load_state("networkidle")
        if "/account/tweestaps/" in page.url:
            page.fill("#id_code", f"{totp(device.bin_key, step=30, t0=0, digits=6, drift=0):06d}")
            page.click("form.stack button[type=submit]")
            page.wait_for_load_state("networkidle")
        return page

    return do
