"""Demo step 5: PTAs, rubrics, results, kern observations, module outcomes and usage reports.

Runs after the accounts, catalog, schools and students steps and uses what they made: each school's
offering and mixed teaching groups, and the students' programmes. Everything goes through the services
(save_item, set_rubric, adopt_pta, publish_pta, save_result, record_kern_observation), so the rules
engine computes every module outcome, the programme items follow and the menukaart's usage report counts
the completed module exams.

* Per school a PTA for each cohort in leerjaar 3 and 4, for the leerwegen with modules: Het Baken one
  for basis, kader and gemengd; the vakschool one for basis and kader and one for gemengd (GL adds a
  written test to each group module). The items close the modules the cohort's students take: a
  praktijkopdracht and a Proeve van Bekwaamheid with a rubric (module objectives and kern objectives)
  for the modules taught in a group, one proeve for the others. External assessment: the hotel
  (Hotel De Wijk; Grand Hotel Maasoever, with a meesterproef that closes two modules) and the care
  home (Zorgcentrum De Linde, assessed together with the school).
* Results: last school year's completed (and not completed) modules of leerjaar 4; this school year the
  groups of the periods that are over or running; some insufficient, some resits; the partners'
  assessors score the rubric; kern observations.
* A concept PTA for next year's cohort at Het Baken (for the schoolleider to adopt) and one change of a
  vastgesteld PTA with its reason in the history.

Idempotent: a school that already has PTAs (or results) is left alone.
"""

from __future__ import annotations

import datetime as dt
from collections import defaultdict
from decimal import Decimal

from django.db.models import Q
from django.utils import timezone

from maatwerk.accounts.models import Membership, Role, User
from maatwerk.catalog.models import ModuleVersion
from maatwerk.kern.models import KernObjective
from maatwerk.schools.models import Offering, Partner, School, SchoolPolicy, TeachingGroup
from maatwerk.students.models import ProgrammeItem, Student

from . import services
from .models import AssessedBy, AssessorAssignment, Pta, PtaItem, Result

#: school -> [(title suffix, leerwegen, adds a written test to group modules)]
PTA_SETS = {
    "21KR": [("basis, kader en gemengd", ["BB", "KB", "GL"], False)],
    "30PF": [("basis en kader", ["BB", "KB"], False), ("gemengd", ["GL"], True)],
}
#: modules a hotel assesses at Het Baken (facilitaire dienstverlening: catering, receptie)
HOTEL_MODULES = {"21KR": ("ZW-KV-09", "ZW-KV-10")}
#: the vakschool's meesterproef: two modules closed together, assessed by the hotel
MEESTERPROEF = {"30PF": ("HBR-MP", ("HBR-KV-04", "HBR-KV-06"))}
#: the vakschool's hygiene qualification (onvoldoende / voldoende / goed)
HYGIENE = {"30PF": "HBR-KV-03"}
RESIT_RULES = (
    "Elk onderdeel met 'herkansbaar' mag één keer worden herkanst; het hoogste cijfer telt (UB 3.16). Een "
    "herkansing vraag je binnen twee weken na de uitslag aan bij de examensecretaris. De herkansingen zijn in de "
    "laatste week van de periode.")
LEVELS = [("onvoldoende", 0), ("voldoende", 1), ("goed", 2), ("uitstekend", 3)]
#: comments by how it went: below 5,5 / up to 7 / from 7
COMMENTS = (
    ["Nog onzeker bij de uitvoering; oefen de stappen en vraag eerder om hulp.",
     "De planning ontbrak; bespreek met je docent hoe je de herkansing aanpakt.", ""],
    ["Werkt zelfstandig; let op de tijd.", "Voldoende; de afwerking kan netter.", ""],
    ["Goed voorbereid en netjes gewerkt.", "Mooi resultaat, de klant was tevreden.",
     "Vraagt op tijd om hulp en stemt goed af.", ""],
)


def _comment(rng, grade: Decimal | None, ok: bool) -> str:
    band = 0 if not ok else (2 if grade is not None and grade >= Decimal("7") else 1)
    return rng.choice(COMMENTS[band])


def _period_now(today: dt.date) -> int:
    return {8: 1, 9: 1, 10: 1, 11: 2, 12: 2, 1: 2, 2: 3, 3: 3, 4: 3, 5: 4, 6: 4, 7: 4}[today.month]


def _role_users(school, role) -> list[User]:
    return list(User.objects.filter(memberships__school=school, memberships__role=role).distinct().order_by("email"))


def _assessor_of(partner) -> User | None:
    if partner is None:
        return None
    m = Membership.objects.filter(role=Role.EXTERNAL_ASSESSOR, partner=partner).select_related("user").first()
    return m.user if m else None


def _kern(code_prefix: str) -> KernObjective | None:
    return KernObjective.objects.filter(code__startswith=code_prefix, area__framework__status="published") \
        .order_by("-area__framework__version", "code").first() or KernObjective.objects.filter(
            code__startswith=code_prefix).order_by("code").first()


def load(ctx) -> None:
    for brin in ("21KR", "30PF"):
        school = School.objects.filter(brin=brin).first()
        if school is None:
            continue
        if not TeachingGroup.objects.filter(school=school).exists():
            ctx.say(f"  Toetsing {school.name}: geen lesgroepen (stap scholen); geen PTA's gemaakt.")
            continue
        if Pta.objects.filter(school=school).exists():
            ctx.say(f"  Toetsing {school.name}: PTA's bestaan al; niets gewijzigd.")
            continue
        _school(ctx, school)


def _school(ctx, school) -> None:
    sy = ctx.school_year
    today = timezone.localdate()
    leader = _role_users(school, Role.SCHOOL_LEADER)[0]
    secretary = _role_users(school, Role.EXAM_SECRETARY)[0]
    teachers = _role_users(school, Role.TEACHER)
    policy = SchoolPolicy.objects.filter(school=school).first()
    regulation_id = policy.regulation_id if policy else "spv-modulair"
    groups = list(TeachingGroup.objects.filter(school=school, offering__school_year=sy)
                  .select_related("offering__module_version__module", "offering__partner", "teacher")
                  .order_by("period", "name"))
    group_modules = {g.offering.module_version.module_id: g for g in groups}
    partners = {p.name: p for p in Partner.objects.filter(school=school)}
    objectives = {"samenwerken": _kern("AV4.2"), "communiceren": _kern("AV1.1"), "plannen": _kern("PW.2"),
                  "kwaliteit": _kern("AV7.2")}

    ptas: dict[int, list[Pta]] = {}
    for cohort in (sy - 1, sy):
        for suffix, leerwegen, written in PTA_SETS[school.brin]:
            versions = _versions(school, cohort, leerwegen, [g.offering.module_version_id for g in groups])
            if not versions:
                continue
            pta = services.create_pta(by=secretary, school=school, cohort=cohort, exam_year=cohort + 1,
                                      title=f"PTA cohort {cohort}-{cohort + 1} {suffix}", leerwegen=leerwegen,
                                      regulation_id=regulation_id, resit_rules=RESIT_RULES)
            _items(pta, secretary, versions, group_modules, partners, objectives, written=written,
                   leerjaar4=cohort == sy - 1)
            # adopted in September of leerjaar 2: the modules (and their school exams) start there
            adopted_on = min(dt.date(cohort - 1, 9, 18), today)
            services.adopt_pta(by=leader, pta=pta, on=adopted_on)
            services.publish_pta(by=secretary, pta=pta)
            stamp = timezone.make_aware(dt.datetime.combine(adopted_on, dt.time(10, 0)))
            Pta.objects.filter(pk=pta.pk).update(adopted_at=stamp, published_at=stamp + dt.timedelta(days=3))
            ptas.setdefault(cohort, []).append(pta)

    made = defaultdict(int)
    _past_results(ctx, school, sy, teachers, made)
    _current_results(ctx, school, sy, groups, teachers, made, _period_now(today), today)
    _hotel_assignments(ctx, school, sy, secretary, made, today)
    _demo_student(ctx, school, sy, teachers, made, today)
    _concept_and_change(ctx, school, sy, secretary, ptas)
    items = PtaItem.objects.filter(pta__school=school).count()
    from .models import KernObservation, ModuleResult

    outcomes = ModuleResult.objects.filter(student__school=school)
    ctx.say(f"  Toetsing {school.name}: {Pta.objects.filter(school=school).count()} PTA's met {items} onderdelen, "
            f"{Result.objects.filter(student__school=school).count()} resultaten ({made['resits']} herkansingen, "
            f"{made['insufficient']} onvoldoendes), {KernObservation.objects.filter(student__school=school).count()} "
            f"kernobservaties; moduleresultaten: {outcomes.filter(outcome='PASSED').count()} behaald, "
            f"{outcomes.filter(outcome='FAILED').count()} niet behaald, "
            f"{outcomes.filter(outcome='INCOMPLETE').count()} nog niet compleet; "
            f"{AssessorAssignment.objects.filter(student__school=school).count()} toewijzingen aan beoordelaars")


def _versions(school, cohort, leerwegen, group_versions=()) -> list[ModuleVersion]:
    """The module versions the cohort's students take (enrolled or done), plus the group modules."""
    ids = set(ProgrammeItem.objects.filter(
        programme__student__school=school, programme__student__cohort=cohort,
        programme__student__leerweg__in=leerwegen, status__in=["enrolled", "completed", "not_completed"],
    ).values_list("module_version_id", flat=True)) | set(group_versions)
    return list(ModuleVersion.objects.filter(pk__in=ids).select_related("module").prefetch_related(
        "objectives", "kern_objectives").order_by("module__code"))


def _items(pta, by, versions, group_modules, partners, objectives, *, written: bool, leerjaar4: bool) -> None:
    brin = pta.school.brin
    offerings = {o.module_version.module_id: o for o in Offering.objects.filter(school=pta.school)
                 .select_related("partner", "module_version").order_by("school_year")}
    hotel = next((p for n, p in partners.items() if "hotel" in n.lower()), None)
    for version in versions:
        code = version.module.code
        offering = offerings.get(version.module_id)
        group = group_modules.get(version.module_id)
        module_kern = list(version.kern_objectives.all())[:2]
        if group is not None:
            period = group.period
            services.save_item(by=by, pta=pta, code=f"{code}.1", title=f"Praktijkopdracht {version.title.lower()}",
                               form="practical", weight=1, period=period, resit_allowed=True, max_attempts=2,
                               assessed_by=AssessedBy.SCHOOL, module_versions=[version])
            partner = offering.partner if offering else None
            assessor_partner = partner if partner and _assessor_of(partner) else None
            item = services.save_item(
                by=by, pta=pta, code=f"{code}.2", title=f"Proeve van Bekwaamheid: {version.title}", form="proeve",
                weight=2, period=period, resit_allowed=True, max_attempts=2,
                assessed_by=(AssessedBy.PARTNER if assessor_partner else AssessedBy.BOTH if partner
                             else AssessedBy.SCHOOL), partner=partner,
                module_versions=[version], kern_objectives=[o for o in [*module_kern, objectives["samenwerken"]] if o],
                description=("Op de werkplek van de partner: " if partner else "") +
                            "een opdracht van begin tot eind plannen, uitvoeren, opleveren en terugkijken.")
            _rubric(item, by, version, objectives)
            if written:
                services.save_item(by=by, pta=pta, code=f"{code}.3", title="Kennistoets", form="written", weight=1,
                                   period=period, resit_allowed=True, max_attempts=2, assessed_by=AssessedBy.SCHOOL,
                                   module_versions=[version],
                                   description="Schriftelijke toets over de theorie van de module (gemengde leerweg).")
        else:
            hotel_item = code in HOTEL_MODULES.get(brin, ()) and hotel is not None
            partner = hotel if hotel_item else (offering.partner if offering else None)
            item = services.save_item(
                by=by, pta=pta, code=f"{code}.1", title=(f"Proeve in het hotel: {version.title}" if hotel_item
                                                         else f"Proeve van Bekwaamheid: {version.title}"),
                form="proeve", weight=1, resit_allowed=True, max_attempts=2,
                assessed_by=(AssessedBy.PARTNER if hotel_item else AssessedBy.BOTH if partner else AssessedBy.SCHOOL),
                partner=partner, module_versions=[version],
                kern_objectives=[o for o in [*module_kern, objectives["communiceren"]] if o] if hotel_item else [])
            if hotel_item:
                _rubric(item, by, version, objectives)
        if HYGIENE.get(brin) == code:
            services.save_item(by=by, pta=pta, code=f"{code}.H", title="Hygiëne en voedselveiligheid (HACCP)",
                               form="practical", result_kind="qualification", weight=0, resit_allowed=True,
                               max_attempts=2, assessed_by=AssessedBy.SCHOOL, module_versions=[version])
    mp = MEESTERPROEF.get(brin)
    if mp and leerjaar4:
        code, modules = mp
        closes = [v for v in versions if v.module.code in modules]
        if closes and hotel is not None:
            item = services.save_item(
                by=by, pta=pta, code=code, title="Meesterproef: een evenement van ontvangst tot diner", form="meesterproef",
                weight=3, period=4, resit_allowed=True, max_attempts=2, assessed_by=AssessedBy.PARTNER, partner=hotel,
                module_versions=closes, kern_objectives=[o for o in objectives.values() if o],
                description="De leerling organiseert met een klein team een evenement in het hotel: plannen, "
                            "inkopen, bereiden, ontvangen en afrekenen. Sluit de modulen " +
                            " en ".join(v.module.code for v in closes) + " samen af.")
            _rubric(item, by, closes[0], objectives)


def _rubric(item, by, version, objectives) -> None:
    criteria = []
    for objective in list(version.objectives.all())[:2]:
        text = objective.text.removeprefix("De kandidaat kan ").rstrip(".")
        criteria.append({"text": f"Kan {text}", "module_objective": objective.pk, "levels": _levels()})
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


def _pta_items_of(student, module_id) -> list[PtaItem]:
    return list(PtaItem.objects.filter(
        pta__school_id=student.school_id, pta__cohort=student.cohort, pta__status__in=["adopted", "published"],
        module_versions__module_id=module_id, **{f"pta__for_{student.leerweg.lower()}": True},
    ).select_related("pta", "partner", "rubric").distinct().order_by("code"))


def _grade(rng, ok: bool) -> str:
    value = rng.uniform(5.6, 8.9) if ok else rng.uniform(2.8, 5.3)
    return f"{value:.1f}".replace(".", ",")


def _save(item, student, value, by, *, attempt=1, on=None, comment="") -> Result:
    version = Result.objects.filter(student=student, item=item, attempt=attempt).values_list("version", flat=True)
    return services.save_result(by=by, student=student, item=item, value=value, attempt=attempt,
                                version=version.first() or 0, comment=comment, assessed_on=on,
                                reason="demo")


def _entered_by(item, teacher):
    assessor = _assessor_of(item.partner) if item.assessed_by == AssessedBy.PARTNER else None
    return assessor or teacher


def _assign(item, student, assessor, by) -> None:
    if assessor is not None and item.assessed_by != AssessedBy.SCHOOL:
        services.assign_assessor(by=by, assessor=assessor, item=item, students=[student])


def _score(item, student, by, rng, ok: bool, *, attempt=1, on=None, observe=True):
    """A result: by rubric when the item has one (the level per criterion chosen to land on ok/not ok)."""
    rubric = getattr(item, "rubric", None)
    if rubric is None:
        value = _grade(rng, ok) if item.result_kind == "grade" else (
            rng.choice(["voldoende", "goed"]) if ok else "onvoldoende")
        grade = Decimal(value.replace(",", ".")) if item.result_kind == "grade" else None
        return _save(item, student, value, by, attempt=attempt, on=on, comment=_comment(rng, grade, ok))
    criteria = list(rubric.criteria.prefetch_related("levels"))
    for _ in range(20):
        chosen = {}
        for criterion in criteria:
            levels = list(criterion.levels.all())
            pool = levels[1:] if ok else [levels[0], levels[1], levels[1]]
            chosen[str(criterion.pk)] = rng.choice(pool).pk
        score = services.rubric_score(rubric, chosen)
        if (score.grade >= Decimal("5.5")) == ok:
            break
    scores = {"levels": score.levels, "points": score.points, "maximum": score.maximum,
              "grade": services.format_grade(score.grade), "rule": rubric.grade_rule}
    version = Result.objects.filter(student=student, item=item, attempt=attempt).values_list("version", flat=True)
    result = services.save_result(by=by, student=student, item=item, value=services.format_grade(score.grade),
                                  attempt=attempt, version=version.first() or 0,
                                  comment=_comment(rng, score.grade, ok),
                                  rubric_scores=scores, assessed_on=on, reason="demo")
    if observe:
        services.observe_kern_from_rubric(by=by, student=student, item=item, levels=score.levels, observed_on=on)
    return result


def _past_results(ctx, school, sy, teachers, made) -> None:
    """Last school year's completed and not completed modules of today's leerjaar 3 and 4."""
    rng = ctx.rng
    done = (ProgrammeItem.objects.filter(programme__student__school=school,
                                         programme__student__cohort__in=[sy - 1, sy],
                                         school_year=sy - 1, status__in=["completed", "not_completed"])
            .select_related("programme__student", "module_version").order_by("programme__student__student_number",
                                                                               "module_version__module__code"))
    for n, p_item in enumerate(done):
        student = p_item.programme.student
        ok = p_item.status == "completed"
        teacher = teachers[n % len(teachers)]
        on = dt.date(sy, rng.choice([3, 4, 5, 6]), rng.randint(2, 27))
        for item in _pta_items_of(student, p_item.module_version.module_id):
            by = _entered_by(item, teacher)
            _assign(item, student, by if by is not teacher else None, teacher)
            _score(item, student, by, rng, ok, on=on, observe=rng.random() < 0.3)
            if not ok:  # every part short: the module was not completed
                made["insufficient"] += 1
                if item.resit_allowed and rng.random() < 0.6:  # a resit that still falls short
                    _score(item, student, by, rng, False, attempt=2, on=on + dt.timedelta(days=21), observe=False)
                    made["resits"] += 1


def _current_results(ctx, school, sy, groups, teachers, made, period_now: int, today: dt.date) -> None:
    """This school year's groups: periods that are over get all items; the running period the first."""
    rng = ctx.rng
    for group in groups:
        teacher = group.teacher or teachers[0]
        if group.period is None or group.period > period_now:
            _assign_ahead(school, group, teacher, sy)
            continue
        over = group.period < period_now
        start = today - dt.timedelta(days=40 if over else 12)
        module_id = group.offering.module_version.module_id
        # in the group but with the module in another school year of the programme: not graded here
        elsewhere = set(ProgrammeItem.objects.filter(programme__student__in=group.students.all(),
                                                     module_version__module_id=module_id)
                        .exclude(school_year=sy).values_list("programme__student_id", flat=True))
        for student in group.students.order_by("student_number"):
            if student.cohort not in (sy - 1, sy) or student.pk in elsewhere:
                continue
            items = [i for i in _pta_items_of(student, module_id)
                     if i.code != MEESTERPROEF.get(school.brin, ("",))[0]]
            for item in items:
                first = item.code.endswith(".1")
                if not over and not first:
                    continue
                by = _entered_by(item, teacher)
                _assign(item, student, by if by is not teacher else None, teacher)
                if rng.random() < (0.08 if over else 0.2):
                    continue  # not handed in yet
                ok = rng.random() > 0.16
                on = start + dt.timedelta(days=rng.randint(0, 6))
                _score(item, student, by, rng, ok, on=on, observe=not first and rng.random() < 0.5)
                if not ok:
                    made["insufficient"] += 1
                    if over and item.resit_allowed and rng.random() < 0.7:
                        _score(item, student, by, rng, rng.random() < 0.75, attempt=2,
                               on=min(on + dt.timedelta(days=14), today), observe=False)
                        made["resits"] += 1


def _assign_ahead(school, group, teacher, sy) -> None:
    """A group of a later period: its students are already assigned to the partner's assessor."""
    for student in group.students.filter(cohort__in=[sy - 1, sy]).order_by("student_number"):
        for item in _pta_items_of(student, group.offering.module_version.module_id):
            assessor = _assessor_of(item.partner) if item.assessed_by == AssessedBy.PARTNER else None
            if assessor is not None:
                _assign(item, student, assessor, teacher)


def _hotel_assignments(ctx, school, sy, by, made, today) -> None:
    """Students taking a module the hotel assesses: assigned to the hotel's assessor, half of them scored."""
    rng = ctx.rng
    for code in HOTEL_MODULES.get(school.brin, ()):
        students = Student.objects.filter(programme__items__module_version__module__code=code,
                                          programme__items__status="enrolled", school=school,
                                          cohort__in=[sy - 1, sy]).distinct().order_by("student_number")
        for n, student in enumerate(students):
            for item in _pta_items_of(student, _module_id(code)):
                assessor = _assessor_of(item.partner)
                if assessor is None or item.assessed_by == AssessedBy.SCHOOL:
                    continue
                _assign(item, student, assessor, by)
                if n % 2 == 0:
                    _score(item, student, assessor, rng, rng.random() > 0.15, on=today - dt.timedelta(days=9))


def _demo_student(ctx, school, sy, teachers, made, today) -> None:
    """The documented demo leerling (leerling@<school>.demo) has results in the modules she takes now:
    the first part of three of them, one insufficient and resat."""
    membership = Membership.objects.filter(role=Role.STUDENT, school=school, user__email__startswith="leerling@") \
        .select_related("student").first()
    if membership is None or membership.student is None:
        return
    student = membership.student
    # this year's modules (her programme may still be a concept: planned); only the first part of a module
    # with several parts, so that nothing is completed ahead of the programme
    current = ProgrammeItem.objects.filter(programme__student=student, school_year=sy,
                                           status__in=["enrolled", "planned"]) \
        .select_related("module_version").order_by("-status", "module_version__module__code")
    graded = 0
    for p_item in current:
        parts = _pta_items_of(student, p_item.module_version.module_id)
        items = [i for i in parts if i.code.endswith(".1")]
        if len(parts) < 2 or not items or Result.objects.filter(student=student, item=items[0]).exists():
            continue
        item, teacher = items[0], teachers[graded % len(teachers)]
        by = _entered_by(item, teacher)
        _assign(item, student, by if by is not teacher else None, teacher)
        on = today - dt.timedelta(days=30 - 7 * graded)
        ok = graded != 1
        _score(item, student, by, ctx.rng, ok, on=on)
        if not ok:
            made["insufficient"] += 1
            if item.resit_allowed:
                _score(item, student, by, ctx.rng, True, attempt=2, on=min(on + dt.timedelta(days=10), today),
                       observe=False)
                made["resits"] += 1
        graded += 1
        if graded == 3:
            break


def _module_id(code: str) -> int | None:
    from maatwerk.catalog.models import Module

    return Module.objects.filter(code=code).values_list("pk", flat=True).first()


def _concept_and_change(ctx, school, sy, secretary, ptas) -> None:
    """A concept PTA for next year's cohort, and one reasoned change of a vastgesteld PTA."""
    current = (ptas.get(sy) or [None])[0]
    if current is not None:
        item = current.items.filter(result_kind="grade", period__isnull=False).order_by("-period", "code").first()
        if item is not None:
            services.save_item(by=secretary, pta=current, item=item,
                               deadline=dt.date(sy + 1, 6, 12), period=item.period,
                               reason="Onvoorziene omstandigheid: de partner kon niet op de geplande dag; de proeve "
                                      "is verplaatst.")
    if school.is_vakschool or current is None:
        return
    concept = services.create_pta(by=secretary, school=school, cohort=sy + 1, exam_year=sy + 2,
                                  title=f"PTA cohort {sy + 1}-{sy + 2} basis, kader en gemengd",
                                  leerwegen=current.leerwegen, regulation_id=current.regulation_id,
                                  resit_rules=RESIT_RULES)
    for item in current.items.filter(Q(code__endswith=".1") | Q(code__endswith=".2")).prefetch_related(
            "module_versions", "kern_objectives").order_by("code")[:8]:
        services.save_item(by=secretary, pta=concept, code=item.code, title=item.title, form=item.form,
                           weight=item.weight, period=item.period, resit_allowed=item.resit_allowed,
                           max_attempts=item.max_attempts, assessed_by=item.assessed_by, partner=item.partner,
                           module_versions=list(item.module_versions.all()),
                           kern_objectives=list(item.kern_objectives.all()), description=item.description)

