"""Reading, checking and writing grades; from a rubric score to a grade.

A grade is 1,0 to 10,0 with at most one decimal (UB 3.13: the SE grade has one decimal when the
subject has a CE; a module exam grade in Maatwerk always has one). Teachers type it the Dutch way
("6,5") or the English way ("6.5"); whole numbers ("7") are fine. Everything else is refused with a
Dutch message that says what is wrong, and nothing is stored. A qualification item takes
onvoldoende / voldoende / goed instead (UB 3.13-3, 3.14).

From a rubric score to a grade (`score_to_grade`), the rule is chosen per rubric (`GradeRule`):

* ``linear``: grade = 1 + 9 x points / maximum. No points is a 1,0; all points a 10,0.
* ``cesuur``: the school sets the cesuur c (a fraction of the maximum, default 0,55): at c points a
  student gets exactly 5,5. Below it: 1 + 4,5 x (points / maximum) / c; from it upwards:
  5,5 + 4,5 x (points / maximum - c) / (1 - c). No points is a 1,0; all points a 10,0.

Both round to one decimal, half up (6,45 -> 6,5), in exact arithmetic (no binary floats).
"""

from __future__ import annotations

import re
from decimal import Decimal
from fractions import Fraction

from django.core.exceptions import ValidationError

from .models import GradeRule, Qualification

MIN_GRADE = Decimal("1.0")
MAX_GRADE = Decimal("10.0")
_NUMBER = re.compile(r"^[+-]?(\d+)(?:[.,](\d*))?$|^[+-]?[.,](\d+)$")


class GradeError(ValidationError):
    """A value that is not a grade (or not a qualification): a Dutch message, nothing changes."""

    code = "grade_invalid"

    def __init__(self, message: str, en: str = ""):
        super().__init__(message, code=self.code)
        self.nl = message
        self.en = en or "The value is not a valid grade."


def _shown(raw: str) -> str:
    text = raw.strip()
    return f"\u201c{text[:20]}{'...' if len(text) > 20 else ''}\u201d"


def parse_grade(raw) -> Decimal:
    """A grade from what a teacher typed: "6,5", "6.5", "7" -> Decimal("6.5"), Decimal("7.0").

    Refused (GradeError with a Dutch message): empty, not a number, below 1,0 or above 10,0, more
    than one decimal (6,55), a thousands separator or anything after the number."""
    if isinstance(raw, Decimal | int) and not isinstance(raw, bool):
        raw = str(raw)
    if not isinstance(raw, str):
        raise GradeError("Vul een cijfer in, bijvoorbeeld 6,5.", "Enter a grade, e.g. 6.5.")
    text = raw.strip().replace("\u00a0", "")
    if not text:
        raise GradeError("Vul een cijfer in, bijvoorbeeld 6,5.", "Enter a grade, e.g. 6.5.")
    match = _NUMBER.match(text)
    if not match:
        raise GradeError(f"{_shown(raw)} is geen cijfer; typ een getal van 1,0 tot en met 10,0, bijvoorbeeld 6,5.",
                         "Not a number: type a grade from 1.0 to 10.0.")
    decimals = match.group(2) if match.group(1) is not None else match.group(3)
    decimals = (decimals or "").rstrip("0") if decimals and len(decimals) > 1 else (decimals or "")
    if len(decimals) > 1:
        raise GradeError(f"{_shown(raw)} heeft meer dan één decimaal; een cijfer heeft er ten hoogste één, "
                         f"bijvoorbeeld 6,5.", "A grade has at most one decimal.")
    value = Decimal(text.replace(",", "."))
    if not MIN_GRADE <= value <= MAX_GRADE:
        raise GradeError(f"{_shown(raw)} ligt niet tussen 1,0 en 10,0.", "A grade lies between 1.0 and 10.0.")
    return value.quantize(Decimal("0.1"))


QUALIFICATION_ALIASES = {
    "o": Qualification.INSUFFICIENT, "onv": Qualification.INSUFFICIENT, "onvoldoende": Qualification.INSUFFICIENT,
    "v": Qualification.SUFFICIENT, "vold": Qualification.SUFFICIENT, "voldoende": Qualification.SUFFICIENT,
    "g": Qualification.GOOD, "goed": Qualification.GOOD,
}


def parse_qualification(raw) -> str:
    """onvoldoende / voldoende / goed (also o / v / g, as school administrations abbreviate them)."""
    text = str(raw or "").strip().lower().rstrip(".")
    if not text:
        raise GradeError("Vul een beoordeling in: onvoldoende, voldoende of goed (o, v of g).",
                         "Enter onvoldoende, voldoende or goed.")
    if text not in QUALIFICATION_ALIASES:
        raise GradeError(f"{_shown(str(raw))} is geen beoordeling. Vul onvoldoende, voldoende of goed in (o, v of g).",
                         "Not a qualification: onvoldoende, voldoende or goed.")
    return QUALIFICATION_ALIASES[text].value


def format_grade(value: Decimal | None) -> str:
    """Decimal("6.5") -> "6,5" (Dutch notation); None -> ""."""
    if value is None:
        return ""
    return f"{Decimal(value).quantize(Decimal('0.1'))}".replace(".", ",")


def _round_tenths(value: Fraction) -> Decimal:
    scaled = value * 10
    tenths = (2 * scaled.numerator + scaled.denominator) // (2 * scaled.denominator)  # half up, exact
    return Decimal(tenths).scaleb(-1).quantize(Decimal("0.1"))


def score_to_grade(points, maximum, rule: str = GradeRule.LINEAR, cesuur=Decimal("0.55")) -> Decimal:
    """The grade for a rubric score by the rubric's documented rule (see the module docstring)."""
    points, maximum = Fraction(str(points)), Fraction(str(maximum))
    if maximum <= 0:
        raise GradeError("Het beoordelingsmodel heeft geen punten: er is geen cijfer uit te rekenen.",
                         "The rubric has no points.")
    if not 0 <= points <= maximum:
        raise GradeError(f"De score {points} ligt niet tussen 0 en het maximum {maximum}.",
                         "The score lies outside 0..maximum.")
    fraction = points / maximum
    if rule == GradeRule.LINEAR:
        return _round_tenths(1 + 9 * fraction)
    if rule == GradeRule.CESUUR:
        c = Fraction(str(cesuur))
        if not 0 < c < 1:
            raise GradeError("De cesuur ligt tussen 0 en 1 (een deel van het maximum, bijvoorbeeld 0,55).",
                             "The cesuur lies between 0 and 1.")
        if fraction < c:
            return _round_tenths(1 + Fraction(9, 2) * fraction / c)
        return _round_tenths(Fraction(11, 2) + Fraction(9, 2) * (fraction - c) / (1 - c))
    raise GradeError(f"Onbekende regel {rule!r} voor het omrekenen van punten naar een cijfer.", "Unknown grade rule.")
