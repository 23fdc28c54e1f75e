"""No page or API operation whose query count grows with its rows (issue 10), for EVERY GET route.

The routes come from where tests/security takes them: every URL pattern of the resolver and every operation
of the OpenAPI schema, each with its entry in accounts/policy.py (who may read it, and which objects fill its
URL). A GET route without a policy entry fails `test_every_get_route_is_measured`, naming it, so a new list
page or endpoint is measured the moment it exists.

`test_query_counts_do_not_grow_with_rows` builds the world of the authorisation matrix (tests/security/
world.py: two schools with every app's rows from tests/<app>/world.py), asks every GET route once as a
relation the policy allows (a warm-up) and once counting its queries; then adds more rows of every kind to
school A (the apps' world builders again with new students, and more rows under the very objects the URLs
name: items of the PTA, students of the group and the class, the student's results, programme items,
activities, conversations, decisions, certificates, assignments; more modules, proposals, reviews, usage
reports) and counts again. A route whose count grew is listed with the queries that came in addition, the
repeated SQL being the N+1 to fix in the app's selector (select_related/prefetch_related). Every request
runs in a savepoint that is rolled back; the insight dashboards' cache is off; "PDFs" are their HTML (as in
the matrix), so only queries are counted, not WeasyPrint's layout.
"""

from __future__ import annotations

import re
from collections import Counter
from http.cookies import SimpleCookie
from importlib import import_module

import pytest
from django.db import connection, transaction
from django.test.utils import CaptureQueriesContext

from maatwerk.accounts import policy
from maatwerk.accounts.policy import ALLOW, ANONYMOUS, RELATIONS
from tests.security.routes import api_operations, api_url, page_routes, page_url

pytestmark = pytest.mark.django_db

#: who asks, when the policy allows several: staff of the school first (they see the most rows)
PREFERRED = (policy.LEADER, policy.EXAMSEC, policy.COUNSELLOR, policy.MENTOR, policy.TEACHER, policy.STEWARD,
             policy.PROPOSER, policy.ASSESSOR, policy.STUDENT, policy.PARENT, *RELATIONS)
#: rounds of growth: the rows of the world builders and under the targets are added this many times
ROUNDS = 2
#: the one page that grows on purpose, with the queries each added row may take: a parent's page shows a
#: card (programme, route, dossier) per child, and grow() gives the parent one more child a round. A family
#: has a handful of children, not a national scale; each card's own count is fixed (tests/students).
PER_ADDED_ROW = {"students:my_children": ("child", ROUNDS, 12)}


def get_routes() -> list[tuple[str, bool]]:
    """(policy key, is an API operation) for every route that answers GET to someone (the OpenID Connect
    routes answer 404 to everyone until a school connects its identity provider: they read no rows)."""
    pages = [(key, False) for key, entry in policy.PAGES.items()
             if entry.read is not None and relation_for(entry.read) is not None]
    ops = [(key, True) for key in api_operations() if key.startswith("GET ") and key in policy.API]
    return pages + ops


def relation_for(access) -> str | None:
    return next((r for r in PREFERRED if access[r] == ALLOW), None)


def test_every_get_route_is_measured():
    """Every GET page of the resolver and every GET operation of the schema has a policy entry (which
    names who may read it and fills its URL), so the query-count test below asks it."""
    missing = [f"page {r.key!r} (/{r.route})" for r in page_routes()
               if (not r.api or r.name == "api-root") and r.key not in policy.PAGES]
    missing += [f"API operation {op!r}" for op in api_operations() if op.startswith("GET ") and op not in policy.API]
    assert not missing, ("GET routes the query-count test cannot ask (add them to accounts/policy.py, as "
                         "tests/security requires too):\n" + "\n".join(missing))
    assert all(relation_for(policy.API[key].access) for key, api in get_routes() if api)


# --- the world and its growth ------------------------------------------------------------------------


@pytest.fixture(scope="module")
def world(django_db_setup, django_db_blocker, tmp_path_factory):
    from django.test import Client
    from django.test.utils import override_settings

    from tests.conftest import _login
    from tests.security import world as world_module

    media = tmp_path_factory.mktemp("media")
    with django_db_blocker.unblock(), override_settings(
            PASSWORD_HASHERS=["django.contrib.auth.hashers.MD5PasswordHasher"], MEDIA_ROOT=media), \
            transaction.atomic():
        w = world_module.build()
        w["media"] = media
        w["clients"] = {ANONYMOUS: Client(raise_request_exception=False)}
        for relation, user in w["users"].items():
            w["clients"][relation] = _login(Client(raise_request_exception=False), user)
        w["cookies"] = {r: {k: m.value for k, m in c.cookies.items()} for r, c in w["clients"].items()}
        yield w
        transaction.set_rollback(True)


def grow(w, round_: int) -> None:
    """More rows of every kind for school A, also under the objects the URLs name."""
    from maatwerk.accounts.models import Membership, Role
    from maatwerk.assessment.models import pta_change
    from maatwerk.catalog.models import ModuleProposal, ModuleUsageReport, Review
    from maatwerk.diploma.models import ModuleCredential, SchoolKey
    from tests import factories as f
    from tests.conftest import WORLD_BUILDERS
    from tests.security.world import CLASS_NAME

    a, t, users = w["a"], w["target"], w["users"]
    school, owner = a["school"], t["student"]
    students = [f.StudentFactory(school=school, class_name=CLASS_NAME, cohort=owner.cohort, leerweg=owner.leerweg,
                                 year_level=owner.year_level) for _ in range(3)]
    rows = {**a, "students": students}
    for app in WORLD_BUILDERS:  # every app's school-owned rows, for the new students
        import_module(f"tests.{app}.world").build(rows)
    # under the targets: the group, the class, the PTA, the student, the route, the parent, the assessor
    t["group"].students.add(*students)
    version = f.ModuleVersionFactory(title=f"Groeimodule {round_}")
    f.OfferingFactory(school=school, module_version=version, school_year=t["offering"].school_year)
    for code in ("A", "B"):
        with pta_change("meer onderdelen"):  # the target PTA is published: a change needs a reason
            item = f.PtaItemFactory(pta=t["pta"], code=f"GROEI{round_}{code}")
            item.module_versions.add(t["version"], version)
            f.RubricLevelFactory(criterion=f.RubricCriterionFactory(rubric=f.RubricFactory(item=item)))
            item.kern_objectives.add(t["kern_objective"])
        for student in (owner, *students):
            f.ResultFactory(student=student, item=item)
            f.KernObservationFactory(student=student, item=item)
        f.AssessorAssignmentFactory(assessor=users["assessor"], item=item, student=owner)
    f.ProgrammeItemFactory(programme=owner.programme, module_version=version, school_year=owner.programme.items
                           .first().school_year)
    f.ModuleResultFactory(student=owner, module_version=version, pta=t["pta"])
    f.SubjectGradeFactory(student=owner, code=f"g{round_}", school_year=2026)
    activity = f.CareerActivityFactory(student=owner)
    f.ConversationReflectionFactory(conversation=f.CareerConversationFactory(student=owner))
    f.ProgrammeRevisionFactory(programme=owner.programme, number=10 + round_)
    f.ExamDecisionFactory(student=owner, school_year=2025 - round_)
    ModuleCredential.objects.create(student=owner, module_version=version, key=SchoolKey.objects.get(school=school),
                                    credential={}, jwt="x", subject_id=f"urn:uuid:00000000-0000-4000-8000-00000000000{round_}")
    t["route"].students.add(*students)
    t["route"].modules.add(version.module)
    for relation in ("parent", "other_parent"):
        Membership.objects.create(user=users[relation], role=Role.PARENT, school=school, student=students[0])
    del activity
    # the national menukaart: modules, a concept version, proposals, reviews, usage reports
    f.ModuleVersionFactory(module=t["module"], status="concept", make_current=False)
    platform = users["proposer"].memberships.get().platform
    for n in range(2):
        other = f.ModuleVersionFactory(title=f"Menukaartmodule {round_}{n}")
        ModuleProposal.objects.create(
            kind="new", platform=platform, submitted_by=users["proposer"], title=f"Voorstel {round_}{n}",
            module_type="INTRODUCTORY", leerwegen="BB,KB", summary="s", objectives="o", rationale="r",
            evidence="e", round_year=2026)
        Review.objects.create(module=other.module, version=other, due_on=t["review"].due_on)
        ModuleUsageReport.objects.create(module=other.module, school_year=2024 + round_, brin=school.brin,
                                         exams_taken=3)


# --- measuring -----------------------------------------------------------------------------------------


def _restore(w, relation: str) -> None:
    client = w["clients"][relation]
    client.cookies = SimpleCookie()
    for name, value in w["cookies"][relation].items():
        client.cookies[name] = value


def measure(w, key: str, api: bool) -> tuple[str, str, int, int, list[str]]:
    access = policy.API[key].access if api else policy.PAGES[key].read
    relation = relation_for(access)
    targets = w["unassigned"] if relation == policy.ASSESSOR_UNASSIGNED else w["target"]
    url = api_url(key, targets) if api else page_url(key, targets)
    client = w["clients"][relation]
    with transaction.atomic():
        connection.queries_log.clear()
        with CaptureQueriesContext(connection) as queries:
            response = client.get(url)
            if getattr(response, "streaming", False):
                b"".join(response.streaming_content)
        transaction.set_rollback(True)
    _restore(w, relation)
    if response.status_code >= 500:
        exc = getattr(response, "exc_info", None)
        raise AssertionError(f"GET {url} [{key}] as {relation}: server error {exc[1]!r}" if exc else url)
    return relation, url, response.status_code, len(queries), [q["sql"] for q in queries.captured_queries]


def _shape(sql: str) -> str:
    """The SQL with its literals and IN lists made alike, to see which query repeats."""
    sql = re.sub(r"\bIN \([^)]*\)", "IN (...)", sql)
    sql = re.sub(r"'[^']*'|\b\d+\b", "?", sql)
    return sql[:200]


def test_query_counts_do_not_grow_with_rows(world, settings, monkeypatch):
    from tests.security.test_authz_matrix import _generate_the_schema_once, _pdfs_without_layout

    settings.MEDIA_ROOT = world["media"]  # the attachment of the world lives there
    settings.MAATWERK = {**getattr(settings, "MAATWERK", {}), "INSIGHT_CACHE_SECONDS": 0}
    _generate_the_schema_once(monkeypatch)
    _pdfs_without_layout(monkeypatch)
    routes = get_routes()
    with transaction.atomic():
        before = {}
        for key, api in routes:
            measure(world, key, api)  # warm-up: per-process caches (content types, regulations, templates)
            before[key] = measure(world, key, api)
        for round_ in range(ROUNDS):
            grow(world, round_)
        problems = []
        for key, api in routes:
            relation, url, status, n_after, sql_after = measure(world, key, api)
            _, _, status_before, n_before, sql_before = before[key]
            if status >= 400 or status_before >= 400:
                problems.append(f"GET {url} [{key}] as {relation}: answered {status_before}, then {status}: the "
                                f"world lacks what this route shows (fix grow() or the policy's arguments)")
            elif key in PER_ADDED_ROW and n_after <= n_before + PER_ADDED_ROW[key][1] * PER_ADDED_ROW[key][2]:
                continue
            elif n_after > n_before:
                added = Counter(map(_shape, sql_after)) - Counter(map(_shape, sql_before))
                problems.append(f"GET {url} [{key}] as {relation}: {n_before} -> {n_after} queries; in addition: "
                                + "; ".join(f"{n}x {s}" for s, n in added.most_common(2)))
        transaction.set_rollback(True)
    assert not problems, (f"{len(problems)} of {len(routes)} GET routes take more queries with more rows:\n"
                          + "\n".join(problems))
