"""A pilot school for the students tests: SPV regulation, licences, an offering of kennismakende
and verdiepende modules in zorg en welzijn and economie en ondernemen for two school years, a
package, and a GL student in leerjaar 3 (cohort 2025: school year 2025 is now for her)."""

from __future__ import annotations

from types import SimpleNamespace

import pytest

from maatwerk.accounts.models import Role
from tests import factories as f

MODULES = [
    # code, title, type, profiel
    ("ZW-K-01", "Mens en gezondheid", "INTRODUCTORY", "ZW"),
    ("ZW-K-02", "Zorgen voor een ander", "INTRODUCTORY", "ZW"),
    ("EO-K-01", "Kennismaken met de winkel", "INTRODUCTORY", "EO"),
    ("EO-K-02", "Kennismaken met het kantoor", "INTRODUCTORY", "EO"),
    ("EO-V-01", "Presenteren en verkopen", "DEEPENING", "EO"),
    ("EO-V-02", "Webshop", "DEEPENING", "EO"),
    ("EO-V-03", "Ondernemen", "DEEPENING", "EO"),
    ("EO-V-04", "Logistiek", "DEEPENING", "EO"),
    ("ZW-V-01", "Ouderenzorg", "DEEPENING", "ZW"),
    ("OR-01", "Ontdek techniek", "ORIENTING", "BWI"),
]


@pytest.fixture
def pilot(db):
    return build_pilot()


def build_pilot() -> SimpleNamespace:
    school = f.SchoolFactory()
    f.SchoolPolicyFactory(school=school, regulation_id="spv-modulair")
    for code in ("ZW", "EO", "BWI"):
        f.LicenceFactory(school=school, profiel=f.profiel(code), from_year=2020)
    qual = f.MboQualificationFactory(crebo="25255", name="Medewerker retail", level=2)
    versions, offerings = {}, {}
    for code, title, kind, profiel in MODULES:
        version = f.ModuleVersionFactory(module=f.ModuleFactory(code=code), title=title, module_type=kind,
                                         profielen=[f.profiel(profiel)], for_tl=True)
        if code.startswith("EO-V"):
            from maatwerk.catalog.models import unfrozen

            with unfrozen():
                version.mbo_qualifications.add(qual)
        versions[code] = version
        for year in (2025, 2026):
            offerings[(code, year)] = f.OfferingFactory(school=school, module_version=version, school_year=year,
                                                        for_tl=True)
    package = f.PackageFactory(school=school, name="Economie en ondernemen breed", school_year=2025)
    for order, (code, level) in enumerate([("EO-K-01", 3), ("EO-K-02", 3), ("EO-V-01", 3), ("EO-V-02", 4),
                                           ("EO-V-03", 4), ("EO-V-04", 4)]):
        f.PackageModuleFactory(package=package, module=versions[code].module, year_level=level, order=order)
    package.mbo_qualifications.add(qual)
    student = f.StudentFactory(school=school, leerweg="GL", year_level=3, cohort=2025, class_name="3GL1",
                               first_name="Sanne", last_name="Jansen")
    other = f.StudentFactory(school=school, leerweg="GL", year_level=3, cohort=2025, class_name="3GL1")
    mentor = f.member(Role.MENTOR, school=school)
    student.mentor = mentor
    student.save()
    return SimpleNamespace(
        school=school, versions=versions, offerings=offerings, package=package, student=student, other=other,
        student_user=f.member(Role.STUDENT, school=school, student=student),
        other_user=f.member(Role.STUDENT, school=school, student=other),
        parent=f.member(Role.PARENT, school=school, student=student),
        mentor=mentor, counsellor=f.member(Role.COUNSELLOR, school=school),
        teacher=f.member(Role.TEACHER, school=school), qualification=qual,
    )


def complete_programme(pilot, by=None):
    """A programme for the pilot student that the engine accepts (GL: 6 units, 2 kennismakend)."""
    from maatwerk.students import services

    by = by or pilot.student_user
    programme = services.start_programme(student=pilot.student, by=by).programme
    for code, year in [("EO-K-01", 2025), ("EO-K-02", 2025), ("EO-V-01", 2025), ("EO-V-02", 2026),
                       ("EO-V-03", 2026), ("EO-V-04", 2026)]:
        services.add_module(programme=programme, offering=pilot.offerings[(code, year)], by=by)
    return programme
