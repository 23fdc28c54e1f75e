"""Bodies that Schemathesis sent to the API and that ended in a server error (500): each is now a clear
400/409 in the API's JSON shape, and changes nothing. (tests/security/run_schemathesis.py keeps looking.)"""

from __future__ import annotations

import json

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from tests import factories as f
from tests.security import world as security_world

WRITE = ("INSERT", "UPDATE", "DELETE")


@pytest.fixture
def w(db):
    return security_world.build()


def _as(client, login, user):
    client.logout()
    login(client, user)
    return client


def _send(client, method, url, body):
    with CaptureQueriesContext(connection) as queries:
        response = client.generic(method, url, json.dumps(body), content_type="application/json")
    writes = [q["sql"][:80] for q in queries.captured_queries
              if q["sql"].lstrip().upper().startswith(WRITE) and "django_session" not in q["sql"]]
    return response, writes


def test_bad_bodies_get_a_clear_answer_not_a_server_error(client, login, w):
    t, users = w["target"], w["users"]
    cases = [
        (users["steward"], "POST", f"/api/v1/catalog/proposals/{t['proposal'].pk}/accept/", [{"reason": "x"}], 400),
        (users["steward"], "POST", f"/api/v1/catalog/proposals/{t['proposal'].pk}/reject/", ["x"], 400),
        (users["steward"], "PATCH", f"/api/v1/catalog/versions/{t['concept'].pk}/", {"guides": [{}]}, 400),
        (users["steward"], "PUT", f"/api/v1/catalog/versions/{t['concept'].pk}/", {"objectives": [{"code": "E1"}]},
         400),
        (users["school_leader"], "POST", "/api/v1/schools/policies/",
         {"school_id": t["school"].pk, "extra_min_units": True}, 400),
        (users["school_leader"], "PATCH", f"/api/v1/schools/policies/{t['policy'].pk}/", {"extra_min_units": [1]},
         400),
        (users["school_leader"], "POST", f"/api/v1/schools/teaching-groups/{t['group'].pk}/add-students/",
         {"student_ids": [{}]}, 400),
        (users["school_leader"], "POST", f"/api/v1/schools/teaching-groups/{t['group'].pk}/add-students/", [1], 400),
        (users["school_leader"], "POST", f"/api/v1/schools/teaching-groups/{t['group'].pk}/remove-students/",
         {"student_ids": [{"a": 1}]}, 400),
        (users["school_leader"], "PATCH", f"/api/v1/schools/packages/{t['package'].pk}/", {"module_list": [{}]}, 400),
        (users["mentor"], "PUT", f"/api/v1/students/conversations/{t['conversation'].pk}/reflections/", [], 400),
        (users["exam_secretary"], "POST", "/api/v1/diploma/decisions/run/",
         {"school": t["school"].brin, "school_year": 0}, 400),
        (users["exam_secretary"], "PATCH", f"/api/v1/assessment/items/{t['item'].pk}/",
         {"module_versions": [10**30], "reason": "fout"}, 400),
        (users["exam_secretary"], "GET", "/api/v1/assessment/results/?student=99999999999999999999999", None, 400),
        # a PTA of exam year 0 broke the adoption deadline later (a 500 on adopt)
        (users["exam_secretary"], "PATCH", f"/api/v1/assessment/ptas/{t['pta'].pk}/", {"exam_year": 0, "reason": "x"},
         400),
    ]
    problems = []
    for user, method, url, body, expected in cases:
        response, writes = _send(_as(client, login, user), method, url, body)
        if response.status_code != expected or writes or "code" not in response.json():
            problems.append(f"{method} {url} {body!r}: {response.status_code} {response.content[:200]!r} {writes}")
    assert not problems, "\n".join(problems)


def test_a_partner_in_a_continuous_route_is_not_removed(client, login, w):
    """The mbo college of a doorlopende leerroute (a protected reference) gave a 500 when deleted."""
    school = w["target"]["school"]
    college = f.PartnerFactory(school=school, kind="mbo_college", offers_assessment=False)
    f.ContinuousRouteFactory(school=school, mbo_college=college)
    response, writes = _send(_as(client, login, w["users"]["school_leader"]), "DELETE",
                             f"/api/v1/schools/partners/{college.pk}/", None)
    assert response.status_code == 409 and response.json()["code"] == "in_use", response.content
    assert "leerroute" in response.json()["message"]["nl"]
    assert not writes and type(college).objects.filter(pk=college.pk).exists()
