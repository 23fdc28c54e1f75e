"""The insight pages and API: who sees what, exports, charts without inline styles, flat query counts."""

from __future__ import annotations

import re

import pytest
from django.db import connection
from django.test.utils import CaptureQueriesContext

from maatwerk.accounts.models import Role
from tests import factories as f

from .builders import activity, decide, modules, school_with_students

pytestmark = pytest.mark.django_db


@pytest.fixture
def schools():
    mods = modules()
    a, a_students, _ = school_with_students(12, mods=mods)
    b, b_students, _ = school_with_students(6, mods=mods, class_name="4B")
    decide(a_students[:7], "PASSED")
    decide(a_students[7:], "FAILED")
    for s in a_students[:3]:
        activity(s, qualities=True)
    return {"a": a, "b": b, "a_students": a_students, "b_students": b_students, "mods": mods}


def test_the_steward_sees_the_national_dashboard_with_charts_and_tables(schools, client, login):
    login(client, f.member(Role.STEWARD))
    response = client.get("/inzicht/")
    assert response.status_code == 200
    html = response.content.decode()
    images = re.findall(r'<img src="data:image/svg\+xml;base64,[^"]+" alt="([^"]+)"', html)
    assert len(images) >= 7 and all(len(alt) > 40 for alt in images)   # (no packages: no chart there)
    assert html.count("<table") >= 8                                     # the numbers beneath every chart
    assert " style=" not in html and "<style" not in html                # CSP: no inline styles
    assert "<script>" not in html
    for student in schools["a_students"]:                                # aggregates only
        assert student.last_name not in html or student.last_name in ("de Vries", "Smit", "Nguyen", "Bos")
    assert "Vlasbloemhof" not in html


def test_exports_are_csv_with_safe_cells_and_a_pdf(schools, client, login):
    login(client, f.member(Role.STEWARD))
    csv = client.get("/inzicht/landelijk.csv")
    assert csv.status_code == 200 and csv["Content-Type"].startswith("text/csv")
    text = csv.content.decode("utf-8-sig")
    assert text.splitlines()[0] == "onderdeel;tabel;rij;kolom;waarde"
    assert "Afronding en slagingspercentage per regeling" in text
    assert not any(line.split(";")[-1].startswith(("=", "+", "-", "@")) for line in text.splitlines()[1:])
    pdf = client.get("/inzicht/landelijk.pdf")
    assert pdf.status_code == 200 and pdf.content.startswith(b"%PDF") and len(pdf.content) > 20_000


def test_a_school_leader_sees_their_school_and_is_sent_there(schools, client, login):
    a = schools["a"]
    leader = f.member(Role.SCHOOL_LEADER, school=a)
    login(client, leader)
    response = client.get("/inzicht/school/")
    assert response.status_code == 302 and response["Location"] == f"/inzicht/scholen/{a.brin}/"
    page = client.get(f"/inzicht/scholen/{a.brin}/")
    assert page.status_code == 200
    html = page.content.decode()
    assert "die nog niet zijn goedgekeurd" in html and "PTA-onderdelen over de datum" in html
    assert " style=" not in html
    assert client.get(f"/inzicht/scholen/{a.brin}/school.csv").status_code == 200
    assert client.get(f"/inzicht/scholen/{a.brin}/school.pdf").content.startswith(b"%PDF")
    risk = client.get(f"/inzicht/scholen/{a.brin}/risico/")
    assert risk.status_code == 200 and schools["a_students"][0].sort_name in risk.content.decode()
    assert client.get("/api/v1/insight/schools/" + a.brin + "/").json()["school"]["brin"] == a.brin


@pytest.mark.parametrize("role", [Role.SCHOOL_LEADER, Role.COUNSELLOR, Role.EXAM_SECRETARY])
def test_another_schools_staff_get_404(schools, client, login, role):
    login(client, f.member(role, school=schools["b"]))
    a = schools["a"]
    for url in (f"/inzicht/scholen/{a.brin}/", f"/inzicht/scholen/{a.brin}/school.csv",
                f"/inzicht/scholen/{a.brin}/risico/", f"/api/v1/insight/schools/{a.brin}/"):
        assert client.get(url).status_code == 404, url
    assert client.get(f"/inzicht/scholen/{schools['b'].brin}/").status_code == 200


def test_teachers_mentors_students_parents_and_anonymous_are_kept_out(schools, client, login):
    a, student = schools["a"], schools["a_students"][0]
    url = f"/inzicht/scholen/{a.brin}/"
    for role in (Role.TEACHER, Role.MENTOR):
        login(client, f.member(role, school=a))
        assert client.get(url).status_code == 403
        assert client.get("/inzicht/").status_code == 403
        assert client.get("/inzicht/school/").status_code == 403
        assert client.get(f"/api/v1/insight/schools/{a.brin}/").status_code == 403
        client.logout()
    for role in (Role.STUDENT, Role.PARENT):
        login(client, f.member(role, school=a, student=student))
        assert client.get(url).status_code == 404
        assert client.get("/inzicht/").status_code == 403
        assert client.get("/inzicht/wat-als/").status_code == 403
        client.logout()
    login(client, f.member(Role.STEWARD))
    assert client.get(url).status_code == 404           # the steward sees no school's own dashboard
    client.logout()
    for page in ("/inzicht/", url, "/inzicht/wat-als/", "/inzicht/landelijk.csv"):
        response = client.get(page)
        assert response.status_code == 302 and response["Location"].startswith("/account/inloggen/")
    assert client.get("/api/v1/insight/national/").status_code in (401, 403)
    assert client.post("/inzicht/wat-als/", {"name": "x", "action": "save"}).status_code == 302


def test_the_api_mirrors_the_dashboards_with_suppressed_cells(schools, client, login):
    login(client, f.member(Role.STEWARD))
    data = client.get("/api/v1/insight/national/").json()
    results = next(s for s in data["sections"] if s["key"] == "uitslagen")
    row = results["tables"][0]["rows"][0]
    assert row["cells"][0] == {"value": 7, "text": "7", "suppressed": None}
    assert row["cells"][1]["value"] == 5
    routes = next(s for s in data["sections"] if s["key"] == "doorlopend")
    assert routes["chart"]["alt"]
    params = client.get("/api/v1/insight/what-if/").json()
    assert {p["key"] for p in params["parameters"]} >= {"min_units.KB", "removal_years", "compensation_min_mean"}
    computed = client.post("/api/v1/insight/what-if/", {"overrides": {"min_units.KB": "3"}},
                           content_type="application/json").json()
    assert computed["overrides"] == {"min_units.KB": "3"}
    assert computed["programmes"]["changed"]["text"] in {"<5", "0"} or computed["programmes"]["changed"]["value"]
    saved = client.post("/api/v1/insight/scenarios/", {"name": "KB drie", "overrides": {"min_units.KB": "3"}},
                        content_type="application/json")
    assert saved.status_code == 201 and saved.json()["name"] == "KB drie"
    assert client.get("/api/v1/insight/scenarios/").json()["results"][0]["name"] == "KB drie"


def _queries(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def test_query_counts_do_not_grow_with_students(client, login):
    mods = modules()
    school, students, _ = school_with_students(5, mods=mods)
    decide(students, "PASSED")
    steward = f.member(Role.STEWARD)
    leader = f.member(Role.SCHOOL_LEADER, school=school)
    login(client, steward)
    national_small = _queries(client, "/inzicht/")
    login(client, leader)
    school_small = _queries(client, f"/inzicht/scholen/{school.brin}/")
    more, more_students, _ = school_with_students(45, mods=mods, school=school)
    decide(more_students, "FAILED")
    for s in more_students[:20]:
        activity(s, motives=True)
    login(client, steward)
    assert _queries(client, "/inzicht/") == national_small
    login(client, leader)
    assert _queries(client, f"/inzicht/scholen/{school.brin}/") == school_small
