"""Demo step 6 (after all others): exam decisions, module credentials and a continuous route.

* Last year's exam cohort (the alumni: cohort sy-2, exam year sy-1, left in July) is complete: the general
  subjects come from the school's administration (SubjectGrade, delivered here as a leerlingadministratie
  would: SE and CE, LO, ckv, the profielwerkstuk; seeded per student, a few of them too low), the modules from
  the assessment step. The real decision service decides them under the pilot regulation in early July:
  most PASSED (some with a compensated insufficient grade), a few FAILED (Nederlands too low, too many
  insufficient grades), one INCOMPLETE (the alumnus who missed his final proeve). The examensecretaris signs
  off every complete exam; one is corrected after a grade turned out to be copied wrongly (the grade is
  corrected through the assessment service, the decision through `correct_decision`, with its reason) and
  signed off again. Every completed module of theirs gets an Open Badges 3.0 credential.
* This year's exam cohort (leerjaar 4) is decided as a tussenstand: in November only the SE so far is in
  (no CE yet), modules are running and some loopbaandossiers are not complete, so every exam is still
  incomplete, with the reasons. Their completed modules (and those of leerjaar 3) get credentials too.
* Het Baken gets a doorlopende leerroute with its mbo college towards Helpende Zorg en Welzijn (mbo 2, a
  startkwalificatie), with the zorg-en-welzijn modules that count and the students who follow them.

Idempotent: grades are delivered once per student and exam year, decisions are only recomputed when the
grades changed, signing off and the correction happen once, credentials once per completed module, the route
once.
"""

from __future__ import annotations

import datetime as dt
import random
from decimal import Decimal

from maatwerk.accounts.models import Membership, Role

#: general subjects per leerweg besides ne, en and ma (the profieldeel; TL also its vrije deel)
GENERAL = {"BB": ("wi", "ec"), "KB": ("wi", "ec"), "GL": ("wi", "ec", "bi"), "TL": ("wi", "ec", "bi", "gs")}
NAMES = {"ne": "Nederlandse taal", "en": "Engelse taal", "ma": "Maatschappijleer", "wi": "Wiskunde", "ec": "Economie",
         "bi": "Biologie", "gs": "Geschiedenis", "du": "Duitse taal", "lo": "Lichamelijke opvoeding",
         "ckv": "Culturele en kunstzinnige vorming", "pws": "Profielwerkstuk", "pv": "Profielvak"}
ROUTE_CREBO = "25960"
ROUTE_COLLEGE = "Mbo College IJssel-Vecht"
ROUTE_MODULES = ("ZW-K-01", "XS-K-01", "ZW-KV-08", "ZW-V-01", "ZW-KV-12", "ZW-KV-07", "ZW-KV-09", "ZW-KV-13")
#: the alumni who failed (position in the cohort by student number) and why: the administration's grades
FAILED = {"21KR": {5: "nederlands", 17: "insufficient"}, "30PF": {8: "insufficient"}}
#: the alumnus whose grade was copied wrongly: corrected after the sign-off
CORRECTED = {"21KR": 2}


def _secretary(school):
    m = (Membership.objects.filter(school=school, role=Role.EXAM_SECRETARY).select_related("user")
         .order_by("pk").first())
    return m.user if m else None


def load(ctx) -> None:
    from maatwerk.schools.models import School

    schools = list(School.objects.filter(brin__in=["21KR", "30PF"]).order_by("brin"))
    if not schools:
        ctx.say("  Examen: geen demoscholen gevonden (eerst de stap accounts); niets gedaan.")
        return
    for school in schools:
        secretary = _secretary(school)
        if secretary is None:
            ctx.say(f"  {school.name}: geen examensecretaris; examenstap overgeslagen.")
            continue
        _previous(ctx, school, secretary)
        _current(ctx, school, secretary)
        _credentials(ctx, school, secretary)
    _route(ctx)


def _exam_cohort(school, year):
    from maatwerk.diploma.services import exam_candidates

    return list(exam_candidates(school, year))


def _previous(ctx, school, secretary) -> None:
    """Last year's exam: decided in July, signed off, one corrected."""
    from maatwerk.diploma import services
    from maatwerk.diploma.models import DecisionStatus, ExamDecision, ExamOutcome
    from maatwerk.web.demo import demo_clock

    year = ctx.school_year - 1
    students = _exam_cohort(school, year)
    if not students:
        ctx.say(f"  {school.name}: geen examenkandidaten in {year}-{year + 1}; examenstap overgeslagen.")
        return
    students.sort(key=lambda s: s.student_number)
    failing = {students[i].pk: why for i, why in FAILED.get(school.brin, {}).items() if i < len(students)}
    delivered = _deliver_subject_grades(ctx, school, students, year, final=True, failing=failing)
    with demo_clock(dt.date(year + 1, 7, 1)):
        report = services.run_decisions(by=secretary, school=school, school_year=year)
    ctx.say(f"  {school.name}: examen {year}-{year + 1}: {report.summary()}"
            + (f"; vakcijfers van {delivered} kandidaten aangeleverd als uit de leerlingadministratie"
               if delivered else ""))
    if ExamDecision.objects.filter(student__school=school, school_year=year,
                                   status__in=[DecisionStatus.SIGNED_OFF, DecisionStatus.CORRECTED]).exists():
        return
    ready = [line.decision for line in report.lines if line.decision is not None
             and line.decision.status == DecisionStatus.DRAFT and line.decision.outcome != ExamOutcome.INCOMPLETE]
    with demo_clock(dt.date(year + 1, 7, 2)):
        done, _ = services.sign_off_many(by=secretary, decisions=ready)
    corrected = _correct(ctx, school, secretary, year, students)
    ctx.say(f"    {len(done)} uitslagen vastgesteld door {secretary.full_name} op 02-07-{year + 1}"
            + (f"; {corrected}" if corrected else "")
            + f"; {report.outcomes.get(ExamOutcome.INCOMPLETE, 0)} examen niet compleet (kan niet worden vastgesteld)")


def _correct(ctx, school, secretary, year, students) -> str:
    """A grade was copied wrongly into the gradebook: corrected with its reason, then the signed-off decision."""
    from maatwerk.assessment import services as assessment
    from maatwerk.assessment.models import Result
    from maatwerk.diploma import services
    from maatwerk.diploma.models import DecisionStatus, ExamDecision
    from maatwerk.web.demo import demo_clock

    index = CORRECTED.get(school.brin)
    if index is None or index >= len(students):
        return ""
    student = students[index]
    decision = ExamDecision.objects.current().filter(student=student, school_year=year,
                                                     status=DecisionStatus.SIGNED_OFF).first()
    counted = {s["code"] for s in decision.inputs.get("subjects", []) if s.get("source") == "module"} \
        if decision is not None else set()
    resits = Result.objects.filter(student=student, attempt=2).values_list("item_id", flat=True)
    result = next((r for r in Result.objects.filter(student=student, item__form="proeve", attempt=1,
                                                    grade__isnull=False, grade__lt=Decimal("8"))
                   .exclude(item_id__in=list(resits)).select_related("item").prefetch_related("item__module_versions")
                   .order_by("-assessed_on", "pk")
                   if any(v.module.code in counted for v in r.item.module_versions.all())), None)
    if decision is None or result is None:
        return ""
    right = min(Decimal("10"), result.grade + Decimal("1.2"))
    with demo_clock(dt.date(year + 1, 7, 7)):
        assessment.save_result(by=secretary, student=student, item=result.item, value=f"{right}".replace(".", ","),
                               attempt=1, version=result.version,
                               reason=f"Cijfer verkeerd overgenomen van het beoordelingsformulier ({result.grade} in "
                                      f"plaats van {right}); gecorrigeerd na controle door de examencommissie.")
        new = services.correct_decision(
            by=secretary, decision=decision,
            reason=f"Het cijfer voor {result.item.code} was verkeerd overgenomen ({result.grade} in plaats van "
                   f"{right}); na de correctie van dat cijfer opnieuw vastgesteld.")
    with demo_clock(dt.date(year + 1, 7, 8)):
        services.sign_off(by=secretary, decision=new)
    return f"1 uitslag gecorrigeerd ({student.full_name}: cijfer {result.item.code} verkeerd overgenomen)"


def _current(ctx, school, secretary) -> None:
    """This year's exam cohort in November: a tussenstand, nothing to sign off yet."""
    from maatwerk.diploma import services

    year = ctx.school_year
    students = _exam_cohort(school, year)
    if not students:
        ctx.say(f"  {school.name}: geen kandidaten in leerjaar 4; examenstap overgeslagen.")
        return
    delivered = _deliver_subject_grades(ctx, school, students, year, final=False)
    report = services.run_decisions(by=secretary, school=school, school_year=year)
    ctx.say(f"  {school.name}: examen {year}-{year + 1} (tussenstand): {report.summary()}"
            + (f"; voorlopige SE-cijfers van {delivered} kandidaten aangeleverd" if delivered else ""))
    _explain_incomplete(ctx, school, report)


def _credentials(ctx, school, secretary) -> None:
    """Open Badges for every completed module: the alumni's in July (with their results), the others now."""
    from maatwerk.diploma import services
    from maatwerk.students.models import Student
    from maatwerk.web.demo import demo_clock

    alumni = list(Student.objects.filter(school=school, left_on__isnull=False))
    if alumni:
        with demo_clock(max(s.left_on for s in alumni) - dt.timedelta(days=5)):
            first = services.issue_credentials(by=secretary, school=school, students=alumni)
    issued = services.issue_credentials(by=secretary, school=school)
    ctx.say(f"    modulecertificaten: {len(first.issued) if alumni else 0} voor de oud-leerlingen, "
            f"{len(issued.issued)} voor de huidige leerlingen ({issued.already} bestonden al)")


def _explain_incomplete(ctx, school, report) -> None:
    """Why exams are not complete yet, counted (in the middle of the exam year none are)."""
    from collections import Counter

    incomplete = [line.decision for line in report.lines if line.decision is not None
                  and line.decision.outcome == "INCOMPLETE"]
    if not incomplete:
        return
    running = sum(1 for d in incomplete if any(s.get("outcome") == "INCOMPLETE" for s in d.inputs["subjects"]))
    reasons = Counter(code for d in incomplete for code in {f["code"] for f in d.findings if f["severity"] == "error"})
    dossier = reasons.get("EXAM_LOOPBAANDOSSIER_INCOMPLETE", 0)
    ctx.say(f"    tussenstand: {len(incomplete)} examens nog niet compleet ({running} met modulen die nog lopen, "
            f"{reasons.get('EXAM_GRADE_MISSING', 0)} nog zonder centraal examen, {dossier} met een loopbaandossier "
            "dat nog niet af is); de uitslag volgt in juli.")


def _deliver_subject_grades(ctx, school, students, year, *, final: bool, failing=None) -> int:
    """The general subjects, LO, ckv and the profielwerkstuk of the exam year, as the school's administration
    delivers them: `final` the whole exam (SE and CE), otherwise November's tussenstand (the SE so far, ckv
    done, no CE, LO and profielwerkstuk yet). Seeded per student, so a rerun gives the same grades.
    `failing`: student id -> 'nederlands' (Nederlands too low) or 'insufficient' (two subjects below 6)."""
    from maatwerk.assessment.models import SubjectGrade

    failing = failing or {}
    have = set(SubjectGrade.objects.filter(student__in=students, school_year=year)
               .values_list("student_id", flat=True).distinct())
    todo = [s for s in students if s.pk not in have]
    if not todo:
        return 0
    rows = []
    for student in todo:
        rng = random.Random(f"examen-{school.brin}-{student.student_number}-{year}")
        why = failing.get(student.pk)
        ability = max(6.1, rng.gauss(6.9, 0.6)) if not why else 6.0
        compensate = not why and rng.random() < 0.15  # one subject a 5, compensated

        def mark(spread: float, *, rng=rng, ability=ability, low: float = 5.5) -> Decimal:
            value = min(9.6, max(low, ability + rng.gauss(0, spread)))
            return Decimal(f"{value:.1f}")

        codes = ["ne", "en", *GENERAL[student.leerweg]]
        for n, code in enumerate(codes):
            se, ce = mark(0.5), mark(0.7)
            if why == "nederlands" and code == "ne":
                se, ce = Decimal("4.6"), Decimal("3.9")
            elif (why == "insufficient" and code in ("en", "wi")) or (compensate and n == len(codes) - 1):
                se, ce = Decimal("5.1"), Decimal("4.6")
            rows.append(SubjectGrade(student=student, school_year=year, code=code, name=NAMES[code],
                                     school_exam=se, central_exam=ce if final else None, level=""))
        rows.append(SubjectGrade(student=student, school_year=year, code="ma", name=NAMES["ma"],
                                 school_exam=Decimal(round(min(9, max(6, ability + rng.gauss(0, 0.6))))), level=""))
        rows.append(SubjectGrade(student=student, school_year=year, code="ckv", name=NAMES["ckv"], kind="kunstvak",
                                 qualification="voldoende"))
        if final:
            rows.append(SubjectGrade(student=student, school_year=year, code="lo", name=NAMES["lo"], kind="lo",
                                     qualification="goed" if ability > 7.3 else "voldoende"))
            if student.leerweg in ("GL", "TL"):
                rows.append(SubjectGrade(student=student, school_year=year, code="pws", name=NAMES["pws"],
                                         kind="profielwerkstuk", qualification="goed" if ability > 7.5 else "voldoende"))
    SubjectGrade.objects.bulk_create(rows)
    return len(todo)


def _route(ctx) -> None:
    from maatwerk.catalog.models import MboQualification, Module
    from maatwerk.diploma import services
    from maatwerk.diploma.models import ContinuousRoute, RouteKind
    from maatwerk.schools.models import Partner, School
    from maatwerk.students.models import ProgrammeItem

    school = School.objects.filter(brin="21KR").first()
    qualification = MboQualification.objects.filter(crebo=ROUTE_CREBO).first()
    college = Partner.objects.filter(school=school, name=ROUTE_COLLEGE).first() if school else None
    if school is None or qualification is None or college is None:
        ctx.say("  Doorlopende leerroute: school, mbo-instelling of mbo-kwalificatie ontbreekt (stappen accounts en "
                "menukaart); geen route gemaakt.")
        return
    if ContinuousRoute.objects.filter(school=school, qualification=qualification).exists():
        return
    leader = Membership.objects.filter(school=school, role=Role.SCHOOL_LEADER).select_related("user").first()
    modules = list(Module.objects.filter(code__in=ROUTE_MODULES).order_by("code"))
    route = services.create_route(
        by=leader.user if leader else None, school=school, mbo_college=college, qualification=qualification,
        kind=RouteKind.CONTINUOUS, name="Doorlopende leerroute Zorg en welzijn → Helpende Zorg en Welzijn (mbo 2)",
        modules=modules,
        description="Vanaf leerjaar 3 samen met Mbo College IJssel-Vecht: de modulen zorg en welzijn tellen mee voor "
                    "de mbo-opleiding Helpende Zorg en Welzijn (niveau 2). De leerling haalt het vmbo-diploma en "
                    "stroomt zonder nieuwe intake door naar het mbo: een startkwalificatie.")
    students = list({item.programme.student for item in ProgrammeItem.objects.filter(
        programme__student__school=school, programme__student__year_level__in=[3, 4],
        programme__student__left_on__isnull=True, module_version__module__code__in=["ZW-KV-08", "ZW-KV-07"])
        .select_related("programme__student")})
    students.sort(key=lambda s: s.student_number)
    services.set_route_students(by=leader.user if leader else None, route=route, students=students[:10])
    ctx.say(f"  Doorlopende leerroute {school.name} met {college.name} naar {qualification.name} (crebo "
            f"{qualification.crebo}): {len(modules)} modulen, {min(len(students), 10)} leerlingen.")
