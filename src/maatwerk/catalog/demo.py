"""Demo step 2: the menukaart. The real starting stock (every profielmodule and keuzevak of the
fixtures) plus demo material that is clearly demo: new cross-sector modules proposed by platforms and
a school, reviews (some overdue), six school years of usage counts with a couple of modules heading
for removal, handreikingen per leerweg and example assessments for a handful of modules, and a second
version of a module so that the version history and the diff show something.

The validity years of the stock are demo choices relative to the current school year (sy): most
modules valid from sy-2, a few older so that reviews fall due or are overdue. The texts of guides,
examples and second versions are demo texts, marked as such in their change note.
"""

from __future__ import annotations

import datetime as dt

from django.db.models import Count
from django.utils import timezone

from maatwerk.accounts.models import Platform, User
from maatwerk.domain import AssessmentForm, school_year_of
from maatwerk.kern.models import KernObjective

from . import services
from .models import (
    ExampleAssessment,
    MboQualification,
    Module,
    ModuleProposal,
    ModuleType,
    ModuleUsageReport,
    Profiel,
    ProposalKind,
    ProposalStatus,
    Review,
    ReviewDecision,
    UsageSource,
)
from .services import SYSTEM

DUE_THIS_YEAR = ["BWI-KV-09", "EO-KV-03", "HBR-KV-06", "MVI-KV-04"]   # valid from sy-4: review due 1 Aug sy+1
OVERDUE = ["ZW-KV-06", "BWI-KV-15", "ZW-KV-09"]                       # valid from sy-5: review was due 1 Aug sy
NO_EXAMS = ["GROEN-KV-10"]                                            # valid from sy-6, no exam for 6 years
FEW_EXAMS = {"BWI-KV-10": 5, "PIE-KV-02": 4, "MVI-KV-11": 3}          # last exam this many years ago

DEMO = "Demo-uitwerking (geen officiële tekst)."

GUIDES = {
    "HBR-KV-01": {
        "summary": "Gastheerspecialisatie: gasten ontvangen, adviseren en bedienen in restaurant en bar, met "
                   "aandacht voor gastbeleving en samenwerking met de keuken.",
        "objectives": ["De kandidaat kan gasten ontvangen, plaatsen en adviseren over gerechten en dranken.",
                       "De kandidaat kan een bestelling opnemen en doorgeven aan keuken en bar.",
                       "De kandidaat kan een tafel dekken, serveren en afruimen volgens de huisstijl.",
                       "De kandidaat kan afrekenen en een gast uitgeleide doen."],
        "guides": {"BB": ("meer praktijk", "Oefenen in het schoolrestaurant met vaste taken en een werkkaart; "
                          "beoordeling tijdens een echte lunchservice."),
                   "KB": ("praktijk met voorbereiding", "Zelf een service voorbereiden (mise-en-place, "
                          "reserveringen) en een klein team aansturen."),
                   "GL": ("meer theorie en verdieping", "Daarnaast een gastbelevingsonderzoek bij een "
                          "horecabedrijf in de regio, met een verslag en een presentatie.")},
        "kern": ["AV1.3", "AV4.2", "AV6.3", "AV7.4"], "mbo": ["25648", "25185"],
        "examples": [("Proeve: lunchservice schoolrestaurant", AssessmentForm.PROEVE, "BB",
                      "Ontvangst, advies en bediening van vier gasten; beoordeling met rubric door docent en "
                      "praktijkbegeleider."),
                     ("Gastbelevingsonderzoek", AssessmentForm.PRESENTATION, "GL",
                      "Onderzoek bij een horecabedrijf, presentatie aan de bedrijfsleider.")],
    },
    "ZW-KV-13": {
        "objectives": ["De kandidaat kan zorgtechnologie in de thuissituatie herkennen en uitleggen.",
                       "De kandidaat kan een cliënt helpen een eenvoudig hulpmiddel te gebruiken.",
                       "De kandidaat kan privacy en veiligheid bij zorgtechnologie bewaken."],
        "guides": {"BB": ("meer praktijk", "Hulpmiddelen uitproberen in het praktijklokaal en bij een "
                          "zorgcentrum; korte instructie aan een medeleerling geven."),
                   "KB": ("praktijk met voorbereiding", "Een instructie voor een cliënt voorbereiden en geven."),
                   "GL": ("meer theorie", "Vergelijken van twee hulpmiddelen op nut, kosten en privacy.")},
        "kern": ["AV2.4", "AV8.1"], "mbo": ["25960", "25656"],
        "examples": [("Instructie leefstijlmonitor", AssessmentForm.PRACTICAL, "",
                      "De leerling legt een cliënt uit hoe een leefstijlmonitor werkt.")],
    },
    "BWI-KV-02": {
        "objectives": ["De kandidaat kan een metselplan lezen en uitzetten.",
                       "De kandidaat kan schoon metselwerk in halfsteens verband maken.",
                       "De kandidaat kan voegen en het werk schoon opleveren."],
        "guides": {"BB": ("meer praktijk", "Metselen op ware grootte in de werkplaats, stap voor stap."),
                   "KB": ("praktijk", "Zelf een klein werkstuk plannen en uitvoeren."),
                   "GL": ("theorie en ontwerp", "Een metselverband kiezen en onderbouwen, met berekening van "
                          "materialen.")},
        "kern": ["AV7.5", "PW.2"], "mbo": [],
        "examples": [("Meesterproef: tuinmuurtje", AssessmentForm.MEESTERPROEF, "",
                      "Een tuinmuurtje bij een klant, beoordeeld door een erkend leerbedrijf.")],
    },
    "MVI-KV-07": {
        "objectives": ["De kandidaat kan een camera en licht instellen voor een opdracht.",
                       "De kandidaat kan foto's selecteren en bewerken voor een opdrachtgever."],
        "guides": {"BB": ("meer praktijk", "Fotograferen volgens een opdrachtkaart."),
                   "KB": ("praktijk", "Een fotoserie maken voor een schoolevenement."),
                   "GL": ("theorie", "Beeldanalyse en een portfolio met toelichting.")},
        "kern": ["AV8.2"], "mbo": [],
        "examples": [],
    },
}

#: The module whose second version changes content (so the diff shows something real).
SECOND_VERSION = "GROEN-KV-02"

PROPOSALS = [
    # (title, platform code or school BRIN, profielen, type, leerwegen, state, summary, objectives, reason)
    ("Domotica in zorg en welzijn", "zw", ["ZW", "PIE"], ModuleType.INTRODUCTORY, "BB,KB,GL", "accepted",
     "Slimme technologie in huis en zorg: sensoren, alarmering en domotica installeren en uitleggen aan "
     "bewoners en zorgverleners.",
     "De kandidaat kan eenvoudige domotica (sensoren, slimme schakelaars) aansluiten en testen.\n"
     "De kandidaat kan een bewoner uitleggen hoe een alarmeringssysteem werkt.\n"
     "De kandidaat kan samen met een zorgverlener een hulpvraag vertalen naar een technische oplossing.",
     "Past bij de zorg- en installatiebranche: beide missen mensen die techniek en zorg verbinden."),
    ("Duurzaam installeren en renoveren", "bwi", ["BWI", "PIE"], ModuleType.DEEPENING, "KB,GL", "in_assessment",
     "Woningen verduurzamen: isoleren, warmtepompen en zonnepanelen, van opname tot oplevering.",
     "De kandidaat kan een energieopname van een woning uitvoeren.\n"
     "De kandidaat kan isolatiemateriaal kiezen en aanbrengen.\n"
     "De kandidaat kan een zonnepaneel monteren volgens de voorschriften.", ""),
    ("Voeding, sport en gezondheid", "21KR", ["ZW", "HBR"], ModuleType.INTRODUCTORY, "BB,KB,GL,TL", "submitted",
     "Gezonde voeding bereiden en adviseren voor sporters en ouderen.",
     "De kandidaat kan een gezonde maaltijd plannen en bereiden.\nDe kandidaat kan voedingsadvies geven.", ""),
    ("Drone-inspecties in bouw en groen", "21KR", ["BWI", "Groen"], ModuleType.DEEPENING, "GL,TL", "rejected",
     "Inspecties van daken en groen met drones.",
     "De kandidaat kan een drone veilig besturen.\nDe kandidaat kan inspectiebeelden beoordelen.",
     "Sympathiek voorstel, maar voor drones is een bevoegdheid nodig die leerlingen onder de 16 niet krijgen. "
     "Dien het opnieuw in als module voor de bovenbouw zonder zelf vliegen, met beeldanalyse als kern."),
]


def _user(email: str) -> User | None:
    return User.objects.filter(email=email).first()


def _second_versions(ctx, sy: int, steward) -> None:
    kern = {o.code: o for o in KernObjective.objects.filter(area__framework__status="published")}
    mbo = {q.crebo: q for q in MboQualification.objects.all()}
    for code, spec in GUIDES.items():
        module = Module.objects.filter(code=code).first()
        if module is None or module.versions.count() > 1:
            continue
        version = services.new_version(module=module, by=SYSTEM)
        content = {
            "objectives": spec["objectives"],
            "guides": {lw: {"emphasis": e, "text": t} for lw, (e, t) in spec["guides"].items()},
            "kern_objectives": [kern[c] for c in spec["kern"] if c in kern],
            "mbo_qualifications": [mbo[c] for c in spec["mbo"] if c in mbo],
            "change_note": f"Eindtermen, handreikingen per leerweg en koppelingen toegevoegd. {DEMO}",
        }
        if "summary" in spec:
            content["summary"] = spec["summary"]
        services.update_concept(version=version, by=SYSTEM, **content)
        for title, form, leerweg, description in spec["examples"]:
            ExampleAssessment.objects.create(version=version, title=title, form=form, leerweg=leerweg,
                                             description=description)
        services.publish_version(version=version, by=steward or SYSTEM, valid_from=sy)
        ctx.say(f"  {code}: versie 2 met handreikingen per leerweg")
    module = Module.objects.filter(code=SECOND_VERSION).first()
    if module is not None and module.versions.count() == 1:
        old = module.current_version
        version = services.new_version(module=module, by=SYSTEM)
        objectives = [(o.code, o.text) for o in old.objectives.all()]
        objectives[1] = (objectives[1][0], "Een duurzaam ontwerp voor een tuin maken, met inheemse planten en "
                                           "waterberging, en de tuin aanleggen")
        objectives.append(("E4", "Het onderhoud van de tuin plannen en de opdrachtgever adviseren"))
        services.update_concept(
            version=version, by=SYSTEM, objectives=objectives,
            title="Tuinontwerp en duurzame aanleg",
            summary="Tuinen ontwerpen en aanleggen, met de nadruk op klimaatbestendige tuinen.",
            kern_objectives=[kern[c] for c in ("AV8.3", "PW.3") if c in kern],
            guides={"BB": {"emphasis": "meer praktijk", "text": "Aanleg van een proeftuin op school."},
                    "KB": {"emphasis": "praktijk", "text": "Aanleg bij een klant onder begeleiding."},
                    "GL": {"emphasis": "meer theorie", "text": "Ontwerp met beplantingsplan en kostenraming."}},
            change_note=f"Klimaatbestendig ontwerp en onderhoudsadvies toegevoegd na de eerste review. {DEMO}",
        )
        services.publish_version(version=version, by=steward or SYSTEM, valid_from=sy + 1)
        ctx.say(f"  {SECOND_VERSION}: versie 2, geldig vanaf {sy + 1}-{sy + 2}")
    concept_of = Module.objects.filter(code="BWI-KV-02").first()
    if concept_of is not None and concept_of.versions.count() == 2:
        version = services.new_version(module=concept_of, by=SYSTEM)
        services.update_concept(version=version, by=SYSTEM,
                                change_note=f"In bewerking: herziening na signalen van leerbedrijven. {DEMO}")


def _reviews(on: dt.date, steward) -> None:
    for code, decision, days_ago in (("ZW-KV-09", ReviewDecision.UPDATE, 400), ("MVI-KV-04", ReviewDecision.KEEP, 30)):
        module = Module.objects.select_related("current_version").filter(code=code).first()
        if module is None or Review.objects.filter(module=module).exclude(decision="").exists():
            continue
        review = services.schedule_review(module=module, by=SYSTEM)
        services.record_review(
            review=review, by=SYSTEM, decision=decision, decided_on=on - dt.timedelta(days=days_ago),
            reasons=("De taken sluiten niet meer aan bij het werk in de wijkzorg; de eindtermen over "
                     "huishoudelijke hulp moeten worden bijgesteld." if decision == ReviewDecision.UPDATE else
                     "Past nog goed bij het werkveld; scholen en leerbedrijven zijn tevreden."),
            consulted_vmbo="Platform Z&W, drie scholen uit de pilot",
            consulted_mbo="Twee mbo-colleges (opleiding Helpende Z&W)",
            consulted_employers="Brancheorganisatie zorg, twee zorgaanbieders",
        )
        if steward is not None:
            Review.objects.filter(pk=review.pk).update(decided_by=steward)


def _usage(ctx, sy: int) -> None:
    rng = ctx.rng
    years = range(sy - 5, sy + 1)
    brins = ["21KR", "30PF", "04GH", "12XB", "17MN"]  # the demo schools and three other installations
    existing = set(ModuleUsageReport.objects.values_list("module_id", "school_year", "brin"))
    rows = []
    for module in Module.objects.filter(current_version__isnull=False).select_related("current_version"):
        profielen = {p.code for p in module.current_version.profielen.all()}
        for year in years:
            for brin in brins:
                if (module.pk, year, brin) in existing:
                    continue
                if module.code in NO_EXAMS:
                    exams = 0
                elif module.code in FEW_EXAMS:
                    exams = rng.randint(1, 4) if year <= sy - FEW_EXAMS[module.code] and brin == "04GH" else 0
                elif brin == "30PF":
                    exams = rng.randint(8, 30) if "HBR" in profielen else 0
                else:
                    exams = rng.choice([0, 0, 3, 6, 9, 12, 18, 25])
                if year == sy:
                    exams //= 3  # the running school year: only the first exams are in
                rows.append(ModuleUsageReport(module=module, school_year=year, brin=brin, exams_taken=exams,
                                              source=UsageSource.LOCAL if brin in {"21KR", "30PF"} else UsageSource.API))
    ModuleUsageReport.objects.bulk_create(rows, ignore_conflicts=True)
    ctx.say(f"  {len(rows)} gebruiksmeldingen over {sy - 5}-{sy - 4} tot en met {sy}-{sy + 1}")


def _proposals(ctx, on: dt.date, steward) -> None:
    from maatwerk.schools.models import School

    profielen = {p.code: p for p in Profiel.objects.all()}
    for title, org, codes, module_type, leerwegen, state, summary, objectives, reason in PROPOSALS:
        if ModuleProposal.objects.filter(title=title).exists():
            continue
        platform = Platform.objects.filter(code=org).first()
        school = School.objects.filter(brin=org).first()
        email = f"indiener@platform-{org}.demo" if platform else "indiener@hetbaken.demo"
        proposer = _user(email)
        if proposer is None or (platform is None and school is None):
            continue
        proposal = services.submit_proposal(
            by=proposer, kind=ProposalKind.NEW, title=title, module_type=module_type,
            profielen=[profielen[c] for c in codes], leerwegen=leerwegen.split(","), summary=summary,
            objectives=objectives, rationale="Vraag uit de regio: " + summary.lower(),
            evidence="Vacatures en gesprekken met leerbedrijven en het mbo in de regio.",
            school=school if platform is None else None, platform=platform, today=on)
        actor = steward or SYSTEM
        if state in ("in_assessment", "accepted", "rejected"):
            services.start_assessment(proposal=proposal, by=actor)
        if state == "accepted":
            services.accept_proposal(proposal=proposal, by=actor, reason=reason)
        elif state == "rejected":
            services.reject_proposal(proposal=proposal, by=actor, reason=reason)
    change_title = "Schoonmetselwerk: duurzame materialen"
    module = Module.objects.filter(code="BWI-KV-02").first()
    proposer = _user("indiener@platform-bwi.demo")
    if module and proposer and not ModuleProposal.objects.filter(title=change_title).exists():
        services.submit_proposal(
            by=proposer, kind=ProposalKind.CHANGE, module=module, title=change_title,
            module_type=ModuleType.DEEPENING, profielen=[profielen["BWI"]], leerwegen=["BB", "KB", "GL"],
            summary="Hergebruikte stenen en kalkmortel een plaats geven in het keuzevak.",
            objectives="De kandidaat kan hergebruikte stenen beoordelen en verwerken.",
            rationale="Circulair bouwen wordt de norm in de regio.",
            evidence="Drie aannemers in de regio werken al met hergebruikte stenen.",
            platform=Platform.objects.get(code="bwi"), today=on)
    counts = dict(ModuleProposal.objects.values_list("status").order_by().annotate(n=Count("pk")))
    ctx.say("  voorstellen: " + ", ".join(f"{ProposalStatus(k).label} {v}" for k, v in sorted(counts.items())))


def load(ctx) -> None:
    sy = ctx.school_year
    today = timezone.localdate()
    on = today if school_year_of(today) == sy else dt.date(sy, 10, 1)
    steward = _user("beheerder@maatwerk.demo")
    overrides = {**dict.fromkeys(DUE_THIS_YEAR, sy - 4), **dict.fromkeys(OVERDUE, sy - 5),
                 **dict.fromkeys(NO_EXAMS, sy - 6), **dict.fromkeys(FEW_EXAMS, sy - 6)}
    result = services.import_stock(valid_from=sy - 2, valid_from_by_code=overrides)
    ctx.say(f"Menukaart: {len(result.created)} modulen uit de startvoorraad geïmporteerd "
            f"({len(result.existing)} waren er al), {result.qualifications} mbo-kwalificaties")
    _second_versions(ctx, sy, steward)
    _reviews(on, steward)
    _usage(ctx, sy)
    _proposals(ctx, on, steward)
    lifecycle = services.run_lifecycle(on=on)
    ctx.say(f"  levenscyclus {on:%d-%m-%Y}: {len(lifecycle.actions)} nieuwe acties")
