"""Terms of the vmbo shared by every app (see DESIGN.md, glossary)."""

from __future__ import annotations

import datetime as dt

from django.db import models


class Leerweg(models.TextChoices):
    BB = "BB", "basisberoepsgerichte leerweg"
    KB = "KB", "kaderberoepsgerichte leerweg"
    GL = "GL", "gemengde leerweg"
    TL = "TL", "theoretische leerweg"


LEERWEG_SHORT = {"BB": "basis", "KB": "kader", "GL": "gemengd", "TL": "theoretisch"}


def school_year_of(day: dt.date | None = None) -> int:
    """The school year a date falls in: 2025 means 2025-2026, which starts on 1 August 2025."""
    day = day or dt.date.today()
    return day.year if day.month >= 8 else day.year - 1


def school_year_label(year: int | None) -> str:
    if year is None:
        return ""
    return f"{year}-{year + 1}"


def school_year_start(year: int) -> dt.date:
    return dt.date(year, 8, 1)


def school_year_choices(first: int, last: int) -> list[tuple[int, str]]:
    return [(y, school_year_label(y)) for y in range(first, last + 1)]
