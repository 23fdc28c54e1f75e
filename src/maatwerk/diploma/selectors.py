"""Reads of the diploma app that pages, the API, the PDFs and the export share. Every queryset goes
through `accounts.scoping.visible_to`; each function keeps its number of queries fixed."""

from __future__ import annotations

from collections import Counter
from dataclasses import dataclass, field

from django.db.models import Prefetch, Q, QuerySet

from maatwerk import engine
from maatwerk.accounts.models import Role
from maatwerk.accounts.scoping import get_visible_or_404, roles_of, visible_to
from maatwerk.domain import LEERWEG_SHORT, Leerweg, school_year_label, school_year_of
from maatwerk.rules.exam import decide_exam

from .models import ContinuousRoute, DecisionStatus, ExamDecision, ExamOutcome, ModuleCredential

OUTCOME_BADGE = {ExamOutcome.PASSED: "ok", ExamOutcome.FAILED: "err", ExamOutcome.INCOMPLETE: "warn"}
STATUS_BADGE = {DecisionStatus.DRAFT: "plain", DecisionStatus.SIGNED_OFF: "ok", DecisionStatus.CORRECTED: "warn",
                DecisionStatus.SUPERSEDED: "plain"}
KIND_LABEL = {"algemeen": "algemeen vak", "profielvak": "profielvak", "keuzevak": "beroepsgericht keuzevak",
              "lo": "lichamelijke opvoeding", "kunstvak": "kunstvak", "profielwerkstuk": "profielwerkstuk",
              "module": "module", "niet meegeteld": "module (telt niet mee in de uitslag)"}
MODULE_TYPE_LABEL = {"INTRODUCTORY": "kennismakend", "DEEPENING": "verdiepend", "ORIENTING": "oriënterend"}
LEVEL_LABEL = {**LEERWEG_SHORT, "HAVO": "havo", "VWO": "vwo"}


# --- schools and years --------------------------------------------------------------------------


def exam_schools(user) -> list:
    """The schools whose exam office the user is (examensecretaris, schoolleider); all for an operator."""
    from maatwerk.schools.models import School

    qs = School.objects.order_by("name")
    if user.is_superuser:
        return list(qs)
    ids = roles_of(user).schools({Role.EXAM_SECRETARY, Role.SCHOOL_LEADER})
    return list(visible_to(user, qs).filter(pk__in=ids))


def pick_school(user, brin: str | None):
    schools = exam_schools(user)
    if brin:
        for school in schools:
            if school.brin.upper() == brin.upper():
                return school, schools
    return (schools[0] if schools else None), schools


def exam_years(school) -> list[int]:
    now = school_year_of()
    years = set(ExamDecision.objects.filter(student__school=school).values_list("school_year", flat=True).distinct())
    return sorted(years | {now, now - 1}, reverse=True)


# --- decisions ----------------------------------------------------------------------------------


def decision_queryset(user) -> QuerySet[ExamDecision]:
    return visible_to(user, ExamDecision.objects.select_related("student__school", "student__profiel",
                                                                 "signed_off_by", "computed_by", "supersedes"))


@dataclass
class DecisionFilters:
    outcome: str = ""
    status: str = ""
    leerweg: str = ""
    q: str = ""

    @classmethod
    def from_query(cls, data) -> DecisionFilters:
        f = cls(outcome=data.get("uitslag", ""), status=data.get("status", ""), leerweg=data.get("leerweg", ""),
                q=(data.get("q") or "").strip())
        f.outcome = f.outcome if f.outcome in ExamOutcome.values else ""
        f.status = f.status if f.status in DecisionStatus.values else ""
        f.leerweg = f.leerweg if f.leerweg in Leerweg.values else ""
        return f


def current_decisions_for(user, school, school_year: int, filters: DecisionFilters | None = None):
    qs = decision_queryset(user).current().filter(student__school=school, school_year=school_year)
    if filters:
        if filters.outcome:
            qs = qs.filter(outcome=filters.outcome)
        if filters.status:
            qs = qs.filter(status=filters.status)
        if filters.leerweg:
            qs = qs.filter(student__leerweg=filters.leerweg)
        if filters.q:
            for word in filters.q.split():
                qs = qs.filter(Q(student__first_name__icontains=word) | Q(student__last_name__icontains=word)
                               | Q(student__student_number__icontains=word) | Q(student__class_name__iexact=word))
    return qs.order_by("student__last_name", "student__first_name", "student__pk")


def decision_counts(user, school, school_year: int) -> dict:
    rows = current_decisions_for(user, school, school_year).values_list("outcome", "status")
    outcomes, statuses = Counter(), Counter()
    for outcome, status in rows:
        outcomes[outcome] += 1
        statuses[status] += 1
    return {"outcomes": outcomes, "statuses": statuses, "total": sum(outcomes.values())}


def decision_for(user, pk) -> ExamDecision:
    return get_visible_or_404(user, decision_queryset(user), pk=pk)


def decision_history(decision: ExamDecision) -> list[ExamDecision]:
    """Every decision of this candidate and exam year, newest first (the chain of supersedes)."""
    return list(ExamDecision.objects.filter(student_id=decision.student_id, school_year=decision.school_year)
                .select_related("signed_off_by", "computed_by").order_by("-computed_at", "-pk"))


def is_current(decision: ExamDecision) -> bool:
    return not ExamDecision.objects.filter(supersedes=decision).exists()


def current_decision_of(student, school_year: int | None = None) -> ExamDecision | None:
    qs = ExamDecision.objects.current().filter(student=student)
    if school_year is not None:
        qs = qs.filter(school_year=school_year)
    return qs.select_related("signed_off_by").order_by("-school_year", "-computed_at").first()


def signed_off_decision_of(student) -> ExamDecision | None:
    return (ExamDecision.objects.filter(student=student, status=DecisionStatus.SIGNED_OFF)
            .current().order_by("-school_year").first())


# --- the cijferlijst ----------------------------------------------------------------------------


def grade_text(value) -> str:
    if value in (None, ""):
        return ""
    return str(value).replace(".", ",")


@dataclass
class Row:
    code: str
    name: str
    kind: str
    level: str = ""
    school_exam: str = ""
    central_exam: str = ""
    final_grade: str = ""
    qualification: str = ""
    note: str = ""
    module_type: str = ""
    outcome: str = ""
    units: int | None = None
    sufficient: bool | None = None
    extra: bool = False

    @property
    def kind_label(self) -> str:
        return KIND_LABEL.get(self.kind, self.kind)

    @property
    def level_label(self) -> str:
        return LEVEL_LABEL.get(self.level, self.level)


@dataclass
class KernArea:
    code: str
    title: str
    part: str
    observed: int
    total: int
    level: str
    level_label: str


@dataclass
class Transcript:
    student: object
    school: object
    school_year: int
    decision: ExamDecision | None
    provisional: bool
    regulation_id: str
    general: list[Row] = field(default_factory=list)
    vocational: list[Row] = field(default_factory=list)
    modules: list[Row] = field(default_factory=list)
    combination_grade: int | None = None
    outcome: str = ""
    cum_laude: bool = False
    dossier_complete: bool = False
    dossier_missing: list[str] = field(default_factory=list)
    dossier_activities: int = 0
    kern: list[KernArea] = field(default_factory=list)
    findings: list[dict] = field(default_factory=list)
    problems: list[str] = field(default_factory=list)

    @property
    def spv(self) -> bool:
        return self.regulation_id.startswith("spv")

    @property
    def year_label(self) -> str:
        return school_year_label(self.school_year)

    @property
    def leerweg_label(self) -> str:
        return Leerweg(self.student.leerweg).label

    @property
    def outcome_label(self) -> str:
        return ExamOutcome(self.outcome).label if self.outcome else ""

    @property
    def completed_modules(self) -> list[Row]:
        return [m for m in self.modules if m.outcome == "PASSED"]

    @property
    def certificate_subjects(self) -> list[Row]:
        """UB 3.50: for a candidate who leaves without a diploma, the subjects with a final grade of 6 or more
        (and the qualifications voldoende/goed)."""
        return [r for r in [*self.general, *self.vocational]
                if (r.final_grade.isdigit() and int(r.final_grade) >= 6) or r.qualification in ("voldoende", "goed")]


def _row(record: dict, decision_grades: dict, levels: dict, left_out: set) -> Row:
    code = record["code"]
    final = decision_grades.get(code, record.get("final_grade"))
    note = "buiten beschouwing gelaten (UB 3.33 lid 3)" if code in left_out else ""
    if record.get("refused"):
        note = "niet meegenomen: het cijfer is ongeldig"
    level = levels.get(code) or record.get("level") or ""
    return Row(code=code, name=record.get("name") or code, kind=record.get("kind", ""), level=level,
               school_exam=grade_text(record.get("school_exam")), central_exam=grade_text(record.get("central_exam")),
               final_grade="" if final is None else str(final), qualification=record.get("qualification") or "",
               note=note, module_type=MODULE_TYPE_LABEL.get(record.get("module_type") or "", ""),
               outcome=record.get("outcome", ""), units=record.get("units"),
               sufficient=None if final is None else int(final) >= 6, extra=bool(record.get("extra")) or bool(note))


def _kern_summary(student) -> list[KernArea]:
    """Per kern area: how many of its objectives were observed, and the level the latest observations
    of those objectives show most (ties go to the lower level)."""
    from maatwerk.assessment.models import KernLevel, KernObservation
    from maatwerk.kern.models import KernObjective

    order = [lv.value for lv in KernLevel]
    latest = {}
    for obs in (KernObservation.objects.filter(student=student).select_related("objective__area")
                .order_by("objective_id", "-observed_on", "-pk")):
        latest.setdefault(obs.objective_id, obs)
    if not latest:
        return []
    areas = {}
    for obs in latest.values():
        areas.setdefault(obs.objective.area_id, (obs.objective.area, []))[1].append(obs.level)
    totals = Counter(KernObjective.objects.filter(area_id__in=list(areas)).values_list("area_id", flat=True))
    out = []
    for area_id, (area, levels) in sorted(areas.items(), key=lambda kv: (kv[1][0].part, kv[1][0].order)):
        counts = Counter(levels)
        best = max(counts.values())
        level = min((lv for lv, n in counts.items() if n == best), key=order.index)
        out.append(KernArea(area.code, area.title, area.get_part_display(), len(levels), totals.get(area_id, 0), level,
                            KernLevel(level).label))
    return out


def transcript_for(student, school_year: int | None = None, decision: ExamDecision | None = None) -> Transcript:
    """The cijferlijst: from the current decision of the exam year (what the uitslag rests on), or, before
    any decision, a provisional one decided on the spot from the data as it is now (not stored)."""
    from maatwerk.students.models import CareerActivity

    if decision is None:
        decision = current_decision_of(student, school_year)
    if school_year is None:
        school_year = decision.school_year if decision else student.cohort + 1
    provisional = decision is None
    if decision is not None:
        inputs, grades, levels = decision.inputs, decision.final_grades, decision.levels
        left_out, findings = set(decision.left_out), decision.findings
        regulation_id, outcome, cl, comb = decision.regulation_id, decision.outcome, decision.cum_laude, \
            decision.combination_grade
    else:
        ci = engine.candidate_inputs([student], school_year)[student.pk]
        inputs = ci.inputs
        if ci.candidate is not None:
            d = decide_exam(ci.candidate, ci.regulation)
            grades, levels, left_out = dict(d.final_grades), dict(d.levels), set(d.left_out)
            findings = [{**f.as_dict(), "subject": f.subject} for f in d.findings]
            regulation_id, outcome, cl, comb = ci.regulation.id, d.outcome, d.cum_laude, d.combination_grade
        else:
            grades, levels, left_out, findings = {}, {}, set(), []
            regulation_id, outcome, cl, comb = "", "", False, None
    t = Transcript(student=student, school=student.school, school_year=school_year, decision=decision,
                   provisional=provisional, regulation_id=regulation_id, outcome=outcome, cum_laude=cl,
                   combination_grade=comb, findings=findings, problems=list(inputs.get("problems", [])))
    for record in inputs.get("subjects", []):
        row = _row(record, grades, levels, left_out)
        if record.get("source") == "vakcijfer":
            (t.vocational if record.get("kind") == "profielvak" else t.general).append(row)
        else:
            if record.get("kind") == "keuzevak":
                t.vocational.append(row)
            t.modules.append(row)
    order = {"algemeen": 0, "lo": 1, "kunstvak": 2, "profielwerkstuk": 3}
    common = {"ne": 0, "en": 1, "ma": 2}
    t.general.sort(key=lambda r: (order.get(r.kind, 4), r.extra, common.get(r.code, 3), r.name))
    t.modules.sort(key=lambda r: (r.module_type != "kennismakend", r.code))
    t.dossier_complete = bool(inputs.get("loopbaandossier_complete"))
    t.dossier_missing = list(inputs.get("loopbaandossier_missing", []))
    t.dossier_activities = CareerActivity.objects.filter(student=student).count()
    t.kern = _kern_summary(student)
    return t


# --- the student's page: credentials and routes -------------------------------------------------


def credentials_of(user, student) -> list[ModuleCredential]:
    return list(visible_to(user, ModuleCredential).filter(student=student)
                .select_related("module_version__module", "key__school").order_by("module_version__module__code",
                                                                                   "-issued_at"))


def credential_for(user, pk) -> ModuleCredential:
    return get_visible_or_404(user, ModuleCredential.objects.select_related("module_version__module", "student",
                                                                              "key__school"), pk=pk)


def school_credentials(user, school) -> QuerySet[ModuleCredential]:
    return (visible_to(user, ModuleCredential).filter(student__school=school)
            .select_related("module_version__module", "student").order_by("-issued_at"))


@dataclass
class RouteModule:
    code: str
    title: str
    status: str
    status_label: str
    grade: str = ""


@dataclass
class RouteProgress:
    route: ContinuousRoute
    modules: list[RouteModule]
    vmbo_outcome: str
    vmbo_signed_off: bool

    @property
    def done(self) -> int:
        return sum(1 for m in self.modules if m.status == "PASSED")

    @property
    def total(self) -> int:
        return len(self.modules)

    @property
    def percent(self) -> int:
        return round(100 * self.done / self.total) if self.total else 0

    @property
    def starting_qualification(self) -> bool:
        return self.route.qualification.is_starting_qualification

    @property
    def needs_vmbo_diploma(self) -> bool:
        return self.route.kind == "continuous"

    @property
    def steps(self) -> list[tuple[str, str, str]]:
        """(label, state ok/warn/plain, explanation) from now to the startkwalificatie."""
        q = self.route.qualification
        steps = [("Modulen die meetellen voor het mbo", "ok" if self.total and self.done == self.total else "warn",
                  f"{self.done} van de {self.total} behaald")]
        if self.needs_vmbo_diploma:
            state = "ok" if self.vmbo_outcome == ExamOutcome.PASSED and self.vmbo_signed_off else "plain"
            text = {ExamOutcome.PASSED: "geslaagd", ExamOutcome.FAILED: "afgewezen",
                    ExamOutcome.INCOMPLETE: "nog niet compleet"}.get(self.vmbo_outcome, "nog geen uitslag")
            steps.append(("Vmbo-diploma (hoort bij een doorlopende leerroute)", state,
                           text + ("" if self.vmbo_signed_off or not self.vmbo_outcome else " (nog niet vastgesteld)")))
        else:
            steps.append(("Vmbo-examen", "plain", "in een geïntegreerde route kan (een deel van) het vmbo-examen "
                                                    "vervallen: de route leidt rechtstreeks naar het mbo-diploma"))
        level = f"niveau {q.level}" if q.level else "niveau onbekend"
        steps.append((f"Mbo-diploma {q.name} (crebo {q.crebo}, {level})", "ok" if self.starting_qualification else "err",
                      "dit is een startkwalificatie (mbo niveau 2 of hoger)" if self.starting_qualification else
                      "dit is geen startkwalificatie: daarvoor is mbo niveau 2 of hoger nodig"))
        return steps


def routes_of(student) -> list[RouteProgress]:
    from maatwerk.assessment.models import ModuleResult
    from maatwerk.students.models import ProgrammeItem

    routes = list(ContinuousRoute.objects.filter(students=student)
                  .select_related("qualification", "mbo_college")
                  .prefetch_related(Prefetch("modules", queryset=_modules_qs())))
    if not routes:
        return []
    results = {r.module_version.module_id: r for r in
               ModuleResult.objects.filter(student=student).select_related("module_version")}
    items = {i.module_version.module_id: i for i in
             ProgrammeItem.objects.filter(programme__student=student).select_related("module_version")}
    decision = current_decision_of(student)
    out = []
    for route in routes:
        modules = []
        for module in route.modules.all():
            title = module.current_version.title if module.current_version_id else ""
            result, item = results.get(module.pk), items.get(module.pk)
            if result is not None and result.outcome in ("PASSED", "FAILED"):
                status = result.outcome
                label = "behaald" if status == "PASSED" else "niet behaald"
                modules.append(RouteModule(module.code, title, status, label, grade_text(result.grade)))
            elif item is not None or result is not None:
                status = item.status if item is not None else "enrolled"
                modules.append(RouteModule(module.code, title, status,
                                           {"planned": "gepland", "enrolled": "bezig", "completed": "afgerond",
                                            "not_completed": "niet afgerond"}.get(status, "bezig")))
            else:
                modules.append(RouteModule(module.code, title, "missing", "nog niet in het programma"))
        out.append(RouteProgress(route, modules, decision.outcome if decision else "",
                                 bool(decision and decision.status == DecisionStatus.SIGNED_OFF)))
    return out


def _modules_qs():
    from maatwerk.catalog.models import Module

    return Module.objects.select_related("current_version").order_by("code")


def routes_for(user, school) -> QuerySet[ContinuousRoute]:
    return (visible_to(user, ContinuousRoute).filter(school=school)
            .select_related("qualification", "mbo_college").prefetch_related(Prefetch("modules", queryset=_modules_qs()))
            .order_by("name"))


def student_for(user, pk):
    from maatwerk.students.models import Student

    return get_visible_or_404(user, Student.objects.select_related("school", "profiel"), pk=pk)


def own_students(user) -> list:
    """The students a leerling (themself) or an ouder (their children) may see on 'mijn diploma'."""
    from maatwerk.students.models import Student

    ids = roles_of(user).students()
    return list(visible_to(user, Student).filter(pk__in=ids).select_related("school"))
