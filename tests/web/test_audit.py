"""The audit trail: who, when, old and new for every change; readable by the examensecretaris,
schoolleider (school records) or steward (national records); editable by nobody."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from maatwerk.accounts.models import Role
from tests import factories as f


def _url(obj):
    return reverse("audit", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


@pytest.fixture
def result(db):
    school = f.SchoolFactory()
    teacher = f.member(Role.TEACHER, school=school)
    result = f.ResultFactory(student=f.StudentFactory(school=school),
                             item=f.PtaItemFactory(pta=f.PtaFactory(school=school)), grade=Decimal("5.4"))
    result.grade = Decimal("6.1")
    result._history_user = teacher
    result.save()
    return result, school, teacher


def test_exam_secretary_sees_who_changed_a_grade_from_what_to_what(client, login, result):
    result, school, teacher = result
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    login(client, secretary)
    response = client.get(_url(result))
    assert response.status_code == 200
    html = response.content.decode()
    assert "5.4" in html and "6.1" in html
    assert teacher.full_name in html
    assert "gewijzigd" in html and "aangemaakt" in html


@pytest.mark.parametrize("role", [Role.TEACHER, Role.MENTOR, Role.COUNSELLOR])
def test_other_school_roles_may_not_read_the_history(client, login, result, role):
    result, school, _ = result
    login(client, f.member(role, school=school))
    assert client.get(_url(result)).status_code == 403


def test_another_school_gets_404(client, login, result):
    result, _, _ = result
    login(client, f.member(Role.EXAM_SECRETARY, school=f.SchoolFactory()))
    assert client.get(_url(result)).status_code == 404


def test_steward_reads_module_history_but_not_a_school_result(client, login, result):
    result, _, _ = result
    steward = f.member(Role.STEWARD)
    version = f.ModuleVersionFactory()
    login(client, steward)
    assert client.get(_url(version)).status_code == 200
    assert client.get(_url(result)).status_code == 404
    assert client.get(_url(version.module)).status_code == 200


def test_history_cannot_be_written(client, login, result):
    result, school, _ = result
    login(client, f.member(Role.EXAM_SECRETARY, school=school))
    count = result.history.count()
    for method in ("post", "put", "patch", "delete"):
        response = getattr(client, method)(_url(result))
        assert response.status_code in (403, 405), method
    assert result.history.count() == count


def test_unknown_or_unaudited_models_are_404(client, login, db):
    login(client, f.member(Role.STEWARD))
    assert client.get(reverse("audit", args=["schools", "school", 1])).status_code == 404
    assert client.get(reverse("audit", args=["nope", "nothing", 1])).status_code == 404
