"""A published module version never changes: not through the model, not through the form, not through
the API. A change is a new version (seed: "Er ontstaat een menukaart"; DESIGN "Versioned, dated content")."""

from __future__ import annotations

import pytest
from django.db import transaction
from django.urls import reverse

from maatwerk.catalog import services
from maatwerk.catalog.models import (
    ModuleGuide,
    ModuleObjective,
    ModuleVersion,
    Profiel,
    VersionPublished,
)
from maatwerk.kern.models import KernObjective


def snapshot(version):
    v = ModuleVersion.objects.get(pk=version.pk)
    return (
        v.title, v.summary, v.module_type, v.units, v.leerwegen, v.status, v.valid_from,
        sorted(v.profielen.values_list("code", flat=True)),
        list(v.objectives.values_list("code", "text")), list(v.guides.values_list("leerweg", "text")),
        sorted(v.kern_objectives.values_list("pk", flat=True)), v.history.count(),
    )


def test_model_refuses_every_change_of_a_published_version(module_factory):
    version = module_factory()
    before = snapshot(version)
    version.title = "Iets anders"
    with pytest.raises(VersionPublished):
        version.save()
    version.refresh_from_db()
    version.status = "concept"
    with pytest.raises(VersionPublished):
        version.save()
    version.refresh_from_db()
    objective = version.objectives.get()
    objective.text = "kan iets anders."
    with pytest.raises(VersionPublished):
        objective.save()
    with pytest.raises(VersionPublished):
        objective.delete()
    with pytest.raises(VersionPublished):
        ModuleObjective(version=version, code="E9", text="nieuw").save()
    with pytest.raises(VersionPublished):
        ModuleGuide(version=version, leerweg="BB", text="meer praktijk").save()
    with pytest.raises(VersionPublished), transaction.atomic():  # m2m writes run without a savepoint
        version.profielen.add(Profiel.objects.get(code="PIE"))
    with pytest.raises(VersionPublished), transaction.atomic():  # m2m writes run without a savepoint
        version.profielen.clear()
    with pytest.raises(VersionPublished), transaction.atomic():  # m2m writes run without a savepoint
        Profiel.objects.get(code="PIE").module_versions.add(version)  # the reverse side too
    with pytest.raises(VersionPublished), transaction.atomic():  # m2m writes run without a savepoint
        version.kern_objectives.add(KernObjective.objects.first())
    with pytest.raises(VersionPublished):
        version.delete()
    assert snapshot(version) == before


def test_the_service_refuses_and_a_concept_is_editable(module_factory):
    version = module_factory()
    before = snapshot(version)
    with pytest.raises(VersionPublished) as info:
        services.update_concept(version=version, by=services.SYSTEM, title="Nieuw")
    assert info.value.code == "catalog_version_published"
    assert snapshot(version) == before
    concept = services.new_version(module=version.module, by=services.SYSTEM)
    services.update_concept(version=concept, by=services.SYSTEM, title="Nieuw", objectives=["Een", "Twee"])
    concept.refresh_from_db()
    assert concept.title == "Nieuw" and concept.objectives.count() == 2
    assert snapshot(version) == before


def test_form_refuses_a_published_version_and_nothing_changes(client, login, steward, module_factory):
    version = module_factory()
    login(client, steward)
    url = reverse("catalog:version_edit", args=[version.module.code, version.version])
    page = client.get(url)
    assert page.status_code == 200
    assert "catalog_version_published" in page.content.decode()
    assert "Nieuwe versie maken" in page.content.decode()
    before = snapshot(version)
    response = client.post(url, {"title": "Gewijzigd", "module_type": "DEEPENING", "units": 2,
                                 "objectives": "E1 kan iets anders"})
    assert response.status_code == 409
    html = response.content.decode()
    assert "gepubliceerd en kan niet meer worden gewijzigd" in html and "catalog_version_published" in html
    assert snapshot(version) == before


def test_form_edits_a_concept(client, login, steward, module_factory):
    version = module_factory(publish=False)
    login(client, steward)
    url = reverse("catalog:version_edit", args=[version.module.code, version.version])
    response = client.post(url, {"title": "Zorg en techniek thuis", "summary": "s", "module_type": "DEEPENING",
                                 "units": 1, "leerwegen": ["BB", "GL"], "profielen": [Profiel.objects.get(code="ZW").pk],
                                 "objectives": "E1 kan helpen\nkan techniek uitleggen", "guide_BB": "meer praktijk"})
    assert response.status_code == 302, response.content.decode()[:2000]
    version.refresh_from_db()
    assert version.title == "Zorg en techniek thuis" and version.leerwegen == ["BB", "GL"]
    assert list(version.objectives.values_list("code", "text")) == [("E1", "kan helpen"), ("E2", "kan techniek uitleggen")]
    assert version.guides.get().leerweg == "BB"


def test_api_refuses_a_published_version_and_nothing_changes(client, login, steward, module_factory):
    version = module_factory()
    login(client, steward)
    before = snapshot(version)
    url = reverse("catalog-version-detail", args=[version.pk])
    for method in (client.patch, client.put):
        response = method(url, {"title": "X", "objectives": [{"text": "nieuw"}]}, content_type="application/json")
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["code"] == "catalog_version_published"
        assert "gepubliceerd" in body["message"]["nl"] and body["message"]["en"]
    response = client.post(reverse("catalog-version-publish", args=[version.pk]), {"valid_from": 2030},
                           content_type="application/json")
    assert response.status_code == 409 and response.json()["code"] == "catalog_version_published"
    assert snapshot(version) == before


def test_api_edits_and_publishes_a_concept(client, login, steward, module_factory):
    old = module_factory(valid_from=2024)
    login(client, steward)
    response = client.post(reverse("catalog-module-new-version", args=[old.module.code]))
    assert response.status_code == 201
    new_id = response.json()["id"]
    response = client.patch(reverse("catalog-version-detail", args=[new_id]),
                            {"title": "Zorg thuis 2", "objectives": [{"code": "E1", "text": "kan plannen"}],
                             "guides": [{"leerweg": "KB", "text": "meer zelf plannen"}]}, content_type="application/json")
    assert response.status_code == 200, response.content
    assert response.json()["objectives"] == [{"code": "E1", "text": "kan plannen", "order": 1}]
    response = client.post(reverse("catalog-version-publish", args=[new_id]), {"valid_from": 2026},
                           content_type="application/json")
    assert response.status_code == 200 and response.json()["status"] == "published"
    old.refresh_from_db()
    assert old.status == "superseded" and old.valid_until == 2025
    assert old.objectives.get().text == "De kandidaat kan helpen."


def test_only_stewards_write(client, login, module_factory, two_schools):
    version = module_factory(publish=False)
    teacher = two_schools["a"]["staff"]["teacher"]
    login(client, teacher)
    response = client.patch(reverse("catalog-version-detail", args=[version.pk]), {"title": "X"},
                            content_type="application/json")
    assert response.status_code in (403, 404)
    assert client.post(reverse("catalog-module-list"), {"title": "X", "module_type": "DEEPENING"},
                       content_type="application/json").status_code == 403
    assert client.get(reverse("catalog:version_edit", args=[version.module.code, 1])).status_code == 404
    version.refresh_from_db()
    assert version.title == "Zorg thuis"
