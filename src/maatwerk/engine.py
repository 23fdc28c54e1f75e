"""The bridge from the database to the pure rules engine (maatwerk.rules).

Every app that asks the engine something builds its inputs here, in bulk, with a fixed number of
queries, so that a page, an API call, an import and a national benchmark all feed the engine the
same facts. No rule lives here: only translation.
"""

from __future__ import annotations

from collections import defaultdict
from collections.abc import Iterable

from django.db.models import Prefetch

from maatwerk.rules.programme import (
    ModuleRef,
    OfferingInput,
    ProgrammeInput,
    ProgrammeItemInput,
    SchoolPolicyInput,
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
