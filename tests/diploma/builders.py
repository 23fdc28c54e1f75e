"""Builders for the diploma tests: candidates with their grades in the database, as the school's
administration (SubjectGrade) and the assessment app (ModuleResult) leave them."""

from __future__ import annotations

from decimal import ROUND_HALF_UP, Decimal

from maatwerk.assessment.models import ModuleResult, SubjectGrade
from maatwerk.catalog.models import ModuleVersion
from maatwerk.students.models import CareerActivity
from tests import factories as f

EXAM_YEAR = 2026
COHORT = EXAM_YEAR - 1  # leerjaar 3 in 2025-2026, the exam in leerjaar 4 (2026-2027)
GENERAL = {"BB": ("wi", "ec"), "KB": ("wi", "ec"), "GL": ("wi", "ec", "bi"), "TL": ("wi", "ec", "bi", "gs")}
KEUZEVAKKEN = {"BB": 4, "KB": 4, "GL": 2, "TL": 0}
NAMES = {"ne": "Nederlandse taal", "en": "Engelse taal", "ma": "Maatschappijleer", "wi": "Wiskunde",
         "ec": "Economie", "bi": "Biologie", "gs": "Geschiedenis", "fa": "Franse taal", "du": "Duitse taal",
         "pv": "Profielvak zorg en welzijn", "lo": "Lichamelijke opvoeding", "ckv": "Culturele en kunstzinnige vorming",
         "pws": "Profielwerkstuk"}


def exam_school(regulation_id: str = "vmbo-huidig", **policy):
    school = f.SchoolFactory()
    f.SchoolPolicyFactory(school=school, regulation_id=regulation_id, **policy)
    return school


def _pta(school, regulation_id):
    from maatwerk.assessment.models import Pta

    pta = Pta.objects.filter(school=school).first()
    return pta or f.PtaFactory(school=school, cohort=COHORT, exam_year=EXAM_YEAR, regulation_id=regulation_id)


def version(code: str, *, legacy_kind: str = "", module_type: str = "DEEPENING", units: int = 1, title: str = "",
            objectives: int = 2) -> ModuleVersion:
    """One published version per module code, shared by every candidate of a test."""
    existing = ModuleVersion.objects.filter(module__code=code).first()
    if existing is not None:
        return existing
    v = f.ModuleVersionFactory(module=f.ModuleFactory(code=code), legacy_kind=legacy_kind, module_type=module_type,
                               units=units, title=title or f"Module {code}", for_tl=True)
    for i in range(objectives):
        f.ModuleObjectiveFactory(version=v, code=f"E{i + 1}", text=f"De kandidaat kan taak {i + 1} van {code} uitvoeren.",
                                 order=i)
    return v


def grade(student, code: str, se=None, ce=None, *, kind: str = "algemeen", qualification: str = "",
          extra: bool = False, level: str = "", year: int = EXAM_YEAR) -> SubjectGrade:
    return SubjectGrade.objects.create(
        student=student, school_year=year, code=code, name=NAMES.get(code, code.upper()), kind=kind,
        school_exam=None if se is None else Decimal(str(se)), central_exam=None if ce is None else Decimal(str(ce)),
        qualification=qualification, extra=extra, level=level)


def module_result(student, v: ModuleVersion, value, *, level: str = "", outcome: str | None = None,
                  regulation_id: str = "vmbo-huidig") -> ModuleResult:
    value = None if value is None else Decimal(str(value))
    if outcome is None:
        outcome = "INCOMPLETE" if value is None else ("PASSED" if value >= Decimal("5.5") else "FAILED")
    final = None if value is None else int(value.quantize(Decimal("1"), rounding=ROUND_HALF_UP))
    return ModuleResult.objects.create(
        student=student, module_version=v, pta=_pta(student.school, regulation_id), outcome=outcome, grade=value,
        final_grade=final, level=level or student.leerweg,
        school_year=EXAM_YEAR if outcome in ("PASSED", "FAILED") else None)


def complete_dossier(student) -> None:
    CareerActivity.objects.create(
        student=student, date="2026-01-15", kind="internship", title="Stage in een zorgcentrum",
        goals="Ontdekken of de zorg bij mij past.", results="Twee weken meegewerkt.", evaluation="Het past goed.",
        follow_up="Open dag mbo.", qualities=True, motives=True, work_exploration=True, career_steering=True,
        networking=True)


def current_candidate(school, *, leerweg: str = "KB", changes: dict | None = None, keuzevakken=None,
                      drop=(), extra: dict | None = None, dossier: bool = True, **student_kw):
    """A complete vmbo-huidig exam in which every final grade is 6 and the CE mean is 6.0; `changes` maps a
    code to (se, ce) or, for a qualification, to the qualification; keuzevakken are module results of the
    legacy keuzevakken KV-1..KV-n."""
    student = f.StudentFactory(school=school, leerweg=leerweg, cohort=COHORT, year_level=4, **student_kw)
    changes = dict(changes or {})
    subjects = {"ne": (6, 6), "en": (6, 6), "ma": (6, None), **dict.fromkeys(GENERAL[leerweg], (6, 6))}
    if leerweg != "TL":
        subjects["pv"] = (6, 6)
    quals = {"lo": "voldoende", "ckv": "voldoende", **({"pws": "voldoende"} if leerweg in ("GL", "TL") else {})}
    for code, value in changes.items():
        if code in quals:
            quals[code] = value
        elif not code.startswith("KV"):
            subjects[code] = value
    for code, (se, ce) in subjects.items():
        if code not in drop:
            grade(student, code, se, ce, kind="profielvak" if code == "pv" else "algemeen")
    for code, value in quals.items():
        if code not in drop:
            grade(student, code, kind={"lo": "lo", "ckv": "kunstvak", "pws": "profielwerkstuk"}[code],
                  qualification=value or "")
    for code, (se, ce) in (extra or {}).items():
        grade(student, code, se, ce, extra=True)
    kvs = list(keuzevakken if keuzevakken is not None else [6] * KEUZEVAKKEN[leerweg])
    for i, value in enumerate(kvs):
        module_result(student, version(f"KV-{i + 1}", legacy_kind="keuzevak"), value)
    if dossier:
        complete_dossier(student)
    return student


def modular_candidate(school, *, leerweg: str = "KB", modules=None, changes: dict | None = None, levels=None,
                      dossier: bool = True, **student_kw):
    """A maatwerkdiploma exam (spv-modulair): the general subjects of the base exam at 6, plus modules
    (two kennismakend, the rest verdiepend) with the given grades and levels."""
    student = f.StudentFactory(school=school, leerweg=leerweg, cohort=COHORT, year_level=4, **student_kw)
    changes = dict(changes or {})
    subjects = {"ne": (6, 6), "en": (6, 6), "ma": (6, None), **dict.fromkeys(GENERAL[leerweg], (6, 6))}
    subjects.update({k: v for k, v in changes.items() if k in subjects or k not in ("lo", "ckv", "pws")})
    for code, (se, ce) in subjects.items():
        grade(student, code, se, ce, level=(levels or {}).get(code, ""))
    grade(student, "lo", kind="lo", qualification=changes.get("lo", "voldoende"))
    grade(student, "ckv", kind="kunstvak", qualification=changes.get("ckv", "voldoende"))
    if leerweg in ("GL", "TL"):
        grade(student, "pws", kind="profielwerkstuk", qualification=changes.get("pws", "voldoende"))
    values = list(modules if modules is not None else [6] * 8)
    for i, value in enumerate(values):
        v = version(f"M-{i + 1}", module_type="INTRODUCTORY" if i < 2 else "DEEPENING")
        module_result(student, v, value, level=(levels or {}).get(f"M-{i + 1}", ""), regulation_id="spv-modulair")
    if dossier:
        complete_dossier(student)
    return student

