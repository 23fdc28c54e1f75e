"""Hypothesis properties of decide_exam, and an independent reading of UB 3.32/3.35 as an oracle.

* raising any grade (or a qualification) never turns PASSED into FAILED;
* the order of the subjects does not matter; the same input gives the same output;
* for exams without extra subjects, the outcome equals a direct, separately written reading of UB 3.35 lid 1
  (with Fractions and the "first decimal" wording of UB 3.32 lid 2 taken literally).
"""

from __future__ import annotations

import math
from dataclasses import replace
from decimal import Decimal
from fractions import Fraction

from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.rules import Candidate, SubjectInput, decide_exam

from .rules_support import CURRENT, GENERAL, KEUZEVAKKEN, MODULAR

QUALS = ("onvoldoende", "voldoende", "goed")


def _d(t: int) -> Decimal:
    return Decimal(t).scaleb(-1)


class _Grades:
    """Draws grades so that most exams are near the pass/fail line: a few 'weak' subjects get any grade (1.0-7.0),
    the others 5.8-9.5; a weak qualification may be onvoldoende."""

    def __init__(self, draw):
        self.draw = draw
        self.weak = draw(st.sets(st.integers(0, 15), max_size=3))
        self.index = 0

    def grade(self) -> int:
        self.index += 1
        weak = self.index in self.weak
        return self.draw(st.integers(10, 70) if weak else st.integers(58, 95))

    def qualification(self) -> str:
        self.index += 1
        return self.draw(st.sampled_from(QUALS if self.index in self.weak else QUALS[1:]))


@st.composite
def current_candidates(draw, extras: bool = True, lwt: bool = True):
    leerweg = draw(st.sampled_from(("BB", "KB", "GL", "TL")))
    grades = _Grades(draw)
    subjects = []

    def graded(code, kind="algemeen", ce=True, extra=False):
        se = grades.grade()
        if not ce:
            se = se - se % 10 if draw(st.booleans()) else se
            subjects.append(SubjectInput(code, kind, _d(max(se, 10)), extra=extra))
        else:
            subjects.append(SubjectInput(code, kind, _d(se), _d(grades.grade()), extra=extra))

    for code in ("ne", "en", *GENERAL[leerweg]):
        graded(code)
    graded("ma", ce=False)
    if leerweg != "TL":
        graded("pv", "profielvak")
    for i in range(KEUZEVAKKEN[leerweg] + (draw(st.integers(0, 1)) if extras else 0)):
        graded(f"kv{i + 1}", "keuzevak", ce=False)
    if extras:
        for i in range(draw(st.integers(0, 2))):
            graded(f"x{i}", extra=True, ce=draw(st.booleans()))
    subjects += [SubjectInput("lo", "lo", qualification=grades.qualification()),
                 SubjectInput("ckv", "kunstvak", qualification=grades.qualification())]
    if leerweg in ("GL", "TL"):
        subjects.append(SubjectInput("pws", "profielwerkstuk", qualification=grades.qualification()))
    return Candidate("P", leerweg, tuple(subjects), leer_werktraject=lwt and leerweg == "BB" and draw(st.booleans()))


@st.composite
def modular_candidates(draw):
    leerweg = draw(st.sampled_from(("BB", "KB", "GL", "TL")))
    grades = _Grades(draw)
    subjects = [SubjectInput(c, "algemeen", _d(grades.grade()), _d(grades.grade()))
                for c in ("ne", "en", *GENERAL[leerweg])]
    subjects.append(SubjectInput("ma", "algemeen", _d(grades.grade() // 10 * 10)))
    for i in range(draw(st.integers(3, 10))):
        subjects.append(SubjectInput(f"m{i}", "module", _d(grades.grade()), extra=draw(st.booleans()) and i > 7,
                                     units=draw(st.sampled_from((0, 1, 2)))))
    subjects += [SubjectInput("lo", "lo", qualification=grades.qualification()),
                 SubjectInput("ckv", "kunstvak", qualification="voldoende")]
    if leerweg in ("GL", "TL"):
        subjects.append(SubjectInput("pws", "profielwerkstuk", qualification=grades.qualification()))
    return Candidate("M", leerweg, tuple(subjects))


def _raise(candidate: Candidate, index: int, field: str, by: int) -> Candidate:
    subjects = list(candidate.subjects)
    s = subjects[index % len(subjects)]
    if s.qualification is not None:
        better = QUALS[min(2, QUALS.index(s.qualification) + 1)]
        subjects[index % len(subjects)] = SubjectInput(s.code, s.kind, qualification=better, extra=s.extra)
    else:
        se, ce = s.se10, s.ce10
        if field == "central_exam" and ce is not None:
            ce = min(100, ce + by)
        else:
            step = by if ce is not None else 10 * math.ceil(by / 10)
            se = min(100, se + step)
        subjects[index % len(subjects)] = SubjectInput(s.code, s.kind, _d(se), None if ce is None else _d(ce),
                                                       extra=s.extra, units=s.units)
    return replace(candidate, subjects=tuple(subjects))


@settings(max_examples=300)
@given(st.one_of(current_candidates().map(lambda c: (c, CURRENT)), modular_candidates().map(lambda c: (c, MODULAR))),
       st.integers(0, 30), st.sampled_from(("school_exam", "central_exam")), st.integers(1, 30))
def test_raising_a_grade_never_turns_passed_into_failed(pair, index, field, by):
    candidate, regulation = pair
    before = decide_exam(candidate, regulation)
    after = decide_exam(_raise(candidate, index, field, by), regulation)
    if before.outcome == "PASSED":
        assert after.outcome == "PASSED"
    assert (before.outcome == "INCOMPLETE") == (after.outcome == "INCOMPLETE")


@given(st.one_of(current_candidates().map(lambda c: (c, CURRENT)), modular_candidates().map(lambda c: (c, MODULAR))),
       st.randoms(use_true_random=False))
def test_the_order_of_subjects_does_not_matter_and_decisions_are_deterministic(pair, rnd):
    candidate, regulation = pair
    shuffled = list(candidate.subjects)
    rnd.shuffle(shuffled)
    first = decide_exam(candidate, regulation)
    assert decide_exam(replace(candidate, subjects=tuple(shuffled)), regulation) == first
    assert decide_exam(candidate, regulation) == first


# --- the oracle --------------------------------------------------------------------------------------

def _first_decimal_round(x: Fraction) -> int:
    """UB 3.32 lid 2, literally: look at the first digit after the decimal point."""
    whole = math.floor(x)
    first = math.floor((x - whole) * 10)
    return whole + (1 if first >= 5 else 0)


def oracle(candidate: Candidate) -> bool:
    """UB 3.35 lid 1 read directly (no extra subjects, no leer-werktraject)."""
    lw = candidate.leerweg
    finals, ce, kv, pv, general, quals = {}, [], [], None, [], {}
    for s in candidate.subjects:
        if s.qualification is not None:
            quals[s.kind] = s.qualification
            continue
        se = Fraction(s.school_exam)
        if s.central_exam is None:
            final = _first_decimal_round(se)
        else:
            ce.append(Fraction(s.central_exam))
            final = _first_decimal_round((se + Fraction(s.central_exam)) / 2)
        finals[s.code] = final
        if s.kind == "keuzevak":
            kv.append(final)
        elif s.kind == "profielvak":
            pv = final
        else:
            general.append(final)
    a = sum(ce) / len(ce) >= Fraction(55, 10)
    b = finals["ne"] >= 5
    if lw in ("BB", "KB"):
        counted = [*general, pv, _first_decimal_round(Fraction(sum(kv), len(kv)))]
        parts = kv
    elif lw == "GL":
        counted = [*general, _first_decimal_round(Fraction(pv * len(kv) + sum(kv), 2 * len(kv)))]
        parts = [pv, *kv]
    else:
        counted, parts = general, []
    rest_ok = all(g >= 6 for g in counted)
    fives, fours, seven = counted.count(5), counted.count(4), any(g >= 7 for g in counted)
    others_six = all(g >= 6 for g in counted if g not in (4, 5))
    c = (rest_ok or (fives == 1 and fours == 0 and others_six)
         or (fours == 1 and fives == 0 and others_six and seven)
         or (fives == 2 and fours == 0 and others_six and seven))
    d = all(p >= 4 for p in parts)
    e = quals["lo"] in ("voldoende", "goed") and quals["kunstvak"] in ("voldoende", "goed")
    f = lw not in ("GL", "TL") or quals["profielwerkstuk"] in ("voldoende", "goed")
    return a and b and c and d and e and f


@settings(max_examples=400)
@given(current_candidates(extras=False, lwt=False))
def test_decisions_agree_with_a_direct_reading_of_ub_3_35(candidate):
    d = decide_exam(candidate, CURRENT)
    assert (d.outcome == "PASSED") is oracle(candidate)
    assert d.left_out == ()
    for s in candidate.subjects:
        if s.qualification is None:
            x = Fraction(s.school_exam) if s.central_exam is None else (
                Fraction(s.school_exam) + Fraction(s.central_exam)) / 2
            assert d.final_grades[s.code] == _first_decimal_round(x)
