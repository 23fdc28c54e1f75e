"""Builders for the rules tests: small, readable candidates and programmes."""

from __future__ import annotations

from decimal import Decimal

from maatwerk.rules import (
    Candidate,
    ModuleRef,
    ProgrammeInput,
    ProgrammeItemInput,
    SubjectInput,
    load_regulation,
)

CURRENT = load_regulation("vmbo-huidig")
MODULAR = load_regulation("spv-modulair")

GENERAL = {"BB": ("wi", "ec"), "KB": ("wi", "ec"), "GL": ("wi", "ec", "bi"), "TL": ("wi", "ec", "bi", "gs")}
KEUZEVAKKEN = {"BB": 4, "KB": 4, "GL": 2, "TL": 0}


def g(code: str, se, ce=None, kind: str = "algemeen", **kw) -> SubjectInput:
    """A graded subject; `se` alone for SE-only, `se` and `ce` for a subject with a central exam."""
    return SubjectInput(code, kind, None if se is None else Decimal(str(se)), None if ce is None else Decimal(str(ce)),
                        **kw)


def q(code: str, kind: str, qualification: str | None = "voldoende") -> SubjectInput:
    return SubjectInput(code, kind, qualification=qualification)


def f(code: str, final: int, kind: str = "algemeen", **kw) -> SubjectInput:
    """A subject with final grade `final` (SE = CE = final for CE subjects)."""
    return g(code, final, final, kind, **kw)


def base_subjects(leerweg: str) -> dict[str, SubjectInput]:
    """A complete exam for the leerweg in which every final grade is 6 and the CE mean is 6.0."""
    subjects = [f("ne", 6), f("en", 6), g("ma", 6)] + [f(c, 6) for c in GENERAL[leerweg]]
    if leerweg != "TL":
        subjects.append(f("pv", 6, "profielvak"))
    subjects += [g(f"kv{i + 1}", 6, kind="keuzevak") for i in range(KEUZEVAKKEN[leerweg])]
    subjects += [q("lo", "lo"), q("ckv", "kunstvak")]
    if leerweg in ("GL", "TL"):
        subjects.append(q("pws", "profielwerkstuk"))
    return {s.code: s for s in subjects}


def exam(leerweg: str, *changes: SubjectInput, drop: tuple[str, ...] = (), ident: str = "K1", **kw) -> Candidate:
    """The base exam of the leerweg with `changes` replacing (or adding) subjects by code."""
    subjects = base_subjects(leerweg)
    for code in drop:
        del subjects[code]
    for s in changes:
        subjects[s.code] = s
    return Candidate(ident, leerweg, tuple(subjects.values()), **kw)


def modular_exam(leerweg: str, *changes: SubjectInput, modules: int = 8, drop: tuple[str, ...] = (),
                 ident: str = "M1", **kw) -> Candidate:
    """A maatwerkdiploma exam: general subjects as in the base exam, plus `modules` modules of grade 6."""
    subjects = {c: s for c, s in base_subjects(leerweg).items() if s.kind not in ("profielvak", "keuzevak")}
    for i in range(modules):
        code = f"m{i + 1}"
        subjects[code] = g(code, 6, kind="module", module_type="INTRODUCTORY" if i < 2 else "DEEPENING")
    for code in drop:
        del subjects[code]
    for s in changes:
        subjects[s.code] = s
    return Candidate(ident, leerweg, tuple(subjects.values()), **kw)


def module(code: str, module_type: str = "DEEPENING", **kw) -> ModuleRef:
    return ModuleRef(code, 1, f"Module {code}", module_type, **kw)


def item(m: ModuleRef, school_year: int = 2025, year_level: int = 3, status: str = "planned") -> ProgrammeItemInput:
    return ProgrammeItemInput(m, school_year, year_level, status)


def programme(leerweg: str, *items: ProgrammeItemInput, profiel: str | None = None, **kw) -> ProgrammeInput:
    return ProgrammeInput("S1", leerweg, 3, 2025, profiel, tuple(items), **kw)
