"""Demo step 2: the menukaart. The real starting stock (every profielmodule and keuzevak of the
fixtures) plus demo material that is clearly demo: the pilot's new modules (kennismakend for Z&W, E&O,
techniek and HBR, the cross-sector Domotica, verdiepend 'Werken in een winkel', a doelgroepen module and
restaurant, keuken and bakkerij for the vakschool; each from an example in the SPV advice, elaborated for
BB, KB, GL and TL, and marked as demo content in its source and data note), new modules proposed by
platforms and a school, reviews (some overdue), six school years of usage counts with a couple of modules
heading for removal, handreikingen per leerweg and example assessments for a handful of modules, and a
second version of a module so that the version history and the diff show something.

The validity years of the stock are demo choices relative to the current school year (sy): most
modules valid from sy-2, a few older so that reviews fall due or are overdue. The texts of guides,
examples and second versions are demo texts, marked as such in their change note.
"""

from __future__ import annotations

import contextlib
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
    # Domotica was proposed in the round before the pilot, accepted and worked out by the steward: it is one
    # of the pilot modules below (PILOT), published from the first pilot year.
    ("Domotica in zorg en welzijn", "zw", ["ZW", "PIE"], ModuleType.INTRODUCTORY, "BB,KB,GL,TL", "accepted",
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


#: Kennismakende modules lead to no mbo qualification of their own (they are for finding out what fits); the
#: verdiepende ones link the qualifications of the fixture that fit them.
#: New modules of the pilot, derived from the SPV advice's own examples. They are DEMO CONTENT: no such
#: examenprogramma exists. The starting stock has no kennismakende modules for Z&W, E&O and HBR and nothing
#: for TL (their profielmodulen were not found in public sources, and the fixture is never filled in by
#: hand), so the pilot schools could not compose a programme without them. Each one is labelled by its
#: source and its data note, elaborated for BB, KB, GL and TL, and published from the first pilot year.
PILOT_SOURCE = "SPV-advies juli 2023, voorbeeld uit de tekst: "
PILOT_NOTE = ("Demo-inhoud voor de pilot: deze module is uitgewerkt aan de hand van een voorbeeld uit het SPV-advies. "
              "Het is geen bestaand examenprogramma; eindtermen, handreikingen en koppelingen zijn voorbeelden.")
PILOT = [
    {
        "code": "ZW-K-01", "title": "Werken met en voor mensen", "type": ModuleType.INTRODUCTORY, "profielen": ["ZW"],
        "seed": "Kennismakende modulen ('leren werken met en aanraken van mensen binnen Zorg & Welzijn')",
        "summary": "Kennismaken met het werk in zorg en welzijn: contact maken, helpen en verzorgen. De leerling "
                   "leert werken met en aanraken van mensen, bijvoorbeeld bij eten, bewegen en een eenvoudige "
                   "verzorging, en ontdekt of dit werk bij hem of haar past.",
        "objectives": ["De kandidaat kan op een respectvolle manier contact maken met een cliënt en uitleggen wat "
                       "hij gaat doen.",
                       "De kandidaat kan een cliënt helpen bij eten en drinken, bewegen en verplaatsen, veilig en "
                       "met aandacht voor de wensen van de cliënt.",
                       "De kandidaat kan met toestemming van de cliënt een eenvoudige verzorgende handeling "
                       "uitvoeren, zoals handen wassen of haren kammen.",
                       "De kandidaat kan hygiënisch werken volgens de voorschriften van de instelling.",
                       "De kandidaat kan na een praktijkdag vertellen wat hem in dit werk aanspreekt en wat niet."],
        "guides": {"BB": ("meer praktijk", "Oefenen in het praktijklokaal met een medeleerling als cliënt, daarna "
                          "een dagdeel meelopen in een zorgcentrum met een werkkaart per handeling."),
                   "KB": ("praktijk met voorbereiding", "Zelf een dagdeel met activiteiten voor bewoners voorbereiden "
                          "en uitvoeren, met een korte overdracht aan de begeleider."),
                   "GL": ("praktijk en theorie", "Daarnaast een opdracht over een doelgroep (ouderen, mensen met een "
                          "beperking): wat hebben zij nodig en hoe merk je dat?"),
                   "TL": ("theorie met een praktijkdag", "Een praktijkdag bij een zorg- of welzijnsinstelling, "
                          "uitgewerkt in een verslag over de beroepen die de leerling tegenkwam en de opleidingen "
                          "ernaartoe.")},
        "kern": ["AV5.3", "AV6.4", "AV7.4"], "mbo": [],
        "examples": [("Praktijkdag in een zorgcentrum", AssessmentForm.PRACTICAL, "",
                      "De leerling helpt een dagdeel bij eten, drinken en bewegen; de begeleider beoordeelt met een "
                      "observatielijst en de leerling schrijft op wat bij hem past.")],
    },
    {
        "code": "EO-K-01", "title": "Zorgvuldig werken in economische beroepen", "type": ModuleType.INTRODUCTORY,
        "profielen": ["EO"], "seed": "Kennismakende modulen ('zorgvuldig werken in economische beroepen')",
        "summary": "Kennismaken met het werk in winkel, kantoor en logistiek: klanten helpen en nauwkeurig omgaan "
                   "met geld, goederen en gegevens.",
        "objectives": ["De kandidaat kan een klant vriendelijk te woord staan en vragen wat de klant zoekt.",
                       "De kandidaat kan nauwkeurig afrekenen en een kas opmaken.",
                       "De kandidaat kan goederen ontvangen, controleren en op de juiste plaats zetten.",
                       "De kandidaat kan gegevens van klanten en bestellingen zorgvuldig en volgens de privacyregels "
                       "vastleggen."],
        "guides": {"BB": ("meer praktijk", "In de schoolwinkel met een vaste taakkaart: kassa, vakken vullen en "
                          "goederen ontvangen."),
                   "KB": ("praktijk met voorbereiding", "Een dag in de schoolwinkel zelf plannen en een medeleerling "
                          "inwerken."),
                   "GL": ("praktijk en theorie", "Daarnaast een klein onderzoek naar klanttevredenheid bij een "
                          "winkel in de buurt."),
                   "TL": ("theorie met praktijkopdracht", "Een bedrijf in de regio onderzoeken: welke economische "
                          "beroepen zijn er en wat vragen die aan nauwkeurigheid? Afsluiten met een presentatie.")},
        "kern": ["AV2.4", "AV2.5", "AV6.3"], "mbo": [],
        "examples": [("Een dag in de schoolwinkel", AssessmentForm.PRACTICAL, "",
                      "Kassa, ontvangst van goederen en klantvragen; beoordeling met een observatielijst.")],
    },
    {
        "code": "XS-K-02", "title": "Werken met materialen, gereedschappen en machines", "type": ModuleType.INTRODUCTORY,
        "profielen": ["BWI", "PIE"],
        "seed": "Kennismakende modulen ('werken met materialen, gereedschappen en machines in de techniek')",
        "summary": "Kennismaken met de techniek: hout, metaal en installatiemateriaal bewerken met handgereedschap "
                   "en machines, veilig en volgens tekening.",
        "objectives": ["De kandidaat kan een eenvoudige werktekening lezen en het materiaal uitzetten.",
                       "De kandidaat kan hout en metaal bewerken met handgereedschap: zagen, boren en vijlen.",
                       "De kandidaat kan na instructie een kolomboormachine en een decoupeerzaag veilig gebruiken.",
                       "De kandidaat kan een eenvoudige elektrische schakeling aansluiten en testen.",
                       "De kandidaat kan zijn werkplek veilig inrichten en opgeruimd achterlaten."],
        "guides": {"BB": ("meer praktijk", "Een werkstuk in stappen, met voordoen en nadoen; veiligheid per machine "
                          "afgetekend."),
                   "KB": ("praktijk met planning", "Een werkstuk zelf plannen en de materiaallijst maken."),
                   "GL": ("praktijk en ontwerp", "Het werkstuk zelf ontwerpen (schets en maten) en maken."),
                   "TL": ("ontwerp en onderzoek", "Een ontwerp met berekening van materiaal en kosten, gemaakt in de "
                          "werkplaats en gepresenteerd aan een vakman.")},
        "kern": ["AV7.3", "AV7.5", "PW.2"], "mbo": [],
        "examples": [("Werkstuk: een gereedschapskist", AssessmentForm.PRACTICAL, "",
                      "Hout en metaal, met een scharnier en een handvat; beoordeling op maatvoering, afwerking en "
                      "veilig werken.")],
    },
    {
        "code": "HBR-K-01", "title": "Kennismaken met horeca, bakkerij en recreatie", "type": ModuleType.INTRODUCTORY,
        "profielen": ["HBR"],
        "seed": "Verdiepende modulen ('een vakschool biedt kennismakende modulen aan die specifiek gericht zich op "
                "de horeca')",
        "summary": "Kennismaken met de gastvrijheidssector: in keuken, bakkerij, bediening en recreatie eenvoudige "
                   "taken uitvoeren, hygiënisch werken en gasten ontvangen.",
        "objectives": ["De kandidaat kan hygiënisch en veilig werken volgens de HACCP-regels.",
                       "De kandidaat kan een eenvoudig gerecht en een eenvoudig bakproduct bereiden volgens recept.",
                       "De kandidaat kan gasten ontvangen, een bestelling opnemen en serveren.",
                       "De kandidaat kan een eenvoudige recreatieve activiteit voor gasten voorbereiden en "
                       "begeleiden.",
                       "De kandidaat kan vertellen welke beroepen er in horeca, bakkerij en recreatie zijn en welke "
                       "hem aanspreken."],
        "guides": {"BB": ("meer praktijk", "Rouleren langs keuken, bakkerij en bediening van het schoolrestaurant, "
                          "met een werkkaart per station."),
                   "KB": ("praktijk met voorbereiding", "Een lunch voor gasten mee voorbereiden: bestellijst, "
                          "mise-en-place en taakverdeling."),
                   "GL": ("praktijk en theorie", "Daarnaast een vergelijking van twee horecabedrijven in de regio."),
                   "TL": ("theorie met praktijkdagen", "Twee praktijkdagen en een verslag over de sector en de "
                          "opleidingen in het mbo.")},
        "kern": ["AV4.2", "AV6.3", "AV7.4"], "mbo": [],
        "examples": [("Lunch in het schoolrestaurant", AssessmentForm.PRACTICAL, "",
                      "Een eenvoudig gerecht bereiden en serveren aan vier gasten.")],
    },
    {
        "code": "EO-V-01", "title": "Werken in een winkel", "type": ModuleType.DEEPENING, "profielen": ["EO"],
        "seed": "Verdiepende modulen ('... dat hij liever in een winkel wil werken en hij gaat verdiepende modulen "
                "in de richting economie en ondernemen volgen')",
        "summary": "Verdiepen in de detailhandel: klanten adviseren en verkopen, een winkel presenteren, de voorraad "
                   "bijhouden en meewerken in een echte winkel.",
        "objectives": ["De kandidaat kan een klant adviseren en een verkoopgesprek voeren.",
                       "De kandidaat kan een schap of etalage aantrekkelijk en volgens de formule van de winkel "
                       "inrichten.",
                       "De kandidaat kan de voorraad bijhouden en een bestelling voorbereiden.",
                       "De kandidaat kan een klacht aannemen en de klant zo nodig doorverwijzen."],
        "guides": {"BB": ("meer praktijk", "Meewerken in een winkel van een partner, met een vaste begeleider en een "
                          "takenlijst."),
                   "KB": ("praktijk met verantwoordelijkheid", "Een actieweek in de schoolwinkel organiseren: "
                          "inkoop, presentatie en verkoop."),
                   "GL": ("praktijk en theorie", "Daarnaast de omzet van de actieweek analyseren en een verbetering "
                          "voorstellen."),
                   "TL": ("theorie en onderzoek", "Onderzoek naar de formule van twee winkels en een advies aan een "
                          "winkelier, met een dag meewerken.")},
        "kern": ["AV1.3", "AV5.2", "AV6.3", "PW.4"], "mbo": [],
        "examples": [("Proeve: een dag in de winkel", AssessmentForm.PROEVE, "",
                      "Klanten helpen, een schap presenteren en een klacht afhandelen; beoordeeld door de "
                      "winkelier en de docent.")],
    },
    {
        "code": "ZW-V-01", "title": "Werken met een doelgroep: kinderen, volwassenen of ouderen",
        "type": ModuleType.DEEPENING, "profielen": ["ZW"],
        "seed": "Verdiepende modulen ('in de verdiepende modulen gaat hij zich oriënteren op doelgroepen (wil ik "
                "met kinderen, volwassenen of ouderen werken)')",
        "summary": "Verdiepen in één doelgroep: de leerling kiest kinderen, volwassenen of ouderen, leert hun "
                   "behoeften kennen en begeleidt een activiteit in een instelling.",
        "objectives": ["De kandidaat kan de behoeften van de gekozen doelgroep beschrijven en in de praktijk "
                       "herkennen.",
                       "De kandidaat kan een activiteit voor de doelgroep voorbereiden, uitvoeren en evalueren.",
                       "De kandidaat kan signalen dat het niet goed gaat opmerken en doorgeven aan een begeleider.",
                       "De kandidaat kan zijn keuze voor (of tegen) werken met deze doelgroep onderbouwen."],
        "guides": {"BB": ("meer praktijk", "Een activiteit begeleiden op een kinderopvang, in de wijk of in een "
                          "zorgcentrum, met een draaiboek."),
                   "KB": ("praktijk met voorbereiding", "Zelf een activiteit ontwerpen voor de doelgroep en die "
                          "uitvoeren."),
                   "GL": ("praktijk en theorie", "Daarnaast een interview met een beroepskracht over het werken met "
                          "de doelgroep."),
                   "TL": ("theorie en onderzoek", "Een vergelijking van twee doelgroepen en een activiteit bij één "
                          "ervan, met een verslag.")},
        "kern": ["AV3.4", "AV4.4", "AV6.4"], "mbo": ["25486", "25656", "25960"],
        "examples": [("Activiteit voor een groep ouderen", AssessmentForm.PRACTICAL, "",
                      "Een activiteit voorbereiden, begeleiden en nabespreken met de begeleider van de instelling.")],
    },
    {
        "code": "HBR-V-01", "title": "Werken in het restaurant", "type": ModuleType.DEEPENING, "profielen": ["HBR"],
        "seed": "Verdiepende modulen ('zich verdiepen in het werken in een restaurant, keuken of in een bakkerij')",
        "summary": "Verdiepen in de bediening: gasten ontvangen, adviseren en bedienen tijdens een echte service. "
                   "Een eerste verdieping vóór het keuzevak Gastheerspecialisatie.",
        "objectives": ["De kandidaat kan een restaurant openen: tafels dekken en de mise-en-place verzorgen.",
                       "De kandidaat kan gasten ontvangen, plaatsen en een bestelling opnemen.",
                       "De kandidaat kan gerechten en dranken serveren en afruimen.",
                       "De kandidaat kan afrekenen en het restaurant sluiten."],
        "guides": {"BB": ("meer praktijk", "Meedraaien in de lunchservice van het schoolrestaurant met een vaste "
                          "taak."),
                   "KB": ("praktijk met verantwoordelijkheid", "Een tafelwijk zelfstandig bedienen."),
                   "GL": ("praktijk en theorie", "Daarnaast een menukaart met wijnadvies uitwerken."),
                   "TL": ("theorie met praktijkdagen", "Twee diensten meedraaien en een onderzoek naar gastbeleving.")},
        "kern": ["AV4.2", "AV6.3", "AV7.4"], "mbo": ["25648", "25185"],
        "examples": [("Lunchservice", AssessmentForm.PROEVE, "", "Een tafelwijk bedienen tijdens een lunchservice.")],
    },
    {
        "code": "HBR-V-02", "title": "Werken in de keuken", "type": ModuleType.DEEPENING, "profielen": ["HBR"],
        "seed": "Verdiepende modulen ('zich verdiepen in het werken in een restaurant, keuken of in een bakkerij')",
        "summary": "Verdiepen in de keuken: basistechnieken, mise-en-place en werken in een keukenbrigade. Een "
                   "eerste verdieping vóór het keuzevak Keukenspecialisatie.",
        "objectives": ["De kandidaat kan de mise-en-place voor een menu voorbereiden.",
                       "De kandidaat kan basistechnieken toepassen: snijden, garen, binden.",
                       "De kandidaat kan een gerecht bereiden en opmaken volgens receptuur.",
                       "De kandidaat kan hygiënisch werken en de keuken schoon achterlaten."],
        "guides": {"BB": ("meer praktijk", "Werken aan één post in de schoolkeuken, met een receptkaart."),
                   "KB": ("praktijk met planning", "Een post zelfstandig runnen tijdens een service."),
                   "GL": ("praktijk en theorie", "Daarnaast een menu calculeren en een allergenenkaart maken."),
                   "TL": ("theorie met praktijkdagen", "Twee diensten in een restaurantkeuken en een verslag over "
                          "duurzaam koken.")},
        "kern": ["AV4.2", "AV7.2", "AV7.4"], "mbo": ["25648", "25185"],
        "examples": [("Een driegangenmenu", AssessmentForm.PROEVE, "", "Voor vier gasten, in twee uur.")],
    },
    {
        "code": "HBR-V-03", "title": "Werken in de bakkerij", "type": ModuleType.DEEPENING, "profielen": ["HBR"],
        "seed": "Verdiepende modulen ('zich verdiepen in het werken in een restaurant, keuken of in een bakkerij')",
        "summary": "Verdiepen in de bakkerij: deeg maken, brood en klein banket bakken en meewerken in een "
                   "ambachtelijke bakkerij. Een eerste verdieping vóór het keuzevak Brood- en banketspecialisatie.",
        "objectives": ["De kandidaat kan grondstoffen afwegen en een deeg maken volgens recept.",
                       "De kandidaat kan brood vormen, laten rijzen en bakken.",
                       "De kandidaat kan eenvoudig klein banket maken en afwerken.",
                       "De kandidaat kan hygiënisch werken volgens de HACCP-regels van de bakkerij."],
        "guides": {"BB": ("meer praktijk", "Bakken in de schoolbakkerij met een vaste receptkaart."),
                   "KB": ("praktijk met planning", "Een bakplanning voor een ochtend maken en uitvoeren."),
                   "GL": ("praktijk en theorie", "Daarnaast de kostprijs van een product berekenen."),
                   "TL": ("theorie met praktijkdagen", "Meebakken in een ambachtelijke bakkerij en een verslag over "
                          "grondstoffen en duurzaamheid.")},
        "kern": ["AV2.5", "AV7.2", "AV7.4"], "mbo": ["25185"],
        "examples": [("Ochtendproductie", AssessmentForm.PROEVE, "", "Brood en klein banket voor de schoolwinkel.")],
    },
]
#: The accepted proposal 'Domotica in zorg en welzijn' becomes a pilot module too: this is its worked-out content.
DOMOTICA = {
    "title": "Domotica in zorg en welzijn",
    "objectives": ["De kandidaat kan eenvoudige domotica (sensoren, slimme schakelaars) aansluiten en testen.",
                   "De kandidaat kan een bewoner uitleggen hoe een alarmeringssysteem werkt.",
                   "De kandidaat kan samen met een zorgverlener een hulpvraag vertalen naar een technische oplossing.",
                   "De kandidaat kan de privacy van een bewoner bewaken bij het gebruik van sensoren en camera's."],
    "seed": "Kennismakende modulen ('Modulen kunnen ook branche-overstijgend zijn, bijv. het toepassen van domotica "
            "binnen Zorg & Welzijn')",
    "guides": {"BB": ("meer praktijk", "Sensoren en alarmering aansluiten in het praktijklokaal en een bewoner "
                      "(rollenspel) uitleggen hoe ze werken."),
               "KB": ("praktijk met voorbereiding", "Een domoticaplan voor één kamer maken en installeren."),
               "GL": ("praktijk en theorie", "Daarnaast privacy en kosten van twee oplossingen vergelijken."),
               "TL": ("theorie en onderzoek", "Onderzoek bij een zorginstelling: welke technologie helpt, wat vinden "
                      "bewoners en zorgverleners ervan? Met een demonstratie.")},
    "kern": ["AV2.4", "AV8.1", "AV6.4"], "mbo": [],
    "examples": [("Een slimme kamer", AssessmentForm.PRACTICAL, "",
                  "Sensoren en een alarmknop installeren en een bewoner uitleggen hoe ze werken.")],
}


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
    # The two demo schools report their own exams from the first pilot year (sy-2) on: the assessment step
    # counts them from their students' module results. Before the pilot they examined the keuzevakken of
    # the profielen they hold a licence for.
    own = {"21KR": {"ZW", "EO", "BWI", "PIE", "MVI"}, "30PF": {"HBR"}}
    existing = set(ModuleUsageReport.objects.values_list("module_id", "school_year", "brin"))
    rows = []
    for module in Module.objects.filter(current_version__isnull=False).select_related("current_version"):
        profielen = {p.code for p in module.current_version.profielen.all()}
        # a new module (not from the starting stock) is examined from the year it is valid
        first = years[0] if module.current_version.legacy_kind else (module.current_version.valid_from or sy)
        for year in years:
            for brin in brins:
                if (module.pk, year, brin) in existing or year < first:
                    continue
                if brin in own and (year >= sy - 2 or not profielen & own[brin]):
                    continue
                if module.code in NO_EXAMS:
                    exams = 0
                elif module.code in FEW_EXAMS:
                    exams = rng.randint(1, 4) if year <= sy - FEW_EXAMS[module.code] and brin == "04GH" else 0
                elif brin == "30PF":
                    exams = rng.randint(8, 30)
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
    from maatwerk.web.demo import demo_clock

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
        # the accepted one was proposed in the round before the pilot and is a pilot module since (PILOT)
        before_pilot = school_year_of(on) - 3
        submitted, decided = ((dt.date(before_pilot, 10, 2), dt.date(before_pilot, 12, 11)) if state == "accepted"
                              else (on, on))
        with demo_clock(submitted):
            proposal = services.submit_proposal(
                by=proposer, kind=ProposalKind.NEW, title=title, module_type=module_type,
                profielen=[profielen[c] for c in codes], leerwegen=leerwegen.split(","), summary=summary,
                objectives=objectives, rationale="Vraag uit de regio: " + summary.lower(),
                evidence="Vacatures en gesprekken met leerbedrijven en het mbo in de regio.",
                school=school if platform is None else None, platform=platform, today=submitted)
        actor = steward or SYSTEM
        with demo_clock(decided) if decided < on else contextlib.nullcontext():
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


def _pilot_modules(ctx, sy: int, steward) -> None:
    """The pilot's new modules (PILOT, and the accepted Domotica proposal), published from the first pilot
    year (sy-2) by the steward, with a handreiking for every leerweg, eindtermen, kern links and mbo
    qualifications where the fixture has them."""
    from maatwerk.web.demo import demo_clock

    kern = {o.code: o for o in KernObjective.objects.filter(area__framework__status="published")}
    mbo = {q.crebo: q for q in MboQualification.objects.all()}
    profielen = {p.code: p for p in Profiel.objects.all()}
    first = sy - 2
    made = []

    def links(spec):
        return {"guides": {lw: {"emphasis": e, "text": t} for lw, (e, t) in spec["guides"].items()},
                "kern_objectives": [kern[c] for c in spec["kern"] if c in kern],
                "mbo_qualifications": [mbo[c] for c in spec["mbo"] if c in mbo],
                "leerwegen": ["BB", "KB", "GL", "TL"], "source": PILOT_SOURCE + spec["seed"], "data_note": PILOT_NOTE}

    def publish(version, spec):
        for title, form, leerweg, description in spec["examples"]:
            ExampleAssessment.objects.create(version=version, title=title, form=form, leerweg=leerweg,
                                             description=description)
        services.publish_version(version=version, by=steward or SYSTEM, valid_from=first)
        made.append(version.module.code)

    with demo_clock(dt.date(first, 6, 18)):
        proposal = ModuleProposal.objects.filter(title=DOMOTICA["title"], status=ProposalStatus.ACCEPTED).first()
        version = proposal.resulting_version if proposal else None
        if version is not None and version.is_concept:
            version = services.update_concept(
                version=version, by=SYSTEM, objectives=DOMOTICA["objectives"], **links(DOMOTICA),
                change_note=f"Uitgewerkt door de landelijk beheerder uit modulevoorstel #{proposal.pk}. {DEMO}")
            publish(version, DOMOTICA)
        for spec in PILOT:
            if Module.objects.filter(code=spec["code"]).exists():
                continue
            version = services.create_module(
                by=SYSTEM, code=spec["code"], title=spec["title"], module_type=spec["type"], summary=spec["summary"],
                profielen=[profielen[c] for c in spec["profielen"]], objectives=spec["objectives"], **links(spec),
                change_note=f"Nieuwe module voor de pilot, naar een voorbeeld uit het SPV-advies. {DEMO}")
            publish(version, spec)
    if made:
        ctx.say(f"  pilotmodulen (demo-inhoud, geldig vanaf {first}-{first + 1}): {', '.join(made)}")


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
    _proposals(ctx, on, steward)
    _pilot_modules(ctx, sy, steward)
    _usage(ctx, sy)
    lifecycle = services.run_lifecycle(on=on)
    ctx.say(f"  levenscyclus {on:%d-%m-%Y}: {len(lifecycle.actions)} nieuwe acties")
