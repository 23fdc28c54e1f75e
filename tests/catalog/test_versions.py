"""A new version supersedes the old one from its valid-from year; whatever pointed at the old version
(offerings, programmes, results) keeps pointing at it."""

from __future__ import annotations

import pytest

from maatwerk.catalog import services
from maatwerk.catalog.models import ExampleAssessment, MboQualification, Module, ModuleGuide
from maatwerk.catalog.selectors import version_for_year
from maatwerk.catalog.services import SYSTEM, CatalogError
from maatwerk.kern.models import KernObjective
from tests.factories import OfferingFactory, ProgrammeItemFactory


def test_new_version_copies_everything(module_factory):
    v1 = module_factory(publish=False, kern_objectives=list(KernObjective.objects.all()[:2]),
                        mbo_qualifications=[MboQualification.objects.create(crebo="25960", name="Helpende Z&W",
                                                                            level=2)],
                        guides={"BB": {"emphasis": "meer praktijk", "text": "Oefenen in het lokaal."}})
    ExampleAssessment.objects.create(version=v1, title="Proeve", form="proeve", description="d")
    v1 = services.publish_version(version=v1, by=SYSTEM, valid_from=2024)
    v2 = services.new_version(module=v1.module, by=SYSTEM)
    assert (v2.version, v2.status, v2.based_on_id) == (2, "concept", v1.pk)
    assert list(v2.objectives.values_list("code", "text")) == list(v1.objectives.values_list("code", "text"))
    assert list(v2.guides.values_list("leerweg", "emphasis", "text")) == [("BB", "meer praktijk", "Oefenen in het lokaal.")]
    assert set(v2.kern_objectives.all()) == set(v1.kern_objectives.all()) and v2.kern_objectives.count() == 2
    assert list(v2.mbo_qualifications.values_list("crebo", flat=True)) == ["25960"]
    assert list(v2.profielen.values_list("code", flat=True)) == ["ZW"]
    assert v2.examples.get().title == "Proeve"
    assert v2.leerwegen == v1.leerwegen and v2.search_text == v1.search_text
    with pytest.raises(CatalogError) as info:
        services.new_version(module=v1.module, by=SYSTEM)
    assert info.value.code == "catalog_concept_exists"


def test_publishing_supersedes_from_the_valid_from_year_and_old_references_keep_their_version(module_factory):
    v1 = module_factory(valid_from=2024)
    offering = OfferingFactory(module_version=v1, school_year=2025)
    item = ProgrammeItemFactory(module_version=v1, school_year=2025)
    v2 = services.new_version(module=v1.module, by=SYSTEM)
    services.update_concept(version=v2, by=SYSTEM, title="Zorg thuis, vernieuwd")
    v2 = services.publish_version(version=v2, by=SYSTEM, valid_from=2027)
    v1.refresh_from_db()
    module = Module.objects.get(pk=v1.module_id)
    assert (v1.status, v1.valid_from, v1.valid_until) == ("superseded", 2024, 2026)
    assert (v2.status, v2.valid_from, v2.valid_until) == ("published", 2027, None)
    assert module.current_version_id == v2.pk  # the newest published version
    # which version applies in which school year: the old one until its last year, the new one from 2027
    assert version_for_year(module, 2023) is None
    assert version_for_year(module, 2024) == v1
    assert version_for_year(module, 2026) == v1
    assert version_for_year(module, 2027) == v2
    assert version_for_year(module, 2040) == v2
    offering.refresh_from_db()
    item.refresh_from_db()
    assert offering.module_version_id == v1.pk and item.module_version_id == v1.pk
    assert v1.title == "Zorg thuis"


def test_a_new_version_must_start_later_than_the_current_one(module_factory):
    v1 = module_factory(valid_from=2026)
    v2 = services.new_version(module=v1.module, by=SYSTEM)
    for year in (2025, 2026, "geen jaar"):
        with pytest.raises(CatalogError) as info:
            services.publish_version(version=v2, by=SYSTEM, valid_from=year)
        assert info.value.code == "catalog_valid_from_invalid"
    v2.refresh_from_db()
    assert v2.status == "concept"
    assert services.publish_version(version=v2, by=SYSTEM, valid_from=2027).status == "published"


def test_withdraw_takes_the_module_off_for_new_programmes_but_not_for_students(module_factory):
    v1 = module_factory(valid_from=2024)
    item = ProgrammeItemFactory(module_version=v1, school_year=2025)
    services.withdraw_version(version=v1, by=SYSTEM, reason="review", from_year=2026)
    module = Module.objects.get(pk=v1.module_id)
    assert module.retired_from == 2026 and module.retirement_reason == "review"
    assert module.is_available_in(2025) and not module.is_available_in(2026)
    item.refresh_from_db()
    assert item.module_version_id == v1.pk
    with pytest.raises(CatalogError):
        services.withdraw_version(version=v1, by=SYSTEM)


def test_history_is_kept(module_factory, steward):
    v1 = module_factory(valid_from=2024)
    v2 = services.new_version(module=v1.module, by=steward)
    services.update_concept(version=v2, by=steward, title="Nieuw")
    services.publish_version(version=v2, by=steward, valid_from=2025)
    titles = list(v2.history.order_by("history_date").values_list("title", "status"))
    assert titles[0] == ("Zorg thuis", "concept") and titles[-1] == ("Nieuw", "published")
    assert v1.history.filter(status="superseded").exists()
    assert ModuleGuide.objects.count() == 0


def test_new_module_codes_follow_the_scheme(db):
    from maatwerk.catalog.models import Profiel
    from maatwerk.catalog.services import next_code

    zw, pie = Profiel.objects.get(code="ZW"), Profiel.objects.get(code="PIE")
    assert next_code([zw], "INTRODUCTORY") == "ZW-K-01"
    assert next_code([zw, pie], "DEEPENING") == "XS-V-01"
    assert next_code([], "ORIENTING") == "ALG-O-01"
    Module.objects.create(code="ZW-K-07")
    assert next_code([zw], "INTRODUCTORY") == "ZW-K-08"
