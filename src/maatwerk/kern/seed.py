"""The kern exactly as the seed defines it.

Source: SPV, "Nadere doordenking van het advies 'Toekomst van de beroepsgerichte programma's
in het vmbo'", juli 2023 — section "De kern" (procesmatig werken, LOB) and "Bijlage: voorstel
inhoud kern, deel algemene beroepsvaardigheden". Texts are verbatim; where the PDF wrapped a
sentence over two bullets ("... van het eindproduct of" / "de dienstverlening.") the two are
joined into the one objective they are.
"""

from __future__ import annotations

from .models import stable_uuid

IDENTIFIER = "kern-vmbo-spv"
TITLE = "Kern beroepsgerichte programma's vmbo"
VERSION = 1
VALID_FROM = 2024  # the pilot starts in school year 2024-2025 (seed: "Vervolgstappen")
SOURCE = (
    "SPV, Nadere doordenking van het advies ‘Toekomst van de beroepsgerichte programma’s in het vmbo’, "
    "juli 2023: ‘De kern’ en ‘Bijlage: voorstel inhoud kern’"
)
DESCRIPTION = (
    "De kern wordt niet apart getoetst of geëxamineerd: hij wordt vanaf leerjaar 1 geïntegreerd in het "
    "hele programma en komt aan de orde in de toetsen van de modulen (bijvoorbeeld: tijdens een toets "
    "wordt beoordeeld of leerlingen samenwerken)."
)

# (part, code, title, intro, [(code, text), ...])
AREAS: list[tuple[str, str, str, str, list[tuple[str, str]]]] = [
    ("general_skills", "AV1", "Communiceren", "De leerling:", [
        ("AV1.1", "kan de Nederlandse taal in opleidings- en beroepssituaties functioneel gebruiken."),
        ("AV1.2", "kan zowel mondeling als schriftelijk rapporteren over het proces en product."),
        ("AV1.3", "kan zichzelf en het eigen werk presenteren."),
    ]),
    ("general_skills", "AV2", "(Digitale) informatievaardigheden", "De leerling:", [
        ("AV2.1", "toont onderzoeksvaardigheden."),
        ("AV2.2", "kan informatie zoeken, beoordelen, verwerken en gebruiken."),
        ("AV2.3", "kan mediawijs handelen: kritisch en bewust omgaan met (digitale) media."),
        ("AV2.4", "kan bewust omgaan met opslag en gebruik van gegevens door rekening te houden met privacy en "
                  "digitale veiligheid."),
        ("AV2.5", "kan tijdens werkvoorbereiding en uitvoering van taken relevante berekeningen uitvoeren."),
    ]),
    ("general_skills", "AV3", "Zelfsturing", "De leerling:", [
        ("AV3.1", "neemt initiatief."),
        ("AV3.2", "kan omgaan met veranderingen, druk en tegenslagen."),
        ("AV3.3", "kan probleemoplossend handelen."),
        ("AV3.4", "kan reflecteren en werkwijze aanpassen."),
    ]),
    ("general_skills", "AV4", "Samenwerken", "De leerling:", [
        ("AV4.1", "kan samenwerking organiseren."),
        ("AV4.2", "overlegt bij een gezamenlijke uitvoering."),
        ("AV4.3", "kan omgaan met formele en informele afspraken."),
        ("AV4.4", "kan omgaan met verschillen op basis van culturele gebondenheid, seksualiteit en geslacht."),
        ("AV4.5", "kan feedback geven en ontvangen."),
    ]),
    ("general_skills", "AV5", "Werken binnen een organisatie",
     "De leerling (onder ‘organisatie’ vallen alle organisaties waar arbeid verricht wordt, ook "
     "maatschappelijke organisaties en instellingen):", [
        ("AV5.1", "kan zich aanpassen in een bedrijfscultuur."),
        ("AV5.2", "kan werken volgens het bedrijfsconcept, -formule of de beroepsethiek."),
        ("AV5.3", "kan voldoen aan de algemene gedrags- en houdingseisen die gesteld worden aan medewerkers."),
    ]),
    ("general_skills", "AV6", "Behoeftesignalering", "De leerling:", [
        ("AV6.1", "kan een probleem signaleren."),
        ("AV6.2", "kan een informatiebehoefte signaleren."),
        ("AV6.3", "toont commerciële en klantgerichte vaardigheden."),
        ("AV6.4", "kan de behoeften van zijn klant of opdrachtgever achterhalen."),
        ("AV6.5", "toont een ondernemende houding."),
    ]),
    ("general_skills", "AV7", "Borging van kwaliteit en veiligheid", "De leerling:", [
        ("AV7.1", "kan kritisch denken."),
        ("AV7.2", "draagt zorg voor een goede werkuitvoering en kwaliteit van het eindproduct of de "
                  "dienstverlening."),
        ("AV7.3", "weet hoe materialen en (technische) hulpmiddelen werken, gebruikt en onderhouden worden."),
        ("AV7.4", "kan hygiënisch werken."),
        ("AV7.5", "kan werken volgens veiligheidsvoorschriften en wet- en regelgeving."),
    ]),
    ("general_skills", "AV8", "Toekomstbestendig werken", "De leerling:", [
        ("AV8.1", "heeft kennis van technologische en innovatieve ontwikkelingen."),
        ("AV8.2", "kan creatief denken en handelen."),
        ("AV8.3", "kan sociaal, economisch en ecologisch duurzaam werken."),
    ]),
    ("process_work", "PW", "Procesmatig/systematisch werken",
     "Bij het werken aan de realistische opdrachten binnen het beroepsgerichte programma gelden de "
     "volgende doelen. De leerling:", [
        ("PW.1", "kan op een systematische manier opdrachten van een externe opdrachtgever uitvoeren in de "
                 "context van de beroepssectoren;"),
        ("PW.2", "kan zich oriënteren op opdrachten, een ontwerp en een plan van aanpak maken (plannen), "
                 "opdrachten uitvoeren, deze indien nodig bijstellen, opdrachten afronden en het eigen handelen "
                 "evalueren;"),
        ("PW.3", "kan de wensen van een externe opdrachtgever in overleg omzetten in een programma van eisen en "
                 "het initiatief nemen om tijdens de uitvoering de voortgang met de opdrachtgever te bespreken;"),
        ("PW.4", "kan het resultaat van zijn opdracht vermarkten."),
    ]),
    ("lob", "LOB", "LOB",
     "De leerling is in staat zijn eigen loopbaanontwikkeling vorm te geven. De leerling heeft de "
     "vaardigheid de eigen loopbaan vorm te geven door op systematische wijze om te gaan met "
     "‘loopbaancompetenties’:", [
        ("LOB.a", "Kwaliteitenreflectie (wat kan ik het best en hoe weet ik dat?);"),
        ("LOB.b", "Motievenreflectie (waar ga en sta ik voor en waarom dan?);"),
        ("LOB.c", "Werkexploratie (waar ben ik het meest op mijn plek en waarom daar?);"),
        ("LOB.d", "Loopbaansturing (hoe bereik ik mijn doel en waarom zo?);"),
        ("LOB.e", "Netwerken (wie kan mij helpen mijn doel te bereiken en waarom die mensen?)."),
        ("LOB.f", "maakt zijn eigen loopbaanontwikkeling inzichtelijk voor zichzelf en voor anderen door middel "
                  "van een ‘loopbaandossier’."),
    ]),
]

#: Loopbaancompetentie (CareerCompetency value) -> kern objective code.
CAREER_COMPETENCY_OBJECTIVE = {
    "qualities": "LOB.a",
    "motives": "LOB.b",
    "work_exploration": "LOB.c",
    "career_steering": "LOB.d",
    "networking": "LOB.e",
}
DOSSIER_OBJECTIVE = "LOB.f"


def load(KernFramework, KernArea, KernObjective, *, published_at=None) -> None:  # noqa: N803
    """Create (idempotently) the published seed framework. Works with real and historical models."""
    if KernFramework.objects.filter(identifier=IDENTIFIER, version=VERSION).exists():
        return
    framework = KernFramework.objects.create(
        identifier=IDENTIFIER, version=VERSION, uuid=stable_uuid(IDENTIFIER, VERSION), title=TITLE,
        status="concept", valid_from=VALID_FROM, source=SOURCE, description=DESCRIPTION,
    )
    for order, (part, code, title, intro, objectives) in enumerate(AREAS, start=1):
        area = KernArea.objects.create(
            framework=framework, part=part, code=code, title=title, intro=intro, order=order,
            uuid=stable_uuid(IDENTIFIER, VERSION, code),
        )
        KernObjective.objects.bulk_create(
            KernObjective(area=area, code=ocode, text=text, order=i,
                          uuid=stable_uuid(IDENTIFIER, VERSION, ocode))
            for i, (ocode, text) in enumerate(objectives, start=1)
        )
    KernFramework.objects.filter(pk=framework.pk).update(status="published", published_at=published_at)
