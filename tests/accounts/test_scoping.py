"""Tenancy: a user of school A never sees anything of school B, through the one scoping helper."""

from __future__ import annotations

import pytest
from django.apps import apps
from django.db import IntegrityError
from django.http import Http404

from maatwerk.accounts.models import Membership, Role
from maatwerk.accounts.scoping import get_visible_or_404, tenancy_of, visible_to
from tests.factories import PlatformFactory, SchoolFactory, StudentFactory, UserFactory, member


def school_owned_models():
    return [m for m in apps.get_models()
            if getattr(m, "tenancy", None) is not None and tenancy_of(m).school is not None]


def _school_filter(model, school):
    path = tenancy_of(model).school
    return {"pk" if path == "pk" else f"{path}": school.pk if path == "pk" else school}


def test_every_school_owned_model_is_scoped(two_schools):
    a, b = two_schools["a"], two_schools["b"]
    users_of_a = [*a["staff"].values(), a["student_user"], a["parent"], a["assessor"]]
    models = school_owned_models()
    assert models, "no school-owned models found"
    for model in models:
        rows_of_b = list(model._default_manager.filter(**_school_filter(model, b["school"])))
        assert rows_of_b, f"the fixture has no {model.__name__} of school B: extend two_schools"
        for user in users_of_a:
            visible = visible_to(user, model)
            assert not visible.filter(pk__in=[r.pk for r in rows_of_b]).exists(), (model.__name__, user)
            for row in rows_of_b:
                with pytest.raises(Http404):
                    get_visible_or_404(user, model, pk=row.pk)


def test_staff_see_their_own_school(two_schools):
    a = two_schools["a"]
    for user in a["staff"].values():
        assert set(visible_to(user, a["school"].students.model)) >= set(a["students"])
        assert get_visible_or_404(user, a["school"].__class__, pk=a["school"].pk) == a["school"]


def test_student_and_parent_see_only_their_own_student(two_schools):
    a = two_schools["a"]
    Student = a["students"][0].__class__
    for user in (a["student_user"], a["parent"]):
        assert list(visible_to(user, Student)) == [a["students"][0]]
        with pytest.raises(Http404):
            get_visible_or_404(user, Student, pk=a["students"][1].pk)


def test_anonymous_and_steward_see_no_personal_data(two_schools, django_user_model):
    from django.contrib.auth.models import AnonymousUser

    Student = two_schools["a"]["students"][0].__class__
    steward = member(Role.STEWARD)
    assert not visible_to(AnonymousUser(), Student).exists()
    assert not visible_to(steward, Student).exists()
    assert not visible_to(UserFactory(), Student).exists()  # a user without any membership


def test_assessor_sees_no_students_without_an_assignment(two_schools):
    Student = two_schools["a"]["students"][0].__class__
    assert not visible_to(two_schools["a"]["assessor"], Student).exists()


def test_ended_membership_gives_no_access(two_schools):
    import datetime as dt

    a = two_schools["a"]
    teacher = a["staff"][Role.TEACHER]
    Membership.objects.filter(user=teacher).update(ends_on=dt.date(2020, 7, 31))
    teacher = type(teacher).objects.get(pk=teacher.pk)  # fresh object: no cached roles
    assert not visible_to(teacher, a["students"][0].__class__).exists()


@pytest.mark.parametrize(
    "role,orgs",
    [
        (Role.STEWARD, {"school": True}),
        (Role.TEACHER, {}),
        (Role.TEACHER, {"platform": True, "school": True}),
        (Role.PROPOSER, {}),
        (Role.PROPOSER, {"school": True, "platform": True}),
        (Role.EXTERNAL_ASSESSOR, {"school": True}),
        (Role.STUDENT, {"school": True}),
        (Role.PARENT, {"student": True}),
    ],
)
def test_a_role_belongs_to_the_right_kind_of_organisation(db, role, orgs):
    school = SchoolFactory()
    kwargs = {
        "school": school if orgs.get("school") else None,
        "platform": PlatformFactory() if orgs.get("platform") else None,
        "student": StudentFactory(school=school) if orgs.get("student") else None,
    }
    with pytest.raises(IntegrityError):
        Membership.objects.create(user=UserFactory(), role=role, **kwargs)


def test_valid_role_organisation_combinations(db):
    school = SchoolFactory()
    platform = PlatformFactory()
    student = StudentFactory(school=school)
    member(Role.STEWARD)
    member(Role.PROPOSER, platform=platform)
    member(Role.PROPOSER, school=school)
    member(Role.MENTOR, school=school)
    member(Role.STUDENT, school=school, student=student)
    member(Role.PARENT, school=school, student=student)
    assert Membership.objects.count() == 6
