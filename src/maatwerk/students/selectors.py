"""Reads shared by the pages, the API and the PDF: always through `accounts.scoping`, with the
select_related/prefetch_related that keep query counts flat.

The engine's verdict on a programme (`evaluate`) is a read too: it builds the inputs through
`maatwerk.engine` (the one bridge to the rules engine) and never writes.
"""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Sequence
from contextlib import contextmanager
from contextvars import ContextVar
from dataclasses import dataclass, field

from django.db.models import Case, Count, IntegerField, Prefetch, Q, QuerySet, Value, When
from django.http import Http404

from maatwerk import engine
from maatwerk.accounts.models import Role
from maatwerk.accounts.scoping import get_visible_or_404, roles_of, visible_to
from maatwerk.domain import (
    CAREER_COMPETENCY_QUESTIONS,
    CareerCompetency,
    leerweg_filter,
    loopbaandossier_voldaan,
    school_year_label,
)
from maatwerk.rules.findings import Finding, Severity, Verdict
from maatwerk.rules.programme import Requirement, remaining_requirements, validate_programme
from maatwerk.rules.regulation import Regulation

from .models import (
    CareerActivity,
    CareerConversation,
    ConversationReflection,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    ProgrammeStatus,
    Student,
)

#: The last leerjaar of the vmbo (a five-year route is a later concern of the diploma app).
FINAL_YEAR_LEVEL = 4


# --- school years of a student ------------------------------------------------------------------

def current_school_year(student: Student) -> int:
    """The school year the student is in now: the cohort is the year leerjaar 3 starts."""
    return student.cohort + student.year_level - 3


def year_level_in(student: Student, school_year: int) -> int:
    return school_year - student.cohort + 3


def school_year_for_level(student: Student, year_level: int) -> int:
    return student.cohort + year_level - 3


# --- students ------------------------------------------------------------------------------------

def students_for(user) -> QuerySet[Student]:
    return visible_to(user, Student.objects.select_related("school", "mentor", "profiel"))


def student_for(user, pk) -> Student:
    """One student the user may see, or 404."""
    return get_visible_or_404(user, Student.objects.select_related("school", "mentor", "profiel"), pk=pk)


def own_student(user) -> Student:
    """The logged-in student's own record (404 for anyone else)."""
    ids = roles_of(user).students({Role.STUDENT})
    student = students_for(user).filter(pk__in=ids).order_by("pk").first() if ids else None
    if student is None:
        raise Http404("Niet gevonden.")
    return student


def children_of(user) -> list[Student]:
    ids = roles_of(user).students({Role.PARENT})
    if not ids:
        return []
    return list(students_for(user).filter(pk__in=ids).order_by("first_name"))


@dataclass
class StudentFilters:
    class_name: str = ""
    leerweg: str = ""
    status: str = ""  # concept / proposed / approved / none
    year_level: int | None = None
    query: str = ""
    left: bool = False  # students who left the school (Student.left_on), shown apart from the current ones


def current_students_for(user) -> QuerySet[Student]:
    """The students the user may see who are still at the school (not uitgeschreven)."""
    return students_for(user).filter(left_on__isnull=True)


def student_list(user, filters: StudentFilters) -> QuerySet[Student]:
    """The staff list: a mentor's own mentees first, then class and name; with programme status and
    the number of modules, in one query whatever the number of rows. Students who left the school are
    listed only when asked for (`filters.left`), never among the current ones."""
    qs = students_for(user).filter(left_on__isnull=not filters.left).select_related("programme").annotate(
        mine=Case(When(mentor=user, then=Value(0)), default=Value(1), output_field=IntegerField()),
        item_count=Count("programme__items", distinct=True),
    )
    if filters.class_name:
        qs = qs.filter(class_name=filters.class_name)
    if filters.leerweg:
        qs = qs.filter(leerweg=filters.leerweg)
    if filters.year_level:
        qs = qs.filter(year_level=filters.year_level)
    if filters.status == "none":
        qs = qs.filter(programme__isnull=True)
    elif filters.status:
        qs = qs.filter(programme__status=filters.status)
    if filters.query:
        q = filters.query.strip()
        qs = qs.filter(Q(first_name__icontains=q) | Q(last_name__icontains=q) | Q(student_number__icontains=q))
    return qs.order_by("mine", "class_name", "last_name", "first_name", "pk")


def class_names(user) -> list[str]:
    return list(current_students_for(user).exclude(class_name="").order_by("class_name")
                .values_list("class_name", flat=True).distinct())


def waiting_count(user) -> int:
    return current_students_for(user).filter(programme__status=ProgrammeStatus.PROPOSED).count()


# --- programme -----------------------------------------------------------------------------------

def item_queryset() -> QuerySet[ProgrammeItem]:
    return (ProgrammeItem.objects.select_related("module_version__module", "offering")
            .prefetch_related("module_version__profielen", "module_version__mbo_qualifications")
            .order_by("school_year", "period", "module_version__module__code", "pk"))


def programme_of(student: Student) -> Programme | None:
    """The student's programme with its items (module, profielen, mbo qualifications) and package."""
    return (Programme.objects.filter(student=student)
            .select_related("approved_by", "approval_conversation", "package")
            .prefetch_related(Prefetch("items", queryset=item_queryset()), "package__mbo_qualifications")
            .first())


def programmes_for(user) -> QuerySet[Programme]:
    return visible_to(user, Programme.objects.select_related("student", "approved_by")).prefetch_related(
        Prefetch("items", queryset=item_queryset()))


def revisions_of(programme: Programme) -> list[ProgrammeRevision]:
    return list(programme.revisions.select_related("created_by", "conversation").order_by("-number", "-created_at"))


@dataclass
class RevisionGroup:
    """One revision number: its events (proposed, sent back, approved) and the modules it froze."""

    number: int
    events: list = field(default_factory=list)
    added: list = field(default_factory=list)
    removed: list = field(default_factory=list)

    @property
    def last(self):
        return self.events[-1]

    @property
    def reason(self) -> str:
        return next((e.reason for e in self.events if e.reason), "")

    @property
    def approved(self) -> bool:
        return self.last.event == "approved"


def revision_history(programme: Programme) -> list[RevisionGroup]:
    """The frozen revisions grouped by number, newest first, each with what changed since the one before."""
    groups: dict[int, RevisionGroup] = {}
    for rev in sorted(revisions_of(programme), key=lambda r: (r.number, r.created_at, r.pk)):
        groups.setdefault(rev.number, RevisionGroup(rev.number)).events.append(rev)
    ordered = [groups[n] for n in sorted(groups)]
    for before, group in zip(ordered, ordered[1:], strict=False):
        old = {i["module_code"]: i for i in before.last.items}
        new = {i["module_code"]: i for i in group.last.items}
        group.added = [new[c] for c in sorted(set(new) - set(old))]
        group.removed = [old[c] for c in sorted(set(old) - set(new))]
    return list(reversed(ordered))


def regulation_id_for(student: Student) -> str:
    """The regulation a new programme follows: the school's policy, else the statutory one for the cohort."""
    from maatwerk.schools.models import SchoolPolicy

    regulation_id = (SchoolPolicy.objects.filter(school=student.school_id)
                     .values_list("regulation_id", flat=True).first())
    if regulation_id:
        return regulation_id
    return engine.regulation_of(None, student.cohort).id


def year_limits(student: Student, regulation_id: str | None) -> tuple[int | None, bool]:
    """The most units a school year may hold (regulation and school policy) and whether the school wants a
    kennismakende module before a verdiepende one: what a planner needs to place modules sensibly (the
    engine still judges the result)."""
    regulation = engine.regulation_of(regulation_id, student.cohort)
    policy = engine.policy_input(student.school_id)
    limits = [x for x in ((regulation.value("max_units_per_year") if regulation.kind == "spv-modulair" else None),
                          policy.max_units_per_year) if x is not None]
    return (min(limits) if limits else None), policy.introductory_before_deepening


@dataclass
class Evaluation:
    """What the engine says about a programme (saved or draft)."""

    regulation: Regulation
    verdict: Verdict
    requirements: tuple[Requirement, ...]
    school_years: tuple[int, ...] = ()

    @property
    def ok(self) -> bool:
        return self.verdict.ok

    @property
    def findings(self) -> tuple[Finding, ...]:
        order = {Severity.ERROR: 0, Severity.WARNING: 1, Severity.INFO: 2}
        return tuple(sorted(self.verdict.findings, key=lambda f: order[f.severity]))

    @property
    def errors(self) -> tuple[Finding, ...]:
        return self.verdict.errors

    @property
    def rows(self) -> list[dict]:
        """The requirements for a page: a short title, the composition (SPV) apart, the engine's message."""
        out = []
        for r in self.requirements:
            title, _, rest = r.label.partition(" (")
            title = "In totaal" if r.key == "units" else title[:1].upper() + title[1:]
            out.append({"key": r.key, "title": title, "composition": rest.rstrip(")"), "required": r.required,
                        "counted": r.counted, "completed": r.completed, "missing": r.missing,
                        "message": r.message[:1].upper() + r.message[1:], "source": r.source})
        return out

    @property
    def composition(self) -> str:
        """The composition choice the engine measured against (SPV), e.g. 'een werkveld en keuzevakken'."""
        return next((row["composition"] for row in self.rows if row["composition"]), "")


_SCHOOL_INPUTS: ContextVar[dict | None] = ContextVar("students_school_inputs", default=None)


@contextmanager
def cached_school_inputs() -> Iterator[None]:
    """Within this block a school's policy and offering are read once per set of school years (for bulk
    work such as the demo, where they do not change); outside it they are read on every evaluation."""
    token = _SCHOOL_INPUTS.set({})
    try:
        yield
    finally:
        _SCHOOL_INPUTS.reset(token)


def _school_inputs(school_id: int, years: tuple[int, ...]):
    cache = _SCHOOL_INPUTS.get()
    key = (school_id, years)
    if cache is not None and key in cache:
        return cache[key]
    value = (engine.policy_input(school_id), engine.offering_input(school_id, years))
    if cache is not None:
        cache[key] = value
    return value


def evaluate(student: Student, items: Sequence, regulation_id: str | None) -> Evaluation:
    """Run the engine on `items` (saved ProgrammeItems or unsaved ones for a draft): findings and
    the units still missing per requirement. Three queries (offering, licences, policy)."""
    programme = Programme(student=student, regulation_id=regulation_id or "")
    programme_input = engine.programme_input(programme, list(items))
    regulation = engine.regulation_of(regulation_id, student.cohort)
    years = tuple(sorted({i.school_year for i in items} | {current_school_year(student)}))
    policy, offering = _school_inputs(student.school_id, years)
    verdict = validate_programme(programme_input, regulation, policy, offering)
    requirements = remaining_requirements(programme_input, regulation, policy)
    return Evaluation(regulation=regulation, verdict=verdict, requirements=requirements, school_years=tuple(years))


def evaluate_programme(programme: Programme) -> Evaluation:
    return evaluate(programme.student, list(programme.items.all()), programme.regulation_id)


def finding_dict(f: Finding) -> dict:
    return {**f.as_dict(), "subject": f.subject}


def requirement_dict(r: Requirement) -> dict:
    return {"key": r.key, "label": r.label, "required": r.required, "counted": r.counted,
            "completed": r.completed, "missing": r.missing, "message": r.message, "source": r.source}


# --- what the student can choose -----------------------------------------------------------------

def choosable_years(student: Student) -> list[int]:
    """School years a student can still plan modules in: this year up to the final leerjaar."""
    now = current_school_year(student)
    last = max(student.year_level, FINAL_YEAR_LEVEL)
    return [now + i for i in range(last - student.year_level + 1)]


def available_offerings(student: Student, programme: Programme | None = None):
    """The school's offering for the student's leerweg in the years still to come, without the modules
    already in the programme. The school's offering is not personal data: it is read for the student."""
    from maatwerk.schools.models import Offering

    qs = (Offering.objects.filter(school=student.school_id, school_year__in=choosable_years(student),
                                  **leerweg_filter(student.leerweg))
          .exclude(module_version__status="concept")
          .select_related("module_version__module")
          .order_by("school_year", "module_version__module_type", "module_version__module__code"))
    if programme is not None:
        taken = [i.module_version.module.code for i in programme.items.all() if i.status != "not_completed"]
        qs = qs.exclude(module_version__module__code__in=taken)
    return qs


@dataclass
class OfferingGroup:
    school_year: int
    year_level: int
    offerings: list = field(default_factory=list)

    @property
    def label(self) -> str:
        return f"{school_year_label(self.school_year)} (leerjaar {self.year_level})"


def offering_groups(student: Student, offerings: Iterable) -> list[OfferingGroup]:
    groups: dict[int, OfferingGroup] = {}
    for offering in offerings:
        group = groups.setdefault(offering.school_year, OfferingGroup(
            offering.school_year, year_level_in(student, offering.school_year)))
        group.offerings.append(offering)
    return list(groups.values())


def packages_for(student: Student):
    """The school's packages a student can start from (recent school years first)."""
    from maatwerk.schools.models import Package, PackageModule

    now = current_school_year(student)
    return (Package.objects.filter(school=student.school_id, school_year__gte=now - 1)
            .prefetch_related(Prefetch("package_modules", queryset=PackageModule.objects.select_related(
                "module__current_version").order_by("order", "year_level", "module__code")),
                "mbo_qualifications")
            .order_by("-school_year", "name"))


# --- loopbaandossier -----------------------------------------------------------------------------

def activities_of(student: Student) -> list[CareerActivity]:
    return list(CareerActivity.objects.filter(student=student)
                .select_related("module__current_version", "partner", "mentor_comment_by", "created_by")
                .prefetch_related("attachments").order_by("-date", "-pk"))


def conversations_of(student: Student) -> list[CareerConversation]:
    return list(CareerConversation.objects.filter(student=student).select_related("led_by")
                .prefetch_related(Prefetch("reflections", queryset=ConversationReflection.objects.order_by("pk")))
                .order_by("-date", "-pk"))


@dataclass
class CompetencyRow:
    key: str
    label: str
    question: str
    activities: list = field(default_factory=list)
    reflections: list = field(default_factory=list)

    @property
    def complete(self) -> list:
        return [a for a in self.activities if a.is_complete]

    @property
    def incomplete(self) -> list:
        return [a for a in self.activities if not a.is_complete]

    @property
    def state(self) -> str:
        """ok: at least one activity with all four parts; partial: activities, none complete; empty."""
        if self.complete:
            return "ok"
        return "partial" if self.activities else "empty"

    @property
    def state_label(self) -> str:
        return {"ok": "aan gewerkt", "partial": "nog niet af", "empty": "nog niets"}[self.state]


def competency_overview(activities: Iterable[CareerActivity],
                        conversations: Iterable[CareerConversation]) -> list[CompetencyRow]:
    """Per loopbaancompetentie: the activities that developed it (and whether each has its four
    parts) and the student's reflections in conversations."""
    rows = {c.value: CompetencyRow(c.value, c.label, CAREER_COMPETENCY_QUESTIONS[c.value]) for c in CareerCompetency}
    for activity in activities:
        for key in activity.competencies:
            rows[key].activities.append(activity)
    for conversation in conversations:
        for reflection in conversation.reflections.all():
            rows[reflection.competency].reflections.append((conversation, reflection))
    return list(rows.values())


@dataclass
class CareerDossier:
    """The loopbaandossier (glossary: CareerDossier): not a table of its own but the student's LOB
    activities and loopbaangesprekken seen together, per loopbaancompetentie."""

    student: Student
    activities: list
    conversations: list
    competencies: list

    @property
    def complete_count(self) -> int:
        return sum(1 for a in self.activities if a.is_complete)

    @property
    def voldaan(self) -> bool:
        return loopbaandossier_voldaan([a.competencies for a in self.activities if a.is_complete])[0]

    @property
    def missing_competencies(self) -> list[str]:
        return loopbaandossier_voldaan([a.competencies for a in self.activities if a.is_complete])[1]

    def as_context(self) -> dict:
        return {"dossier": self, "activities": self.activities, "conversations": self.conversations,
                "competencies": self.competencies, "complete_count": self.complete_count}


def dossier_of(student: Student) -> CareerDossier:
    activities = activities_of(student)
    conversations = conversations_of(student)
    return CareerDossier(student, activities, conversations, competency_overview(activities, conversations))


def attachment_for(user, pk):
    from .models import CareerAttachment

    return get_visible_or_404(user, CareerAttachment.objects.select_related("activity__student"), pk=pk)


def activity_for(user, student: Student, pk) -> CareerActivity:
    return get_visible_or_404(user, CareerActivity.objects.filter(student=student).select_related("student"), pk=pk)


def conversation_for(user, student: Student, pk) -> CareerConversation:
    return get_visible_or_404(user, CareerConversation.objects.filter(student=student)
                              .prefetch_related("reflections"), pk=pk)


def qualifications_by_profiel() -> dict[str, list]:
    """Profiel code -> the mbo qualifications of that profiel (reference data, one query)."""
    from maatwerk.catalog.models import MboQualification

    out: dict[str, list] = {}
    for q in MboQualification.objects.prefetch_related("profielen").order_by("-level", "name"):
        for p in q.profielen.all():
            out.setdefault(p.code, []).append(q)
    return out


# --- routes of a class ---------------------------------------------------------------------------

def class_students(user, class_name: str) -> list[Student]:
    return list(current_students_for(user).filter(class_name=class_name).order_by("last_name", "first_name"))


def programmes_by_student(students: Sequence[Student]) -> dict[int, Programme]:
    programmes = (Programme.objects.filter(student__in=[s.pk for s in students])
                  .select_related("package").prefetch_related(Prefetch("items", queryset=item_queryset()),
                                                              "package__mbo_qualifications"))
    return {p.student_id: p for p in programmes}
