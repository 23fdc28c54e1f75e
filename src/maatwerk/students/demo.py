"""Demo step 4: programmes, LOB conversations and loopbaandossiers of the demo students, and (at the end)
the schools' teaching groups, which follow from the programmes.

Runs after the accounts, catalog and schools steps and uses what they made: each school's packages,
timetable and offering. Every programme is built through the services (start from a package, record
what was done in earlier years, add from the offering, propose, approve after a recorded conversation),
so the rules engine decides what is allowed; what happened in the past is recorded on its own date
(`demo_clock`).

* every student in leerjaar 2-4 of both schools, and last year's exam cohort (the alumni), has a programme
  from one of the school's packages, with a little maatwerk (a module swapped, GL leaving out a module it
  does not need, an extra module): kennismakend in leerjaar 2 (the alumni, the pilot's first cohort, in
  leerjaar 3), verdiepend in leerjaar 3 and 4. What was done in earlier years is recorded; this year's
  modules are being followed (bezig). A few did not complete a module in leerjaar 3: their programme was
  reopened (revision 2, with the reason) and a replacement approved;
* the programmes were approved by the mentor after a loopbaangesprek in the spring before the first
  module (leerjaar 4 and 3 nearly all; some have a change proposed now); in leerjaar 2 some are proposed
  and some are still concepts, a few with the engine's findings (too few units, a year too full);
* every student has LOB conversations from leerjaar 1 on and LOB activities in the direction of their
  programme (a snuffelstage at the partner of that sector); most leerjaar-4 students and every alumnus
  have a complete loopbaandossier (each loopbaancompetentie in an activity with all four parts);
* the documented demo leerling (leerling@hetbaken.demo, GL, leerjaar 3) is the seed's example: she starts
  from the broad package of zorg en welzijn and economie, takes the kennismakende modules in leerjaar 2,
  does a snuffelstage in a care home in the spring, concludes in a conversation that care is not for her
  and goes on with verdiepende modules in economie en ondernemen (revision 2 of her programme, with that
  reason); leerling@vakschoolmaasstad.demo has a full programme with results;
* one alumnus of Het Baken missed the final proeve of a module (it stays 'bezig'): his exam stays
  incomplete in the diploma step.

Idempotent: a student who already has a programme or conversations is left alone; groups are formed once.
"""

from __future__ import annotations

import datetime as dt
import random
from collections import defaultdict
from dataclasses import dataclass, field

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
#: where a student of a sector does a snuffelstage or an internship (a partner of the school)
SECTOR_PARTNERS = {
    "ZW": ["Zorgcentrum De Linde"], "EO": ["Winkelcentrum De Esch"],
    "BWI": ["Installatiebedrijf Van Dam & Zn."], "PIE": ["Installatiebedrijf Van Dam & Zn."],
    "MVI": [], "HBR": ["Grand Hotel Maasoever", "Restaurant De Kade", "Bakkerij Van der Meer"],
}
#: package choice per school and leerweg: (package name, weight)
CHOICES = {
    "21KR": {
        "TL": [("Zorg en welzijn of economie: breed beginnen", 5), ("Pilot TL: vier werkvelden verkennen", 5)],
        "*": [("Zorg en welzijn", 20), ("Zorg en welzijn of economie: breed beginnen", 12),
              ("Economie en ondernemen", 14), ("Economie, media en ICT", 10), ("Bouwen, wonen en interieur", 12),
              ("Techniek: bouwen, installeren en energie", 14), ("Media, vormgeving en ICT", 14)],
    },
    "30PF": {"*": [("Restaurant en keuken", 6), ("Bakkerij en patisserie", 4)]},
}
#: the target state of a programme by leerjaar (alumni: approved): [(state, weight)]
TARGETS = {
    2: [("approved", 45), ("proposed", 30), ("concept", 13), ("findings", 12)],
    3: [("approved", 82), ("change_proposed", 12), ("change_concept", 6)],
    4: [("approved", 100)],  # this year's modules are all under way: a change is no longer a plan
}

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


def _rng(kind: str, student) -> random.Random:
    """A generator per student and purpose: the same student gets the same programme whatever else changed."""
    return random.Random(f"{kind}-{student.school.brin}-{student.student_number}")


def _weighted(rng, options):
    total = sum(w for _, w in options)
    roll = rng.uniform(0, total)
    for value, weight in options:
        roll -= weight
        if roll <= 0:
            return value
    return options[-1][0]


def _is_alumnus(student) -> bool:
    return student.left_on is not None


def _first_module_year(student, ctx) -> int:
    """Kennismakende modules are in leerjaar 2; the alumni were in leerjaar 3 when the pilot began (sy-2)."""
    return max(student.cohort - 1, ctx.school_year - 2)


def _module_year(student, ctx, year_level: int) -> int:
    return max(_year_of(student, year_level), _first_module_year(student, ctx))


def _approval_day(student, ctx, rng) -> dt.date:
    """The programme was approved in the spring before its first module year."""
    return dt.date(_first_module_year(student, ctx), 3, 10 + rng.randint(0, 12))


def _programme_of(student):
    """The student's programme row (the services re-read and lock it themselves)."""
    from maatwerk.students.models import Programme

    return Programme.objects.select_related("student__school").get(student=student)


def _items_of(student) -> list:
    from maatwerk.students.models import ProgrammeItem

    return list(ProgrammeItem.objects.filter(programme__student=student)
                .select_related("module_version__module", "programme__student__school")
                .order_by("school_year", "module_version__module__code"))


def load(ctx) -> None:
    from maatwerk.schools.demo import form_groups
    from maatwerk.schools.models import School
    from maatwerk.students.selectors import cached_school_inputs

    for school in School.objects.filter(brin__in=["21KR", "30PF"]).order_by("brin"):
        with cached_school_inputs():  # the offering does not change while the programmes are made
            _school(ctx, school)
        groups = form_groups(ctx, school)
        if groups:
            ctx.say(f"    {groups} lesgroepen gevormd uit de programma's ({ctx.school_year - 2}-{ctx.school_year} "
                    f"t/m {ctx.school_year}-{ctx.school_year + 1})")


def _users(school) -> tuple[dict[int, object], list, object | None]:
    students, mentors, counsellor = {}, [], None
    for m in Membership.objects.filter(school=school, role__in=[Role.STUDENT, Role.MENTOR, Role.COUNSELLOR]) \
            .select_related("user").order_by("pk"):
        if m.role == Role.STUDENT:
            students[m.student_id] = m.user
        elif m.role == Role.MENTOR:
            mentors.append(m.user)
        else:
            counsellor = m.user
    return students, mentors, counsellor


@dataclass
class Plan:
    """What the demo makes of one student's programme (decided up front, built through the services)."""

    package: object | None = None
    modules: list[tuple[str, int]] = field(default_factory=list)  # (module code, school year)
    target: str = "approved"
    failed: str = ""  # a leerjaar-3 module not completed (replaced in revision 2)
    replacement: tuple[str, int] | None = None
    swap: tuple[str, str, int] | None = None  # (out, in, school year) for a change proposed now
    dossier_complete: bool = False
    approval_day: dt.date | None = None


def _school(ctx, school) -> None:
    from maatwerk.schools.demo import PACKAGES, slots
    from maatwerk.schools.models import Offering, Package, Partner
    from maatwerk.students.models import CareerConversation, Programme, Student

    students = list(Student.objects.filter(school=school).select_related("school", "profiel", "mentor")
                    .order_by("student_number"))
    if not students:
        return
    users, mentors, counsellor = _users(school)
    has_programme = set(Programme.objects.filter(student__school=school).values_list("student_id", flat=True))
    has_lob = set(CareerConversation.objects.filter(student__school=school).values_list("student_id", flat=True))
    offers = {(o.school_year, o.module_version.module.code): o for o in Offering.objects.filter(school=school)
              .select_related("module_version__module").prefetch_related("module_version__profielen")}
    packages = {(p.school_year, p.name): p for p in Package.objects.filter(school=school)}
    specs = {spec.name: spec for spec in PACKAGES.get(school.brin, [])}
    table = slots(school)
    partners = list(Partner.objects.filter(school=school).order_by("name"))
    story = next((s for s in students if users.get(s.pk) is not None
                  and users[s.pk].email.startswith("leerling@")), None)
    incomplete_alumnus = _incomplete_alumnus(school, students)
    made = defaultdict(int)
    if not offers:
        ctx.say(f"  {school.name}: geen aanbod van de school gevonden (demo-stap scholen ontbreekt?): geen "
                "programma's gemaakt")
    for student in students:
        by = student.mentor or (mentors[0] if mentors else counsellor)
        if by is None:
            continue
        is_story = student is story and school.brin == "21KR"
        plan = None
        if student.pk not in has_programme and 2 <= student.year_level <= 4 and offers:
            if is_story:
                _story_programme(ctx, student, users.get(student.pk), by, offers, packages, made)
            else:
                plan = _plan(ctx, student, offers, packages, specs, table)
                _build(ctx, student, by, plan, offers, made, incomplete=student is incomplete_alumnus)
        if student.pk not in has_lob:
            if is_story:
                _story_lob(ctx, student, by, counsellor, partners, made)
            else:
                _lob(ctx, student, by, partners, made, plan)
        if plan is not None:
            _settle(ctx, student, users.get(student.pk), by, plan, offers, made)
    if not made["programmes"] and not made["conversations"]:
        ctx.say(f"  {school.name}: programma's en loopbaandossiers waren er al")
        return
    ctx.say(f"  {school.name}: {made['programmes']} programma's ({made['approved']} goedgekeurd, waarvan "
            f"{made['revised']} na een niet afgeronde module in revisie 2; {made['proposed']} voorgesteld; "
            f"{made['concept']} concept, waarvan {made['findings']} met bevindingen), {made['conversations']} "
            f"loopbaangesprekken, {made['activities']} LOB-activiteiten")
    if made["blocked"]:
        why = ", ".join(f"{code} {n}×" for code, n in sorted(made["why"].items(), key=lambda kv: -kv[1]))
        ctx.say(f"    let op: {made['blocked']} programma's konden niet worden voorgesteld ({why})")


def _incomplete_alumnus(school, students):
    """The alumnus who missed his last proeve (Het Baken only; the diploma step shows the incomplete exam)."""
    if school.brin != "21KR":
        return None
    alumni = [s for s in students if _is_alumnus(s) and s.leerweg == "KB"]
    return alumni[-1] if alumni else None


# --- programmes ----------------------------------------------------------------------------------

def _profielen(offering) -> set[str]:
    return {p.code for p in offering.module_version.profielen.all()}


def _plan(ctx, student, offers, packages, specs, table) -> Plan:
    """Which package, which modules in which year, and what happens to the programme."""
    rng = _rng("programma", student)
    brin = student.school.brin
    choices = CHOICES[brin].get(student.leerweg) or CHOICES[brin]["*"]
    spec = specs[_weighted(rng, choices)]
    first = _first_module_year(student, ctx)
    plan = Plan(package=packages.get((first, spec.name)), approval_day=_approval_day(student, ctx, rng))

    def usable(code, year):
        offering = offers.get((year, code))
        return offering is not None and offering.is_for(student.leerweg)

    modules = [(code, _module_year(student, ctx, table[code].year_level)) for code in spec.modules if code in table]
    modules = [(code, year) for code, year in modules if usable(code, year)]
    units = {"BB": 8, "KB": 8, "GL": 6, "TL": 4}[student.leerweg]
    deep = [m for m in modules if offers[(m[1], m[0])].module_version.module_type == "DEEPENING"]
    # maatwerk: GL leaves out a verdiepende module of leerjaar 4 it does not need; some swap a module for
    # another one of the same leerjaar and direction; a few BB/KB students take an extra module
    if student.leerweg == "GL" and len(modules) > units and deep and rng.random() < 0.6:
        modules.remove(max(deep, key=lambda m: (m[1], m[0])))
    profielen = set().union(*(_profielen(offers[(y, c)]) for c, y in modules)) if modules else set()

    popular = {code for other in specs.values() for code in other.modules}  # modules the school runs groups for

    def alternatives(year):
        """Other verdiepende modules the school teaches in that leerjaar, in the same direction."""
        taken = {c for c, _ in modules} | {(plan.replacement or ("",))[0]}
        level = year - student.cohort + 3
        return sorted(code for (y, code), o in offers.items() if y == year and code not in taken and code in popular
                      and code in table and table[code].year_level == level
                      and o.is_for(student.leerweg) and o.module_version.module_type == "DEEPENING"
                      and _profielen(o) & profielen)

    if deep and rng.random() < 0.25:
        out = rng.choice([m for m in modules if m in deep])
        options = alternatives(out[1])
        if options:
            modules[modules.index(out)] = (rng.choice(options), out[1])
    if student.leerweg in ("BB", "KB") and rng.random() < 0.1:
        last = _module_year(student, ctx, 4)
        options = alternatives(last)
        if options and sum(1 for _, y in modules if y == last) < 6:
            modules.append((rng.choice(options), last))
    plan.modules = modules

    now = student.cohort + student.year_level - 3
    if _is_alumnus(student):
        plan.target = "approved"
    else:
        plan.target = _weighted(rng, TARGETS[student.year_level])
    # a verdiepende module of leerjaar 3 not completed (leerjaar 4 and alumni): replaced in leerjaar 4
    ly3 = _module_year(student, ctx, 3)
    if ly3 < now or _is_alumnus(student):
        failed = [c for c, y in modules if y == ly3 and offers[(y, c)].module_version.module_type == "DEEPENING"]
        last = _module_year(student, ctx, 4)
        options = alternatives(last)
        if failed and options and rng.random() < 0.08:
            plan.failed = rng.choice(failed)
            plan.replacement = (rng.choice(options), last)
    if plan.target.startswith("change"):
        future = [(c, y) for c, y in modules if y > now and c != plan.failed]
        year = future[-1][1] if future else None
        options = alternatives(year) if year else []
        if future and options:
            plan.swap = (future[-1][0], rng.choice(options), year)
        else:
            plan.target = "approved"
    plan.dossier_complete = _is_alumnus(student) or (student.year_level == 4 and rng.random() < 0.85)
    return plan


def _build(ctx, student, by, plan: Plan, offers, made, *, incomplete: bool = False, enrol: bool = True) -> None:
    """The programme's items through the services: started from the package (leerjaar 2: the service places
    every module in the leerjaar the package gives it), what was done in earlier school years recorded,
    this year's modules followed."""
    from maatwerk.students import selectors, services
    from maatwerk.students.models import Programme

    now = selectors.current_school_year(student)
    if student.year_level == 2 and not _is_alumnus(student):
        programme = services.start_programme(student=student, by=by, package=plan.package).programme
    else:
        programme = services.start_programme(student=student, by=by).programme
        if plan.package is not None:  # started from the package back then; the demo records what followed
            Programme.objects.filter(pk=programme.pk).update(package=plan.package)
    made["programmes"] += 1
    items = {i.module_version.module.code: i for i in _items_of(student)}
    wanted = set(plan.modules)
    for code, item in items.items():
        if (code, item.school_year) not in wanted:
            services.remove_item(item=item, by=by)
    kind = {"INTRODUCTORY": 0, "DEEPENING": 1}
    for code, year in sorted(plan.modules, key=lambda m: (m[1], kind.get(offers[(m[1], m[0])].module_version
                                                                          .module_type, 2), m[0])):
        if code in items and items[code].school_year == year:
            continue
        offering = offers[(year, code)]
        try:
            if year < now:
                services.record_past_item(programme=programme, module_version=offering.module_version,
                                          school_year=year, by=by)
            else:
                services.add_module(programme=programme, offering=offering, by=by)
        except services.ProgrammeError as exc:
            made["why"][exc.__class__.__name__] += 1
    if enrol:
        _enrol_current(student, by)
    if _is_alumnus(student):  # the final year is over: completed (one alumnus missed his last proeve)
        from maatwerk.schools.demo import slots

        table = slots(student.school)
        current = [i for i in _items_of(student) if i.school_year == now]
        last = max(current, key=lambda i: (table[i.module_version.module.code].period, i.module_version.module.code)) \
            if incomplete and current else None
        for item in current:
            if item is not last:
                services.record_item_status(item=item, status="completed", by=by)


def _enrol_current(student, by) -> None:
    """Modules of the current school year are being followed (bezig)."""
    from maatwerk.students import selectors, services

    now = selectors.current_school_year(student)
    for item in _items_of(student):
        if item.school_year == now and item.status == "planned":
            services.record_item_status(item=item, status="enrolled", by=by)


def _settle(ctx, student, student_user, mentor, plan: Plan, offers, made) -> None:
    """Propose and approve as the plan says, each on its own day; then what happened since (a module not
    completed and replaced, a change proposed now)."""
    from maatwerk.students import services
    from maatwerk.students.models import CareerConversation
    from maatwerk.web.demo import demo_clock

    rng = _rng("status", student)
    today = timezone.localdate()
    programme = _programme_of(student)
    proposer = student_user or mentor
    if plan.target in ("concept", "findings"):
        made["concept"] += 1
        if plan.target == "findings":
            made["findings"] += _with_findings(student, mentor, rng)
        return
    recent = today - dt.timedelta(days=rng.randint(3, 20))
    when = plan.approval_day if plan.target != "proposed" else recent
    try:
        with demo_clock(when - dt.timedelta(days=2)):
            programme = services.propose_programme(programme=programme, by=proposer)
    except services.ProgrammeError as exc:
        made["blocked"] += 1
        made["concept"] += 1
        for code in {f.code for f in getattr(exc, "findings", ())} or {"geen modulen"}:
            made["why"][code] += 1
        return
    if plan.target == "proposed":
        made["proposed"] += 1
        return
    talk = (CareerConversation.objects.filter(student=student, date__lte=plan.approval_day)
            .order_by("-date").first())
    with demo_clock(plan.approval_day):
        programme = services.approve_programme(
            programme=programme, by=mentor, conversation=talk,
            comment=rng.choice(["Besproken in het loopbaangesprek; past bij wat je wilt.",
                                "Goed gekozen. Denk bij je stage aan de richting die je kiest.",
                                "Akkoord. We kijken in leerjaar 3 samen of het nog past."]))
    if plan.failed:
        _replace_failed(student, mentor, plan, offers)
        made["revised"] += 1
    if plan.swap is not None:
        _propose_change(student, student_user or mentor, mentor, plan, offers, recent, keep_concept=plan.target ==
                        "change_concept")
        made["proposed" if plan.target == "change_proposed" else "concept"] += 1
        return
    made["approved"] += 1


def _replace_failed(student, mentor, plan: Plan, offers) -> None:
    """Revision 2: the module of leerjaar 3 was not completed (also not after the resit); the mentor and the
    student chose a replacement in leerjaar 4 and it was approved after a conversation."""
    from maatwerk.students import selectors, services
    from maatwerk.web.demo import demo_clock

    year = student.cohort  # leerjaar 3
    day = dt.date(year + 1, 6, 22)
    out, (code, replacement_year) = plan.failed, plan.replacement
    failed_title = offers[(year, out)].module_version.title
    new = offers[(replacement_year, code)]
    with demo_clock(day):
        programme = _programme_of(student)
        item = next(i for i in _items_of(student) if i.module_version.module.code == out)
        services.record_item_status(item=item, status="not_completed", by=mentor)
        talk = services.record_conversation(
            student=student, by=mentor,
            data={"date": day, "participants": "leerling, mentor", "led_by": mentor,
                  "agreements": f"{failed_title} is ook na de herkansing niet gehaald. In leerjaar 4 volg je "
                                f"{new.module_version.title} in plaats daarvan.",
                  "next_steps": "Het programma aanpassen (revisie 2) en de nieuwe module inplannen.",
                  "programme_decisions": f"{out} niet afgerond; vervangen door {code}."},
            reflections={"career_steering": "Ik wil mijn diploma halen met modulen die bij mij passen; deze "
                                            "module past beter bij wat ik wil doen."})
        programme = services.reopen_programme(
            programme=programme, by=mentor,
            reason=f"{out} ({failed_title}) is niet afgerond, ook niet na de herkansing; vervangen door {code}.")
        if replacement_year < selectors.current_school_year(student):
            services.record_past_item(programme=programme, module_version=new.module_version,
                                      school_year=replacement_year, by=mentor)
        else:
            services.add_module(programme=programme, offering=new, by=mentor)
        programme = services.propose_programme(programme=_programme_of(student), by=mentor)
        services.approve_programme(programme=programme, by=mentor, conversation=talk,
                                   comment="Vervangende module besproken met leerling en ouders.")
    _enrol_current(student, mentor)
    if _is_alumnus(student):
        for item in _items_of(student):
            if item.module_version.module.code == code and item.status != "completed":
                services.record_item_status(item=item, status="completed", by=mentor)


def _propose_change(student, proposer, mentor, plan: Plan, offers, day, *, keep_concept: bool) -> None:
    """Now: the student wants another module in a later year (after a stage or an open day): the programme is
    reopened with that reason and the change proposed to the mentor (or still being worked on)."""
    from maatwerk.students import services
    from maatwerk.web.demo import demo_clock

    out, new, year = plan.swap
    new_offering = offers[(year, new)]
    with demo_clock(day):
        programme = services.reopen_programme(
            programme=_programme_of(student), by=proposer,
            reason=f"Na een bedrijfsbezoek en een gesprek met mijn mentor wil ik liever "
                   f"{new_offering.module_version.title} dan {offers[(year, out)].module_version.title}.")
        item = next(i for i in programme.items.all() if i.module_version.module.code == out)
        services.remove_item(item=item, by=proposer)
        services.add_module(programme=_programme_of(student), offering=new_offering, by=proposer)
        if not keep_concept:
            services.propose_programme(programme=_programme_of(student), by=proposer)


def _with_findings(student, by, rng) -> int:
    """A leerjaar-2 concept the student is still working on: verdiepende modules taken out while doubting,
    so that the programme is a unit or two short. The engine's findings show on the page."""
    from maatwerk.students import services

    items = _items_of(student)
    planned = [i for i in items if i.status == "planned" and i.module_version.module_type == "DEEPENING"]
    units = sum(i.module_version.units for i in items)
    minimum = {"BB": 8, "KB": 8, "GL": 6, "TL": 4}[student.leerweg]
    short = min(len(planned), units - minimum + 1 + (rng.random() < 0.4))
    for item in planned[len(planned) - short:]:
        services.remove_item(item=item, by=by)
    return int(short > 0)


# --- LOB -----------------------------------------------------------------------------------------

def _sector_of(student) -> str | None:
    from maatwerk.students.models import ProgrammeItem

    codes = list(ProgrammeItem.objects.filter(programme__student=student)
                 .values_list("module_version__profielen__code", flat=True))
    codes = [c for c in codes if c]
    if codes:
        return max(sorted(set(codes)), key=codes.count)
    return student.profiel.code if student.profiel_id else None


def _partner(partners, rng, kind: str, sector: str | None):
    by_name = {p.name: p for p in partners}
    colleges = [p for p in partners if p.kind == "mbo_college"]
    if kind == "mbo_open_day" and colleges:
        return colleges[0]
    if kind in ("company_visit", "snuffelstage", "internship"):
        own = [by_name[n] for n in SECTOR_PARTNERS.get(sector or "", []) if n in by_name]
        companies = own or [p for p in partners if p.kind == "company"]
        return rng.choice(companies) if companies and (own or rng.random() < 0.5) else None
    return None


def _lob(ctx, student, mentor, partners, made, plan: Plan | None) -> None:
    """A loopbaangesprek per leerjaar and, before the first module year, the one in which the programme was
    chosen; LOB activities fitting the leerjaar and the student's direction. A complete dossier (every
    loopbaancompetentie in an activity with all four parts) for most of leerjaar 4 and every alumnus."""
    from maatwerk.students.models import CareerActivity, CareerConversation, ConversationReflection, Programme

    rng = _rng("lob", student)
    today = timezone.localdate()
    sector_code = _sector_of(student)
    sector, likes = SECTORS.get(sector_code, GENERIC)
    programme = Programme.objects.filter(student=student).select_related("package") \
        .prefetch_related("items__module_version__module").first()
    done = [i.module_version for i in programme.items.all() if i.status != "planned"] if programme else []
    complete = plan.dossier_complete if plan is not None else False
    activities = []
    for level in range(1, student.year_level + 1):
        year = _year_of(student, level)
        for n, kind in enumerate(PLAN[min(level, 4)]):
            when = dt.date(year + (1 if n else 0), 3 if n else 11, 5 + rng.randint(0, 20))
            if when >= today:
                continue  # has not happened yet
            competencies, title, goals, results, evaluation, follow_up = ACTIVITY_TEXTS[kind]
            partner = _partner(partners, rng, kind, sector_code)
            place = partner.name if partner else "een bedrijf in de buurt"
            fill = {"sector": sector, "likes": likes, "place": place}
            latest = level == student.year_level and not _is_alumnus(student)
            if complete:
                incomplete = latest and n > 0 and rng.random() < 0.3
            else:
                incomplete = kind == "mbo_open_day" or rng.random() < (0.6 if latest else 0.15)
            module = None
            if kind == "module" and done:
                version = rng.choice(done)
                module, title = version.module, f"Praktijkopdracht in {version.title}"
            activity = CareerActivity(
                student=student, date=when, kind=kind, title=title.format(**fill), goals=goals.format(**fill),
                results=results.format(**fill), evaluation="" if incomplete else evaluation.format(**fill),
                follow_up="" if incomplete else follow_up.format(**fill),
                partner=partner, module=module, created_by=mentor,
                mentor_comment="Goed beschreven; schrijf ook je conclusie en wat je nu gaat doen." if incomplete
                and not latest else "",
                mentor_comment_by=mentor if incomplete and not latest else None,
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
            else "De modulen van dit jaar en de stage zijn besproken.",
            next_steps=rng.choice(["Een bedrijfsbezoek plannen.", "De open dag van het mbo bezoeken.",
                                   "Het loopbaandossier bijwerken."]),
            programme_decisions="" if level < 3 else "Het programma blijft zoals het is.",
        ))
    if plan is not None and plan.approval_day is not None:
        name = plan.package.name if plan.package is not None else "de modulen van de school"
        conversations.append(CareerConversation(
            student=student, date=plan.approval_day - dt.timedelta(days=5), participants="leerling, mentor, ouder",
            led_by=mentor,
            agreements=f"Het programma voor de bovenbouw samengesteld vanuit het pakket '{name}'.",
            next_steps="Het programma voorstellen; de mentor keurt het goed.",
            programme_decisions=f"Programma samengesteld vanuit '{name}'."))
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

#: the demo leerling's programme: revision 1 (zorg en welzijn, from the broad package) and revision 2
STORY_PACKAGE = "Zorg en welzijn of economie: breed beginnen"
STORY_FIRST = ["ZW-K-01", "EO-K-01", "ZW-KV-08", "ZW-V-01", "ZW-KV-07", "ZW-KV-09"]
STORY_SECOND = ["EO-V-01", "EO-KV-07", "EO-KV-05", "EO-KV-06"]


def _story_programme(ctx, student, student_user, mentor, offers, packages, made) -> None:
    """Revision 1 (approved in the spring of leerjaar 1): kennismakend in zorg en welzijn and economie in
    leerjaar 2, then verdiepend in zorg en welzijn. Revision 2 (after the snuffelstage and the conversation
    in the spring of leerjaar 2): verdiepende modulen in economie en ondernemen."""
    from maatwerk.schools.demo import slots
    from maatwerk.students import services
    from maatwerk.web.demo import demo_clock

    table = slots(student.school)
    me = student_user or mentor
    y2 = _year_of(student, 2)
    package = packages.get((y2, STORY_PACKAGE))
    first_talk, turning_point = _story_conversations_early(student, mentor)
    plan = Plan(package=package, modules=[(c, _year_of(student, table[c].year_level)) for c in STORY_FIRST],
                approval_day=first_talk.date + dt.timedelta(days=6), dossier_complete=True)
    _build(ctx, student, mentor, plan, offers, made, enrol=False)
    with demo_clock(plan.approval_day - dt.timedelta(days=2)):
        programme = services.propose_programme(programme=_programme_of(student), by=me)
    with demo_clock(plan.approval_day):
        services.approve_programme(
            programme=programme, by=mentor, conversation=first_talk,
            comment="Mooi dat je de zorg wilt leren kennen. We kijken na je snuffelstage samen hoe het bevalt.")
    day = turning_point.date + dt.timedelta(days=7)
    with demo_clock(turning_point.date + dt.timedelta(days=1)):
        services.reopen_programme(
            programme=_programme_of(student), by=me,
            reason="Na de snuffelstage in Zorgcentrum De Linde en het loopbaangesprek van "
                   f"{turning_point.date:%d-%m-%Y}: zorg is niets voor mij. Ik wil in een winkel werken en ga "
                   "verder met verdiepende modulen in economie en ondernemen.")
        for item in _items_of(student):
            if item.status == "planned" and item.module_version.module.code not in ("ZW-K-01", "EO-K-01"):
                services.remove_item(item=item, by=me)
        for code in STORY_SECOND:
            offering = offers.get((_year_of(student, table[code].year_level), code))
            if offering is not None:
                services.add_module(programme=_programme_of(student), offering=offering, by=me)
    with demo_clock(day - dt.timedelta(days=2)):
        programme = services.propose_programme(programme=_programme_of(student), by=me)
    with demo_clock(day):
        services.approve_programme(programme=programme, by=mentor, conversation=turning_point,
                                   comment="Goed dat je na je snuffelstage eerlijk koos. Economie en ondernemen "
                                           "past bij wat je bij de kiosk ontdekte.")
    _enrol_current(student, mentor)
    programme = _programme_of(student)
    made["approved"] += 1
    ctx.say(f"  verhaal van de demoleerling ({student.full_name}): kennismakend in zorg en welzijn en economie in "
            f"leerjaar 2, na de snuffelstage verdiepend in economie en ondernemen (revisie {programme.revision}, "
            f"{programme.get_status_display()})")


def _story_conversations_early(student, mentor):
    """The conversations of leerjaar 1 and 2 (made before the programme so that it can cite them)."""
    from maatwerk.students.models import CareerConversation, ConversationReflection

    y1, y2 = _year_of(student, 1), _year_of(student, 2)
    first = CareerConversation.objects.create(
        student=student, date=_date(y1 + 1, 3, 12), participants="leerling, mentor, ouder", led_by=mentor,
        agreements="In leerjaar 2 de kennismakende modulen Werken met en voor mensen en Zorgvuldig werken in "
                   "economische beroepen (het brede pakket), daarna verdiepen in zorg en welzijn. In het voorjaar "
                   "van leerjaar 2 een snuffelstage in de zorg.",
        next_steps="Het programma voorstellen. Snuffelstage aanvragen bij Zorgcentrum De Linde.",
        programme_decisions="Programma vanuit het brede pakket, met zorg en welzijn (revisie 1).")
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
                      if i.module_version.module.code == "EO-V-01"), None) if programme else None
    zw_module = next((i.module_version.module for i in programme.items.all()
                      if i.module_version.module.code == "ZW-K-01"), None) if programme else None
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
