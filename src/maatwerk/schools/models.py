"""Schools, their licences, offerings, packages, policy, partners and teaching groups.

"De school biedt die modulen aan die passen bij de visie en de mogelijkheden van de school"
(seed, "Eén vmbo"). Every rule on an offering or a package goes through the rules engine
(services.py); nothing is checked by hand in a view.
"""

from __future__ import annotations

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from simple_history.models import HistoricalRecords

from maatwerk.accounts.scoping import Tenancy
from maatwerk.domain import LeerwegFlags

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


class Licence(models.Model):
    """A school's licence for a profiel (today: schools offer profielen under licences)."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="licences", verbose_name="school")
    profiel = models.ForeignKey("catalog.Profiel", on_delete=models.PROTECT, related_name="licences",
                                verbose_name="profiel")
    from_year = models.PositiveSmallIntegerField("vanaf schooljaar")
    to_year = models.PositiveSmallIntegerField("tot en met schooljaar", null=True, blank=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="school")

    class Meta:
        verbose_name = "licentie"
        verbose_name_plural = "licenties"
        ordering = ["school", "profiel__name", "from_year"]
        constraints = [
            models.CheckConstraint(name="licence_years", condition=Q(to_year__isnull=True) | Q(to_year__gte=models.F("from_year")),
                                   violation_error_message="Het eindjaar ligt voor het beginjaar."),
        ]

    def __str__(self) -> str:
        end = f"-{self.to_year}" if self.to_year else " e.v."
        return f"{self.profiel} ({self.from_year}{end})"

    def covers(self, school_year: int) -> bool:
        return self.from_year <= school_year and (self.to_year is None or school_year <= self.to_year)


class TaughtAt(models.TextChoices):
    SCHOOL = "school", "op school"
    PARTNER = "partner", "bij een partner (buitenschools leren)"
    BOTH = "both", "op school en bij een partner"


class Offering(LeerwegFlags):
    """A module version offered by a school in a school year, at a location, for some leerwegen."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="offerings", verbose_name="school")
    location = models.ForeignKey(SchoolLocation, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="offerings", verbose_name="vestiging")
    module_version = models.ForeignKey("catalog.ModuleVersion", on_delete=models.PROTECT,
                                       related_name="offerings", verbose_name="module")
    school_year = models.PositiveSmallIntegerField("schooljaar")
    capacity = models.PositiveSmallIntegerField("plaatsen", null=True, blank=True)
    teachers = models.ManyToManyField(settings.AUTH_USER_MODEL, blank=True, related_name="offerings",
                                      verbose_name="docenten")
    taught_at = models.CharField("waar", max_length=10, choices=TaughtAt.choices, default=TaughtAt.SCHOOL)
    partner = models.ForeignKey(Partner, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="offerings", verbose_name="partner")
    note = models.TextField("toelichting", blank=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="school")

    class Meta:
        verbose_name = "aanbod"
        verbose_name_plural = "aanbod"
        ordering = ["school", "school_year", "module_version__module__code"]
        constraints = [
            models.UniqueConstraint(fields=["school", "school_year", "module_version", "location"],
                                    name="offering_unique"),
        ]
        indexes = [models.Index(fields=["school", "school_year"])]

    def __str__(self) -> str:
        return f"{self.module_version} ({self.school_year})"


class PackageKind(models.TextChoices):
    BROAD = "broad", "breed pakket"
    NARROW = "narrow", "smal pakket"


class Package(models.Model):
    """A package a school puts together from the menukaart, fitting its region and leading to mbo."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="packages", verbose_name="school")
    name = models.CharField("naam", max_length=200)
    kind = models.CharField("soort", max_length=10, choices=PackageKind.choices)
    school_year = models.PositiveSmallIntegerField("schooljaar")
    description = models.TextField("omschrijving voor leerlingen en ouders", blank=True)
    regional_rationale = models.TextField("waarom dit pakket in onze regio", blank=True)
    modules = models.ManyToManyField("catalog.Module", through="PackageModule", related_name="packages",
                                     verbose_name="modulen")
    mbo_qualifications = models.ManyToManyField("catalog.MboQualification", blank=True, related_name="packages",
                                                verbose_name="leidt naar")
    is_public = models.BooleanField("zichtbaar op de schoolpagina", default=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="school")

    class Meta:
        verbose_name = "pakket"
        verbose_name_plural = "pakketten"
        ordering = ["school", "school_year", "name"]
        constraints = [models.UniqueConstraint(fields=["school", "school_year", "name"], name="package_unique")]

    def __str__(self) -> str:
        return self.name


class PackageModule(models.Model):
    package = models.ForeignKey(Package, on_delete=models.CASCADE, related_name="package_modules")
    module = models.ForeignKey("catalog.Module", on_delete=models.PROTECT, related_name="+")
    year_level = models.PositiveSmallIntegerField("leerjaar", null=True, blank=True,
                                                  validators=[MinValueValidator(1), MaxValueValidator(6)])
    required = models.BooleanField("verplicht in dit pakket", default=True)
    order = models.PositiveSmallIntegerField(default=0)

    tenancy = Tenancy(school="package__school")

    class Meta:
        ordering = ["package", "order", "year_level"]
        constraints = [models.UniqueConstraint(fields=["package", "module"], name="package_module_unique")]

    def __str__(self) -> str:
        return f"{self.package}: {self.module.code}"


class SchoolPolicy(models.Model):
    """The school's own rules on top of the regulation (within it)."""

    school = models.OneToOneField(School, on_delete=models.CASCADE, related_name="policy", verbose_name="school")
    regulation_id = models.CharField(
        "regeling", max_length=50, default="spv-modulair",
        help_text="De regeling die nieuwe cohorten van de school volgen: 'spv-modulair' (pilot) of 'vmbo-huidig'.",
    )
    introductory_before_deepening = models.BooleanField(
        "eerst kennismakend, dan verdiepend", default=False,
        help_text="Een leerling volgt eerst een kennismakende module voordat hij aan een verdiepende begint.",
    )
    extra_min_units = models.JSONField("extra minimum eenheden per leerweg", default=dict, blank=True,
                                       help_text='Bijv. {"BB": 1, "KB": 1}: bovenop het landelijke minimum.')
    extra_min_introductory = models.PositiveSmallIntegerField("extra minimum kennismakend", default=0)
    extra_min_deepening = models.PositiveSmallIntegerField("extra minimum verdiepend", default=0)
    max_units_per_year = models.PositiveSmallIntegerField("maximum eenheden per schooljaar", null=True, blank=True)
    loopbaandossier_required = models.BooleanField(
        "loopbaandossier is PTA-voorwaarde", default=True,
        help_text="Het loopbaandossier moet 'voldaan' zijn voor de uitslag (via het PTA).",
    )

    history = HistoricalRecords()
    tenancy = Tenancy(school="school")

    class Meta:
        verbose_name = "schoolbeleid"
        verbose_name_plural = "schoolbeleid"

    def __str__(self) -> str:
        return f"Beleid {self.school}"


class TeachingGroup(models.Model):
    """An offering in a period with its students from any leerweg (mixed groups: seed, "Eén vmbo")."""

    school = models.ForeignKey(School, on_delete=models.CASCADE, related_name="teaching_groups",
                               verbose_name="school")
    offering = models.ForeignKey(Offering, on_delete=models.PROTECT, related_name="groups", verbose_name="aanbod")
    name = models.CharField("naam", max_length=50)
    period = models.PositiveSmallIntegerField("periode", null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(4)])
    teacher = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="teaching_groups", verbose_name="docent")
    schedule = models.CharField("rooster", max_length=200, blank=True, help_text="Bijv. 'di 3e-4e uur, lokaal P12'.")
    students = models.ManyToManyField("students.Student", blank=True, related_name="teaching_groups",
                                      verbose_name="leerlingen")

    tenancy = Tenancy(school="school")

    class Meta:
        verbose_name = "lesgroep"
        verbose_name_plural = "lesgroepen"
        ordering = ["school", "name"]
        constraints = [models.UniqueConstraint(fields=["offering", "name"], name="teaching_group_unique")]

    def __str__(self) -> str:
        return self.name
