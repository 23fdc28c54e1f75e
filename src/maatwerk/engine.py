"""The bridge from the database to the pure rules engine (maatwerk.rules).

Every app that asks the engine something builds its inputs here, in bulk, with a fixed number of
queries, so that a page, an API call, an import and a national benchmark all feed the engine the
same facts. No rule lives here: only translation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch

from maatwerk.rules.findings import Finding, Severity, Verdict, finding
from maatwerk.rules.programme import (
    ModuleRef,
    OfferingInput,
    ProgrammeInput,
    ProgrammeItemInput,
    SchoolPolicyInput,
    package_completable,
    validate_programme,
)
from maatwerk.rules.regulation import Regulation, load_regulation, regulation_for_cohort


def module_status(version, school_year: int | None = None) -> str:
    """The engine's view of a version: published / superseded / withdrawn / retired (from a year)."""
    module = version.module
    if module.retired_from is not None and (school_year is None or school_year >= module.retired_from):
        return "retired"
    if version.status == "concept":
        raise ValueError(f"{module.code} v{version.version} is een concept en kan niet in een programma.")
    return version.status


def module_ref(version, school_year: int | None = None, profiel_codes: Iterable[str] | None = None) -> ModuleRef:
    """A ModuleRef for a ModuleVersion. Pass `profiel_codes` when profielen are prefetched elsewhere;
    otherwise `version.profielen.all()` is used (prefetch it: see `versions_for_engine`)."""
    if profiel_codes is None:
        profiel_codes = [p.code for p in version.profielen.all()]
    return ModuleRef(
        code=version.module.code,
        version_id=version.pk,
        title=version.title,
        module_type=version.module_type,
        units=version.units,
        profielen=tuple(sorted(profiel_codes)),
        leerwegen=tuple(version.leerwegen),
        legacy_kind=version.legacy_kind or None,
        status=module_status(version, school_year),
    )


def versions_for_engine(qs):
    """The queryset shape module_ref needs: module and profielen in two queries."""
    return qs.select_related("module").prefetch_related("profielen")


def offering_input(school, school_years: Iterable[int] | None = None) -> OfferingInput:
    """What `school` offers (module code, school year, leerweg) and its licences per school year."""
    from maatwerk.schools.models import Licence, Offering

    offerings = Offering.objects.filter(school=school).select_related("module_version__module")
    if school_years is not None:
        school_years = sorted(set(school_years))
        offerings = offerings.filter(school_year__in=school_years)
    offered = frozenset(
        (o.module_version.module.code, o.school_year, lw) for o in offerings for lw in o.leerwegen
    )
    licences = list(Licence.objects.filter(school=school).select_related("profiel"))
    years = school_years or sorted({o.school_year for o in offerings} | {lic.from_year for lic in licences})
    per_year: dict[int, frozenset[str]] = {
        year: frozenset(lic.profiel.code for lic in licences if lic.covers(year)) for year in years
    }
    return OfferingInput(offered=offered, licensed_profielen=per_year)


def policy_input(school) -> SchoolPolicyInput:
    from maatwerk.schools.models import SchoolPolicy

    policy = SchoolPolicy.objects.filter(school=school).first()
    if policy is None:
        return SchoolPolicyInput()
    return SchoolPolicyInput(
        introductory_before_deepening=policy.introductory_before_deepening,
        extra_min_units={k: int(v) for k, v in (policy.extra_min_units or {}).items()},
        extra_min_introductory=policy.extra_min_introductory,
        extra_min_deepening=policy.extra_min_deepening,
        max_units_per_year=policy.max_units_per_year,
    )


def regulation_of(regulation_id: str | None, cohort: int | None = None) -> Regulation:
    if regulation_id:
        return load_regulation(regulation_id)
    return regulation_for_cohort(cohort)


def programme_inputs(programmes) -> dict[int, ProgrammeInput]:
    """ProgrammeInputs for many programmes at once (three queries whatever their number)."""
    from maatwerk.students.models import ProgrammeItem

    programmes = list(programmes.select_related("student__profiel") if hasattr(programmes, "select_related")
                      else programmes)
    items = (
        ProgrammeItem.objects.filter(programme__in=[p.pk for p in programmes])
        .select_related("module_version__module")
        .prefetch_related(Prefetch("module_version__profielen"))
        .order_by("school_year", "period", "pk")
    )
    by_programme = defaultdict(list)
    for item in items:
        by_programme[item.programme_id].append(item)
    return {p.pk: programme_input(p, by_programme[p.pk]) for p in programmes}


def programme_input(programme, items=None) -> ProgrammeInput:
    student = programme.student
    if items is None:
        items = versions_for_items(programme.items.all())
    return ProgrammeInput(
        student_id=student.pk,
        leerweg=student.leerweg,
        year_level=student.year_level,
        cohort=student.cohort,
        profiel=student.profiel.code if student.profiel_id else None,
        items=tuple(
            ProgrammeItemInput(
                module=module_ref(item.module_version, item.school_year),
                school_year=item.school_year,
                year_level=item.year_level,
                status=item.status,
            )
            for item in items
        ),
        kern_included=True,
    )


def versions_for_items(items_qs):
    return items_qs.select_related("module_version__module").prefetch_related("module_version__profielen")


# --- the school's offering and packages (schools app) ------------------------------------------

#: The engine's item rules that decide whether a school may offer a module version.
OFFERING_CODES = frozenset({
    "PROGRAMME_PROFIEL_NOT_LICENSED", "PROGRAMME_MODULE_WITHDRAWN", "PROGRAMME_MODULE_RETIRED",
    "PROGRAMME_MODULE_SUPERSEDED", "PROGRAMME_MODULE_WRONG_LEERWEG",
})


def _not_published(version) -> Verdict:
    """A concept version is not on the menukaart; the engine calls such a module unusable
    ("niet gepubliceerd"), which for an offering is an error."""
    code = version.module.code
    return Verdict.of([finding(
        "PACKAGE_MODULE_UNUSABLE",
        f"De module {code} ({version.title}) versie {version.version} is nog een concept: deze versie is niet "
        f"gepubliceerd en staat dus niet op de menukaart.",
        subject=code, severity=Severity.ERROR,
    )])


def offering_verdict(version, *, school_year: int, leerwegen: Iterable[str], regulation: Regulation,
                     offering: OfferingInput, profiel_codes: Iterable[str] | None = None) -> Verdict:
    """What the engine says about a school offering `version` in `school_year` for `leerwegen`.

    The engine's item rules of `validate_programme` (licence for the module's profiel, withdrawn,
    retired, superseded, leerweg) are applied to a one-module programme per leerweg; only the
    findings in OFFERING_CODES about this module are kept. `offering` carries the school's licences
    (see `offering_input`). Under a regulation that licenses the student's profiel (vmbo-huidig) a
    profielmodule needs a licence for one of its profielen.
    """
    if version.status == "concept":
        return _not_published(version)
    ref = module_ref(version, school_year, profiel_codes)
    leerwegen = [lw for lw in ("BB", "KB", "GL", "TL") if lw in set(leerwegen)]
    year_level = 1 if ref.module_type == "ORIENTING" else int(regulation.value("upper_year_start"))
    probe = OfferingInput(
        offered=offering.offered | {(ref.code, school_year, lw) for lw in leerwegen},
        licensed_profielen=offering.licensed_profielen,
    )
    item = ProgrammeItemInput(module=ref, school_year=school_year, year_level=year_level, status="planned")
    per_profiel = (ref.profielen or (None,)) if (
        regulation.kind != "spv-modulair" and ref.legacy_kind == "profielmodule") else (None,)
    found: dict[tuple[str, str], Finding] = {}
    for lw in leerwegen:
        licence_findings = []
        for profiel in per_profiel:
            programme = ProgrammeInput(student_id="aanbod", leerweg=lw, year_level=year_level, cohort=school_year,
                                       profiel=profiel, items=(item,))
            verdict = validate_programme(programme, regulation, None, probe)
            licence = [f for f in verdict.findings if f.code == "PROGRAMME_PROFIEL_NOT_LICENSED"]
            licence_findings.append(licence)
            for f in verdict.findings:
                if f.code in OFFERING_CODES and f.code != "PROGRAMME_PROFIEL_NOT_LICENSED" and f.subject == ref.code:
                    found.setdefault((f.code, f.message), f)
        if licence_findings and all(licence_findings):  # no profiel of the module is licensed
            f = licence_findings[0][0]
            found.setdefault((f.code, f.message), f)
    return Verdict.of(found.values())


def package_module_refs(modules, school_year: int | None = None) -> tuple[list[ModuleRef], list[Finding]]:
    """ModuleRefs for catalog Modules, each by the version in force (`current_version`; prefetch
    `current_version__module` and `current_version__profielen`). A module without any published
    version cannot be used; it is reported, not passed to the engine."""
    refs, unusable = [], []
    for module in modules:
        version = module.current_version
        if version is None or version.status == "concept":
            unusable.append(finding("PACKAGE_MODULE_UNUSABLE",
                                    f"De module {module.code} telt niet mee: er is geen gepubliceerde versie.",
                                    subject=module.code))
            continue
        refs.append(module_ref(version, school_year))
    return refs, unusable


def package_verdicts(modules, *, school_year: int, regulation: Regulation, policy: SchoolPolicyInput,
                     offering: OfferingInput | None,
                     leerwegen: Iterable[str] = ("BB", "KB", "GL", "TL")) -> dict[str, Verdict]:
    """Per leerweg: can a student complete `regulation` choosing only from `modules` (catalog Modules)?"""
    refs, unusable = package_module_refs(modules, school_year)
    out = {}
    for lw in leerwegen:
        verdict = package_completable(tuple(refs), lw, regulation, policy, offering)
        out[lw] = Verdict.of((*unusable, *verdict.findings)) if unusable else verdict
    return out


# --- module outcomes (assessment app) -----------------------------------------------------------

#: (student id, PTA id, module version id): one module exam of one student under one PTA.
OutcomeKey = tuple[int, int, int]


def module_outcome_inputs(keys: Iterable[OutcomeKey]):
    """The engine's inputs for `module_outcome` per key, in three queries whatever the number of keys.

    Returns {key: (item_results, pta_items, regulation)}. The PTA items of a key are the items of that
    PTA that close that module version (an item may close a combination of modules, so it counts for
    each); the results are the student's attempts at those items; the regulation is the PTA's."""
    from maatwerk.assessment.models import Pta, PtaItem, Result
    from maatwerk.rules.outcome import ItemResultInput, PtaItemInput

    keys = list(dict.fromkeys(keys))
    if not keys:
        return {}
    ptas = Pta.objects.only("pk", "regulation_id", "cohort").in_bulk({k[1] for k in keys})
    links = (
        PtaItem.module_versions.through.objects
        .filter(ptaitem__pta_id__in=set(ptas), moduleversion_id__in={k[2] for k in keys})
        .select_related("ptaitem")
        .order_by("ptaitem__code", "ptaitem_id")
    )
    items: dict[tuple[int, int], list] = defaultdict(list)
    for link in links:
        items[(link.ptaitem.pta_id, link.moduleversion_id)].append(link.ptaitem)
    item_ids = {item.pk for group in items.values() for item in group}
    results: dict[tuple[int, int], list] = defaultdict(list)
    for r in (Result.objects.filter(student_id__in={k[0] for k in keys}, item_id__in=item_ids)
              .only("student_id", "item_id", "attempt", "grade", "qualification").order_by("attempt")):
        results[(r.student_id, r.item_id)].append(r)
    out = {}
    for key in keys:
        student_id, pta_id, version_id = key
        pta_items = items.get((pta_id, version_id), [])
        pta = ptas[pta_id]
        regulation = regulation_of(pta.regulation_id, pta.cohort)
        item_inputs = tuple(
            PtaItemInput(code=item.code, weight=item.weight, result_kind=item.result_kind,
                         resit_allowed=item.resit_allowed, max_attempts=item.max_attempts)
            for item in pta_items
        )
        result_inputs = tuple(
            ItemResultInput(item_code=item.code, attempt=r.attempt, grade=r.grade,
                            qualification=r.qualification or None)
            for item in pta_items for r in results.get((student_id, item.pk), [])
        )
        out[key] = (result_inputs, item_inputs, regulation)
    return out


def module_outcomes(keys: Iterable[OutcomeKey]):
    """`module_outcome` for many module exams at once: {key: ModuleOutcome}. A key whose PTA has no
    item closing the module gets the engine's INCOMPLETE (OUTCOME_NO_PTA_ITEMS)."""
    from maatwerk.rules.outcome import module_outcome

    return {key: module_outcome(results, items, regulation)
            for key, (results, items, regulation) in module_outcome_inputs(keys).items()}
