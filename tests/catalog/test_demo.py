"""The catalog demo step in the whole demo: the starting stock as the fixture has it, and the pilot's new
modules, each from an example in the SPV advice, labelled as demo content and elaborated for every leerweg."""

from __future__ import annotations

import pytest

from maatwerk.catalog import demo as catalog_demo
from maatwerk.catalog import services
from maatwerk.catalog.models import Module, ModuleUsageReport, ModuleVersion, VersionStatus
from maatwerk.domain import Leerweg

pytestmark = pytest.mark.django_db


def test_the_menukaart(demo):
    counts = services.catalog_counts()
    assert counts["modules"] == 96 + len(catalog_demo.PILOT) + 1  # the stock, the pilot, Domotica
    assert counts["by_status"]["superseded"] == 5
    assert set(counts["proposals"]) == {"submitted", "in_assessment", "accepted", "rejected"}
    assert counts["usage_reports"] > 1500 and counts["retired"] == 1


def test_the_pilot_modules_are_labelled_demo_content_and_elaborated_for_every_leerweg(demo):
    codes = [spec["code"] for spec in catalog_demo.PILOT] + ["XS-K-01"]
    pilot = ModuleVersion.objects.filter(module__code__in=codes, status=VersionStatus.PUBLISHED)
    assert pilot.count() == len(codes)
    for version in pilot.prefetch_related("guides", "objectives", "kern_objectives"):
        assert version.source.startswith(catalog_demo.PILOT_SOURCE) and version.data_note == catalog_demo.PILOT_NOTE
        assert version.legacy_kind == "" and version.valid_from == demo.school_year - 2
        assert {g.leerweg for g in version.guides.all()} == set(Leerweg.values)
        assert set(version.leerwegen) == set(Leerweg.values)
        assert version.objectives.count() >= 4 and version.kern_objectives.count() >= 3
    assert {v.module_type for v in pilot} == {"INTRODUCTORY", "DEEPENING"}
    for profiel in ("ZW", "EO", "HBR"):  # the kennismakende modules the starting stock lacks
        assert pilot.filter(module_type="INTRODUCTORY", profielen__code=profiel).exists()
    # the reference fixture is not filled in: every other module is a row of the starting stock
    assert Module.objects.exclude(code__in=codes).filter(current_version__legacy_kind="").count() == 0
    # the demo schools' own usage comes from their results, never before a module existed
    assert not ModuleUsageReport.objects.filter(module__code__in=codes, school_year__lt=demo.school_year - 2).exists()
