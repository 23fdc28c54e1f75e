"""Demo step 3: the two demo schools' licences, policy, partners, offering, packages and (after the students
step) their teaching groups. Everything goes through the services (and so through the engine), as the
schoolleider; idempotent (what exists is kept).

* Het Baken (brede school, BB, KB, GL, TL): licences ZW, EO, BWI, PIE, MVI; a kennismakende module comes
  before a verdiepende one. Per profiel a narrow and a broad package (PIE only broad, together with BWI: the
  starting stock has two PIE keuzevakken), each claiming the leerwegen that can complete it; two packages
  that TL can complete with the pilot modules (the seed's broad package of zorg en welzijn and economie).
* Vakschool Maasstad (BB, KB, GL): licence HBR; narrow packages for restaurant en keuken and for bakkerij,
  as in the seed's example ("Verdiepende modulen"): kennismakend in the sector, then verdiepend.
* The school's TIMETABLE says per module in which leerjaar and period it is taught, by whom and where; the
  packages place each module in that leerjaar and the PTAs (assessment step) date their items by it.
* The offering covers the school years sy-2 .. sy+2: the pilot started in sy-2 (last year's exam cohort
  took its modules in leerjaar 3 and 4), and today's leerjaar 2 plans through leerjaar 4. Each year offers
  the version of a module in force in that year.
* Teaching groups (`form_groups`, called by the students step once the programmes exist) for the school
  years up to now: a group's students are those whose programme has that module in that school year,
  BB, KB, GL and TL together (seed: "Eén vmbo").
"""

from __future__ import annotations

from collections import defaultdict
from dataclasses import dataclass

from django.db.models import Q

from maatwerk.accounts.models import Role, User
from maatwerk.catalog.models import MboQualification, ModuleVersion, Profiel, VersionStatus

from . import services
from .models import Offering, Package, Partner, School, SchoolPolicy, TeachingGroup

LICENCES = {"21KR": ["ZW", "EO", "BWI", "PIE", "MVI"], "30PF": ["HBR"]}
LICENCE_FROM = 2020
LEERWEGEN = {"21KR": ["BB", "KB", "GL", "TL"], "30PF": ["BB", "KB", "GL"]}

#: Partners the demo adds on top of those accounts.demo made (name, kind, city, outside, stage, assessment, text)
EXTRA_PARTNERS = {
    "21KR": [
        ("Winkelcentrum De Esch", "company", "Zwolle", True, True, False,
         "Winkels en een supermarkt waar leerlingen van economie en ondernemen meedraaien."),
    ],
    "30PF": [
        ("Restaurant De Kade", "company", "Rotterdam", True, True, True,
         "Restaurant aan de Maas met een leerkeuken; leerlingen werken mee in bediening en keuken."),
    ],
}
PARTNER_TEXT = {
    "Zorgcentrum De Linde": "Woonzorgcentrum; leerlingen lopen mee in de zorg en het welzijnswerk.",
    "Hotel De Wijk": "Hotel met restaurant; stage en buitenschools leren in receptie, bediening en keuken.",
    "Mbo College IJssel-Vecht": "Mbo-school in de regio; doorlopende leerroutes en samen examineren.",
    "Installatiebedrijf Van Dam & Zn.": "Installatietechniek en bouw: leerlingen werken mee op de bouwplaats.",
    "Grand Hotel Maasoever": "Hotel en congrescentrum; stage in keuken, bediening en evenementen.",
    "Bakkerij Van der Meer": "Ambachtelijke bakkerij; leerlingen bakken mee in de nacht- en dagploeg.",
    "Mbo College Maasstad": "Mbo-school voor horeca en bakkerij; de meesterproef wordt samen beoordeeld.",
}


@dataclass(frozen=True)
class Slot:
    """Where a module sits in the school's timetable (every school year the same)."""

    code: str
    year_level: int
    period: int
    teacher: str  # local part of the teacher's demo e-mail address
    partner: str = ""  # taught at school and with this partner


#: The school's timetable: leerjaar 2 kennismakend (the onderbouw ends with it), leerjaar 3 and 4 verdiepend.
LINDE = "Zorgcentrum De Linde"
TIMETABLE = {
    "21KR": [
        Slot("ZW-K-01", 2, 1, "docent", LINDE), Slot("EO-K-01", 2, 1, "docent3", "Winkelcentrum De Esch"),
        Slot("XS-K-02", 2, 1, "docent2"), Slot("BWI-PM-01", 2, 3, "docent2"), Slot("MVI-PM-03", 2, 3, "mentor"),
        Slot("MVI-PM-01", 2, 3, "mentor"),
        Slot("XS-K-01", 3, 1, "docent2", LINDE), Slot("ZW-KV-08", 3, 1, "docent", LINDE),
        Slot("ZW-V-01", 3, 2, "docent", LINDE), Slot("ZW-KV-12", 3, 3, "docent"), Slot("ZW-KV-05", 3, 4, "docent"),
        Slot("EO-V-01", 3, 1, "docent3", "Winkelcentrum De Esch"), Slot("EO-KV-07", 3, 2, "docent3"),
        Slot("EO-KV-01", 3, 3, "docent3"), Slot("BWI-PM-04", 3, 1, "docent2"), Slot("BWI-KV-16", 3, 2, "docent2"),
        Slot("BWI-KV-02", 3, 3, "docent2", "Installatiebedrijf Van Dam & Zn."),
        Slot("PIE-KV-01", 3, 3, "docent2", "Installatiebedrijf Van Dam & Zn."), Slot("MVI-PM-02", 3, 1, "mentor"),
        Slot("MVI-KV-07", 3, 2, "mentor"), Slot("MVI-KV-06", 3, 3, "mentor"),
        Slot("ZW-KV-07", 4, 1, "docent", LINDE), Slot("ZW-KV-09", 4, 2, "docent"), Slot("ZW-KV-13", 4, 3, "docent"),
        Slot("ZW-KV-11", 4, 3, "docent"), Slot("EO-KV-05", 4, 1, "docent3"), Slot("EO-KV-06", 4, 2, "docent3"),
        Slot("EO-KV-03", 4, 3, "docent3"), Slot("EO-KV-04", 4, 2, "docent3"), Slot("BWI-KV-05", 4, 1, "docent2"),
        Slot("BWI-KV-19", 4, 2, "docent2"), Slot("BWI-KV-01", 4, 3, "docent2"),
        Slot("PIE-KV-02", 4, 1, "docent2", "Installatiebedrijf Van Dam & Zn."), Slot("MVI-KV-09", 4, 1, "mentor"),
        Slot("MVI-KV-12", 4, 2, "mentor"), Slot("MVI-KV-01", 4, 3, "mentor"),
    ],
    "30PF": [
        Slot("HBR-K-01", 2, 1, "mentor"), Slot("HBR-V-01", 2, 3, "docent2", "Restaurant De Kade"),
        Slot("HBR-V-02", 2, 4, "docent"), Slot("HBR-V-03", 2, 3, "docent3", "Bakkerij Van der Meer"),
        Slot("HBR-KV-01", 3, 1, "docent2", "Grand Hotel Maasoever"), Slot("HBR-KV-03", 3, 2, "docent"),
        Slot("HBR-KV-02", 3, 1, "docent3", "Bakkerij Van der Meer"), Slot("HBR-KV-05", 3, 2, "docent3"),
        Slot("HBR-KV-08", 4, 1, "docent2", "Grand Hotel Maasoever"), Slot("HBR-KV-07", 4, 1, "docent"),
        Slot("HBR-KV-04", 4, 2, "docent2", "Grand Hotel Maasoever"), Slot("HBR-KV-06", 4, 3, "docent"),
    ],
}
ROOMS = {"docent": ("praktijklokaal zorg en welzijn", "P12"), "docent2": ("techniekwerkplaats", "W3"),
         "docent3": ("schoolwinkel", "E1"), "mentor": ("mediacentrum", "M2")}
ROOMS_VAK = {"docent": ("schoolkeuken", "K1"), "docent2": ("schoolrestaurant De Maas", "R1"),
             "docent3": ("schoolbakkerij", "B1"), "mentor": ("schoolrestaurant De Maas", "R2")}
GROUP_SIZE = 18


@dataclass(frozen=True)
class PackageSpec:
    name: str
    kind: str
    claims: tuple[str, ...]  # the leerwegen the package is for (its description says so; the tests check it)
    modules: tuple[str, ...]
    description: str
    rationale: str
    mbo: tuple[str, ...] = ()  # crebo codes; only qualifications the menukaart's fixture has


ALL = ("BB", "KB", "GL", "TL")
VAK = ("BB", "KB", "GL")
PACKAGES = {
    "21KR": [
        PackageSpec("Zorg en welzijn", "narrow", VAK,
                    ("ZW-K-01", "XS-K-01", "ZW-KV-08", "ZW-V-01", "ZW-KV-12", "ZW-KV-07", "ZW-KV-09", "ZW-KV-13"),
                    "Je leert werken met en voor mensen: verzorgen, begeleiden, een activiteit voor een doelgroep, "
                    "technologie in de zorg. Veel praktijk in Zorgcentrum De Linde.",
                    "De zorg in de regio IJssel-Vecht zoekt mensen op elk niveau; Mbo College IJssel-Vecht leidt op "
                    "tot helpende, verzorgende en verpleegkundige.", ("25960", "25656", "25655", "25486")),
        PackageSpec("Zorg en welzijn of economie: breed beginnen", "broad", ALL,
                    ("ZW-K-01", "EO-K-01", "ZW-KV-08", "ZW-V-01", "EO-V-01", "ZW-KV-07", "EO-KV-05", "EO-KV-06"),
                    "Je maakt kennis met zorg en welzijn en met economie en ondernemen, en kiest daarna waarin je je "
                    "verdiept: werken met mensen die zorg nodig hebben, of klanten helpen in een winkel.",
                    "Voor leerlingen die nog twijfelen tussen zorg en handel: zo blijven beide mbo-routes in de regio "
                    "open."),
        PackageSpec("Economie en ondernemen", "narrow", VAK,
                    ("EO-K-01", "EO-V-01", "EO-KV-07", "EO-KV-01", "EO-KV-05", "EO-KV-06", "EO-KV-03", "EO-KV-04"),
                    "Je leert verkopen, presenteren en ondernemen, in de schoolwinkel en in Winkelcentrum De Esch.",
                    "Detailhandel en logistiek zijn grote werkgevers in Zwolle; winkels in De Esch leiden mee op."),
        PackageSpec("Economie, media en ICT", "broad", VAK,
                    ("EO-K-01", "MVI-PM-03", "EO-V-01", "MVI-KV-07", "EO-KV-07", "EO-KV-06", "MVI-KV-12", "EO-KV-05"),
                    "Je combineert ondernemen met media: een webshop opzetten, fotograferen en vormgeven voor een "
                    "eigen onderneming.",
                    "Online verkopen vraagt mensen die handel en media combineren; het mbo in Zwolle sluit erop aan."),
        PackageSpec("Bouwen, wonen en interieur", "narrow", VAK,
                    ("XS-K-02", "BWI-PM-01", "BWI-PM-04", "BWI-KV-16", "BWI-KV-02", "BWI-KV-05", "BWI-KV-19",
                     "BWI-KV-01"),
                    "Je leert bouwen en afwerken: metselen, meubelmaken, onderhoud en interieur, in de werkplaats en "
                    "op de bouwplaats.",
                    "De bouw in de regio heeft tekorten; Installatiebedrijf Van Dam & Zn. en aannemers leiden mee op."),
        PackageSpec("Techniek: bouwen, installeren en energie", "broad", VAK,
                    ("XS-K-02", "BWI-PM-01", "XS-K-01", "PIE-KV-01", "BWI-KV-16", "PIE-KV-02", "BWI-KV-05",
                     "BWI-KV-19"),
                    "Je maakt kennis met bouwen en installeren, ook met domotica in de zorg, en verdiept je in "
                    "duurzame energie, koudetechniek of onderhoud.",
                    "Verduurzaming van woningen vraagt installateurs; Van Dam & Zn. biedt stages en beoordeelt mee."),
        PackageSpec("Media, vormgeving en ICT", "narrow", VAK,
                    ("MVI-PM-03", "MVI-PM-01", "MVI-PM-02", "MVI-KV-07", "MVI-KV-06", "MVI-KV-09", "MVI-KV-12",
                     "MVI-KV-01"),
                    "Je ontwerpt, fotografeert, programmeert en maakt games, in het mediacentrum van de school.",
                    "Creatieve en ICT-bedrijven in de regio zoeken mbo'ers met een brede basis."),
        PackageSpec("Pilot TL: vier werkvelden verkennen", "broad", ("TL",),
                    ("ZW-K-01", "EO-K-01", "XS-K-02", "XS-K-01", "EO-V-01"),
                    "Voor de theoretische leerweg: je maakt kennis met zorg, economie en techniek (ook domotica) en "
                    "verdiept je in werken in een winkel. Zo kies je onderbouwd voor havo, mbo 3 of mbo 4.",
                    "De pilot geeft TL-leerlingen een beroepsgericht programma; ze verkennen de sectoren van de regio."),
    ],
    "30PF": [
        PackageSpec("Restaurant en keuken", "narrow", VAK,
                    ("HBR-K-01", "HBR-V-01", "HBR-V-02", "HBR-KV-01", "HBR-KV-03", "HBR-KV-08", "HBR-KV-04",
                     "HBR-KV-06"),
                    "Je maakt kennis met horeca, bakkerij en recreatie, leert werken in het restaurant en in de "
                    "keuken, en specialiseert je als gastheer of kok, in ons schoolrestaurant en bij een hotel.",
                    "Rotterdam heeft honderden restaurants en hotels die vakmensen zoeken; Grand Hotel Maasoever en "
                    "Restaurant De Kade leiden mee op.", ("25648", "25185")),
        PackageSpec("Bakkerij en patisserie", "narrow", VAK,
                    ("HBR-K-01", "HBR-V-03", "HBR-V-02", "HBR-KV-02", "HBR-KV-05", "HBR-KV-07", "HBR-KV-04",
                     "HBR-KV-06"),
                    "Je maakt kennis met de sector, leert werken in de bakkerij en de keuken en specialiseert je in "
                    "brood, banket, patisserie en traiteur, in de schoolbakkerij en bij een echte bakkerij.",
                    "Ambachtelijke bakkerijen in Rijnmond zoeken jonge bakkers; Bakkerij Van der Meer leidt mee op.",
                    ("25185",)),
    ],
}
LEERWEG_WORDS = {"BB": "basis", "KB": "kader", "GL": "gemengd", "TL": "theoretisch"}


def claim_text(claims) -> str:
    words = [LEERWEG_WORDS[lw] for lw in claims]
    return "Voor de leerweg" + ("en " if len(words) > 1 else " ") + (
        ", ".join(words[:-1]) + " en " + words[-1] if len(words) > 1 else words[0]) + "."


def years(ctx) -> range:
    """The school years with an offering: from the first pilot year (sy-2) to today's leerjaar 2's leerjaar 4."""
    return range(ctx.school_year - 2, ctx.school_year + 3)


def slots(school) -> dict[str, Slot]:
    return {slot.code: slot for slot in TIMETABLE.get(school.brin, [])}


def _leader(school: School) -> User | None:
    return User.objects.filter(memberships__school=school, memberships__role=Role.SCHOOL_LEADER).order_by("pk").first()


def _teachers(school: School) -> dict[str, User]:
    users = User.objects.filter(memberships__school=school, memberships__role=Role.TEACHER).distinct()
    return {u.email.split("@")[0]: u for u in users}


def version_in(code: str, year: int) -> ModuleVersion | None:
    """The published (or since superseded) version of a module that is in force in `year`."""
    return (ModuleVersion.objects.filter(module__code=code, valid_from__lte=year,
                                         status__in=[VersionStatus.PUBLISHED, VersionStatus.SUPERSEDED])
            .filter(Q(valid_until__isnull=True) | Q(valid_until__gte=year))
            .select_related("module").prefetch_related("profielen").order_by("-version").first())


def load(ctx) -> None:
    for brin in ("21KR", "30PF"):
        school = School.objects.filter(brin=brin).first()
        leader = _leader(school) if school else None
        if school is None or leader is None:
            ctx.say(f"  Scholen: {brin} of zijn schoolleider ontbreekt; eerst de stap accounts.")
            continue
        _licences(school, leader)
        _policy(school, leader)
        _partners(school, leader)
        missing = [s.code for s in TIMETABLE[brin] if version_in(s.code, ctx.school_year) is None]
        if missing:
            ctx.say(f"  {school.name}: {len(missing)} modulen van het lesrooster staan (nog) niet op de menukaart "
                    f"({', '.join(missing[:5])}{' ...' if len(missing) > 5 else ''}); die worden niet aangeboden.")
        for year in years(ctx):
            _offering(school, leader, year)
        for year in years(ctx)[:-1]:
            _packages(school, leader, year)
        ctx.say(f"  {school.name}: {Offering.objects.filter(school=school).count()} modulen in het aanbod over "
                f"{len(years(ctx))} schooljaren ({years(ctx)[0]}-{years(ctx)[-1] + 1}), "
                f"{Package.objects.filter(school=school, school_year=ctx.school_year).count()} pakketten per jaar, "
                f"{Partner.objects.filter(school=school).count()} partners")


def _licences(school, leader) -> None:
    have = set(school.licences.values_list("profiel__code", flat=True))
    for code in LICENCES[school.brin]:
        if code not in have:
            services.add_licence(school=school, profiel=Profiel.objects.get(code=code), from_year=LICENCE_FROM,
                                 by=leader)


def _policy(school, leader) -> None:
    if SchoolPolicy.objects.filter(school=school).exists():
        return
    services.save_policy(school=school, introductory_before_deepening=not school.is_vakschool, by=leader)


def _partners(school, leader) -> None:
    for name, text in PARTNER_TEXT.items():
        Partner.objects.filter(school=school, name=name, description="").update(description=text)
    existing = set(Partner.objects.filter(school=school).values_list("name", flat=True))
    for name, kind, city, outside, internship, assessment, text in EXTRA_PARTNERS.get(school.brin, []):
        if name not in existing:
            services.create_partner(school=school, by=leader, name=name, kind=kind, city=city,
                                    offers_outside_learning=outside, offers_internship=internship,
                                    offers_assessment=assessment, description=text,
                                    contact_name="Afdeling opleidingen")


def _offering(school, leader, year) -> None:
    """The timetable's modules at the version in force that year, for the school's leerwegen they are
    elaborated for; the timetable's teacher, and the partner who teaches along."""
    if Offering.objects.filter(school=school, school_year=year).exists():
        return
    teachers = _teachers(school)
    partners = {p.name: p for p in Partner.objects.filter(school=school)}
    for code, slot in slots(school).items():
        version = version_in(code, year)
        if version is None:
            continue
        fields = {"teachers": [teachers[slot.teacher]] if slot.teacher in teachers else [],
                  "capacity": 2 * GROUP_SIZE if slot.year_level == 2 else GROUP_SIZE}
        if slot.partner in partners:
            fields.update(taught_at="both", partner=partners[slot.partner])
        services.plan_offering(school=school, module_version=version, school_year=year, by=leader,
                               leerwegen=[lw for lw in LEERWEGEN[school.brin] if lw in version.leerwegen], **fields)


def _packages(school, leader, year) -> None:
    existing = set(Package.objects.filter(school=school, school_year=year).values_list("name", flat=True))
    offered = {o.module_version.module.code: o.module_version.module
               for o in Offering.objects.filter(school=school, school_year=year).select_related("module_version__module")}
    table = slots(school)
    quals = {q.crebo: q for q in MboQualification.objects.all()}
    for spec in PACKAGES[school.brin]:
        if spec.name in existing:
            continue
        modules = [{"module": offered[code], "year_level": table[code].year_level}
                   for code in spec.modules if code in offered]
        services.create_package(
            school=school, name=spec.name, kind=spec.kind, school_year=year, by=leader, modules=modules,
            description=f"{spec.description} {claim_text(spec.claims)}", regional_rationale=spec.rationale,
            mbo_qualifications=[quals[c] for c in spec.mbo if c in quals])


def form_groups(ctx, school) -> int:
    """Teaching groups for the school years up to now, from the programmes: per module and school year the
    students whose programme has it that year (of every leerweg the offering is for), in groups of at most
    GROUP_SIZE, with the timetable's period, teacher and room. Called by the students step."""
    from maatwerk.students.models import ProgrammeItem

    sy = ctx.school_year
    if TeachingGroup.objects.filter(school=school).exists():
        return 0
    leader = _leader(school)
    table = slots(school)
    teachers = _teachers(school)
    rooms = ROOMS_VAK if school.is_vakschool else ROOMS
    offerings = {(o.school_year, o.module_version.module.code): o for o in Offering.objects.filter(
        school=school, school_year__in=[y for y in years(ctx) if y <= sy]).select_related("module_version__module")}
    members: dict[tuple[int, str], list] = defaultdict(list)
    for item in (ProgrammeItem.objects.filter(programme__student__school=school, school_year__lte=sy)
                 .exclude(status="planned").select_related("programme__student", "module_version__module")
                 .order_by("programme__student__class_name", "programme__student__student_number")):
        members[(item.school_year, item.module_version.module.code)].append(item.programme.student)
    days = ["ma", "di", "wo", "do", "vr"]
    made = 0
    for n, ((year, code), students) in enumerate(sorted(members.items())):
        offering, slot = offerings.get((year, code)), table.get(code)
        if offering is None or slot is None:
            continue
        chunks = -(-len(students) // GROUP_SIZE)
        room, number = rooms.get(slot.teacher, ("praktijklokaal", "P1"))
        for i in range(chunks):
            hour = 1 + 2 * ((n + i) % 4)
            services.create_teaching_group(
                school=school, offering=offering, name=f"{code.lower()}-{chr(97 + i)}", period=slot.period,
                teacher=teachers.get(slot.teacher),
                schedule=f"{days[(n + i) % 5]} {hour}e-{hour + 1}e uur, {room} ({number})",
                students=students[i::chunks], by=leader)
            made += 1
    return made
