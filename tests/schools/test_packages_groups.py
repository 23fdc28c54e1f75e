"""A package's completability per leerweg (the engine's package_completable), the policy, partners and
teaching groups with mixed leerwegen."""

from __future__ import annotations

import pytest

from maatwerk.catalog.models import unfrozen
from maatwerk.schools import selectors, services
from maatwerk.schools.models import Package
from tests import factories as f

from .conftest import version

pytestmark = pytest.mark.django_db


def offered(school, leader, versions, year=2026):
    for v in versions:
        services.plan_offering(school=school, module_version=v, school_year=year, by=leader)
    return [v.module for v in versions]


@pytest.fixture
def six(school, leader):
    """Three kennismakende and three verdiepende ZW modules for BB, KB and GL, offered in 2026."""
    f.LicenceFactory(school=school)
    intro = [version(f"ZW-K-{i}") for i in range(3)]
    deep = [version(f"ZW-V-{i}", module_type="DEEPENING") for i in range(3)]
    return offered(school, leader, intro + deep)


def check(school, package):
    package = selectors.packages(package.school.memberships.first().user, school=school).get(pk=package.pk)
    return selectors.package_checks([package], school)[package.pk]


def test_completability_per_leerweg(school, leader, six):
    package = services.create_package(school=school, name="Zorg breed", kind="broad", school_year=2026,
                                      modules=six, by=leader)
    result = check(school, package)
    # spv-modulair: minimum 8 units for BB and KB, 6 for GL, 4 for TL; the modules have no TL elaboration.
    assert result.completable == ["GL"]
    assert result.verdicts["BB"].codes == {"PACKAGE_UNITS_TOO_FEW"}
    assert "PACKAGE_MODULE_UNUSABLE" in result.verdicts["TL"].codes
    assert "PACKAGE_UNITS_TOO_FEW" in result.verdicts["TL"].codes
    more = offered(school, leader, [version("ZW-V-8", module_type="DEEPENING"),
                                    version("ZW-V-9", module_type="DEEPENING")])
    services.change_package(package=package, modules=[*six, *more], by=leader)
    assert check(school, package).completable == ["BB", "KB", "GL"]


def test_a_module_the_school_does_not_offer_does_not_count(school, leader, six):
    not_offered = version("ZW-V-50", module_type="DEEPENING")
    package = services.create_package(school=school, name="P", kind="narrow", school_year=2026,
                                      modules=[*six[:5], not_offered.module], by=leader)
    verdict = check(school, package).verdicts["GL"]
    assert not verdict.ok
    unusable = [x for x in verdict.findings if x.code == "PACKAGE_MODULE_UNUSABLE"]
    assert [x.subject for x in unusable] == ["ZW-V-50"]


def test_the_school_policy_asks_kennismakend_before_verdiepend(school, leader, six):
    deep_only = [m for m in six if m.code.startswith("ZW-V")]
    package = services.create_package(school=school, name="Alleen verdieping", kind="narrow", school_year=2026,
                                      modules=deep_only, by=leader)
    assert "PACKAGE_INTRODUCTORY_MISSING" not in check(school, package).verdicts["GL"].codes
    services.save_policy(school=school, introductory_before_deepening=True, by=leader)
    assert "PACKAGE_INTRODUCTORY_MISSING" in check(school, package).verdicts["GL"].codes


def test_extra_minimums_of_the_school_raise_the_bar(school, leader, six):
    package = services.create_package(school=school, name="Zorg", kind="broad", school_year=2026, modules=six,
                                      by=leader)
    assert "GL" in check(school, package).completable
    services.save_policy(school=school, extra_min_units={"GL": 1}, by=leader)
    assert "GL" not in check(school, package).completable


def test_a_policy_outside_the_regulation_is_refused(school, leader):
    with pytest.raises(services.SchoolsError) as exc:
        services.save_policy(school=school, max_units_per_year=2, by=leader)
    assert exc.value.code == "policy_outside_regulation"
    assert {x.code for x in exc.value.findings} == {"PACKAGE_YEAR_CAPACITY"}
    with pytest.raises(services.SchoolsError):
        services.save_policy(school=school, extra_min_units={"XX": 1}, by=leader)
    with pytest.raises(services.SchoolsError):
        services.save_policy(school=school, regulation_id="bestaat-niet", by=leader)


def test_package_leads_to_the_mbo_qualifications_of_its_modules(school, leader, six):
    q = f.MboQualificationFactory(name="Helpende zorg en welzijn")
    with unfrozen():
        six[0].current_version.mbo_qualifications.add(q)
    package = services.create_package(school=school, name="Zorg", kind="broad", school_year=2026, modules=six,
                                      mbo_qualifications=[q], by=leader)
    assert check(school, package).leads_to == (q,)
    assert list(package.mbo_qualifications.all()) == [q]


def test_package_names_are_unique_per_year_and_history_is_kept(school, leader):
    package = services.create_package(school=school, name="Horeca", kind="narrow", school_year=2026, by=leader)
    with pytest.raises(services.SchoolsError) as exc:
        services.create_package(school=school, name="Horeca", kind="broad", school_year=2026, by=leader)
    assert exc.value.code == "package_exists"
    services.change_package(package=package, regional_rationale="Veel hotels in de regio.", by=leader)
    assert package.history.count() == 2
    assert Package.objects.count() == 1


def test_a_teaching_group_mixes_leerwegen_and_refuses_a_leerweg_not_offered(school, leader):
    f.LicenceFactory(school=school)
    v = version("ZW-K-60", leerwegen=("BB", "KB", "GL", "TL"))
    offering, _ = services.plan_offering(school=school, module_version=v, school_year=2026,
                                         leerwegen=["BB", "KB", "GL"], by=leader)
    mixed = [f.StudentFactory(school=school, leerweg=lw) for lw in ("BB", "KB", "GL")]
    group = services.create_teaching_group(school=school, offering=offering, name="3ZW-a", students=mixed,
                                           by=leader)
    assert {s.leerweg for s in group.students.all()} == {"BB", "KB", "GL"}
    tl = f.StudentFactory(school=school, leerweg="TL")
    with pytest.raises(services.SchoolsError) as exc:
        services.add_students(group=group, students=[tl], by=leader)
    assert {x.code for x in exc.value.findings} == {"PROGRAMME_MODULE_NOT_OFFERED"}
    foreign = f.StudentFactory(leerweg="KB")
    with pytest.raises(services.OtherSchool):
        services.add_students(group=group, students=[foreign], by=leader)
    assert group.students.count() == 3


def test_each_student_row_shows_the_guide_for_their_own_leerweg(school, leader):
    from maatwerk.catalog.models import ModuleGuide

    f.LicenceFactory(school=school)
    v = version("ZW-K-61")
    with unfrozen():
        ModuleGuide.objects.create(version=v, leerweg="BB", emphasis="meer praktijk", text="Veel doen.")
        ModuleGuide.objects.create(version=v, leerweg="GL", emphasis="meer theorie", text="Verdieping.")
    offering, _ = services.plan_offering(school=school, module_version=v, school_year=2026, by=leader)
    bb, kb, gl = (f.StudentFactory(school=school, leerweg=lw) for lw in ("BB", "KB", "GL"))
    group = services.create_teaching_group(school=school, offering=offering, name="g", students=[bb, kb, gl],
                                           by=leader)
    rows = {r.student.leerweg: r.guide for r in selectors.group_rows(selectors.teaching_group(leader, group.pk))}
    assert rows["BB"].emphasis == "meer praktijk"
    assert rows["GL"].emphasis == "meer theorie"
    assert rows["KB"] is None


def test_removing_an_offering_with_groups_is_refused(school, leader):
    f.LicenceFactory(school=school)
    offering, _ = services.plan_offering(school=school, module_version=version("ZW-K-62"), school_year=2026,
                                         by=leader)
    services.create_teaching_group(school=school, offering=offering, name="g", by=leader)
    with pytest.raises(services.InUse):
        services.remove_offering(offering=offering, by=leader)


def test_licences_do_not_overlap(school, leader):
    services.add_licence(school=school, profiel=f.profiel("ZW"), from_year=2020, to_year=2025, by=leader)
    with pytest.raises(services.SchoolsError) as exc:
        services.add_licence(school=school, profiel=f.profiel("ZW"), from_year=2024, by=leader)
    assert exc.value.code == "licence_overlap"
    licence = services.add_licence(school=school, profiel=f.profiel("ZW"), from_year=2026, by=leader)
    assert licence.history.first().history_user == leader
