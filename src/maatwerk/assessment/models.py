"""School exams: the PTA, its items, rubrics, results and kern observations.

"Modulen, of een combinatie daarvan, worden afgesloten door middel van een SE ... Hoe de school
het SE van een module vormgeeft is aan de school. De school moet dit verantwoorden in zijn PTA."
The kern is not tested on its own: it is observed inside module assessments (`KernObservation`).
Every change to a result is kept (django-simple-history: who, when, old, new); concurrent edits
are detected with the `version` counter (optimistic locking), never overwritten silently.
"""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from contextvars import ContextVar
from decimal import Decimal

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import Signal, receiver
from simple_history.models import HistoricalRecords

from maatwerk.accounts.scoping import Tenancy
from maatwerk.domain import AssessmentForm, Leerweg, LeerwegFlags


class PtaStatus(models.TextChoices):
    CONCEPT = "concept", "concept"
    ADOPTED = "adopted", "vastgesteld"
    PUBLISHED = "published", "gepubliceerd"


class PtaLocked(ValidationError):
    """A vastgesteld (or published) PTA changes only with a reason, which goes into the history."""

    code = "pta_change_needs_reason"

    def __init__(self, message: str | None = None):
        super().__init__(
            message or "Dit PTA is vastgesteld: een onderdeel verandert alleen met een reden (WVO 2.60a: na "
                       "vaststelling alleen bij onvoorziene omstandigheden of een kennelijke fout). De wijziging "
                       "komt in de geschiedenis.",
            code=self.code,
        )


_change_reason: ContextVar[str] = ContextVar("pta_change_reason", default="")


@contextmanager
def pta_change(reason: str) -> Iterator[None]:
    """Allow changes to the items (and rubrics) of a vastgesteld PTA, for `reason` (services only)."""
    token = _change_reason.set((reason or "").strip())
    try:
        yield
    finally:
        _change_reason.reset(token)


def current_change_reason() -> str:
    return _change_reason.get()


def guard_pta(pta_id: int | None) -> None:
    """Refuse a change to a PTA's items unless it is a concept or a reason is given (pta_change)."""
    if pta_id is None or current_change_reason():
        return
    status = Pta.objects.filter(pk=pta_id).values_list("status", flat=True).first()
    if status is not None and status != PtaStatus.CONCEPT:
        raise PtaLocked()


class Pta(LeerwegFlags):
    """Programma van toetsing en afsluiting per school, cohort and leerweg(en) (WVO 2.60a)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="ptas", verbose_name="school")
    cohort = models.PositiveSmallIntegerField("cohort")
    exam_year = models.PositiveSmallIntegerField("examenjaar", help_text="Het schooljaar van het eindexamen.")
    title = models.CharField("titel", max_length=200)
    regulation_id = models.CharField("regeling", max_length=50)
    status = models.CharField("status", max_length=10, choices=PtaStatus.choices, default=PtaStatus.CONCEPT)
    adopted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="vastgesteld door")
    adopted_at = models.DateTimeField("vastgesteld op", null=True, blank=True)
    adopted_late_reason = models.TextField(
        "reden vaststelling na 1 oktober", blank=True,
        help_text="WVO 2.60a: na 1 oktober alleen bij onvoorziene omstandigheden of een kennelijke fout.",
    )
    published_at = models.DateTimeField("gepubliceerd op", null=True, blank=True)
    resit_rules = models.TextField("herkansingsregeling", blank=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="school")

    class Meta:
        verbose_name = "PTA"
        verbose_name_plural = "PTA's"
        ordering = ["school", "-cohort", "title"]

    def __str__(self) -> str:
        return self.title


class ResultKind(models.TextChoices):
    GRADE = "grade", "cijfer (1,0-10,0)"
    QUALIFICATION = "qualification", "onvoldoende / voldoende / goed"


class AssessedBy(models.TextChoices):
    SCHOOL = "school", "de school"
    PARTNER = "partner", "een externe partner"
    BOTH = "both", "school en partner samen"


class PtaItem(models.Model):
    pta = models.ForeignKey(Pta, on_delete=models.CASCADE, related_name="items", verbose_name="PTA")
    code = models.CharField("code", max_length=20)
    title = models.CharField("omschrijving", max_length=200)
    module_versions = models.ManyToManyField("catalog.ModuleVersion", related_name="pta_items",
                                             verbose_name="sluit af")
    form = models.CharField("vorm", max_length=20, choices=AssessmentForm.choices)
    result_kind = models.CharField("resultaat", max_length=15, choices=ResultKind.choices, default=ResultKind.GRADE)
    weight = models.DecimalField("weging", max_digits=5, decimal_places=2, default=Decimal("1"),
                                 validators=[MinValueValidator(Decimal("0"))])
    period = models.PositiveSmallIntegerField("periode", null=True, blank=True,
                                              validators=[MinValueValidator(1), MaxValueValidator(4)])
    deadline = models.DateField("uiterlijk", null=True, blank=True)
    resit_allowed = models.BooleanField("herkansbaar", default=True)
    max_attempts = models.PositiveSmallIntegerField("maximaal aantal pogingen", default=2,
                                                    validators=[MinValueValidator(1), MaxValueValidator(5)])
    assessed_by = models.CharField("beoordeeld door", max_length=10, choices=AssessedBy.choices,
                                   default=AssessedBy.SCHOOL)
    partner = models.ForeignKey("schools.Partner", on_delete=models.SET_NULL, null=True, blank=True,
                                related_name="pta_items", verbose_name="partner")
    kern_objectives = models.ManyToManyField("kern.KernObjective", blank=True, related_name="pta_items",
                                             verbose_name="kerndoelen die worden geobserveerd")
    description = models.TextField("inhoud", blank=True)

    history = HistoricalRecords(m2m_fields=[module_versions, kern_objectives])
    tenancy = Tenancy(school="pta__school", assessor="assignments__assessor")

    class Meta:
        verbose_name = "PTA-onderdeel"
        verbose_name_plural = "PTA-onderdelen"
        ordering = ["pta", "period", "code"]
        constraints = [models.UniqueConstraint(fields=["pta", "code"], name="pta_item_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.title}"

    @property
    def attempts_allowed(self) -> int:
        """How many attempts the PTA allows: 1 without a resit (UB 3.16: the number is the school's choice)."""
        return self.max_attempts if self.resit_allowed else 1

    def save(self, *args, **kwargs):
        guard_pta(self.pta_id)
        if self.pk:  # moving an item away from a vastgesteld PTA is a change of that PTA too
            guard_pta(PtaItem.objects.filter(pk=self.pk).values_list("pta_id", flat=True).first())
        if current_change_reason():
            self._change_reason = current_change_reason()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_pta(self.pta_id)
        return super().delete(*args, **kwargs)


@receiver(m2m_changed, sender=PtaItem.module_versions.through)
@receiver(m2m_changed, sender=PtaItem.kern_objectives.through)
def _guard_item_links(sender, instance, action, reverse, model, pk_set, **kwargs):
    if action not in {"pre_add", "pre_remove", "pre_clear"}:
        return
    if not reverse:
        guard_pta(instance.pta_id)
    else:  # from the module version's or objective's side: every item touched
        items = PtaItem.objects.filter(pk__in=pk_set) if pk_set else instance.pta_items.all()
        for pta_id in set(items.values_list("pta_id", flat=True)):
            guard_pta(pta_id)


class GradeRule(models.TextChoices):
    LINEAR = "linear", "lineair: cijfer = 1 + 9 x (punten / maximum)"
    CESUUR = "cesuur", "cesuur: bij de cesuur een 5,5; lineair daaronder en daarboven"


class Rubric(models.Model):
    item = models.OneToOneField(PtaItem, on_delete=models.CASCADE, related_name="rubric")
    grade_rule = models.CharField("van score naar cijfer", max_length=10, choices=GradeRule.choices,
                                  default=GradeRule.LINEAR)
    cesuur = models.DecimalField("cesuur (fractie van het maximum)", max_digits=4, decimal_places=3,
                                 default=Decimal("0.55"))
    description = models.TextField("toelichting", blank=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="item__pta__school", assessor="item__assignments__assessor")

    class Meta:
        verbose_name = "beoordelingsmodel"
        verbose_name_plural = "beoordelingsmodellen"

    def __str__(self) -> str:
        return f"Beoordelingsmodel {self.item}"

    def save(self, *args, **kwargs):
        guard_pta(PtaItem.objects.filter(pk=self.item_id).values_list("pta_id", flat=True).first())
        if current_change_reason():
            self._change_reason = current_change_reason()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_pta(PtaItem.objects.filter(pk=self.item_id).values_list("pta_id", flat=True).first())
        return super().delete(*args, **kwargs)

    @property
    def max_points(self) -> int:
        """The highest total: the best level of every criterion (prefetch criteria__levels)."""
        return sum(max((lv.points for lv in c.levels.all()), default=0) for c in self.criteria.all())


class RubricCriterion(models.Model):
    rubric = models.ForeignKey(Rubric, on_delete=models.CASCADE, related_name="criteria")
    text = models.CharField("criterium", max_length=300)
    module_objective = models.ForeignKey("catalog.ModuleObjective", on_delete=models.SET_NULL, null=True,
                                         blank=True, related_name="+", verbose_name="eindterm")
    kern_objective = models.ForeignKey("kern.KernObjective", on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name="kerndoel")
    order = models.PositiveSmallIntegerField(default=0)

    tenancy = Tenancy(school="rubric__item__pta__school", assessor="rubric__item__assignments__assessor")

    class Meta:
        ordering = ["rubric", "order"]

    def __str__(self) -> str:
        return self.text

    def save(self, *args, **kwargs):
        guard_pta(Rubric.objects.filter(pk=self.rubric_id).values_list("item__pta_id", flat=True).first())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_pta(Rubric.objects.filter(pk=self.rubric_id).values_list("item__pta_id", flat=True).first())
        return super().delete(*args, **kwargs)


class RubricLevel(models.Model):
    criterion = models.ForeignKey(RubricCriterion, on_delete=models.CASCADE, related_name="levels")
    label = models.CharField("niveau", max_length=50)
    points = models.PositiveSmallIntegerField("punten")
    descriptor = models.TextField("beschrijving")

    tenancy = Tenancy(school="criterion__rubric__item__pta__school",
                      assessor="criterion__rubric__item__assignments__assessor")

    class Meta:
        ordering = ["criterion", "points"]

    def __str__(self) -> str:
        return f"{self.label} ({self.points})"

    def _pta_id(self):
        return RubricCriterion.objects.filter(pk=self.criterion_id).values_list("rubric__item__pta_id", flat=True).first()

    def save(self, *args, **kwargs):
        guard_pta(self._pta_id())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        guard_pta(self._pta_id())
        return super().delete(*args, **kwargs)


class AssignmentPath(models.ForeignObject):
    """A join path, not a relation to read: from a result to the assignments of its own (item,
    student) pair. The tenancy's `assessor` path follows it, so an external assessor sees a result
    only when exactly that student on exactly that item is assigned to them (a path through the item
    alone would show every student's grade on an assigned item). Several assessors may be assigned to
    one pair, so the target is not unique; never use `result.assignment_path` as an attribute."""

    def __init__(self, **kwargs):
        kwargs.setdefault("on_delete", models.DO_NOTHING)
        kwargs.setdefault("from_fields", ["student", "item"])
        kwargs.setdefault("to_fields", ["student", "item"])
        kwargs.setdefault("related_name", "+")
        kwargs.setdefault("editable", False)
        kwargs.setdefault("null", True)
        super().__init__("assessment.AssessorAssignment", **kwargs)

    def deconstruct(self):
        name, path, args, kwargs = super().deconstruct()
        for key in ("to", "on_delete", "from_fields", "to_fields", "related_name", "editable", "null"):
            kwargs.pop(key, None)
        return name, path, [], kwargs

    def _check_unique_target(self):
        return []  # a join path: the (student, item) pair of an assignment is not unique on purpose


class Qualification(models.TextChoices):
    INSUFFICIENT = "onvoldoende", "onvoldoende"
    SUFFICIENT = "voldoende", "voldoende"
    GOOD = "goed", "goed"


class Result(models.Model):
    """One attempt of one student at one PTA item."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="results",
                                verbose_name="leerling")
    item = models.ForeignKey(PtaItem, on_delete=models.PROTECT, related_name="results", verbose_name="onderdeel")
    attempt = models.PositiveSmallIntegerField("poging", default=1, validators=[MinValueValidator(1)])
    grade = models.DecimalField("cijfer", max_digits=3, decimal_places=1, null=True, blank=True,
                                validators=[MinValueValidator(Decimal("1.0")), MaxValueValidator(Decimal("10.0"))])
    qualification = models.CharField("beoordeling", max_length=12, choices=Qualification.choices, blank=True)
    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                 related_name="+", verbose_name="beoordelaar")
    assessed_on = models.DateField("datum", null=True, blank=True)
    rubric_scores = models.JSONField("scores beoordelingsmodel", default=dict, blank=True)
    comment = models.TextField("opmerking", blank=True)
    version = models.PositiveIntegerField("versie", default=1, help_text="Voor het herkennen van gelijktijdige wijzigingen.")
    updated_at = models.DateTimeField(auto_now=True)

    #: tenancy only: the assignments of this (item, student) pair (see AssignmentPath)
    assignment_path = AssignmentPath()

    history = HistoricalRecords(excluded_fields=["assignment_path"])
    tenancy = Tenancy(school="student__school", student="student",
                      assessor="assignment_path__assessor")

    class Meta:
        verbose_name = "resultaat"
        verbose_name_plural = "resultaten"
        ordering = ["student", "item", "attempt"]
        constraints = [
            models.UniqueConstraint(fields=["student", "item", "attempt"], name="result_unique_attempt"),
            models.CheckConstraint(
                name="result_grade_range",
                condition=Q(grade__isnull=True) | Q(grade__gte=Decimal("1.0"), grade__lte=Decimal("10.0")),
                violation_error_message="Een cijfer ligt tussen 1,0 en 10,0.",
            ),
        ]

    def __str__(self) -> str:
        value = self.grade if self.grade is not None else self.qualification
        return f"{self.student} {self.item.code} poging {self.attempt}: {value}"


class AssessorAssignment(models.Model):
    """An external assessor may see and score exactly these students on exactly this item."""

    assessor = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.CASCADE, related_name="assignments")
    item = models.ForeignKey(PtaItem, on_delete=models.CASCADE, related_name="assignments")
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="assessor_assignments")
    assigned_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+")
    assigned_at = models.DateTimeField(auto_now_add=True)

    tenancy = Tenancy(school="student__school", assessor="assessor", students_see=False)

    class Meta:
        verbose_name = "toewijzing beoordelaar"
        verbose_name_plural = "toewijzingen beoordelaars"
        constraints = [
            models.UniqueConstraint(fields=["assessor", "item", "student"], name="assignment_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.assessor} → {self.student} ({self.item.code})"


class KernLevel(models.TextChoices):
    BEGINNING = "beginning", "beginnend"
    DEVELOPING = "developing", "in ontwikkeling"
    PROFICIENT = "proficient", "beheerst"
    ADVANCED = "advanced", "ruim beheerst"


class KernObservation(models.Model):
    """The kern is observed inside module assessments, never tested on its own."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="kern_observations",
                                verbose_name="leerling")
    objective = models.ForeignKey("kern.KernObjective", on_delete=models.PROTECT, related_name="observations",
                                  verbose_name="kerndoel")
    level = models.CharField("niveau", max_length=12, choices=KernLevel.choices)
    item = models.ForeignKey(PtaItem, on_delete=models.SET_NULL, null=True, blank=True,
                             related_name="kern_observations", verbose_name="bij onderdeel")
    observed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True,
                                    related_name="+", verbose_name="door")
    observed_on = models.DateField("datum")
    note = models.TextField("toelichting", blank=True)

    history = HistoricalRecords()
    #: an external assessor sees the observations they made themself
    tenancy = Tenancy(school="student__school", student="student", assessor="observed_by")

    class Meta:
        verbose_name = "kernobservatie"
        verbose_name_plural = "kernobservaties"
        ordering = ["student", "objective", "-observed_on"]

    def __str__(self) -> str:
        return f"{self.objective.code} {self.get_level_display()} ({self.observed_on:%d-%m-%Y})"


class ModuleOutcomeStatus(models.TextChoices):
    PASSED = "PASSED", "behaald"
    FAILED = "FAILED", "niet behaald"
    INCOMPLETE = "INCOMPLETE", "nog niet compleet"


class ModuleResult(models.Model):
    """The outcome of a module for a student, computed by the rules engine (module_outcome)."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="module_results",
                                verbose_name="leerling")
    module_version = models.ForeignKey("catalog.ModuleVersion", on_delete=models.PROTECT, related_name="+",
                                       verbose_name="module")
    pta = models.ForeignKey(Pta, on_delete=models.PROTECT, related_name="+", verbose_name="PTA")
    outcome = models.CharField("uitkomst", max_length=10, choices=ModuleOutcomeStatus.choices)
    grade = models.DecimalField("SE-cijfer", max_digits=3, decimal_places=1, null=True, blank=True)
    final_grade = models.PositiveSmallIntegerField("eindcijfer", null=True, blank=True)
    level = models.CharField("niveau", max_length=2, choices=Leerweg.choices)
    findings = models.JSONField("bevindingen", default=list, blank=True)
    school_year = models.PositiveSmallIntegerField("schooljaar afgerond", null=True, blank=True)
    computed_at = models.DateTimeField(auto_now=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="student__school", student="student")

    class Meta:
        verbose_name = "moduleresultaat"
        verbose_name_plural = "moduleresultaten"
        constraints = [
            models.UniqueConstraint(fields=["student", "module_version"], name="module_result_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.module_version}: {self.get_outcome_display()}"


#: Sent by the bulk write path (services.recompute_outcomes_many, used by the grade import) once with
#: `results`: the ModuleResults it created or changed without save(), so without post_save. Whoever follows
#: post_save of ModuleResult (the diploma app revokes certificates a changed result no longer matches)
#: listens to this too.
module_results_saved = Signal()


class SubjectPart(models.TextChoices):
    """The part of the exam programme a subject belongs to (UB 3.48 names them for cum laude)."""

    COMMON = "gemeenschappelijk", "gemeenschappelijk deel"
    PROFILE = "profieldeel", "profieldeel"
    FREE = "vrij", "vrije deel"


class SubjectGrade(models.Model):
    """Grades of the general subjects (Nederlands, Engels, ...) and of the cspe, as the school's
    administration delivers them, for the exam decision. Module grades come from ModuleResult."""

    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="subject_grades",
                                verbose_name="leerling")
    school_year = models.PositiveSmallIntegerField("examenjaar")
    code = models.CharField("vakcode", max_length=10, help_text="Bijv. ne, en, wi, ma, lo, ckv, pv, pws")
    name = models.CharField("vak", max_length=100)
    kind = models.CharField("soort", max_length=20, default="algemeen")
    school_exam = models.DecimalField("SE", max_digits=3, decimal_places=1, null=True, blank=True)
    central_exam = models.DecimalField("CE", max_digits=3, decimal_places=1, null=True, blank=True)
    qualification = models.CharField("beoordeling", max_length=12, choices=Qualification.choices, blank=True)
    level = models.CharField("niveau", max_length=4, blank=True, help_text="BB, KB, GL, TL, HAVO of VWO")
    extra = models.BooleanField("extra vak", default=False)
    part = models.CharField("deel", max_length=20, choices=SubjectPart.choices, blank=True,
                            help_text="Gemeenschappelijk deel, profieldeel of vrije deel: cum laude in GL en TL "
                                      "telt per deel (UB 3.48).")
    version = models.PositiveIntegerField(default=1)

    history = HistoricalRecords()
    tenancy = Tenancy(school="student__school", student="student")

    class Meta:
        verbose_name = "vakcijfer"
        verbose_name_plural = "vakcijfers"
        ordering = ["student", "code"]
        constraints = [
            models.UniqueConstraint(fields=["student", "school_year", "code"], name="subject_grade_unique"),
        ]

    def __str__(self) -> str:
        return f"{self.name} ({self.school_year})"
