"""Grades: 1,0 to 10,0 with at most one decimal, typed the Dutch or the English way; rubric scores to
grades by the documented rule, at its boundaries."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maatwerk.assessment.grades import (
    GradeError,
    format_grade,
    parse_grade,
    parse_qualification,
    score_to_grade,
)
from maatwerk.assessment.models import GradeRule


@pytest.mark.parametrize("typed,expected", [
    ("1.0", "1.0"), ("1,0", "1.0"), ("1", "1.0"), ("10.0", "10.0"), ("10", "10.0"), ("10,0", "10.0"),
    ("6,5", "6.5"), ("6.5", "6.5"), (" 7 ", "7.0"), ("5,50", "5.5"), ("6,", "6.0"), (Decimal("8.3"), "8.3"),
    ("1.000", "1.0"),  # trailing zeros do not add a decimal

])
def test_valid_grades(typed, expected):
    assert parse_grade(typed) == Decimal(expected)


@pytest.mark.parametrize("typed,fragment", [
    ("0.9", "ligt niet tussen 1,0 en 10,0"),
    ("0,9", "ligt niet tussen 1,0 en 10,0"),
    ("10.1", "ligt niet tussen 1,0 en 10,0"),
    ("10,1", "ligt niet tussen 1,0 en 10,0"),
    ("-1", "ligt niet tussen 1,0 en 10,0"),
    ("6.55", "meer dan één decimaal"),
    ("6,55", "meer dan één decimaal"),
    ("9,99", "meer dan één decimaal"),
    ("", "Vul een cijfer in"),
    ("   ", "Vul een cijfer in"),
    ("abc", "is geen cijfer"),
    ("6,5,5", "is geen cijfer"),
    ("7-", "is geen cijfer"),
    ("1e1", "is geen cijfer"),
    (None, "Vul een cijfer in"),
])
def test_refused_grades_have_a_dutch_message(typed, fragment):
    with pytest.raises(GradeError) as info:
        parse_grade(typed)
    assert fragment in info.value.nl
    assert info.value.code == "grade_invalid"


def test_format_is_dutch():
    assert format_grade(Decimal("6.5")) == "6,5"
    assert format_grade(Decimal("10")) == "10,0"
    assert format_grade(None) == ""


@pytest.mark.parametrize("typed,expected", [
    ("voldoende", "voldoende"), ("V", "voldoende"), ("goed", "goed"), ("g", "goed"), ("o", "onvoldoende"),
    ("Onvoldoende", "onvoldoende"),
])
def test_qualifications(typed, expected):
    assert parse_qualification(typed) == expected


@pytest.mark.parametrize("typed", ["", "6,5", "prima"])
def test_refused_qualifications(typed):
    with pytest.raises(GradeError):
        parse_qualification(typed)


# --- score -> grade (GradeRule), at the boundaries ------------------------------------------------

@pytest.mark.parametrize("points,maximum,expected", [
    (0, 20, "1.0"), (20, 20, "10.0"), (10, 20, "5.5"), (1, 20, "1.5"),  # 1 + 9 x 0.05 = 1.45 -> 1.5 (half up)
    (11, 20, "6.0"),  # 1 + 9 x 0.55 = 5.95 -> 6.0
    (1, 3, "4.0"), (2, 3, "7.0"),
])
def test_linear_rule(points, maximum, expected):
    assert score_to_grade(points, maximum, GradeRule.LINEAR) == Decimal(expected)


@pytest.mark.parametrize("points,maximum,cesuur,expected", [
    (0, 20, "0.55", "1.0"),
    (20, 20, "0.55", "10.0"),
    (11, 20, "0.55", "5.5"),   # exactly at the cesuur: 5,5
    (10, 20, "0.55", "5.1"),   # just below: 1 + 4.5 x 0.5 / 0.55 = 5.09 -> 5.1
    (12, 20, "0.55", "6.0"),   # just above: 5.5 + 4.5 x 0.05 / 0.45 = 6.0
    (15, 20, "0.75", "5.5"),
    (14, 20, "0.75", "5.2"),   # 1 + 4.5 x 0.7 / 0.75 = 5.2
    (16, 20, "0.75", "6.4"),   # 5.5 + 4.5 x 0.05 / 0.25 = 6.4
])
def test_cesuur_rule(points, maximum, cesuur, expected):
    assert score_to_grade(points, maximum, GradeRule.CESUUR, Decimal(cesuur)) == Decimal(expected)


def test_cesuur_rule_is_monotonic_and_in_range():
    grades = [score_to_grade(p, 37, GradeRule.CESUUR, Decimal("0.6")) for p in range(38)]
    assert grades == sorted(grades)
    assert grades[0] == Decimal("1.0") and grades[-1] == Decimal("10.0")


@pytest.mark.parametrize("points,maximum,rule,cesuur", [
    (21, 20, GradeRule.LINEAR, "0.55"), (-1, 20, GradeRule.LINEAR, "0.55"), (0, 0, GradeRule.LINEAR, "0.55"),
    (5, 20, GradeRule.CESUUR, "1"), (5, 20, GradeRule.CESUUR, "0"), (5, 20, "median", "0.5"),
])
def test_score_refusals(points, maximum, rule, cesuur):
    with pytest.raises(GradeError):
        score_to_grade(points, maximum, rule, Decimal(cesuur))
