"""Demo step 6 (after all others): exam decisions, module credentials and a continuous route.

* the exam cohort of both schools (leerjaar 4, exam year = the current school year) is decided under its
  regulation (the programme's, else the school's policy), through the same service as the page, by the
  school's examensecretaris; about half of the complete exams are signed off;
* the general subjects come from the school's administration (SubjectGrade). When no earlier step
  delivered them for the exam cohort, this step delivers them as a school's leerlingadministratie would
  (seeded, realistic grades, a few insufficient ones) and says so; module results are never invented:
  they come from the assessment step (module exams through the PTA), or the exam stays incomplete;
* every completed module gets an Open Badges 3.0 credential signed with the school's key;
* Het Baken gets a doorlopende leerroute with its mbo college towards Helpende Zorg en Welzijn (mbo 2,
  a startkwalificatie), with the zorg-en-welzijn modules that count and the students who follow them.

Idempotent: decisions are only recomputed when the grades changed, signing off happens once per school and
year, credentials once per completed module, the route once.
"""

from __future__ import annotations

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
        _school(ctx, school)
    _route(ctx)


def _exam_cohort(school, year):
    from maatwerk.diploma.services import exam_candidates

    return list(exam_candidates(school, year))


def _school(ctx, school) -> None:
    from maatwerk.diploma import services
    from maatwerk.diploma.models import DecisionStatus, ExamDecision, ExamOutcome

    year = ctx.school_year
    secretary = _secretary(school)
    if secretary is None:
        ctx.say(f"  {school.name}: geen examensecretaris; examenstap overgeslagen.")
        return
    students = _exam_cohort(school, year)
    if not students:
        ctx.say(f"  {school.name}: geen kandidaten in leerjaar 4; examenstap overgeslagen.")
        return
    delivered = _deliver_subject_grades(ctx, school, students, year)
    report = services.run_decisions(by=secretary, school=school, school_year=year)
    outcomes = report.outcomes
    ctx.say(f"  {school.name}: examen {year}-{year + 1}: {report.summary()}"
            + (f"; vakcijfers van {delivered} kandidaten aangeleverd als uit de leerlingadministratie" if delivered
               else ""))
    _explain_incomplete(ctx, school, report)
    signed = ExamDecision.objects.filter(student__school=school, school_year=year,
                                         status=DecisionStatus.SIGNED_OFF).exists()
    if not signed:
        ready = [line.decision for line in report.lines if line.decision is not None and line.decision.pk
                 and line.decision.status == DecisionStatus.DRAFT and line.decision.outcome != ExamOutcome.INCOMPLETE]
        chosen = ready[: (len(ready) + 1) // 2]
        done, _ = services.sign_off_many(by=secretary, decisions=chosen)
        if done:
            ctx.say(f"    {len(done)} uitslagen vastgesteld door {secretary.full_name}; {outcomes.get('PASSED', 0)} "
                    "geslaagd in totaal.")
        else:
            ctx.say("    niets vastgesteld: alleen een compleet examen (geslaagd of afgewezen) kan worden vastgesteld.")
    issued = services.issue_credentials(by=secretary, school=school)
    ctx.say(f"    {issued.summary()}"
            + ("" if issued.issued or issued.already else " (geen behaalde modulen: stap toetsing ontbreekt?)"))


def _explain_incomplete(ctx, school, report) -> None:
    """Why exams are not complete yet, counted (in the middle of the exam year most are not)."""
    from collections import Counter

    incomplete = [line.decision for line in report.lines if line.decision is not None
                  and line.decision.outcome == "INCOMPLETE"]
    if not incomplete:
        return
    running = sum(1 for d in incomplete if any(s.get("outcome") == "INCOMPLETE" for s in d.inputs["subjects"]))
    reasons = Counter(f["code"] for d in incomplete for f in d.findings if f["severity"] == "error")
    dossier = reasons.get("EXAM_LOOPBAANDOSSIER_INCOMPLETE", 0)
    ctx.say(f"    tussenstand: {len(incomplete)} examens nog niet compleet ({running} met modulen die nog lopen of "
            f"zonder resultaat, {dossier} met een loopbaandossier dat nog niet af is); de uitslag volgt als alle "
            "resultaten er zijn.")
    if not any(s.get("source") == "module" for d in incomplete for s in d.inputs["subjects"]):
        ctx.say(f"    {school.name}: er zijn nog geen moduleresultaten (stap toetsing): de modulen tellen nog niet mee.")


def _deliver_subject_grades(ctx, school, students, year) -> int:
    """General subjects, LO, ckv, the profielwerkstuk and (vmbo-huidig) the profielvak with its cspe, for the
    candidates who have none yet for this exam year. Seeded per student, so a rerun gives the same grades."""
    from maatwerk import engine
    from maatwerk.assessment.models import SubjectGrade

    have = set(SubjectGrade.objects.filter(student__in=students, school_year=year)
               .values_list("student_id", flat=True).distinct())
    todo = [s for s in students if s.pk not in have]
    if not todo:
        return 0
    inputs = engine.candidate_inputs(todo, year)
    rows = []
    for student in todo:
        rng = random.Random(f"examen-{school.brin}-{student.student_number}-{year}")
        ability = rng.gauss(6.7, 0.85)
        regulation = inputs[student.pk].regulation
        spv = regulation is not None and regulation.kind == "spv-modulair"

        def mark(spread: float, *, rng=rng, ability=ability) -> Decimal:
            value = min(10.0, max(1.0, ability + rng.gauss(0, spread)))
            return Decimal(f"{value:.1f}")

        codes = ["ne", "en", *GENERAL[student.leerweg]]
        for code in codes:
            rows.append(SubjectGrade(student=student, school_year=year, code=code, name=NAMES[code],
                                     school_exam=mark(0.55), central_exam=mark(0.9), level=""))
        rows.append(SubjectGrade(student=student, school_year=year, code="ma", name=NAMES["ma"],
                                 school_exam=Decimal(round(min(10, max(1, ability + rng.gauss(0, 0.7))))), level=""))
        if student.leerweg != "TL" and not spv:
            profiel = student.profiel.name if student.profiel_id else "het profiel"
            rows.append(SubjectGrade(student=student, school_year=year, code="pv", name=f"Profielvak {profiel}",
                                     kind="profielvak", school_exam=mark(0.5), central_exam=mark(0.8)))
        rows.append(SubjectGrade(student=student, school_year=year, code="lo", name=NAMES["lo"], kind="lo",
                                 qualification="goed" if ability > 7.4 else "voldoende"))
        rows.append(SubjectGrade(student=student, school_year=year, code="ckv", name=NAMES["ckv"], kind="kunstvak",
                                 qualification="voldoende"))
        if student.leerweg in ("GL", "TL"):
            rows.append(SubjectGrade(student=student, school_year=year, code="pws", name=NAMES["pws"],
                                     kind="profielwerkstuk", qualification="onvoldoende" if ability < 5.2 else "voldoende"))
        if rng.random() < 0.15:  # an extra subject, taken by choice: left out when it would make the candidate fail
            rows.append(SubjectGrade(student=student, school_year=year, code="du", name=NAMES["du"], extra=True,
                                     school_exam=mark(1.2) - 1, central_exam=mark(1.4) - 1))
    for row in rows:  # a grade is 1.0-10.0
        for attr in ("school_exam", "central_exam"):
            value = getattr(row, attr)
            if value is not None and value < 1:
                setattr(row, attr, Decimal("1.0"))
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
    modules = list(Module.objects.filter(current_version__isnull=False, current_version__profielen__code="ZW",
                                         current_version__module_type__in=["INTRODUCTORY", "DEEPENING"])
                   .distinct().order_by("code")[:8])
    route = services.create_route(
        by=leader.user if leader else None, school=school, mbo_college=college, qualification=qualification,
        kind=RouteKind.CONTINUOUS, name="Doorlopende leerroute Zorg en welzijn → Helpende Zorg en Welzijn (mbo 2)",
        modules=modules,
        description="Vanaf leerjaar 3 samen met Mbo College IJssel-Vecht: de modulen zorg en welzijn tellen mee voor "
                    "de mbo-opleiding Helpende Zorg en Welzijn (niveau 2). De leerling haalt het vmbo-diploma en "
                    "stroomt zonder nieuwe intake door naar het mbo: een startkwalificatie.")
    students = list({item.programme.student for item in ProgrammeItem.objects.filter(
        programme__student__school=school, programme__student__year_level__in=[3, 4],
        module_version__module__in=modules).select_related("programme__student")})
    students.sort(key=lambda s: s.student_number)
    services.set_route_students(by=leader.user if leader else None, route=route, students=students[:10])
    ctx.say(f"  Doorlopende leerroute {school.name} met {college.name} naar {qualification.name} (crebo "
            f"{qualification.crebo}): {len(modules)} modulen, {min(len(students), 10)} leerlingen.")
