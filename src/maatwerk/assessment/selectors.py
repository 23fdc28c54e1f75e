"""Reads shared by the pages and the API. Everything goes through `visible_to`; the gradebook's
query count does not grow with the number of students or items."""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass, field

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


def pta_history(pta: Pta, limit: int = 50) -> list[dict]:
    """What changed in the PTA and its items, newest first: when, who, what, why (a fixed number of queries)."""
    rows = []
    for record in pta.history.select_related("history_user").order_by("-history_date")[:limit]:
        rows.append({"when": record.history_date, "who": record.history_user, "what": f"PTA ({record.get_status_display()})",
                     "reason": record.history_change_reason or "", "changes": _changes(record)})
    item_history = PtaItem.history.model.objects.filter(pta_id=pta.pk).select_related("history_user").order_by(
        "-history_date")[:limit]
    for record in item_history:
        kind = {"+": "nieuw", "~": "gewijzigd", "-": "verwijderd"}[record.history_type]
        rows.append({"when": record.history_date, "who": record.history_user,
                     "what": f"onderdeel {record.code} {kind}", "reason": record.history_change_reason or "",
                     "changes": _changes(record)})
    rows.sort(key=lambda r: r["when"], reverse=True)
    return rows[:limit]


def _changes(record) -> list[tuple[str, str, str]]:
    previous = record.prev_record
    if previous is None:
        return []
    try:
        delta = record.diff_against(previous)
    except Exception:  # noqa: BLE001 - an m2m diff on an old record: show the fields only
        return []
    out = []
    for change in delta.changes:
        if change.field in ("updated_at",):
            continue
        label = str(record.instance_type._meta.get_field(change.field).verbose_name) if hasattr(
            record, "instance_type") else change.field
        out.append((label, _plain(change.old), _plain(change.new)))
    return out


def _plain(value) -> str:
    if isinstance(value, list):
        return ", ".join(str(v) for v in value) or "—"
    return "—" if value in (None, "") else str(value)


def student_ptas(student) -> QuerySet[Pta]:
    """The PTAs that apply to a student: their school, cohort and leerweg (adopted or published)."""
    return Pta.objects.filter(school_id=student.school_id, cohort=student.cohort, status__in=LIVE,
                              **{f"for_{student.leerweg.lower()}": True})


# --- gradebook ------------------------------------------------------------------------------------


def gradebook_groups(user):
    """Teaching groups the user may open a gradebook for, the user's own first."""
    from maatwerk.schools.models import TeachingGroup

    return (visible_to(user, TeachingGroup)
            .select_related("offering__module_version__module", "teacher", "school")
            .annotate(student_count=Count("students", distinct=True))
            .order_by("school__name", "offering__school_year", "offering__module_version__module__code", "name"))


@dataclass
class Column:
    item: PtaItem
    attempt: int

    @property
    def key(self) -> str:
        return f"{self.item.pk}-{self.attempt}"

    @property
    def label(self) -> str:
        return self.item.code if self.attempt == 1 else f"{self.item.code} herk.{'' if self.attempt == 2 else self.attempt - 1}"


@dataclass
class Cell:
    student: object
    column: Column
    result: Result | None
    applies: bool
    enabled: bool = True  # the attempt before it has a result (a resit needs a first attempt)
    error: str = ""
    conflict: str = ""
    typed: str = ""
    saved: bool = False

    @property
    def name(self) -> str:
        return f"c-{self.student.pk}-{self.column.item.pk}-{self.column.attempt}"

    @property
    def version(self) -> int:
        return self.result.version if self.result else 0

    @property
    def value(self) -> str:
        from .services import display_value

        return display_value(self.result)


@dataclass
class Gradebook:
    group: object
    students: list
    items: list[PtaItem]
    columns: list[Column]
    cells: dict[tuple[int, str], Cell] = field(default_factory=dict)

    def rows(self):
        for student in self.students:
            yield student, [self.cells[(student.pk, c.key)] for c in self.columns]

    def cell(self, student_id: int, item_id: int, attempt: int) -> Cell | None:
        return self.cells.get((student_id, f"{item_id}-{attempt}"))


def gradebook_group(user, pk):
    from maatwerk.schools.models import TeachingGroup

    return get_visible_or_404(
        user, TeachingGroup.objects.select_related("offering__module_version__module", "teacher", "school"), pk=pk)


def group_items(group) -> QuerySet[PtaItem]:
    """Items of the school's vastgesteld PTAs that close the group's module (any version of it)."""
    module_id = group.offering.module_version.module_id
    return (PtaItem.objects.filter(pta__school_id=group.school_id, pta__status__in=LIVE,
                                   module_versions__module_id=module_id)
            .select_related("pta").distinct().order_by("pta__cohort", "pta__title", "period", "code"))


def gradebook(user, group, item_ids: list[int] | None = None) -> Gradebook:
    """The grid of a teaching group x the PTA items that close its module: four queries, whatever the
    number of students and items (students, items, results; the group is read by the caller)."""
    students = list(visible_to(user, group.students.all()).order_by("last_name", "first_name", "pk"))
    items = [i for i in group_items(group) if any(_applies(s, i) for s in students)]
    if item_ids:
        items = [i for i in items if i.pk in set(item_ids)]
    columns = [Column(item, attempt) for item in items for attempt in range(1, item.attempts_allowed + 1)]
    results = visible_to(user, Result.objects.filter(
        student__in=[s.pk for s in students], item__in=[i.pk for i in items])).order_by()
    by_key = {(r.student_id, f"{r.item_id}-{r.attempt}"): r for r in results}
    book = Gradebook(group=group, students=students, items=items, columns=columns)
    for student in students:
        for column in columns:
            result = by_key.get((student.pk, column.key))
            previous = column.attempt == 1 or (student.pk, f"{column.item.pk}-{column.attempt - 1}") in by_key
            book.cells[(student.pk, column.key)] = Cell(student=student, column=column, result=result,
                                                         applies=_applies(student, column.item),
                                                         enabled=previous or result is not None)
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
class StudentOverview:
    student: object
    ptas: list[Pta]
    results: dict[int, list[Result]]
    module_results: list[ModuleResult]
    observations: list[KernObservation]


def student_overview(user, student) -> StudentOverview:
    """A student's published PTA(s), own results, module outcomes and kern observations."""
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
    return StudentOverview(student=student, ptas=published, results=dict(results), module_results=module_results,
                           observations=observations)


def own_students(user) -> list:
    """The students a leerling or ouder may see results of (their own record, their children)."""
    from maatwerk.students.models import Student

    ids = roles_of(user).students()
    return list(visible_to(user, Student).filter(pk__in=ids).order_by("first_name"))
