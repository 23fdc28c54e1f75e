"""Students (the programme and loopbaandossier live here too, see the student programme issue)."""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models

from maatwerk.accounts.scoping import Tenancy
from maatwerk.domain import Leerweg


class Student(models.Model):
    """A pupil of one school. Only what the school needs: no address, no BSN, no date of birth."""

    school = models.ForeignKey(
        "schools.School", on_delete=models.PROTECT, related_name="students", verbose_name="school"
    )
    location = models.ForeignKey(
        "schools.SchoolLocation", on_delete=models.SET_NULL, null=True, blank=True, related_name="students",
        verbose_name="vestiging",
    )
    student_number = models.CharField("leerlingnummer", max_length=20)
    first_name = models.CharField("roepnaam", max_length=100)
    infix = models.CharField("tussenvoegsel", max_length=30, blank=True)
    last_name = models.CharField("achternaam", max_length=150)
    leerweg = models.CharField("leerweg", max_length=2, choices=Leerweg.choices)
    year_level = models.PositiveSmallIntegerField(
        "leerjaar", validators=[MinValueValidator(1), MaxValueValidator(6)]
    )
    cohort = models.PositiveSmallIntegerField(
        "cohort",
        help_text="Het schooljaar waarin de leerling aan leerjaar 3 begint (of begon); bepaalt de regeling.",
    )
    class_name = models.CharField("klas", max_length=20, blank=True)
    profiel = models.ForeignKey(
        "catalog.Profiel", on_delete=models.PROTECT, null=True, blank=True, related_name="students",
        verbose_name="profiel",
    )
    mentor = models.ForeignKey(
        settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
        related_name="mentees", verbose_name="mentor",
    )
    enrolled_on = models.DateField("ingeschreven op", null=True, blank=True)
    left_on = models.DateField("uitgeschreven op", null=True, blank=True)

    tenancy = Tenancy(school="school", student="pk")

    class Meta:
        verbose_name = "leerling"
        verbose_name_plural = "leerlingen"
        ordering = ["school", "last_name", "first_name"]
        constraints = [
            models.UniqueConstraint(fields=["school", "student_number"], name="student_unique_number"),
        ]
        indexes = [
            models.Index(fields=["school", "year_level", "leerweg"]),
            models.Index(fields=["school", "cohort"]),
        ]

    def __str__(self) -> str:
        return f"{self.full_name} ({self.student_number})"

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    @property
    def sort_name(self) -> str:
        last = f"{self.last_name}, {self.first_name}"
        return f"{last} {self.infix}".strip() if self.infix else last
