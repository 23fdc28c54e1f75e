"""Every write of the assessment app: one function per use case, in one transaction, with history.

* PTA: `create_pta`, `update_pta`, `adopt_pta` (schoolleider; after 1 October of the exam year only
  with a reason, WVO 2.60a), `publish_pta`; items `save_item` / `delete_item` and rubrics
  `set_rubric` change a vastgesteld PTA only with a reason, which goes into the history.
* Results: `save_result` is THE one write path for a grade or qualification, whether it comes from
  the gradebook, the API, an import or an external assessor. It validates (grades.py), checks the
  attempt against the PTA's resit rule (UB 3.16), detects concurrent edits (optimistic locking: the
  caller sends the `version` it saw; a stale one raises `ResultConflict` and nothing is written),
  records who/when/old/new (django-simple-history), and recomputes the module outcome through the
  rules engine (`engine.module_outcomes`): ModuleResult, the student's programme item and the
  menukaart's usage report follow.
* `record_kern_observation`, `assign_assessor` / `unassign_assessor`.

`by` is the acting user; `SYSTEM` (management commands, demo) skips the permission check.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from collections.abc import Iterable, Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.core.exceptions import ImproperlyConfigured, PermissionDenied, ValidationError
from django.db import IntegrityError, transaction
from django.db.models import Count, F, Max
from django.utils import timezone

from maatwerk import engine
from maatwerk.accounts.models import Membership, Role
from maatwerk.bulk import chunks
from maatwerk.domain import AssessmentForm, Leerweg, school_year_of
from maatwerk.rules.regulation import list_regulations

from .grades import GradeError, format_grade, parse_grade, parse_qualification, score_to_grade
from .models import (
    AssessedBy,
    AssessorAssignment,
    GradeRule,
    KernLevel,
    KernObservation,
    ModuleOutcomeStatus,
    ModuleResult,
    Pta,
    PtaItem,
    PtaLocked,
    PtaStatus,
    Result,
    ResultKind,
    Rubric,
    RubricCriterion,
    RubricLevel,
    pta_change,
)
from .permissions import is_grader

SYSTEM = object()  #: the operator on the command line, and the demo loader


class AssessmentError(ValidationError):
    """A business-rule refusal: a stable code, a Dutch and an English message; nothing was written."""

    def __init__(self, code: str, nl: str, en: str, status: int = 400, details=None):
        super().__init__(nl, code=code)
        self.code = code
        self.nl = nl
        self.en = en
        self.status = status
        self.details = details


class ResultConflict(AssessmentError):
    """Somebody else saved this result after the caller read it: nothing is overwritten."""

    def __init__(self, current: Result | None, typed: str = ""):
        self.current = current
        who, when = last_change(current) if current is not None else (None, None)
        self.changed_by = who
        self.changed_at = when
        value = display_value(current) if current is not None else ""
        by_whom = f" door {who}" if who else ""
        at = f" om {timezone.localtime(when):%H:%M} op {timezone.localtime(when):%d-%m-%Y}" if when else ""
        typed_part = f" Uw invoer ({typed}) is niet opgeslagen." if typed else " Uw invoer is niet opgeslagen."
        if current is None:
            nl = "Dit resultaat is intussen door iemand anders gewijzigd." + typed_part + " Laad de pagina opnieuw."
        else:
            nl = (f"Dit resultaat is intussen gewijzigd{by_whom}{at}: het is nu {value or 'leeg'}.{typed_part} "
                  f"Vul het opnieuw in als het toch anders moet.")
        super().__init__(
            "result_conflict", nl,
            "This result was changed by someone else after you read it; your value was not saved.",
            status=409,
            details={"current": _result_dict(current) if current is not None else None,
                     "changed_by": str(who) if who else None,
                     "changed_at": when.isoformat() if when else None},
        )


def _require(by, perm: str, obj=None) -> None:
    if by is SYSTEM:
        return
    if by is None or not getattr(by, "is_authenticated", False) or not by.has_perm(perm, obj):
        raise PermissionDenied("U heeft geen toestemming voor deze handeling.")


def _user(by):
    return None if by is SYSTEM else by


def _with_history(obj, by, reason: str = ""):
    """simple-history: who made the change (also outside a request) and why."""
    obj._history_user = _user(by)
    if reason:
        obj._change_reason = reason[:100]
    return obj


def display_value(result: Result | None) -> str:
    if result is None:
        return ""
    return format_grade(result.grade) if result.grade is not None else (result.qualification or "")


def _result_dict(result: Result) -> dict:
    return {"id": result.pk, "student": result.student_id, "item": result.item_id, "attempt": result.attempt,
            "grade": format_grade(result.grade) if result.grade is not None else None,
            "qualification": result.qualification or None, "version": result.version,
            "comment": result.comment}


def last_change(result: Result) -> tuple[object, dt.datetime | None]:
    """Who saved `result` last and when (from its history)."""
    record = result.history.select_related("history_user").order_by("-history_date", "-history_id").first()
    if record is None:
        return None, None
    return record.history_user, record.history_date


# --- PTA -----------------------------------------------------------------------------------------

REGULATION_IDS = frozenset(r.id for r in list_regulations())


def adoption_deadline(pta: Pta) -> dt.date:
    """WVO 2.60a: the PTA is adopted before 1 October of the school year in which it applies: the exam year,
    or the first school year in which one of its tests falls (a modular programme tests from leerjaar 2 or 3
    on, so a PTA that covers those years must be in force before the first of them)."""
    first = pta.items.filter(deadline__isnull=False).order_by("deadline").values_list("deadline", flat=True).first()
    return dt.date(min(pta.exam_year, school_year_of(first) if first else pta.exam_year), 10, 1)


def is_late(pta: Pta, on: dt.date | None = None) -> bool:
    """True from the adoption deadline (adoption_deadline): adopting needs a reason then."""
    return (on or timezone.localdate()) >= adoption_deadline(pta)


def _leerwegen(values: Iterable[str]) -> list[str]:
    values = [v.upper() for v in values]
    bad = [v for v in values if v not in Leerweg.values]
    if bad or not values:
        raise AssessmentError("pta_invalid", "Kies ten minste één leerweg (BB, KB, GL of TL).",
                              "Choose at least one leerweg.")
    return values


def _check_pta_fields(fields: Mapping) -> None:
    errors = []
    if "title" in fields and not str(fields["title"] or "").strip():
        errors.append("Geef het PTA een titel.")
    cohort = fields.get("cohort")
    exam_year = fields.get("exam_year")
    if cohort is not None and exam_year is not None and not cohort <= exam_year <= cohort + 3:
        errors.append("Het examenjaar ligt in of na het cohortjaar (ten hoogste drie jaar later).")
    if "regulation_id" in fields and fields["regulation_id"] not in REGULATION_IDS:
        errors.append(f"Onbekende regeling '{fields['regulation_id']}'.")
    if errors:
        raise AssessmentError("pta_invalid", " ".join(errors), "The PTA is not valid.")


@transaction.atomic
def create_pta(*, by, school, cohort: int, exam_year: int, title: str, leerwegen: Iterable[str],
               regulation_id: str | None = None, resit_rules: str = "") -> Pta:
    pta = Pta(school=school, cohort=cohort, exam_year=exam_year, title=title.strip(), resit_rules=resit_rules)
    _require(by, "assessment.manage_pta", pta)
    pta.leerwegen = _leerwegen(leerwegen)
    if regulation_id is None:
        from maatwerk.schools.models import SchoolPolicy

        policy = SchoolPolicy.objects.filter(school=school).first()
        regulation_id = policy.regulation_id if policy else engine.regulation_of(None, cohort).id
    pta.regulation_id = regulation_id
    _check_pta_fields({"title": title, "cohort": cohort, "exam_year": exam_year, "regulation_id": regulation_id})
    _with_history(pta, by).save()
    return pta


def _needs_reason(pta: Pta, reason: str) -> None:
    if pta.status != PtaStatus.CONCEPT and not (reason or "").strip():
        raise AssessmentError("pta_change_needs_reason", PtaLocked().messages[0],
                              "This PTA is adopted: a change needs a reason, which is kept in the history.")


PTA_FIELDS = ("title", "cohort", "exam_year", "regulation_id", "resit_rules")


@transaction.atomic
def update_pta(*, by, pta: Pta, reason: str = "", leerwegen: Iterable[str] | None = None, **fields) -> Pta:
    """Change a PTA's title, cohort, exam year, regulation, resit rules or leerwegen. Once vastgesteld:
    only with a reason (kept in the history); cohort, leerwegen and regulation no longer change."""
    pta = Pta.objects.select_for_update().get(pk=pta.pk)
    _require(by, "assessment.manage_pta", pta)
    unknown = set(fields) - set(PTA_FIELDS)
    if unknown:
        raise AssessmentError("pta_invalid", f"Onbekende velden: {', '.join(sorted(unknown))}.", "Unknown fields.")
    _needs_reason(pta, reason)
    if pta.status != PtaStatus.CONCEPT and (
        leerwegen is not None and set(_leerwegen(leerwegen)) != set(pta.leerwegen)
        or any(k in fields and fields[k] != getattr(pta, k) for k in ("cohort", "regulation_id"))
    ):
        raise AssessmentError("pta_locked_field",
                              "Cohort, leerwegen en regeling van een vastgesteld PTA veranderen niet meer: maak een "
                              "nieuw PTA.", "Cohort, leerwegen and regulation of an adopted PTA cannot change.")
    merged = {k: fields.get(k, getattr(pta, k)) for k in PTA_FIELDS}
    _check_pta_fields(merged)
    for key, value in fields.items():
        setattr(pta, key, value.strip() if isinstance(value, str) else value)
    if leerwegen is not None:
        pta.leerwegen = _leerwegen(leerwegen)
    _with_history(pta, by, reason).save()
    return pta


@dataclass(frozen=True)
class AdoptionCheck:
    late: bool
    deadline: dt.date
    empty: bool


def adoption_check(pta: Pta, on: dt.date | None = None) -> AdoptionCheck:
    return AdoptionCheck(late=is_late(pta, on), deadline=adoption_deadline(pta), empty=not pta.items.exists())


@transaction.atomic
def adopt_pta(*, by, pta: Pta, reason: str = "", on: dt.date | None = None) -> Pta:
    """Vaststellen by the schoolleider. From the adoption deadline on only with a reason (WVO 2.60a:
    unforeseen circumstances or an evident error); the reason is kept on the PTA and in its history."""
    pta = Pta.objects.select_for_update().get(pk=pta.pk)
    _require(by, "assessment.adopt_pta", pta)
    if pta.status != PtaStatus.CONCEPT:
        raise AssessmentError("pta_not_concept", "Dit PTA is al vastgesteld.", "This PTA is already adopted.", 409)
    if not pta.items.exists():
        raise AssessmentError("pta_empty", "Een PTA zonder onderdelen kan niet worden vastgesteld.",
                              "A PTA without items cannot be adopted.")
    reason = (reason or "").strip()
    if is_late(pta, on):
        if not reason:
            deadline = adoption_deadline(pta)
            raise AssessmentError(
                "pta_late_reason_required",
                f"Het PTA wordt na de wettelijke termijn vastgesteld (vóór {deadline:%d-%m-%Y}, WVO 2.60a). Geef de "
                f"reden: na 1 oktober mag dat alleen bij onvoorziene omstandigheden of een kennelijke fout.",
                "The PTA is adopted after 1 October: give the reason (WVO 2.60a).",
            )
        pta.adopted_late_reason = reason
    pta.status = PtaStatus.ADOPTED
    pta.adopted_by = _user(by)
    pta.adopted_at = timezone.now()
    _with_history(pta, by, reason).save()
    return pta


@transaction.atomic
def publish_pta(*, by, pta: Pta) -> Pta:
    """Send the vastgesteld PTA to students and parents: they see it (and its PDF) from now on."""
    pta = Pta.objects.select_for_update().get(pk=pta.pk)
    _require(by, "assessment.publish_pta", pta)
    if pta.status == PtaStatus.CONCEPT:
        raise AssessmentError("pta_not_adopted", "Stel het PTA eerst vast; daarna kan het worden gepubliceerd.",
                              "Adopt the PTA before publishing it.")
    if pta.status == PtaStatus.PUBLISHED:
        raise AssessmentError("pta_already_published", "Dit PTA is al gepubliceerd.", "Already published.", 409)
    pta.status = PtaStatus.PUBLISHED
    pta.published_at = timezone.now()
    _with_history(pta, by).save()
    return pta


# --- PTA items and rubrics ----------------------------------------------------------------------

ITEM_FIELDS = ("code", "title", "form", "result_kind", "weight", "period", "deadline", "resit_allowed",
               "max_attempts", "assessed_by", "partner", "description")


def _decimal(value, label: str) -> Decimal:
    try:
        return Decimal(str(value).strip().replace(",", "."))
    except (InvalidOperation, ValueError):
        raise AssessmentError("item_invalid", f"{label}: '{value}' is geen getal.", f"{label} is not a number.") \
            from None


def _check_item(item: PtaItem, module_versions, school_id: int) -> None:
    errors: dict[str, list[str]] = {}

    def err(field, text):
        errors.setdefault(field, []).append(text)

    item.code = (item.code or "").strip().upper()
    if not item.code:
        err("code", "Geef het onderdeel een code, bijvoorbeeld ZW-K-03.1.")
    elif PtaItem.objects.filter(pta_id=item.pta_id, code__iexact=item.code).exclude(pk=item.pk).exists():
        err("code", f"De code {item.code} bestaat al in dit PTA.")
    if not (item.title or "").strip():
        err("title", "Geef een omschrijving.")
    if item.form not in AssessmentForm.values:
        err("form", "Kies een vorm.")
    if item.result_kind not in ResultKind.values:
        err("result_kind", "Kies cijfer of beoordeling.")
    if item.weight is None or item.weight < 0 or (item.result_kind == ResultKind.GRADE and item.weight == 0):
        err("weight", "Een cijferonderdeel heeft een weging groter dan 0.")
    if item.period is not None and not 1 <= item.period <= 4:
        err("period", "Een periode is 1, 2, 3 of 4.")
    if not 1 <= (item.max_attempts or 0) <= 5:
        err("max_attempts", "Het aantal pogingen ligt tussen 1 en 5.")
    if not item.resit_allowed:
        item.max_attempts = 1
    elif item.max_attempts < 2:
        err("max_attempts", "Een herkansbaar onderdeel heeft ten minste 2 pogingen.")
    if item.assessed_by not in AssessedBy.values:
        err("assessed_by", "Kies wie beoordeelt.")
    if item.assessed_by in (AssessedBy.PARTNER, AssessedBy.BOTH) and item.partner_id is None:
        err("partner", "Kies de partner die beoordeelt.")
    if item.partner_id is not None and item.partner.school_id != school_id:
        err("partner", "Deze partner hoort niet bij de school.")
    if module_versions is not None:
        if not module_versions:
            err("module_versions", "Kies de module(n) die dit onderdeel afsluit.")
        for version in module_versions:
            if version.status == "concept":
                err("module_versions", f"{version.module.code} v{version.version} is nog een concept.")
    if errors:
        first = next(iter(errors.values()))[0]
        raise AssessmentError("item_invalid", " ".join(m for ms in errors.values() for m in ms) or first,
                              "The PTA item is not valid.", details={"fields": errors})


@transaction.atomic
def save_item(*, by, pta: Pta, item: PtaItem | None = None, reason: str = "", module_versions=None,
              kern_objectives=None, **fields) -> PtaItem:
    """Create or change a PTA item. On a vastgesteld PTA only with a reason (kept in the history)."""
    pta = Pta.objects.select_for_update().get(pk=pta.pk)
    _require(by, "assessment.manage_pta", pta)
    _needs_reason(pta, reason)
    unknown = set(fields) - set(ITEM_FIELDS)
    if unknown:
        raise AssessmentError("item_invalid", f"Onbekende velden: {', '.join(sorted(unknown))}.", "Unknown fields.")
    if item is None:
        item = PtaItem(pta=pta)
    elif item.pta_id != pta.pk:
        raise AssessmentError("item_invalid", "Dit onderdeel hoort niet bij dit PTA.", "Item of another PTA.")
    for key, value in fields.items():
        if key == "weight" and value is not None:
            value = _decimal(value, "weging")
        if isinstance(value, str) and key not in ("description",):
            value = value.strip()
        setattr(item, key, value)
    versions = list(module_versions) if module_versions is not None else (
        None if item.pk else [])
    _check_item(item, versions, pta.school_id)
    with pta_change(reason or ("nieuw onderdeel" if not item.pk else "")):
        _with_history(item, by, reason or "").save()
        if versions is not None:
            item.module_versions.set(versions)
        if kern_objectives is not None:
            item.kern_objectives.set(list(kern_objectives))
        if versions is not None or kern_objectives is not None:
            _with_history(item, by, reason or "modulen en kerndoelen").save()  # m2m state into the history
    return item


@transaction.atomic
def delete_item(*, by, item: PtaItem, reason: str = "") -> None:
    pta = Pta.objects.select_for_update().get(pk=item.pta_id)
    _require(by, "assessment.manage_pta", pta)
    _needs_reason(pta, reason)
    if item.results.exists():
        raise AssessmentError("item_has_results", "Voor dit onderdeel zijn al resultaten ingevoerd; het kan niet "
                                                  "worden verwijderd.", "The item has results.", 409)
    with pta_change(reason or "verwijderd"):
        _with_history(item, by, reason or "verwijderd").delete()


@transaction.atomic
def set_rubric(*, by, item: PtaItem, criteria: list[Mapping], grade_rule: str = GradeRule.LINEAR,
               cesuur=Decimal("0.55"), description: str = "", reason: str = "") -> Rubric:
    """Replace the rubric of an item. `criteria`: [{"text", "module_objective", "kern_objective",
    "levels": [{"label", "points", "descriptor"}]}]; module objectives must belong to a module the item
    closes. On a vastgesteld PTA only with a reason (the item's history records it)."""
    from maatwerk.catalog.models import ModuleObjective
    from maatwerk.kern.models import KernObjective

    pta = Pta.objects.select_for_update().get(pk=item.pta_id)
    _require(by, "assessment.manage_pta", pta)
    _needs_reason(pta, reason)
    if grade_rule not in GradeRule.values:
        raise AssessmentError("rubric_invalid", "Kies een regel om punten in een cijfer om te rekenen.",
                              "Unknown grade rule.")
    cesuur = _decimal(cesuur, "cesuur")
    if not Decimal("0") < cesuur < Decimal("1"):
        raise AssessmentError("rubric_invalid", "De cesuur is een deel van het maximum tussen 0 en 1, bijvoorbeeld "
                                                "0,55.", "The cesuur lies between 0 and 1.")
    if not criteria:
        raise AssessmentError("rubric_invalid", "Een beoordelingsmodel heeft ten minste één criterium.",
                              "A rubric needs at least one criterion.")
    version_ids = set(item.module_versions.values_list("pk", flat=True))
    rows = []
    for n, spec in enumerate(criteria, start=1):
        text = str(spec.get("text") or "").strip()
        levels = list(spec.get("levels") or [])
        if not text or not levels:
            raise AssessmentError("rubric_invalid", f"Criterium {n} heeft een tekst en ten minste één niveau nodig.",
                                  "A criterion needs a text and at least one level.")
        objective = spec.get("module_objective")
        if objective is not None and not isinstance(objective, ModuleObjective):
            objective = ModuleObjective.objects.filter(pk=objective).first()
            if objective is None:
                raise AssessmentError("rubric_invalid", f"Criterium {n}: onbekende eindterm.", "Unknown objective.")
        if objective is not None and objective.version_id not in version_ids:
            raise AssessmentError("rubric_invalid", f"Criterium {n}: de eindterm {objective.code} hoort niet bij een "
                                                    f"module die dit onderdeel afsluit.",
                                  "The module objective is not of a module this item closes.")
        kern = spec.get("kern_objective")
        if kern is not None and not isinstance(kern, KernObjective):
            kern = KernObjective.objects.filter(pk=kern).first()
            if kern is None:
                raise AssessmentError("rubric_invalid", f"Criterium {n}: onbekend kerndoel.", "Unknown kern objective.")
        parsed_levels = []
        for level in levels:
            try:
                points = int(level.get("points"))
            except (TypeError, ValueError):
                points = -1
            if points < 0 or not str(level.get("label") or "").strip():
                raise AssessmentError("rubric_invalid", f"Criterium {n}: elk niveau heeft een naam en 0 of meer "
                                                        f"punten.", "Each level needs a label and points >= 0.")
            parsed_levels.append((str(level["label"]).strip(), points, str(level.get("descriptor") or "").strip()))
        rows.append((text, objective, kern, parsed_levels))
    with pta_change(reason or "beoordelingsmodel"):
        rubric, _ = Rubric.objects.get_or_create(item=item)
        rubric.criteria.all().delete()
        rubric.grade_rule = grade_rule
        rubric.cesuur = cesuur
        rubric.description = description
        _with_history(rubric, by, reason or "beoordelingsmodel").save()
        for order, (text, objective, kern, levels) in enumerate(rows):
            criterion = RubricCriterion.objects.create(rubric=rubric, text=text, module_objective=objective,
                                                       kern_objective=kern, order=order)
            RubricLevel.objects.bulk_create(
                [RubricLevel(criterion=criterion, label=lb, points=p, descriptor=d) for lb, p, d in levels])
        if kern_ids := {k.pk for _, _, k, _ in rows if k is not None}:
            item.kern_objectives.add(*kern_ids)  # a kern objective in the rubric is observed in the item
        if pta.status != PtaStatus.CONCEPT:
            _with_history(item, by, f"beoordelingsmodel: {reason}").save()
    return rubric


@dataclass(frozen=True)
class RubricScore:
    points: int
    maximum: int
    grade: Decimal
    levels: dict[str, int]  # criterion id (str) -> level id


def rubric_score(rubric: Rubric, chosen: Mapping) -> RubricScore:
    """The points and grade for a level chosen per criterion ({criterion id: level id}); every criterion
    must be scored with one of its own levels. Prefetch criteria__levels."""
    criteria = list(rubric.criteria.all())
    levels, points, missing = {}, 0, []
    for criterion in criteria:
        raw = chosen.get(str(criterion.pk), chosen.get(criterion.pk))
        level = next((lv for lv in criterion.levels.all() if str(lv.pk) == str(raw)), None)
        if level is None:
            missing.append(criterion.text)
            continue
        levels[str(criterion.pk)] = level.pk
        points += level.points
    if missing:
        raise GradeError(f"Kies een niveau bij: {'; '.join(missing)}.", "Score every criterion.")
    maximum = rubric.max_points
    grade = score_to_grade(points, maximum, rubric.grade_rule, rubric.cesuur)
    return RubricScore(points=points, maximum=maximum, grade=grade, levels=levels)


def qualification_for(grade: Decimal) -> str:
    """A rubric on a qualification item: below 5,5 onvoldoende, from 7,5 goed, voldoende in between."""
    if grade < Decimal("5.5"):
        return "onvoldoende"
    return "goed" if grade >= Decimal("7.5") else "voldoende"


# --- results ---------------------------------------------------------------------------------------


def _check_student_in_pta(student, item: PtaItem) -> None:
    pta = item.pta
    if pta.school_id != student.school_id:
        raise AssessmentError("result_wrong_school", "Dit onderdeel hoort bij het PTA van een andere school.",
                              "The item belongs to another school's PTA.", 404)
    if pta.status == PtaStatus.CONCEPT:
        raise AssessmentError("pta_not_adopted", "Het PTA is nog een concept: resultaten worden ingevoerd zodra het "
                                                 "PTA is vastgesteld.", "The PTA is not adopted yet.")
    if student.cohort != pta.cohort or not pta.is_for(student.leerweg):
        raise AssessmentError(
            "result_student_not_in_pta",
            f"{student.full_name} ({student.leerweg}, cohort {student.cohort}) valt niet onder {pta.title}: "
            f"dit onderdeel geldt niet voor deze leerling.",
            "The student is not covered by this PTA.")


def _check_attempt(item: PtaItem, attempt) -> int:
    if isinstance(attempt, bool) or not isinstance(attempt, int):
        try:
            attempt = int(str(attempt).strip())
        except (TypeError, ValueError):
            raise AssessmentError("result_invalid_attempt", "De poging is een geheel getal (1, 2, ...).",
                                  "The attempt is a whole number.") from None
    if attempt < 1:
        raise AssessmentError("result_invalid_attempt", "De poging is 1 of hoger.", "The attempt is 1 or more.")
    if attempt > item.attempts_allowed:
        text = (f"Het PTA staat voor {item.code} geen herkansing toe." if not item.resit_allowed else
                f"Het PTA staat voor {item.code} ten hoogste {item.max_attempts} pogingen toe.")
        raise AssessmentError("result_attempt_not_allowed", text + f" Poging {attempt} kan niet worden ingevoerd.",
                              "The PTA does not allow this attempt.")
    return attempt


def parse_value(item: PtaItem, value) -> tuple[Decimal | None, str]:
    """(grade, qualification) for what was typed, per the item's result kind; GradeError if not valid."""
    if item.result_kind == ResultKind.QUALIFICATION:
        return None, parse_qualification(value)
    return parse_grade(value), ""


def _check_entry(student, item: PtaItem, value, attempt, known: tuple[set, dict] | None = None,
                 ) -> tuple[int, Decimal | None, str]:
    """The checks of a result that need no stored result, in this order: the student is covered by the
    item's vastgesteld PTA, the attempt is allowed, the value is a grade (or qualification). Returns
    (attempt, grade, qualification); raises AssessmentError or GradeError. `known` (a set and a dict the
    caller keeps over many entries) remembers the answers that repeat: the (PTA, school, cohort, leerweg)
    found covered, and what a typed text means for a result kind."""
    covered, parsed = known if known is not None else (set(), {})
    covers = (item.pta_id, student.school_id, student.cohort, student.leerweg)
    if covers not in covered:
        _check_student_in_pta(student, item)
        covered.add(covers)
    attempt = _check_attempt(item, attempt)
    typed = (item.result_kind, value) if type(value) is str else None
    meaning = parsed.get(typed) if typed else None
    if meaning is None:
        meaning = parse_value(item, value)
        if typed:
            parsed[typed] = meaning
    grade, qualification = meaning
    return attempt, grade, qualification


def _check_previous_attempt(attempt: int, previous_exists: bool) -> None:
    if attempt > 1 and not previous_exists:
        raise AssessmentError("result_resit_without_attempt",
                              f"Poging {attempt} kan pas als poging {attempt - 1} een resultaat heeft.",
                              "The previous attempt has no result yet.")


def _new_result(by, student, item, attempt, grade, qualification, comment, rubric_scores, assessed_on,
                today) -> Result:
    """A new result (version 1), built by column (no related objects set: a grade import builds a hundred
    thousand of these, and `save_results` keeps the students itself)."""
    # positional, in _RESULT_COLUMNS order: half the cost of keyword arguments in Model.__init__
    return Result(None, student.pk, item.pk, attempt, grade, qualification, getattr(_user(by), "pk", None),
                  assessed_on or today, dict(rubric_scores or {}), (comment or "").strip(), 1, None)


#: the order of Result's columns `_new_result` passes its values in; checked when this module is imported, so a
#: new or moved field cannot put a value in the wrong column unnoticed
_RESULT_COLUMNS = ("id", "student_id", "item_id", "attempt", "grade", "qualification", "assessor_id", "assessed_on",
                   "rubric_scores", "comment", "version", "updated_at")
if tuple(f.attname for f in Result._meta.concrete_fields) != _RESULT_COLUMNS:  # pragma: no cover - a model change
    raise ImproperlyConfigured("assessment.services._new_result: Result's columns changed; update _RESULT_COLUMNS "
                               "and the positional values.")


def _change_result(current: Result, by, grade, qualification, comment, rubric_scores, assessed_on, today) -> bool:
    """Apply a new value to a stored result (version + 1); False (and nothing changed) when it is the same."""
    new_comment = current.comment if comment is None else comment.strip()
    new_scores = current.rubric_scores if rubric_scores is None else dict(rubric_scores)
    unchanged = (current.grade == grade and current.qualification == qualification
                 and current.comment == new_comment and current.rubric_scores == new_scores
                 and (assessed_on is None or assessed_on == current.assessed_on))
    if unchanged:
        return False
    current.grade, current.qualification = grade, qualification
    current.comment, current.rubric_scores = new_comment, new_scores
    current.assessor = _user(by) or current.assessor
    current.assessed_on = assessed_on or today
    current.version += 1
    return True


@transaction.atomic
def save_result(*, by, student, item: PtaItem, value, attempt=1, version: int | None, comment: str | None = None,
                rubric_scores: Mapping | None = None, assessed_on: dt.date | None = None,
                reason: str = "") -> Result:
    """THE write path for a result. `version` is the version the caller saw (0: "there was no result
    yet"); when the stored result has moved on, ResultConflict (409) is raised and nothing changes.
    `version=None` overwrites deliberately (imports, after their own dry run; the history keeps the old
    value). Raises GradeError / AssessmentError with a Dutch message; nothing changes then either.
    `save_results` is the same for many results at once (imports)."""
    _require(by, "assessment.enter_result", Result(student=student, item=item))
    item = PtaItem.objects.select_related("pta").get(pk=item.pk)
    attempt, grade, qualification = _check_entry(student, item, value, attempt)
    if version is not None:
        try:
            version = int(version)
        except (TypeError, ValueError):
            raise AssessmentError("result_invalid_version", "De versie ontbreekt of is geen getal.",
                                  "The version is missing or not a number.") from None
    typed = str(value).strip()
    current = Result.objects.select_for_update().filter(student=student, item=item, attempt=attempt).first()
    _check_previous_attempt(attempt, attempt == 1 or Result.objects.filter(
        student=student, item=item, attempt=attempt - 1).exists())
    today = timezone.localdate()
    if current is None:
        if version not in (None, 0):
            raise ResultConflict(None, typed)
        result = _new_result(by, student, item, attempt, grade, qualification, comment, rubric_scores, assessed_on,
                             today)
        result.student, result.item = student, item  # the caller reads them from the result
        try:
            with transaction.atomic():  # a savepoint: a concurrent first save loses on the unique constraint
                _with_history(result, by, reason).save()
        except IntegrityError:
            current = Result.objects.select_for_update().filter(student=student, item=item, attempt=attempt).first()
            raise ResultConflict(current, typed) from None
    else:
        if version is not None and version != current.version:
            raise ResultConflict(current, typed)
        if not _change_result(current, by, grade, qualification, comment, rubric_scores, assessed_on, today):
            return current
        _with_history(current, by, reason).save()
        result = current
    recompute_outcomes(student=student, items=[item], by=by)
    return result


# --- many results at once (imports) ----------------------------------------------------------------


@dataclass
class ResultEntry:
    """One result to save with `save_results`: what `save_result` takes, with version=None."""

    student: object
    item: PtaItem
    value: object
    attempt: object = 1
    comment: str | None = None
    assessed_on: dt.date | None = None


@dataclass
class EntryOutcome:
    """What `save_results` made of an entry: `change` created / updated / unchanged with the value stored
    before (`old`) and the result, or the `error` (PermissionDenied, AssessmentError, GradeError)."""

    entry: ResultEntry
    change: str = ""
    old: str = ""
    result: Result | None = None
    error: Exception | None = None


#: the fields of a result that a new value changes (save() writes them; so does bulk_update)
_RESULT_FIELDS = ("grade", "qualification", "comment", "rubric_scores", "assessor", "assessed_on", "version",
                  "updated_at")


def save_results(*, by, entries: Iterable[ResultEntry], reason: str = "", write: bool = True) -> list[EntryOutcome]:
    """`save_result` for many results at once, with version=None (a deliberate overwrite, as imports do after
    their dry run): the bulk write path of the grade import.

    Every entry is checked in memory in the order given, with exactly save_result's checks and messages
    (permission, the student in the item's vastgesteld PTA, the attempt allowed, the value, a resit only
    after the previous attempt, which may be an earlier entry); a value equal to the stored one is
    'unchanged' and writes nothing. Items and the stored results are read once (the stored ones locked).
    Only when every entry is valid and `write` is true is anything written, in the caller's transaction:
    new results and their history rows in bulk (COPY on PostgreSQL, maatwerk/bulk.py), changed ones with
    bulk_update and their history rows (version + 1, with `reason`, as save_result writes them), then the
    module outcomes once per (student, module) through the engine (`recompute_outcomes_many`). A
    concurrent first save of the same result makes the whole write fail with a conflict (nothing is
    written; import again). A handful of queries per thousand entries."""
    outcomes = [EntryOutcome(entry) for entry in entries]
    if not outcomes:
        return outcomes
    items = PtaItem.objects.select_related("pta").in_bulk({o.entry.item.pk for o in outcomes})
    stored: dict[tuple[int, int, int], Result] = {}
    for chunk in chunks(sorted({o.entry.student.pk for o in outcomes})):
        results = Result.objects.filter(student_id__in=chunk, item_id__in=list(items))
        for r in (results.select_for_update() if write else results):
            stored[(r.student_id, r.item_id, r.attempt)] = r
    today = timezone.localdate()
    new: list[Result] = []
    changed: dict[int, Result] = {}
    failed = False
    graders_of: set[int] = set()  # schools whose every result `by` may enter (docent, examensecretaris there)
    students: dict[int, object] = {}  # the entries' students (a new result is built without its student)
    known: tuple[set, dict] = (set(), {})  # what _check_entry found for one entry and others ask again
    for o in outcomes:
        e = o.entry
        try:
            if by is not SYSTEM and e.student.school_id not in graders_of:
                probe = Result(student=e.student, item=e.item)
                _require(by, "assessment.enter_result", probe)
                if is_grader(by, probe):  # depends on the school alone: not asked again for its other rows
                    graders_of.add(e.student.school_id)
            item = items[e.item.pk]
            attempt, grade, qualification = _check_entry(e.student, item, e.value, e.attempt, known)
            key = (e.student.pk, item.pk, attempt)
            current = stored.get(key)
            _check_previous_attempt(attempt, (e.student.pk, item.pk, attempt - 1) in stored)
        except (PermissionDenied, AssessmentError, GradeError) as exc:
            o.error, failed = exc, True
            continue
        students[e.student.pk] = e.student
        if current is None:
            result = _with_history(_new_result(by, e.student, item, attempt, grade, qualification, e.comment, None,
                                               e.assessed_on, today), by, reason)
            stored[key] = result
            new.append(result)
            o.change, o.result = "created", result
            continue
        o.old = display_value(current)
        if not _change_result(current, by, grade, qualification, e.comment, None, e.assessed_on, today):
            o.change, o.result = "unchanged", current
            continue
        _with_history(current, by, reason)
        if current.pk is not None:
            changed[current.pk] = current
        o.change, o.result = "updated", current
    if failed or not write or not (new or changed):
        return outcomes
    from maatwerk.bulk import create_with_history, update_with_history

    now = timezone.now()
    for result in changed.values():
        result.updated_at = now
    try:
        with transaction.atomic():  # a savepoint: a concurrent first save of one of these results wins
            create_with_history(new, Result, user=_user(by), reason=reason[:100] or None)
    except IntegrityError:
        raise AssessmentError("result_conflict", "Iemand heeft intussen voor een of meer van deze leerlingen en "
                              "onderdelen een resultaat ingevoerd. Er is niets opgeslagen; importeer het bestand "
                              "opnieuw.", "Results were entered meanwhile; nothing was saved. Import again.",
                              status=409) from None
    update_with_history(list(changed.values()), Result, _RESULT_FIELDS, user=_user(by), reason=reason[:100] or None)
    touched: dict[int, tuple[object, dict]] = {}
    for result in (*new, *changed.values()):
        student, student_items = touched.setdefault(result.student_id, (students[result.student_id], {}))
        student_items[result.item_id] = items[result.item_id]
    recompute_outcomes_many([(student, list(student_items.values())) for student, student_items in touched.values()],
                            by=by)
    return outcomes


# --- module outcomes: engine -> ModuleResult -> programme item -> usage report --------------------

COMPLETE = (ModuleOutcomeStatus.PASSED, ModuleOutcomeStatus.FAILED)
_MODULE_RESULT_FIELDS = ("pta", "outcome", "grade", "final_grade", "findings", "level", "school_year", "computed_at")


def _findings(outcome) -> list[dict]:
    return [{**f.as_dict(), "subject": f.subject} for f in outcome.findings]


def recompute_outcomes(*, student, items: Iterable[PtaItem], by=SYSTEM) -> list[ModuleResult]:
    """Recompute, through the rules engine, the outcome of every module the items close for `student`,
    and let the programme item and the menukaart's usage report follow. Called by save_result; every
    change is saved on its own (with its signals: a changed module result revokes its certificate)."""
    return _recompute([(student, list(items))], by=by, bulk=False).get(student.pk, [])


def recompute_outcomes_many(pairs: Iterable[tuple[object, Iterable[PtaItem]]], *, by=SYSTEM) -> dict[int, list]:
    """`recompute_outcomes` for many (student, items) at once, as the bulk write path needs: the same
    rules, a handful of queries per thousand students; module results and programme items are written in
    bulk with their history, and `module_results_saved` is sent once with the module results that were
    created or changed (the diploma app revokes the certificates they no longer match)."""
    return _recompute([(student, list(items)) for student, items in pairs], by=by, bulk=True)


def _recompute(pairs: list[tuple[object, list[PtaItem]]], *, by, bulk: bool) -> dict[int, list[ModuleResult]]:
    from maatwerk.students.models import ItemStatus, ProgrammeItem

    from .models import module_results_saved

    students = {student.pk: student for student, _ in pairs}
    item_ids: dict[int, dict[int, PtaItem]] = defaultdict(dict)
    for student, items in pairs:
        for item in items:
            item_ids[student.pk][item.pk] = item
    # the module versions each item closes (with their module), in one query
    closes: dict[int, list[tuple[int, int]]] = defaultdict(list)
    for item_id, version_id, module_id in (
            PtaItem.module_versions.through.objects
            .filter(ptaitem_id__in={i for items in item_ids.values() for i in items})
            .order_by("moduleversion__module__code", "-moduleversion__version")
            .values_list("ptaitem_id", "moduleversion_id", "moduleversion__module_id")):
        closes[item_id].append((version_id, module_id))
    saved: dict[int, list[ModuleResult]] = defaultdict(list)
    touched_usage: dict[int, set] = defaultdict(set)  # school id -> {(module id, school year)}
    for chunk in chunks(list(students)):
        modules: dict[tuple[int, int, int], int] = {}  # key -> module id
        for student_id in chunk:
            for item in item_ids[student_id].values():
                for version_id, module_id in closes[item.pk]:
                    modules.setdefault((student_id, item.pta_id, version_id), module_id)
        keys = list(modules)
        outcomes = engine.module_outcomes(keys)
        existing_qs = ModuleResult.objects.filter(student_id__in=chunk, module_version_id__in={k[2] for k in keys})
        existing = {(mr.student_id, mr.module_version_id): mr for mr in existing_qs.select_for_update()}
        programme_items: dict[int, list] = defaultdict(list)
        for p in (ProgrammeItem.objects.filter(programme__student_id__in=chunk,
                                               module_version__module_id__in=set(modules.values()))
                  .annotate(owner_id=F("programme__student_id"), version_module_id=F("module_version__module_id"))):
            programme_items[p.owner_id].append(p)
        rows, needs_year = [], []
        for key in keys:
            student_id, pta_id, version_id = key
            student, module_id, outcome = students[student_id], modules[key], outcomes[key]
            row = existing.get((student_id, version_id))
            if row is None:  # by id in bulk (nothing reads row.student there), as one save_result sets it
                row = (ModuleResult(student_id=student_id, module_version_id=version_id) if bulk
                       else ModuleResult(student=student, module_version_id=version_id))
            before = (row.outcome, row.grade, row.final_grade, row.school_year, row.pta_id, row.findings,
                      row.level) if row.pk else None
            if row.pk and row.school_year and row.outcome in COMPLETE:
                touched_usage[student.school_id].add((module_id, row.school_year))
            mine = programme_items[student_id]
            programme_item = next((p for p in mine if p.module_version_id == version_id), None) or next(
                (p for p in mine if p.version_module_id == module_id), None)
            row.pta_id = pta_id
            row.outcome = outcome.outcome
            row.grade = outcome.grade
            row.final_grade = outcome.final_grade
            row.findings = _findings(outcome)
            row.level = (programme_item.level if programme_item and programme_item.level else student.leerweg)
            if outcome.outcome in COMPLETE:
                if not (before and before[0] in COMPLETE and row.school_year):
                    needs_year.append((key, row))
            else:
                row.school_year = None
            rows.append((key, row, before, programme_item, module_id))
        if needs_year:  # the school year of the last assessment of the module exam (one query)
            last = {(s, p, v): d for s, p, v, d in (
                Result.objects.filter(student_id__in={k[0] for k, _ in needs_year},
                                      item__pta_id__in={k[1] for k, _ in needs_year},
                                      item__module_versions__in={k[2] for k, _ in needs_year})
                .values_list("student_id", "item__pta_id", "item__module_versions").annotate(d=Max("assessed_on"))
                .order_by())}
            for key, row in needs_year:
                row.school_year = school_year_of(last.get(key) or timezone.localdate())
        created, updated, statuses = [], [], []
        for key, row, before, programme_item, module_id in rows:
            student = students[key[0]]
            if row.outcome in COMPLETE:
                touched_usage[student.school_id].add((module_id, row.school_year))
            after = (row.outcome, row.grade, row.final_grade, row.school_year, row.pta_id, row.findings, row.level)
            if before != after:
                _with_history(row, by)
                if not bulk:
                    row.save()
                elif row.pk is None:
                    created.append(row)
                else:
                    updated.append(row)
            saved[student.pk].append(row)
            if programme_item is not None:
                status = {ModuleOutcomeStatus.PASSED: ItemStatus.COMPLETED,
                          ModuleOutcomeStatus.FAILED: ItemStatus.NOT_COMPLETED}.get(row.outcome)
                if status is None and programme_item.status in (ItemStatus.COMPLETED, ItemStatus.NOT_COMPLETED):
                    status = ItemStatus.ENROLLED  # a correction made the module incomplete again
                if status is not None and status != programme_item.status:
                    programme_item.status = status
                    _with_history(programme_item, by, "uitslag module")
                    if bulk:
                        statuses.append(programme_item)
                    else:
                        programme_item.save(update_fields=["status"])
        if bulk and (created or updated or statuses):
            from maatwerk.bulk import create_with_history, update_with_history

            now = timezone.now()
            for row in updated:
                row.computed_at = now
            create_with_history(created, ModuleResult, user=_user(by))
            update_with_history(updated, ModuleResult, _MODULE_RESULT_FIELDS, user=_user(by))
            update_with_history(list({p.pk: p for p in statuses}.values()), ProgrammeItem, ["status"],
                                user=_user(by), reason="uitslag module")
            if created or updated:
                module_results_saved.send(sender=ModuleResult, results=[*created, *updated])
    if touched_usage:
        from maatwerk.schools.models import School

        brins = dict(School.objects.filter(pk__in=list(touched_usage)).values_list("pk", "brin"))
        for school_id, usage in touched_usage.items():
            update_usage_reports(brin=brins[school_id], keys=usage)
    return saved


def _completed_exams(brin: str):
    """The completed module exams (behaald or niet behaald: the exam was taken) at a school."""
    return ModuleResult.objects.filter(student__school__brin=brin, outcome__in=COMPLETE)


def completed_exam_count(*, module_id: int, school_year: int, brin: str) -> int:
    """Completed module exams of a module in a school year at a school: the number the menukaart's usage
    report carries. Aggregated, never personal data."""
    return _completed_exams(brin).filter(module_version__module_id=module_id, school_year=school_year).count()


def update_usage_reports(*, brin: str, keys: Iterable[tuple[int, int]]) -> None:
    """Report the count per (module, school year) for this school to the menukaart (catalog service): the
    counts in one query (the exams `completed_exam_count` counts), a report per key that has exams or a report."""
    from maatwerk.catalog import services as catalog_services
    from maatwerk.catalog.models import Module, ModuleUsageReport, UsageSource

    keys = sorted(set(keys))
    if not keys:
        return
    module_ids, years = {m for m, _ in keys}, {y for _, y in keys}
    counts = {(m, y): n for m, y, n in (
        _completed_exams(brin).filter(module_version__module_id__in=module_ids, school_year__in=years)
        .values_list("module_version__module_id", "school_year").annotate(n=Count("pk")).order_by())}
    reported = set(ModuleUsageReport.objects.filter(module_id__in=module_ids, school_year__in=years, brin=brin)
                   .values_list("module_id", "school_year"))
    modules = Module.objects.in_bulk(module_ids)
    for module_id, school_year in keys:
        count = counts.get((module_id, school_year), 0)
        if count == 0 and (module_id, school_year) not in reported:
            continue
        catalog_services.report_usage(by=catalog_services.SYSTEM, module=modules[module_id],
                                      school_year=school_year, brin=brin, exams_taken=count,
                                      source=UsageSource.LOCAL)


# --- kern observations and assessors -------------------------------------------------------------


@transaction.atomic
def record_kern_observation(*, by, student, objective, level: str, item: PtaItem | None = None, note: str = "",
                            observed_on: dt.date | None = None) -> KernObservation:
    """The kern is observed inside a module assessment (never tested on its own)."""
    observation = KernObservation(student=student, objective=objective, level=level, item=item,
                                  observed_by=_user(by), observed_on=observed_on or timezone.localdate(),
                                  note=(note or "").strip())
    _require(by, "assessment.observe_kern", observation)
    if level not in KernLevel.values:
        raise AssessmentError("kern_invalid_level", "Kies een niveau: beginnend, in ontwikkeling, beheerst of ruim "
                                                    "beheerst.", "Choose a level.")
    if item is not None and item.pta.school_id != student.school_id:
        raise AssessmentError("kern_wrong_item", "Dit onderdeel hoort bij een andere school.", "Item of another school.")
    _with_history(observation, by).save()
    return observation


KERN_SCALE = ("beginning", "developing", "proficient", "advanced")


def kern_level_for(rank: int, levels: int) -> str:
    """A rubric level as a kern observation: the lowest of n levels is beginnend, the highest ruim beheerst."""
    if levels <= 1:
        return KERN_SCALE[2]
    return KERN_SCALE[round(rank * (len(KERN_SCALE) - 1) / (levels - 1))]


def observe_kern_from_rubric(*, by, student, item: PtaItem, levels: Mapping[str, int],
                             observed_on: dt.date | None = None) -> list[KernObservation]:
    """Record a kern observation for every rubric criterion linked to a kern objective, at the level
    chosen for that criterion (the kern is observed inside the assessment, never tested on its own)."""
    made = []
    for criterion in item.rubric.criteria.select_related("kern_objective").prefetch_related("levels"):
        if criterion.kern_objective_id is None or str(criterion.pk) not in levels:
            continue
        ordered = sorted(criterion.levels.all(), key=lambda lv: lv.points)
        rank = next(i for i, lv in enumerate(ordered) if lv.pk == int(levels[str(criterion.pk)]))
        made.append(record_kern_observation(by=by, student=student, objective=criterion.kern_objective,
                                            level=kern_level_for(rank, len(ordered)), item=item,
                                            observed_on=observed_on, note=f"Beoordelingsmodel: {criterion.text}"))
    return made


def _assessor_partner_ids(assessor) -> set[int]:
    return set(Membership.objects.active().filter(user=assessor, role=Role.EXTERNAL_ASSESSOR)
               .values_list("partner_id", flat=True))


@transaction.atomic
def assign_assessor(*, by, assessor, item: PtaItem, students: Iterable) -> list[AssessorAssignment]:
    """Let an external assessor (of the item's partner) see and score these students on this item."""
    item = PtaItem.objects.select_related("pta").get(pk=item.pk)
    _require(by, "assessment.assign_assessor", item)
    partner_ids = _assessor_partner_ids(assessor)
    if not partner_ids:
        raise AssessmentError("assessor_invalid", f"{assessor} is geen externe beoordelaar.", "Not an assessor.")
    if item.assessed_by == AssessedBy.SCHOOL:
        raise AssessmentError("assessor_invalid", f"{item.code} wordt volgens het PTA door de school beoordeeld.",
                              "The PTA says the school assesses this item.")
    from maatwerk.schools.models import Partner

    if item.partner_id and item.partner_id not in partner_ids or not Partner.objects.filter(
            pk__in=partner_ids, school_id=item.pta.school_id).exists():
        raise AssessmentError("assessor_invalid", f"{assessor} beoordeelt niet namens de partner van {item.code}.",
                              "The assessor does not work for this item's partner.")
    made = []
    for student in students:
        if student.school_id != item.pta.school_id:
            raise AssessmentError("assessor_invalid", f"{student} is geen leerling van deze school.",
                                  "Student of another school.")
        assignment, _ = AssessorAssignment.objects.get_or_create(
            assessor=assessor, item=item, student=student, defaults={"assigned_by": _user(by)})
        made.append(assignment)
    return made


@transaction.atomic
def unassign_assessor(*, by, assignment: AssessorAssignment) -> None:
    _require(by, "assessment.assign_assessor", assignment.item)
    assignment.delete()
