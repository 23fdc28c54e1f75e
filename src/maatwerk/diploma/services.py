"""Every write of the diploma app: one function per use case, one transaction, its permission, its history.

* `run_decisions`    decide the exam of every candidate of a school and year (page, API, `maatwerk exam decide`)
* `sign_off`         uitslag vaststellen (one or many)
* `correct_decision` a signed-off decision is corrected by a new decision with its reason
* `issue_credentials`, `revoke_credential`, `revoke_for_result`   Open Badges module certificates
* `ensure_key`, `rotate_key`                                       the school's signing key
* `create_route`, `set_route_students`                             continuous routes to mbo
"""

from __future__ import annotations

import time
from collections import Counter
from dataclasses import dataclass, field

from django.core.exceptions import ValidationError
from django.db import transaction
from django.db.models import Exists, OuterRef, Q
from django.utils import timezone

from maatwerk import engine
from maatwerk.accounts.predicates import require
from maatwerk.bulk import chunks, create_with_history, update_with_history
from maatwerk.rules.exam import decide_exam

from . import credentials as vc
from .models import (
    ContinuousRoute,
    DecisionStatus,
    ExamDecision,
    ExamOutcome,
    ModuleCredential,
    RouteKind,
    SchoolKey,
)

#: The reason a re-run gives a new decision that replaces an earlier one.
RERUN_REASON = "Opnieuw berekend: de cijfers of de regeling zijn veranderd (bijvoorbeeld na een herkansing)."


class DiplomaError(ValidationError):
    """A refusal with a stable code and a Dutch and English message (pages show it, the API returns it)."""

    def __init__(self, code: str, nl: str, en: str, status: int = 400, details=None):
        super().__init__(nl, code=code)
        self.code, self.nl, self.en, self.status, self.details = code, nl, en, status, details


def _require(by, perm: str, obj=None) -> None:
    """`by=None` is the operator's command line (`maatwerk exam ...`): whoever has the shell has the data."""
    if by is not None:
        require(by, perm, obj)


def _user(by):
    return by if by is not None and getattr(by, "is_authenticated", False) else None


# --- candidates and decisions -------------------------------------------------------------------


def exam_candidates(school, school_year: int):
    """The candidates of `school` in exam year `school_year`: students whose last upper year is that year
    (cohort + 1; cohort + 2 in a five-year route), and anyone with subject grades for that exam year
    (a candidate who repeats the final year). Students who left before the year began are not."""
    from maatwerk.assessment.models import SubjectGrade
    from maatwerk.domain import school_year_start
    from maatwerk.students.models import Student

    five_year = ContinuousRoute.objects.filter(five_year=True, students=OuterRef("pk"))
    graded = SubjectGrade.objects.filter(student=OuterRef("pk"), school_year=school_year)
    qs = (Student.objects.filter(school=school)
          .annotate(in_five_year=Exists(five_year), has_grades=Exists(graded))
          .filter(Q(has_grades=True)
                  | Q(in_five_year=False, cohort=school_year - 1)
                  | Q(in_five_year=True, cohort=school_year - 2))
          .filter(Q(left_on__isnull=True) | Q(left_on__gte=school_year_start(school_year)) | Q(has_grades=True)))
    return qs.select_related("school", "profiel").order_by("last_name", "first_name", "pk")


@dataclass
class RunLine:
    student: object
    decision: ExamDecision | None
    previous: ExamDecision | None = None
    changed: bool = True
    error: str = ""


@dataclass
class RunReport:
    school: object
    school_year: int
    dry_run: bool
    lines: list[RunLine] = field(default_factory=list)
    seconds: float = 0.0

    @property
    def created(self) -> list[RunLine]:
        return [line for line in self.lines if line.changed and line.decision is not None]

    @property
    def unchanged(self) -> list[RunLine]:
        return [line for line in self.lines if not line.changed]

    @property
    def errors(self) -> list[RunLine]:
        return [line for line in self.lines if line.error]

    @property
    def outcomes(self) -> Counter:
        return Counter(line.decision.outcome for line in self.lines if line.decision is not None)

    def summary(self) -> str:
        counts = self.outcomes
        return (f"{len(self.lines)} kandidaten: {counts.get(ExamOutcome.PASSED, 0)} geslaagd, "
                f"{counts.get(ExamOutcome.FAILED, 0)} afgewezen, {counts.get(ExamOutcome.INCOMPLETE, 0)} nog niet "
                f"compleet; {len(self.created)} nieuw besluit, {len(self.unchanged)} ongewijzigd"
                + (f", {len(self.errors)} niet te beslissen" if self.errors else "")
                + (" (proefberekening: niets opgeslagen)" if self.dry_run else ""))


def _finding_dicts(decision) -> list[dict]:
    return [{**f.as_dict(), "subject": f.subject} for f in decision.findings]


def _new_decision(ci: engine.CandidateInput, school_year: int, by, previous: ExamDecision | None,
                  reason: str = "") -> ExamDecision:
    d = decide_exam(ci.candidate, ci.regulation)
    return ExamDecision(
        student=ci.student, school_year=school_year, regulation_id=ci.regulation.id, outcome=d.outcome,
        final_grades=dict(d.final_grades), combination_grade=d.combination_grade, left_out=list(d.left_out),
        cum_laude=d.cum_laude, levels=dict(d.levels), findings=_finding_dicts(d), inputs=ci.inputs,
        status=DecisionStatus.DRAFT, computed_by=_user(by), supersedes=previous,
        correction_reason=reason if previous is not None else "",
    )


def current_decisions(students, school_year: int) -> dict[int, ExamDecision]:
    """The current decision per student in `school_year` (two queries, both through the student index).

    First the chain of every decision of these students (pk, year and the one it replaces: small rows),
    then the current ones in full. `ExamDecision.objects.current()` asks NOT EXISTS over the whole table,
    which PostgreSQL may plan as a scan of every decision in the country: in a national run, where the
    table grows by 100,000 rows in minutes, that was 37 of 178 s (bench/README.md). A decision only
    ever replaces one of the same candidate, so the candidate's own chain says which is current."""
    replaced, of_the_year = set(), []
    for chunk in chunks([s.pk for s in students]):
        for pk, year, supersedes_id in (ExamDecision.objects.filter(student_id__in=chunk).order_by()
                                        .values_list("pk", "school_year", "supersedes_id")):
            replaced.add(supersedes_id)
            if year == school_year:
                of_the_year.append(pk)
    out: dict[int, ExamDecision] = {}
    for chunk in chunks([pk for pk in of_the_year if pk not in replaced]):
        out.update((d.student_id, d) for d in ExamDecision.objects.filter(pk__in=chunk).order_by())
    return out


def _retire(previous: list[ExamDecision], corrected: set[int] = frozenset(), by=None) -> None:
    """The decisions a new one replaced: a draft becomes 'vervangen'; a signed-off one 'gecorrigeerd'
    (a correction) or 'vervangen' (a re-run, e.g. after a resit). Its content stays as it was; the history
    row names who replaced it."""
    drafts = [d for d in previous if d.status == DecisionStatus.DRAFT]
    for d in drafts:
        d.status = DecisionStatus.SUPERSEDED
    if drafts:
        update_with_history(drafts, ExamDecision, ["status"], user=_user(by))
    for d in previous:
        if d.status == DecisionStatus.SIGNED_OFF:
            d.status = DecisionStatus.CORRECTED if d.pk in corrected else DecisionStatus.SUPERSEDED
            d._history_user = _user(by)
            d.save(update_fields=["status"])


def run_decisions(*, by, school, school_year: int, dry_run: bool = False, students=None) -> RunReport:
    """Decide the exam of every candidate of `school` in `school_year` under their cohort's regulation.

    A candidate whose inputs (grades, regulation) are the same as those of the current decision keeps it;
    otherwise a new draft decision replaces the current one, which stays in the history. A fixed number
    of queries whatever the number of candidates (see tests/diploma/test_decisions.py)."""
    _require(by, "diploma.run_decisions", school)
    started = time.perf_counter()
    students = list(students if students is not None else exam_candidates(school, school_year))
    report = RunReport(school=school, school_year=school_year, dry_run=dry_run)
    inputs = engine.candidate_inputs(students, school_year)
    current = current_decisions(students, school_year)
    new, replaced = [], []
    for student in students:
        ci = inputs[student.pk]
        previous = current.get(student.pk)
        if ci.candidate is None:
            report.lines.append(RunLine(student, None, previous, changed=False, error="; ".join(ci.problems)))
            continue
        if previous is not None and previous.inputs == ci.inputs and previous.regulation_id == ci.regulation.id:
            report.lines.append(RunLine(student, previous, previous, changed=False))
            continue
        decision = _new_decision(ci, school_year, by, previous, RERUN_REASON)
        new.append(decision)
        if previous is not None:
            replaced.append(previous)
        report.lines.append(RunLine(student, decision, previous))
    if not dry_run and new:
        with transaction.atomic():
            # the current decisions may not have changed since they were read (two runs at once)
            if replaced and ExamDecision.objects.filter(supersedes__in=[d.pk for d in replaced]).exists():
                raise DiplomaError("diploma_run_conflict", "Iemand anders heeft intussen ook een berekening gedaan. "
                                   "Probeer het opnieuw.", "Someone else ran the decisions meanwhile; try again.", 409)
            create_with_history(new, ExamDecision, user=_user(by))  # COPY on PostgreSQL (maatwerk/bulk.py)
            _retire(replaced, by=by)
    report.seconds = time.perf_counter() - started
    return report


def decide_one(*, by, student, school_year: int, dry_run: bool = False) -> RunLine:
    """`run_decisions` for one student (a decision detail page's 'opnieuw berekenen')."""
    report = run_decisions(by=by, school=student.school, school_year=school_year, dry_run=dry_run,
                           students=[student])
    return report.lines[0]


def _is_current(decision: ExamDecision) -> bool:
    return not ExamDecision.objects.filter(supersedes=decision).exists()


@transaction.atomic
def sign_off(*, by, decision: ExamDecision) -> ExamDecision:
    """Uitslag vaststellen. Only the current draft of a complete exam (geslaagd or afgewezen, WVO 2.57)."""
    _require(by, "diploma.sign_off_decision", decision)
    decision = ExamDecision.objects.select_for_update().select_related("student").get(pk=decision.pk)
    if decision.status == DecisionStatus.SIGNED_OFF:
        raise DiplomaError("diploma_decision_signed_off", "Deze uitslag is al vastgesteld.",
                           "This result has already been signed off.", 409)
    if decision.status != DecisionStatus.DRAFT or not _is_current(decision):
        raise DiplomaError("diploma_decision_superseded", "Dit besluit is vervangen door een nieuwer besluit; stel "
                           "dat vast.", "A newer decision replaced this one; sign off that one.", 409)
    if decision.outcome == ExamOutcome.INCOMPLETE:
        raise DiplomaError("diploma_decision_incomplete", "Een examen dat nog niet compleet is kan niet worden "
                           "vastgesteld: de uitslag is geslaagd of afgewezen (WVO 2.57). Vul eerst de ontbrekende "
                           "cijfers aan en bereken opnieuw.", "An incomplete exam cannot be signed off.", 409)
    decision.status = DecisionStatus.SIGNED_OFF
    decision.signed_off_by = _user(by)
    decision.signed_off_at = timezone.now()
    decision._history_user = _user(by)
    decision.save()
    return decision


def sign_off_many(*, by, decisions) -> tuple[list[ExamDecision], list[tuple[ExamDecision, DiplomaError]]]:
    """Sign off several decisions; each one is checked on its own (one refusal does not stop the others)."""
    done, refused = [], []
    for decision in decisions:
        try:
            done.append(sign_off(by=by, decision=decision))
        except DiplomaError as exc:
            refused.append((decision, exc))
    return done, refused


@transaction.atomic
def correct_decision(*, by, decision: ExamDecision, reason: str) -> ExamDecision:
    """Correct a signed-off decision: decide again from the data as it is now, as a new decision with its
    reason; the signed-off one becomes 'gecorrigeerd' and stays in the history unchanged."""
    _require(by, "diploma.correct_decision", decision)
    reason = (reason or "").strip()
    if len(reason) < 5:
        raise DiplomaError("diploma_correction_reason", "Geef de reden van de correctie.",
                           "Give the reason for the correction.")
    decision = ExamDecision.objects.select_for_update().select_related("student__school").get(pk=decision.pk)
    if decision.status != DecisionStatus.SIGNED_OFF or not _is_current(decision):
        raise DiplomaError("diploma_correction_not_signed_off", "Alleen een vastgestelde, geldende uitslag wordt "
                           "gecorrigeerd; een berekend besluit berekent u gewoon opnieuw.",
                           "Only the current signed-off result can be corrected; re-run a draft instead.", 409)
    ci = engine.candidate_inputs([decision.student], decision.school_year)[decision.student.pk]
    if ci.candidate is None:
        raise DiplomaError("diploma_regulation_unknown", "; ".join(ci.problems), "Unknown regulation.")
    if ci.inputs == decision.inputs and ci.regulation.id == decision.regulation_id:
        raise DiplomaError("diploma_correction_no_change", "De cijfers en de regeling zijn niet veranderd sinds de "
                           "vaststelling: een correctie zou dezelfde uitslag geven. Verbeter eerst het cijfer (met "
                           "zijn eigen reden) en corrigeer dan de uitslag.",
                           "Nothing changed since the sign-off; correct the grade first.", 409)
    new = _new_decision(ci, decision.school_year, by, decision, reason)
    new._history_user = _user(by)
    new.save()
    _retire([decision], corrected={decision.pk}, by=by)
    return new


# --- the school's key and module credentials ----------------------------------------------------


def ensure_key(school) -> SchoolKey:
    """The school's active signing key; a new Ed25519 key the first time."""
    key = SchoolKey.objects.filter(school=school, active=True).order_by("-created_at").first()
    if key is not None:
        return key
    kid, private, public = vc.new_key_material()
    return SchoolKey.objects.create(school=school, kid=kid, algorithm=vc.ALGORITHM,
                                    private_jwk=vc.seal_private(private), public_jwk=public)


@transaction.atomic
def rotate_key(*, by, school) -> SchoolKey:
    """A new key for new credentials; earlier credentials keep verifying with the old public key."""
    _require(by, "diploma.issue_credentials", school)
    SchoolKey.objects.filter(school=school, active=True).update(active=False)
    return ensure_key(school)


@dataclass
class IssueReport:
    issued: list[ModuleCredential] = field(default_factory=list)
    already: int = 0
    revoked: list[ModuleCredential] = field(default_factory=list)

    def summary(self) -> str:
        return (f"{len(self.issued)} modulecertificaten uitgegeven, {self.already} bestonden al"
                + (f", {len(self.revoked)} ingetrokken (resultaat gewijzigd)" if self.revoked else ""))


def _credential_matches(credential: ModuleCredential, result) -> bool:
    return (result.outcome == "PASSED" and credential.module_version_id == result.module_version_id
            and credential.grade == result.grade)


@transaction.atomic
def issue_credentials(*, by, school, students=None) -> IssueReport:
    """An Open Badges 3.0 credential for every completed (PASSED) module of the school's students (or of
    `students`) that has no valid one yet. A credential whose result has since changed is revoked first,
    and a new one is issued when the module is still passed. Queries: a fixed handful plus one insert per
    new credential."""
    from maatwerk.assessment.models import ModuleResult
    from maatwerk.catalog.models import ModuleObjective

    _require(by, "diploma.issue_credentials", school)
    report = IssueReport()
    results = ModuleResult.objects.filter(student__school=school)
    if students is not None:
        results = results.filter(student__in=[s.pk for s in students])
    results = list(results.filter(outcome="PASSED").select_related("student", "module_version__module")
                   .prefetch_related("module_version__profielen"))
    existing = {}
    for c in ModuleCredential.objects.filter(student__school=school, revoked_at__isnull=True).order_by("issued_at"):
        existing[(c.student_id, c.module_version_id)] = c
    # a changed result: revoke first (the signal normally does this the moment the result changes)
    for result in results:
        c = existing.get((result.student_id, result.module_version_id))
        if c is not None and not _credential_matches(c, result):
            _revoke(c, by, "Het resultaat van de module is gewijzigd; er is een nieuw certificaat uitgegeven.")
            report.revoked.append(c)
            del existing[(result.student_id, result.module_version_id)]
    todo = [r for r in results if (r.student_id, r.module_version_id) not in existing]
    report.already = len(results) - len(todo)
    if not todo:
        return report
    key = ensure_key(school)
    private = vc.open_private(key.private_jwk)
    objectives: dict[int, list] = {}
    for o in ModuleObjective.objects.filter(version_id__in={r.module_version_id for r in todo}).order_by("order", "pk"):
        objectives.setdefault(o.version_id, []).append(o)
    taken = set(ModuleCredential.objects.filter(key__school=school, status_index__isnull=False)
                .values_list("status_index", flat=True))
    subjects = dict(ModuleCredential.objects.filter(student__in={r.student_id for r in todo}).exclude(subject_id="")
                    .values_list("student_id", "subject_id"))
    now = timezone.now().replace(microsecond=0)
    for result in todo:
        subject_id = subjects.setdefault(result.student_id, vc.new_subject_id())
        index = vc.new_status_index(taken)
        taken.add(index)
        credential = ModuleCredential(student=result.student, module_version=result.module_version,
                                      module_result=result, key=key, subject_id=subject_id, status_index=index,
                                      grade=result.grade)
        data = vc.build_credential(credential_id=credential.pk, module_result=result, school=school,
                                   subject_id=subject_id, salt=vc.new_salt(), status_index=index, valid_from=now,
                                   objectives=objectives.get(result.module_version_id, []))
        errors = vc.schema_errors(data)
        if errors:  # never sign what the standard would refuse
            raise DiplomaError("diploma_credential_invalid", "Het certificaat voldoet niet aan Open Badges 3.0: "
                               + "; ".join(errors[:3]), "The credential does not conform to Open Badges 3.0.",
                               500, details=errors)
        credential.credential = data
        credential.jwt = vc.sign(vc.jwt_claims(data), kid=key.kid, private_jwk=private)
        credential._history_user = _user(by)
        credential.save()
        report.issued.append(credential)
    return report


def _revoke(credential: ModuleCredential, by, reason: str) -> ModuleCredential:
    credential.revoked_at = timezone.now()
    credential.revocation_reason = reason
    credential.revoked_by = _user(by)
    credential._history_user = _user(by)
    credential.save(update_fields=["revoked_at", "revocation_reason", "revoked_by"])
    return credential


@transaction.atomic
def revoke_credential(*, by, credential: ModuleCredential, reason: str) -> ModuleCredential:
    _require(by, "diploma.revoke_credential", credential)
    reason = (reason or "").strip()
    if not reason:
        raise DiplomaError("diploma_revocation_reason", "Geef de reden van de intrekking.", "Give a reason.")
    credential = ModuleCredential.objects.select_for_update().get(pk=credential.pk)
    if credential.revoked_at is not None:
        raise DiplomaError("diploma_credential_revoked", "Dit certificaat is al ingetrokken.",
                           "This credential has already been revoked.", 409)
    return _revoke(credential, by, reason)


def revoke_for_result(result, *, deleted: bool = False) -> list[ModuleCredential]:
    """A module result changed (a corrected grade, a result that is no longer 'behaald') or was removed:
    revoke the valid credentials that no longer match it. Called from the post_save/post_delete hook."""
    revoked = []
    for c in ModuleCredential.objects.filter(student_id=result.student_id, module_version_id=result.module_version_id,
                                             revoked_at__isnull=True):
        if deleted or not _credential_matches(c, result):
            revoked.append(_revoke(c, None, "Het resultaat van de module is gecorrigeerd."
                                   if not deleted else "Het resultaat van de module is verwijderd."))
    return revoked


def revoke_for_results(results) -> list[ModuleCredential]:
    """`revoke_for_result` for many changed module results at once (the grade import's bulk write): one
    query per thousand students for the valid credentials, a save only for each one revoked."""
    by_pair = {(r.student_id, r.module_version_id): r for r in results}
    students = sorted({student_id for student_id, _ in by_pair})
    revoked = []
    for start in range(0, len(students), 1000):
        for c in ModuleCredential.objects.filter(student_id__in=students[start:start + 1000],
                                                 module_version_id__in={v for _, v in by_pair},
                                                 revoked_at__isnull=True):
            result = by_pair.get((c.student_id, c.module_version_id))
            if result is not None and not _credential_matches(c, result):
                revoked.append(_revoke(c, None, "Het resultaat van de module is gecorrigeerd."))
    return revoked


def revoked_indexes(school) -> list[int]:
    return list(ModuleCredential.objects.filter(key__school=school, revoked_at__isnull=False,
                                                status_index__isnull=False).values_list("status_index", flat=True))


# --- continuous routes --------------------------------------------------------------------------


def _route_checks(school, mbo_college, qualification, kind: str) -> None:
    from maatwerk.schools.models import PartnerKind

    if mbo_college.school_id != school.pk or mbo_college.kind != PartnerKind.MBO_COLLEGE:
        raise DiplomaError("diploma_route_partner", "Kies een mbo-instelling uit de partners van de school.",
                           "Choose an mbo college among the school's partners.")
    if kind == RouteKind.INTEGRATED and not qualification.is_starting_qualification:
        raise DiplomaError("diploma_route_level", "Een geïntegreerde route leidt tot een startkwalificatie: een "
                           "mbo-kwalificatie op niveau 2 of hoger.", "An integrated route leads to mbo level 2 or higher.")
    if qualification.level is None:
        raise DiplomaError("diploma_route_level_unknown", "Van deze mbo-kwalificatie is het niveau onbekend.",
                           "The level of this qualification is unknown.")


@transaction.atomic
def create_route(*, by, school, mbo_college, qualification, kind: str, name: str, five_year: bool = False,
                 modules=(), description: str = "") -> ContinuousRoute:
    _require(by, "diploma.manage_routes", school)
    if kind not in RouteKind.values:
        raise DiplomaError("diploma_route_kind", "Kies een doorlopende of geïntegreerde route.", "Unknown route kind.")
    _route_checks(school, mbo_college, qualification, kind)
    route = ContinuousRoute.objects.create(school=school, mbo_college=mbo_college, qualification=qualification,
                                           kind=kind, five_year=five_year, name=name.strip() or str(qualification),
                                           description=description)
    route.modules.set(modules)
    return route


@transaction.atomic
def set_route_students(*, by, route: ContinuousRoute, students) -> ContinuousRoute:
    """Who follows the route. A geïntegreerde route is for the basisberoepsgerichte leerweg (Wet doorlopende
    leerroutes vo-mbo); students of another school are refused."""
    _require(by, "diploma.manage_routes", route)
    students = list(students)
    other = [s for s in students if s.school_id != route.school_id]
    if other:
        raise DiplomaError("diploma_route_student_school", "Een leerling van een andere school kan deze route niet "
                           "volgen.", "A student of another school cannot follow this route.")
    if route.kind == RouteKind.INTEGRATED:
        not_bb = [s for s in students if s.leerweg != "BB"]
        if not_bb:
            raise DiplomaError("diploma_route_integrated_bb", "Een geïntegreerde route is er voor leerlingen in de "
                               "basisberoepsgerichte leerweg: " + ", ".join(s.full_name for s in not_bb[:5]) + ".",
                               "An integrated route is for BB students.")
    route.students.set(students)
    return route
