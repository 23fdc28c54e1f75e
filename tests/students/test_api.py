"""/api/v1/students/: the same services and the same scoping as the pages."""

from __future__ import annotations

import pytest
from drf_spectacular.generators import SchemaGenerator
from drf_spectacular.validation import validate_schema

from maatwerk.accounts.models import Role
from maatwerk.students import services
from maatwerk.students.models import CareerActivity, CareerConversation, Programme, ProgrammeRevision
from tests import factories as f

from .conftest import complete_programme

API = "/api/v1/students"


def post(client, url, data=None):
    return client.post(url, data or {}, content_type="application/json")


def test_compose_propose_approve_through_the_api(pilot, client, login):
    login(client, pilot.student_user)
    response = post(client, f"{API}/programmes/", {"student": pilot.student.pk, "package": pilot.package.pk})
    assert response.status_code == 201, response.content
    body = response.json()
    pid = body["id"]
    assert len(body["items"]) == 6 and body["evaluation"]["ok"] is True

    item = next(i for i in body["items"] if i["module_code"] == "EO-K-01")
    body = client.delete(f"{API}/programmes/{pid}/items/{item['id']}/").json()
    assert "PROGRAMME_UNITS_TOO_FEW" in {x["code"] for x in body["evaluation"]["findings"]}
    assert {r["key"]: r["missing"] for r in body["evaluation"]["requirements"]}["units"] == 1

    response = post(client, f"{API}/programmes/{pid}/propose/")
    assert response.status_code == 400
    assert response.json()["code"] == "programme_invalid"
    assert "PROGRAMME_UNITS_TOO_FEW" in {x["code"] for x in response.json()["details"]["findings"]}
    assert set(response.json()["message"]) == {"nl", "en"}

    response = post(client, f"{API}/programmes/{pid}/items/", {"offering": pilot.offerings[("OR-01", 2025)].pk})
    assert response.status_code == 400 and response.json()["code"] == "module_not_allowed"
    assert [x["code"] for x in response.json()["details"]["findings"]] == ["PROGRAMME_ORIENTING_IN_UPPER_YEARS"]

    response = post(client, f"{API}/programmes/{pid}/items/", {"offering": pilot.offerings[("ZW-K-01", 2026)].pk})
    assert response.status_code == 201 and response.json()["evaluation"]["ok"] is True
    assert post(client, f"{API}/programmes/{pid}/propose/").json()["status"] == "proposed"

    talk = f.CareerConversationFactory(student=pilot.student)
    response = post(client, f"{API}/programmes/{pid}/approve/", {"conversation": talk.pk})
    assert response.status_code == 403 and response.json()["code"] == "permission_denied"

    login(client, pilot.mentor)
    response = post(client, f"{API}/programmes/{pid}/approve/", {})
    assert response.status_code == 400 and response.json()["code"] == "programme_error"
    response = post(client, f"{API}/programmes/{pid}/approve/", {"conversation": talk.pk, "comment": "Prima."})
    assert response.status_code == 200 and response.json()["status"] == "approved"
    revisions = client.get(f"{API}/programmes/{pid}/revisions/").json()
    assert [(r["number"], r["event"]) for r in revisions] == [(1, "approved"), (1, "proposed")]

    response = post(client, f"{API}/programmes/{pid}/items/", {"offering": pilot.offerings[("ZW-K-02", 2026)].pk})
    assert response.status_code == 409 and response.json()["code"] == "programme_locked"
    body = post(client, f"{API}/programmes/{pid}/reopen/", {"reason": "Toch nog zorg erbij."}).json()
    assert (body["revision"], body["status"], body["change_reason"]) == (2, "concept", "Toch nog zorg erbij.")


def test_send_back_through_the_api(pilot, client, login):
    programme = services.propose_programme(programme=complete_programme(pilot), by=pilot.student_user)
    login(client, pilot.counsellor)
    response = post(client, f"{API}/programmes/{programme.pk}/send-back/", {"comment": "Nog een keer bekijken."})
    assert response.status_code == 200 and response.json()["return_comment"] == "Nog een keer bekijken."
    assert ProgrammeRevision.objects.filter(event="returned").exists()


def test_programmes_are_scoped(pilot, client, login):
    programme = complete_programme(pilot)
    other = services.start_programme(student=pilot.other, by=pilot.other_user).programme
    login(client, pilot.student_user)
    assert [p["id"] for p in client.get(f"{API}/programmes/").json()["results"]] == [programme.pk]
    assert client.get(f"{API}/programmes/{other.pk}/").status_code == 404
    assert post(client, f"{API}/programmes/{other.pk}/propose/").status_code == 404
    assert post(client, f"{API}/programmes/", {"student": pilot.other.pk}).status_code == 404
    login(client, pilot.parent)
    assert [p["id"] for p in client.get(f"{API}/programmes/").json()["results"]] == [programme.pk]
    assert client.delete(f"{API}/programmes/{programme.pk}/items/{programme.items.first().pk}/").status_code == 403
    login(client, f.member(Role.MENTOR, school=f.SchoolFactory()))
    assert client.get(f"{API}/programmes/").json()["results"] == []
    assert client.get(f"{API}/programmes/{programme.pk}/").status_code == 404
    response = post(client, f"{API}/validate/", {"student": pilot.student.pk, "items": []})
    assert response.status_code == 404 and response.json()["code"] == "not_found"
    assert Programme.objects.count() == 2


def test_validate_a_draft(pilot, client, login):
    login(client, pilot.student_user)
    items = [{"module_version": pilot.versions[c].pk, "school_year": 2025} for c in ("EO-K-01", "EO-V-01")]
    body = post(client, f"{API}/validate/", {"student": pilot.student.pk, "items": items}).json()
    assert body["regulation_id"] == "spv-modulair" and body["ok"] is False
    assert {x["code"] for x in body["findings"]} == {"PROGRAMME_UNITS_TOO_FEW"}
    assert {r["key"]: r["missing"] for r in body["requirements"]} == {"units": 4, "introductory": 0, "deepening": 0}
    response = post(client, f"{API}/validate/", {"student": pilot.student.pk, "items": [
        {"module_version": 999999, "school_year": 2025}]})
    assert response.status_code == 400 and response.json()["code"] == "module_version_unknown"
    assert not Programme.objects.exists()


def test_dossier_through_the_api(pilot, client, login):
    login(client, pilot.student_user)
    response = post(client, f"{API}/activities/", {
        "student": pilot.student.pk, "date": "2025-10-01", "kind": "snuffelstage", "title": "Snuffelstage",
        "goals": "Ontdekken", "results": "Gedaan", "evaluation": "", "follow_up": "",
        "competencies": ["work_exploration"]})
    assert response.status_code == 201, response.content
    body = response.json()
    assert body["competencies"] == ["work_exploration"] and body["is_complete"] is False
    assert body["missing_parts"] == ["evaluatie en conclusie", "vervolgactiviteiten"]
    aid = body["id"]
    assert client.patch(f"{API}/activities/{aid}/", {"evaluation": "Past", "follow_up": "Open dag"},
                        content_type="application/json").json()["is_complete"] is True
    assert post(client, f"{API}/activities/{aid}/comment/", {"comment": "x"}).status_code == 403
    assert post(client, f"{API}/conversations/", {"student": pilot.student.pk, "date": "2025-11-01",
                                                 "participants": "leerling"}).status_code == 403

    login(client, pilot.mentor)
    assert post(client, f"{API}/activities/{aid}/comment/", {"comment": "Goed"}).json()["mentor_comment"] == "Goed"
    response = post(client, f"{API}/conversations/", {
        "student": pilot.student.pk, "date": "2025-11-01", "participants": "leerling, mentor",
        "agreements": "Verder met EO", "reflections": [{"competency": "motives", "text": "Liever winkel"}]})
    assert response.status_code == 201, response.content
    assert response.json()["reflections"] == [{"competency": "motives", "text": "Liever winkel"}]

    login(client, pilot.student_user)
    cid = response.json()["id"]
    body = client.put(f"{API}/conversations/{cid}/reflections/", {"reflections": [
        {"competency": "networking", "text": "Mijn tante"}]}, content_type="application/json").json()
    assert {r["competency"] for r in body["reflections"]} == {"motives", "networking"}

    login(client, pilot.parent)
    assert client.get(f"{API}/activities/").json()["count"] == 1
    assert post(client, f"{API}/activities/", {"student": pilot.student.pk, "date": "2025-10-01",
                                              "kind": "other", "title": "x"}).status_code == 403
    login(client, pilot.other_user)
    assert client.get(f"{API}/activities/").json()["count"] == 0
    assert client.get(f"{API}/conversations/{cid}/").status_code == 404
    assert CareerActivity.objects.count() == 1 and CareerConversation.objects.count() == 1


@pytest.mark.django_db
def test_the_schema_lists_the_students_endpoints():
    schema = SchemaGenerator().get_schema(request=None, public=True)
    validate_schema(schema)
    for path in ["/api/v1/students/programmes/", "/api/v1/students/programmes/{id}/approve/",
                 "/api/v1/students/programmes/{id}/items/{item_id}/", "/api/v1/students/validate/",
                 "/api/v1/students/activities/", "/api/v1/students/conversations/{id}/reflections/"]:
        assert path in schema["paths"], path


def test_the_student_list_holds_who_is_enrolled_and_on_request_who_left(pilot, client, login):
    import datetime as dt

    mentor = f.member(Role.MENTOR, school=pilot.student.school)
    left = f.StudentFactory(school=pilot.student.school, left_on=dt.date(2026, 1, 31))
    login(client, mentor)
    ids = {s["id"] for s in client.get(f"{API}/students/?page_size=500").json()["results"]}
    assert pilot.student.pk in ids and left.pk not in ids
    gone = client.get(f"{API}/students/?enrolled=false").json()["results"]
    assert [(s["id"], s["left_on"]) for s in gone] == [(left.pk, "2026-01-31")]
    enrolled = {s["id"] for s in client.get(f"{API}/students/?enrolled=true&page_size=500").json()["results"]}
    assert pilot.student.pk in enrolled and left.pk not in enrolled
    assert client.get(f"{API}/students/{left.pk}/").json()["left_on"] == "2026-01-31"  # still readable by id
