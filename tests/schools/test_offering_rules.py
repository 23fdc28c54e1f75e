"""An offering is refused with the engine's finding codes: no licence, retired, withdrawn, concept,
wrong leerweg. Nothing is checked by hand: these are the engine's codes."""

from __future__ import annotations

import pytest
from django.core.exceptions import PermissionDenied

from maatwerk.accounts.models import Role
from maatwerk.schools import services
from maatwerk.schools.models import Offering
from tests import factories as f

from .conftest import version

pytestmark = pytest.mark.django_db


def codes(exc) -> set[str]:
    return {x.code for x in exc.value.findings}


def test_a_module_of_an_unlicensed_profiel_is_refused(school, leader):
    f.LicenceFactory(school=school, profiel=f.profiel("ZW"), from_year=2020)
    eo = version("EO-K-01", profielen=("EO",))
    with pytest.raises(services.OfferingRefused) as exc:
        services.plan_offering(school=school, module_version=eo, school_year=2026, by=leader)
    assert codes(exc) == {"PROGRAMME_PROFIEL_NOT_LICENSED"}
    assert not Offering.objects.exists()
    zw = version("ZW-K-01", profielen=("ZW",))
    offering, verdict = services.plan_offering(school=school, module_version=zw, school_year=2026, by=leader)
    assert verdict.ok and offering.leerwegen == ["BB", "KB", "GL"]


def test_a_licence_that_ended_refuses_the_next_year(school, leader):
    f.LicenceFactory(school=school, profiel=f.profiel("ZW"), from_year=2020, to_year=2025)
    zw = version("ZW-K-02")
    services.plan_offering(school=school, module_version=zw, school_year=2025, by=leader)
    with pytest.raises(services.OfferingRefused) as exc:
        services.plan_offering(school=school, module_version=zw, school_year=2026, by=leader)
    assert codes(exc) == {"PROGRAMME_PROFIEL_NOT_LICENSED"}


def test_a_cross_sector_module_needs_a_licence_for_one_of_its_profielen(school, leader):
    f.LicenceFactory(school=school, profiel=f.profiel("HBR"), from_year=2020)
    cross = version("X-K-01", profielen=("EO", "HBR"))
    offering, verdict = services.plan_offering(school=school, module_version=cross, school_year=2026, by=leader)
    assert verdict.ok


def test_a_retired_module_is_refused_from_its_retirement_year(school, leader):
    f.LicenceFactory(school=school)
    old = version("ZW-K-09")
    old.module.retired_from = 2026
    old.module.save()
    services.plan_offering(school=school, module_version=old, school_year=2025, by=leader)
    with pytest.raises(services.OfferingRefused) as exc:
        services.plan_offering(school=school, module_version=old, school_year=2026, by=leader)
    assert codes(exc) == {"PROGRAMME_MODULE_RETIRED"}


def test_a_withdrawn_version_is_refused(school, leader):
    f.LicenceFactory(school=school)
    gone = version("ZW-K-08", status="withdrawn")
    with pytest.raises(services.OfferingRefused) as exc:
        services.plan_offering(school=school, module_version=gone, school_year=2026, by=leader)
    assert codes(exc) == {"PROGRAMME_MODULE_WITHDRAWN"}


def test_a_concept_version_is_refused(school, leader):
    f.LicenceFactory(school=school)
    draft = version("ZW-K-07", status="concept")
    with pytest.raises(services.OfferingRefused) as exc:
        services.plan_offering(school=school, module_version=draft, school_year=2026, by=leader)
    assert codes(exc) == {"PACKAGE_MODULE_UNUSABLE"}
    assert all(str(x.severity) == "error" for x in exc.value.findings)


def test_a_leerweg_without_an_elaboration_is_refused(school, leader):
    f.LicenceFactory(school=school)
    v = version("ZW-K-06", leerwegen=("BB", "KB"))
    with pytest.raises(services.OfferingRefused) as exc:
        services.plan_offering(school=school, module_version=v, school_year=2026, leerwegen=["KB", "TL"],
                               by=leader)
    assert codes(exc) == {"PROGRAMME_MODULE_WRONG_LEERWEG"}
    assert "TL" in exc.value.findings[0].message


def test_a_superseded_version_is_offered_with_a_warning(school, leader):
    f.LicenceFactory(school=school)
    old = version("ZW-K-05", status="superseded", make_current=False)
    offering, verdict = services.plan_offering(school=school, module_version=old, school_year=2026, by=leader)
    assert verdict.ok and verdict.codes == {"PROGRAMME_MODULE_SUPERSEDED"}


def test_under_vmbo_huidig_a_profielmodule_needs_the_licence_a_keuzevak_not(school, leader):
    f.SchoolPolicyFactory(school=school, regulation_id="vmbo-huidig")
    f.LicenceFactory(school=school, profiel=f.profiel("ZW"))
    pm = version("EO-PM-1", profielen=("EO",), legacy_kind="profielmodule")
    kv = version("EO-KV-1", profielen=("EO",), legacy_kind="keuzevak", module_type="DEEPENING")
    with pytest.raises(services.OfferingRefused) as exc:
        services.plan_offering(school=school, module_version=pm, school_year=2026, by=leader)
    assert codes(exc) == {"PROGRAMME_PROFIEL_NOT_LICENSED"}
    services.plan_offering(school=school, module_version=kv, school_year=2026, by=leader)


def test_bulk_adds_what_the_engine_allows_and_reports_the_rest(school, leader):
    f.LicenceFactory(school=school)
    good = [version(f"ZW-K-1{i}") for i in range(3)]
    bad = version("EO-K-11", profielen=("EO",))
    services.plan_offering(school=school, module_version=good[0], school_year=2026, by=leader)
    result = services.plan_offerings(school=school, versions=[*good, bad], school_year=2026, by=leader)
    assert len(result.created) == 2 and len(result.existing) == 1
    assert {x.code for x in result.refused["EO-K-11"]} == {"PROGRAMME_PROFIEL_NOT_LICENSED"}
    assert Offering.objects.filter(school=school, school_year=2026).count() == 3


def test_bulk_offers_only_the_chosen_leerwegen_a_module_has(school, leader):
    f.LicenceFactory(school=school)
    v = version("ZW-K-20", leerwegen=("BB", "KB"))
    result = services.plan_offerings(school=school, versions=[v], school_year=2026, leerwegen=["KB", "GL"],
                                     by=leader)
    assert result.created[0].leerwegen == ["KB"]


def test_copy_last_year_takes_the_current_version_and_skips_what_the_engine_refuses(school, leader):
    f.LicenceFactory(school=school)
    kept = version("ZW-K-30")
    retired = version("ZW-K-31")
    old = version("ZW-K-32", status="superseded", make_current=False)
    newer = f.ModuleVersionFactory(module=old.module, profielen=[f.profiel("ZW")])
    partner = f.PartnerFactory(school=school)
    for v in (kept, retired, old):
        services.plan_offering(school=school, module_version=v, school_year=2025, by=leader, capacity=20,
                               taught_at="both", partner=partner)
    retired.module.retired_from = 2026
    retired.module.save()
    result = services.copy_offerings(school=school, from_year=2025, to_year=2026, by=leader)
    assert {o.module_version for o in result.created} == {kept, newer}
    assert {x.code for x in result.refused["ZW-K-31"]} == {"PROGRAMME_MODULE_RETIRED"}
    copied = Offering.objects.get(school_year=2026, module_version=kept)
    assert (copied.capacity, copied.taught_at, copied.partner) == (20, "both", partner)
    again = services.copy_offerings(school=school, from_year=2025, to_year=2026, by=leader)
    assert not again.created and len(again.existing) == 2


def test_only_school_management_plans_and_only_for_their_own_school(school, teacher):
    f.LicenceFactory(school=school)
    v = version("ZW-K-40")
    with pytest.raises(PermissionDenied):
        services.plan_offering(school=school, module_version=v, school_year=2026, by=teacher)
    other = f.SchoolFactory()
    other_leader = f.member(Role.SCHOOL_LEADER, school=other)
    with pytest.raises(PermissionDenied):
        services.plan_offering(school=school, module_version=v, school_year=2026, by=other_leader)
    assert not Offering.objects.exists()


def test_a_partner_of_another_school_is_never_linked(school, leader):
    f.LicenceFactory(school=school)
    foreign = f.PartnerFactory()
    with pytest.raises(services.OtherSchool):
        services.plan_offering(school=school, module_version=version("ZW-K-41"), school_year=2026,
                               taught_at="partner", partner=foreign, by=leader)


def test_history_keeps_who_changed_an_offering(school, leader):
    f.LicenceFactory(school=school)
    offering, _ = services.plan_offering(school=school, module_version=version("ZW-K-42"), school_year=2026,
                                         by=leader)
    services.change_offering(offering=offering, by=leader, capacity=16, leerwegen=["BB"])
    history = list(offering.history.order_by("history_date"))
    assert [h.capacity for h in history] == [None, 16]
    assert history[-1].history_user == leader
