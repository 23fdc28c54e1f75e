"""Exam decisions: today's slaag-zakregeling (vmbo-huidig) and the maatwerkdiploma (spv-modulair).

``decide_exam(candidate, regulation)`` returns a :class:`Decision`: PASSED, FAILED or
INCOMPLETE, the final grades, the combinatiecijfer, the subjects left out by the
must-pass principle, cum laude, the findings and each subject's level.

vmbo-huidig follows the Uitvoeringsbesluit WVO 2020 as of 2025-10-01:

* final grade (UB 3.32): the mean of SE and CE, rounded by its first decimal (5.45 -> 5,
  5.50 -> 6); an SE-only subject's SE grade is its final grade (lid 3).
* pass rule (UB 3.35 lid 1): CE mean >= 5.5 unrounded (a); Nederlands >= 5 (b); over the
  final grades, the combinatiecijfer counting as one subject: all >= 6 with at most one 5,
  or one 4 / two 5s with a 7 or more (c); no part of the combinatiecijfer below 4 (d);
  LO and kunstvakken voldoende/goed (e); GL/TL profielwerkstuk voldoende/goed (f).
* combinatiecijfer: BB/KB the mean of all keuzevakken (lid 3); GL the profielvak weighted
  by the number of keuzevakken plus the keuzevakken (lid 4); TL the same when its GL
  beroepsgerichte vakken form a full programme (lid 2), else they are not counted under c.
* leer-werktraject BB (lid 6): Nederlands, profielvak and combinatiecijfer >= 6; with the
  full BB exam the regular rule applies (parameter ``lwt_full_exam_rule``).
* must-pass principle (UB 3.33 lid 3): extra subjects (and keuzevakken beyond the
  required number) are left out when that makes the candidate pass.
* cum laude (UB 3.48 lid 1-3).

Grades are integer tenths throughout; no float touches a grade.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from decimal import Decimal
from itertools import combinations
from operator import attrgetter
from types import MappingProxyType
from typing import Any

from .errors import RulesInputError
from .findings import Finding, finding
from .grades import (
    LEERWEGEN,
    LEVELS,
    QUALIFICATIONS,
    grade_tenths,
    nl_number,
    nl_tenths,
    round_half_up,
    tenths_to_decimal,
)
from .regulation import SUBJECT_KINDS, Regulation

QUALIFICATION_KINDS = frozenset({"lo", "kunstvak", "profielwerkstuk"})
PARTS: tuple[str, ...] = ("gemeenschappelijk", "profieldeel", "vrij")
EXAM_MODULE_TYPES: tuple[str, ...] = ("INTRODUCTORY", "DEEPENING")
COMBINATION = "combinatiecijfer"
_MODULE_KINDS = frozenset({"module", "keuzevak"})
_KIND_NL = {"profielvak": "het profielvak", "lo": "lichamelijke opvoeding", "kunstvak": "een kunstvak (ckv)",
            "profielwerkstuk": "het profielwerkstuk"}
_MAX_FULL_SEARCH = 12


def _bad(field_name: str, nl: str, en: str) -> RulesInputError:
    return RulesInputError(field_name, nl, en)


@dataclass(frozen=True, slots=True)
class SubjectInput:
    """One subject (or, under spv-modulair, one module) of a candidate's exam.

    ``part`` (gemeenschappelijk / profieldeel / vrij) is optional; only cum laude in GL and
    TL needs it (UB 3.48 lid 1 and 3 name the profieldeel and the vrije deel).
    """

    code: str
    kind: str = "algemeen"
    school_exam: Decimal | None = None
    central_exam: Decimal | None = None
    qualification: str | None = None
    extra: bool = False
    level: str | None = None
    module_type: str | None = None
    units: int = 0
    part: str | None = None
    se10: int | None = field(default=None, init=False, repr=False, compare=False)
    ce10: int | None = field(default=None, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        code = self.code
        if not isinstance(code, str) or not code.strip():
            raise _bad("code", "vakcode ontbreekt", "subject code is missing")
        if self.kind not in SUBJECT_KINDS:
            raise _bad(f"{code}.kind", f"onbekende soort {self.kind!r}", f"unknown kind {self.kind!r}")
        graded = self.kind not in QUALIFICATION_KINDS
        if graded and self.qualification is not None:
            raise _bad(f"{code}.qualification", "dit vak krijgt een cijfer, geen beoordeling",
                       "this subject gets a grade, not a qualification")
        if not graded and (self.school_exam is not None or self.central_exam is not None):
            raise _bad(f"{code}.school_exam", "dit onderdeel krijgt een beoordeling (onvoldoende/voldoende/goed), "
                                              "geen cijfer (UB 3.13 lid 3, 3.14)",
                       "this part gets a qualification, not a grade")
        if self.qualification is not None and self.qualification not in QUALIFICATIONS:
            raise _bad(f"{code}.qualification", f"onbekende beoordeling {self.qualification!r}",
                       f"unknown qualification {self.qualification!r}")
        if not isinstance(self.extra, bool):
            raise _bad(f"{code}.extra", "moet true of false zijn", "must be true or false")
        if self.level is not None and self.level not in LEVELS:
            raise _bad(f"{code}.level", f"onbekend niveau {self.level!r}", f"unknown level {self.level!r}")
        if self.module_type is not None and self.module_type not in EXAM_MODULE_TYPES:
            raise _bad(f"{code}.module_type", f"onbekend moduletype {self.module_type!r}",
                       f"unknown module type {self.module_type!r}")
        if isinstance(self.units, bool) or not isinstance(self.units, int) or self.units < 0:
            raise _bad(f"{code}.units", "moet een geheel getal van ten minste 0 zijn", "must be an integer >= 0")
        if self.part is not None and self.part not in PARTS:
            raise _bad(f"{code}.part", f"onbekend deel {self.part!r}", f"unknown part {self.part!r}")
        if self.school_exam is not None:
            se = grade_tenths(self.school_exam, f"{code}.school_exam")
            object.__setattr__(self, "se10", se)
            object.__setattr__(self, "school_exam", tenths_to_decimal(se))
        if self.central_exam is not None:
            ce = grade_tenths(self.central_exam, f"{code}.central_exam")
            object.__setattr__(self, "ce10", ce)
            object.__setattr__(self, "central_exam", tenths_to_decimal(ce))


@dataclass(frozen=True, slots=True)
class Candidate:
    id: str
    leerweg: str
    subjects: tuple[SubjectInput, ...]
    loopbaandossier_complete: bool = True
    leer_werktraject: bool = False

    def __post_init__(self) -> None:
        if self.leerweg not in LEERWEGEN:
            raise _bad("leerweg", f"onbekende leerweg {self.leerweg!r}", f"unknown leerweg {self.leerweg!r}")
        subjects = tuple(self.subjects)
        object.__setattr__(self, "subjects", subjects)
        seen: set[str] = set()
        for s in subjects:
            if s.code in seen:
                raise _bad(f"subjects.{s.code}", "vakcode komt twee keer voor", "subject code appears twice")
            seen.add(s.code)
        if sum(1 for s in subjects if s.kind == "profielvak") > 1:
            raise _bad("subjects", "meer dan een profielvak", "more than one profielvak")


@dataclass(frozen=True, slots=True)
class Decision:
    candidate_id: str
    outcome: str
    final_grades: Mapping[str, int]
    combination_grade: int | None
    left_out: tuple[str, ...]
    cum_laude: bool
    findings: tuple[Finding, ...]
    levels: Mapping[str, str]

    def as_dict(self) -> dict[str, Any]:
        """The decision in the public JSON contract of ``rules decide``."""
        return {
            "id": self.candidate_id,
            "outcome": self.outcome,
            "final_grades": dict(self.final_grades),
            "combination_grade": self.combination_grade,
            "left_out": list(self.left_out),
            "cum_laude": self.cum_laude,
            "findings": [f.as_dict() for f in self.findings],
        }


# --- precomputed parameters -------------------------------------------------------------------

class _P:
    """What decide_exam needs from a regulation, computed once per regulation."""

    __slots__ = (
        "spv", "ce_p", "ce_q", "ne", "en", "ma", "gem", "ne_min", "ce_codes", "ce_kinds", "req_kinds", "algemeen",
        "pws", "levels", "lbd", "cl_p", "cl_q", "cl_grade", "kv_req", "gl_kv", "part_min", "lwt_min", "lwt_rule",
        "pass_final", "comp_max", "comp_min", "cm_p", "cm_q", "count_comp", "min_units", "module_size",
        "src_ce", "src_ne", "src_lbd", "src_part", "src_lwt", "src_levels", "src_kv", "src_pws", "src_cl",
        "src_comp_max", "src_comp_min", "src_comp_mean", "src_units", "reg",
    )

    def __init__(self, reg: Regulation) -> None:
        v = reg.values
        self.reg = reg
        self.spv = reg.kind == "spv-modulair"
        self.ce_p, self.ce_q = v.ce_mean_min.as_integer_ratio()
        self.ne, self.en, self.ma = v.nederlands_code, v.engels_code, v.maatschappijleer_code
        self.gem = frozenset(v.gemeenschappelijk_codes)
        self.ne_min = v.nederlands_min
        self.ce_codes = frozenset(v.ce_required_codes)
        self.ce_kinds = frozenset(v.ce_required_kinds)
        self.req_kinds = v.required_kinds
        self.algemeen = v.algemene_vakken
        self.pws = frozenset(v.pws_leerwegen)
        self.levels = {lw: frozenset(levels) for lw, levels in v.allowed_levels.items()}
        self.lbd = v.loopbaandossier_required
        self.cl_p, self.cl_q = v.cum_laude_min_mean.as_integer_ratio()
        self.cl_grade = v.cum_laude_min_grade
        self.src_ce = reg.cite("ce_mean_min")
        self.src_ne = reg.cite("nederlands_min")
        self.src_lbd = reg.cite("loopbaandossier_required")
        self.src_levels = reg.cite("allowed_levels")
        self.src_pws = reg.cite("pws_leerwegen")
        self.src_cl = reg.cite("cum_laude_min_mean")
        if self.spv:
            pass_mark = v.module_pass_mark
            self.pass_final = int(pass_mark) + (pass_mark != int(pass_mark))
            self.comp_max = v.compensation_max_insufficient
            self.comp_min = v.compensation_min_grade
            self.cm_p, self.cm_q = v.compensation_min_mean.as_integer_ratio()
            self.count_comp = v.count_compensated_units
            self.min_units = v.min_units
            self.module_size = v.module_size_units
            self.src_comp_max = reg.cite("compensation_max_insufficient")
            self.src_comp_min = reg.cite("compensation_min_grade")
            self.src_comp_mean = reg.cite("compensation_min_mean")
        else:
            self.kv_req = v.keuzevakken
            self.gl_kv = v.keuzevakken["GL"]
            self.part_min = v.combination_part_min
            self.lwt_min = v.lwt_min_grade
            self.lwt_rule = v.lwt_full_exam_rule
            self.src_part = reg.cite("combination_part_min")
            self.src_lwt = reg.cite("lwt_min_grade")
            self.src_kv = reg.cite("keuzevakken")


def _params(reg: Regulation) -> _P:
    p = reg.memo.get("exam")
    if p is None:
        p = reg.memo["exam"] = _P(reg)
    return p


def _nl(n: int, d: int) -> str:
    return nl_number(n, d, 2)


def _label(code: str) -> str:
    return "het combinatiecijfer" if code == COMBINATION else code


# --- shared steps -----------------------------------------------------------------------------

_by_code = attrgetter("code")


def _finals(p: _P, lw: str, subs: list[SubjectInput], blockers: list[Finding],
            infos: list[Finding]) -> tuple[dict[str, int], dict[str, str]]:
    """Final grades (UB 3.32) and levels; blockers collect what makes the result incomplete."""
    finals: dict[str, int] = {}
    levels: dict[str, str] = {}
    allowed = p.levels[lw]
    ce_codes, ce_kinds, spv = p.ce_codes, p.ce_kinds, p.spv
    foreign_kind = "profielvak" if spv else "module"
    for s in subs:
        code = s.code
        level = s.level
        if level is None:
            levels[code] = lw
        else:
            levels[code] = level
            if level not in allowed:
                blockers.append(finding("EXAM_LEVEL_NOT_ALLOWED",
                                        f"{code} staat op niveau {level}; in de leerweg {lw} kan dat niet.",
                                        subject=code, source=p.src_levels))
        kind = s.kind
        if kind in QUALIFICATION_KINDS:
            if s.qualification is None:
                blockers.append(finding("EXAM_GRADE_MISSING", f"Voor {code} is nog geen beoordeling.", subject=code))
            continue
        if kind == foreign_kind:
            blockers.append(finding(
                "EXAM_KIND_NOT_ALLOWED",
                f"{code}: " + ("geef in deze regeling de profielmodulen als losse modules op." if spv
                               else "losse modules horen niet bij de huidige examenregeling."),
                subject=code, source=p.reg.title))
            continue
        se = s.se10
        if se is None:
            blockers.append(finding("EXAM_GRADE_MISSING", f"Voor {code} is nog geen cijfer voor het schoolexamen.",
                                    subject=code))
            continue
        ce = s.ce10
        if ce is not None:
            finals[code] = (se + ce + 10) // 20  # UB 3.32 lid 2: round_half_up(se + ce, 20) in tenths
        elif code in ce_codes or kind in ce_kinds:
            blockers.append(finding("EXAM_GRADE_MISSING", f"Voor {code} is nog geen cijfer voor het centraal "
                                                          f"examen.", subject=code))
        else:
            finals[code] = (se + 5) // 10  # UB 3.32 lid 3 with lid 2's rounding: round_half_up(se, 10)
            if se % 10 and not spv:
                infos.append(finding("EXAM_SE_ROUNDED",
                                     f"{code} heeft geen centraal examen; het schoolexamencijfer {nl_tenths(se)} is "
                                     f"afgerond op {finals[code]}.", subject=code))
    return finals, levels


def _missing(p: _P, lw: str, subs: list[SubjectInput], out: list[Finding], *, lwt: bool = False) -> None:
    """Required parts that are absent (UB 3.33 lid 1 with UB 3.4-3.7); extra subjects do not count."""
    kinds: set[str] = set()
    has_ne = False
    n_alg = n_kv = 0
    for s in subs:
        if s.extra:
            continue
        kind = s.kind
        kinds.add(kind)
        if kind == "algemeen":
            n_alg += 1
            has_ne = has_ne or s.code == p.ne
        elif kind == "keuzevak":
            n_kv += 1
    if not has_ne:
        out.append(finding("EXAM_SUBJECT_MISSING", "Nederlands ontbreekt in het examen.", subject=p.ne))
    required = ("profielvak",) if lwt else p.req_kinds[lw]
    for kind in required:
        if kind not in kinds:
            out.append(finding("EXAM_SUBJECT_MISSING", f"In het examen ontbreekt {_KIND_NL.get(kind, kind)}.",
                               subject=kind))
    if not lwt and n_alg < p.algemeen[lw]:
        out.append(finding("EXAM_SUBJECT_MISSING",
                           f"In de leerweg {lw} doe je examen in {p.algemeen[lw]} algemene vakken met een cijfer; "
                           f"er zijn er {n_alg}.", source=p.reg.cite("algemene_vakken")))
    if not p.spv:
        need = p.kv_req["BB" if lwt else lw]
        if n_kv < need:
            out.append(finding("EXAM_KEUZEVAKKEN_MISSING",
                               f"In de leerweg {lw} doe je examen in {need} beroepsgerichte keuzevakken; er zijn er "
                               f"{n_kv}.", source=p.src_kv))


def _qualifications(lw: str, s: SubjectInput, p: _P, fails: list[Finding]) -> None:
    if s.qualification != "onvoldoende":
        return
    if s.kind == "profielwerkstuk":
        if lw in p.pws:
            fails.append(finding("EXAM_PWS_INSUFFICIENT", "Je profielwerkstuk is beoordeeld als onvoldoende; het "
                                                          "moet voldoende of goed zijn.", subject=s.code,
                                 source=p.src_pws))
    else:
        fails.append(finding("EXAM_LO_KUNSTVAK_INSUFFICIENT",
                             f"{_KIND_NL[s.kind].capitalize()} ({s.code}) is beoordeeld als onvoldoende; het moet "
                             f"voldoende of goed zijn.", subject=s.code))


def _ce_mean(p: _P, ce_sum: int, ce_n: int, fails: list[Finding]) -> None:
    # mean = ce_sum / (10 ce_n) >= p/q  <=>  ce_sum * q >= p * 10 * ce_n
    if ce_n and ce_sum * p.ce_q < p.ce_p * 10 * ce_n:
        fails.append(finding("EXAM_CE_MEAN_TOO_LOW",
                             f"Het gemiddelde van je cijfers voor het centraal examen is {_nl(ce_sum, 10 * ce_n)}; dat "
                             f"moet minstens {nl_number(p.ce_p, p.ce_q, 1)} zijn.", source=p.src_ce))


# --- vmbo-huidig ------------------------------------------------------------------------------

class _Eval:
    __slots__ = ("fails", "infos", "combination", "counted")

    def __init__(self) -> None:
        self.fails: list[Finding] = []
        self.infos: list[Finding] = []
        self.combination: int | None = None
        self.counted: list[tuple[str, int]] = []


def _evaluate_current(p: _P, lw: str, subs: list[SubjectInput], finals: dict[str, int], mode: str) -> _Eval:
    r = _Eval()
    fails = r.fails
    ce_sum = ce_n = 0
    counted = r.counted
    kvs: list[tuple[str, int]] = []
    pv: tuple[str, int] | None = None
    for s in subs:
        kind = s.kind
        if kind in QUALIFICATION_KINDS:
            if mode != "lwt":
                _qualifications(lw, s, p, fails)
            continue
        ce = s.ce10
        if ce is not None:
            ce_sum += ce
            ce_n += 1
        pair = (s.code, finals[s.code])
        if kind == "keuzevak":
            kvs.append(pair)
        elif kind == "profielvak":
            pv = pair
        else:
            counted.append(pair)
    parts: list[tuple[str, int]] = []
    if lw in ("BB", "KB"):
        # UB 3.35 lid 3: the mean of all keuzevakken counts as one subject; the profielvak is its own subject.
        if pv is not None:
            counted.append(pv)
        r.combination = round_half_up(sum(f for _, f in kvs), len(kvs))
        parts = kvs
    elif pv is not None and len(kvs) >= p.gl_kv:
        # UB 3.35 lid 4 (GL), and lid 2 for TL: the profielvak counts as often as there are keuzevakken.
        n = len(kvs)
        r.combination = round_half_up(pv[1] * n + sum(f for _, f in kvs), 2 * n)
        parts = [pv, *kvs]
    elif pv is not None or kvs:
        r.infos.append(finding("EXAM_TL_BEROEPSGERICHT_NOT_COUNTED",
                               "Je beroepsgerichte vakken vormen samen geen volledig beroepsgericht programma "
                               "(profielvak en twee keuzevakken); ze tellen niet mee bij de uitslag volgens lid 1 "
                               "onder c."))
    if r.combination is not None:
        counted.append((COMBINATION, r.combination))
    if mode != "lwt":
        _ce_mean(p, ce_sum, ce_n, fails)
        ne = finals.get(p.ne)
        if ne is not None and ne < p.ne_min:
            fails.append(finding("EXAM_NEDERLANDS_TOO_LOW",
                                 f"Je eindcijfer voor Nederlands is een {ne}; dat moet minstens een {p.ne_min} zijn.",
                                 subject=p.ne, source=p.src_ne))
        _pattern(counted, fails)
        for code, f in parts:
            if f < p.part_min:
                fails.append(finding("EXAM_COMBINATION_PART_BELOW_4",
                                     f"Je eindcijfer voor {code} is een {f}. Geen enkel vak van het combinatiecijfer "
                                     f"mag lager zijn dan een {p.part_min}.", subject=code, source=p.src_part))
    if mode != "regular":
        # UB 3.35 lid 6: leer-werktraject BB (its completeness check guarantees Nederlands and the profielvak).
        assert pv is not None
        for code, f, what in ((p.ne, finals[p.ne], "Nederlands"), (pv[0], pv[1], "het profielvak"),
                              (COMBINATION, r.combination, "het combinatiecijfer")):
            if f < p.lwt_min:
                fails.append(finding("EXAM_LWT_GRADE_TOO_LOW",
                                     f"In een leer-werktraject moet je voor {what} minstens een {p.lwt_min} hebben; "
                                     f"je hebt een {f}.", subject=code, source=p.src_lwt))
    return r


def _pattern(counted: list[tuple[str, int]], fails: list[Finding]) -> None:
    """UB 3.35 lid 1 sub c: the allowed combinations of 5s and 4s (the combinatiecijfer counts as one)."""
    fours = fives = 0
    seven = False
    low: list[tuple[str, int]] = []
    for code, f in counted:
        if f >= 7:
            seven = True
        elif f == 5:
            fives += 1
        elif f == 4:
            fours += 1
        elif f < 4:
            low.append((code, f))
    if low:
        for code, f in low:
            fails.append(finding("EXAM_FINAL_GRADE_BELOW_4",
                                 f"Je eindcijfer voor {_label(code)} is een {f}. Met een eindcijfer lager dan een 4 ben je "
                                 f"niet geslaagd.", subject=code))
        return
    if fours == 0 and fives <= 1:
        return
    insufficient = ", ".join(f"{_label(code)} ({f})" for code, f in counted if f < 6)
    if (fours == 1 and fives == 0) or (fours == 0 and fives == 2):
        if not seven:
            fails.append(finding("EXAM_NO_COMPENSATING_7",
                                 f"Je hebt {'een 4' if fours else 'twee 5-en'} ({insufficient}). Dat mag alleen als "
                                 f"al je andere eindcijfers een 6 of hoger zijn en er minstens een 7 bij is; je hebt "
                                 f"geen 7 of hoger."))
        return
    fails.append(finding("EXAM_TOO_MANY_INSUFFICIENT",
                         f"Je hebt te veel onvoldoendes ({insufficient}). Je mag een 5 hebben, of een 4 of twee 5-en "
                         f"als er een 7 tegenover staat."))


def _cum_laude_current(p: _P, lw: str, subs: list[SubjectInput], finals: dict[str, int], r: _Eval,
                       infos: list[Finding]) -> bool:
    """UB 3.48: mean >= 8.0 over the named subjects, every counted subject >= 6 (and pws voldoende in GL/TL)."""
    if min(f for _, f in r.counted) < p.cl_grade:
        return False
    general = [s for s in subs if s.kind == "algemeen" and s.code not in p.gem]
    fixed: list[int] = []
    pool: list[int] = []
    take = 0
    with_parts = any(s.part is not None for s in general)
    if lw in ("BB", "KB"):
        # lid 2: profielvak, the two general profieldeel subjects, the combinatiecijfer.
        fixed = [finals[s.code] for s in subs if s.kind == "profielvak"] + [r.combination]
        prof = ([s for s in general if s.part == "profieldeel"] if with_parts
                else [s for s in general if not s.extra])
        if len(prof) == 2:
            fixed += [finals[s.code] for s in prof]
        else:
            pool, take = [finals[s.code] for s in general], 2
    else:
        # lid 1 (TL) and 3 (GL): Nederlands, Engels, maatschappijleer, the general profieldeel subjects, and the
        # best vrije-deel subject (GL: the general vrije-deel subject or the combinatiecijfer).
        fixed = [finals[c] for c in (p.ne, p.en, p.ma) if c in finals]
        if with_parts and all(s.part is not None for s in general):
            fixed += [finals[s.code] for s in general if s.part == "profieldeel"]
            best = [finals[s.code] for s in general if s.part == "vrij"]
            if lw == "GL":
                best.append(r.combination)
            if best:
                fixed.append(max(best))
        else:
            pool = [finals[s.code] for s in general]
            if lw == "GL":
                pool.append(r.combination)
            take = 3
    if take:
        # The parts are unknown: say so only when the most favourable reading reaches the mean.
        best_case = fixed + sorted(pool, reverse=True)[:take]
        if sum(best_case) * p.cl_q >= p.cl_p * len(best_case):
            infos.append(finding("EXAM_CUM_LAUDE_UNDETERMINED",
                                 "Misschien ben je geslaagd met cum laude. Daarvoor moet de school aangeven welke "
                                 "vakken bij het profieldeel en welke bij het vrije deel horen.", source=p.src_cl))
        return False
    if sum(fixed) * p.cl_q >= p.cl_p * len(fixed):
        infos.append(finding("EXAM_CUM_LAUDE",
                             f"Je bent geslaagd met cum laude: je gemiddelde is {_nl(sum(fixed), len(fixed))}.",
                             source=p.src_cl))
        return True
    return False


def _decide_current(candidate: Candidate, p: _P) -> Decision:
    lw = candidate.leerweg
    subs = sorted(candidate.subjects, key=_by_code)
    blockers: list[Finding] = []
    infos: list[Finding] = []
    finals, levels = _finals(p, lw, subs, blockers, infos)
    missing: list[Finding] = []
    _missing(p, lw, subs, missing)
    mode = "regular"
    lwt = candidate.leer_werktraject
    if lwt and lw != "BB":
        infos.append(finding("EXAM_LWT_NOT_BB", f"Een leer-werktraject bestaat alleen in de basisberoepsgerichte "
                                                f"leerweg; voor de leerweg {lw} geldt de gewone regel."))
    elif lwt and not missing:
        infos.append(finding("EXAM_LWT_REGULAR_RULES", "Je leer-werktraject omvat het volledige examen van de "
                                                       "basisberoepsgerichte leerweg; daarom geldt de gewone "
                                                       "slaag-zakregeling.", source=p.reg.cite("lwt_full_exam_rule")))
        mode = "regular" if p.lwt_rule == "regular" else "both"
    elif lwt:
        missing = []
        _missing(p, lw, subs, missing, lwt=True)
        mode = "lwt"
    blockers += missing
    if p.lbd and not candidate.loopbaandossier_complete:
        blockers.append(finding("EXAM_LOOPBAANDOSSIER_INCOMPLETE",
                                "Je loopbaandossier is nog niet af. Dat hoort bij je schoolexamen (PTA); pas als het "
                                "af is, kan de uitslag worden bepaald.", source=p.src_lbd))
    if blockers:
        return Decision(candidate.id, "INCOMPLETE", MappingProxyType(finals), None, (), False,
                        tuple(blockers + infos), MappingProxyType(levels))
    r = _evaluate_current(p, lw, subs, finals, mode)
    left_out: tuple[str, ...] = ()
    if r.fails:
        need_kv = p.kv_req["BB" if mode == "lwt" else lw]
        kvs = [s for s in subs if s.kind == "keuzevak"]
        pool = [s for s in subs if s.extra or (s.kind == "keuzevak" and len(kvs) > need_kv)]
        found = _must_pass(pool, subs, lambda rest: (
            sum(1 for s in rest if s.kind == "keuzevak") >= need_kv
            and not (res := _evaluate_current(p, lw, rest, finals, mode)).fails and res))
        if found:
            left_out, r, subs = found
    cum_laude = False
    if not r.fails:
        infos += r.infos
        infos += _left_out_findings(left_out)
        if mode != "lwt":
            cum_laude = _cum_laude_current(p, lw, subs, finals, r, infos)
        findings = tuple(infos)
        outcome = "PASSED"
    else:
        findings = tuple(r.fails + r.infos + infos)
        outcome = "FAILED"
    return Decision(candidate.id, outcome, MappingProxyType(finals), r.combination, left_out, cum_laude,
                    findings, MappingProxyType(levels))


def _must_pass(pool: list[SubjectInput], subs: list[SubjectInput], attempt):
    """UB 3.33 lid 3: the smallest set of subjects (then the first by code) whose leaving out makes the candidate
    pass; `attempt(rest)` returns a passing evaluation or a false value."""
    largest = len(pool) if len(pool) <= _MAX_FULL_SEARCH else 3
    for size in range(1, largest + 1):
        for out in combinations(pool, size):
            codes = {s.code for s in out}
            rest = [s for s in subs if s.code not in codes]
            result = attempt(rest)
            if result:
                return tuple(sorted(codes)), result, rest
    return None


def _left_out_findings(left_out: tuple[str, ...]) -> list[Finding]:
    return [finding("EXAM_SUBJECT_LEFT_OUT",
                    f"{code} telt niet mee voor de uitslag: zonder dit vak ben je geslaagd. Het cijfer staat wel op "
                    f"je cijferlijst.", subject=code) for code in left_out]


# --- spv-modulair: the maatwerkdiploma --------------------------------------------------------

def _evaluate_spv(p: _P, lw: str, subs: list[SubjectInput], finals: dict[str, int]) -> _Eval:
    r = _Eval()
    fails = r.fails
    ce_sum = ce_n = 0
    values = r.counted
    units = 0
    pass_final = p.pass_final
    for s in subs:
        kind = s.kind
        if kind in QUALIFICATION_KINDS:
            _qualifications(lw, s, p, fails)
            continue
        ce = s.ce10
        if ce is not None:
            ce_sum += ce
            ce_n += 1
        f = finals[s.code]
        values.append((s.code, f))
        if kind in _MODULE_KINDS and (f >= pass_final or (p.count_comp and f >= p.comp_min)):
            units += s.units or p.module_size
    _ce_mean(p, ce_sum, ce_n, fails)
    ne = finals.get(p.ne)
    if ne is not None and ne < p.ne_min:
        fails.append(finding("EXAM_NEDERLANDS_TOO_LOW",
                             f"Je eindcijfer voor Nederlands is een {ne}; dat moet minstens een {p.ne_min} zijn.",
                             subject=p.ne, source=p.src_ne))
    insufficient = [(code, f) for code, f in values if f < pass_final]
    for code, f in insufficient:
        if f < p.comp_min:
            fails.append(finding("DIPLOMA_GRADE_BELOW_MINIMUM",
                                 f"Je eindcijfer voor {code} is een {f}; op het diploma mag geen cijfer lager dan een "
                                 f"{p.comp_min} staan.", subject=code, source=p.src_comp_min))
    if len(insufficient) > p.comp_max:
        fails.append(finding("DIPLOMA_TOO_MANY_INSUFFICIENT",
                             f"Je hebt {len(insufficient)} onvoldoendes "
                             f"({', '.join(f'{c} ({f})' for c, f in insufficient)}); er mag er ten hoogste "
                             f"{p.comp_max} zijn.", source=p.src_comp_max))
    total = sum(f for _, f in values)
    if insufficient and total * p.cm_q < p.cm_p * len(values):
        fails.append(finding("DIPLOMA_MEAN_TOO_LOW",
                             f"Met een onvoldoende moet het gemiddelde van al je eindcijfers minstens "
                             f"{nl_number(p.cm_p, p.cm_q, 1)} zijn; het is {_nl(total, len(values))}.",
                             source=p.src_comp_mean))
    need = p.min_units[lw]
    if units < need:
        fails.append(finding("DIPLOMA_UNITS_TOO_FEW",
                             f"Je hebt {units} {'eenheid' if units == 1 else 'eenheden'} aan afgeronde modules; in de "
                             f"leerweg {lw} zijn dat er minimaal {need}.", source=p.reg.cite("min_units", lw)))
    if not fails:
        r.infos += [finding("DIPLOMA_COMPENSATED",
                            f"Je eindcijfer voor {code} is een {f}. Dat is onvoldoende, maar het wordt "
                            f"gecompenseerd: het staat op je diploma.", subject=code, source=p.src_comp_max)
                    for code, f in insufficient]
    return r


def _decide_spv(candidate: Candidate, p: _P) -> Decision:
    lw = candidate.leerweg
    subs = sorted(candidate.subjects, key=_by_code)
    blockers: list[Finding] = []
    infos: list[Finding] = []
    finals, levels = _finals(p, lw, subs, blockers, infos)
    _missing(p, lw, subs, blockers)
    if p.lbd and not candidate.loopbaandossier_complete:
        blockers.append(finding("EXAM_LOOPBAANDOSSIER_INCOMPLETE",
                                "Je loopbaandossier (LOB, onderdeel van de kern) is nog niet af; pas als het af is, "
                                "kan de uitslag worden bepaald.", source=p.src_lbd))
    if blockers:
        return Decision(candidate.id, "INCOMPLETE", MappingProxyType(finals), None, (), False,
                        tuple(blockers + infos), MappingProxyType(levels))
    r = _evaluate_spv(p, lw, subs, finals)
    left_out: tuple[str, ...] = ()
    if r.fails:
        pool = [s for s in subs if s.extra or (s.kind in _MODULE_KINDS and (
            finals[s.code] < p.pass_final or s.ce10 is not None))]
        found = _must_pass(pool, subs, lambda rest: not (res := _evaluate_spv(p, lw, rest, finals)).fails and res)
        if found:
            left_out, r, subs = found
    cum_laude = False
    if not r.fails:
        infos += r.infos
        infos += _left_out_findings(left_out)
        values = [f for _, f in r.counted]
        if (values and min(values) >= max(p.cl_grade, p.pass_final)
                and sum(values) * p.cl_q >= p.cl_p * len(values)):
            cum_laude = True
            infos.append(finding("EXAM_CUM_LAUDE", f"Je bent geslaagd met cum laude: je gemiddelde is "
                                                   f"{_nl(sum(values), len(values))}.", source=p.src_cl))
        return Decision(candidate.id, "PASSED", MappingProxyType(finals), None, left_out, cum_laude,
                        tuple(infos), MappingProxyType(levels))
    return Decision(candidate.id, "FAILED", MappingProxyType(finals), None, (), False,
                    tuple(r.fails + infos), MappingProxyType(levels))


def decide_exam(candidate: Candidate, regulation: Regulation) -> Decision:
    """Decide one candidate's exam under a regulation (see the module docstring for the rules)."""
    p = _params(regulation)
    if p.spv:
        return _decide_spv(candidate, p)
    return _decide_current(candidate, p)
