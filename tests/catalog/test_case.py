"""The CASE 1.1 package: validates against the CASE CFPackage schema, keeps stable identifiers, and
survives a round trip: export -> import into an empty database -> export gives the same package."""

from __future__ import annotations

import json
from io import StringIO
from pathlib import Path

import jsonschema
import pytest
from django.core.management import CommandError, call_command

from maatwerk.catalog import case, services
from maatwerk.catalog.models import (
    ExampleAssessment,
    MboQualification,
    Module,
    ModuleUsageReport,
    ModuleVersion,
    catalog_uuid,
)
from maatwerk.catalog.services import SYSTEM
from maatwerk.kern import services as kern_services
from maatwerk.kern.models import KernArea, KernFramework, KernObjective
from maatwerk.kern.selectors import current_framework

from .conftest import make_module

SCHEMA = json.loads((Path(__file__).resolve().parents[1] / "data" / "case-v1p0-cfpackage-schema.json").read_text())


@pytest.fixture
def catalogue(db):
    mbo = MboQualification.objects.create(crebo="25960", name="Helpende Zorg en Welzijn", level=2)
    mbo.profielen.set([])
    kern = list(KernObjective.objects.order_by("pk")[:3])
    v1 = make_module("ZW-K-01", kern_objectives=kern[:2], mbo_qualifications=[mbo], publish=False,
                     guides={"BB": {"emphasis": "meer praktijk", "text": "Oefenen."}, "GL": "Meer theorie."},
                     data_note="Leerwegen onzeker.")
    ExampleAssessment.objects.create(version=v1, title="Proeve", form="proeve", leerweg="BB", description="Een proeve.")
    v1 = services.publish_version(version=v1, by=SYSTEM, valid_from=2024)
    v2 = services.new_version(module=v1.module, by=SYSTEM)
    services.update_concept(version=v2, by=SYSTEM, title="Zorg thuis, vernieuwd", objectives=["Een", "Twee"],
                            kern_objectives=kern[1:])
    services.publish_version(version=v2, by=SYSTEM, valid_from=2026)
    services.new_version(module=v1.module, by=SYSTEM)  # a concept v3
    make_module("XS-V-01", title="Domotica in zorg en welzijn", profielen=("ZW", "PIE"), publish=False,
                module_type="DEEPENING")
    gone = make_module("GROEN-KV-10", title="Water", profielen=("Groen",), valid_from=2019)
    services.withdraw_version(version=gone, by=SYSTEM, from_year=2026)
    # a second kern version (concept) travels too
    kern_services.new_version(framework=current_framework(), by=_superuser())
    return v1.module


def _superuser():
    from tests.factories import UserFactory

    return UserFactory(email="root@example.test", is_superuser=True)


def test_package_validates_against_the_case_schema_and_our_case_1_1_checks(catalogue):
    package = case.export_package()
    jsonschema.validate(package, SCHEMA)
    jsonschema.validate(package, SCHEMA, format_checker=jsonschema.Draft4Validator.FORMAT_CHECKER)
    assert case.check_package(package) == []
    assert package["CFDocument"]["caseVersion"] == "1.1"
    types = {i["CFItemType"] for i in package["CFItems"]}
    assert types == {"Kern", "Kerngebied", "Kerndoel", "Module", "Moduleversie", "Eindterm", "Handreiking",
                     "Voorbeeldtoets", "Mbo-kwalificatie"}
    kinds = {a["associationType"] for a in package["CFAssociations"]}
    assert kinds == {"isChildOf", "isPartOf", "exemplar", "isRelatedTo", "replacedBy"}


def test_identifiers_are_stable(catalogue):
    package = case.export_package()
    ids = {i["humanCodingScheme"]: i["identifier"] for i in package["CFItems"] if "humanCodingScheme" in i}
    assert ids["ZW-K-01"] == str(catalog_uuid("module", "ZW-K-01")) == str(catalogue.uuid)
    assert ids["ZW-K-01 v2"] == str(catalog_uuid("version", "ZW-K-01", 2))
    kern = KernObjective.objects.filter(area__framework=current_framework()).first()
    assert any(i["identifier"] == str(kern.uuid) for i in package["CFItems"])
    assert case.export_package() == package  # deterministic


def test_check_package_finds_problems():
    bad = {"CFDocument": {"identifier": "NOT-A-UUID", "uri": "x", "creator": "c", "title": "t",
                          "lastChangeDateTime": "2026-01-01T00:00:00Z", "caseVersion": "1.0"},
           "CFItems": [{"identifier": "0d6f3f7e-5b9c-5e52-8a47-2f1c8e6b9a10", "uri": "x", "bogus": 1}],
           "CFAssociations": [{"identifier": "0d6f3f7e-5b9c-5e52-8a47-2f1c8e6b9a11", "associationType": "likes",
                               "originNodeURI": {}, "destinationNodeURI": {}}], "Extra": []}
    problems = " | ".join(case.check_package(bad))
    for needle in ("Extra", "caseVersion", "fullStatement", "bogus", "NOT-A-UUID", "likes", "onvolledig"):
        assert needle in problems


def _wipe():
    """An empty database: no catalogue and no kern (querysets bypass the immutability guards)."""
    ModuleUsageReport.objects.all().delete()
    Module.objects.update(current_version=None)
    ExampleAssessment.objects.all().delete()
    ModuleVersion.objects.update(based_on=None)
    ModuleVersion.objects.all().delete()
    Module.objects.all().delete()
    MboQualification.objects.all().delete()
    KernObjective.objects.all().delete()
    KernArea.objects.all().delete()
    KernFramework.objects.all().delete()


def test_round_trip_gives_the_same_package(catalogue):
    first = case.dumps(case.export_package())
    _wipe()
    assert not KernFramework.objects.exists() and not Module.objects.exists()
    counts = case.import_package(json.loads(first))
    assert counts == {"kern": 2, "mbo": 1, "modules": 3, "versions": 5}
    second = case.dumps(case.export_package())
    assert second == first
    module = Module.objects.get(code="ZW-K-01")
    assert module.current_version.version == 2 and module.current_version.valid_from == 2026
    assert module.versions.get(version=1).status == "superseded"
    assert Module.objects.get(code="GROEN-KV-10").retired_from == 2026


def test_round_trip_through_the_commands(catalogue, tmp_path):
    path = tmp_path / "menukaart.json"
    call_command("catalog", "export-case", str(path), stdout=StringIO())
    first = path.read_text(encoding="utf-8")
    with pytest.raises(CommandError):  # only into an empty catalogue
        call_command("catalog", "import-case", str(path), stdout=StringIO(), stderr=StringIO())
    _wipe()
    call_command("catalog", "import-case", str(path), stdout=StringIO())
    call_command("catalog", "export-case", str(path), stdout=StringIO())
    assert path.read_text(encoding="utf-8") == first


def test_import_keeps_the_existing_kern_and_refuses_bad_packages(catalogue):
    package = case.export_package()
    _wipe_catalogue_only()
    counts = case.import_package(package)
    assert counts["kern"] == 0  # matched on uuid
    _wipe_catalogue_only()
    broken = json.loads(json.dumps(package))
    broken["CFItems"][0]["identifier"] = "ZZZ"
    with pytest.raises(case.CaseError):
        case.import_package(broken)
    assert not Module.objects.exists()


def _wipe_catalogue_only():
    Module.objects.update(current_version=None)
    ExampleAssessment.objects.all().delete()
    ModuleVersion.objects.update(based_on=None)
    ModuleVersion.objects.all().delete()
    Module.objects.all().delete()
