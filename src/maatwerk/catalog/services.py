"""Write paths of the menukaart: one function per use case, each permission-checked and in one
transaction. Pages, the API, imports and commands all call these; nothing else writes the models.
History (who, when, old, new) is kept by django-simple-history on Module, ModuleVersion, Review and
ModuleProposal.

`by` is the acting user; commands pass `SYSTEM` (the operator on the command line).
"""

from __future__ import annotations

import csv
import datetime as dt
import io
import re
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from django.core.exceptions import PermissionDenied, ValidationError
from django.db import transaction
from django.db.models import Exists, Max, Min, OuterRef, Sum
from django.utils import timezone

from maatwerk.accounts.models import Membership, Role
from maatwerk.domain import Leerweg, school_year_of

from . import cycle
from .models import (
    ExampleAssessment,
    LifecycleAction,
    LifecycleRun,
    MboQualification,
    Module,
    ModuleGuide,
    ModuleObjective,
    ModuleProposal,
    ModuleType,
    ModuleUsageReport,
    ModuleVersion,
    Profiel,
    ProposalKind,
    ProposalStatus,
    RetirementReason,
    Review,
    ReviewDecision,
    UsageSource,
    VersionPublished,
    VersionStatus,
)

SYSTEM = object()  #: the operator on the command line (management commands)


class CatalogError(ValidationError):
    """A business-rule refusal with a stable code and a Dutch and English message."""

    def __init__(self, code: str, nl: str, en: str, status: int = 400, details=None):
        super().__init__(nl, code=code)
        self.code = code
        self.nl = nl
        self.en = en
        self.status = status
        self.details = details


def _require(by, perm: str, obj=None) -> None:
    if by is SYSTEM:
        return
    if by is None or not by.has_perm(perm, obj):
        raise PermissionDenied("U heeft geen toestemming voor deze handeling.")


def _user(by):
    return None if by is SYSTEM else by


# --- content -------------------------------------------------------------------------------------

LEERWEGEN = [lw.value for lw in Leerweg]
TYPE_LETTER = {ModuleType.ORIENTING: "O", ModuleType.INTRODUCTORY: "K", ModuleType.DEEPENING: "V"}
CONTENT_FIELDS = ("title", "summary", "module_type", "units", "legacy_kind", "legacy_code", "change_note",
                  "source", "data_note")


def next_code(profielen: Sequence[Profiel], module_type: str) -> str:
    """The code of a new module: <PROFIEL>-<O|K|V>-<NN>; a cross-sector module (several profielen) gets
    XS, a module without profiel ALG. Numbers count up per prefix and are never reused."""
    codes = sorted(p.code.upper() for p in profielen)
    prefix = codes[0] if len(codes) == 1 else ("XS" if codes else "ALG")
    prefix = f"{prefix}-{TYPE_LETTER[module_type]}-"
    numbers = [int(m.group(1)) for c in Module.objects.filter(code__startswith=prefix).values_list("code", flat=True)
               if (m := re.fullmatch(re.escape(prefix) + r"(\d+)", c))]
    return f"{prefix}{max(numbers, default=0) + 1:02d}"


def search_text_of(version: ModuleVersion) -> str:
    parts = [version.module.code, version.title, version.summary, version.legacy_code]
    parts += [f"{o.code} {o.text}" for o in version.objectives.all()]
    parts += [p.name for p in version.profielen.all()]
    return cycle.normalize(" ".join(p for p in parts if p))


def _refresh_search_text(version: ModuleVersion) -> None:
    ModuleVersion.objects.filter(pk=version.pk).update(search_text=search_text_of(version))


def _parse_objectives(objectives) -> list[tuple[str, str]]:
    """Objectives as [(code, text)] or [text] or one text with one objective per line."""
    if isinstance(objectives, str):
        objectives = [line.strip() for line in objectives.splitlines() if line.strip()]
    result = []
    for i, item in enumerate(objectives, start=1):
        if isinstance(item, str):
            result.append((f"E{i}", item.strip()))
        elif isinstance(item, Mapping):
            result.append((str(item.get("code") or f"E{i}"), str(item["text"]).strip()))
        else:
            result.append((str(item[0]), str(item[1]).strip()))
    codes = [c for c, _ in result]
    if len(codes) != len(set(codes)):
        raise CatalogError("catalog_objective_code_twice", "Twee eindtermen hebben dezelfde code.",
                           "Two objectives have the same code.")
    return [(c, t) for c, t in result if t]


def _validate_content(data: Mapping) -> None:
    errors = {}
    if "title" in data and not str(data["title"] or "").strip():
        errors["title"] = "Geef de module een titel."
    if "module_type" in data and data["module_type"] not in ModuleType.values:
        errors["module_type"] = "Kies oriënterend, kennismakend of verdiepend."
    if "leerwegen" in data and not set(data["leerwegen"]) <= set(LEERWEGEN):
        errors["leerwegen"] = "Onbekende leerweg; kies uit BB, KB, GL en TL."
    if "units" in data and data["units"] is not None and not 1 <= int(data["units"]) <= 20:
        errors["units"] = "De omvang is 1 tot en met 20 eenheden."
    if errors:
        raise CatalogError("catalog_invalid_content", " ".join(errors.values()), "The module content is not valid.",
                           details=errors)


def _apply_content(version: ModuleVersion, data: Mapping) -> ModuleVersion:
    """Write content fields, objectives, guides and links onto a CONCEPT version."""
    _validate_content(data)
    for name in CONTENT_FIELDS:
        if name in data and data[name] is not None:
            setattr(version, name, data[name])
    if "leerwegen" in data:
        version.leerwegen = data["leerwegen"]
    version.save()
    if "profielen" in data:
        version.profielen.set(data["profielen"])
    if "kern_objectives" in data:
        version.kern_objectives.set(data["kern_objectives"])
    if "mbo_qualifications" in data:
        version.mbo_qualifications.set(data["mbo_qualifications"])
    if "objectives" in data:
        version.objectives.all().delete()
        ModuleObjective.objects.bulk_create(
            ModuleObjective(version=version, code=code, text=text, order=i)
            for i, (code, text) in enumerate(_parse_objectives(data["objectives"]), start=1)
        )
    if "guides" in data:
        version.guides.all().delete()
        for leerweg, guide in (data["guides"] or {}).items():
            if isinstance(guide, str):
                guide = {"text": guide}
            if leerweg not in LEERWEGEN:
                raise CatalogError("catalog_invalid_content", f"Onbekende leerweg {leerweg} bij de handreiking.",
                                   "Unknown leerweg in a guide.")
            if str(guide.get("text", "")).strip():
                ModuleGuide.objects.create(version=version, leerweg=leerweg, emphasis=guide.get("emphasis", ""),
                                           text=guide["text"].strip())
    _refresh_search_text(version)
    version.refresh_from_db()
    return version


@transaction.atomic
def create_module(*, by, code: str | None = None, **content) -> ModuleVersion:
    """A new module with a concept version 1. Without a code the next code of the scheme is given."""
    _require(by, "catalog.manage_catalog")
    _validate_content({"title": content.get("title", ""), "module_type": content.get("module_type"), **content})
    code = (code or next_code(list(content.get("profielen") or []), content["module_type"])).strip().upper()
    if not re.fullmatch(r"[A-Z0-9]+(-[A-Z0-9]+)*", code):
        raise CatalogError("catalog_invalid_code", "Een modulecode bestaat uit letters, cijfers en streepjes, "
                           "bijv. ZW-K-03.", "A module code consists of letters, digits and dashes.")
    if Module.objects.filter(code__iexact=code).exists():
        raise CatalogError("catalog_code_taken", f"Er is al een module met code {code}.",
                           f"A module with code {code} already exists.", status=409)
    module = Module.objects.create(code=code)
    content.setdefault("units", cycle.param("module_size_units"))
    version = ModuleVersion(module=module, version=1, status=VersionStatus.CONCEPT, title=content["title"],
                            module_type=content["module_type"], created_by=_user(by))
    version.save()
    return _apply_content(version, content)


def _copy_version(source: ModuleVersion, *, number: int, by) -> ModuleVersion:
    copy = ModuleVersion(
        module=source.module, version=number, status=VersionStatus.CONCEPT, based_on=source, created_by=_user(by),
        **{name: getattr(source, name) for name in CONTENT_FIELDS if name != "change_note"},
        **{f"for_{lw.lower()}": source.is_for(lw) for lw in LEERWEGEN},
    )
    copy.save()
    copy.profielen.set(source.profielen.all())
    copy.kern_objectives.set(source.kern_objectives.all())
    copy.mbo_qualifications.set(source.mbo_qualifications.all())
    ModuleObjective.objects.bulk_create(
        ModuleObjective(version=copy, code=o.code, text=o.text, order=o.order) for o in source.objectives.all())
    ModuleGuide.objects.bulk_create(
        ModuleGuide(version=copy, leerweg=g.leerweg, emphasis=g.emphasis, text=g.text) for g in source.guides.all())
    ExampleAssessment.objects.bulk_create(
        ExampleAssessment(version=copy, title=e.title, form=e.form, leerweg=e.leerweg, description=e.description,
                          file=e.file.name if e.file else "")
        for e in source.examples.all())
    _refresh_search_text(copy)
    copy.refresh_from_db()
    return copy


@transaction.atomic
def new_version(*, module: Module, by) -> ModuleVersion:
    """A concept copy of the newest version (objectives, guides, kern and mbo links, examples): the only
    way to change a published module."""
    _require(by, "catalog.manage_catalog", module)
    module = Module.objects.select_for_update().get(pk=module.pk)
    concept = module.versions.filter(status=VersionStatus.CONCEPT).first()
    if concept is not None:
        raise CatalogError(
            "catalog_concept_exists",
            f"Er is al een conceptversie (versie {concept.version}) van {module.code}: werk die bij.",
            f"Module {module.code} already has a concept version ({concept.version}).", status=409,
            details={"version": concept.version})
    newest = module.versions.order_by("-version").first()
    if newest is None:
        raise CatalogError("catalog_no_version", "Deze module heeft nog geen versie.", "This module has no version.")
    return _copy_version(newest, number=newest.version + 1, by=by)


@transaction.atomic
def update_concept(*, version: ModuleVersion, by, **content) -> ModuleVersion:
    """Change a concept version. A published version refuses (VersionPublished) and nothing changes."""
    _require(by, "catalog.manage_catalog", version)
    version = ModuleVersion.objects.select_for_update().get(pk=version.pk)
    if not version.is_concept:
        raise VersionPublished()
    return _apply_content(version, content)


@transaction.atomic
def publish_version(*, version: ModuleVersion, by, valid_from: int) -> ModuleVersion:
    """Publish a concept from school year `valid_from`. The version published before it becomes
    superseded, valid until valid_from - 1; Module.current_version follows the newest published version.
    Programmes, offerings and results keep pointing at the version they were made with."""
    _require(by, "catalog.manage_catalog", version)
    version = ModuleVersion.objects.select_for_update().select_related("module").get(pk=version.pk)
    if not version.is_concept:
        raise VersionPublished("Deze versie is al gepubliceerd (of ingetrokken) en kan niet opnieuw worden "
                               "gepubliceerd.")
    try:
        valid_from = int(valid_from)
    except (TypeError, ValueError):
        valid_from = 0
    if not 2000 <= valid_from <= 2100:
        raise CatalogError("catalog_valid_from_invalid", "Geef het schooljaar waarin de versie ingaat, bijv. 2026.",
                           "Give the school year the version takes effect, e.g. 2026.")
    if not version.title.strip():
        raise CatalogError("catalog_invalid_content", "Een module zonder titel kan niet worden gepubliceerd.",
                           "A module without a title cannot be published.")
    module = Module.objects.select_for_update().get(pk=version.module_id)
    previous = module.versions.filter(status=VersionStatus.PUBLISHED).first()
    if previous is not None and valid_from <= previous.valid_from:
        raise CatalogError(
            "catalog_valid_from_invalid",
            f"Versie {previous.version} geldt al vanaf {previous.valid_from}-{previous.valid_from + 1}: de nieuwe "
            f"versie moet later ingaan.",
            f"Version {previous.version} is valid from {previous.valid_from}; the new version must start later.")
    _refresh_search_text(version)
    version.refresh_from_db()
    if previous is not None:
        previous.status = VersionStatus.SUPERSEDED
        previous.valid_until = valid_from - 1
        previous.save()
    version.status = VersionStatus.PUBLISHED
    version.valid_from = valid_from
    version.valid_until = None
    version.published_at = timezone.now()
    version.published_by = _user(by)
    version.save()
    module.current_version = version
    if module.retirement_reason == RetirementReason.REVIEW or module.retired_from is None:
        module.retired_from = None
        module.retirement_reason = ""
    module.save()
    for review in Review.objects.filter(module=module, decision=ReviewDecision.UPDATE, update_version__isnull=True):
        review.update_version = version
        review.save()
    return version


@transaction.atomic
def withdraw_version(*, version: ModuleVersion, by, reason: str = "", from_year: int | None = None) -> ModuleVersion:
    """Withdraw a version. A concept is simply discarded (status withdrawn). The published version takes
    the module off the menukaart from `from_year` (default: next school year); students who already
    follow it keep it."""
    _require(by, "catalog.manage_catalog", version)
    version = ModuleVersion.objects.select_for_update().select_related("module").get(pk=version.pk)
    if version.status not in (VersionStatus.CONCEPT, VersionStatus.PUBLISHED):
        raise CatalogError("catalog_not_withdrawable", "Alleen een concept of de geldende versie kan worden "
                           "ingetrokken.", "Only a concept or the current version can be withdrawn.", status=409)
    was_published = version.status == VersionStatus.PUBLISHED
    version.status = VersionStatus.WITHDRAWN
    if was_published:
        year = from_year or school_year_of() + 1
        version.valid_until = max(year - 1, version.valid_from or year - 1)
        version.save()
        module = version.module
        module.retired_from = year
        module.retirement_reason = RetirementReason.REVIEW
        module._change_reason = reason[:100]
        module.save()
    else:
        version.save()
    return version


# --- reviews -------------------------------------------------------------------------------------


def next_review_due(version: ModuleVersion) -> dt.date | None:
    """When the next review of `version` is due (None: not published, or an ordered update is pending)."""
    if version.status != VersionStatus.PUBLISHED or version.valid_from is None:
        return None
    reviews = list(version.reviews.all())
    if any(not r.decision for r in reviews):
        return min(r.due_on for r in reviews if not r.decision)
    if any(r.decision == ReviewDecision.UPDATE and r.update_version_id is None for r in reviews):
        return None
    keeps = sum(1 for r in reviews if r.decision == ReviewDecision.KEEP)
    return cycle.review_due_on(version.valid_from, keeps + 1)


@transaction.atomic
def schedule_review(*, module: Module, by, due_on: dt.date | None = None) -> Review:
    """The open review of the module's current version (made when missing; idempotent)."""
    _require(by, "catalog.record_review", module)
    version = module.current_version
    if version is None or version.status != VersionStatus.PUBLISHED:
        raise CatalogError("catalog_not_published", "Alleen een gepubliceerde module krijgt een review.",
                           "Only a published module is reviewed.")
    open_review = version.reviews.filter(decision="").first()
    if open_review is not None:
        return open_review
    due_on = due_on or next_review_due(version)
    if due_on is None:
        raise CatalogError("catalog_update_pending", "Er loopt nog een bijstelling na de vorige review.",
                           "An update ordered by the previous review is pending.")
    return Review.objects.create(module=module, version=version, due_on=due_on)


@transaction.atomic
def record_review(*, review: Review, by, decision: str, reasons: str, consulted_vmbo: str, consulted_mbo: str,
                  consulted_employers: str, decided_on: dt.date | None = None) -> Review:
    """Record the review decision (keep / update / withdraw) after consulting vmbo, mbo and employers."""
    _require(by, "catalog.record_review", review)
    review = Review.objects.select_for_update().select_related("module", "version").get(pk=review.pk)
    if review.decision:
        raise CatalogError("catalog_review_decided", "Over deze review is al besloten.",
                           "This review has already been decided.", status=409)
    errors = {}
    if decision not in ReviewDecision.values:
        errors["decision"] = "Kies een besluit: houden, bijstellen of intrekken."
    if not (reasons or "").strip():
        errors["reasons"] = "Motiveer het besluit."
    consulted = {"consulted_vmbo": (consulted_vmbo, "het vmbo"), "consulted_mbo": (consulted_mbo, "het mbo"),
                 "consulted_employers": (consulted_employers, "het bedrijfsleven")}
    for name, (value, label) in consulted.items():
        if not (value or "").strip():
            errors[name] = f"Noem wie u in {label} heeft geraadpleegd."
    if errors:
        raise CatalogError("catalog_review_invalid", " ".join(errors.values()), "The review is not complete.",
                           details=errors)
    decided_on = decided_on or timezone.localdate()
    review.decision = decision
    review.reasons = reasons.strip()
    review.consulted_vmbo = consulted_vmbo.strip()
    review.consulted_mbo = consulted_mbo.strip()
    review.consulted_employers = consulted_employers.strip()
    review.decided_on = decided_on
    review.decided_by = _user(by)
    if decision == ReviewDecision.UPDATE:
        review.update_due_on = cycle.update_due_on(decided_on)
    review.save()
    if decision == ReviewDecision.WITHDRAW and review.version.status == VersionStatus.PUBLISHED:
        withdraw_version(version=review.version, by=SYSTEM, reason="review",
                         from_year=school_year_of(decided_on) + 1)
    return review


# --- proposals -----------------------------------------------------------------------------------

TRANSITIONS = {
    ProposalStatus.SUBMITTED: {ProposalStatus.IN_ASSESSMENT},
    ProposalStatus.IN_ASSESSMENT: {ProposalStatus.ACCEPTED, ProposalStatus.REJECTED},
    ProposalStatus.ACCEPTED: set(),
    ProposalStatus.REJECTED: set(),
}


def proposer_organisations(user) -> list[Membership]:
    return list(Membership.objects.active().filter(user=user, role=Role.PROPOSER).select_related("school", "platform"))


@transaction.atomic
def submit_proposal(*, by, kind: str = ProposalKind.NEW, title: str, module_type: str, summary: str,
                    objectives: str, rationale: str, evidence: str, leerwegen: Iterable[str],
                    profielen: Iterable[Profiel] = (), module: Module | None = None, school=None, platform=None,
                    today: dt.date | None = None) -> ModuleProposal:
    """A proposal for a new module or a change, by a proposer for their own school or platform. A
    proposal after the intake deadline goes to the next round."""
    _require(by, "catalog.submit_proposal")
    memberships = proposer_organisations(by) if by is not SYSTEM else []
    if school is None and platform is None and by is not SYSTEM and not by.is_superuser:
        if len(memberships) != 1:
            raise CatalogError("catalog_proposal_organisation", "Kies namens welke school of welk platform u indient.",
                               "Choose the school or platform you submit for.")
        school, platform = memberships[0].school, memberships[0].platform
    if by is not SYSTEM and not by.is_superuser and not any(
        (school is not None and m.school_id == school.pk) or (platform is not None and m.platform_id == platform.pk)
        for m in memberships
    ):
        raise PermissionDenied("U kunt alleen indienen namens uw eigen school of platform.")
    cleaned = {lw.strip().upper() for lw in leerwegen if lw and lw.strip()}
    leerwegen = sorted(cleaned, key=LEERWEGEN.index) if cleaned <= set(LEERWEGEN) else []
    errors = {}
    for name, value, message in (
        ("title", title, "Geef het voorstel een titel."),
        ("summary", summary, "Beschrijf de module in een paar zinnen."),
        ("objectives", objectives, "Noem minstens één eindterm: wat moet een leerling kennen en kunnen?"),
        ("rationale", rationale, "Leg uit waarom deze module nodig is."),
        ("evidence", evidence, "Onderbouw het voorstel met gegevens uit de regio of de arbeidsmarkt."),
    ):
        if not (value or "").strip():
            errors[name] = message
    if not leerwegen:
        errors["leerwegen"] = "Kies minstens één leerweg (BB, KB, GL of TL)."
    if module_type not in ModuleType.values:
        errors["module_type"] = "Kies oriënterend, kennismakend of verdiepend."
    if kind == ProposalKind.CHANGE and module is None:
        errors["module"] = "Noem de module die u wilt wijzigen."
    if kind not in ProposalKind.values:
        errors["kind"] = "Kies: nieuwe module of wijziging."
    if errors:
        raise CatalogError("catalog_proposal_invalid", " ".join(errors.values()), "The proposal is not complete.",
                           details=errors)
    today = today or timezone.localdate()
    proposal = ModuleProposal.objects.create(
        kind=kind, module=module if kind == ProposalKind.CHANGE else None, school=school, platform=platform,
        submitted_by=_user(by), title=title.strip(), module_type=module_type, leerwegen=",".join(leerwegen),
        summary=summary.strip(), objectives=objectives.strip(), rationale=rationale.strip(),
        evidence=evidence.strip(), round_year=cycle.proposal_round_year(today),
    )
    proposal.profielen.set(profielen)
    return proposal


def _move(proposal: ModuleProposal, to: str, by, reason: str = "") -> ModuleProposal:
    if to not in TRANSITIONS[proposal.status]:
        raise CatalogError(
            "catalog_proposal_state",
            f"Een voorstel dat {proposal.get_status_display()} is, kan niet naar '{ProposalStatus(to).label}'.",
            f"A proposal in state {proposal.status} cannot move to {to}.", status=409)
    proposal.status = to
    if to in (ProposalStatus.ACCEPTED, ProposalStatus.REJECTED):
        proposal.decided_at = timezone.now()
        proposal.decided_by = _user(by)
        proposal.decision_reason = reason.strip()
    return proposal


@transaction.atomic
def start_assessment(*, proposal: ModuleProposal, by) -> ModuleProposal:
    _require(by, "catalog.assess_proposal", proposal)
    proposal = ModuleProposal.objects.select_for_update().get(pk=proposal.pk)
    _move(proposal, ProposalStatus.IN_ASSESSMENT, by).save()
    return proposal


@transaction.atomic
def reject_proposal(*, proposal: ModuleProposal, by, reason: str) -> ModuleProposal:
    """Reject with a reason; the proposer sees the reason."""
    _require(by, "catalog.assess_proposal", proposal)
    proposal = ModuleProposal.objects.select_for_update().get(pk=proposal.pk)
    if not (reason or "").strip():
        raise CatalogError("catalog_reason_required", "Geef de indiener een reden voor de afwijzing.",
                           "Give the proposer a reason for the rejection.", details={"reason": "verplicht"})
    _move(proposal, ProposalStatus.REJECTED, by, reason).save()
    return proposal


@transaction.atomic
def accept_proposal(*, proposal: ModuleProposal, by, reason: str = "") -> ModuleProposal:
    """Accept: a new module with a concept version 1, or a concept new version of the module to change,
    filled with the proposal's draft content. The steward works the concept out and publishes it."""
    _require(by, "catalog.assess_proposal", proposal)
    proposal = ModuleProposal.objects.select_for_update().get(pk=proposal.pk)
    _move(proposal, ProposalStatus.ACCEPTED, by, reason)
    content = {
        "title": proposal.title, "summary": proposal.summary, "module_type": proposal.module_type,
        "profielen": list(proposal.profielen.all()), "leerwegen": proposal.leerwegen.split(","),
        "objectives": proposal.objectives,
        "source": f"Modulevoorstel #{proposal.pk} ({proposal.school or proposal.platform}), ronde "
                  f"{proposal.round_year}",
        "change_note": f"Uit modulevoorstel #{proposal.pk}: {proposal.rationale}",
    }
    if proposal.kind == ProposalKind.NEW:
        version = create_module(by=SYSTEM, **content)
    else:
        version = new_version(module=proposal.module, by=SYSTEM)
        version = _apply_content(version, content)
    proposal.resulting_version = version
    proposal.save()
    return proposal


# --- usage reports -------------------------------------------------------------------------------

BRIN_RE = re.compile(r"^[0-9]{2}[A-Z]{2}$")


def _usage_row(code: str, school_year, brin: str, exams, modules: Mapping[str, int]) -> tuple[dict, list[str]]:
    errors, row = [], {}
    module_id = modules.get((code or "").strip().upper())
    if module_id is None:
        errors.append(f"onbekende module '{code}'")
    row["module_id"] = module_id
    year_text = str(school_year or "").strip()
    match = re.fullmatch(r"(\d{4})(?:\s*[-/]\s*(\d{4}))?", year_text)
    if not match or (match.group(2) and int(match.group(2)) != int(match.group(1)) + 1):
        errors.append(f"schooljaar '{year_text}' is geen jaar als 2025 of 2025-2026")
    else:
        row["school_year"] = int(match.group(1))
        if not 2000 <= row["school_year"] <= school_year_of() + 1:
            errors.append(f"schooljaar {year_text} ligt buiten 2000 tot en met volgend schooljaar")
    brin = (brin or "").strip().upper()
    if not BRIN_RE.match(brin):
        errors.append(f"BRIN '{brin}' is geen BRIN (twee cijfers en twee letters, bijv. 21KR)")
    row["brin"] = brin
    try:
        exams = int(str(exams).strip())
        if exams < 0:
            raise ValueError
        row["exams_taken"] = exams
    except (TypeError, ValueError):
        errors.append(f"aantal examens '{exams}' is geen geheel getal van 0 of meer")
    return row, errors


@dataclass
class UsageImportResult:
    rows: int = 0
    created: int = 0
    updated: int = 0
    errors: list[tuple[int, str]] = field(default_factory=list)
    dry_run: bool = False

    @property
    def ok(self) -> bool:
        return not self.errors


def _upsert_usage(rows: list[dict], source: str) -> tuple[int, int]:
    created = updated = 0
    for row in rows:
        _, was_created = ModuleUsageReport.objects.update_or_create(
            module_id=row["module_id"], school_year=row["school_year"], brin=row["brin"],
            defaults={"exams_taken": row["exams_taken"], "source": source},
        )
        created += was_created
        updated += not was_created
    return created, updated


@transaction.atomic
def report_usage(*, by, module: Module | str, school_year, brin: str, exams_taken,
                 source: str = UsageSource.API) -> ModuleUsageReport:
    """Upsert one count (module, school year, BRIN): the newest report wins. Aggregated counts only."""
    _require(by, "catalog.report_usage")
    code = module.code if isinstance(module, Module) else module
    modules = dict(Module.objects.filter(code__iexact=code).values_list("code", "pk"))
    modules = {k.upper(): v for k, v in modules.items()}
    row, errors = _usage_row(code, school_year, brin, exams_taken, modules)
    if errors:
        text = "; ".join(errors)
        raise CatalogError("catalog_usage_invalid", text[:1].upper() + text[1:] + ".",
                           "The usage report is not valid.", details={"errors": errors})
    _upsert_usage([row], source)
    return ModuleUsageReport.objects.get(module_id=row["module_id"], school_year=row["school_year"], brin=row["brin"])


HEADERS = {
    "module": {"module", "modulecode", "code"},
    "school_year": {"school_year", "schooljaar", "jaar"},
    "brin": {"brin", "school", "brin_code", "brincode"},
    "exams_taken": {"exams_taken", "examens", "aantal_examens", "afgenomen_examens", "aantal"},
}


def decode_csv(data: bytes) -> str:
    """UTF-8 (with or without BOM), else Windows-1252 (what Excel writes on Dutch Windows)."""
    try:
        return data.decode("utf-8-sig")
    except UnicodeDecodeError:
        return data.decode("cp1252", errors="replace")


def read_csv(data: bytes) -> list[dict[str, str]]:
    """Rows of a ; or , separated CSV with a header row, keys lower-cased and stripped."""
    text = decode_csv(data)
    first = text.splitlines()[0] if text.strip() else ""
    delimiter = ";" if first.count(";") >= first.count(",") and ";" in first else ","
    reader = csv.DictReader(io.StringIO(text), delimiter=delimiter)
    return [{re.sub(r"[\s-]+", "_", k.strip().lower()): (v or "").strip() for k, v in row.items()
             if k is not None}  # cells beyond the header (key None, a list) are ignored
            for row in reader]


def import_usage_csv(*, by, data: bytes, dry_run: bool = False) -> UsageImportResult:
    """Import usage counts from CSV: all-or-nothing; a dry run (or any bad row) writes nothing and lists
    every bad row with its line number."""
    _require(by, "catalog.report_usage")
    result = UsageImportResult(dry_run=dry_run)
    try:
        records = read_csv(data)
    except csv.Error as exc:
        result.errors.append((1, f"geen leesbare CSV: {exc}"))
        return result
    if not records:
        result.errors.append((1, "het bestand is leeg"))
        return result
    columns = {}
    for name, aliases in HEADERS.items():
        found = next((k for k in records[0] if k in aliases), None)
        if found is None:
            result.errors.append((1, f"kolom '{name}' ontbreekt (gebruik {', '.join(sorted(aliases))})"))
        columns[name] = found
    if result.errors:
        return result
    modules = {code.upper(): pk for code, pk in Module.objects.values_list("code", "pk")}
    rows, seen = [], {}
    for line, record in enumerate(records, start=2):
        row, errors = _usage_row(record[columns["module"]], record[columns["school_year"]], record[columns["brin"]],
                                 record[columns["exams_taken"]], modules)
        key = (row.get("module_id"), row.get("school_year"), row.get("brin"))
        if not errors and key in seen:
            errors.append(f"dubbel: dezelfde module, hetzelfde schooljaar en BRIN als regel {seen[key]}")
        seen.setdefault(key, line)
        for message in errors:
            result.errors.append((line, message))
        rows.append(row)
    result.rows = len(rows)
    if result.errors or dry_run:
        return result
    with transaction.atomic():
        result.created, result.updated = _upsert_usage(rows, UsageSource.CSV)
    return result


# --- lifecycle -----------------------------------------------------------------------------------


@dataclass
class PlannedAction:
    module: Module
    kind: str
    key: str
    detail: str
    apply: object = None  # a callable that makes the change (None: only recorded)


@dataclass
class LifecycleResult:
    on: dt.date
    dry_run: bool
    actions: list[PlannedAction]
    status: dict[str, int]
    run: LifecycleRun | None = None
    missing_usage_years: list[int] = field(default_factory=list)

    def lines(self) -> list[str]:
        verb = "Zou doen" if self.dry_run else "Gedaan"
        out = [f"Levenscyclus menukaart op {self.on:%d-%m-%Y}{' (proefdraai: er verandert niets)' if self.dry_run else ''}"]
        for a in self.actions:
            out.append(f"  {verb}: {LifecycleAction.Kind(a.kind).label}: {a.module.code} — {a.detail}")
        if not self.actions:
            out.append("  Niets nieuws te doen: alles was al gedaan of vastgelegd; er is niets veranderd.")
        if self.missing_usage_years:
            years = ", ".join(f"{y}-{y + 1}" for y in self.missing_usage_years)
            out.append(f"  Let op: geen gebruiksmeldingen over schooljaar {years}: zonder die cijfers wordt geen "
                       "module geschrapt.")
        out.append(
            "Stand: {reviews_due} review(s) dit jaar, {reviews_overdue} review(s) te laat, {updates_overdue} "
            "bijstelling(en) te laat, {retired} module(s) van de menukaart.".format(**self.status))
        return out


def usage_years_missing(on: dt.date) -> list[int]:
    """Completed school years of the removal window for which no usage report came in at all. For such a
    year "no report" cannot be told apart from "no exams", so nothing is removed until it comes in."""
    first, last = cycle.removal_years_window(on)
    # one index probe per year (school_year, module): a DISTINCT over the reports would read them all
    return [y for y in range(first, last) if not ModuleUsageReport.objects.filter(school_year=y).exists()]


def removal_candidates(on: dt.date, *, modules=None) -> list[tuple[Module, int]]:
    """Modules that meet the removal rule on `on`: (module, first year of the exam-free window)."""
    first, last = cycle.removal_years_window(on)
    if usage_years_missing(on):
        return []
    exams = ModuleUsageReport.objects.filter(module=OuterRef("pk"), school_year__gte=first, school_year__lte=last,
                                             exams_taken__gt=0)
    qs = (modules if modules is not None else Module.objects.all()).filter(
        retired_from__isnull=True, current_version__status=VersionStatus.PUBLISHED,
    ).annotate(first_valid=Min("versions__valid_from")).filter(first_valid__lte=first).filter(~Exists(exams))
    return [(m, first) for m in qs.select_related("current_version")]


def plan_lifecycle(on: dt.date) -> tuple[list[PlannedAction], dict[str, int]]:
    """What the lifecycle would do on `on`, and the status it finds (pure read)."""
    done = set(LifecycleAction.objects.values_list("module_id", "kind", "key"))
    planned: list[PlannedAction] = []

    def plan(module, kind, key, detail, apply=None):
        if (module.pk, kind, key) not in done:
            planned.append(PlannedAction(module, kind, key, detail, apply))

    retiring = removal_candidates(on)
    retiring_ids = {m.pk for m, _ in retiring}
    modules = list(Module.objects.filter(current_version__status=VersionStatus.PUBLISHED, retired_from__isnull=True)
                   .exclude(pk__in=retiring_ids)  # leaving the menukaart: no review needed
                   .select_related("current_version").prefetch_related("current_version__reviews")
                   .order_by("code"))
    status = {"reviews_due": 0, "reviews_overdue": 0, "updates_overdue": 0, "retired": 0}
    for module in modules:
        version = module.current_version
        due = next_review_due(version)
        open_review = next((r for r in version.reviews.all() if not r.decision), None)
        if open_review is not None:
            due = open_review.due_on
        if due is None or on < cycle.review_window_opens(due):
            continue
        key = f"v{version.pk}:{due.isoformat()}"
        if open_review is None:
            def make(module=module, due=due):
                Review.objects.create(module=module, version=module.current_version, due_on=due)
            plan(module, LifecycleAction.Kind.REVIEW_SCHEDULED, key,
                 f"review van versie {version.version} uiterlijk {due:%d-%m-%Y}", make)
        if on > due:
            status["reviews_overdue"] += 1
            plan(module, LifecycleAction.Kind.REVIEW_OVERDUE, key, f"review moest uiterlijk {due:%d-%m-%Y}")
        else:
            status["reviews_due"] += 1
    for review in (Review.objects.filter(decision=ReviewDecision.UPDATE, update_version__isnull=True,
                                         update_due_on__lt=on).select_related("module").order_by("module__code")):
        status["updates_overdue"] += 1
        plan(review.module, LifecycleAction.Kind.UPDATE_OVERDUE, f"update:{review.pk}",
             f"bijstelling moest uiterlijk {review.update_due_on:%d-%m-%Y}")
    year = cycle.removal_effective_year(on)
    for module, first in retiring:
        def retire(module=module, year=year):
            _retire(module, year)
        plan(module, LifecycleAction.Kind.RETIRED, f"retired:{year}",
             f"geen examen in schooljaren {first}-{first + 1} tot en met {school_year_of(on)}-{school_year_of(on) + 1}; "
             f"niet meer te kiezen vanaf {year}-{year + 1} (wie haar volgt, houdt haar)", retire)
    status["retired"] = Module.objects.filter(retired_from__isnull=False).count() + sum(
        1 for a in planned if a.kind == LifecycleAction.Kind.RETIRED)
    return planned, status


def _retire(module: Module, year: int) -> None:
    module = Module.objects.get(pk=module.pk)
    module.retired_from = year
    module.retirement_reason = RetirementReason.NO_EXAMS
    module.save()


def run_lifecycle(*, on: dt.date, dry_run: bool = False, by=SYSTEM) -> LifecycleResult:
    """Compute due reviews, overdue updates and removals on `on`; apply and record what is new.
    Idempotent: every action is recorded once per (module, kind, key), so a second run with the same
    date finds nothing new, changes nothing and records nothing."""
    _require(by, "catalog.manage_catalog")
    with transaction.atomic():
        planned, status = plan_lifecycle(on)
        result = LifecycleResult(on=on, dry_run=dry_run, actions=planned, status=status,
                                 missing_usage_years=usage_years_missing(on))
        if dry_run or not planned:
            return result
        run = LifecycleRun.objects.create(run_date=on, dry_run=False, summary={})
        for action in planned:
            if action.apply is not None:
                action.apply()
            LifecycleAction.objects.create(run=run, module=action.module, kind=action.kind, key=action.key,
                                           detail=action.detail)
        counts: dict[str, int] = {}
        for action in planned:
            counts[action.kind] = counts.get(action.kind, 0) + 1
        run.summary = {"actions": counts, "status": status}
        run.save()
        result.run = run
        return result


# --- starting stock ------------------------------------------------------------------------------


def catalog_counts() -> dict:
    """The numbers `maatwerk catalog stats` prints."""
    from django.db.models import Count

    current = ModuleVersion.objects.filter(pk__in=Module.objects.values("current_version"))
    return {
        "modules": Module.objects.count(),
        "modules_with_published_version": Module.objects.filter(current_version__isnull=False).count(),
        "by_type": dict(current.values_list("module_type").annotate(n=Count("pk")).order_by()),
        "by_legacy": dict(current.values_list("legacy_kind").annotate(n=Count("pk")).order_by()),
        "by_profiel": dict(Profiel.objects.filter(module_versions__in=current).values_list("code")
                           .annotate(n=Count("module_versions")).order_by()),
        "by_status": dict(ModuleVersion.objects.values_list("status").annotate(n=Count("pk")).order_by()),
        "versions": ModuleVersion.objects.count(),
        "retired": Module.objects.filter(retired_from__isnull=False).count(),
        "proposals": dict(ModuleProposal.objects.values_list("status").annotate(n=Count("pk")).order_by()),
        "reviews": Review.objects.count(),
        "usage_reports": ModuleUsageReport.objects.count(),
        "usage_exams": ModuleUsageReport.objects.aggregate(n=Sum("exams_taken"))["n"] or 0,
        "usage_years": list(ModuleUsageReport.objects.aggregate(a=Min("school_year"), b=Max("school_year")).values()),
        "mbo_qualifications": MboQualification.objects.count(),
    }


FIXTURES = Path(__file__).resolve().parent / "fixtures"
STOCK_KINDS = {"profielmodule": ("PM", ModuleType.INTRODUCTORY), "keuzevak": ("KV", ModuleType.DEEPENING)}
PROFIEL_NAMES = {"profielmodule": "profielmodule", "keuzevak": "beroepsgericht keuzevak"}


def stock_code(profiel: str, kind: str, number: int) -> str:
    """The code of a module of the starting stock: <PROFIEL>-PM-<NN> for profielmodule NN of that
    profiel, <PROFIEL>-KV-<NN> for keuzevak NN (e.g. ZW-KV-03, BWI-PM-01, GROEN-KV-13)."""
    return f"{profiel.upper()}-{STOCK_KINDS[kind][0]}-{int(number):02d}"


def _stock_notes(row: dict, objective_sources: list[str]) -> str:
    """What the source does not (surely) say, in plain Dutch. Never a guess."""
    notes = []
    if not row["leerwegen"].strip():
        notes.append("De leerwegen van deze module staan niet in de gevonden bron; ze zijn nog niet ingevuld.")
    bron = row["bron"]
    if "LET OP" in bron:
        notes.append("Let op: " + bron.split("LET OP:", 1)[1].split(";")[0].strip() + ".")
    if "niet nagegaan" in bron:
        notes.append("Niet nagegaan of deze module in het geldende examenprogramma nog zo heet.")
    if any("samengevat" in s for s in objective_sources):
        notes.append("De eindtermen zijn samengevat uit de bron, niet letterlijk overgenomen.")
    if any("dit zijn taken" in s for s in objective_sources):
        notes.append("De eindtermen zijn de taken uit de bron; de afzonderlijke eindtermen zijn niet gevonden.")
    return "\n".join(notes)


@dataclass
class StockResult:
    created: list[str] = field(default_factory=list)
    existing: list[str] = field(default_factory=list)
    qualifications: int = 0
    rows: int = 0


def import_stock(*, by=SYSTEM, valid_from: int | None = None, valid_from_by_code: Mapping[str, int] | None = None,
                 fixtures=None) -> StockResult:
    """Import the starting stock (fixtures/beroepsgericht-aanbod.csv): every row a published module,
    profielmodulen kennismakend and keuzevakken verdiepend, with their profiel, the leerwegen as the
    source gives them (empty stays empty, with a note), eindtermen from module-eindtermen.csv and the
    mbo qualifications of mbo-kwalificaties.csv. Idempotent: an existing code is left alone."""
    _require(by, "catalog.manage_catalog")
    fixtures = fixtures or FIXTURES
    valid_from = valid_from or school_year_of()
    result = StockResult()
    profielen = {p.code: p for p in Profiel.objects.all()}
    with transaction.atomic():
        for row in read_csv((fixtures / "mbo-kwalificaties.csv").read_bytes()):
            qualification, _ = MboQualification.objects.update_or_create(
                crebo=row["crebo"], defaults={"name": row["naam"], "level": int(row["niveau"]) if row["niveau"] else None,
                                              "source": row["bron"]})
            qualification.profielen.set([profielen[c] for c in row["profielen"].split(",") if c in profielen])
            result.qualifications += 1
        objectives: dict[tuple, list[dict]] = {}
        for row in read_csv((fixtures / "module-eindtermen.csv").read_bytes()):
            objectives.setdefault((row["profiel"], row["soort"], int(row["volgnummer"])), []).append(row)
        for row in read_csv((fixtures / "beroepsgericht-aanbod.csv").read_bytes()):
            result.rows += 1
            kind, number = row["soort"], int(row["volgnummer"])
            code = stock_code(row["profiel"], kind, number)
            if Module.objects.filter(code=code).exists():
                result.existing.append(code)
                continue
            profiel = profielen[row["profiel"]]
            rows = sorted(objectives.get((row["profiel"], kind, number), []), key=lambda r: int(r["eindterm_volgorde"]))
            sources = list(dict.fromkeys(r["bron"] for r in rows))
            version = create_module(
                by=SYSTEM, code=code, title=row["naam"], module_type=STOCK_KINDS[kind][1],
                summary="",  # the sources give no summary; none is made up
                profielen=[profiel], leerwegen=[lw.upper() for lw in row["leerwegen"].split(",") if lw.strip()],
                legacy_kind=kind, legacy_code=row["code"], source="\n".join([row["bron"], *sources]),
                data_note=_stock_notes(row, sources),
                objectives=[(f"E{r['eindterm_volgorde']}", r["tekst"][:1].upper() + r["tekst"][1:]) for r in rows],
                change_note="Overgenomen uit het huidige beroepsgerichte examenprogramma (startvoorraad).",
            )
            year = (valid_from_by_code or {}).get(code, valid_from)
            publish_version(version=version, by=SYSTEM, valid_from=year)
            result.created.append(code)
    return result
