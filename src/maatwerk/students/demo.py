"""Demo step 4: programmes, LOB conversations and loopbaandossiers of the demo students.

Runs after the accounts, catalog and schools steps and uses what they made: the catalog's published
modules and each school's offering and packages. Every programme is built through the services
(start from a package, add from the offering, propose, approve after a recorded conversation), so
the rules engine decides what is allowed and the demo shows real findings. Where the school has no
offering yet, the programmes stay empty concepts and the step says so.

* every student has LOB conversations from leerjaar 1 on and a loopbaandossier with activities
  (some of them not yet complete: the dossier shows which part is missing);
* every student in leerjaar 2-4 has a programme: approved, proposed or concept, with completed
  modules in earlier school years where the student is past them;
* the documented demo leerling (leerling@hetbaken.demo, GL, leerjaar 3) is the seed's example:
  kennismakende modules in zorg en welzijn, a snuffelstage in a care home, a conversation where she
  concludes that care is not for her, and then verdiepende modules in economie en ondernemen
  (revision 2 of her programme, with that reason).

Idempotent: a student who already has a programme or conversations is left alone.
"""

from __future__ import annotations

import contextlib
import datetime as dt
from collections import defaultdict

from django.utils import timezone

from maatwerk.accounts.models import Membership, Role

#: profiel -> (sector in words, what a student of it likes)
SECTORS = {
    "ZW": ("zorg en welzijn", "mensen helpen en verzorgen"),
    "EO": ("economie en ondernemen", "klanten helpen en iets verkopen"),
    "HBR": ("horeca en bakkerij", "koken, bakken en gasten ontvangen"),
    "BWI": ("bouwen, wonen en interieur", "met hout en gereedschap werken"),
    "PIE": ("produceren, installeren en energie", "dingen maken en installeren"),
    "MVI": ("media, vormgeving en ICT", "ontwerpen en met computers werken"),
    "Groen": ("groen", "buiten werken met planten en dieren"),
    "MT": ("mobiliteit en transport", "aan auto's en motoren sleutelen"),
    "MaT": ("maritiem en techniek", "werken op en aan het water"),
    "DP": ("dienstverlening en producten", "iets organiseren voor anderen"),
}
GENERIC = ("een beroep", "ontdekken wat bij mij past")

#: kind -> (competencies, title, goals, results, evaluation, follow_up); {sector} {likes} {place}
ACTIVITY_TEXTS = {
    "guest_lesson": (("motives", "work_exploration"), "Gastles over werken in {sector}",
                     "Horen wat je in {sector} doet en of dat bij mij past.",
                     "Een gastspreker vertelde over een werkdag. Ik heb drie vragen gesteld.",
                     "Ik merkte dat ik het leuk vind om {likes}. Ik wil er meer van zien.",
                     "Een bedrijfsbezoek in {sector} plannen."),
    "company_visit": (("work_exploration", "networking"), "Bedrijfsbezoek bij {place}",
                      "Zien hoe het er op een echte werkplek aan toegaat.",
                      "Rondleiding gekregen en een medewerker geïnterviewd over haar werk.",
                      "Het werk is drukker dan ik dacht, maar de sfeer was goed.",
                      "Vragen of ik een dag mag meelopen."),
    "snuffelstage": (("work_exploration", "qualities"), "Snuffelstage bij {place}",
                     "Een dag meedoen en ontdekken of ik het werk leuk vind.",
                     "Ik heb een dag meegewerkt en mocht zelf een paar taken doen.",
                     "Ik kan goed samenwerken en doorpakken. Dit werk past bij mij.",
                     "Met mijn mentor bespreken welke modulen ik hierna kies."),
    "mbo_open_day": (("career_steering", "work_exploration"), "Open dag van het mbo",
                     "Kijken welke opleiding in {sector} bij mij past en wat je ervoor nodig hebt.",
                     "Twee opleidingen bekeken en met studenten gepraat.",
                     "Niveau 2 of 3 past bij mij; ik wil een opleiding met veel praktijk.",
                     "Me aanmelden voor een meeloopdag op het mbo."),
    "internship": (("qualities", "work_exploration", "networking"), "Stage bij {place}",
                   "Een week meewerken en laten zien wat ik kan.",
                   "Ik werkte een week mee en kreeg een beoordeling van mijn begeleider.",
                   "Mijn begeleider vond dat ik zelfstandig werk. Op tijd komen moet beter.",
                   "Vragen of ik in de zomer kan blijven werken."),
    "module": (("qualities",), "Praktijkopdracht in de module",
               "Laten zien dat ik de opdracht zelfstandig kan uitvoeren.",
               "Opdracht afgerond en gepresenteerd aan de klas.",
               "Plannen ging goed, presenteren vind ik nog spannend.",
               "Bij de volgende opdracht oefenen met presenteren."),
}
PLAN = {1: ["guest_lesson"], 2: ["company_visit", "snuffelstage"], 3: ["module", "mbo_open_day"],
        4: ["internship", "mbo_open_day"]}
REFLECTIONS = {
    "qualities": "Ik ben goed in samenwerken en ik geef niet snel op. Dat zei mijn begeleider ook.",
    "motives": "Ik vind het belangrijk dat ik iets voor anderen doe en dat ik kan laten zien wat ik maak.",
    "work_exploration": "Ik voel me het meest op mijn plek in een team waar ik met mijn handen bezig ben.",
    "career_steering": "Ik kies modulen die passen bij de opleiding die ik op het mbo wil doen.",
    "networking": "Mijn oom werkt in deze sector; hij kan me helpen aan een stageplek.",
}


def _date(year: int, month: int, day: int) -> dt.date:
    today = timezone.localdate()
    return min(dt.date(year, month, day), today - dt.timedelta(days=3))


def _year_of(student, level: int) -> int:
    return student.cohort + level - 3


def load(ctx) -> None:
    from maatwerk.schools.models import School
    from maatwerk.students.selectors import cached_school_inputs

    for school in School.objects.order_by("brin"):
        with cached_school_inputs():  # the offering does not change while the programmes are made
            _school(ctx, school)


def _users(school) -> tuple[dict[int, object], list, object | None]:
    students, mentors, counsellor = {}, [], None
    for m in Membership.objects.filter(school=school, role__in=[Role.STUDENT, Role.MENTOR, Role.COUNSELLOR]) \
            .select_related("user"):
        if m.role == Role.STUDENT:
            students[m.student_id] = m.user
        elif m.role == Role.MENTOR:
            mentors.append(m.user)
        else:
            counsellor = m.user
    return students, mentors, counsellor


def _school(ctx, school) -> None:
    from maatwerk.schools.models import Offering, Package, Partner
    from maatwerk.students.models import CareerConversation, Programme, Student

    students = list(Student.objects.filter(school=school).select_related("school", "profiel", "mentor")
                    .order_by("student_number"))
    if not students:
        return
    users, mentors, counsellor = _users(school)
    has_programme = set(Programme.objects.filter(student__school=school).values_list("student_id", flat=True))
    has_lob = set(CareerConversation.objects.filter(student__school=school).values_list("student_id", flat=True))
    offerings = list(Offering.objects.filter(school=school).exclude(module_version__status="concept")
                     .select_related("module_version__module").prefetch_related("module_version__profielen"))
    packages = list(Package.objects.filter(school=school).prefetch_related("package_modules__module"))
    partners = list(Partner.objects.filter(school=school).order_by("name"))
    story = next((s for s in students if users.get(s.pk) is not None
                  and users[s.pk].email.startswith("leerling@")), None)
    made = defaultdict(int)
    for student in students:
        by = student.mentor or (mentors[0] if mentors else counsellor)
        if by is None:
            continue
        is_story = student is story and school.brin == "21KR"
        target = None
        if student.pk not in has_programme and 2 <= student.year_level <= 4:
            if is_story:
                _story_programme(ctx, student, users.get(student.pk), by, offerings, made)
            else:
                target = _programme(ctx, student, by, offerings, packages, made)
        if student.pk not in has_lob:
            if is_story:
                _story_lob(ctx, student, by, counsellor, partners, made)
            else:
                _lob(ctx, student, by, partners, made)
        if target is not None:
            _settle(ctx, student, users.get(student.pk), by, target, made)
    if not offerings:
        ctx.say(f"  {school.name}: geen aanbod van de school gevonden (demo-stap scholen ontbreekt?): "
                f"programma's blijven lege concepten")
    if not made["programmes"] and not made["conversations"]:
        ctx.say(f"  {school.name}: programma's en loopbaandossiers waren er al")
        return
    ctx.say(f"  {school.name}: {made['programmes']} programma's ({made['approved']} goedgekeurd, "
            f"{made['proposed']} voorgesteld, {made['concept']} concept), {made['conversations']} "
            f"loopbaangesprekken, {made['activities']} LOB-activiteiten")
    if made["blocked"]:
        why = ", ".join(f"{code} {n}×" for code, n in sorted(made["why"].items(), key=lambda kv: -kv[1]))
        ctx.say(f"    {made['blocked']} programma's blijven concept: de controle vindt fouten ({why}); het aanbod "
                f"heeft te weinig (kennismakende) modulen voor {', '.join(sorted(made['where']))}")


# --- programmes ----------------------------------------------------------------------------------

def _profielen(offering) -> set[str]:
    return {p.code for p in offering.module_version.profielen.all()}


def _usable(student, offerings, years=None) -> list:
    from maatwerk.students import selectors

    years = set(years or selectors.choosable_years(student))
    return [o for o in offerings if o.school_year in years and o.is_for(student.leerweg)
            and o.module_version.module_type != "ORIENTING"]


def _complete(student, by, offerings, rng, *, prefer: set[str] | None = None, want_first: str | None = None,
              steps: int = 16) -> None:
    """Let the engine guide the planning, as a mentor would: take out a planned module the engine objects
    to (year too full, verdiepend before kennismakend), add from the offering what a requirement still
    misses, in the first year that has room, until the engine is content or nothing fits."""
    from maatwerk.students import selectors, services

    programme = selectors.programme_of(student)
    limit, intro_first = selectors.year_limits(student, programme.regulation_id)
    tried: set[int] = set()
    for _ in range(steps):
        programme = selectors.programme_of(student)
        evaluation = selectors.evaluate_programme(programme)
        items = list(programme.items.all())
        planned = [i for i in items if i.status == "planned"]
        errors = {f.code: f for f in evaluation.errors}
        if "PROGRAMME_INTRODUCTORY_FIRST" in errors:
            victim = next((i for i in planned if i.module_version.module.code
                           == errors["PROGRAMME_INTRODUCTORY_FIRST"].subject), None)
            if victim is not None:
                services.remove_item(item=victim, by=by)
                continue
        if "PROGRAMME_YEAR_UNITS_EXCEEDED" in errors:
            year = int(errors["PROGRAMME_YEAR_UNITS_EXCEEDED"].subject)
            victim = next((i for i in reversed(planned) if i.school_year == year), None)
            if victim is not None:
                services.remove_item(item=victim, by=by)
                continue
        reqs = {r.key: r for r in evaluation.requirements}
        if not any(r.missing for r in reqs.values()):
            return
        want = want_first or "DEEPENING"
        if reqs.get("introductory") is not None and reqs["introductory"].missing:
            want = "INTRODUCTORY"
        elif reqs.get("deepening") is not None and reqs["deepening"].missing:
            want = "DEEPENING"
        load: dict[int, int] = defaultdict(int)
        for i in items:
            if i.status != "not_completed":
                load[i.school_year] += i.module_version.units
        intro_years = [i.school_year for i in items if i.module_version.module_type == "INTRODUCTORY"
                       and i.status != "not_completed"]
        first_intro = min(intro_years) if intro_years else None
        taken = {i.module_version.module.code for i in items if i.status != "not_completed"}

        def allowed(o, want=want, load=load, first_intro=first_intro, taken=taken):
            if o.pk in tried or o.module_version.module.code in taken or o.module_version.module_type != want:
                return False
            if limit is not None and load[o.school_year] + o.module_version.units > limit:
                return False
            return not (want == "DEEPENING" and intro_first and (first_intro is None or o.school_year < first_intro))

        candidates = [o for o in _usable(student, offerings) if allowed(o)]
        if not candidates:
            return
        candidates.sort(key=lambda o: (not (prefer and _profielen(o) & prefer), load[o.school_year], o.school_year,
                                       rng.random()))
        offering = candidates[0]
        tried.add(offering.pk)
        with contextlib.suppress(services.ProgrammeError):
            services.add_module(programme=programme, offering=offering, by=by)


def _past(student, programme, by, offerings, rng, *, prefer: set[str] | None, made) -> None:
    """A student past leerjaar 3 completed modules in earlier years: record a few, from the catalog
    modules the school offers (in that year if it did, else now)."""
    from maatwerk.students import selectors, services

    now = selectors.current_school_year(student)
    pasts = list(range(student.cohort, now))  # upper years already done
    if not pasts:
        return
    seen: set[str] = {i.module_version.module.code for i in programme.items.all()}
    for year in pasts:
        pool = [o for o in offerings if o.is_for(student.leerweg) and o.module_version.module_type != "ORIENTING"
                and o.module_version.module.code not in seen]
        pool.sort(key=lambda o: (o.module_version.module_type != "INTRODUCTORY",
                                 not (prefer and _profielen(o) & prefer), o.school_year != year, rng.random()))
        for offering in pool[:3]:
            status = "not_completed" if rng.random() < 0.08 else "completed"
            try:
                services.record_past_item(programme=programme, module_version=offering.module_version,
                                          school_year=year, by=by, status=status)
            except services.ProgrammeError:
                continue
            seen.add(offering.module_version.module.code)


def _programme(ctx, student, by, offerings, packages, made) -> str | None:
    """Build the programme's items; returns the state it should reach (settled after the LOB step)."""
    from maatwerk.students import services

    rng = ctx.rng
    usable = _usable(student, offerings)
    package = None
    if packages and usable:
        codes = {o.module_version.module.code for o in usable}
        fitting = [p for p in packages if any(pm.module.code in codes for pm in p.package_modules.all())]
        if fitting and rng.random() < 0.75:
            package = rng.choice(fitting)
    result = services.start_programme(student=student, by=by, package=package)
    programme = result.programme
    made["programmes"] += 1
    if not offerings:
        made["concept"] += 1
        return None
    prefer = set()
    for item in result.added:
        prefer |= {p.code for p in item.module_version.profielen.all()}
    if not prefer:
        prefer = set(rng.choice([sorted(_profielen(o)) for o in usable] or [[]]) or [])
    _past(student, programme, by, offerings, rng, prefer=prefer, made=made)
    _complete(student, by, offerings, rng, prefer=prefer)
    _enrol_current(student, by)
    weights = {2: (0.2, 0.35), 3: (0.55, 0.25), 4: (0.8, 0.1)}[student.year_level]
    roll = rng.random()
    return "approved" if roll < weights[0] else "proposed" if roll < weights[0] + weights[1] else "concept"


def _enrol_current(student, by) -> None:
    """Modules of the current school year are being followed (enrolled)."""
    from maatwerk.students import selectors, services

    programme = selectors.programme_of(student)
    now = selectors.current_school_year(student)
    for item in programme.items.all():
        if item.school_year == now and item.status == "planned":
            services.record_item_status(item=item, status="enrolled", by=by)


def _settle(ctx, student, student_user, by, target: str, made, *, conversation=None,
            comment: str = "Besproken in het loopbaangesprek.") -> None:
    """Propose (and approve) as far as the engine allows."""
    from maatwerk.students import selectors, services
    from maatwerk.students.models import CareerConversation

    programme = selectors.programme_of(student)
    if target == "concept":
        made["concept"] += 1
        return
    try:
        programme = services.propose_programme(programme=programme, by=student_user or by)
    except services.ProgrammeError as exc:
        made["blocked"] += 1
        made["concept"] += 1
        made.setdefault("why", defaultdict(int))
        for code in {f.code for f in exc.findings} or {"geen modulen"}:
            made["why"][code] += 1
        made.setdefault("where", set()).add(student.leerweg)
        return
    if target == "proposed":
        made["proposed"] += 1
        return
    if conversation is None:
        conversation = CareerConversation.objects.filter(student=student).order_by("-date").first()
        if conversation is None:
            conversation = services.record_conversation(
                student=student, by=by, data={"date": _date(selectors.current_school_year(student), 10, 8),
                                              "participants": "leerling, mentor",
                                              "agreements": "Het programma is besproken en klopt.",
                                              "programme_decisions": "Programma goedgekeurd."},
                reflections={"career_steering": REFLECTIONS["career_steering"]})
    try:
        services.approve_programme(programme=programme, by=by, conversation=conversation, comment=comment)
    except services.ProgrammeError:
        made["proposed"] += 1
        return
    made["approved"] += 1


# --- LOB -----------------------------------------------------------------------------------------

def _sector_of(student) -> str | None:
    from maatwerk.students.models import ProgrammeItem

    codes = list(ProgrammeItem.objects.filter(programme__student=student)
                 .values_list("module_version__profielen__code", flat=True))
    codes = [c for c in codes if c]
    if codes:
        return max(set(codes), key=codes.count)
    return student.profiel.code if student.profiel_id else None


def _partner(partners, rng, kind: str):
    companies = [p for p in partners if p.kind == "company"] or partners
    colleges = [p for p in partners if p.kind == "mbo_college"]
    if kind == "mbo_open_day" and colleges:
        return colleges[0]
    if kind in ("company_visit", "snuffelstage", "internship") and companies:
        return rng.choice(companies)
    return None


def _lob(ctx, student, mentor, partners, made) -> None:
    from maatwerk.students.models import CareerActivity, CareerConversation, ConversationReflection, Programme

    rng = ctx.rng
    sector_code = _sector_of(student)
    sector, likes = SECTORS.get(sector_code, GENERIC)
    programme = Programme.objects.filter(student=student).prefetch_related("items__module_version__module").first()
    modules = [i.module_version.module for i in programme.items.all()] if programme else []
    activities = []
    for level in range(1, student.year_level + 1):
        year = _year_of(student, level)
        for n, kind in enumerate(PLAN[min(level, 4)]):
            if level == student.year_level and n and rng.random() < 0.5:
                continue  # this year's second activity has not happened yet
            competencies, title, goals, results, evaluation, follow_up = ACTIVITY_TEXTS[kind]
            partner = _partner(partners, rng, kind)
            place = partner.name if partner else "een bedrijf in de buurt"
            fill = {"sector": sector, "likes": likes, "place": place}
            latest = level == student.year_level
            incomplete = rng.random() < (0.6 if latest else 0.15)
            activity = CareerActivity(
                student=student, date=_date(year + (1 if n else 0), 3 if n else 11, 5 + rng.randint(0, 20)),
                kind=kind, title=title.format(**fill), goals=goals.format(**fill), results=results.format(**fill),
                evaluation="" if incomplete else evaluation.format(**fill),
                follow_up="" if incomplete or rng.random() < 0.3 else follow_up.format(**fill),
                partner=partner, module=rng.choice(modules) if kind == "module" and modules else None,
                created_by=mentor,
                mentor_comment="Goed beschreven; let op dat je ook je conclusie opschrijft." if incomplete and
                level < student.year_level else "",
                mentor_comment_by=mentor if incomplete and level < student.year_level else None,
            )
            for c in competencies:
                setattr(activity, c, True)
            activities.append(activity)
    CareerActivity.objects.bulk_create(activities)
    conversations = []
    for level in range(1, student.year_level + 1):
        year = _year_of(student, level)
        conversations.append(CareerConversation(
            student=student, date=_date(year, 10, 1 + rng.randint(0, 25)), participants="leerling, mentor",
            led_by=mentor,
            agreements=f"{student.first_name} onderzoekt of {sector} bij {student.first_name} past." if level < 3
            else "De modulen voor volgend jaar zijn besproken.",
            next_steps=rng.choice(["Een bedrijfsbezoek plannen.", "De open dag van het mbo bezoeken.",
                                   "Het loopbaandossier bijwerken."]),
            programme_decisions="" if level < 2 else "Het programma blijft zoals het is." if level > 2
            else "Kennismakende modulen kiezen in de richting die past.",
        ))
    CareerConversation.objects.bulk_create(conversations)
    reflections = []
    for conversation in conversations:
        for key in rng.sample(list(REFLECTIONS), 2):
            reflections.append(ConversationReflection(conversation=conversation, competency=key,
                                                      text=REFLECTIONS[key]))
    ConversationReflection.objects.bulk_create(reflections)
    made["conversations"] += len(conversations)
    made["activities"] += len(activities)


# --- the seed's story ----------------------------------------------------------------------------

def _pick(offerings, student, *, profiel: str, prefer_type: str, n: int, exclude=()) -> list:
    pool = [o for o in offerings if o.is_for(student.leerweg) and profiel in _profielen(o)
            and o.module_version.module_type != "ORIENTING" and o.module_version.module.code not in exclude]
    pool.sort(key=lambda o: (o.module_version.module_type != prefer_type, o.school_year, o.module_version.module.code))
    out, seen = [], set()
    for o in pool:
        if o.module_version.module.code not in seen:
            out.append(o)
            seen.add(o.module_version.module.code)
    return out[:n]


CARE_WORDS = ("gezondheidszorg", "ouderen")


def _story_programme(ctx, student, student_user, mentor, offerings, made) -> None:
    """Revision 1 (leerjaar 2): zorg en welzijn. Revision 2 (after the snuffelstage and the conversation
    in the spring of leerjaar 2): verdiepende modulen in economie en ondernemen."""
    from maatwerk.students import selectors, services

    sy = selectors.current_school_year(student)
    me = student_user or mentor
    programme = services.start_programme(student=student, by=me).programme
    made["programmes"] += 1
    if not offerings:
        made["concept"] += 1
        ctx.say("  verhaal van de demoleerling: geen aanbod, dus geen modulen in haar programma")
        return
    # leerjaar 2: modules in zorg en welzijn (kennismakend where the menukaart has them) and a kennismakende one
    care = _pick(offerings, student, profiel="ZW", prefer_type="INTRODUCTORY", n=20)
    care.sort(key=lambda o: (o.module_version.module_type != "INTRODUCTORY",
                             not any(w in o.module_version.title.lower() for w in CARE_WORDS)))
    followed = care[:2]
    if not any(o.module_version.module_type == "INTRODUCTORY" for o in followed):
        intro = next((o for o in _usable(student, offerings, years=[sy, sy + 1])
                      if o.module_version.module_type == "INTRODUCTORY"), None)
        followed += [intro] if intro else []
        ctx.say("    de menukaart heeft (nog) geen kennismakende modulen in zorg en welzijn: in leerjaar 2 volgde "
                "ze " + ", ".join(o.module_version.module.code for o in followed))
    for offering in followed:
        services.record_past_item(programme=programme, module_version=offering.module_version, school_year=sy - 1,
                                  by=mentor)
    _complete(student, me, offerings, ctx.rng, prefer={"ZW"}, want_first="DEEPENING")
    first_talk, turning_point = _story_conversations_early(student, mentor)
    _settle(ctx, student, student_user, mentor, "approved", defaultdict(int), conversation=first_talk,
            comment="Mooi dat je de zorg wilt leren kennen. We kijken na je snuffelstage samen hoe het bevalt.")
    programme = selectors.programme_of(student)
    if programme.status != "approved":
        made["concept"] += 1
        ctx.say("  verhaal van de demoleerling: revisie 1 kon niet worden goedgekeurd (de controle vindt fouten)")
        return
    _date_revision(programme, 1, timezone.make_aware(dt.datetime.combine(first_talk.date, dt.time(15, 30))))

    # revision 2: economie en ondernemen
    services.reopen_programme(
        programme=programme, by=me,
        reason="Na de snuffelstage in Zorgcentrum De Linde en het loopbaangesprek van "
               f"{turning_point.date:%d-%m-%Y}: zorg is niets voor mij. Ik wil in een winkel werken en ga "
               "verder met verdiepende modulen in economie en ondernemen.")
    for item in selectors.programme_of(student).items.all():
        if item.status == "planned" and "ZW" in {p.code for p in item.module_version.profielen.all()}:
            services.remove_item(item=item, by=me)
    _complete(student, me, offerings, ctx.rng, prefer={"EO"}, want_first="DEEPENING")
    _enrol_current(student, mentor)
    _settle(ctx, student, student_user, mentor, "approved", made, conversation=turning_point,
            comment="Goed dat je na je snuffelstage eerlijk koos. Economie en ondernemen past bij wat je "
                    "bij de kiosk ontdekte.")
    programme = selectors.programme_of(student)
    when = timezone.make_aware(dt.datetime.combine(turning_point.date + dt.timedelta(days=7), dt.time(14, 0)))
    _date_revision(programme, 2, when)
    if programme.approved_at:
        type(programme).objects.filter(pk=programme.pk).update(approved_at=when)
    ctx.say(f"  verhaal van de demoleerling ({student.full_name}): zorg en welzijn in leerjaar 2, "
            f"daarna economie en ondernemen (revisie {programme.revision}, {programme.get_status_display()})")


def _date_revision(programme, number: int, approved_at) -> None:
    """The story happened in the past: date its frozen revisions (proposed two days before approval)."""
    from maatwerk.students.models import ProgrammeRevision

    revisions = ProgrammeRevision.objects.filter(programme=programme, number=number)
    revisions.filter(event="approved").update(created_at=approved_at)
    revisions.filter(event="proposed").update(created_at=approved_at - dt.timedelta(days=2))
    type(programme).objects.filter(pk=programme.pk, revision=number).update(
        proposed_at=approved_at - dt.timedelta(days=2))


def _story_conversations_early(student, mentor):
    """The conversations of leerjaar 1 and 2 (made before the programme so that it can cite them)."""
    from maatwerk.students.models import CareerConversation, ConversationReflection

    y1, y2 = _year_of(student, 1), _year_of(student, 2)
    first = CareerConversation.objects.create(
        student=student, date=_date(y2, 10, 14), participants="leerling, mentor, ouder", led_by=mentor,
        agreements="Kennismakende modulen in zorg en welzijn kiezen; in het voorjaar een snuffelstage in de zorg.",
        next_steps="Snuffelstage aanvragen bij Zorgcentrum De Linde.",
        programme_decisions="Programma met zorg en welzijn (revisie 1).")
    ConversationReflection.objects.create(conversation=first, competency="motives",
                                          text="Ik help graag mensen. Ik denk dat werken in de zorg bij mij past.")
    turning = CareerConversation.objects.create(
        student=student, date=_date(y2 + 1, 4, 16), participants="leerling, mentor, decaan", led_by=mentor,
        agreements="Geen verdiepende modulen in zorg en welzijn; wel verdiepende modulen in economie en "
                   "ondernemen. In leerjaar 3 naar de open dag van het mbo (retail).",
        next_steps="Een dag meelopen in een winkel. Het programma aanpassen en opnieuw voorstellen.",
        programme_decisions="Programma wijzigen: verdiepende modulen in economie en ondernemen in plaats van zorg "
                            "en welzijn (revisie 2).")
    for key, text in [
        ("qualities", "Ik kan goed met mensen praten en ik blijf rustig als het druk is."),
        ("motives", "Ik wil mensen helpen, maar niet door ze te verzorgen. Ik help ze liever met iets kiezen."),
        ("work_exploration", "Bij De Linde vond ik het verzorgen niet fijn. Bij de kiosk en de receptie voelde ik "
                             "me wel op mijn plek: klanten helpen en dingen regelen."),
        ("career_steering", "Ik stop met zorg en kies economie en ondernemen, richting retail op het mbo."),
    ]:
        ConversationReflection.objects.create(conversation=turning, competency=key, text=text)
    early = CareerConversation.objects.create(
        student=student, date=_date(y1, 11, 6), participants="leerling, mentor", led_by=mentor,
        agreements="Bij de oriënterende lessen goed opletten wat je leuk vindt.",
        next_steps="Gastles over werken in de zorg bijwonen.")
    ConversationReflection.objects.create(conversation=early, competency="qualities",
                                          text="Ik ben behulpzaam en ik kan goed luisteren.")
    return first, turning


def _story_lob(ctx, student, mentor, counsellor, partners, made) -> None:
    from maatwerk.students.models import CareerActivity, CareerConversation, ConversationReflection, Programme

    y1, y2, y3 = (_year_of(student, level) for level in (1, 2, 3))
    if not CareerConversation.objects.filter(student=student).exists():
        _story_conversations_early(student, mentor)
    now = CareerConversation.objects.create(
        student=student, date=_date(y3, 10, 9), participants="leerling, mentor", led_by=mentor,
        agreements="De verdiepende modulen in economie en ondernemen gaan goed. Open dag mbo bezoeken.",
        next_steps="Aanmelden voor de open dag van Mbo College IJssel-Vecht.",
        programme_decisions="Het programma blijft zoals goedgekeurd in revisie 2.")
    ConversationReflection.objects.create(conversation=now, competency="networking",
                                          text="Mijn tante werkt in een winkel; zij kan me helpen aan een bijbaan.")
    care = next((p for p in partners if "Linde" in p.name), None)
    college = next((p for p in partners if p.kind == "mbo_college"), None)
    programme = Programme.objects.filter(student=student).prefetch_related("items__module_version__module").first()
    eo_module = next((i.module_version.module for i in programme.items.all()
                      if i.module_version.module.code.startswith("EO")), None) if programme else None
    zw_module = next((i.module_version.module for i in programme.items.all()
                      if i.module_version.module.code.startswith("ZW")), None) if programme else None
    rows = [
        CareerActivity(student=student, date=_date(y1, 12, 3), kind="guest_lesson", title="Gastles van een wijkverpleegkundige",
                       goals="Horen wat je in de zorg doet en of dat bij mij past.",
                       results="Een wijkverpleegkundige vertelde over haar werkdag. Ik heb gevraagd wat het moeilijkste is.",
                       evaluation="Ik vind het mooi dat je mensen helpt. Ik wil de zorg beter leren kennen.",
                       follow_up="Kennismakende modulen in zorg en welzijn kiezen.",
                       motives=True, work_exploration=True, created_by=mentor),
        CareerActivity(student=student, date=_date(y2 + 1, 3, 12), kind="snuffelstage",
                       title="Snuffelstage in Zorgcentrum De Linde", partner=care, module=zw_module,
                       goals="Een dag meelopen op een afdeling en ontdekken of werken in de zorg bij mij past.",
                       results="Ik heb geholpen bij het ontbijt, een bewoner naar de activiteitenruimte gebracht en "
                               "in de middag bij de receptie en de kiosk meegewerkt.",
                       evaluation="De bewoners waren aardig, maar het verzorgen zelf vond ik niet fijn. Bij de kiosk "
                                  "voelde ik me wel op mijn plek: klanten helpen en iets verkopen. Conclusie: zorg "
                                  "is niets voor mij.",
                       follow_up="Met mijn mentor en de decaan praten over economie en ondernemen; een dag meelopen "
                                 "in een winkel.",
                       qualities=True, work_exploration=True, created_by=student_user_of(student) or mentor,
                       mentor_comment="Eerlijke en duidelijke conclusie. Goed dat je ook opschreef wat je wél leuk vond.",
                       mentor_comment_by=mentor),
        CareerActivity(student=student, date=_date(y2 + 1, 5, 20), kind="snuffelstage",
                       title="Meeloopdag in een supermarkt",
                       goals="Ontdekken of werken in een winkel beter bij mij past dan de zorg.",
                       results="Vakken gevuld, klanten geholpen met zoeken en een uur bij de kassa meegekeken.",
                       evaluation="Dit past veel beter bij mij. Ik wil meer weten over verkopen en presenteren.",
                       follow_up="Verdiepende modulen in economie en ondernemen kiezen.",
                       work_exploration=True, career_steering=True, created_by=mentor),
        CareerActivity(student=student, date=_date(y3, 10, 2), kind="module", module=eo_module,
                       title="Praktijkopdracht: een schap presenteren",
                       goals="Laten zien dat ik een schap aantrekkelijk kan inrichten.",
                       results="Schap ingericht in de schoolwinkel en aan de klas uitgelegd waarom zo.",
                       evaluation="",
                       follow_up="",
                       qualities=True, created_by=mentor),
        CareerActivity(student=student, date=_date(y3, 11, 14), kind="mbo_open_day", partner=college,
                       title="Open dag Mbo College IJssel-Vecht: retail",
                       goals="Kijken welke opleiding in retail bij mij past.",
                       results="Bij de opleiding Medewerker retail en Verkoopspecialist gekeken en met studenten gepraat.",
                       evaluation="Verkoopspecialist (niveau 3) spreekt me aan. Ik moet dan wel goed zijn in "
                                  "presenteren.",
                       follow_up="Me aanmelden voor een meeloopdag in februari.",
                       career_steering=True, networking=True, work_exploration=True, created_by=mentor),
    ]
    CareerActivity.objects.bulk_create(rows)
    made["activities"] += len(rows)
    made["conversations"] += CareerConversation.objects.filter(student=student).count()


def student_user_of(student):
    m = Membership.objects.filter(student=student, role=Role.STUDENT).select_related("user").first()
    return m.user if m else None
