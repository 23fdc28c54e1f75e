"""Exact grade arithmetic: grades are held as integer tenths, never as binary floats.

A grade enters as a :class:`~decimal.Decimal`, an ``int`` or a ``str`` ("6.2" or "6,2").
Means are compared and rounded with integer arithmetic, so 5.45 and 5.5 behave exactly as
UB 3.32 lid 2 says: the first decimal decides (4 or lower: down, 5 or higher: up).
"""

from __future__ import annotations

from decimal import Decimal, InvalidOperation

from .errors import RulesInputError

LEERWEGEN: tuple[str, ...] = ("BB", "KB", "GL", "TL")
LEVELS: tuple[str, ...] = ("BB", "KB", "GL", "TL", "HAVO", "VWO")
QUALIFICATIONS: tuple[str, ...] = ("onvoldoende", "voldoende", "goed")
QUALIFICATION_RANK = {"onvoldoende": 0, "voldoende": 1, "goed": 2}


def to_decimal(value: object, field: str) -> Decimal:
    """Read a Decimal, int or str as an exact Decimal; refuse floats and booleans."""
    if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
        raise RulesInputError(field, "een cijfer moet een Decimal, int of tekst zijn (geen float)",
                              "a grade must be a Decimal, int or str (not a float)")
    try:
        number = Decimal(value.strip().replace(",", ".")) if isinstance(value, str) else Decimal(value)
    except InvalidOperation:
        raise RulesInputError(field, f"{value!r} is geen getal", f"{value!r} is not a number") from None
    if not number.is_finite():
        raise RulesInputError(field, f"{value!r} is geen getal", f"{value!r} is not a number")
    return number


def is_grade(value: object) -> bool:
    """True for a Decimal that is one of the 91 grades 1.0-10.0 with at most one decimal (what the database
    holds): it needs no reading or range check."""
    return type(value) is Decimal and value.is_finite() and value in _TENTHS_OF


def grade_tenths(value: object, field: str) -> int:
    """A grade 1.0-10.0 with at most one decimal, as integer tenths (6.2 -> 62)."""
    if type(value) is Decimal and value.is_finite():  # what the database gives: one of the 91 grades, looked up
        tenths = _TENTHS_OF.get(value)  # (6.5 and 6.50 are equal and hash equal; 6.55 is not there)
        if tenths is not None:
            return tenths
    number = to_decimal(value, field)
    tenths = number * 10
    if tenths != tenths.to_integral_value():
        raise RulesInputError(field, f"cijfer {number} heeft meer dan een decimaal",
                              f"grade {number} has more than one decimal")
    if not 10 <= tenths <= 100:
        raise RulesInputError(field, f"cijfer {number} ligt niet tussen 1,0 en 10,0",
                              f"grade {number} is not between 1.0 and 10.0")
    return int(tenths)


def tenths_to_decimal(tenths: int) -> Decimal:
    grade = _GRADES.get(tenths)
    return grade if grade is not None else Decimal(tenths).scaleb(-1)


#: every grade 1.0-10.0 as a Decimal with one decimal, and back: a national exam run converts millions of them
_GRADES: dict[int, Decimal] = {t: Decimal(t).scaleb(-1) for t in range(10, 101)}
_TENTHS_OF: dict[Decimal, int] = {grade: t for t, grade in _GRADES.items()}


def round_half_up(numerator: int, denominator: int) -> int:
    """Round numerator/denominator (both >= 0) to an integer by its first decimal (UB 3.32 lid 2)."""
    return (2 * numerator + denominator) // (2 * denominator)


def nl_number(numerator: int, denominator: int, decimals: int = 1) -> str:
    """A non-negative fraction written the Dutch way, truncated (never rounded up) to `decimals`."""
    scale = 10**decimals
    scaled = numerator * scale // denominator
    whole, frac = divmod(scaled, scale)
    return f"{whole},{frac:0{decimals}d}" if decimals else str(whole)


def nl_tenths(tenths: int) -> str:
    return nl_number(tenths, 10)
