"""The assessment demo step: PTAs per cohort and leerweg with proeven, a meesterproef and external
assessment, results with resits and insufficient grades, kern observations, module outcomes and usage
reports; idempotent."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.management import call_command

from maatwerk.assessment import demo
from maatwerk.assessment.models import (
    AssessedBy,
    AssessorAssignment,
    KernObservation,
    ModuleResult,
    Pta,
    PtaItem,
    PtaStatus,
    Result,
)
from maatwerk.catalog.models import ModuleUsageReport
from maatwerk.domain import school_year_of
from maatwerk.web.demo import DemoContext


@pytest.mark.django_db
def test_demo_step(settings):
    settings.PASSWORD_HASHERS = ["django.contrib.auth.hashers.MD5PasswordHasher"]
    call_command("loaddemo", stdout=io.StringIO())
    sy = school_year_of()
    for brin in ("21KR", "30PF"):
        ptas = Pta.objects.filter(school__brin=brin)
        published = ptas.filter(status=PtaStatus.PUBLISHED)
        assert {p.cohort for p in published} == {sy - 1, sy}  # leerjaar 4 and 3
        assert {lw for p in published for lw in p.leerwegen} == {"BB", "KB", "GL"}
    assert Pta.objects.filter(school__brin="30PF", for_gl=True, for_bb=False).count() == 2  # a GL PTA per cohort
    assert Pta.objects.filter(status=PtaStatus.CONCEPT).exists()  # for the schoolleider to adopt
    forms = set(PtaItem.objects.values_list("form", flat=True))
    assert {"proeve", "meesterproef", "practical", "written"} <= forms
    meesterproef = PtaItem.objects.get(code="HBR-MP", pta__cohort=sy - 1, pta__for_bb=True)
    assert meesterproef.module_versions.count() == 2 and meesterproef.assessed_by == AssessedBy.PARTNER
    partners = set(PtaItem.objects.exclude(assessed_by=AssessedBy.SCHOOL).values_list("partner__name", flat=True))
    assert any("Hotel" in p for p in partners) and "Zorgcentrum De Linde" in partners
    assert PtaItem.objects.filter(rubric__criteria__kern_objective__isnull=False).exists()
    assert PtaItem.objects.filter(result_kind="qualification").exists()
    assert Result.objects.filter(attempt=2).exists() and Result.objects.filter(grade__lt=Decimal("5.5")).exists()
    assert set(Result.objects.values_list("student__year_level", flat=True)) <= {3, 4}
    assert KernObservation.objects.exists() and AssessorAssignment.objects.exists()
    assert {"PASSED", "FAILED", "INCOMPLETE"} <= set(ModuleResult.objects.values_list("outcome", flat=True))
    assert ModuleUsageReport.objects.filter(brin="21KR", school_year=sy - 1, exams_taken__gt=0).exists()
    counts = (Pta.objects.count(), PtaItem.objects.count(), Result.objects.count(), KernObservation.objects.count())
    ctx = DemoContext(school_year=sy)
    demo.load(ctx)
    assert (Pta.objects.count(), PtaItem.objects.count(), Result.objects.count(),
            KernObservation.objects.count()) == counts
    assert all("niets gewijzigd" in line for line in ctx.log)
