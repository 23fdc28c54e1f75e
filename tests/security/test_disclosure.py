"""Error messages never name someone the asker may not see: the API takes user ids (teachers of a group or
an offering), so a refusal that printed the user's name would let a schoolleider look up every user."""

from __future__ import annotations

from maatwerk.accounts.models import Role
from tests import factories as f

API = "/api/v1/schools"


def test_a_teacher_of_another_school_is_refused_without_their_name(client, login, two_schools):
    a, b = two_schools["a"], two_schools["b"]
    stranger = b["student_user"]  # any user id: here a pupil of another school
    stranger.first_name, stranger.last_name = "Geheim", "Buitenstaander"
    stranger.save()
    login(client, a["staff"][Role.SCHOOL_LEADER])
    f.LicenceFactory(school=a["school"], from_year=2020)
    answers = [
        client.post(f"{API}/teaching-groups/", {"offering": a["offering"].pk, "name": "3x", "teacher_id": stranger.pk},
                    content_type="application/json"),
        client.patch(f"{API}/offerings/{a['offering'].pk}/", {"teacher_ids": [stranger.pk]},
                     content_type="application/json"),
    ]
    for response in answers:
        assert response.status_code == 400, response.content
        body = response.content.decode()
        assert "Buitenstaander" not in body and stranger.email not in body
        assert "werkt niet op" in body
