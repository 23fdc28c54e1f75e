"""Rows for the insight tests, made with the factories (so every count below is known to the test)."""

from __future__ import annotations

import datetime as dt
from decimal import Decimal

from tests import factories as f


def modules():
    """Two kennismakende (ZW, EO) and two verdiepende (ZW, EO) modules of one unit."""
    zw, eo = f.profiel("ZW"), f.profiel("EO")
    return {
        "k_zw": f.ModuleVersionFactory(module_type="INTRODUCTORY", profielen=[zw], valid_from=2024),
        "k_eo": f.ModuleVersionFactory(module_type="INTRODUCTORY", profielen=[eo], valid_from=2024),
        "v_zw": f.ModuleVersionFactory(module_type="DEEPENING", profielen=[zw], valid_from=2024),
        "v_eo": f.ModuleVersionFactory(module_type="DEEPENING", profielen=[eo], valid_from=2024, units=2),
    }


def school_with_students(n: int, *, mods=None, leerweg="KB", year_level=4, class_name="4K1", school=None,
                         route_every: int = 0, statuses=("completed", "completed", "planned")):
    """A pilot school (spv-modulair) with `n` students, each with a programme: kennismakend ZW, verdiepend ZW
    (every third student verdiepend EO instead), items with the given statuses."""
    mods = mods or modules()
    school = school or f.SchoolFactory()
    f.SchoolPolicyFactory(school=school, regulation_id="spv-modulair")
    for p in ("ZW", "EO"):
        f.LicenceFactory(school=school, profiel=f.profiel(p))
    for version in mods.values():
        for year in (2025, 2026):
            f.OfferingFactory(school=school, module_version=version, school_year=year, for_kb=True, for_bb=True,
                              for_gl=True, for_tl=True)
    route = None
    if route_every:
        route = f.ContinuousRouteFactory(school=school)
    students = []
    for i in range(n):
        student = f.StudentFactory(school=school, leerweg=leerweg, year_level=year_level, cohort=2025,
                                   class_name=class_name)
        programme = f.ProgrammeFactory(student=student, regulation_id="spv-modulair")
        deep = mods["v_eo"] if i % 3 == 2 else mods["v_zw"]
        for version, status in zip((mods["k_zw"], deep, mods["k_eo"]), statuses, strict=False):
            f.ProgrammeItemFactory(programme=programme, module_version=version, status=status, school_year=2025,
                                   year_level=3)
        if route is not None and i % route_every == 0:
            route.students.add(student)
        students.append(student)
    return school, students, mods


def decide(students, outcome: str, *, regulation="spv-modulair", year=2026):
    return [f.ExamDecisionFactory(student=s, outcome=outcome, regulation_id=regulation, school_year=year)
            for s in students]


def activity(student, **competencies):
    return f.CareerActivityFactory(student=student, date=dt.date(2026, 10, 1), work_exploration=False,
                                   **competencies)


def overdue_item(school, version, *, cohort=2025, deadline=dt.date(2026, 10, 1)):
    pta = f.PtaFactory(school=school, cohort=cohort, for_kb=True)
    item = f.PtaItemFactory(pta=pta, deadline=deadline, weight=Decimal("1"))
    item.module_versions.add(version)
    return item
