"""Schools and their partners (the school offering app extends this)."""

from __future__ import annotations

from django.core.validators import RegexValidator
from django.db import models

from maatwerk.accounts.scoping import Tenancy

brin_validator = RegexValidator(
    r"^[0-9]{2}[A-Z]{2}$", "Een BRIN-nummer bestaat uit twee cijfers en twee hoofdletters, bijvoorbeeld 20XK."
)


class School(models.Model):
    brin = models.CharField("BRIN", max_length=4, unique=True, validators=[brin_validator])
    name = models.CharField("naam", max_length=200)
    city = models.CharField("plaats", max_length=100, blank=True)
    region = models.CharField("regio", max_length=100, blank=True, help_text="Bijvoorbeeld de RMC-regio.")
    is_vakschool = models.BooleanField(
        "vakschool", default=False, help_text="Een vakschool richt zich op één sector (bijv. horeca en bakkerij)."
    )
    website = models.URLField("website", blank=True)
    description = models.TextField("over de school", blank=True)

    tenancy = Tenancy(school="pk", public=False)

    class Meta:
        verbose_name = "school"
        verbose_name_plural = "scholen"
        ordering = ["name"]

    def __str__(self) -> str:
        return f"{self.name} ({self.brin})"


class SchoolLocation(models.Model):
    """A vestiging: BRIN + two digits (20XK00)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="locations", verbose_name="school")
    number = models.CharField(
        "vestigingsnummer", max_length=2, validators=[RegexValidator(r"^[0-9]{2}$", "Twee cijfers, bijv. 00.")]
    )
    name = models.CharField("naam", max_length=200)
    city = models.CharField("plaats", max_length=100, blank=True)

    tenancy = Tenancy(school="school")

    class Meta:
        verbose_name = "vestiging"
        verbose_name_plural = "vestigingen"
        ordering = ["school", "number"]
        constraints = [models.UniqueConstraint(fields=["school", "number"], name="location_unique_number")]

    def __str__(self) -> str:
        return f"{self.name} ({self.school.brin}{self.number})"

    @property
    def code(self) -> str:
        return f"{self.school.brin}{self.number}"


class PartnerKind(models.TextChoices):
    COMPANY = "company", "Bedrijf of instelling"
    MBO_COLLEGE = "mbo_college", "Mbo-instelling"
    OTHER = "other", "Andere organisatie"


class Partner(models.Model):
    """An organisation a school works with: buitenschools leren, stage, assessment."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="partners", verbose_name="school")
    name = models.CharField("naam", max_length=200)
    kind = models.CharField("soort", max_length=20, choices=PartnerKind.choices, default=PartnerKind.COMPANY)
    city = models.CharField("plaats", max_length=100, blank=True)
    offers_outside_learning = models.BooleanField("buitenschools leren", default=False)
    offers_internship = models.BooleanField("stage", default=False)
    offers_assessment = models.BooleanField("beoordeling/examinering", default=False)
    contact_name = models.CharField("contactpersoon", max_length=200, blank=True)
    contact_email = models.EmailField("e-mail contactpersoon", blank=True)
    contact_phone = models.CharField("telefoon", max_length=30, blank=True)
    description = models.TextField("omschrijving", blank=True)

    tenancy = Tenancy(school="school")

    class Meta:
        verbose_name = "partner"
        verbose_name_plural = "partners"
        ordering = ["school", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "name"], name="partner_unique_name")]

    def __str__(self) -> str:
        return self.name
