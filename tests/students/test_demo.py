"""The students demo step on top of the accounts, catalog and schools steps: realistic programmes,
LOB from leerjaar 1, loopbaandossiers, the seed's story for the documented demo leerling; idempotent."""

from __future__ import annotations

from importlib import import_module

import pytest
from django.db import transaction

from maatwerk.students.models import (
    CareerActivity,
    CareerConversation,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Student,
)
from maatwerk.web.demo import DemoContext


def _load(ctx):
    for step in ("maatwerk.accounts.demo", "maatwerk.catalog.demo", "maatwerk.schools.demo", "maatwerk.students.demo"):
        with transaction.atomic():
            import_module(step).load(ctx)


@pytest.mark.django_db
def test_the_demo_tells_the_story_and_is_idempotent(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    ctx = DemoContext(school_year=2026, password_hash="x")
    _load(ctx)
    counts = (Programme.objects.count(), ProgrammeItem.objects.count(), CareerConversation.objects.count(),
              CareerActivity.objects.count(), ProgrammeRevision.objects.count())

    upper = Student.objects.filter(year_level__gte=2)
    assert set(upper.values_list("pk", flat=True)) == set(Programme.objects.values_list("student_id", flat=True))
    baken = Programme.objects.filter(student__school__brin="21KR")
    assert {"approved", "proposed", "concept"} <= set(baken.values_list("status", flat=True))
    # completed modules in earlier school years for students past leerjaar 3
    assert ProgrammeItem.objects.filter(status="completed", programme__student__year_level=4,
                                        school_year=2025).exists()
    for student in Student.objects.all():
        dates = list(CareerConversation.objects.filter(student=student).values_list("date", flat=True))
        first_year = student.cohort - 2  # leerjaar 1
        assert len(dates) >= student.year_level, student
        assert min(dates).year in (first_year, first_year + 1), student  # LOB from leerjaar 1 on
        assert CareerActivity.objects.filter(student=student).exists(), student
    assert CareerActivity.objects.filter(evaluation="").exists()  # not every activity is complete yet

    sophie = Student.objects.get(memberships__user__email="leerling@hetbaken.demo")
    care = CareerActivity.objects.get(student=sophie, kind="snuffelstage", partner__name="Zorgcentrum De Linde")
    assert "zorg is niets voor mij" in care.evaluation and care.is_complete
    turning = CareerConversation.objects.get(student=sophie, programme_decisions__startswith="Programma wijzigen")
    assert turning.reflections.filter(competency="work_exploration").exists()
    programme = Programme.objects.get(student=sophie)
    assert (programme.status, programme.revision, programme.approval_conversation) == ("approved", 2, turning)
    first, second = (ProgrammeRevision.objects.get(programme=programme, number=n, event="approved") for n in (1, 2))
    assert "economie en ondernemen" in second.reason
    planned_first = {i["module_code"][:2] for i in first.items if i["status"] == "planned"}
    planned_now = {i.module_version.module.code[:2] for i in programme.items.exclude(status="completed")}
    assert planned_first == {"ZW"} and planned_now == {"EO"}  # zorg first, then economie en ondernemen
    assert {i["module_code"][:2] for i in second.items if i["status"] == "completed"} >= {"ZW"}

    _load(ctx)  # again: nothing new
    assert (Programme.objects.count(), ProgrammeItem.objects.count(), CareerConversation.objects.count(),
            CareerActivity.objects.count(), ProgrammeRevision.objects.count()) == counts
