"""The world of the security tests, built once per module, with a logged-in client per relation; and the
size and result of the authorisation matrix, printed at the end of the run."""

from __future__ import annotations

import pytest


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory, request):
    """tests/security/world.py's world in a transaction that is rolled back after the module. A module may
    define `prepare_world(w)` to change it first (e.g. hostile names). Clients log in once; `w["cookies"]`
    keeps their login cookies, to restore after a request that logs out."""
    from django.db import transaction
    from django.test import Client
    from django.test.utils import override_settings

    from maatwerk.accounts.policy import ANONYMOUS
    from tests.conftest import _login
    from tests.security import world as world_module

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media), \
            transaction.atomic():
        w = world_module.build()
        prepare = getattr(request.module, "prepare_world", None)
        if prepare is not None:
            prepare(w)
        clients = {ANONYMOUS: Client(raise_request_exception=False)}
        for relation, user in w["users"].items():
            clients[relation] = _login(Client(raise_request_exception=False), user)
        w["clients"] = clients
        w["media"] = media
        w["cookies"] = {r: {k: m.value for k, m in c.cookies.items()} for r, c in clients.items()}
        yield w
        transaction.set_rollback(True)


def pytest_terminal_summary(terminalreporter):
    from tests.security.test_authz_matrix import REPORT

    if not REPORT:
        return
    tr = terminalreporter
    tr.section("authorisation matrix (accounts/policy.py)")
    tr.write_line(f"{REPORT['cases']} (route, relation, method) cases checked: {REPORT['pages']} pages and "
                  f"{REPORT['operations']} API operations x {REPORT['relations']} relations, "
                  f"in {REPORT['seconds']:.0f} s")
    tr.write_line("  " + ", ".join(f"{k}: {n}" for k, n in REPORT["by_outcome"].items()))
    tr.write_line("  slowest routes: " + ", ".join(f"{k} {v:.1f} s" for k, v in REPORT["slowest"]))
    tr.write_line(f"  unexpected allowances or leaks: {REPORT['allowances']}; other differences: "
                  f"{REPORT['problems'] - REPORT['allowances']}")
