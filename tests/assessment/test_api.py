"""The API: the same validation and conflict rules as the gradebook (send `version`; 409 result_conflict
with the current value), scoped as the pages, and a valid OpenAPI schema."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maatwerk.accounts.models import Role
from maatwerk.assessment import services
from maatwerk.assessment.models import Pta, PtaStatus, Result
from tests import factories as f

API = "/api/v1/assessment"


def post(client, path, data):
    return client.post(f"{API}{path}", data, content_type="application/json")


def patch(client, path, data):
    return client.patch(f"{API}{path}", data, content_type="application/json")


def test_create_update_and_conflict(client, login, exam):
    login(client, exam.teacher)
    student, item = exam.students[0], exam.items[1]
    response = post(client, "/results/", {"student": student.pk, "item": item.pk, "value": "6,5", "version": 0})
    assert response.status_code == 201, response.json()
    body = response.json()
    assert (body["grade"], body["value"], body["version"]) == ("6.5", "6,5", 1)
    rid = body["id"]
    response = patch(client, f"/results/{rid}/", {"value": "7.0", "version": 1})
    assert response.status_code == 200 and response.json()["version"] == 2
    response = patch(client, f"/results/{rid}/", {"value": "5,0", "version": 1})
    assert response.status_code == 409
    body = response.json()
    assert body["code"] == "result_conflict" and "het is nu 7,0" in body["message"]["nl"]
    assert body["details"]["current"]["grade"] == "7,0" and body["details"]["current"]["version"] == 2
    assert Result.objects.get(pk=rid).grade == Decimal("7.0")


@pytest.mark.parametrize("value", ["0.9", "10.1", "6.55", "", "abc"])
def test_invalid_grades_are_400_with_a_dutch_message(client, login, exam, value):
    login(client, exam.teacher)
    response = post(client, "/results/", {"student": exam.students[0].pk, "item": exam.items[1].pk,
                                           "value": value, "version": 0})
    assert response.status_code == 400
    body = response.json()
    assert body["code"] == "grade_invalid" and body["message"]["nl"] and body["message"]["en"]
    assert not Result.objects.exists()


def test_version_is_required(client, login, exam):
    login(client, exam.teacher)
    response = post(client, "/results/", {"student": exam.students[0].pk, "item": exam.items[1].pk,
                                           "value": "6,0"})
    assert response.status_code == 400 and "version" in response.json()["fields"]


def test_history_endpoint(client, login, exam):
    login(client, exam.teacher)
    result = services.save_result(by=exam.teacher, student=exam.students[0], item=exam.items[1], value="5,0",
                                  version=0)
    services.save_result(by=exam.secretary, student=exam.students[0], item=exam.items[1], value="6,0", version=1,
                         reason="herberekend")
    rows = client.get(f"{API}/results/{result.pk}/history/").json()
    assert [(r["type"], r["value"], r["who"]) for r in rows] == [
        ("created", "5,0", str(exam.teacher)), ("changed", "6,0", str(exam.secretary))]
    assert rows[1]["reason"] == "herberekend"


def test_students_see_their_own_results_only(client, login, exam):
    for student in exam.students[:2]:
        services.save_result(by=exam.teacher, student=student, item=exam.items[1], value="6,0", version=0)
    Pta.objects.filter(pk=exam.pta.pk).update(status=PtaStatus.PUBLISHED)
    pupil = f.member(Role.STUDENT, school=exam.school, student=exam.students[0])
    login(client, pupil)
    assert client.get(f"{API}/ptas/").json()["count"] == 1  # the published PTA of their cohort
    rows = client.get(f"{API}/results/").json()["results"]
    assert {r["student"] for r in rows} == {exam.students[0].pk}
    other = Result.objects.get(student=exam.students[1])
    assert client.get(f"{API}/results/{other.pk}/").status_code == 404
    response = post(client, "/results/", {"student": exam.students[0].pk, "item": exam.items[1].pk,
                                           "value": "10", "version": 1})
    assert response.status_code == 403  # reading is not grading
    assert Result.objects.get(student=exam.students[0]).grade == Decimal("6.0")


def test_other_schools_get_404(client, login, exam):
    result = services.save_result(by=exam.teacher, student=exam.students[0], item=exam.items[1], value="6,0",
                                  version=0)
    stranger = f.member(Role.TEACHER, school=f.SchoolFactory())
    login(client, stranger)
    assert client.get(f"{API}/results/{result.pk}/").status_code == 404
    assert client.get(f"{API}/ptas/{exam.pta.pk}/").status_code == 404
    assert client.get(f"{API}/items/{exam.items[0].pk}/").status_code == 404
    response = post(client, "/results/", {"student": exam.students[0].pk, "item": exam.items[1].pk,
                                           "value": "9", "version": 1})
    assert response.status_code == 404


def test_pta_lifecycle_through_the_api(client, login, exam):
    pta = f.PtaFactory(school=exam.school, cohort=2025, exam_year=2026, title="PTA via API")
    login(client, exam.secretary)
    response = post(client, "/items/", {"pta": pta.pk, "code": "API-1", "title": "Schriftelijke toets",
                                        "form": "written", "weight": "1", "module_versions": [exam.version.pk]})
    assert response.status_code == 201, response.json()
    item_id = response.json()["id"]
    response = post(client, f"/ptas/{pta.pk}/adopt/", {})
    assert response.status_code == 403  # only the school leader adopts
    client.logout()
    login(client, exam.leader)
    response = post(client, f"/ptas/{pta.pk}/adopt/", {"reason": "Na 1 oktober door een kennelijke fout."})
    assert response.status_code == 200 and response.json()["status"] == "adopted"
    response = patch(client, f"/items/{item_id}/", {"weight": "2"})
    assert response.status_code == 400 and response.json()["code"] == "pta_change_needs_reason"
    response = patch(client, f"/items/{item_id}/", {"weight": "2", "reason": "Weging hersteld."})
    assert response.status_code == 200 and response.json()["weight"] == "2.00"
    response = post(client, f"/ptas/{pta.pk}/publish/", {})
    assert response.json()["status"] == "published"
    assert Pta.objects.get(pk=pta.pk).status == PtaStatus.PUBLISHED


def test_rubric_through_the_api(client, login, exam):
    login(client, exam.secretary)
    item = exam.items[0]
    body = {"grade_rule": "cesuur", "cesuur": "0.6", "reason": "beoordelingsmodel toegevoegd", "criteria": [
        {"text": "Communiceert met de cliënt", "levels": [{"label": "onvoldoende", "points": 0},
                                                           {"label": "goed", "points": 3}]}]}
    response = client.put(f"{API}/items/{item.pk}/rubric/", body, content_type="application/json")
    assert response.status_code == 200, response.json()
    assert response.json()["max_points"] == 3 and response.json()["criteria"][0]["levels"][1]["points"] == 3
    assert client.get(f"{API}/rubrics/?item={item.pk}").json()["count"] == 1


def test_list_query_count_is_fixed(client, login, exam, django_assert_max_num_queries):
    for student in exam.students:
        services.save_result(by=exam.teacher, student=student, item=exam.items[1], value="6,0", version=0)
    login(client, exam.teacher)
    with django_assert_max_num_queries(12):
        assert client.get(f"{API}/results/").json()["count"] == 3
    with django_assert_max_num_queries(14):
        client.get(f"{API}/ptas/{exam.pta.pk}/")
