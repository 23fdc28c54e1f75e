"""decide_exam under spv-modulair: the maatwerkdiploma. Each case cites the parameter (pilot) or article it tests.

The base (rules_support.modular_exam) has the general subjects of the leerweg at 6 and eight modules of grade 6
(two kennismakend, six verdiepend): 8 units, the default minimum for BB and KB (parameter min_units).
"""

from __future__ import annotations

import pytest

from maatwerk.rules import Severity, decide_exam

from .rules_support import MODULAR, f, g, modular_exam, q


def decide(candidate, regulation=MODULAR):
    return decide_exam(candidate, regulation)


def codes(decision):
    return [x.code for x in decision.findings if x.severity is Severity.ERROR]


def test_the_base_maatwerkdiploma_passes_and_lists_every_level():
    d = decide(modular_exam("KB", g("m3", 7, kind="module", level="GL"), f("wi", 6, level="TL")))
    assert d.outcome == "PASSED"
    assert d.combination_grade is None
    assert d.levels["m3"] == "GL" and d.levels["wi"] == "TL" and d.levels["ne"] == "KB"
    assert d.final_grades["m3"] == 7


@pytest.mark.parametrize(("changes", "expected", "why"), [
    # the base has 13 final grades of 6 (sum 78)
    ((g("m1", 5, kind="module"), g("m2", 7, kind="module")), [],
     "compensation_max_insufficient = 1 with compensation_min_mean 6.0: one 5, mean 78/13 = 6.0"),
    ((g("m1", 5, kind="module"), g("m2", 5, kind="module"), g("m3", 9, kind="module"), g("m4", 9, kind="module")),
     ["DIPLOMA_TOO_MANY_INSUFFICIENT"], "compensation_max_insufficient = 1: two 5s, even with mean 82/13 = 6.3"),
    ((f("wi", 3), f("ec", 9)), ["DIPLOMA_GRADE_BELOW_MINIMUM"],
     "compensation_min_grade = 4: a 3 is never compensated, even with mean 6.0"),
    ((f("wi", 4), f("ec", 8)), [], "compensation_min_grade = 4: a 4 is compensated when the mean is 6.0"),
    ((f("wi", 5),), ["DIPLOMA_MEAN_TOO_LOW"], "compensation_min_mean = 6.0: one 5 and mean 77/13 = 5.92"),
])
def test_compensation_rule(changes, expected, why):
    d = decide(modular_exam("KB", *changes))
    assert codes(d) == expected, why
    assert (d.outcome == "PASSED") is (not expected), why


def test_a_compensated_module_is_reported_and_counts_its_units():
    d = decide(modular_exam("KB", g("m1", 5, kind="module"), g("m2", 7, kind="module")))
    assert d.outcome == "PASSED"
    assert [x.code for x in d.findings] == ["DIPLOMA_COMPENSATED"]
    assert d.findings[0].subject == "m1"
    assert d.findings[0].source == "parameter compensation_max_insufficient"


def test_the_mean_is_checked_exactly():
    # one 5 among 13 items: mean = (5 + 6x11 + 7) / 13 = 6.0 exactly -> compensated; without the 7: 5.92 -> not.
    assert decide(modular_exam("KB", g("m1", 5, kind="module"), g("m2", 7, kind="module"))).outcome == "PASSED"
    d = decide(modular_exam("KB", g("m1", 5, kind="module")))
    assert codes(d) == ["DIPLOMA_MEAN_TOO_LOW"]
    assert "5,92" in d.findings[0].message


@pytest.mark.parametrize(("leerweg", "modules", "passed", "why"), [
    ("KB", 8, True, "min_units.KB = 8"),
    ("KB", 7, False, "min_units.KB = 8"),
    ("GL", 6, True, "min_units.GL = 6"),
    ("TL", 4, True, "min_units.TL = 4"),
    ("TL", 3, False, "min_units.TL = 4"),
])
def test_minimum_units_of_completed_modules_per_leerweg(leerweg, modules, passed, why):
    d = decide(modular_exam(leerweg, modules=modules))
    assert (d.outcome == "PASSED") is passed, why
    if not passed:
        assert codes(d) == ["DIPLOMA_UNITS_TOO_FEW"]
        assert d.findings[0].source == f"parameter min_units.{leerweg}"


def test_a_module_of_two_units_counts_two():
    d = decide(modular_exam("KB", g("m7", 6, kind="module", units=2), modules=7))
    assert d.outcome == "PASSED"


def test_a_compensated_module_counts_only_when_the_parameter_says_so():
    # 8 modules, one of them a 5 (compensated by a 7): 8 units with count_compensated_units, else 7.
    candidate = modular_exam("KB", g("m1", 5, kind="module"), g("m2", 7, kind="module"))
    assert decide(candidate).outcome == "PASSED"
    strict = MODULAR.with_overrides({"count_compensated_units": False})
    assert codes(decide(candidate, strict)) == ["DIPLOMA_UNITS_TOO_FEW"]


def test_keuzevakken_count_as_modules():
    d = decide(modular_exam("KB", g("kv1", 6, kind="keuzevak"), modules=7))
    assert d.outcome == "PASSED"


def test_a_pilot_can_change_the_numbers_without_code():
    candidate = modular_exam("KB", g("m1", 5, kind="module"), g("m2", 5, kind="module"), g("m3", 9, kind="module"))
    assert decide(candidate).outcome == "FAILED"
    lenient = MODULAR.with_overrides({"compensation_max_insufficient": 2})
    assert decide(candidate, lenient).outcome == "PASSED"
    assert decide(modular_exam("KB"), MODULAR.with_overrides({"min_units.KB": 9})).outcome == "FAILED"


@pytest.mark.parametrize(("changes", "expected"), [
    ((g("ne", "9.0", "4.0"), g("en", "9.0", "4.0"), g("wi", "9.0", "4.0")), ["EXAM_CE_MEAN_TOO_LOW"]),
    ((f("ne", 4), f("wi", 9)), ["EXAM_NEDERLANDS_TOO_LOW"]),
    ((q("lo", "lo", "onvoldoende"),), ["EXAM_LO_KUNSTVAK_INSUFFICIENT"]),
])
def test_rules_carried_over_from_today(changes, expected):
    d = decide(modular_exam("KB", *changes))
    assert codes(d) == expected
    assert d.findings[0].source.startswith("parameter") or d.findings[0].source.startswith("UB")


def test_profielwerkstuk_in_gl_and_tl():
    d = decide(modular_exam("TL", q("pws", "profielwerkstuk", "onvoldoende"), modules=4))
    assert codes(d) == ["EXAM_PWS_INSUFFICIENT"]
    assert d.findings[0].source == "parameter pws_leerwegen"


def test_must_pass_leaves_out_an_extra_module():
    d = decide(modular_exam("KB", g("m9", 2, kind="module", extra=True)))
    assert d.outcome == "PASSED"
    assert d.left_out == ("m9",)


def test_must_pass_leaves_out_a_surplus_insufficient_module():
    # nine modules, one a 3: without it eight remain, which is the minimum.
    d = decide(modular_exam("KB", g("m9", 3, kind="module"), modules=9))
    assert d.outcome == "PASSED"
    assert d.left_out == ("m9",)


def test_failed_when_nothing_can_be_left_out():
    d = decide(modular_exam("KB", g("m8", 3, kind="module")))
    assert d.outcome == "FAILED"
    assert d.left_out == ()


@pytest.mark.parametrize(("candidate", "expected"), [
    (modular_exam("KB", g("pv", 6, 6, kind="profielvak")), [("EXAM_KIND_NOT_ALLOWED", "pv")]),
    (modular_exam("KB", g("m1", None, kind="module")), [("EXAM_GRADE_MISSING", "m1")]),
    (modular_exam("KB", loopbaandossier_complete=False), [("EXAM_LOOPBAANDOSSIER_INCOMPLETE", None)]),
    (modular_exam("GL", drop=("pws",)), [("EXAM_SUBJECT_MISSING", "profielwerkstuk")]),
])
def test_incomplete(candidate, expected):
    d = decide(candidate)
    assert d.outcome == "INCOMPLETE"
    assert [(x.code, x.subject) for x in d.findings] == expected


def test_cum_laude_on_the_maatwerkdiploma():
    eights = [g(f"m{i + 1}", 8, kind="module") for i in range(8)]
    general = [f(c, 8) for c in ("ne", "en", "wi", "ec")] + [g("ma", 8)]
    d = decide(modular_exam("KB", *eights, *general))
    assert d.cum_laude
    assert [x.code for x in d.findings] == ["EXAM_CUM_LAUDE"]
    assert not decide(modular_exam("KB", *eights[1:], *general, g("m1", 6, kind="module"))).cum_laude  # mean 7.85
    d = decide(modular_exam("KB", *eights, *general[1:], f("ne", 5)))
    assert d.outcome == "PASSED" and not d.cum_laude
