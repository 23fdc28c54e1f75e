"""Reads shared by the pages and the API. Everything goes through `visible_to`; the gradebook's
query count does not grow with the number of students or items."""

from __future__ import annotations

import re
from collections import defaultdict
from dataclasses import dataclass, field
from decimal import Decimal
from functools import cached_property

from django.db.models import Count, Prefetch, Q, QuerySet

from maatwerk.accounts.scoping import get_visible_or_404, roles_of, visible_to

from .models import (
    AssessorAssignment,
    KernObservation,
    ModuleResult,
    Pta,
    PtaItem,
    PtaStatus,
    Result,
    RubricCriterion,
)

LIVE = (PtaStatus.ADOPTED, PtaStatus.PUBLISHED)


# --- PTAs ----------------------------------------------------------------------------------------


def readable_ptas(user) -> QuerySet[Pta]:
    """PTAs the user may read: through the tenancy (staff: every PTA of their school, in any status), and
    for a leerling or ouder the PUBLISHED PTA(s) of their own (child's) school, cohort and leerweg: the PTA
    is sent to candidates (WVO 2.60a). The student rows themselves are read through visible_to."""
    q = Q(pk__in=visible_to(user, Pta).values("pk"))
    for student in own_students(user):
        q |= Q(school_id=student.school_id, cohort=student.cohort, status=PtaStatus.PUBLISHED,
               **{f"for_{student.leerweg.lower()}": True})
    return Pta.objects.filter(q)


def readable_items(user) -> QuerySet[PtaItem]:
    """Items of readable PTAs, and the items assigned to an external assessor (PtaItem.tenancy)."""
    return PtaItem.objects.filter(Q(pk__in=visible_to(user, PtaItem).values("pk"))
                                  | Q(pta__in=readable_ptas(user).values("pk")))


def ptas(user) -> QuerySet[Pta]:
    return (readable_ptas(user).select_related("school", "adopted_by")
            .annotate(item_count=Count("items", distinct=True)).order_by("school__name", "-cohort", "title"))


def pta_items_queryset() -> QuerySet[PtaItem]:
    return (PtaItem.objects.select_related("partner", "rubric")
            .prefetch_related("module_versions__module", "kern_objectives",
                              Prefetch("rubric__criteria", queryset=RubricCriterion.objects.select_related(
                                  "module_objective", "kern_objective").prefetch_related("levels")))
            .order_by("period", "code"))


def pta_detail(user, pk) -> Pta:
    qs = Pta.objects.select_related("school", "adopted_by").prefetch_related(
        Prefetch("items", queryset=pta_items_queryset()))
    return _get_or_404(qs.filter(pk__in=readable_ptas(user).values("pk")), pk=pk)


def readable_item(user, pk) -> PtaItem:
    return _get_or_404(pta_items_queryset().select_related("pta__school")
                       .filter(pk__in=readable_items(user).values("pk")), pk=pk)


def _get_or_404(qs: QuerySet, **lookup):
    """One row of a queryset that is already scoped (readable_ptas/readable_items build on visible_to)."""
    from django.http import Http404

    try:
        return qs.get(**lookup)
    except (qs.model.DoesNotExist, ValueError, TypeError) as exc:
        raise Http404("Niet gevonden.") from exc


def by_module(items) -> list[dict]:
    """Items grouped by the module(s) they close, in the order of the first item's code."""
    groups: dict[tuple[int, ...], dict] = {}
    for item in items:
        versions = sorted(item.module_versions.all(), key=lambda v: v.module.code)
        key = tuple(v.pk for v in versions)
        groups.setdefault(key, {"versions": versions, "items": []})["items"].append(item)
    return list(groups.values())


def pta_history(pta: Pta, limit: int = 60) -> list[dict]:
    """What changed in the PTA and its items, newest first: when, who, what, why. Changes made while the
    PTA was a concept are summed up in one line. A fixed number of queries, however many changes there are
    (simple_history's prev_record and diff_against ask the database per record and per m2m field)."""
    rows = []
    records = list(pta.history.select_related("history_user").order_by("-history_date")[:limit])
    adopted = min((r.history_date for r in records if r.status != PtaStatus.CONCEPT), default=None)
    item_history = PtaItem.history.model.objects.filter(pta_id=pta.pk).select_related("history_user").order_by(
        "-history_date")
    concept_changes = 0
    if adopted is not None:
        concept_changes = item_history.filter(history_date__lt=adopted).values("id").distinct().count()
        item_history = item_history.filter(history_date__gte=adopted)
    item_records = list(item_history[:limit])
    changes = _ChangeReader()
    pta_changes = changes.read(Pta, records, pta.history.all())
    item_changes = changes.read(PtaItem, item_records, PtaItem.history.model.objects.filter(
        id__in={r.id for r in item_records}))
    for record in (r for r in records if r.history_id in pta_changes):
        rows.append({"when": record.history_date, "who": record.history_user, "what": f"PTA ({record.get_status_display()})",
                     "reason": record.history_change_reason or "", "changes": changes.plain(pta_changes[record.history_id])})
    if concept_changes:
        rows.append({"when": adopted, "who": None, "reason": "", "changes": [],
                     "what": f"{concept_changes} onderde{'len' if concept_changes != 1 else 'el'} aangemaakt of "
                             f"gewijzigd in de conceptfase, vóór de vaststelling"})
    for record in (r for r in item_records if r.history_id in item_changes):
        kind = {"+": "nieuw", "~": "gewijzigd", "-": "verwijderd"}[record.history_type]
        rows.append({"when": record.history_date, "who": record.history_user,
                     "what": f"onderdeel {record.code} {kind}", "reason": record.history_change_reason or "",
                     "changes": changes.plain(item_changes[record.history_id])})
    rows.sort(key=lambda r: r["when"], reverse=True)
    return rows[:limit]


class _ChangeReader:
    """The field changes of history records against each record's previous one, read in bulk: one query for
    the records' chains, one per m2m field and one per model that a changed foreign key or m2m row names."""

    def __init__(self):
        self._wanted: dict[type, set] = defaultdict(set)
        self._names: dict[type, dict] | None = None
        self.superseded: set[int] = set()  # history ids folded into a later record of the same change

    def read(self, model, records, chains) -> dict[int, list[tuple]]:
        history = model.history.model
        # One save writes several records (the row, then each m2m add or clear): a run of records of the same
        # object by the same person for the same reason is one change, from before the run to its end.
        previous, last, superseded = {}, {}, set()
        for record in chains.order_by("id", "history_date", "history_id"):
            before = last.get(record.id)
            if before is not None and (before.history_user_id, before.history_change_reason or "") == (
                    record.history_user_id, record.history_change_reason or "") and record.history_type != "-":
                previous[record.history_id] = previous.get(before.history_id)
                superseded.add(before.history_id)
            else:
                previous[record.history_id] = before
            last[record.id] = record
        self.superseded |= superseded
        pairs = [(r, previous.get(r.history_id)) for r in records if r.history_id not in superseded]
        history_ids = {r.history_id for r, p in pairs if p is not None} | {
            p.history_id for r, p in pairs if p is not None}
        m2m = {}  # field name -> {history id: sorted related ids}
        for m2m_field in history._history_m2m_fields:
            through = getattr(history, m2m_field.name).model
            target = model._meta.get_field(m2m_field.name).m2m_reverse_field_name()
            rows = defaultdict(list)
            for history_id, related in (through.objects.filter(history_id__in=history_ids)
                                        .order_by(target).values_list("history_id", f"{target}_id")):
                rows[history_id].append(related)
            m2m[m2m_field.name] = rows
        fields = [f for f in history.tracked_fields if f.editable and f.name != "updated_at"]
        out = {}
        for record, prev in pairs:
            changes = []
            if prev is not None:
                for f in fields:
                    original = model._meta.get_field(f.name)
                    old, new = getattr(prev, f.attname), getattr(record, f.attname)
                    if old != new:
                        changes.append((original, old, new))
                        if original.is_relation:
                            self._wanted[original.related_model].update(v for v in (old, new) if v is not None)
                for name, rows in m2m.items():
                    old, new = rows.get(prev.history_id, []), rows.get(record.history_id, [])
                    if old != new:
                        original = model._meta.get_field(name)
                        changes.append((original, old, new))
                        self._wanted[original.related_model].update(old + new)
            changes.sort(key=lambda c: c[0].name)
            out[record.history_id] = changes
        return out

    def plain(self, changes) -> list[tuple[str, str, str]]:
        if self._names is None:
            self._names = {}
            for model, ids in self._wanted.items():
                rows = model._default_manager.all()
                if any(f.name == "module" and f.many_to_one for f in model._meta.fields):
                    rows = rows.select_related("module")  # a module version reads as its module's code
                self._names[model] = rows.in_bulk(ids)
        return [(str(field.verbose_name), self._value(old, field), self._value(new, field))
                for field, old, new in changes]

    def _value(self, value, field) -> str:
        if field.is_relation:
            names = self._names.get(field.related_model, {})
            if field.many_to_many:
                return ", ".join(_short(names.get(i, i)) for i in value) or "—"
            if value is not None:
                return str(names.get(value, value))
        return _plain(value, field)


def _short(obj) -> str:
    code = getattr(obj, "code", None) or getattr(getattr(obj, "module", None), "code", None)
    return str(code or obj)


def _plain(value, field=None) -> str:
    """A history value as a person reads it: choice labels, Dutch dates and decimals."""
    import datetime as dt

    from django.utils import timezone

    if value in (None, "", []):
        return "—"
    if field is not None and field.choices:
        return str(dict(field.choices).get(value, value))
    if isinstance(value, dt.datetime):
        return timezone.localtime(value).strftime("%d-%m-%Y %H:%M")
    if isinstance(value, dt.date):
        return value.strftime("%d-%m-%Y")
    if isinstance(value, bool):
        return "ja" if value else "nee"
    if isinstance(value, Decimal):
        return f"{value.normalize():f}".replace(".", ",")
    return str(value)


def student_ptas(student) -> QuerySet[Pta]:
    """The PTAs that apply to a student: their school, cohort and leerweg (adopted or published)."""
    return Pta.objects.filter(school_id=student.school_id, cohort=student.cohort, status__in=LIVE,
                              **{f"for_{student.leerweg.lower()}": True})


# --- gradebook ------------------------------------------------------------------------------------


def gradebook_groups(user):
    """Teaching groups the user may open a gradebook for, the user's own first; per school the newest school
    year first (this year's groups, then last year's), and within a year by period."""
    from maatwerk.schools.models import TeachingGroup

    return (visible_to(user, TeachingGroup)
            .select_related("offering__module_version__module", "teacher", "school")
            .annotate(student_count=Count("students", distinct=True))
            .order_by("school__name", "-offering__school_year", "period", "offering__module_version__module__code",
                      "name"))


@dataclass
class Column:
    """One column of the gradebook: an item code and an attempt. A mixed group follows several PTAs
    (cohorts, leerwegen); items with the same code in those PTAs share the column, and each student's
    cell holds the item of their own PTA."""

    code: str
    attempt: int
    items: dict[int, PtaItem]  # PTA id -> the item with this code in that PTA

    @cached_property
    def key(self) -> str:
        return f"{re.sub(r'[^A-Za-z0-9]+', '_', self.code)}-{self.attempt}"

    @property
    def first(self) -> PtaItem:
        return next(iter(self.items.values()))

    @property
    def label(self) -> str:
        if self.attempt == 1:
            return self.code
        return f"{self.code} herk.{'' if self.attempt == 2 else f' {self.attempt - 1}'}"

    @property
    def weights(self) -> list[Decimal]:
        return sorted({i.weight for i in self.items.values()})

    def item_for(self, student) -> PtaItem | None:
        return next((i for i in self.items.values() if _applies(student, i)), None)


@dataclass(frozen=True, slots=True)
class ShownResult:
    """What a gradebook cell shows of a stored result (read as a plain row: a gradebook has hundreds)."""

    pk: int
    version: int
    grade: Decimal | None
    qualification: str


@dataclass
class Cell:
    student: object
    column: Column
    item: PtaItem | None
    result: Result | ShownResult | None  # a Result once saved on this request
    enabled: bool = True  # the attempt before it has a result (a resit needs a first attempt)
    error: str = ""
    conflict: str = ""
    typed: str = ""
    saved: bool = False

    @property
    def applies(self) -> bool:
        return self.item is not None and self.column.attempt <= self.item.attempts_allowed

    @property
    def name(self) -> str:
        if self.item is None:
            return f"na-{self.student.pk}-{self.column.key}"
        return f"c-{self.student.pk}-{self.item.pk}-{self.column.attempt}"

    @property
    def version(self) -> int:
        return self.result.version if self.result else 0

    @property
    def value(self) -> str:
        from .services import display_value

        return display_value(self.result)

    @property
    def low(self) -> bool:
        """An insufficient result (below 5,5, or onvoldoende): shown in red, besides the number itself."""
        r = self.result
        return r is not None and ((r.grade is not None and r.grade < Decimal("5.5")) or r.qualification == "onvoldoende")

    @property
    def why_not(self) -> str:
        if self.item is None:
            return (f"Dit onderdeel hoort niet bij het PTA van deze leerling ({self.student.leerweg}, cohort "
                    f"{self.student.cohort}).")
        return f"Het PTA van deze leerling staat voor {self.item.code} geen herkansing toe."


@dataclass
class Gradebook:
    group: object
    students: list
    items: list[PtaItem]
    columns: list[Column]
    cells: dict[tuple[int, str], Cell] = field(default_factory=dict)
    by_item: dict[tuple[int, int, int], Cell] = field(default_factory=dict)

    def rows(self):
        for student in self.students:
            yield student, [self.cells[(student.pk, c.key)] for c in self.columns]

    def cell(self, student_id: int, item_id: int, attempt: int) -> Cell | None:
        return self.by_item.get((student_id, item_id, attempt))

    @property
    def codes(self) -> list[tuple[str, str]]:
        seen = {}
        for column in self.columns:
            seen.setdefault(column.code, column.first.title)
        return list(seen.items())


def gradebook_group(user, pk):
    from maatwerk.schools.models import TeachingGroup

    return get_visible_or_404(
        user, TeachingGroup.objects.select_related("offering__module_version__module", "teacher", "school"), pk=pk)


def group_items(group) -> QuerySet[PtaItem]:
    """Items of the school's vastgesteld PTAs that close the group's module (any version of it)."""
    module_id = group.offering.module_version.module_id
    return (PtaItem.objects.filter(pta__school_id=group.school_id, pta__status__in=LIVE,
                                   module_versions__module_id=module_id)
            .select_related("pta", "partner").distinct().order_by("period", "code", "pta__cohort", "pta__title"))


def gradebook(user, group, codes: list[str] | None = None) -> Gradebook:
    """The grid of a teaching group x the PTA items that close its module, in a fixed number of queries
    whatever the number of students and items (students, items, results)."""
    students = list(visible_to(user, group.students.all()).order_by("last_name", "first_name", "pk"))
    items = [i for i in group_items(group) if any(_applies(s, i) for s in students)]
    all_codes: dict[str, str] = {}
    for i in items:
        all_codes.setdefault(i.code, i.title)
    if codes:
        items = [i for i in items if i.code in set(codes)]
    by_code: dict[str, dict[int, PtaItem]] = {}
    for item in items:
        by_code.setdefault(item.code, {})[item.pta_id] = item
    columns = [Column(code, attempt, group_items_)
               for code, group_items_ in by_code.items()
               for attempt in range(1, max(i.attempts_allowed for i in group_items_.values()) + 1)]
    results = visible_to(user, Result.objects.filter(
        student__in=[s.pk for s in students], item__in=[i.pk for i in items])).order_by()
    by_key = {(student_id, item_id, attempt): ShownResult(pk, version, grade, qualification)
              for pk, student_id, item_id, attempt, version, grade, qualification in results.values_list(
                  "pk", "student_id", "item_id", "attempt", "version", "grade", "qualification")}
    book = Gradebook(group=group, students=students, items=items, columns=columns)
    book.all_codes = list(all_codes.items())
    for student in students:
        for column in columns:
            item = column.item_for(student)
            result = by_key.get((student.pk, item.pk, column.attempt)) if item else None
            previous = column.attempt == 1 or (item is not None and
                                               (student.pk, item.pk, column.attempt - 1) in by_key)
            cell = Cell(student=student, column=column, item=item, result=result,
                        enabled=previous or result is not None)
            book.cells[(student.pk, column.key)] = cell
            if item is not None:
                book.by_item[(student.pk, item.pk, column.attempt)] = cell
    return book


def _applies(student, item: PtaItem) -> bool:
    return student.cohort == item.pta.cohort and item.pta.is_for(student.leerweg)


# --- external assessors ---------------------------------------------------------------------------


def assessor_assignments(user) -> list[AssessorAssignment]:
    """The assessor's assignments with the result of each (only their own pairs: see Result.tenancy)."""
    assignments = list(visible_to(user, AssessorAssignment).select_related(
        "student", "item__pta", "item__partner").order_by("item__deadline", "item__code", "student__last_name"))
    results = defaultdict(list)
    for r in visible_to(user, Result).filter(item__in={a.item_id for a in assignments}).order_by("attempt"):
        results[(r.student_id, r.item_id)].append(r)
    for a in assignments:
        a.results = results.get((a.student_id, a.item_id), [])
        a.latest = a.results[-1] if a.results else None
    return assignments


def assignment_detail(user, pk) -> AssessorAssignment:
    qs = AssessorAssignment.objects.select_related("student", "item__pta", "item__partner").prefetch_related(
        "item__kern_objectives__area",
        Prefetch("item__rubric__criteria", queryset=RubricCriterion.objects.select_related(
            "module_objective", "kern_objective").prefetch_related("levels")))
    if is_assessor(user):
        return get_visible_or_404(user, qs.filter(assessor=user), pk=pk)
    return get_visible_or_404(user, qs, pk=pk)


def is_assessor(user) -> bool:
    from maatwerk.accounts.models import Role

    return Role.EXTERNAL_ASSESSOR in roles_of(user).roles


# --- students and parents -------------------------------------------------------------------------


@dataclass
class ModuleBlock:
    """One module of a student's results: its outcome, and the PTA items that close it with the results."""

    version: object
    status: str  # the programme item's status, or "" when the module is not (or no longer) in the programme
    outcome: ModuleResult | None
    rows: list[tuple[PtaItem, list[Result]]]


@dataclass
class StudentOverview:
    student: object
    ptas: list[Pta]
    results: dict[int, list[Result]]
    module_results: list[ModuleResult]
    observations: list[KernObservation]
    modules: list[ModuleBlock] = field(default_factory=list)


def student_overview(user, student) -> StudentOverview:
    """A student's published PTA(s), own results per module, module outcomes and kern observations, in a
    fixed number of queries. Modules: those in the programme that started (not only planned), and any module
    with a result."""
    from maatwerk.students.models import ItemStatus, ProgrammeItem

    published = list(readable_ptas(user).filter(pk__in=student_ptas(student).values("pk"),
                                                status=PtaStatus.PUBLISHED)
                     .prefetch_related(Prefetch("items", queryset=pta_items_queryset())))
    results = defaultdict(list)
    for r in visible_to(user, Result).filter(student=student).select_related("assessor").order_by("attempt"):
        results[r.item_id].append(r)
    module_results = list(visible_to(user, ModuleResult).filter(student=student)
                          .select_related("module_version__module").order_by("module_version__module__code"))
    observations = list(visible_to(user, KernObservation).filter(student=student)
                        .select_related("objective__area", "item").order_by("-observed_on")[:50])
    programme = {p.module_version.module_id: p for p in visible_to(user, ProgrammeItem).filter(
        programme__student=student).exclude(status=ItemStatus.PLANNED).select_related("module_version__module")}
    outcomes = {mr.module_version.module_id: mr for mr in module_results}
    items_by_module: dict[int, list[PtaItem]] = defaultdict(list)
    versions = {}
    for pta in published:
        for item in pta.items.all():
            for version in item.module_versions.all():
                items_by_module[version.module_id].append(item)
                versions.setdefault(version.module_id, version)
    wanted = set(programme) | set(outcomes) | {m for m, items in items_by_module.items()
                                               if any(results.get(i.pk) for i in items)}
    blocks = []
    for module_id in wanted:
        version = (programme[module_id].module_version if module_id in programme else
                   outcomes[module_id].module_version if module_id in outcomes else versions[module_id])
        rows = [(item, results.get(item.pk, [])) for item in sorted(items_by_module.get(module_id, []),
                                                                      key=lambda i: i.code)]
        status = programme[module_id].status if module_id in programme else ""
        blocks.append(ModuleBlock(version=version, status=status, outcome=outcomes.get(module_id), rows=rows))
    order = {"enrolled": 0, "not_completed": 1, "completed": 2, "": 3}
    blocks.sort(key=lambda b: (order.get(b.status, 3), b.version.module.code))
    return StudentOverview(student=student, ptas=published, results=dict(results), module_results=module_results,
                           observations=observations, modules=blocks)


def own_students(user) -> list:
    """The students a leerling or ouder may see results of (their own record, their children)."""
    from maatwerk.students.models import Student

    ids = roles_of(user).students()
    return list(visible_to(user, Student).filter(pk__in=ids).order_by("first_name"))
