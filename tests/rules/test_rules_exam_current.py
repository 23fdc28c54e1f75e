"""decide_exam under vmbo-huidig: one table per rule of the Uitvoeringsbesluit WVO 2020 (UB), each case citing it.

The base exam of every leerweg (rules_support.base_subjects) has all final grades 6 and a CE mean of 6.0, so it
passes without a 7; each case changes only what its rule is about. Expected outcomes follow from the article's
text, not from the code.
"""

from __future__ import annotations

import pytest

from maatwerk.rules import Severity, decide_exam

from .rules_support import CURRENT, exam, f, g, q


def decide(candidate, regulation=CURRENT):
    return decide_exam(candidate, regulation)


def codes(decision):
    return [x.code for x in decision.findings if x.severity is Severity.ERROR]


# --- UB 3.32: final grades ------------------------------------------------------------------------

@pytest.mark.parametrize(("se", "ce", "final", "why"), [
    ("6.4", "4.5", 5, "UB 3.32 lid 2: (6.4+4.5)/2 = 5.45, first decimal 4 -> down"),
    ("6.5", "4.5", 6, "UB 3.32 lid 2: (6.5+4.5)/2 = 5.50, first decimal 5 -> up"),
    ("6.4", "4.6", 6, "UB 3.32 lid 2: 5.50 -> 6"),
    ("5.9", "4.0", 5, "UB 3.32 lid 2: 4.95 -> 5 (first decimal 9 -> up)"),
    ("7.0", "8.9", 8, "UB 3.32 lid 2: 7.95 -> 8"),
    ("6.0", "6.0", 6, "UB 3.32 lid 2: a whole mean stays"),
    ("1.0", "1.0", 1, "UB 3.32 lid 1: the series 1 to 10"),
    ("10.0", "9.9", 10, "UB 3.32 lid 2: 9.95 -> 10"),
])
def test_final_grade_is_the_mean_rounded_by_the_first_decimal(se, ce, final, why):
    d = decide(exam("KB", g("wi", se, ce)))
    assert d.final_grades["wi"] == final, why


@pytest.mark.parametrize(("se", "final"), [("6", 6), ("7", 7), ("6.5", 7), ("6.4", 6)])
def test_school_exam_only_subject_takes_its_school_exam_grade(se, final):
    # UB 3.32 lid 3: SE-only -> the SE grade is the final grade; UB 3.13 lid 2 wants it whole, so a decimal is
    # rounded the 3.32 way and reported.
    d = decide(exam("KB", g("ma", se)))
    assert d.final_grades["ma"] == final
    assert any(x.code == "EXAM_SE_ROUNDED" for x in d.findings) == ("." in se)


# --- UB 3.35 lid 1 sub a: the CE mean, unrounded ----------------------------------------------------

def _ce(leerweg, grades):
    """Set the CE grades of the CE subjects of a KB exam (ne, en, wi, ec, pv) with SE 6.5 (finals stay 6)."""
    codes_ = ["ne", "en", "wi", "ec"]
    changes = [g(c, "6.5", grade) for c, grade in zip(codes_, grades[:4], strict=True)]
    changes.append(g("pv", "6.5", grades[4], "profielvak"))
    return exam(leerweg, *changes)


@pytest.mark.parametrize(("grades", "passed", "why"), [
    (("5.5", "5.5", "5.5", "5.5", "5.5"), True, "UB 3.35 lid 1 sub a: mean exactly 5.50"),
    (("5.5", "5.5", "5.5", "5.5", "5.4"), False, "UB 3.35 lid 1 sub a: mean 5.48, just under 5.5 (not rounded up)"),
    (("4.0", "7.0", "5.5", "5.5", "5.5"), True, "UB 3.35 lid 1 sub a: mean 5.50 with a low and a high CE"),
    (("5.9", "5.3", "5.6", "5.4", "5.2"), False, "UB 3.35 lid 1 sub a: mean 5.48"),
])
def test_central_exam_mean_is_at_least_5_5_unrounded(grades, passed, why):
    d = decide(_ce("KB", grades))
    assert (d.outcome == "PASSED") is passed, why
    assert ("EXAM_CE_MEAN_TOO_LOW" in codes(d)) is not passed, why


@pytest.mark.parametrize(("last_extra_ce", "passed", "mean"), [("5.7", False, "5,49"), ("5.8", True, None)])
def test_ce_mean_of_5_49_is_not_rounded_up(last_extra_ce, passed, mean):
    # UB 3.35 lid 1 sub a: ten CE grades, six required at 5.4 and four extra ones: 54.9 / 10 = 5.49 fails, 55.0 / 10
    # = 5.50 passes. Leaving extra subjects out (UB 3.33 lid 3) only lowers the mean here, so it cannot help.
    required = [g(c, "6.6", "5.4") for c in ("ne", "en", "wi", "ec", "bi", "gs")]
    extras = [g(f"x{i}", "6.4", ce, extra=True) for i, ce in enumerate(("5.6", "5.6", "5.6", last_extra_ce))]
    d = decide(exam("TL", *required, *extras))
    assert (d.outcome == "PASSED") is passed
    assert d.left_out == ()
    if mean:
        assert codes(d) == ["EXAM_CE_MEAN_TOO_LOW"]
        assert f"is {mean};" in d.findings[0].message


def test_ce_mean_counts_the_cspe_of_the_profielvak_and_not_se_only_subjects():
    # UB 3.35 lid 1 sub a: "zijn bij het centraal examen behaalde cijfers": the profielvak's cspe is a CE grade;
    # maatschappijleer and keuzevakken have none. Four CE grades of 6.0 and a cspe of 3.5: mean 5.5 -> passes.
    d = decide(exam("KB", g("pv", "8.5", "3.5", "profielvak")))
    assert d.outcome == "PASSED"
    d = decide(exam("KB", g("pv", "8.5", "3.4", "profielvak")))
    assert codes(d) == ["EXAM_CE_MEAN_TOO_LOW"]
    assert "5,48" in d.findings[0].message


# --- UB 3.35 lid 1 sub b: Nederlands ----------------------------------------------------------------

@pytest.mark.parametrize(("ne", "other", "passed", "expected"), [
    (5, (), True, []),
    (4, (f("ec", 7),), False, ["EXAM_NEDERLANDS_TOO_LOW"]),  # a 4 with a 7 would do under c, not for Nederlands
    (6, (), True, []),
])
def test_nederlands_final_grade_at_least_5(ne, other, passed, expected):
    d = decide(exam("KB", f("ne", ne), *other))
    assert (d.outcome == "PASSED") is passed
    assert codes(d) == expected


def test_a_5_for_nederlands_counts_among_the_5s_of_sub_c():
    # UB 3.35 lid 1 sub c: "onverminderd onderdeel b" -- a 5 for Nederlands is one of the 5s.
    d = decide(exam("KB", f("ne", 5), f("wi", 5)))
    assert codes(d) == ["EXAM_NO_COMPENSATING_7"]
    assert decide(exam("KB", f("ne", 5), f("wi", 5), f("ec", 7))).outcome == "PASSED"


# --- UB 3.35 lid 1 sub c: the combinations of 4s and 5s ---------------------------------------------

@pytest.mark.parametrize(("finals", "passed", "expected", "why"), [
    ({}, True, [], "c 1°: all 6 or higher"),
    ({"wi": 5}, True, [], "c 1°: one 5, the rest 6 or higher"),
    ({"wi": 4}, False, ["EXAM_NO_COMPENSATING_7"], "c 2°: a 4 needs a 7 or higher"),
    ({"wi": 4, "ec": 7}, True, [], "c 2°: a 4, the rest 6 or higher with a 7"),
    ({"wi": 4, "en": 8}, True, [], "c 2°: an 8 is 'ten minste een 7'"),
    ({"wi": 5, "ec": 5}, False, ["EXAM_NO_COMPENSATING_7"], "c 3°: two 5s need a 7"),
    ({"wi": 5, "ec": 5, "en": 7}, True, [], "c 3°: two 5s with a 7"),
    ({"wi": 4, "ec": 5, "en": 7}, False, ["EXAM_TOO_MANY_INSUFFICIENT"], "c: no '4 and 5' option in the vmbo"),
    ({"wi": 4, "ec": 4, "en": 8}, False, ["EXAM_TOO_MANY_INSUFFICIENT"], "c: two 4s"),
    ({"wi": 5, "ec": 5, "en": 5, "ne": 7}, False, ["EXAM_TOO_MANY_INSUFFICIENT"], "c: three 5s"),
    ({"wi": 3, "ec": 8}, False, ["EXAM_FINAL_GRADE_BELOW_4"], "c: no option allows a final grade below 4"),
])
def test_allowed_combinations_of_insufficient_final_grades(finals, passed, expected, why):
    d = decide(exam("KB", *(f(code, grade) for code, grade in finals.items())))
    assert (d.outcome == "PASSED") is passed, why
    assert codes(d) == expected, why


def test_the_profielvak_is_a_subject_of_its_own_in_bb_and_kb():
    # UB 3.35 lid 3 makes only the keuzevakken one grade; the profielvak keeps its own final grade under c.
    d = decide(exam("BB", f("pv", 5, "profielvak"), f("wi", 5)))
    assert codes(d) == ["EXAM_NO_COMPENSATING_7"]


def test_a_7_for_maatschappijleer_compensates():
    # UB 3.35 lid 1 sub c 2°: any subject with a final grade, SE-only ones too.
    assert decide(exam("KB", f("wi", 4), g("ma", 7))).outcome == "PASSED"


# --- UB 3.35 lid 3-5: the combinatiecijfer --------------------------------------------------------

@pytest.mark.parametrize(("keuzevakken", "combination", "passed", "why"), [
    ((6, 6, 6, 6), 6, True, "lid 3: the mean of the keuzevakken"),
    ((5, 5, 6, 6), 6, True, "lid 3 + 5: mean 5.5 -> 6"),
    ((5, 5, 5, 6), 5, True, "lid 5: mean 5.25 -> 5, and one 5 is allowed under c"),
    ((4, 5, 5, 5), 5, True, "lid 5: mean 4.75 -> 5, the parts are all >= 4"),
    ((4, 4, 4, 5), 4, False, "lid 5: mean 4.25 -> 4 counts as a 4 under c (no 7)"),
    ((7, 8, 8, 8), 8, True, "lid 5: mean 7.75 -> 8"),
])
def test_bb_kb_combination_grade_is_the_mean_of_all_keuzevakken(keuzevakken, combination, passed, why):
    d = decide(exam("KB", *(g(f"kv{i + 1}", grade, kind="keuzevak") for i, grade in enumerate(keuzevakken))))
    assert d.combination_grade == combination, why
    assert (d.outcome == "PASSED") is passed, why


def test_a_keuzevak_of_3_inside_a_sufficient_combination_grade_fails_under_sub_d():
    # UB 3.35 lid 1 sub d: no part of the combinatiecijfer below 4, even when the combinatiecijfer is 6.
    d = decide(exam("KB", g("kv1", 3, kind="keuzevak"), *(g(f"kv{i}", 7, kind="keuzevak") for i in (2, 3, 4))))
    assert d.combination_grade == 6
    assert codes(d) == ["EXAM_COMBINATION_PART_BELOW_4"]
    assert d.findings[0].subject == "kv1"
    assert d.findings[0].source == "UB 3.35 lid 1 sub d"


def test_gl_combination_weights_the_profielvak_by_the_number_of_keuzevakken():
    # UB 3.35 lid 4: profielvak 7, keuzevakken 6 and 5: (2x7 + 6 + 5) / 4 = 6.25 -> 6.
    d = decide(exam("GL", f("pv", 7, "profielvak"), g("kv1", 6, kind="keuzevak"), g("kv2", 5, kind="keuzevak")))
    assert d.combination_grade == 6
    assert d.outcome == "PASSED"


def test_gl_extra_keuzevak_changes_the_weight():
    # UB 3.35 lid 4: with three keuzevakken the profielvak counts three times: (3x5 + 7+7+7)/6 = 6.0.
    d = decide(exam("GL", f("pv", 5, "profielvak"), *(g(f"kv{i}", 7, kind="keuzevak") for i in (1, 2, 3))))
    assert d.combination_grade == 6


def test_gl_profielvak_is_not_a_separate_subject_under_sub_c():
    # UB 3.35 lid 4: in GL the profielvak is part of the combinatiecijfer; a 5 for it is not a second 5.
    d = decide(exam("GL", f("pv", 5, "profielvak"), g("kv1", 7, kind="keuzevak"), g("kv2", 7, kind="keuzevak"),
                    f("wi", 5)))
    assert d.combination_grade == 6
    assert d.outcome == "PASSED"


def test_gl_profielvak_below_4_fails_sub_d():
    # UB 3.35 lid 1 sub d with lid 4: in GL the profielvak is a part of the combinatiecijfer.
    d = decide(exam("GL", f("pv", 3, "profielvak"), g("kv1", 9, kind="keuzevak"), g("kv2", 9, kind="keuzevak")))
    assert d.combination_grade == 6
    assert codes(d) == ["EXAM_COMBINATION_PART_BELOW_4"]
    assert d.findings[0].subject == "pv"


def test_tl_with_a_full_gl_beroepsgericht_programme_gets_a_combination_grade():
    # UB 3.35 lid 2: profielvak and two keuzevakken of GL count, with lid 4 applied correspondingly:
    # (2x7 + 6 + 5) / 4 = 6.25 -> 6.
    d = decide(exam("TL", f("pv", 7, "profielvak", extra=True), g("kv1", 6, kind="keuzevak", extra=True),
                    g("kv2", 5, kind="keuzevak", extra=True)))
    assert d.combination_grade == 6
    assert d.outcome == "PASSED"
    assert d.left_out == ()


def test_tl_full_programme_with_a_part_below_4_passes_by_leaving_out_an_extra_subject():
    # UB 3.35 lid 1 sub d fails on the profielvak 3; UB 3.33 lid 3: leaving out one extra keuzevak leaves no full
    # programme, so lid 2 no longer counts the beroepsgerichte vakken, and the candidate passes. The smallest set,
    # first by code, is left out.
    d = decide(exam("TL", f("pv", 3, "profielvak", extra=True), g("kv1", 9, kind="keuzevak", extra=True),
                    g("kv2", 9, kind="keuzevak", extra=True)))
    assert d.outcome == "PASSED"
    assert d.left_out == ("kv1",)
    assert d.combination_grade is None


def test_tl_without_a_full_programme_does_not_count_the_beroepsgerichte_vakken_under_c():
    # UB 3.35 lid 2: only a full programme is "bij de uitslagbepaling betrokken".
    d = decide(exam("TL", f("pv", 4, "profielvak", extra=True), f("wi", 5)))
    assert d.outcome == "PASSED"
    assert d.combination_grade is None
    assert any(x.code == "EXAM_TL_BEROEPSGERICHT_NOT_COUNTED" for x in d.findings)


# --- UB 3.35 lid 1 sub e and f ---------------------------------------------------------------------

@pytest.mark.parametrize(("leerweg", "change", "expected"), [
    ("KB", q("lo", "lo", "onvoldoende"), ["EXAM_LO_KUNSTVAK_INSUFFICIENT"]),
    ("TL", q("ckv", "kunstvak", "onvoldoende"), ["EXAM_LO_KUNSTVAK_INSUFFICIENT"]),
    ("KB", q("lo", "lo", "goed"), []),
    ("GL", q("pws", "profielwerkstuk", "onvoldoende"), ["EXAM_PWS_INSUFFICIENT"]),
    ("TL", q("pws", "profielwerkstuk", "onvoldoende"), ["EXAM_PWS_INSUFFICIENT"]),
    ("TL", q("pws", "profielwerkstuk", "goed"), []),
    ("KB", q("pws", "profielwerkstuk", "onvoldoende"), []),  # lid 1 sub f is only for GL and TL
])
def test_lo_kunstvakken_and_profielwerkstuk(leerweg, change, expected):
    d = decide(exam(leerweg, change))
    assert codes(d) == expected


# --- UB 3.33 lid 3: the must-pass principle ----------------------------------------------------------

def test_an_extra_subject_below_4_is_left_out():
    d = decide(exam("KB", g("fa", "5.0", "1.0", extra=True)))
    assert d.final_grades["fa"] == 3
    assert d.outcome == "PASSED"
    assert d.left_out == ("fa",)
    assert [x.code for x in d.findings] == ["EXAM_SUBJECT_LEFT_OUT"]
    assert d.findings[0].source == "UB 3.33 lid 3"


def test_an_extra_subject_whose_ce_lowers_the_mean_below_5_5_is_left_out():
    # Nederlands CE 5.5 and four more CE grades of 6.0: mean 5.9. The extra fa (final (6.9+3.1)/2 = 5) adds a CE of
    # 3.1: (29.5 + 3.1) / 6 = 5.43 < 5.5. Without fa the candidate passes, so fa is left out.
    d = decide(exam("KB", g("ne", "6.5", "5.5"), g("fa", "6.9", "3.1", extra=True)))
    assert d.outcome == "PASSED"
    assert d.left_out == ("fa",)


def test_an_extra_subject_is_kept_when_the_candidate_passes_with_it():
    d = decide(exam("KB", f("fa", 5, extra=True)))
    assert d.outcome == "PASSED"
    assert d.left_out == ()


def test_leaving_out_does_not_rescue_a_candidate_who_fails_on_the_required_subjects():
    d = decide(exam("KB", f("ne", 3), g("fa", "5.0", "1.0", extra=True)))
    assert d.outcome == "FAILED"
    assert d.left_out == ()
    assert "EXAM_FINAL_GRADE_BELOW_4" in codes(d)


def test_a_fifth_keuzevak_can_be_left_out_without_being_marked_extra():
    # UB 3.33 lid 3: "de overgebleven vakken dienen een eindexamen te vormen": four keuzevakken remain.
    changes = [g("kv5", 3, kind="keuzevak")]
    d = decide(exam("BB", *changes))
    assert d.outcome == "PASSED"
    assert d.left_out == ("kv5",)
    assert d.combination_grade == 6


def test_the_fourth_keuzevak_cannot_be_left_out():
    d = decide(exam("BB", g("kv4", 3, kind="keuzevak")))
    assert d.outcome == "FAILED"
    assert codes(d) == ["EXAM_COMBINATION_PART_BELOW_4"]


def test_the_smallest_set_is_left_out():
    d = decide(exam("KB", g("fa", "5.0", "1.0", extra=True), f("du", 7, extra=True)))
    assert d.left_out == ("fa",)


# --- UB 3.35 lid 6: leer-werktraject -----------------------------------------------------------------

def _lwt(*changes, **kw):
    # Nederlands and the beroepsgerichte programma only (UB 3.5 lid 4).
    return exam("BB", *changes, drop=("en", "ma", "wi", "ec", "lo", "ckv"), leer_werktraject=True, **kw)


@pytest.mark.parametrize(("changes", "passed", "subjects", "why"), [
    ((), True, [], "lid 6: Nederlands 6, profielvak 6, combinatiecijfer 6"),
    ((f("ne", 5),), False, ["ne"], "lid 6 sub a: Nederlands 5"),
    ((f("pv", 5, "profielvak"),), False, ["pv"], "lid 6 sub b: profielvak 5"),
    ((g("kv1", 5, kind="keuzevak"), g("kv2", 5, kind="keuzevak")), True, [], "lid 6 sub c: (5+5+6+6)/4 = 5.5 -> 6"),
    ((g("kv1", 5, kind="keuzevak"), g("kv2", 5, kind="keuzevak"), g("kv3", 5, kind="keuzevak")), False,
     ["combinatiecijfer"], "lid 6 sub c: (5+5+5+6)/4 = 5.25 -> 5"),
])
def test_leer_werktraject_needs_6_for_nederlands_profielvak_and_combination(changes, passed, subjects, why):
    d = decide(_lwt(*changes))
    assert (d.outcome == "PASSED") is passed, why
    assert [x.subject for x in d.findings if x.code == "EXAM_LWT_GRADE_TOO_LOW"] == subjects, why
    assert all(x.source == "UB 3.35 lid 6" for x in d.findings if x.code == "EXAM_LWT_GRADE_TOO_LOW")


def test_leer_werktraject_ignores_the_rules_of_lid_1():
    # "In afwijking van het eerste lid": a CE mean below 5.5 or LO onvoldoende do not matter.
    d = decide(_lwt(g("ne", "9.0", "3.0"), g("pv", "9.0", "3.0", "profielvak")))
    assert d.outcome == "PASSED"


def test_leer_werktraject_ignores_lo_and_kunstvakken():
    # lid 6 replaces lid 1, sub e included: LO onvoldoende does not stop a leer-werktraject candidate.
    d = decide(_lwt(q("lo", "lo", "onvoldoende")))
    assert d.outcome == "PASSED"


def test_leer_werktraject_with_the_full_bb_exam_uses_the_regular_rule():
    # lid 6, last sentence: the subjects form the full BB exam -> lid 1 and 3 apply.
    d = decide(exam("BB", f("ne", 5), leer_werktraject=True))
    assert d.outcome == "PASSED"
    assert any(x.code == "EXAM_LWT_REGULAR_RULES" for x in d.findings)


def test_leer_werktraject_full_exam_with_both_rules():
    both = CURRENT.with_overrides({"lwt_full_exam_rule": "both"})
    d = decide(exam("BB", f("ne", 5), leer_werktraject=True), both)
    assert codes(d) == ["EXAM_LWT_GRADE_TOO_LOW"]


def test_leer_werktraject_outside_bb_gets_a_warning_and_the_regular_rule():
    d = decide(exam("KB", leer_werktraject=True))
    assert d.outcome == "PASSED"
    assert [(x.code, x.severity) for x in d.findings] == [("EXAM_LWT_NOT_BB", Severity.WARNING)]


def test_leer_werktraject_missing_the_profielvak_is_incomplete():
    d = decide(exam("BB", drop=("en", "ma", "wi", "ec", "lo", "ckv", "pv"), leer_werktraject=True))
    assert d.outcome == "INCOMPLETE"
    assert [x.subject for x in d.findings] == ["profielvak"]


# --- UB 3.48: cum laude -----------------------------------------------------------------------------

def _bb_kb_cum_laude(leerweg, pv=8, wi=8, ec=8, kv=8, **extra):
    kvs = [g(f"kv{i + 1}", kv, kind="keuzevak") for i in range(4)]
    return exam(leerweg, f("pv", pv, "profielvak"), f("wi", wi), f("ec", ec), *kvs, **extra)


@pytest.mark.parametrize(("kwargs", "cum_laude", "why"), [
    ({}, True, "lid 2: profielvak 8, two profieldeel subjects 8, combinatiecijfer 8"),
    ({"pv": 9, "wi": 7, "ec": 8, "kv": 8}, True, "lid 2: mean (9+7+8+8)/4 = 8.0"),
    ({"pv": 8, "wi": 7, "ec": 8, "kv": 8}, False, "lid 2: mean 7.75"),
])
def test_cum_laude_bb_kb(kwargs, cum_laude, why):
    d = decide(_bb_kb_cum_laude("KB", **kwargs))
    assert d.outcome == "PASSED"
    assert d.cum_laude is cum_laude, why
    assert any(x.code == "EXAM_CUM_LAUDE" for x in d.findings) is cum_laude


def test_cum_laude_needs_every_counted_subject_at_least_6():
    # UB 3.48 lid 2 sub b: Nederlands 5 (allowed to pass) blocks cum laude.
    candidate = _bb_kb_cum_laude("BB")
    d = decide(exam("BB", *candidate.subjects, f("ne", 5)))
    assert d.outcome == "PASSED"
    assert not d.cum_laude


def test_cum_laude_bb_kb_with_the_profieldeel_named():
    d = decide(exam("KB", f("pv", 8, "profielvak"), f("wi", 8, part="profieldeel"), f("ec", 8, part="profieldeel"),
                    *(g(f"kv{i + 1}", 8, kind="keuzevak") for i in range(4)), f("du", 6, extra=True, part="vrij")))
    assert d.cum_laude


def test_cum_laude_bb_kb_with_an_unmarked_extra_general_subject_is_undetermined():
    # Three unmarked general subjects besides ne/en/ma: which two form the profieldeel is unknown.
    d = decide(exam("KB", f("pv", 8, "profielvak"), f("wi", 8), f("ec", 8), f("bi", 8),
                    *(g(f"kv{i + 1}", 8, kind="keuzevak") for i in range(4))))
    assert not d.cum_laude
    assert any(x.code == "EXAM_CUM_LAUDE_UNDETERMINED" for x in d.findings)


def _tl_cum_laude(profieldeel=(8, 8), vrij=(8, 6), parts=True, **core):
    p = {"part": "profieldeel"} if parts else {}
    v = {"part": "vrij"} if parts else {}
    return exam("TL", f("ne", core.get("ne", 8)), f("en", core.get("en", 8)), g("ma", core.get("ma", 8)),
                f("wi", profieldeel[0], **p), f("ec", profieldeel[1], **p), f("bi", vrij[0], **v),
                f("gs", vrij[1], **v))


@pytest.mark.parametrize(("kwargs", "cum_laude", "why"), [
    ({}, True, "lid 1: ne en ma 8, profieldeel 8 8, best vrije-deel subject 8: mean 8.0"),
    ({"vrij": (6, 9)}, True, "lid 1: the best vrije-deel subject counts (9)"),
    ({"profieldeel": (8, 7)}, False, "lid 1: mean (8+8+8+8+7+8)/6 = 7.83"),
    ({"vrij": (9, 5)}, False, "lid 1 sub b: every counted subject at least 6"),
])
def test_cum_laude_tl(kwargs, cum_laude, why):
    d = decide(_tl_cum_laude(**kwargs))
    assert d.outcome == "PASSED"
    assert d.cum_laude is cum_laude, why


def test_cum_laude_tl_without_parts_is_undetermined_when_it_could_apply():
    d = decide(_tl_cum_laude(parts=False))
    assert not d.cum_laude
    assert [x.code for x in d.findings] == ["EXAM_CUM_LAUDE_UNDETERMINED"]
    # ... and says nothing when even the best reading stays below 8.0
    d = decide(_tl_cum_laude(profieldeel=(7, 7), vrij=(7, 7), parts=False))
    assert [x.code for x in d.findings] == []


def test_cum_laude_tl_without_vrije_deel_part_uses_the_named_subjects():
    candidate = exam("TL", f("ne", 8), f("en", 8), g("ma", 8), *(f(c, 8, part="profieldeel") for c in ("wi", "ec")),
                     *(f(c, 6, part="gemeenschappelijk") for c in ("bi", "gs")))
    assert decide(candidate).cum_laude


@pytest.mark.parametrize(("vrij", "combination_kv", "cum_laude", "why"), [
    (8, 6, True, "lid 3: the general vrije-deel subject (8)"),
    (6, 8, True, "lid 3: or the combinatiecijfer (8)"),
    (6, 6, False, "lid 3: neither reaches the mean"),
])
def test_cum_laude_gl_takes_the_vrije_deel_subject_or_the_combination(vrij, combination_kv, cum_laude, why):
    candidate = exam("GL", f("ne", 8), f("en", 8), g("ma", 8), f("wi", 8, part="profieldeel"),
                     f("ec", 8, part="profieldeel"), f("bi", vrij, part="vrij"), f("pv", combination_kv, "profielvak"),
                     g("kv1", combination_kv, kind="keuzevak"), g("kv2", combination_kv, kind="keuzevak"))
    d = decide(candidate)
    assert d.cum_laude is cum_laude, why


def test_cum_laude_gl_without_parts_is_undetermined():
    candidate = exam("GL", f("ne", 8), f("en", 8), g("ma", 8), f("wi", 8), f("ec", 8), f("bi", 8),
                     f("pv", 8, "profielvak"), g("kv1", 8, kind="keuzevak"), g("kv2", 8, kind="keuzevak"))
    d = decide(candidate)
    assert not d.cum_laude
    assert any(x.code == "EXAM_CUM_LAUDE_UNDETERMINED" for x in d.findings)


# --- UB 3.33 lid 1: incomplete exams ----------------------------------------------------------------

@pytest.mark.parametrize(("candidate", "expected"), [
    (exam("KB", g("wi", None)), [("EXAM_GRADE_MISSING", "wi")]),
    (exam("KB", g("ne", "6.0")), [("EXAM_GRADE_MISSING", "ne")]),           # Nederlands has a CE
    (exam("KB", g("pv", "6.0", kind="profielvak")), [("EXAM_GRADE_MISSING", "pv")]),  # the cspe
    (exam("KB", q("lo", "lo", None)), [("EXAM_GRADE_MISSING", "lo")]),
    (exam("KB", drop=("pv",)), [("EXAM_SUBJECT_MISSING", "profielvak")]),
    (exam("KB", drop=("ne",)), [("EXAM_SUBJECT_MISSING", "ne"), ("EXAM_SUBJECT_MISSING", None)]),
    (exam("GL", drop=("pws",)), [("EXAM_SUBJECT_MISSING", "profielwerkstuk")]),
    (exam("TL", drop=("ckv",)), [("EXAM_SUBJECT_MISSING", "kunstvak")]),
    (exam("KB", drop=("kv4",)), [("EXAM_KEUZEVAKKEN_MISSING", None)]),
    (exam("GL", drop=("bi",)), [("EXAM_SUBJECT_MISSING", None)]),
    (exam("KB", loopbaandossier_complete=False), [("EXAM_LOOPBAANDOSSIER_INCOMPLETE", None)]),
    (exam("KB", f("ne", 6, level="BB")), [("EXAM_LEVEL_NOT_ALLOWED", "ne")]),
    (exam("KB", g("mod", 6, kind="module")), [("EXAM_KIND_NOT_ALLOWED", "mod")]),
])
def test_incomplete_exams(candidate, expected):
    d = decide(candidate)
    assert d.outcome == "INCOMPLETE"
    assert [(x.code, x.subject) for x in d.findings if x.severity is Severity.ERROR] == expected
    assert d.cum_laude is False and d.combination_grade is None


def test_extra_subjects_do_not_complete_an_exam():
    d = decide(exam("KB", g("kv4", 6, kind="keuzevak", extra=True)))
    assert d.outcome == "INCOMPLETE"


def test_a_regulation_without_a_profielvak_requirement_decides_without_one():
    # a what-if may change required_kinds; the engine then decides on what is there (no profielvak under sub c).
    lenient = CURRENT.with_overrides({"required_kinds.KB": ["lo", "kunstvak"], "ce_required_kinds": []})
    d = decide(exam("KB", f("wi", 5), drop=("pv",)), lenient)
    assert d.outcome == "PASSED"
    assert "pv" not in d.final_grades


def test_the_school_can_switch_off_the_loopbaandossier_condition():
    off = CURRENT.with_overrides({"loopbaandossier_required": False})
    assert decide(exam("KB", loopbaandossier_complete=False), off).outcome == "PASSED"


def test_a_higher_level_is_listed_and_counts_unconverted():
    # UB 3.5 lid 2 / 2.23: BB may take the KB version; its grade counts as it is.
    d = decide(exam("BB", f("wi", 5, level="KB"), f("ne", 7)))
    assert d.levels["wi"] == "KB"
    assert d.levels["ne"] == "BB"
    assert d.outcome == "PASSED"


def test_decision_as_dict_has_exactly_the_contract_keys():
    d = decide(exam("KB", g("fa", "5.0", "1.0", extra=True)))
    assert list(d.as_dict()) == ["id", "outcome", "final_grades", "combination_grade", "left_out", "cum_laude",
                                 "findings"]
    assert d.as_dict()["left_out"] == ["fa"]
    assert set(d.as_dict()["findings"][0]) == {"code", "severity", "message", "source"}
