"""The authorisation matrix: every page and every API operation, for every relation of
accounts/policy.py, for reading and for writing, against the declared policy.

* A route (URL pattern or schema operation) without an entry in the policy fails
  `test_every_route_has_a_policy`, naming it; an entry without a route fails it too.
* `test_matrix` asks every (route, relation, method) once, about the objects of school A built by
  tests/security/world.py, and collects every difference before failing once with the full list:
  - an outcome other than the declared one (ALLOW, 403, 404, the login page, a refusal);
  - an UNEXPECTED ALLOWANCE: a denied relation that got an answer, or whose request wrote anything to
    the database (every write statement is captured; session and lockout bookkeeping excepted) or
    changed the route's target objects;
  - a server error;
  - the name of a student in an answer to someone who may not see that student (the world's students
    carry names that appear nowhere else), on every page, list and export.
  Every request runs in a savepoint that is rolled back, so one case never sees another's writes.
* `test_admin_is_for_superusers_only`: the Django admin under /beheer/.

The counts are printed at the end of the test run (tests/security/conftest.py).
"""

from __future__ import annotations

import json
import os
import re
import time
from collections import Counter
from dataclasses import dataclass
from http.cookies import SimpleCookie

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerk.accounts import policy
from maatwerk.accounts.policy import ALLOW, ANONYMOUS, FORBIDDEN, LOGIN, NOT_FOUND, REFUSED, RELATIONS
from tests.security import payloads
from tests.security import world as world_module
from tests.security.routes import api_operations, api_url, page_routes, page_url, schema_url_names

pytestmark = pytest.mark.django_db

REPORT: dict = {}

#: tables that a request may write whatever it is allowed: sessions, login bookkeeping, second factor
BOOKKEEPING = re.compile(r'^\s*(INSERT INTO|UPDATE|DELETE FROM)\s+"?(django_session|axes_|otp_|authtoken_token)',
                         re.IGNORECASE)
WRITE = re.compile(r"^\s*(INSERT|UPDATE|DELETE|REPLACE)\b", re.IGNORECASE)
TEXT_TYPES = ("text/", "application/json", "image/svg", "application/jwk", "application/vc", "application/ld",
              "application/pdf")  # the matrix's "PDFs" are their HTML (_UnlaidHtml)


# --- routes and policy agree --------------------------------------------------------------------------


def test_every_route_has_a_policy():
    problems = []
    pages = [r for r in page_routes() if not r.api or r.name == "api-root"]
    for r in pages:
        if r.key not in policy.PAGES:
            problems.append(f"page without a policy in accounts/policy.py PAGES: {r.key!r} (/{r.route})")
    for key in sorted(set(policy.PAGES) - {r.key for r in pages}):
        problems.append(f"policy for a page that does not exist: {key!r}")
    operations = api_operations()
    for op in operations:
        if op not in policy.API:
            problems.append(f"API operation without a policy in accounts/policy.py API: {op!r}")
    for key in sorted(set(policy.API) - set(operations)):
        problems.append(f"policy for an API operation that is not in the schema: {key!r}")
    in_schema = schema_url_names()
    for r in page_routes():
        if r.api and r.name != "api-root" and r.name not in in_schema:
            problems.append(f"API route missing from the OpenAPI schema (so from the matrix): {r.name} (/{r.route})")
    assert not problems, "\n".join(problems)


# --- one case -----------------------------------------------------------------------------------------


@dataclass
class Case:
    route: str          # policy key
    relation: str
    method: str         # GET, POST, PUT, PATCH, DELETE
    url: str
    expected: str
    api: bool
    payload: object = None
    targets: tuple = ()


def _objects(targets: dict, args: dict) -> tuple:
    out = []
    for spec in args.values():
        if spec.startswith("="):
            continue
        obj = targets[spec.partition(".")[0]]
        if hasattr(obj, "_meta"):
            out.append(obj)
    return tuple(out)


def _fingerprint(objs) -> list:
    return [(type(o).__name__, type(o)._default_manager.filter(pk=o.pk).values().first(),
             type(o)._default_manager.count()) for o in objs]


def observe(response, *, api: bool, anonymous: bool) -> str:
    status = response.status_code
    if status >= 500:
        return "500"
    if 300 <= status < 400:
        location = response.get("Location", "")
        if location.startswith(reverse("login")):
            return LOGIN
        if location.startswith(reverse("accounts:otp_verify")):
            return "second factor"
        return ALLOW
    if status in (401, 403):
        return LOGIN if anonymous and (api or status == 401) else FORBIDDEN
    if status == 404:
        return NOT_FOUND
    if status == 405:
        return "405"
    if status in (400, 409, 422):
        return REFUSED
    return ALLOW


def _matches(expected: str, seen: str) -> bool:
    if expected == ALLOW:
        return seen in (ALLOW, REFUSED)  # a refusal of the (test's) input comes after the permission check
    return seen == expected


def _body(response) -> str:
    content_type = response.get("Content-Type", "")
    if not content_type.startswith(TEXT_TYPES):
        return ""
    data = b"".join(response.streaming_content) if getattr(response, "streaming", False) else response.content
    return data.decode("utf-8", "replace")


def _send(client, method: str, url: str, payload, api: bool):
    if method == "GET":
        return client.get(url)
    if api and not (isinstance(payload, dict) and payload.get("__multipart__")):
        return client.generic(method, url, json.dumps(payload if payload is not None else {}),
                              content_type="application/json")
    data = {k: v for k, v in (payload or {}).items() if k != "__multipart__"}
    if method == "POST":
        return client.post(url, data)
    return client.generic(method, url, "", content_type="application/json")


def _restore(world, relation: str) -> None:
    """Back to the cookies of the login: a case may log out, change the password or leave messages."""
    client = world["clients"][relation]
    client.cookies = SimpleCookie()
    for name, value in world["cookies"][relation].items():
        client.cookies[name] = value


def run_case(world, case: Case) -> list[str]:
    """Send one request in a savepoint that is rolled back; return what is wrong with the answer."""
    client = world["clients"][case.relation]
    problems = []
    denied = case.expected != ALLOW
    with transaction.atomic():
        before = _fingerprint(case.targets) if denied and case.method != "GET" else None
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            try:
                response = _send(client, case.method, case.url, case.payload, case.api)
            except Exception as exc:  # noqa: BLE001 - a crash is a finding like any other
                return [f"{type(exc).__name__}: {exc}"]
        seen = observe(response, api=case.api, anonymous=case.relation == ANONYMOUS)
        writes = [q["sql"][:120] for q in queries.captured_queries
                  if WRITE.match(q["sql"]) and not BOOKKEEPING.match(q["sql"])]
        after = _fingerprint(case.targets) if before is not None else None
        body = _body(response) if response.status_code in (200, 400, 409) else ""
        transaction.set_rollback(True)
    _restore(world, case.relation)
    if seen == "500":
        exc = getattr(response, "exc_info", None)
        problems.append(f"server error {response.status_code}: {exc[1]!r}" if exc else "server error")
    elif not _matches(case.expected, seen):
        kind = "UNEXPECTED ALLOWANCE" if denied and seen in (ALLOW,) else "mismatch"
        detail = response.get("Location", "") if 300 <= response.status_code < 400 else (
            _body(response)[:160] if seen == REFUSED else "")
        problems.append(f"{kind}: expected {case.expected}, got {seen} ({response.status_code} {detail})")
    if denied and writes:
        problems.append(f"UNEXPECTED ALLOWANCE: a denied request wrote to the database: {writes[:3]}")
    if before is not None and before != after:
        problems.append("UNEXPECTED ALLOWANCE: a denied request changed its target")
    for key in world_module.FORBIDDEN_MARKERS.get(case.relation, ()):
        if world_module.MARKERS[key] in body:
            problems.append(f"LEAK: the answer names the {key} student ({world_module.MARKERS[key]})")
    return problems


# --- building the cases -------------------------------------------------------------------------------


def _targets(world, relation: str) -> dict:
    return world["unassigned"] if relation == policy.ASSESSOR_UNASSIGNED else world["target"]


def page_cases(world):
    for key, entry in policy.PAGES.items():
        for relation in RELATIONS:
            targets = _targets(world, relation)
            url, objs = page_url(key, targets), _objects(targets, entry.args)
            if entry.read is not None:
                yield Case(key, relation, "GET", url, entry.read[relation], api=False, targets=objs)
            if entry.write is not None:
                yield Case(key, relation, "POST", url, entry.write[relation], api=False,
                           payload=payloads.page(key, targets), targets=objs)


def api_cases(world):
    for key, op in policy.API.items():
        method = key.split(" ", 1)[0]
        for relation in RELATIONS:
            targets = _targets(world, relation)
            payload = payloads.api(key, targets) if method != "GET" else None
            yield Case(key, relation, method, api_url(key, targets), op.access[relation], api=True,
                       payload=payload, targets=_objects(targets, op.args))


def unused_method_cases(world):
    """A page without writes must not write when POSTed to; a POST-only page must not answer GET."""
    for key, entry in policy.PAGES.items():
        if entry.read is not None and entry.write is not None:
            continue
        access = entry.read or entry.write
        relation = next((r for r in RELATIONS if access[r] == ALLOW), ANONYMOUS)
        method = "POST" if entry.write is None else "GET"
        yield key, relation, method, page_url(key, _targets(world, relation))


class _UnlaidHtml:
    """WeasyPrint's HTML without the layout: the "PDF" is the rendered template, so the matrix checks who
    gets a document and searches it for names like any page (tests/<app> check the real PDFs)."""

    def __init__(self, string="", **kwargs):
        self.string = string

    def write_pdf(self, *args, **kwargs) -> bytes:
        return b"%PDF-matrix\n" + self.string.encode()


def _pdfs_without_layout(monkeypatch) -> None:
    import weasyprint

    monkeypatch.setattr(weasyprint, "HTML", _UnlaidHtml)
    monkeypatch.setattr(weasyprint, "CSS", lambda **kwargs: None)


def _generate_the_schema_once(monkeypatch) -> None:
    """/api/schema/ is public and the same for everyone (SERVE_PUBLIC): generate it once, not 19 times."""
    import copy

    from drf_spectacular.generators import SchemaGenerator

    generate, cache = SchemaGenerator.get_schema, {}

    def get_schema(self, request=None, public=False):
        if not public:
            return generate(self, request=request, public=public)
        if "schema" not in cache:
            cache["schema"] = generate(self, request=request, public=public)
        return copy.deepcopy(cache["schema"])

    monkeypatch.setattr(SchemaGenerator, "get_schema", get_schema)


def test_matrix(world, settings, monkeypatch):
    settings.MEDIA_ROOT = world["media"]  # the attachment of the world lives there
    _generate_the_schema_once(monkeypatch)
    _pdfs_without_layout(monkeypatch)
    started = time.monotonic()
    problems: list[str] = []
    counts: Counter = Counter()
    seconds: Counter = Counter()
    only = re.compile(os.environ.get("MATRIX_ONLY", ""))  # e.g. MATRIX_ONLY=students: to debug one app
    for case in [*page_cases(world), *api_cases(world)]:
        if not only.search(case.route):
            continue
        counts[(case.expected, case.method == "GET")] += 1
        t0 = time.monotonic()
        for problem in run_case(world, case):
            problems.append(f"{case.method} {case.url} [{case.route}] as {case.relation}: {problem}")
        seconds[case.route] += time.monotonic() - t0
    extra = 0
    for key, relation, method, url in unused_method_cases(world):
        if not only.search(key):
            continue
        extra += 1
        client = world["clients"][relation]
        connection.queries_log.clear()
        with transaction.atomic(), CaptureQueriesContext(connection) as queries:
            response = _send(client, method, url, {}, api=False)
            writes = [q["sql"][:120] for q in queries.captured_queries
                      if WRITE.match(q["sql"]) and not BOOKKEEPING.match(q["sql"])]
            transaction.set_rollback(True)
        _restore(world, relation)
        if response.status_code >= 500 or writes:
            problems.append(f"{method} {url} [{key}] as {relation}: a method the page does not take "
                            f"answered {response.status_code} and wrote {writes[:2]}")
    total = sum(counts.values()) + extra
    REPORT.update(cases=total, seconds=time.monotonic() - started, problems=len(problems),
                  allowances=sum("UNEXPECTED ALLOWANCE" in p or "LEAK" in p for p in problems),
                  slowest=seconds.most_common(5), pages=len(policy.PAGES), operations=len(policy.API), relations=len(RELATIONS),
                  by_outcome={f"{'read' if read else 'write'} {outcome}": n
                              for (outcome, read), n in sorted(counts.items())})
    assert not problems, f"{len(problems)} of {total} cases differ from accounts/policy.py:\n" + "\n".join(problems)


# --- the Django admin ---------------------------------------------------------------------------------


def test_admin_is_for_superusers_only(world):
    """The Django admin under /beheer/ (left out of the matrix) lists every school's rows: operators only."""
    from django.contrib.auth.models import Permission
    from django.test import Client

    from tests.conftest import _login
    from tests.factories import UserFactory

    page = "/beheer/otp_totp/totpdevice/"
    with transaction.atomic():
        operator = _login(Client(), UserFactory(is_staff=True, is_superuser=True))
        assert operator.get("/beheer/").status_code == 200
        assert operator.get(page).status_code == 200
        clerk = UserFactory(is_staff=True)  # "toegang tot beheer" and every model permission, no superuser
        clerk.user_permissions.set(Permission.objects.all())
        clients = {**world["clients"], "is_staff with every permission": _login(Client(), clerk)}
        for who, client in clients.items():
            for url in ("/beheer/", page):
                response = client.get(url)
                assert response.status_code == 302 and response["Location"].startswith("/beheer/login/"), (who, url)
        transaction.set_rollback(True)
