"""Every finding of the engine about a programme reaches the programme page and the API with its code.

Each case builds a programme in a state that makes the engine report one code (rows written straight
with the factories: a school may stop offering a module, a module may be withdrawn, a student may
change leerweg after the programme was made). The page, the programme endpoint and the validation
endpoint (a draft with the same items, nothing saved) must all show that code.

PROGRAMME_KERN_MISSING cannot occur: the kern is always part of a programme (engine.programme_input
passes kern_included=True), so it is not in this table.
"""

from __future__ import annotations

import pytest
from django.urls import reverse

from maatwerk.catalog.models import Module, ModuleVersion
from maatwerk.schools.models import SchoolPolicy
from maatwerk.students.models import ProgrammeItem
from tests import factories as f


def item(programme, version, year=2025, status="planned"):
    return f.ProgrammeItemFactory(programme=programme, module_version=version, school_year=year,
                                  year_level=year - 2022, status=status)


def new_version(pilot, *, code, kind="DEEPENING", profiel="EO", offer=(2025, 2026), **fields):
    version = f.ModuleVersionFactory(module=f.ModuleFactory(code=code), module_type=kind, for_tl=True,
                                     profielen=[f.profiel(profiel)], **fields)
    for year in offer:
        f.OfferingFactory(school=pilot.school, module_version=version, school_year=year, for_tl=True)
    return version


def units_too_few(pilot, p):
    item(p, pilot.versions["EO-K-01"])


def composition_not_met(pilot, p):
    for code in ("EO-V-01", "EO-V-02", "EO-V-03", "EO-V-04", "ZW-V-01"):
        item(p, pilot.versions[code])
    item(p, new_version(pilot, code="EO-V-09"), 2026)


def not_offered(pilot, p):
    version = new_version(pilot, code="EO-K-09", kind="INTRODUCTORY", offer=(2025,))
    item(p, version, 2026)


def wrong_leerweg(pilot, p):
    version = f.ModuleVersionFactory(module=f.ModuleFactory(code="EO-K-08"), for_gl=False,
                                     profielen=[f.profiel("EO")])
    f.OfferingFactory(school=pilot.school, module_version=version, school_year=2025, for_gl=True)
    item(p, version)


def not_licensed(pilot, p):
    item(p, new_version(pilot, code="PIE-K-01", kind="INTRODUCTORY", profiel="PIE"))


def introductory_first(pilot, p):
    SchoolPolicy.objects.filter(school=pilot.school).update(introductory_before_deepening=True)
    item(p, pilot.versions["EO-V-01"], 2025)
    item(p, pilot.versions["EO-K-01"], 2026)


def withdrawn(pilot, p):
    ModuleVersion.objects.filter(pk=pilot.versions["EO-K-01"].pk).update(status="withdrawn")
    item(p, pilot.versions["EO-K-01"])


def retired(pilot, p):
    Module.objects.filter(code="EO-K-01").update(retired_from=2025)
    item(p, pilot.versions["EO-K-01"])


def superseded(pilot, p):
    ModuleVersion.objects.filter(pk=pilot.versions["EO-K-01"].pk).update(status="superseded")
    item(p, pilot.versions["EO-K-01"])


def duplicate(pilot, p):
    ModuleVersion.objects.filter(pk=pilot.versions["EO-K-01"].pk).update(status="superseded")
    second = f.ModuleVersionFactory(module=pilot.versions["EO-K-01"].module, for_tl=True,
                                    profielen=[f.profiel("EO")])
    item(p, pilot.versions["EO-K-01"], 2025, "completed")
    item(p, second, 2026)


def year_units_exceeded(pilot, p):
    for code in ("ZW-K-01", "ZW-K-02", "EO-K-01", "EO-K-02", "EO-V-01", "EO-V-02", "EO-V-03"):
        item(p, pilot.versions[code], 2025)


def orienting_in_upper_years(pilot, p):
    item(p, pilot.versions["OR-01"], 2025)


def module_size(pilot, p):
    item(p, new_version(pilot, code="EO-V-10", units=2))


def _current(pilot, p, profiel="ZW"):
    p.regulation_id = "vmbo-huidig"
    p.save()
    student = p.student
    student.leerweg = "KB"
    student.profiel = f.profiel(profiel) if profiel else None
    student.save()


def no_profiel(pilot, p):
    _current(pilot, p, profiel=None)


def profielvak_incomplete(pilot, p):
    _current(pilot, p)


def keuzevakken_too_few(pilot, p):
    _current(pilot, p)


def foreign_profielmodulen(pilot, p):
    _current(pilot, p)
    for n in range(3):
        item(p, new_version(pilot, code=f"BWI-PM-0{n + 1}", kind="INTRODUCTORY", profiel="BWI",
                            legacy_kind="profielmodule"))


def not_counted(pilot, p):
    _current(pilot, p)
    item(p, pilot.versions["EO-K-01"])  # a new module: no profielmodule, no keuzevak


CASES = {
    "PROGRAMME_UNITS_TOO_FEW": units_too_few,
    "PROGRAMME_COMPOSITION_NOT_MET": composition_not_met,
    "PROGRAMME_MODULE_NOT_OFFERED": not_offered,
    "PROGRAMME_MODULE_WRONG_LEERWEG": wrong_leerweg,
    "PROGRAMME_PROFIEL_NOT_LICENSED": not_licensed,
    "PROGRAMME_INTRODUCTORY_FIRST": introductory_first,
    "PROGRAMME_MODULE_WITHDRAWN": withdrawn,
    "PROGRAMME_MODULE_RETIRED": retired,
    "PROGRAMME_MODULE_SUPERSEDED": superseded,
    "PROGRAMME_DUPLICATE_MODULE": duplicate,
    "PROGRAMME_YEAR_UNITS_EXCEEDED": year_units_exceeded,
    "PROGRAMME_ORIENTING_IN_UPPER_YEARS": orienting_in_upper_years,
    "PROGRAMME_MODULE_SIZE": module_size,
    "PROGRAMME_NO_PROFIEL": no_profiel,
    "PROGRAMME_PROFIELVAK_INCOMPLETE": profielvak_incomplete,
    "PROGRAMME_KEUZEVAKKEN_TOO_FEW": keuzevakken_too_few,
    "PROGRAMME_FOREIGN_PROFIELMODULEN": foreign_profielmodulen,
    "PROGRAMME_MODULE_NOT_COUNTED": not_counted,
}


def test_the_table_covers_every_programme_code_but_the_kern():
    from maatwerk.rules.findings import CATALOGUE

    programme_codes = {c for c in CATALOGUE if c.startswith("PROGRAMME_")}
    assert programme_codes - set(CASES) == {"PROGRAMME_KERN_MISSING"}


@pytest.mark.parametrize("code", sorted(CASES))
def test_each_finding_reaches_the_page_and_the_api(code, pilot, client, login):
    programme = f.ProgrammeFactory(student=pilot.student, regulation_id="spv-modulair")
    CASES[code](pilot, programme)

    login(client, pilot.mentor)
    html = client.get(reverse("students:programme", args=[pilot.student.pk])).content.decode()
    assert f'data-code="{code}"' in html, code

    detail = client.get(f"/api/v1/students/programmes/{programme.pk}/").json()
    assert code in {x["code"] for x in detail["evaluation"]["findings"]}

    items = [{"module_version": i.module_version_id, "school_year": i.school_year, "status": i.status}
             for i in ProgrammeItem.objects.filter(programme=programme)]
    before = ProgrammeItem.objects.count()
    response = client.post("/api/v1/students/validate/", {
        "student": pilot.student.pk, "regulation_id": programme.regulation_id, "items": items},
        content_type="application/json")
    assert response.status_code == 200, response.content
    found = response.json()["findings"]
    assert code in {x["code"] for x in found}
    assert all({"code", "severity", "message", "source"} <= set(x) for x in found)
    assert ProgrammeItem.objects.count() == before  # validation saves nothing
