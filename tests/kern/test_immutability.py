"""A published kern never changes: not through the model, not through the API. A change is a new version."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied
from django.urls import reverse

from maatwerk.accounts.models import Role
from maatwerk.kern import services
from maatwerk.kern.models import FrameworkPublished, KernArea, KernFramework, KernObjective
from maatwerk.kern.selectors import current_framework
from tests.factories import SchoolFactory, member


@pytest.fixture
def steward(db):
    return member(Role.STEWARD)


def _snapshot():
    return (
        list(KernFramework.objects.values_list("title", "status", "version").order_by("pk")),
        list(KernArea.objects.values_list("code", "title").order_by("pk")),
        list(KernObjective.objects.values_list("code", "text").order_by("pk")),
    )


def test_model_refuses_to_change_a_published_framework(db):
    framework = current_framework()
    before = _snapshot()
    framework.title = "Iets anders"
    with pytest.raises(FrameworkPublished):
        framework.save()
    objective = KernObjective.objects.first()
    objective.text = "kan iets anders."
    with pytest.raises(FrameworkPublished):
        objective.save()
    with pytest.raises(FrameworkPublished):
        objective.delete()
    with pytest.raises(FrameworkPublished):
        KernArea(framework=framework, part="lob", code="X", title="X", order=99).save()
    with pytest.raises(FrameworkPublished):
        KernFramework.objects.get(pk=framework.pk).delete()
    assert _snapshot() == before


def test_api_refuses_changes_to_a_published_framework(client, login, steward):
    framework = current_framework()
    objective = KernObjective.objects.first()
    login(client, steward)
    before = _snapshot()
    responses = [
        client.patch(reverse("kern-framework-detail", args=[framework.pk]), {"title": "X"},
                     content_type="application/json"),
        client.patch(reverse("kern-objective-detail", args=[objective.pk]), {"text": "X"},
                     content_type="application/json"),
        client.delete(reverse("kern-objective-detail", args=[objective.pk])),
        client.post(reverse("kern-objective-list"), {"area": objective.area_id, "code": "N", "text": "n", "order": 9},
                    content_type="application/json"),
    ]
    for response in responses:
        assert response.status_code == 409, response.content
        body = response.json()
        assert body["code"] == "kern_framework_published"
        assert body["message"]["nl"] and body["message"]["en"]
    assert _snapshot() == before


def test_a_change_is_a_new_version_that_supersedes_on_publish(client, login, steward):
    old = current_framework()
    login(client, steward)
    response = client.post(reverse("kern-framework-new-version", args=[old.pk]))
    assert response.status_code == 201
    new = KernFramework.objects.get(pk=response.json()["id"])
    assert new.version == old.version + 1 and new.status == "concept"
    assert new.areas.count() == old.areas.count()
    assert KernObjective.objects.filter(area__framework=new).count() == KernObjective.objects.filter(
        area__framework=old).count()
    objective = KernObjective.objects.filter(area__framework=new).first()
    response = client.patch(reverse("kern-objective-detail", args=[objective.pk]), {"text": "kan iets nieuws."},
                            content_type="application/json")
    assert response.status_code == 200
    response = client.post(reverse("kern-framework-publish", args=[new.pk]))
    assert response.status_code == 200
    old.refresh_from_db()
    assert old.status == "superseded"
    assert current_framework().pk == new.pk
    # the old version's texts are untouched
    assert not KernObjective.objects.filter(area__framework=old, text="kan iets nieuws.").exists()


def test_only_stewards_write(client, login, db):
    framework = current_framework()
    teacher = member(Role.TEACHER, school=SchoolFactory())
    login(client, teacher)
    assert client.post(reverse("kern-framework-new-version", args=[framework.pk])).status_code == 403
    client.logout()
    assert client.post(reverse("kern-framework-new-version", args=[framework.pk])).status_code in (401, 403)
    with pytest.raises(PermissionDenied):
        services.new_version(framework=framework, by=teacher)


def test_kern_api_is_readable_by_everyone(client, db):
    response = client.get(reverse("kern-framework-list"))
    assert response.status_code == 200
    assert response.json()["count"] == 1
    detail = client.get(reverse("kern-framework-detail", args=[current_framework().pk])).json()
    assert len(detail["areas"]) == 10
    assert sum(len(a["objectives"]) for a in detail["areas"]) == KernObjective.objects.count()
