"""Demo step 3: the two demo schools' licences, policy, offering for this and next school year, packages,
partners and mixed teaching groups. Everything goes through the services (and so through the engine),
as the schoolleider; idempotent (what exists is kept).

* Het Baken (brede school): licences ZW, EO, BWI, PIE, MVI; a kennismakende module comes before a
  verdiepende one; per profiel a broad and a narrow package.
* Vakschool Maasstad: licence HBR; narrow packages for horeca (restaurant and keuken) and bakkerij,
  as in the seed's example ("Verdiepende modulen").
* Teaching groups in this school year that mix BB, KB and GL students (seed: "Eén vmbo").

The offering comes from the catalog's published modules (the real starting stock that the catalog
demo step imports). When there are none, nothing is offered and the step says so.
"""

from __future__ import annotations

from django.db.models import Count

from maatwerk.accounts.models import Role, User
from maatwerk.catalog.models import MboQualification, Module, ModuleVersion, Profiel, VersionStatus
from maatwerk.students.models import Student

from . import services
from .models import Offering, Package, Partner, School, SchoolPolicy, TeachingGroup

LICENCES = {"21KR": ["ZW", "EO", "BWI", "PIE", "MVI"], "30PF": ["HBR"]}
LICENCE_FROM = 2020

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
#: Which partner teaches along for a profiel (taught "op school en bij een partner").
PARTNER_FOR = {
    "21KR": {"ZW": "Zorgcentrum De Linde", "BWI": "Installatiebedrijf Van Dam & Zn.",
             "PIE": "Installatiebedrijf Van Dam & Zn.", "EO": "Winkelcentrum De Esch"},
    "30PF": {},
}
#: The vakschool's narrow packages: name -> (words in module titles, rationale, description)
VAKSCHOOL_PACKAGES = [
    ("Restaurant en keuken", ("gastheer", "keukenspecialisatie", "evenement", "facilitair"),
     "Rotterdam heeft honderden restaurants en hotels die vakmensen zoeken; onze partners Grand Hotel Maasoever "
     "en Restaurant De Kade leiden mee op.",
     "Je leert koken en gasten ontvangen in ons schoolrestaurant en bij een hotel of restaurant in de stad."),
    ("Bakkerij en patisserie", ("brood", "patisserie", "bijzondere keuken", "traiteur"),
     "Ambachtelijke bakkerijen in Rijnmond zoeken jonge bakkers; Bakkerij Van der Meer leidt mee op.",
     "Je bakt brood, banket en taarten in de schoolbakkerij en bij een echte bakkerij."),
]


def _leader(school: School) -> User | None:
    return User.objects.filter(memberships__school=school, memberships__role=Role.SCHOOL_LEADER).order_by("pk").first()


def _teachers(school: School) -> list[User]:
    return list(User.objects.filter(memberships__school=school, memberships__role=Role.TEACHER)
                .distinct().order_by("email"))


def _published(codes: list[str]):
    return list(
        ModuleVersion.objects.filter(status=VersionStatus.PUBLISHED, module__current_version__isnull=False)
        .filter(profielen__code__in=codes).select_related("module").prefetch_related("profielen")
        .distinct().order_by("module__code")
    )


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
        versions = _published(LICENCES[brin])
        if not versions:
            ctx.say(f"  {school.name}: de menukaart heeft geen gepubliceerde modulen voor "
                    f"{', '.join(LICENCES[brin])}; er is geen aanbod gemaakt.")
            continue
        for year in (ctx.school_year, ctx.school_year + 1):
            _offering(school, leader, versions, year)
            if school.is_vakschool:
                _vakschool_packages(school, leader, year)
            else:
                _broad_school_packages(school, leader, year)
        _groups(ctx, school, leader)
        ctx.say(f"  {school.name}: {Offering.objects.filter(school=school).count()} modulen in het aanbod over "
                f"twee schooljaren, {Package.objects.filter(school=school).count()} pakketten, "
                f"{TeachingGroup.objects.filter(school=school).count()} lesgroepen, "
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
    if school.is_vakschool:
        services.save_policy(school=school, introductory_before_deepening=False, by=leader)
    else:
        services.save_policy(school=school, introductory_before_deepening=True, by=leader)


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


def _offering(school, leader, versions, year) -> None:
    if Offering.objects.filter(school=school, school_year=year).exists():
        return
    leerwegen = ["BB", "KB", "GL"] if school.is_vakschool else None
    result = services.plan_offerings(school=school, versions=versions, school_year=year, leerwegen=leerwegen,
                                     by=leader)
    teachers = _teachers(school)
    partners = {p.name: p for p in Partner.objects.filter(school=school)}
    for i, offering in enumerate(result.created):
        profielen = {p.code for p in offering.module_version.profielen.all()}
        partner_name = next((PARTNER_FOR[school.brin][c] for c in sorted(profielen) if c in PARTNER_FOR[school.brin]),
                            None)
        title = offering.module_version.title.lower()
        if school.is_vakschool:
            partner_name = ("Bakkerij Van der Meer" if any(w in title for w in ("brood", "banket", "patisserie"))
                            else "Grand Hotel Maasoever" if i % 2 else "Restaurant De Kade")
        fields = {"teachers": [teachers[i % len(teachers)]] if teachers else [],
                  "capacity": 24 if offering.module_version.module_type == "INTRODUCTORY" else 16}
        if partner_name in partners and i % 3 != 2:
            fields.update(taught_at="both", partner=partners[partner_name])
        services.change_offering(offering=offering, by=leader, **fields)


def _modules_offered(school, year):
    ids = Offering.objects.filter(school=school, school_year=year).values_list("module_version__module_id", flat=True)
    return list(Module.objects.filter(pk__in=ids).select_related("current_version")
                .prefetch_related("current_version__profielen").order_by("code"))


def _qualifications(codes) -> list[MboQualification]:
    return list(MboQualification.objects.filter(profielen__code__in=codes).distinct().order_by("level", "name"))


def _broad_school_packages(school, leader, year) -> None:
    modules = _modules_offered(school, year)
    by_profiel: dict[str, list[Module]] = {}
    for m in modules:
        for p in m.current_version.profielen.all():
            by_profiel.setdefault(p.code, []).append(m)
    names = {p.code: p.name for p in Profiel.objects.all()}
    existing = set(Package.objects.filter(school=school, school_year=year).values_list("name", flat=True))
    codes = [c for c in LICENCES[school.brin] if by_profiel.get(c)]
    for i, code in enumerate(codes):
        own = by_profiel[code]
        intro = [m for m in own if m.current_version.module_type == "INTRODUCTORY"]
        deep = [m for m in own if m.current_version.module_type == "DEEPENING"]
        # the second direction of a broad package: the next profiel that has kennismakende modules
        others = [c for c in codes[i + 1:] + codes[:i] if c != code]
        second = next((c for c in others if any(m.current_version.module_type == "INTRODUCTORY"
                                                for m in by_profiel[c])), others[0] if others else None)
        neighbour = [m for m in by_profiel.get(second, []) if m not in own]
        other_intro = [m for m in neighbour if m.current_version.module_type == "INTRODUCTORY"]
        other_deep = [m for m in neighbour if m.current_version.module_type == "DEEPENING"]
        label = names[code]
        narrow_name = f"Smal: {label}"
        if narrow_name not in existing:
            services.create_package(
                school=school, name=narrow_name, kind="narrow", school_year=year, by=leader,
                modules=(intro + deep)[:10],
                description=f"Je verdiept je in één richting: {label}. Je volgt de modulen van dit profiel.",
                regional_rationale=f"In de regio {school.region or school.city} zoeken bedrijven en instellingen "
                                   f"in {label} mensen; het mbo in Zwolle sluit er direct op aan.",
                mbo_qualifications=_qualifications([code]))
        broad_name = f"Breed: {label} en meer"
        if broad_name not in existing:
            mix = (intro[:2] + other_intro[:2] + deep[:4] + other_deep[:2]) or own[:8]
            services.create_package(
                school=school, name=broad_name, kind="broad", school_year=year, by=leader, modules=mix,
                description=(f"Je maakt kennis met {label} en met {names.get(second, 'een tweede richting')}, en "
                             f"kiest daarna waarin je je verdiept." if intro else
                             f"Je maakt kennis met {names.get(second, 'een tweede richting')} en verdiept je in "
                             f"{label} of in die tweede richting."),
                regional_rationale="Voor leerlingen die nog twijfelen: zo houden ze in de regio meer mbo-routes open.",
                mbo_qualifications=_qualifications([code])[:3])


def _vakschool_packages(school, leader, year) -> None:
    modules = _modules_offered(school, year)
    existing = set(Package.objects.filter(school=school, school_year=year).values_list("name", flat=True))
    quals = _qualifications(["HBR"])
    for name, words, rationale, description in VAKSCHOOL_PACKAGES:
        if name in existing:
            continue
        # the seed's narrow package: kennismakend in the sector, then verdiepen in restaurant, keuken or
        # bakkerij. The kennismakende HBR modules are not in the menukaart's starting stock: the engine
        # flags these packages until they are (an honest finding of the demo).
        chosen = [m for m in modules if any(w in m.current_version.title.lower() for w in words)]
        services.create_package(school=school, name=name, kind="narrow", school_year=year, by=leader,
                                modules=chosen, description=description, regional_rationale=rationale,
                                mbo_qualifications=quals)


def _groups(ctx, school, leader) -> None:
    """Mixed groups in this school year: leerjaar 3 and 4 students of BB, KB and GL together."""
    year = ctx.school_year
    if TeachingGroup.objects.filter(school=school, offering__school_year=year).exists():
        return
    offerings = list(Offering.objects.filter(school=school, school_year=year, for_bb=True, for_kb=True, for_gl=True)
                     .select_related("module_version__module").annotate(guides=Count("module_version__guides"))
                     .order_by("-guides", "module_version__module__code"))
    students = list(Student.objects.filter(school=school, year_level__in=[3, 4], leerweg__in=["BB", "KB", "GL"])
                    .order_by("student_number"))
    if not offerings or not students:
        return
    teachers = _teachers(school)
    days = ["ma", "di", "wo", "do", "vr"]
    rng = ctx.rng
    for i, offering in enumerate(offerings[:6]):
        members = rng.sample(students, min(len(students), 14))
        code = offering.module_version.module.code.lower()
        services.create_teaching_group(
            school=school, offering=offering, name=f"{code}-{chr(97 + i % 2)}", period=1 + i % 4,
            teacher=teachers[i % len(teachers)] if teachers else None,
            schedule=f"{days[i % 5]} {3 + i % 3}e-{4 + i % 3}e uur, praktijklokaal P{10 + i}",
            students=members, by=leader)
