"""module_outcome: the school-exam result of one module from its PTA items (WVO 2020 art. 2.60a; UB 3.13, 3.16)."""

from __future__ import annotations

import math
from decimal import Decimal
from fractions import Fraction

import pytest
from hypothesis import given, settings
from hypothesis import strategies as st

from maatwerk.rules import ItemResultInput, PtaItemInput, RulesInputError, module_outcome

from .rules_support import CURRENT, MODULAR

D = Decimal


def pta(*items):
    return tuple(items)


def item(code, weight="1", kind="grade", resit=False, attempts=1):
    return PtaItemInput(code, D(weight), kind, resit, attempts)


def r(code, grade=None, attempt=1, qualification=None):
    return ItemResultInput(code, attempt, None if grade is None else D(grade), qualification)


def codes(outcome):
    return [f.code for f in outcome.findings]


@pytest.mark.parametrize(("grades", "weights", "grade", "final", "outcome", "why"), [
    (("6.0", "7.0"), ("1", "1"), "6.5", 7, "PASSED", "weighted mean 6.5; UB 3.32: 6.5 -> 7"),
    (("6.4", "6.5"), ("1", "1"), "6.5", 7, "PASSED", "mean 6.45 -> 6.5 (half up to one decimal, UB 3.13 lid 1)"),
    (("5.0", "8.0"), ("3", "1"), "5.8", 6, "PASSED", "weighted (3x5 + 8)/4 = 5.75 -> 5.8"),
    (("5.0", "6.0"), ("1", "1"), "5.5", 6, "PASSED", "module_pass_mark 5.5 is sufficient"),
    (("5.0", "5.8"), ("1", "1"), "5.4", 5, "FAILED", "5.4 is below module_pass_mark 5.5"),
    (("6.45",), ("1",), "6.5", 7, "PASSED", "an item grade with two decimals rounds exactly (no binary float)"),
    (("7", "6", "5"), ("1", "1", "1"), "6.0", 6, "PASSED", "one third weights are exact: 18/3 = 6.0"),
    (("5.5", "5.5", "5.4"), ("1", "1", "1"), "5.5", 6, "PASSED", "16.4/3 = 5.4667 -> 5.5"),
])
def test_weighted_school_exam_grade(grades, weights, grade, final, outcome, why):
    items = pta(*(item(f"t{i}", w) for i, w in enumerate(weights)))
    results = tuple(r(f"t{i}", value) for i, value in enumerate(grades))
    o = module_outcome(results, items, CURRENT)
    assert (o.outcome, o.grade, o.final_grade) == (outcome, D(grade), final), why
    assert codes(o) == ([] if outcome == "PASSED" else ["OUTCOME_GRADE_INSUFFICIENT"])


def test_truncating_to_one_decimal_when_the_pta_says_so():
    trunc = CURRENT.with_overrides({"se_decimal_rounding": "truncate"})
    o = module_outcome((r("t0", "6.4"), r("t1", "6.5")), pta(item("t0"), item("t1")), trunc)
    assert (o.grade, o.final_grade) == (D("6.4"), 6)


@pytest.mark.parametrize(("rule", "attempts", "expected", "why"), [
    ("highest", ("4.0", "6.0", "5.0"), "6.0", "UB 3.16 lid 5: the highest grade counts"),
    ("last", ("4.0", "6.0", "5.0"), "5.0", "PTA: the last attempt counts"),
])
def test_which_attempt_counts(rule, attempts, expected, why):
    regulation = CURRENT.with_overrides({"se_attempt_rule": rule})
    results = tuple(r("t0", g, attempt=i + 1) for i, g in enumerate(attempts))
    o = module_outcome(results, pta(item("t0", resit=True, attempts=3)), regulation)
    assert o.grade == D(expected), why


def test_attempts_beyond_the_maximum_are_refused():
    o = module_outcome((r("t0", "4.0"), r("t0", "8.0", attempt=3), r("t0", "5.0", attempt=2)),
                       pta(item("t0", resit=True, attempts=2)), CURRENT)
    assert o.grade == D("5.0")
    assert codes(o) == ["OUTCOME_ATTEMPT_REFUSED", "OUTCOME_GRADE_INSUFFICIENT"]
    assert "ten hoogste 2 pogingen" in o.findings[0].message


def test_a_resit_the_pta_does_not_allow_is_refused():
    o = module_outcome((r("t0", "4.0"), r("t0", "8.0", attempt=2)), pta(item("t0", resit=False, attempts=3)),
                       CURRENT)
    assert o.outcome == "FAILED"
    assert "geen herkansing" in o.findings[0].message


def test_missing_items_make_the_module_incomplete():
    o = module_outcome((r("t0", "8.0"),), pta(item("t0"), item("t1")), CURRENT)
    assert (o.outcome, o.grade, o.final_grade) == ("INCOMPLETE", None, None)
    assert codes(o) == ["OUTCOME_ITEM_MISSING"]
    assert o.findings[0].subject == "t1"


def test_an_attempt_without_a_result_yet_is_missing():
    o = module_outcome((r("t0"),), pta(item("t0")), CURRENT)
    assert o.outcome == "INCOMPLETE"


def test_no_pta_items():
    o = module_outcome((), (), MODULAR)
    assert (o.outcome, codes(o)) == ("INCOMPLETE", ["OUTCOME_NO_PTA_ITEMS"])


@pytest.mark.parametrize(("qualification", "outcome"), [
    ("voldoende", "PASSED"), ("goed", "PASSED"), ("onvoldoende", "FAILED"),
])
def test_qualification_items_must_be_voldoende_or_goed(qualification, outcome):
    # UB 3.13 lid 3 / 3.14 style items: onvoldoende, voldoende, goed.
    items = pta(item("t0"), item("stage", "0", kind="qualification"))
    o = module_outcome((r("t0", "7.0"), r("stage", qualification=qualification)), items, MODULAR)
    assert o.outcome == outcome
    assert o.final_grade == 7


def test_a_qualification_only_module_has_no_grade():
    items = pta(item("a", "0", kind="qualification", resit=True, attempts=2))
    o = module_outcome((r("a", qualification="onvoldoende"), r("a", qualification="goed", attempt=2)), items, MODULAR)
    assert (o.outcome, o.grade, o.final_grade) == ("PASSED", None, None)
    last = MODULAR.with_overrides({"se_attempt_rule": "last"})
    o = module_outcome((r("a", qualification="goed"), r("a", qualification="onvoldoende", attempt=2)), items, last)
    assert o.outcome == "FAILED"
    assert codes(o) == ["OUTCOME_QUALIFICATION_INSUFFICIENT"]


def test_results_that_do_not_fit_the_pta_are_not_counted():
    items = pta(item("t0"), item("q", "0", kind="qualification"))
    results = (r("t0", "7.0", qualification="goed"), r("q", "3.0", qualification="voldoende"), r("zz", "9.0"),
               r("t0", "9.0"))
    o = module_outcome(results, items, CURRENT)
    assert o.grade == D("7.0")
    # reported per item code, then attempt: q (a grade for a qualification), t0 (a qualification beside the grade),
    # t0 again (the same attempt twice: the first counts), zz (not in the PTA)
    assert [(f.code, f.subject) for f in o.findings] == [
        ("OUTCOME_WRONG_RESULT_KIND", "q"), ("OUTCOME_WRONG_RESULT_KIND", "t0"), ("OUTCOME_DUPLICATE_ATTEMPT", "t0"),
        ("OUTCOME_UNKNOWN_ITEM", "zz")]


@pytest.mark.parametrize(("make", "field"), [
    (lambda: PtaItemInput("t", D("1"), "score"), "t.result_kind"),
    (lambda: PtaItemInput("t", D("0")), "t.weight"),
    (lambda: PtaItemInput("t", D("-1"), "qualification"), "t.weight"),
    (lambda: PtaItemInput("t", 1.5), "t.weight"),
    (lambda: PtaItemInput("t", D("1"), max_attempts=0), "t.max_attempts"),
    (lambda: PtaItemInput("t", D("1"), max_attempts=True), "t.max_attempts"),
    (lambda: ItemResultInput("t", 0, D("6")), "t[0].attempt"),
    (lambda: ItemResultInput("t", 1, D("10.1")), "t[1].grade"),
    (lambda: ItemResultInput("t", 1, D("0.9")), "t[1].grade"),
    (lambda: ItemResultInput("t", 1, 6.5), "t[1].grade"),
    (lambda: ItemResultInput("t", 1, None, "prima"), "t[1].qualification"),
])
def test_bad_inputs_name_the_field(make, field):
    with pytest.raises(RulesInputError) as exc:
        make()
    assert exc.value.field == field


def test_grades_may_be_given_as_text_or_integers():
    o = module_outcome((ItemResultInput("t0", 1, "6,5"), ItemResultInput("t1", 1, 7)), pta(item("t0"), item("t1")),
                       CURRENT)
    assert o.grade == D("6.8")


@settings(max_examples=300, deadline=None)
@given(st.lists(st.tuples(st.decimals(min_value=D("0.01"), max_value=D("100"), places=2),
                          st.decimals(min_value=D("1"), max_value=D("10"), places=2)), min_size=1, max_size=25),
       st.sampled_from(["half_up", "truncate"]))
def test_the_module_grade_is_the_exact_weighted_mean(pairs, rounding):
    """Whatever the weights and grades (two decimals each), the module grade is the weighted mean computed
    with Fractions, to one decimal by the regulation's rounding (UB 3.13 lid 1), and its final grade that
    grade rounded half up (UB 3.32): the engine's integer arithmetic never drifts from the exact value."""
    regulation = CURRENT.with_overrides({"se_decimal_rounding": rounding})
    items = pta(*(item(f"t{i}", str(w)) for i, (w, _) in enumerate(pairs)))
    results = tuple(r(f"t{i}", str(g)) for i, (_, g) in enumerate(pairs))
    mean = sum(Fraction(w) * Fraction(g) for w, g in pairs) / sum(Fraction(w) for w, _ in pairs)
    tenths = math.floor(mean * 10) if rounding == "truncate" else math.floor(mean * 10 + Fraction(1, 2))
    o = module_outcome(results, items, regulation)
    assert o.grade == D(tenths) / 10
    assert o.final_grade == math.floor(Fraction(tenths, 10) + Fraction(1, 2))
