"""Students, their individual programme (maatwerkprogramma) and their loopbaandossier.

"Met de leerling wordt een individueel programma samengesteld op basis van zijn ervaringen";
"Op basis van LOB-gesprekken met leerlingen, gevoerd vanaf leerjaar 1, wordt het programma van
de leerling samengesteld" (seed, advice table). The programme is checked by the rules engine;
approving it freezes a revision, a later change makes a new one.
"""

from __future__ import annotations

import uuid
from pathlib import PurePath

from django.conf import settings
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from simple_history.models import HistoricalRecords

from maatwerk.accounts.scoping import Tenancy
from maatwerk.domain import CareerCompetency, Leerweg


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


class ProgrammeStatus(models.TextChoices):
    CONCEPT = "concept", "concept"
    PROPOSED = "proposed", "voorgesteld"
    APPROVED = "approved", "goedgekeurd"


class Programme(models.Model):
    """A student's maatwerkprogramma. One per student; its revisions keep every approved state."""

    student = models.OneToOneField(Student, on_delete=models.CASCADE, related_name="programme",
                                   verbose_name="leerling")
    regulation_id = models.CharField("regeling", max_length=50)
    status = models.CharField("status", max_length=10, choices=ProgrammeStatus.choices,
                              default=ProgrammeStatus.CONCEPT)
    package = models.ForeignKey("schools.Package", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="programmes", verbose_name="begonnen vanuit pakket")
    revision = models.PositiveIntegerField("revisie", default=1)
    change_reason = models.TextField("reden van de wijziging", blank=True)
    proposed_at = models.DateTimeField("voorgesteld op", null=True, blank=True)
    approved_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="goedgekeurd door")
    approved_at = models.DateTimeField("goedgekeurd op", null=True, blank=True)
    approval_conversation = models.ForeignKey("CareerConversation", on_delete=models.SET_NULL, null=True,
                                              blank=True, related_name="+", verbose_name="na gesprek")
    return_comment = models.TextField("opmerking bij terugsturen", blank=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="student__school", student="student")

    class Meta:
        verbose_name = "programma"
        verbose_name_plural = "programma's"

    def __str__(self) -> str:
        return f"Programma {self.student} (revisie {self.revision})"


class ItemStatus(models.TextChoices):
    PLANNED = "planned", "gepland"
    ENROLLED = "enrolled", "bezig"
    COMPLETED = "completed", "afgerond"
    NOT_COMPLETED = "not_completed", "niet afgerond"


class ProgrammeItem(models.Model):
    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="items",
                                  verbose_name="programma")
    module_version = models.ForeignKey("catalog.ModuleVersion", on_delete=models.PROTECT,
                                       related_name="programme_items", verbose_name="module")
    offering = models.ForeignKey("schools.Offering", on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="programme_items", verbose_name="aanbod")
    school_year = models.PositiveSmallIntegerField("schooljaar")
    year_level = models.PositiveSmallIntegerField("leerjaar", validators=[MinValueValidator(1), MaxValueValidator(6)])
    period = models.PositiveSmallIntegerField("periode", null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(4)])
    status = models.CharField("status", max_length=15, choices=ItemStatus.choices, default=ItemStatus.PLANNED)
    level = models.CharField("niveau", max_length=2, choices=Leerweg.choices, blank=True,
                             help_text="Leeg: op het niveau van de eigen leerweg. Anders: op een hoger niveau.")

    history = HistoricalRecords()
    tenancy = Tenancy(school="programme__student__school", student="programme__student")

    class Meta:
        verbose_name = "programmaonderdeel"
        verbose_name_plural = "programmaonderdelen"
        ordering = ["programme", "school_year", "period", "module_version__module__code"]
        constraints = [
            models.UniqueConstraint(fields=["programme", "module_version"], name="programme_item_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.module_version} ({self.school_year})"


class RevisionEvent(models.TextChoices):
    PROPOSED = "proposed", "voorgesteld"
    APPROVED = "approved", "goedgekeurd"
    RETURNED = "returned", "teruggestuurd"


class ProgrammeRevision(models.Model):
    """A frozen copy of an approved programme (and of each proposal and send-back), for the history.

    Written once by the services (propose, approve, send back) and never changed afterwards."""

    programme = models.ForeignKey(Programme, on_delete=models.CASCADE, related_name="revisions")
    number = models.PositiveIntegerField("revisie")
    status = models.CharField("status", max_length=10, choices=ProgrammeStatus.choices)
    event = models.CharField("gebeurtenis", max_length=10, choices=RevisionEvent.choices,
                             default=RevisionEvent.APPROVED)
    comment = models.TextField("opmerking van de mentor of decaan", blank=True)
    items = models.JSONField("onderdelen", default=list)
    findings = models.JSONField("bevindingen", default=list)
    reason = models.TextField("reden", blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    conversation = models.ForeignKey("CareerConversation", on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")

    tenancy = Tenancy(school="programme__student__school", student="programme__student")

    class Meta:
        verbose_name = "programmarevisie"
        verbose_name_plural = "programmarevisies"
        ordering = ["programme", "-number", "-created_at"]

    def __str__(self) -> str:
        return f"Revisie {self.number} ({self.get_event_display()})"

    def save(self, *args, **kwargs):
        if self.pk is not None and ProgrammeRevision.objects.filter(pk=self.pk).exists():
            raise ValueError("Een vastgelegde revisie verandert niet meer; een wijziging wordt een nieuwe revisie.")
        super().save(*args, **kwargs)


class ActivityKind(models.TextChoices):
    SNUFFELSTAGE = "snuffelstage", "snuffelstage"
    COMPANY_VISIT = "company_visit", "bedrijfsbezoek"
    MBO_OPEN_DAY = "mbo_open_day", "open dag mbo"
    GUEST_LESSON = "guest_lesson", "gastles"
    MODULE = "module", "module"
    INTERNSHIP = "internship", "stage"
    OTHER = "other", "anders"


class CompetencyFlags(models.Model):
    """Which of the five loopbaancompetenties something touched (five booleans: easy to count)."""

    qualities = models.BooleanField(CareerCompetency.QUALITIES.label, default=False)
    motives = models.BooleanField(CareerCompetency.MOTIVES.label, default=False)
    work_exploration = models.BooleanField(CareerCompetency.WORK_EXPLORATION.label, default=False)
    career_steering = models.BooleanField(CareerCompetency.CAREER_STEERING.label, default=False)
    networking = models.BooleanField(CareerCompetency.NETWORKING.label, default=False)

    class Meta:
        abstract = True

    @property
    def competencies(self) -> list[str]:
        return [c.value for c in CareerCompetency if getattr(self, c.value)]


class CareerActivity(CompetencyFlags):
    """A LOB activity in the loopbaandossier, with the four parts the seed names."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="career_activities",
                                verbose_name="leerling")
    date = models.DateField("datum")
    kind = models.CharField("soort", max_length=20, choices=ActivityKind.choices)
    title = models.CharField("titel", max_length=200)
    goals = models.TextField("I. beoogde doelen", blank=True)
    results = models.TextField("II. resultaten", blank=True)
    evaluation = models.TextField("III. evaluatie en conclusie", blank=True)
    follow_up = models.TextField("IV. geplande vervolgactiviteiten", blank=True)
    module = models.ForeignKey("catalog.Module", on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name="module")
    partner = models.ForeignKey("schools.Partner", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="+", verbose_name="partner")
    mentor_comment = models.TextField("opmerking mentor", blank=True)
    mentor_comment_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                          blank=True, related_name="+", verbose_name="opmerking van")
    mentor_comment_at = models.DateTimeField("opmerking geplaatst op", null=True, blank=True)
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    updated_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="student__school", student="student")

    class Meta:
        verbose_name = "LOB-activiteit"
        verbose_name_plural = "LOB-activiteiten"
        ordering = ["student", "-date"]

    def __str__(self) -> str:
        return f"{self.title} ({self.date:%d-%m-%Y})"

    @property
    def missing_parts(self) -> list[str]:
        parts = [("goals", "doelen"), ("results", "resultaten"), ("evaluation", "evaluatie en conclusie"),
                 ("follow_up", "vervolgactiviteiten")]
        return [label for field, label in parts if not getattr(self, field).strip()]

    @property
    def is_complete(self) -> bool:
        return not self.missing_parts


def attachment_upload_to(instance, filename: str) -> str:
    """A random file name outside any public URL: attachments are served only by a scoped view."""
    suffix = PurePath(filename).suffix.lower()[:10]
    return f"loopbaandossier/{instance.activity.student.school_id}/{instance.activity.student_id}/{uuid.uuid4().hex}{suffix}"


class CareerAttachment(models.Model):
    activity = models.ForeignKey(CareerActivity, on_delete=models.CASCADE, related_name="attachments")
    file = models.FileField("bestand", upload_to=attachment_upload_to)
    name = models.CharField("naam", max_length=200)
    content_type = models.CharField("soort bestand", max_length=100, blank=True)
    size = models.PositiveIntegerField("grootte (bytes)", default=0)
    uploaded_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+")
    uploaded_at = models.DateTimeField(auto_now_add=True)

    tenancy = Tenancy(school="activity__student__school", student="activity__student")

    class Meta:
        verbose_name = "bijlage"
        verbose_name_plural = "bijlagen"

    def __str__(self) -> str:
        return self.name


class CareerConversation(models.Model):
    """A loopbaangesprek: the student's reflection per competency, agreements and next steps."""

    student = models.ForeignKey(Student, on_delete=models.CASCADE, related_name="career_conversations",
                                verbose_name="leerling")
    date = models.DateField("datum")
    participants = models.CharField("deelnemers", max_length=300,
                                    help_text="Bijv. leerling, mentor, ouder, decaan.")
    led_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                               related_name="+", verbose_name="gevoerd door")
    agreements = models.TextField("afspraken", blank=True)
    next_steps = models.TextField("volgende stappen", blank=True)
    programme_decisions = models.TextField("besluiten over het programma", blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="student__school", student="student")

    class Meta:
        verbose_name = "loopbaangesprek"
        verbose_name_plural = "loopbaangesprekken"
        ordering = ["student", "-date"]

    def __str__(self) -> str:
        return f"Loopbaangesprek {self.date:%d-%m-%Y}"


class ConversationReflection(models.Model):
    conversation = models.ForeignKey(CareerConversation, on_delete=models.CASCADE, related_name="reflections")
    competency = models.CharField("loopbaancompetentie", max_length=20, choices=CareerCompetency.choices)
    text = models.TextField("reflectie van de leerling")

    tenancy = Tenancy(school="conversation__student__school", student="conversation__student")

    class Meta:
        verbose_name = "reflectie"
        verbose_name_plural = "reflecties"
        constraints = [models.UniqueConstraint(fields=["conversation", "competency"], name="reflection_unique")]

    def __str__(self) -> str:
        return self.get_competency_display()
