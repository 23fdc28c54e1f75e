"""The loopbaandossier: completeness per competency, who writes/comments/reads, attachments served only
through a scoped view, the PDF for the mbo, a flat query count."""

from __future__ import annotations

import datetime as dt
import io

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.db import connection
from django.test.utils import CaptureQueriesContext
from django.urls import reverse

from maatwerk.accounts.models import Role
from maatwerk.students import selectors, services
from maatwerk.students.models import CareerActivity, CareerAttachment, CareerConversation
from tests import factories as f

from .conftest import complete_programme


def dossier_url(student):
    return reverse("students:dossier", args=[student.pk])


def test_completeness_per_competency(pilot):
    f.CareerActivityFactory(student=pilot.student, title="Snuffelstage zorg", work_exploration=True,
                            qualities=True)
    f.CareerActivityFactory(student=pilot.student, title="Open dag", evaluation="", work_exploration=False,
                            career_steering=True)
    f.CareerActivityFactory(student=pilot.other, title="Niet van haar", networking=True)
    talk = f.CareerConversationFactory(student=pilot.student)
    f.ConversationReflectionFactory(conversation=talk, competency="motives")

    rows = {r.key: r for r in selectors.dossier_of(pilot.student).competencies}
    assert [r.key for r in rows.values()] == ["qualities", "motives", "work_exploration", "career_steering",
                                              "networking"]
    assert (rows["work_exploration"].state, [a.title for a in rows["work_exploration"].complete]) == (
        "ok", ["Snuffelstage zorg"])
    assert rows["qualities"].state == "ok"
    assert rows["career_steering"].state == "partial"
    assert [a.missing_parts for a in rows["career_steering"].incomplete] == [["evaluatie en conclusie"]]
    assert rows["networking"].state == "empty"  # the other student's activity does not count
    assert rows["motives"].state == "empty" and len(rows["motives"].reflections) == 1


def test_the_dossier_page_shows_the_states(pilot, client, login):
    f.CareerActivityFactory(student=pilot.student, title="Open dag", evaluation="", follow_up="",
                            work_exploration=False, career_steering=True)
    login(client, pilot.parent)
    html = client.get(dossier_url(pilot.student)).content.decode()
    assert 'data-competency="career_steering" data-state="partial"' in html
    assert "mist: evaluatie en conclusie, vervolgactiviteiten" in html
    assert 'data-competency="networking" data-state="empty"' in html
    assert "Activiteit toevoegen" not in html and "Opmerking als mentor" not in html  # the parent reads


def test_the_student_writes_the_mentor_comments_the_parent_reads(pilot, client, login):
    login(client, pilot.student_user)
    response = client.post(reverse("students:activity_new", args=[pilot.student.pk]), {
        "date": "2025-10-03", "kind": "snuffelstage", "title": "Snuffelstage in de winkel",
        "goals": "Kijken of verkopen bij mij past.", "results": "Klanten geholpen.",
        "evaluation": "Past goed.", "follow_up": "Open dag mbo.", "competencies": ["work_exploration", "qualities"],
    })
    assert response.status_code == 302
    activity = CareerActivity.objects.get()
    assert activity.is_complete and activity.competencies == ["qualities", "work_exploration"]
    assert activity.created_by == pilot.student_user

    assert client.post(reverse("students:activity_comment", args=[pilot.student.pk, activity.pk]),
                       {"comment": "Ik schrijf zelf"}).status_code == 403
    login(client, pilot.mentor)
    client.post(reverse("students:activity_comment", args=[pilot.student.pk, activity.pk]),
                {"comment": "Mooie conclusie."})
    activity.refresh_from_db()
    assert (activity.mentor_comment, activity.mentor_comment_by) == ("Mooie conclusie.", pilot.mentor)

    login(client, pilot.parent)
    assert client.get(reverse("students:activity_new", args=[pilot.student.pk])).status_code == 403
    assert client.post(reverse("students:activity_edit", args=[pilot.student.pk, activity.pk]),
                       {"title": "anders"}).status_code == 403
    assert "Mooie conclusie." in client.get(dossier_url(pilot.student)).content.decode()


def test_a_conversation_with_reflections_and_the_student_reflects(pilot, client, login):
    login(client, pilot.mentor)
    response = client.post(reverse("students:conversation_new", args=[pilot.student.pk]), {
        "date": "2025-11-10", "participants": "leerling, mentor, decaan", "agreements": "Verder met EO.",
        "next_steps": "Open dag.", "programme_decisions": "Verdiepend in economie en ondernemen.",
        "reflection_motives": "Ik help liever klanten dan patiënten.", "reflection_networking": "",
    })
    assert response.status_code == 302
    talk = CareerConversation.objects.get()
    assert (talk.led_by, [r.competency for r in talk.reflections.all()]) == (pilot.mentor, ["motives"])
    login(client, pilot.student_user)
    assert client.get(reverse("students:conversation_new", args=[pilot.student.pk])).status_code == 403
    client.post(reverse("students:conversation_reflect", args=[pilot.student.pk, talk.pk]),
                {"motives": "Ik wil in een winkel werken.", "networking": "Mijn tante helpt me."})
    assert {r.competency: r.text for r in talk.reflections.all()} == {
        "motives": "Ik wil in een winkel werken.", "networking": "Mijn tante helpt me."}
    login(client, pilot.parent)
    assert client.post(reverse("students:conversation_reflect", args=[pilot.student.pk, talk.pk]),
                       {"motives": "x"}).status_code == 403


@pytest.mark.parametrize("name,content,ok", [
    ("verslag.txt", b"Verslag van de snuffelstage.", True),
    ("verslag.pdf", b"%PDF-1.4 fake but starts right", True),
    ("foto.png", b"\x89PNG\r\n\x1a\n" + b"0" * 20, True),
    ("virus.exe", b"MZ....", False),
    ("nep.pdf", b"<html>geen pdf</html>", False),
    ("leeg.txt", b"", False),
])
def test_attachment_types_are_checked(pilot, name, content, ok):
    activity = f.CareerActivityFactory(student=pilot.student)
    upload = SimpleUploadedFile(name, content)
    if ok:
        attachment = services.add_attachment(activity=activity, by=pilot.student_user, upload=upload)
        assert attachment.size == len(content) and attachment.name == name
        assert name not in attachment.file.name  # stored under a random name
    else:
        with pytest.raises(services.DossierError):
            services.add_attachment(activity=activity, by=pilot.student_user, upload=upload)
        assert not CareerAttachment.objects.exists()


def test_attachment_size_is_limited(pilot):
    activity = f.CareerActivityFactory(student=pilot.student)
    big = SimpleUploadedFile("groot.txt", b"a" * (services.MAX_ATTACHMENT_BYTES + 1))
    with pytest.raises(services.DossierError, match="5 MB"):
        services.add_attachment(activity=activity, by=pilot.student_user, upload=big)


def test_attachments_are_served_only_through_the_scoped_view(pilot, client, login, settings):
    activity = f.CareerActivityFactory(student=pilot.student)
    login(client, pilot.student_user)
    client.post(reverse("students:attachment_add", args=[pilot.student.pk, activity.pk]),
                {"file": SimpleUploadedFile("verslag.txt", b"Mijn verslag.")})
    attachment = CareerAttachment.objects.get()
    url = reverse("students:attachment", args=[attachment.pk])
    html = client.get(dossier_url(pilot.student)).content.decode()
    assert url in html and settings.MEDIA_URL + "loopbaandossier" not in html
    for user in (pilot.student_user, pilot.parent, pilot.mentor):
        login(client, user)
        response = client.get(url)
        assert response.status_code == 200 and b"".join(response.streaming_content) == b"Mijn verslag."
        assert "attachment" in response["Content-Disposition"]
    for user in (pilot.other_user, f.member(Role.MENTOR, school=f.SchoolFactory())):
        login(client, user)
        assert client.get(url).status_code == 404
    assert client.get("/" + settings.MEDIA_URL + attachment.file.name).status_code == 404  # no public URL
    login(client, pilot.parent)
    assert client.post(reverse("students:attachment_delete", args=[attachment.pk])).status_code == 403


def test_the_pdf_holds_the_activities_and_conversations(pilot, client, login):
    from pypdf import PdfReader

    complete_programme(pilot)
    f.CareerActivityFactory(student=pilot.student, title="Snuffelstage in Zorgcentrum De Linde",
                            evaluation="Zorg is niets voor mij.", date=dt.date(2025, 3, 12))
    f.CareerActivityFactory(student=pilot.student, title="Open dag mbo retail", follow_up="",
                            kind="mbo_open_day", career_steering=True)
    talk = f.CareerConversationFactory(student=pilot.student, agreements="Verder met economie en ondernemen.")
    f.ConversationReflectionFactory(conversation=talk, competency="motives",
                                    text="Ik help liever klanten in een winkel.")
    login(client, pilot.parent)
    response = client.get(reverse("students:dossier_pdf", args=[pilot.student.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    reader = PdfReader(io.BytesIO(response.content))
    text = " ".join(" ".join(page.extract_text().split()) for page in reader.pages)
    for expected in ("Loopbaandossier", "Sanne Jansen", "Snuffelstage in Zorgcentrum De Linde",
                     "Zorg is niets voor mij.", "Open dag mbo retail", "Ik help liever klanten in een winkel.",
                     "Verder met economie en ondernemen.", "Werkexploratie", "nog niet ingevuld", "EO-V-04"):
        assert expected in text, expected
    assert "pagina 1 van" in text
    assert reader.pages[0].mediabox.width == pytest.approx(595.28, abs=1)  # A4


def _count(client, url) -> int:
    with CaptureQueriesContext(connection) as ctx:
        assert client.get(url).status_code == 200
    return len(ctx.captured_queries)


def _fill(pilot, n):
    partner = f.PartnerFactory(school=pilot.school)
    for k in range(n):
        activity = f.CareerActivityFactory(student=pilot.student, title=f"Activiteit {k}", partner=partner,
                                           module=pilot.versions["EO-K-01"].module, qualities=k % 2 == 0)
        attachment = CareerAttachment(activity=activity, name="x.txt", size=1)
        attachment.file.name = "loopbaandossier/x.txt"
        attachment.save()
        talk = f.CareerConversationFactory(student=pilot.student, led_by=pilot.mentor)
        f.ConversationReflectionFactory(conversation=talk, competency="motives")


def test_dossier_page_query_count_is_flat(pilot, client, login):
    _fill(pilot, 3)
    login(client, pilot.mentor)
    small = _count(client, dossier_url(pilot.student))
    _fill(pilot, 17)
    assert _count(client, dossier_url(pilot.student)) == small


def test_dossier_voldaan_is_the_same_rule_as_the_exam_decision(db):
    """The page's 'voldaan' and engine.candidate_inputs' loopbaandossier use one rule: every competency
    has at least one activity with all four parts."""
    from maatwerk.domain import CareerCompetency
    from maatwerk.engine import _dossier_complete
    from maatwerk.students import selectors
    from tests.factories import CareerActivityFactory, StudentFactory

    student = StudentFactory()
    def only(key):
        return {c.value: c.value == key for c in CareerCompetency}

    for competency in list(CareerCompetency)[:4]:
        CareerActivityFactory(student=student, **only(competency.value))
    CareerActivityFactory(student=student, follow_up="", **only("networking"))  # incomplete: no follow-up
    dossier = selectors.dossier_of(student)
    assert not dossier.voldaan and dossier.missing_competencies == ["Netwerken"]
    assert _dossier_complete(dossier.activities) == (False, ["Netwerken"])
    CareerActivityFactory(student=student, **only("networking"))
    dossier = selectors.dossier_of(student)
    assert dossier.voldaan and _dossier_complete(dossier.activities) == (True, [])
