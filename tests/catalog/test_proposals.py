"""A proposal's path: submitted -> in assessment -> accepted (a concept version) or rejected (reason
shown to the proposer, not to other schools); the annual intake deadline."""

from __future__ import annotations

import datetime as dt

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maatwerk.catalog import cycle, services
from maatwerk.catalog.models import Module, ModuleProposal, Profiel
from maatwerk.catalog.services import CatalogError

DATA = {
    "title": "Domotica in zorg en welzijn", "module_type": "INTRODUCTORY", "leerwegen": ["BB", "KB", "GL"],
    "summary": "Slimme techniek in huis en zorg.", "objectives": "Kan sensoren aansluiten.\nKan een bewoner uitleggen.",
    "rationale": "Zorg en installatie missen mensen.", "evidence": "Vacatures in de regio.",
}


def submit(by, **extra):
    data = {**DATA, "profielen": list(Profiel.objects.filter(code__in=["ZW", "PIE"])), **extra}
    return services.submit_proposal(by=by, **data)


def test_the_whole_path_to_acceptance_creates_a_concept(proposer, steward):
    proposal = submit(proposer, today=dt.date(2026, 2, 1))
    assert (proposal.status, proposal.round_year, proposal.platform.code) == ("submitted", 2026, "zw")
    with pytest.raises(CatalogError) as info:  # not straight to a decision
        services.accept_proposal(proposal=proposal, by=steward)
    assert info.value.code == "catalog_proposal_state"
    services.start_assessment(proposal=proposal, by=steward)
    proposal = services.accept_proposal(proposal=proposal, by=steward, reason="Goed onderbouwd.")
    assert proposal.status == "accepted" and proposal.decided_by == steward
    version = proposal.resulting_version
    assert version.status == "concept" and version.module.code == "XS-K-01"
    assert sorted(version.profielen.values_list("code", flat=True)) == ["PIE", "ZW"]
    assert version.leerwegen == ["BB", "KB", "GL"] and version.objectives.count() == 2
    statuses = [h.status for h in proposal.history.order_by("history_date")]
    assert [s for i, s in enumerate(statuses) if i == 0 or statuses[i - 1] != s] == [
        "submitted", "in_assessment", "accepted"]
    for step in (services.start_assessment, services.reject_proposal):
        with pytest.raises(CatalogError):
            step(proposal=proposal, by=steward, **({"reason": "x"} if step is services.reject_proposal else {}))


def test_a_change_proposal_makes_a_new_concept_version(proposer, steward, module_factory):
    v1 = module_factory(valid_from=2024)
    proposal = submit(proposer, kind="change", module=v1.module, title="Zorg thuis met techniek")
    services.start_assessment(proposal=proposal, by=steward)
    proposal = services.accept_proposal(proposal=proposal, by=steward)
    new = proposal.resulting_version
    assert new.module_id == v1.module_id and new.version == 2 and new.title == "Zorg thuis met techniek"
    v1.refresh_from_db()
    assert v1.status == "published" and v1.title == "Zorg thuis"


def test_rejection_needs_a_reason_that_the_proposer_sees_and_other_schools_do_not(
        client, login, school_proposer, steward, two_schools):
    proposal = submit(school_proposer, profielen=[])
    services.start_assessment(proposal=proposal, by=steward)
    with pytest.raises(CatalogError) as info:
        services.reject_proposal(proposal=proposal, by=steward, reason=" ")
    assert info.value.code == "catalog_reason_required"
    services.reject_proposal(proposal=proposal, by=steward, reason="Past niet in de ronde: te smal.")
    login(client, school_proposer)
    page = client.get(reverse("catalog:proposal", args=[proposal.pk]))
    assert page.status_code == 200 and "Past niet in de ronde: te smal." in page.content.decode()
    assert "Past niet in de ronde" in client.get(reverse("catalog:proposals")).content.decode()
    api = client.get(reverse("catalog-proposal-detail", args=[proposal.pk])).json()
    assert api["status"] == "rejected" and api["decision_reason"] == "Past niet in de ronde: te smal."
    other = two_schools["b"]["staff"]["school_leader"]
    from maatwerk.accounts.models import Role
    from tests.factories import member

    other_proposer = member(Role.PROPOSER, school=two_schools["b"]["school"])
    for user in (other, other_proposer):
        login(client, user)
        assert client.get(reverse("catalog:proposal", args=[proposal.pk])).status_code in (403, 404)
        assert client.get(reverse("catalog-proposal-detail", args=[proposal.pk])).status_code in (403, 404)
        listing = client.get(reverse("catalog-proposal-list"))
        assert listing.status_code == 200 and listing.json()["count"] == 0
    client.logout()
    assert client.get(reverse("catalog:proposal", args=[proposal.pk])).status_code == 302  # to the login page


def test_only_stewards_decide_and_proposers_submit_only_for_their_own_organisation(proposer, school_proposer, platform):
    proposal = submit(proposer)
    with pytest.raises(PermissionDenied):
        services.start_assessment(proposal=proposal, by=proposer)
    with pytest.raises(PermissionDenied):
        services.submit_proposal(by=school_proposer, platform=platform, **DATA)
    assert ModuleProposal.objects.count() == 1


def test_validation_messages_are_dutch(proposer):
    with pytest.raises(CatalogError) as info:
        services.submit_proposal(by=proposer, title="", module_type="X", summary="", objectives="", rationale="",
                                 evidence="", leerwegen=["XX"])
    details = info.value.details
    assert set(details) >= {"title", "summary", "objectives", "rationale", "evidence", "leerwegen", "module_type"}
    assert "eindterm" in details["objectives"] and "leerweg" in details["leerwegen"]


@pytest.mark.parametrize(("submitted", "round_year"), [
    (dt.date(2026, 3, 1), 2026),   # on the deadline: this year's round
    (dt.date(2026, 3, 2), 2027),   # the day after: next year's round
    (dt.date(2026, 12, 31), 2027),
    (dt.date(2027, 1, 1), 2027),
])
def test_intake_deadline(submitted, round_year):
    assert cycle.proposal_round_year(submitted) == round_year


def test_deadline_is_a_setting(settings):
    settings.MAATWERK = {**settings.MAATWERK, "PROPOSAL_DEADLINE": "09-15"}
    assert cycle.proposal_round_year(dt.date(2026, 9, 15)) == 2026
    assert cycle.proposal_round_year(dt.date(2026, 9, 16)) == 2027


def test_proposal_form_and_steward_actions(client, login, proposer, steward):
    login(client, proposer)
    page = client.get(reverse("catalog:proposal_new"))
    assert page.status_code == 200 and "Voorstel indienen" in page.content.decode()
    membership = proposer.memberships.get()
    response = client.post(reverse("catalog:proposal_new"), {"organisation": f"m{membership.pk}", "kind": "new",
                                                              "title": "", "module_type": "INTRODUCTORY"})
    html = response.content.decode()
    assert response.status_code == 200 and "nog niet compleet" in html
    for message in ("Geef het voorstel een titel.", "Kies minstens één leerweg.", "Noem minstens één eindterm."):
        assert message in html
    assert ModuleProposal.objects.count() == 0
    response = client.post(reverse("catalog:proposal_new"), {
        "organisation": f"m{membership.pk}", "kind": "new", **DATA,
        "profielen": [p.pk for p in Profiel.objects.filter(code__in=["ZW", "PIE"])]})
    proposal = ModuleProposal.objects.get()
    assert response.status_code == 302 and response["Location"] == reverse("catalog:proposal", args=[proposal.pk])
    login(client, steward)
    inbox = client.get(reverse("catalog:steward")).content.decode()
    assert "Domotica in zorg en welzijn" in inbox
    client.post(reverse("catalog:proposal_action", args=[proposal.pk, "in-behandeling"]))
    client.post(reverse("catalog:proposal_action", args=[proposal.pk, "aannemen"]), {"reason": "Goed."})
    proposal.refresh_from_db()
    assert proposal.status == "accepted"
    assert Module.objects.filter(code="XS-K-01").exists()


def test_api_proposals(client, login, proposer, steward):
    login(client, proposer)
    response = client.post(reverse("catalog-proposal-list"), {**DATA, "profielen": ["ZW", "PIE"]},
                           content_type="application/json")
    assert response.status_code == 201, response.content
    pk = response.json()["id"]
    assert response.json()["platform"] == "zw"
    assert client.post(reverse("catalog-proposal-start-assessment", args=[pk])).status_code == 403
    login(client, steward)
    assert client.post(reverse("catalog-proposal-start-assessment", args=[pk])).status_code == 200
    response = client.post(reverse("catalog-proposal-reject", args=[pk]), {}, content_type="application/json")
    assert response.status_code == 400 and response.json()["code"] == "catalog_reason_required"
    response = client.post(reverse("catalog-proposal-reject", args=[pk]), {"reason": "Nee."},
                           content_type="application/json")
    assert response.json()["status"] == "rejected"
