"""Reads of the menukaart that pages and the API share. Every queryset goes through
`accounts.scoping.visible_to` (concepts and the steward's work only for stewards) and carries the
select_related/prefetch_related that keep the number of queries flat as the catalogue grows."""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Count, Exists, F, OuterRef, Prefetch, Q, QuerySet, Subquery, Sum

from maatwerk.accounts.scoping import roles_of, visible_to
from maatwerk.domain import Leerweg, school_year_of
from maatwerk.kern.models import KernObjective

from . import cycle
from .models import (
    ExampleAssessment,
    MboQualification,
    Module,
    ModuleGuide,
    ModuleObjective,
    ModuleProposal,
    ModuleType,
    ModuleUsageReport,
    ModuleVersion,
    Profiel,
    ProposalStatus,
    Review,
    ReviewDecision,
    VersionStatus,
)

PAGE_SIZE = 25


def is_steward(user) -> bool:
    return bool(getattr(user, "is_superuser", False)) or roles_of(user).is_steward


@dataclass(frozen=True)
class CatalogFilters:
    q: str = ""
    module_type: str = ""
    profiel: str = ""
    leerweg: str = ""
    kern: str = ""          # KernObjective pk
    mbo: str = ""           # crebo
    status: str = ""        # "" (on the menukaart), retired, withdrawn, concept (stewards), all
    cross_sector: bool = False

    @classmethod
    def from_query(cls, data) -> CatalogFilters:
        get = data.get
        return cls(
            q=(get("q") or "").strip()[:200], module_type=get("soort") or get("module_type") or "",
            profiel=get("profiel") or "", leerweg=(get("leerweg") or "").upper(), kern=get("kern") or "",
            mbo=get("mbo") or "", status=get("status") or "",
            cross_sector=(get("sectoroverstijgend") or get("cross_sector") or "") in {"1", "on", "true", "ja"},
        )

    @property
    def active(self) -> bool:
        return any([self.q, self.module_type, self.profiel, self.leerweg, self.kern, self.mbo, self.status,
                    self.cross_sector])


STATUS_CHOICES = [
    ("", "Op de menukaart"),
    ("retired", "Van de menukaart (vijf jaar geen examen of ingetrokken)"),
    ("all", "Alle modulen"),
]
STEWARD_STATUS_CHOICES = [*STATUS_CHOICES, ("concept", "Concepten (alleen beheer)")]


def search_terms(q: str) -> list[str]:
    return [t for t in cycle.normalize(q).split() if t][:10]


def catalog_versions(user, filters: CatalogFilters, *, today: dt.date | None = None) -> QuerySet[ModuleVersion]:
    """The rows of the menukaart: each module's current version (or, for stewards asking for concepts,
    the concept versions), filtered and searched. Search is accent-insensitive over code, title,
    summary, objectives and profielen (the normalised `search_text`), every word must occur."""
    year = school_year_of(today)
    qs = visible_to(user, ModuleVersion)
    if filters.status == "concept" and is_steward(user):
        qs = qs.filter(status=VersionStatus.CONCEPT)
    else:
        qs = qs.filter(module__current_version=F("pk"))
        if filters.status == "retired":
            qs = qs.filter(Q(module__retired_from__lte=year) | Q(status=VersionStatus.WITHDRAWN))
        elif filters.status != "all":
            qs = qs.filter(Q(module__retired_from__isnull=True) | Q(module__retired_from__gt=year))
            qs = qs.exclude(status=VersionStatus.WITHDRAWN)
    for term in search_terms(filters.q):
        qs = qs.filter(search_text__contains=term)
    if filters.module_type in ModuleType.values:
        qs = qs.filter(module_type=filters.module_type)
    if filters.profiel:
        qs = qs.filter(profielen__code=filters.profiel)
    if filters.leerweg in Leerweg.values:
        qs = qs.filter(**{f"for_{filters.leerweg.lower()}": True})
    if filters.kern.isdigit():
        qs = qs.filter(kern_objectives__pk=int(filters.kern))
    if filters.mbo:
        qs = qs.filter(mbo_qualifications__crebo=filters.mbo)
    if filters.cross_sector:
        crossing = ModuleVersion.profielen.through.objects.values("moduleversion_id").annotate(
            n=Count("profiel_id")).filter(n__gt=1).values("moduleversion_id")
        qs = qs.filter(pk__in=crossing)
    return (qs.distinct().select_related("module")
            .prefetch_related(Prefetch("profielen", queryset=Profiel.objects.order_by("name")))
            .order_by("module__code", "-version"))


def filter_options(user) -> dict:
    """The choices of the filter form (four queries, whatever the catalogue size)."""
    return {
        "types": ModuleType.choices,
        "profielen": list(Profiel.objects.order_by("name")),
        "leerwegen": Leerweg.choices,
        "kern_objectives": list(
            KernObjective.objects.filter(module_versions__isnull=False).select_related("area")
            .distinct().order_by("area__order", "order")),
        "mbo": list(MboQualification.objects.order_by("name")),
        "statuses": STEWARD_STATUS_CHOICES if is_steward(user) else STATUS_CHOICES,
    }


def version_detail_queryset(user) -> QuerySet[ModuleVersion]:
    return visible_to(user, ModuleVersion).select_related("module", "published_by", "based_on").prefetch_related(
        Prefetch("objectives", queryset=ModuleObjective.objects.order_by("order")),
        Prefetch("guides", queryset=ModuleGuide.objects.order_by("leerweg")),
        Prefetch("profielen", queryset=Profiel.objects.order_by("name")),
        Prefetch("kern_objectives", queryset=KernObjective.objects.select_related("area").order_by(
            "area__order", "order")),
        Prefetch("mbo_qualifications", queryset=MboQualification.objects.order_by("level", "name")),
        Prefetch("examples", queryset=ExampleAssessment.objects.order_by("title")),
    )


def module_versions(user, module: Module) -> list[ModuleVersion]:
    """The version history a user may see (concepts only for stewards), newest first."""
    return list(visible_to(user, ModuleVersion).filter(module=module).order_by("-version"))


def version_for_year(module: Module, school_year: int) -> ModuleVersion | None:
    """The version that applies in `school_year`: the published or superseded version whose validity
    covers the year. A version published to start in a later year does not apply yet; until then its
    predecessor (already marked superseded) still applies."""
    return (module.versions.exclude(status=VersionStatus.CONCEPT)
            .filter(valid_from__lte=school_year)
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=school_year))
            .order_by("-valid_from").first())


# --- steward ------------------------------------------------------------------------------------


def proposals_for(user) -> QuerySet[ModuleProposal]:
    return visible_to(user, ModuleProposal).select_related(
        "school", "platform", "submitted_by", "module", "resulting_version__module").prefetch_related("profielen")


def proposal_inbox(user) -> QuerySet[ModuleProposal]:
    return proposals_for(user).filter(status__in=[ProposalStatus.SUBMITTED, ProposalStatus.IN_ASSESSMENT]).order_by(
        "round_year", "submitted_at")


def review_calendar(user, on: dt.date) -> dict[str, list]:
    """Open reviews due this year (within a year from `on`) and overdue; updates ordered by a review
    that are overdue; and the reviews that the lifecycle has not yet scheduled but that fall due
    within a year (so the steward sees them coming)."""
    reviews = visible_to(user, Review).select_related("module", "version")
    # a module already off the menukaart needs no review
    open_reviews = list(reviews.filter(decision="", module__retired_from__isnull=True).order_by("due_on"))
    horizon = cycle.add_years(on, 1)
    updates = list(reviews.filter(decision=ReviewDecision.UPDATE, update_version__isnull=True).order_by(
        "update_due_on"))
    return {
        "overdue": [r for r in open_reviews if r.due_on < on],
        "due": [r for r in open_reviews if on <= r.due_on <= horizon],
        "later": [r for r in open_reviews if r.due_on > horizon],
        "updates_overdue": [r for r in updates if r.update_due_on and r.update_due_on < on],
        "updates_open": [r for r in updates if not r.update_due_on or r.update_due_on >= on],
        "recent": list(reviews.exclude(decision="").order_by("-decided_on")[:10]),
    }


def usage_by_year(module_ids, years: list[int]) -> dict[int, dict[int, int]]:
    """{module id: {school year: exams}} in one query."""
    table: dict[int, dict[int, int]] = defaultdict(lambda: dict.fromkeys(years, 0))
    rows = (ModuleUsageReport.objects.filter(module_id__in=module_ids, school_year__in=years)
            .values_list("module_id", "school_year").annotate(n=Sum("exams_taken")).order_by())
    for module_id, year, n in rows:
        table[module_id][year] = n
    return table


def removal_watch(on: dt.date, *, min_empty_years: int = 3) -> dict:
    """Modules heading for removal: the current school year and at least `min_empty_years` completed
    school years before it without any exam; `due` marks those that meet the removal rule now."""
    years_total = cycle.param("removal_years")
    current = school_year_of(on)
    years = list(range(current - years_total - 1, current + 1))
    last_exam = (ModuleUsageReport.objects.filter(module=OuterRef("pk"), exams_taken__gt=0)
                 .order_by("-school_year").values("school_year")[:1])
    modules = (Module.objects.filter(retired_from__isnull=True, current_version__status=VersionStatus.PUBLISHED)
               .annotate(last_exam_year=Subquery(last_exam)).select_related("current_version")
               .filter(Q(last_exam_year__isnull=True) | Q(last_exam_year__lte=current - min_empty_years - 1)))
    from .services import removal_candidates

    due = {m.pk for m, _ in removal_candidates(on)}
    # Only modules with usage data are "heading for removal"; a module nobody has reported on yet is
    # listed apart (no data is not the same as no exams, until the reports come in).
    reported = set(Module.objects.filter(Exists(ModuleUsageReport.objects.filter(module=OuterRef("pk"))))
                   .values_list("pk", flat=True))  # an index probe per module, not a read of every report
    rows = [m for m in modules.order_by("code") if m.pk in reported or m.pk in due]
    usage = usage_by_year([m.pk for m in rows], years)
    return {
        "years": years,
        "rows": [{"module": m, "usage": [usage[m.pk][y] for y in years], "due": m.pk in due,
                  "last_exam_year": m.last_exam_year} for m in rows],
        "effective_year": cycle.removal_effective_year(on),
        "unreported": modules.exclude(pk__in=reported).count(),
    }
