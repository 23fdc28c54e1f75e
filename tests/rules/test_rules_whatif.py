"""what_if: the same cohort under changed parameters (seed, Vervolgstappen: the pilot decides the numbers)."""

from __future__ import annotations

from dataclasses import replace

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.rules import RegulationError, what_if

from .rules_support import CURRENT, MODULAR, exam, f, g, item, modular_exam, module, programme
from .test_rules_exam_properties import current_candidates


def cohort():
    return [
        modular_exam("KB", ident="pass"),                                          # 8 modules: passes
        modular_exam("KB", modules=7, ident="seven"),                              # 7 modules: fails on min_units
        modular_exam("KB", g("m1", 5, kind="module"), ident="five"),               # a 5, mean 5.92: fails on the mean
        modular_exam("KB", loopbaandossier_complete=False, ident="dossier"),       # incomplete
    ]


def test_lowering_the_minimum_lets_more_students_complete():
    s = what_if(cohort(), MODULAR, {"min_units.KB": 7})
    e = s.exam
    # 'seven' now has enough units; 'five' passes because the must-pass principle may now leave its 5 out
    # (seven modules remain, which is the new minimum)
    assert (e.total, e.changed) == (4, 2)
    assert dict(e.before) == {"PASSED": 1, "FAILED": 2, "INCOMPLETE": 1}
    assert dict(e.after) == {"PASSED": 3, "FAILED": 0, "INCOMPLETE": 1}
    assert e.transitions == ((("FAILED", "PASSED"), 2),)
    assert e.codes_removed == (("DIPLOMA_MEAN_TOO_LOW", 1), ("DIPLOMA_UNITS_TOO_FEW", 1))
    assert e.codes_added == ()
    assert e.changed_ids == ("seven", "five")
    assert e.count("before", "PASSED") == 1 and e.count("after", "PASSED") == 3
    assert s.overrides == ("min_units",) and s.regulation_id == "spv-modulair"
    assert s.programmes is None


def test_a_stricter_rule_shows_who_would_fail_and_why():
    s = what_if(cohort(), MODULAR, {"min_units.KB": 9, "compensation_min_mean": "5.9"})
    assert s.exam.transitions == ((("PASSED", "FAILED"), 1),)
    assert s.exam.codes_added == (("DIPLOMA_UNITS_TOO_FEW", 1),)
    # 'five' keeps failing, now on the units instead of the mean: not a change of outcome
    assert s.exam.changed_ids == ("pass",)


def test_programmes_are_summarised_too():
    modules = [module("K1", "INTRODUCTORY"), *(module(f"V{i}") for i in range(7))]
    progs = [replace(programme("KB", *(item(m) for m in modules[:n])), student_id=f"S{i}")
             for i, n in enumerate((8, 7, 6))]
    s = what_if([], MODULAR, {"min_units.KB": 7, "max_units_per_year": 8}, programmes=progs)
    p = s.programmes
    assert dict(p.before) == {"VALID": 0, "INVALID": 3} and dict(p.after) == {"VALID": 2, "INVALID": 1}
    assert p.transitions == ((("INVALID", "VALID"), 2),)
    assert p.codes_removed == (("PROGRAMME_UNITS_TOO_FEW", 1), ("PROGRAMME_YEAR_UNITS_EXCEEDED", 2))
    assert p.changed_ids == ("S0", "S1")
    assert s.exam.total == 0


def test_what_if_on_todays_law():
    candidates = [exam("KB", f("ne", 5), ident="ne5"), exam("KB", ident="all6")]
    s = what_if(candidates, CURRENT, {"nederlands_min": 6})
    assert s.exam.changed_ids == ("ne5",)
    assert s.exam.codes_added == (("EXAM_NEDERLANDS_TOO_LOW", 1),)


def test_bad_overrides_are_refused():
    with pytest.raises(RegulationError):
        what_if(cohort(), MODULAR, {"min_units.XX": 3})


@given(st.lists(current_candidates(), max_size=5))
def test_no_overrides_change_nothing(candidates):
    s = what_if(candidates, CURRENT, {})
    assert s.exam.changed == 0 and s.exam.before == s.exam.after
    assert s.exam.transitions == () and s.exam.codes_added == () and s.exam.codes_removed == ()
    assert s.exam.total == len(candidates)
