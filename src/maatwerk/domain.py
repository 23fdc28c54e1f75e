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


class CareerCompetency(models.TextChoices):
    """The five loopbaancompetenties (Kuijpers), kern objectives LOB.a-e."""

    QUALITIES = "qualities", "Kwaliteitenreflectie"
    MOTIVES = "motives", "Motievenreflectie"
    WORK_EXPLORATION = "work_exploration", "Werkexploratie"
    CAREER_STEERING = "career_steering", "Loopbaansturing"
    NETWORKING = "networking", "Netwerken"


CAREER_COMPETENCY_QUESTIONS = {
    "qualities": "Wat kan ik het best en hoe weet ik dat?",
    "motives": "Waar ga en sta ik voor en waarom dan?",
    "work_exploration": "Waar ben ik het meest op mijn plek en waarom daar?",
    "career_steering": "Hoe bereik ik mijn doel en waarom zo?",
    "networking": "Wie kan mij helpen mijn doel te bereiken en waarom die mensen?",
}


def loopbaandossier_voldaan(complete_activity_competencies) -> tuple[bool, list[str]]:
    """The loopbaandossier is 'voldaan' when each of the five loopbaancompetenties was developed in at
    least one LOB activity with all four parts (doelen, resultaten, evaluatie en conclusie, vervolg)
    — seed, "LOB". Takes the competencies of each COMPLETE activity; returns (voldaan, missing labels).
    The one rule used by the dossier page, the PDF and the exam decision (engine.candidate_inputs)."""
    covered = {key for competencies in complete_activity_competencies for key in competencies}
    missing = [c.label for c in CareerCompetency if c.value not in covered]
    return not missing, missing


class AssessmentForm(models.TextChoices):
    """Forms of a school exam (seed: "Proeve van Bekwaamheid of een meesterproef, of op een andere manier")."""

    PROEVE = "proeve", "Proeve van Bekwaamheid"
    MEESTERPROEF = "meesterproef", "Meesterproef"
    PRACTICAL = "practical", "Praktijkopdracht"
    WRITTEN = "written", "Schriftelijke toets"
    ORAL = "oral", "Mondelinge toets"
    PRESENTATION = "presentation", "Presentatie"
    PORTFOLIO = "portfolio", "Portfolio"
    OTHER = "other", "Anders"


class LeerwegFlags(models.Model):
    """Four booleans for "for which leerwegen": portable (SQLite and PostgreSQL), indexable, filterable."""

    for_bb = models.BooleanField("BB", default=False)
    for_kb = models.BooleanField("KB", default=False)
    for_gl = models.BooleanField("GL", default=False)
    for_tl = models.BooleanField("TL", default=False)

    class Meta:
        abstract = True

    @property
    def leerwegen(self) -> list[str]:
        return [lw for lw in ("BB", "KB", "GL", "TL") if getattr(self, f"for_{lw.lower()}")]

    @leerwegen.setter
    def leerwegen(self, values) -> None:
        values = {v.upper() for v in values}
        for lw in ("BB", "KB", "GL", "TL"):
            setattr(self, f"for_{lw.lower()}", lw in values)

    def is_for(self, leerweg: str) -> bool:
        return bool(getattr(self, f"for_{leerweg.lower()}", False))


def leerweg_filter(leerweg: str, prefix: str = "") -> dict[str, bool]:
    """Queryset filter kwargs for rows offered for `leerweg`: leerweg_filter("KB") == {"for_kb": True}."""
    return {f"{prefix}for_{leerweg.lower()}": True}
