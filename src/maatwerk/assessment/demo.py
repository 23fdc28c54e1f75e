"""Demo step 5: PTAs, rubrics, results, kern observations, module outcomes and usage reports.

Runs after the accounts, catalog, schools and students steps and uses what they made: the school's timetable
and teaching groups, and the students' programmes.

* Per school and cohort (from last year's exam cohort to today's leerjaar 2) a PTA, adopted by the
  schoolleider in September of the first module year and published: Het Baken one for basis, kader and
  gemengd and one for theoretisch (with a written test per module), the vakschool one for basis and kader
  and one for gemengd (idem). Each module the cohort takes is closed in the period the timetable gives it:
  a praktijkopdracht (deadline halfway the period) and a Proeve van Bekwaamheid with a rubric of module and
  kern objectives (at the end of the period); at the vakschool a hygiene qualification (o/v/g) and a
  **meesterproef** that closes Evenementen and De bijzondere keuken together, assessed by the hotel; at Het
  Baken a proeve in the hotel (Hotel De Wijk) and proeven assessed with Zorgcentrum De Linde.
* Results for every item of every module in the programmes up to today: earlier school years complete,
  this year the items whose deadline has passed (in November: period 1; period 2 is under way and empty).
  The grades follow the programme: a module that was not completed has insufficient parts (and a failed
  resit); elsewhere some insufficient grades with a resit, an item not handed in yet, a resit still to come.
  Entered by the teacher of the student's teaching group (or the partner's assessor) on the day of the
  assessment; the results are written in bulk with their history (the write path of save_result costs 50 ms
  a grade), and the module outcomes, the programme items and the menukaart's usage reports follow through
  the real service (`services.recompute_outcomes`, the rules engine's module_outcome).
* Kern observations from the rubrics; the partners' assessors are assigned their students.
* A concept PTA for the next cohort at Het Baken (for the schoolleider to adopt) and one reasoned change of
  a vastgesteld PTA (see its history).

Idempotent: a school that already has PTAs is left alone.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from decimal import Decimal

from django.utils import timezone
from simple_history.utils import bulk_create_with_history

from maatwerk.accounts.models import Membership, Role, User
from maatwerk.kern.models import KernObjective
from maatwerk.schools.models import Offering, Partner, School, SchoolPolicy, TeachingGroup
from maatwerk.students.models import ProgrammeItem, Student

from . import services
from .models import AssessedBy, AssessorAssignment, KernObservation, ModuleResult, Pta, PtaItem, Result

#: school -> [(title suffix, leerwegen, adds a written test to each module)]
PTA_SETS = {
    "21KR": [("basis, kader en gemengd", ["BB", "KB", "GL"], False), ("theoretisch", ["TL"], True)],
    "30PF": [("basis en kader", ["BB", "KB"], False), ("gemengd", ["GL"], True)],
}
#: modules a hotel assesses at Het Baken (facilitaire dienstverlening: catering en inrichting)
HOTEL_MODULES = {"21KR": ("ZW-KV-09",)}
#: the vakschool's meesterproef: two modules closed together, assessed by the hotel
MEESTERPROEF = {"30PF": ("HBR-MP", ("HBR-KV-04", "HBR-KV-06"))}
#: the vakschool's hygiene qualification (onvoldoende / voldoende / goed)
HYGIENE = {"30PF": "HBR-KV-03"}
RESIT_RULES = (
    "Elk onderdeel met 'herkansbaar' mag één keer worden herkanst; het hoogste cijfer telt (UB 3.16). Een "
    "herkansing vraag je binnen twee weken na de uitslag aan bij de examensecretaris. De herkansingen zijn twee "
    "weken na de uiterste datum.")
#: (month, day) of the praktijkopdracht (halfway) and the proeve (end) per period; the year follows the period
PERIOD_DATES = {1: ((10, 2), (11, 6)), 2: ((12, 11), (1, 29)), 3: ((3, 5), (4, 16)), 4: ((5, 21), (6, 25))}
MEESTERPROEF_DAY = (6, 12)
RESIT_AFTER = dt.timedelta(days=14)
#: comments by how it went: below 5,5 / up to 7 / from 7
COMMENTS = (
    ["Nog onzeker bij de uitvoering; oefen de stappen en vraag eerder om hulp.",
     "De planning ontbrak; bespreek met je docent hoe je de herkansing aanpakt.", ""],
    ["Werkt zelfstandig; let op de tijd.", "Voldoende; de afwerking kan netter.", ""],
    ["Goed voorbereid en netjes gewerkt.", "Mooi resultaat, de klant was tevreden.",
     "Vraagt op tijd om hulp en stemt goed af.", ""],
)


def _day(school_year: int, month: int, day: int) -> dt.date:
    return dt.date(school_year + (1 if month < 8 else 0), month, day)


def deadlines(school_year: int, period: int) -> tuple[dt.date, dt.date]:
    """The praktijkopdracht (halfway) and the proeve (end) of a period of a school year."""
    (m1, d1), (m2, d2) = PERIOD_DATES[period]
    return _day(school_year, m1, d1), _day(school_year, m2, d2)


def _comment(rng, grade: Decimal | None, ok: bool) -> str:
    band = 0 if not ok else (2 if grade is not None and grade >= Decimal("7") else 1)
    return rng.choice(COMMENTS[band])


def _role_users(school, role) -> list[User]:
    return list(User.objects.filter(memberships__school=school, memberships__role=role).distinct().order_by("email"))


def _assessor_of(partner) -> User | None:
    if partner is None:
        return None
    m = Membership.objects.filter(role=Role.EXTERNAL_ASSESSOR, partner=partner).select_related("user").first()
    return m.user if m else None


def _kern(code: str) -> KernObjective | None:
    return KernObjective.objects.filter(code=code, area__framework__status="published") \
        .order_by("-area__framework__version").first()


def load(ctx) -> None:
    for brin in ("21KR", "30PF"):
        school = School.objects.filter(brin=brin).first()
        if school is None:
            continue
        if not ProgrammeItem.objects.filter(programme__student__school=school).exists():
            ctx.say(f"  Toetsing {school.name}: geen programma's (stap leerlingen); geen PTA's gemaakt.")
            continue
        if Pta.objects.filter(school=school).exists():
            ctx.say(f"  Toetsing {school.name}: PTA's bestaan al; niets gewijzigd.")
            continue
        _school(ctx, school)


def _school(ctx, school) -> None:
    from maatwerk.schools.demo import slots
    from maatwerk.web.demo import demo_clock

    sy = ctx.school_year
    leader = _role_users(school, Role.SCHOOL_LEADER)[0]
    secretary = _role_users(school, Role.EXAM_SECRETARY)[0]
    policy = SchoolPolicy.objects.filter(school=school).first()
    regulation_id = policy.regulation_id if policy else "spv-modulair"
    table = slots(school)
    offerings = {(o.school_year, o.module_version.module.code): o for o in Offering.objects.filter(school=school)
                 .select_related("module_version__module", "partner")}
    partners = {p.name: p for p in Partner.objects.filter(school=school)}
    objectives = {"samenwerken": _kern("AV4.2"), "communiceren": _kern("AV1.1"), "plannen": _kern("PW.2"),
                  "kwaliteit": _kern("AV7.2")}
    ptas: dict[int, list[Pta]] = {}
    for cohort in range(sy - 2, sy + 2):
        first_year = max(cohort - 1, sy - 2)
        for suffix, leerwegen, written in PTA_SETS[school.brin]:
            taken = _taken(school, cohort, leerwegen)
            if not taken:
                continue
            adopted_on = dt.date(first_year, 9, 15)
            with demo_clock(adopted_on - dt.timedelta(days=20)):
                pta = services.create_pta(by=secretary, school=school, cohort=cohort, exam_year=cohort + 1,
                                          title=f"PTA cohort {cohort}-{cohort + 1} {suffix}", leerwegen=leerwegen,
                                          regulation_id=regulation_id, resit_rules=RESIT_RULES)
                _items(pta, secretary, taken, table, offerings, partners, objectives, written=written)
            with demo_clock(adopted_on):
                services.adopt_pta(by=leader, pta=pta, on=adopted_on)
            with demo_clock(adopted_on + dt.timedelta(days=3)):
                services.publish_pta(by=secretary, pta=pta)
            ptas.setdefault(cohort, []).append(pta)
    made = _results(ctx, school)
    _concept_and_change(ctx, school, sy, secretary, ptas)
    outcomes = ModuleResult.objects.filter(student__school=school)
    ctx.say(f"  Toetsing {school.name}: {Pta.objects.filter(school=school).count()} PTA's met "
            f"{PtaItem.objects.filter(pta__school=school).count()} onderdelen, "
            f"{Result.objects.filter(student__school=school).count()} resultaten ({made['resits']} herkansingen, "
            f"{made['insufficient']} onvoldoendes, {made['waiting']} nog in te leveren of te herkansen), "
            f"{KernObservation.objects.filter(student__school=school).count()} kernobservaties; moduleresultaten: "
            f"{outcomes.filter(outcome='PASSED').count()} behaald, {outcomes.filter(outcome='FAILED').count()} "
            f"niet behaald, {outcomes.filter(outcome='INCOMPLETE').count()} nog niet compleet; "
            f"{AssessorAssignment.objects.filter(student__school=school).count()} toewijzingen aan beoordelaars")


def _taken(school, cohort, leerwegen) -> dict[str, tuple[list[int], int]]:
    """The modules the cohort's students of these leerwegen have in their programme (planned ones for later
    years too: the PTA covers leerjaar 2-4): module code -> (the versions they take, the school year most
    of them take it in)."""
    versions: dict[str, set[int]] = defaultdict(set)
    years: dict[str, list[int]] = defaultdict(list)
    for code, version_id, year in ProgrammeItem.objects.filter(
            programme__student__school=school, programme__student__cohort=cohort,
            programme__student__leerweg__in=leerwegen).values_list("module_version__module__code",
                                                                    "module_version_id", "school_year"):
        versions[code].add(version_id)
        years[code].append(year)
    return {code: (sorted(versions[code]), max(sorted(set(ys)), key=ys.count)) for code, ys in years.items()}


def _items(pta, by, taken, table, offerings, partners, objectives, *, written: bool) -> None:
    from maatwerk.catalog.models import ModuleVersion

    brin = pta.school.brin
    hotel = next((p for n, p in partners.items() if "hotel" in n.lower()), None)
    by_pk = ModuleVersion.objects.select_related("module").prefetch_related("objectives", "kern_objectives") \
        .in_bulk({pk for pks, _ in taken.values() for pk in pks})
    mp_versions = []
    for code, (pks, year) in sorted(taken.items()):
        linked = [by_pk[pk] for pk in pks]
        version = max(linked, key=lambda v: v.version)
        slot = table.get(code)
        period = slot.period if slot else 1
        halfway, end = deadlines(year, period)
        offering = offerings.get((year, code))
        partner = offering.partner if offering else None
        hotel_item = code in HOTEL_MODULES.get(brin, ()) and hotel is not None
        if hotel_item:
            partner = hotel
        assessor = partner if partner is not None and _assessor_of(partner) else None
        module_kern = list(version.kern_objectives.all())[:2]
        intro = version.module_type == "INTRODUCTORY"
        services.save_item(by=by, pta=pta, code=f"{code}.1", title=f"Praktijkopdracht {version.title[:1].lower()}"
                           f"{version.title[1:]}", form="practical", weight=1, period=period, deadline=halfway,
                           resit_allowed=True, max_attempts=2, assessed_by=AssessedBy.SCHOOL,
                           module_versions=linked)
        item = services.save_item(
            by=by, pta=pta, code=f"{code}.2",
            title=(f"Proeve in het hotel: {version.title}" if hotel_item else f"Proeve van Bekwaamheid: {version.title}"),
            form="proeve", weight=1 if intro else 2, period=period, deadline=end, resit_allowed=True, max_attempts=2,
            assessed_by=(AssessedBy.PARTNER if assessor else AssessedBy.BOTH if partner else AssessedBy.SCHOOL),
            partner=partner, module_versions=linked,
            kern_objectives=[o for o in [*module_kern, objectives["samenwerken"]] if o],
            description=(f"Bij {partner.name}: " if partner else "") +
                        "een opdracht van begin tot eind plannen, uitvoeren, opleveren en terugkijken.")
        _rubric(item, by, version, objectives)
        if written:
            services.save_item(by=by, pta=pta, code=f"{code}.3", title="Kennistoets", form="written", weight=1,
                               period=period, deadline=end - dt.timedelta(days=7), resit_allowed=True, max_attempts=2,
                               assessed_by=AssessedBy.SCHOOL, module_versions=linked,
                               description="Schriftelijke toets over de theorie van de module.")
        if HYGIENE.get(brin) == code:
            services.save_item(by=by, pta=pta, code=f"{code}.H", title="Hygiëne en voedselveiligheid (HACCP)",
                               form="practical", result_kind="qualification", weight=0, period=period,
                               deadline=halfway, resit_allowed=True, max_attempts=2, assessed_by=AssessedBy.SCHOOL,
                               module_versions=linked)
        mp = MEESTERPROEF.get(brin)
        if mp and code in mp[1]:
            mp_versions += [(v, year) for v in linked]
    mp = MEESTERPROEF.get(brin)
    if mp and mp_versions and hotel is not None:
        year = max(y for _, y in mp_versions)
        item = services.save_item(
            by=by, pta=pta, code=mp[0], title="Meesterproef: een evenement van ontvangst tot diner",
            form="meesterproef", weight=3, period=4, deadline=_day(year, *MEESTERPROEF_DAY), resit_allowed=True,
            max_attempts=2, assessed_by=AssessedBy.PARTNER, partner=hotel,
            module_versions=[v for v, _ in mp_versions], kern_objectives=[o for o in objectives.values() if o],
            description="De leerling organiseert met een klein team een evenement in het hotel: plannen, inkopen, "
                        "bereiden, ontvangen en afrekenen. Sluit de modulen "
                        + " en ".join(v.module.code for v, _ in mp_versions) + " samen af.")
        _rubric(item, by, mp_versions[0][0], objectives)


def _rubric(item, by, version, objectives) -> None:
    criteria = []
    for objective in list(version.objectives.all())[:2]:
        text = objective.text.removeprefix("De kandidaat kan ").rstrip(".")
        criteria.append({"text": f"Kan {text}"[:300], "module_objective": objective.pk, "levels": _levels()})
    if not criteria:
        criteria.append({"text": "Voert de opdracht vakkundig uit", "levels": _levels()})
    for key, text in (("plannen", "Plant de opdracht en volgt het plan"),
                      ("samenwerken", "Werkt samen en stemt af met collega's"),
                      ("communiceren", "Communiceert duidelijk met de klant of gast")):
        if objectives.get(key) is not None and len(criteria) < 4:
            criteria.append({"text": text, "kern_objective": objectives[key].pk, "levels": _levels()})
    services.set_rubric(by=by, item=item, criteria=criteria, grade_rule="cesuur", cesuur=Decimal("0.55"),
                        description="Per criterium een niveau; bij 55% van de punten een 5,5.")


def _levels() -> list[dict]:
    return [
        {"label": "onvoldoende", "points": 0, "descriptor": "Lukt nog niet, ook niet met hulp."},
        {"label": "voldoende", "points": 1, "descriptor": "Lukt met aanwijzingen van de begeleider."},
        {"label": "goed", "points": 2, "descriptor": "Lukt zelfstandig en zorgvuldig."},
        {"label": "uitstekend", "points": 3, "descriptor": "Lukt zelfstandig; kan uitleggen waarom zo en helpt anderen."},
    ]


# --- results -------------------------------------------------------------------------------------

class _Grader:
    """Makes results as the teacher or the partner's assessor would enter them, in memory, for one bulk insert."""

    def __init__(self, school, today: dt.date):
        self.today = today
        self.results: list[Result] = []
        self.observations: list[KernObservation] = []
        self.assignments: dict[tuple[int, int], set[int]] = defaultdict(set)  # (assessor, item) -> students
        self.rubrics = {}
        self.assessors = {}
        self.made = defaultdict(int)

    def assessor(self, item: PtaItem, teacher):
        if item.assessed_by != AssessedBy.PARTNER:
            return teacher
        if item.partner_id not in self.assessors:
            self.assessors[item.partner_id] = _assessor_of(item.partner)
        return self.assessors[item.partner_id] or teacher

    def rubric(self, item: PtaItem):
        if item.pk not in self.rubrics:
            rubric = getattr(item, "rubric", None)
            if rubric is not None:
                criteria = list(rubric.criteria.select_related("kern_objective").prefetch_related("levels"))
                rubric._prefetched_objects_cache = {"criteria": criteria}
            self.rubrics[item.pk] = rubric
        return self.rubrics[item.pk]

    def grade(self, rng, item: PtaItem, student, by, ok: bool, on: dt.date, *, attempt: int = 1,
              observe: bool = False) -> bool:
        """One result (attempt) for `student` on `item`; True when sufficient."""
        rubric = self.rubric(item)
        scores, grade, qualification = {}, None, ""
        if rubric is None:
            if item.result_kind == "qualification":
                qualification = rng.choice(["voldoende", "goed"]) if ok else "onvoldoende"
            else:
                grade = Decimal(f"{rng.uniform(5.6, 8.9) if ok else rng.uniform(2.8, 5.3):.1f}")
        else:
            criteria = list(rubric.criteria.all())
            for _ in range(20):
                chosen = {}
                for criterion in criteria:
                    levels = sorted(criterion.levels.all(), key=lambda lv: lv.points)
                    pool = levels[1:] if ok else [levels[0], levels[1], levels[1]]
                    chosen[str(criterion.pk)] = rng.choice(pool).pk
                score = services.rubric_score(rubric, chosen)
                if (score.grade >= Decimal("5.5")) == ok:
                    break
            grade = score.grade
            if item.result_kind == "qualification":
                grade, qualification = None, services.qualification_for(score.grade)
            scores = {"levels": score.levels, "points": score.points, "maximum": score.maximum,
                      "grade": services.format_grade(score.grade), "rule": rubric.grade_rule}
            if observe:
                for criterion in criteria:
                    if criterion.kern_objective_id is None:
                        continue
                    ordered = sorted(criterion.levels.all(), key=lambda lv: lv.points)
                    rank = next(i for i, lv in enumerate(ordered) if lv.pk == score.levels[str(criterion.pk)])
                    observation = KernObservation(
                        student=student, objective=criterion.kern_objective, item=item, observed_by=by,
                        observed_on=on, level=services.kern_level_for(rank, len(ordered)),
                        note=f"Beoordelingsmodel: {criterion.text}")
                    observation._history_user = by
                    observation._history_date = _moment(on)
                    self.observations.append(observation)
        result = Result(student=student, item=item, attempt=attempt, grade=grade, qualification=qualification,
                        assessor=by, assessed_on=on, comment=_comment(rng, grade, ok), rubric_scores=scores, version=1)
        result._history_user = by
        result._history_date = _moment(on)
        result._change_reason = "ingevoerd"
        self.results.append(result)
        if by is not None and item.assessed_by != AssessedBy.SCHOOL and item.partner_id is not None \
                and by.pk == getattr(self.assessors.get(item.partner_id), "pk", None):
            self.assignments[(by.pk, item.pk)].add(student.pk)
        if not ok:
            self.made["insufficient"] += 1
        if attempt > 1:
            self.made["resits"] += 1
        return ok


def _moment(day: dt.date) -> dt.datetime:
    return timezone.make_aware(dt.datetime.combine(day, dt.time(16, 30)))


def _results(ctx, school) -> dict:
    """Every item of every module in the programmes, up to today, following the programme item's status."""
    sy, today = ctx.school_year, timezone.localdate()
    grader = _Grader(school, today)
    items_by_pta: dict[int, dict[int, list[PtaItem]]] = defaultdict(lambda: defaultdict(list))
    for item in (PtaItem.objects.filter(pta__school=school).select_related("pta", "partner", "rubric")
                 .prefetch_related("module_versions").order_by("code")):
        for version in item.module_versions.all():
            items_by_pta[item.pta_id][version.pk].append(item)
    ptas = list(Pta.objects.filter(school=school).exclude(status="concept"))
    teacher_of: dict[tuple[int, int, int], User] = {}
    for group in TeachingGroup.objects.filter(school=school).select_related("offering", "teacher") \
            .prefetch_related("students"):
        for student in group.students.all():
            teacher_of[(student.pk, group.offering.school_year, group.offering.module_version_id)] = group.teacher
    fallback = _role_users(school, Role.TEACHER)
    students = (Student.objects.filter(school=school, programme__isnull=False).select_related("school")
                .order_by("student_number"))
    touched: dict[int, set[int]] = defaultdict(set)
    for student in students:
        pta = next((p for p in ptas if p.cohort == student.cohort and p.is_for(student.leerweg)), None)
        if pta is None:
            continue
        rng = random.Random(f"resultaten-{school.brin}-{student.student_number}")
        done: set[int] = set()
        for p_item in (ProgrammeItem.objects.filter(programme__student=student, school_year__lte=sy)
                       .exclude(status="planned").select_related("module_version__module")
                       .order_by("school_year", "module_version__module__code")):
            teacher = teacher_of.get((student.pk, p_item.school_year, p_item.module_version_id)) or fallback[0]
            items = [i for i in items_by_pta[pta.pk].get(p_item.module_version_id, []) if i.pk not in done]
            _grade_module(grader, rng, student, p_item, items, teacher, sy, today)
            done |= {i.pk for i in items}
            touched[student.pk] |= {i.pk for i in items}
    bulk_create_with_history(grader.results, Result, batch_size=500)
    bulk_create_with_history(grader.observations, KernObservation, batch_size=500)
    items = {i.pk: i for i in PtaItem.objects.filter(pta__school=school).select_related("pta")}
    for (assessor_id, item_id), student_ids in sorted(grader.assignments.items()):
        assessor = User.objects.get(pk=assessor_id)
        services.assign_assessor(by=_role_users(school, Role.EXAM_SECRETARY)[0], assessor=assessor,
                                 item=items[item_id], students=list(Student.objects.filter(pk__in=student_ids)))
    _assign_ahead(school, items_by_pta, ptas, grader)
    graded = defaultdict(set)
    for result in grader.results:
        graded[result.student_id].add(result.item_id)
    for student in Student.objects.filter(pk__in=graded).select_related("school").order_by("student_number"):
        services.recompute_outcomes(student=student, items=[items[i] for i in sorted(graded[student.pk])])
    return grader.made


def _grade_module(grader, rng, student, p_item, items, teacher, sy, today) -> None:
    """The results of one module of one student, as the programme says it went."""
    past = p_item.school_year < sy
    status = p_item.status
    observe = rng.random() < 0.5
    for item in items:
        due = item.deadline or today
        if due > today:
            continue  # not yet: the item's deadline is still to come
        by = grader.assessor(item, teacher)
        on = due - dt.timedelta(days=rng.randint(0, 4))
        resit_on = due + RESIT_AFTER
        is_proeve = item.form in ("proeve", "meesterproef")
        if status == "not_completed":
            # every part short, and the resit too: the module was not completed
            grader.grade(rng, item, student, by, False, on, observe=is_proeve and observe)
            if item.resit_allowed and resit_on <= today:
                grader.grade(rng, item, student, by, False, resit_on, attempt=2)
            continue
        if status == "enrolled" and past and is_proeve:
            grader.made["waiting"] += 1
            continue  # the alumnus who missed his final proeve
        if not past and rng.random() < 0.03:
            grader.made["waiting"] += 1
            continue  # not handed in yet
        ok = rng.random() > (0.1 if past else 0.16)
        grader.grade(rng, item, student, by, ok, on, observe=is_proeve and observe)
        if not ok and item.resit_allowed:
            if resit_on <= today:
                grader.grade(rng, item, student, by, True, resit_on, attempt=2)  # the resit was enough
            else:
                grader.made["waiting"] += 1


def _assign_ahead(school, items_by_pta, ptas, grader) -> None:
    """Partner-assessed items still to come: their students are already assigned to the partner's assessor."""
    secretary = _role_users(school, Role.EXAM_SECRETARY)[0]
    for pta in ptas:
        cohort = [s for s in Student.objects.filter(school=school, cohort=pta.cohort, left_on__isnull=True)
                  .order_by("student_number") if pta.is_for(s.leerweg)]
        for version_id, items in items_by_pta[pta.pk].items():
            takers = set(ProgrammeItem.objects.filter(programme__student__in=cohort, module_version_id=version_id)
                         .values_list("programme__student_id", flat=True))
            for item in items:
                if item.assessed_by != AssessedBy.PARTNER or not takers:
                    continue
                assessor = grader.assessors.get(item.partner_id) or _assessor_of(item.partner)
                if assessor is None:
                    continue
                have = set(AssessorAssignment.objects.filter(assessor=assessor, item=item)
                           .values_list("student_id", flat=True))
                todo = [s for s in cohort if s.pk in takers and s.pk not in have]
                if todo:
                    services.assign_assessor(by=secretary, assessor=assessor, item=item, students=todo)


def _concept_and_change(ctx, school, sy, secretary, ptas) -> None:
    """One reasoned change of a vastgesteld PTA (a proeve moved), and at Het Baken a concept PTA for the next
    cohort (today's leerjaar 1), for the schoolleider to adopt before 1 October."""
    today = timezone.localdate()
    current = (ptas.get(sy) or [None])[0]
    if current is not None:
        item = current.items.filter(form="proeve", deadline__gt=today).order_by("deadline", "code").first()
        if item is not None:
            services.save_item(by=secretary, pta=current, item=item, deadline=item.deadline + dt.timedelta(days=7),
                               period=item.period,
                               reason="Onvoorziene omstandigheid: de partner kon niet op de geplande dag; de proeve "
                                      "is een week later.")
    model = (ptas.get(sy + 1) or [None])[0]
    if school.is_vakschool or model is None:
        return
    concept = services.create_pta(by=secretary, school=school, cohort=sy + 2, exam_year=sy + 3,
                                  title=f"PTA cohort {sy + 2}-{sy + 3} {PTA_SETS[school.brin][0][0]}",
                                  leerwegen=model.leerwegen, regulation_id=model.regulation_id, resit_rules=RESIT_RULES)
    for item in model.items.prefetch_related("module_versions", "kern_objectives").order_by("deadline", "code")[:12]:
        services.save_item(by=secretary, pta=concept, code=item.code, title=item.title, form=item.form,
                           weight=item.weight, period=item.period, resit_allowed=item.resit_allowed,
                           deadline=item.deadline.replace(year=item.deadline.year + 1) if item.deadline else None,
                           max_attempts=item.max_attempts, assessed_by=item.assessed_by, partner=item.partner,
                           module_versions=list(item.module_versions.all()),
                           kern_objectives=list(item.kern_objectives.all()), description=item.description)
