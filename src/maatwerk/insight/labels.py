"""Dutch words for the numbers on the dashboards: finding codes, outcomes, statuses."""

from __future__ import annotations

#: finding code -> what it means, for a reader who does not know the code
CODE_LABELS = {
    "PROGRAMME_KERN_MISSING": "de kern ontbreekt",
    "PROGRAMME_UNITS_TOO_FEW": "te weinig eenheden voor de leerweg",
    "PROGRAMME_COMPOSITION_NOT_MET": "geen samenstelling kennismakend/verdiepend gehaald",
    "PROGRAMME_MODULE_NOT_OFFERED": "module niet in het aanbod van de school",
    "PROGRAMME_MODULE_WRONG_LEERWEG": "module niet uitgewerkt voor de leerweg",
    "PROGRAMME_PROFIEL_NOT_LICENSED": "geen licentie voor het profiel",
    "PROGRAMME_NO_PROFIEL": "geen profiel gekozen",
    "PROGRAMME_INTRODUCTORY_FIRST": "verdiepend voor kennismakend",
    "PROGRAMME_MODULE_WITHDRAWN": "module ingetrokken",
    "PROGRAMME_MODULE_RETIRED": "module van de menukaart gehaald",
    "PROGRAMME_MODULE_SUPERSEDED": "nieuwere versie van de module",
    "PROGRAMME_DUPLICATE_MODULE": "module dubbel in het programma",
    "PROGRAMME_YEAR_UNITS_EXCEEDED": "te veel eenheden in één schooljaar",
    "PROGRAMME_ORIENTING_IN_UPPER_YEARS": "oriënterende module in de bovenbouw",
    "PROGRAMME_MODULE_SIZE": "module wijkt af van de vaste omvang",
    "PROGRAMME_PROFIELVAK_INCOMPLETE": "profielvak niet compleet",
    "PROGRAMME_KEUZEVAKKEN_TOO_FEW": "te weinig keuzevakken",
    "PROGRAMME_FOREIGN_PROFIELMODULEN": "te veel profielmodulen van een ander profiel",
    "PROGRAMME_MODULE_NOT_COUNTED": "module telt niet mee",
    "EXAM_GRADE_MISSING": "cijfer ontbreekt",
    "EXAM_SUBJECT_MISSING": "vak ontbreekt",
    "EXAM_KEUZEVAKKEN_MISSING": "keuzevakken ontbreken",
    "EXAM_LOOPBAANDOSSIER_INCOMPLETE": "loopbaandossier niet voldaan",
    "EXAM_KIND_NOT_ALLOWED": "soort vak bestaat niet in de regeling",
    "EXAM_LEVEL_NOT_ALLOWED": "vak op een niveau dat de leerweg niet toestaat",
    "EXAM_CE_MEAN_TOO_LOW": "gemiddeld CE-cijfer onder 5,5",
    "EXAM_NEDERLANDS_TOO_LOW": "Nederlands onder 5",
    "EXAM_FINAL_GRADE_BELOW_4": "eindcijfer onder 4",
    "EXAM_TOO_MANY_INSUFFICIENT": "te veel onvoldoendes",
    "EXAM_NO_COMPENSATING_7": "geen compenserende 7",
    "EXAM_COMBINATION_PART_BELOW_4": "deel van het combinatiecijfer onder 4",
    "EXAM_LO_KUNSTVAK_INSUFFICIENT": "LO of kunstvak niet voldoende",
    "EXAM_PWS_INSUFFICIENT": "profielwerkstuk niet voldoende",
    "EXAM_LWT_GRADE_TOO_LOW": "leer-werktraject: cijfer onder 6",
    "DIPLOMA_TOO_MANY_INSUFFICIENT": "meer onvoldoendes dan de compensatieregel toestaat",
    "DIPLOMA_GRADE_BELOW_MINIMUM": "cijfer onder het minimum van de compensatieregel",
    "DIPLOMA_MEAN_TOO_LOW": "gemiddelde te laag om te compenseren",
    "DIPLOMA_UNITS_TOO_FEW": "te weinig afgeronde eenheden",
}

OUTCOME_LABELS = {"PASSED": "geslaagd", "FAILED": "afgewezen", "INCOMPLETE": "nog niet compleet"}
VALIDITY_LABELS = {"VALID": "in orde", "INVALID": "niet in orde"}
LEERWEGEN = ("BB", "KB", "GL", "TL")


def code_label(code: str) -> str:
    return CODE_LABELS.get(code, code.replace("_", " ").lower())
