"""Exact grade arithmetic (UB 3.13 lid 1: grades 1-10 with one decimal; UB 3.32 lid 2: the first decimal decides)."""

from decimal import Decimal

import pytest

from maatwerk.rules import RulesInputError, SubjectInput
from maatwerk.rules.grades import grade_tenths, nl_number, round_half_up, tenths_to_decimal, to_decimal


@pytest.mark.parametrize(("value", "tenths"), [
    (Decimal("6.2"), 62), (Decimal("6.20"), 62), (6, 60), ("6,2", 62), (" 6.2 ", 62), ("10", 100), (Decimal("1.0"), 10),
])
def test_grade_tenths(value, tenths):
    assert grade_tenths(value, "x") == tenths


@pytest.mark.parametrize(("value", "message"), [
    (6.2, "geen float"), (True, "geen float"), (None, "geen float"), ("zes", "geen getal"), ("NaN", "geen getal"),
    (Decimal("Infinity"), "geen getal"), (Decimal("6.25"), "meer dan een decimaal"), (Decimal("0.9"), "tussen 1,0"),
    (11, "tussen 1,0"), (Decimal("NaN"), "geen getal"), (Decimal("sNaN"), "geen getal"), (Decimal("10.1"), "tussen 1,0"),
])
def test_bad_grades(value, message):
    with pytest.raises(RulesInputError, match=message):
        grade_tenths(value, "ne.school_exam")


def test_every_grade_converts_both_ways_exactly():
    """The lookup tables agree with the arithmetic for every grade, and beyond them the arithmetic answers."""
    for tenths in range(10, 101):
        grade = Decimal(tenths).scaleb(-1)
        assert tenths_to_decimal(tenths) == grade and str(tenths_to_decimal(tenths)) == str(grade)
        assert grade_tenths(grade, "x") == tenths == grade_tenths(str(grade), "x") == grade_tenths(grade + 0, "x")
        assert grade_tenths(Decimal(f"{grade}0"), "x") == tenths
    assert str(tenths_to_decimal(5)) == "0.5" and str(tenths_to_decimal(105)) == "10.5"


@pytest.mark.parametrize(("n", "d", "rounded"), [(109, 20, 5), (110, 20, 6), (55, 10, 6), (54, 10, 5), (17, 3, 6),
                                                  (11, 2, 6), (25, 4, 6), (0, 1, 0)])
def test_round_half_up(n, d, rounded):
    assert round_half_up(n, d) == rounded


def test_nl_number_truncates():
    assert nl_number(5499, 1000, 2) == "5,49"
    assert nl_number(11, 2, 1) == "5,5"
    assert nl_number(7, 1, 0) == "7"


def test_to_decimal_accepts_comma():
    assert to_decimal("6,45", "x") == Decimal("6.45")


@pytest.mark.parametrize(("kwargs", "field"), [
    ({"code": ""}, "code"),
    ({"code": "x", "kind": "vak"}, "x.kind"),
    ({"code": "x", "qualification": "goed"}, "x.qualification"),
    ({"code": "lo", "kind": "lo", "school_exam": Decimal(6)}, "lo.school_exam"),
    ({"code": "lo", "kind": "lo", "qualification": "prima"}, "lo.qualification"),
    ({"code": "x", "extra": 1}, "x.extra"),
    ({"code": "x", "level": "MBO"}, "x.level"),
    ({"code": "x", "module_type": "ORIENTING"}, "x.module_type"),
    ({"code": "x", "units": -1}, "x.units"),
    ({"code": "x", "units": True}, "x.units"),
    ({"code": "x", "part": "kern"}, "x.part"),
    ({"code": "x", "school_exam": 6.5}, "x.school_exam"),
    ({"code": "x", "school_exam": Decimal(6), "central_exam": Decimal("5.55")}, "x.central_exam"),
])
def test_subject_input_names_the_bad_field(kwargs, field):
    with pytest.raises(RulesInputError) as exc:
        SubjectInput(**kwargs)
    assert exc.value.field == field
    assert " / " in str(exc.value)


def test_candidate_rejects_unknown_leerweg_and_two_profielvakken():
    from maatwerk.rules import Candidate

    with pytest.raises(RulesInputError, match="leerweg"):
        Candidate("x", "MAVO", ())
    pv = SubjectInput("pv", "profielvak", Decimal(6), Decimal(6))
    with pytest.raises(RulesInputError, match="meer dan een profielvak"):
        Candidate("x", "KB", [pv, SubjectInput("pv2", "profielvak", Decimal(6), Decimal(6))])


def test_subject_input_normalises_grades():
    s = SubjectInput("ne", school_exam="6,20", central_exam=7)
    assert (s.school_exam, s.central_exam, s.se10, s.ce10) == (Decimal("6.2"), Decimal("7.0"), 62, 70)
