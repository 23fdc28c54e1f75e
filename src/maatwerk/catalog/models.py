"""The menukaart: one national catalogue of modules with immutable published versions.

A `Module` has a stable code (e.g. `ZW-K-03`); its content lives in `ModuleVersion`s:
concept -> published (valid from a school year) -> superseded (by a newer published version)
or withdrawn. A published version never changes; editing creates a new concept version
(services.new_version). Programmes, offerings, PTA items and results point at the version they
were taken under, so they keep it when a newer one is published.

The cycle (seed: "Er ontstaat een menukaart"): a `Review` every 5 years; an update ordered by a
review is due within 1 year; `ModuleProposal`s every year; a module without an exam for 5
consecutive school years (`ModuleUsageReport`) is retired from the menukaart for new programmes.
The numbers are regulation parameters (maatwerk.rules).
"""

from __future__ import annotations

import uuid
from contextlib import contextmanager
from contextvars import ContextVar

from django.conf import settings
from django.core.exceptions import ValidationError
from django.core.validators import MaxValueValidator, MinValueValidator, RegexValidator
from django.db import models
from django.db.models import Q
from django.db.models.signals import m2m_changed
from django.dispatch import receiver
from simple_history.models import HistoricalRecords

from maatwerk.accounts.scoping import Tenancy
from maatwerk.domain import AssessmentForm, Leerweg, LeerwegFlags

#: Namespace of the stable CASE identifiers of the menukaart: uuid5 of "module/<code>",
#: "version/<code>/<n>", "objective/<code>/<n>/<objective code>" (see `catalog_uuid`).
CATALOG_NAMESPACE = uuid.UUID("0d6f3f7e-5b9c-5e52-8a47-2f1c8e6b9a10")


def catalog_uuid(*parts: object) -> uuid.UUID:
    """A deterministic identifier: the same module, version or objective gets the same uuid in every
    installation, so a CASE package can be exchanged and imported again without a mapping table."""
    return uuid.uuid5(CATALOG_NAMESPACE, "/".join(str(p) for p in parts))


class VersionPublished(ValidationError):
    """Raised when the content of a published (or superseded/withdrawn) module version would change."""

    code = "catalog_version_published"
    en = "This module version is published and cannot change. Create a new version."

    def __init__(self, message: str | None = None):
        super().__init__(
            message
            or "Deze versie van de module is gepubliceerd en kan niet meer worden gewijzigd. "
            "Maak een nieuwe versie om iets te veranderen.",
            code=self.code,
        )


_unfrozen: ContextVar[bool] = ContextVar("catalog_unfrozen", default=False)


@contextmanager
def unfrozen():
    """Switch the immutability guard off. ONLY for test factories that build a published version in one
    go; services never use it (they build a concept and publish it)."""
    token = _unfrozen.set(True)
    try:
        yield
    finally:
        _unfrozen.reset(token)


class Profiel(models.Model):
    """A beroepsgericht profiel (Uitvoeringsbesluit WVO 2020 art. 2.21 lid 1)."""

    code = models.CharField("code", max_length=10, unique=True)
    name = models.CharField("naam", max_length=100)
    abbreviation = models.CharField("afkorting", max_length=10)
    source = models.CharField("bron", max_length=200, blank=True)

    tenancy = Tenancy(public=True)

    class Meta:
        verbose_name = "profiel"
        verbose_name_plural = "profielen"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MboQualification(models.Model):
    """An mbo qualification (crebo / erkende opleidingscode) a module or package prepares for."""

    crebo = models.CharField("crebo", max_length=10, unique=True,
                             validators=[RegexValidator(r"^[0-9]{5}$", "Een crebocode bestaat uit vijf cijfers.")])
    name = models.CharField("naam", max_length=250)
    level = models.PositiveSmallIntegerField("niveau", null=True, blank=True,
                                             validators=[MinValueValidator(1), MaxValueValidator(4)])
    profielen = models.ManyToManyField(Profiel, blank=True, related_name="mbo_qualifications",
                                       verbose_name="profielen")
    source = models.TextField("bron", blank=True)

    tenancy = Tenancy(public=True)

    class Meta:
        verbose_name = "mbo-kwalificatie"
        verbose_name_plural = "mbo-kwalificaties"
        ordering = ["name"]

    def __str__(self) -> str:
        level = f", niveau {self.level}" if self.level else ""
        return f"{self.name} ({self.crebo}{level})"

    @property
    def is_starting_qualification(self) -> bool:
        """mbo level 2 or higher is a startkwalificatie."""
        return bool(self.level and self.level >= 2)


class ModuleType(models.TextChoices):
    ORIENTING = "ORIENTING", "oriënterend"
    INTRODUCTORY = "INTRODUCTORY", "kennismakend"
    DEEPENING = "DEEPENING", "verdiepend"


class VersionStatus(models.TextChoices):
    CONCEPT = "concept", "concept"
    PUBLISHED = "published", "gepubliceerd"
    SUPERSEDED = "superseded", "vervangen"
    WITHDRAWN = "withdrawn", "ingetrokken"


class LegacyKind(models.TextChoices):
    """Where a module of the starting stock came from (today's beroepsgerichte examenprogramma's)."""

    NONE = "", "nieuw"
    PROFIELMODULE = "profielmodule", "profielmodule"
    KEUZEVAK = "keuzevak", "beroepsgericht keuzevak"


class RetirementReason(models.TextChoices):
    REVIEW = "review", "ingetrokken na review"
    NO_EXAMS = "no_exams", "vijf jaar geen examen"


class Module(models.Model):
    code = models.CharField(
        "code", max_length=20, unique=True,
        validators=[RegexValidator(r"^[A-Za-z0-9]+(-[A-Za-z0-9]+)*$",
                                   "Een modulecode bestaat uit letters, cijfers en streepjes, bijv. ZW-K-03.")],
    )
    #: The version in force now (the newest published one); kept by services for fast lists.
    current_version = models.OneToOneField(
        "ModuleVersion", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
        verbose_name="huidige versie",
    )
    retired_from = models.PositiveSmallIntegerField(
        "van de menukaart vanaf schooljaar", null=True, blank=True,
        help_text="Vanaf dit schooljaar niet meer te kiezen in nieuwe programma's; wie de module al volgt, houdt haar.",
    )
    retirement_reason = models.CharField("reden", max_length=20, choices=RetirementReason.choices, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    history = HistoricalRecords()
    tenancy = Tenancy(public=True)

    class Meta:
        verbose_name = "module"
        verbose_name_plural = "modulen"
        ordering = ["code"]

    def __str__(self) -> str:
        title = self.current_version.title if self.current_version_id and self.current_version else ""
        return f"{self.code} {title}".strip()

    def is_available_in(self, school_year: int) -> bool:
        return self.retired_from is None or school_year < self.retired_from

    @property
    def uuid(self) -> uuid.UUID:
        return catalog_uuid("module", self.code)


class ModuleVersion(LeerwegFlags):
    module = models.ForeignKey(Module, on_delete=models.PROTECT, related_name="versions", verbose_name="module")
    version = models.PositiveIntegerField("versie")
    status = models.CharField("status", max_length=12, choices=VersionStatus.choices, default=VersionStatus.CONCEPT)
    title = models.CharField("titel", max_length=200)
    summary = models.TextField("samenvatting", blank=True)
    module_type = models.CharField("soort module", max_length=12, choices=ModuleType.choices)
    profielen = models.ManyToManyField(Profiel, blank=True, related_name="module_versions", verbose_name="profielen")
    units = models.PositiveSmallIntegerField(
        "omvang (eenheden)", default=1, validators=[MinValueValidator(1), MaxValueValidator(20)],
        help_text="In vaste eenheden van de regeling (SPV: geen omvang per module, maar vaste eenheden).",
    )
    legacy_kind = models.CharField("herkomst", max_length=20, choices=LegacyKind.choices, blank=True)
    legacy_code = models.CharField("vakcode", max_length=10, blank=True,
                                   help_text="De code in het huidige examenprogramma (bijv. DUO-vakcode 1505).")
    valid_from = models.PositiveSmallIntegerField("geldig vanaf schooljaar", null=True, blank=True)
    valid_until = models.PositiveSmallIntegerField("geldig tot en met schooljaar", null=True, blank=True)
    kern_objectives = models.ManyToManyField("kern.KernObjective", blank=True, related_name="module_versions",
                                             verbose_name="kerndoelen")
    mbo_qualifications = models.ManyToManyField(MboQualification, blank=True, related_name="module_versions",
                                                verbose_name="mbo-kwalificaties")
    change_note = models.TextField("wat is er veranderd", blank=True)
    source = models.TextField("bron", blank=True)
    data_note = models.TextField(
        "let op bij de brongegevens", blank=True,
        help_text="Wat de bron niet (zeker) zegt, bijv. 'leerwegen niet gevonden in de bron'. Nooit aangevuld "
                  "met een gok.",
    )
    search_text = models.TextField(editable=False, blank=True, help_text="Genormaliseerde zoektekst.")
    based_on = models.ForeignKey("self", on_delete=models.SET_NULL, null=True, blank=True, related_name="+",
                                 verbose_name="gebaseerd op")
    created_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    created_at = models.DateTimeField(auto_now_add=True)
    published_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                     related_name="+")
    published_at = models.DateTimeField("gepubliceerd op", null=True, blank=True)

    history = HistoricalRecords(m2m_fields=[profielen, kern_objectives, mbo_qualifications])
    tenancy = Tenancy(public=True, public_filter=~Q(status=VersionStatus.CONCEPT), steward=True)

    class Meta:
        verbose_name = "moduleversie"
        verbose_name_plural = "moduleversies"
        ordering = ["module__code", "-version"]
        constraints = [
            models.UniqueConstraint(fields=["module", "version"], name="module_version_unique"),
            models.UniqueConstraint(fields=["module"], condition=Q(status="published"),
                                    name="module_one_published_version"),
        ]
        indexes = [models.Index(fields=["status", "module_type"])]

    def __str__(self) -> str:
        return f"{self.module.code} v{self.version} {self.title}"

    #: Fields that may still change once a version is published: its status moves on (superseded,
    #: withdrawn) and a successor sets the last school year it is valid.
    MUTABLE_WHEN_PUBLISHED = frozenset({"status", "valid_until"})

    @property
    def is_published(self) -> bool:
        return self.status != VersionStatus.CONCEPT

    @property
    def is_concept(self) -> bool:
        return self.status == VersionStatus.CONCEPT

    @property
    def is_cross_sector(self) -> bool:
        return len(self.profielen.all()) > 1

    @property
    def uuid(self) -> uuid.UUID:
        return catalog_uuid("version", self.module.code, self.version)

    def save(self, *args, **kwargs):
        if self.pk and not _unfrozen.get():
            stored = ModuleVersion.objects.filter(pk=self.pk).values().first()
            if stored and stored["status"] != VersionStatus.CONCEPT:
                changed = {k for k, v in stored.items() if getattr(self, k) != v}
                if changed - self.MUTABLE_WHEN_PUBLISHED or self.status == VersionStatus.CONCEPT:
                    raise VersionPublished()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.is_published and not _unfrozen.get():
            raise VersionPublished("Een gepubliceerde moduleversie kan niet worden verwijderd.")
        return super().delete(*args, **kwargs)


def _guard_version(version_id) -> None:
    if _unfrozen.get() or version_id is None:
        return
    status = ModuleVersion.objects.filter(pk=version_id).values_list("status", flat=True).first()
    if status is not None and status != VersionStatus.CONCEPT:
        raise VersionPublished()


class _VersionPart(models.Model):
    """Objectives and guides are frozen with their version."""

    class Meta:
        abstract = True

    def save(self, *args, **kwargs):
        _guard_version(self.version_id)
        if self.pk:  # moving a part away from a published version is a change of that version too
            _guard_version(type(self).objects.filter(pk=self.pk).values_list("version_id", flat=True).first())
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        _guard_version(self.version_id)
        return super().delete(*args, **kwargs)


class ModuleObjective(_VersionPart):
    """The exam programme of a module: what a student must at least know and be able to do."""

    version = models.ForeignKey(ModuleVersion, on_delete=models.CASCADE, related_name="objectives",
                                verbose_name="moduleversie")
    code = models.CharField("code", max_length=20)
    text = models.TextField("eindterm")
    order = models.PositiveSmallIntegerField("volgorde", default=0)

    tenancy = Tenancy(public=True, public_filter=~Q(version__status=VersionStatus.CONCEPT), steward=True)

    class Meta:
        verbose_name = "eindterm"
        verbose_name_plural = "eindtermen"
        ordering = ["version", "order"]
        constraints = [models.UniqueConstraint(fields=["version", "code"], name="module_objective_code")]

    def __str__(self) -> str:
        return f"{self.code} {self.text}"

    @property
    def uuid(self) -> uuid.UUID:
        return catalog_uuid("objective", self.version.module.code, self.version.version, self.code)


class ModuleGuide(_VersionPart):
    """The handreiking: how the module is worked out for one leerweg (more practice or more theory)."""

    version = models.ForeignKey(ModuleVersion, on_delete=models.CASCADE, related_name="guides",
                                verbose_name="moduleversie")
    leerweg = models.CharField("leerweg", max_length=2, choices=Leerweg.choices)
    emphasis = models.CharField("accent", max_length=100, blank=True,
                                help_text="Bijvoorbeeld 'meer praktijk' of 'meer theorie en verdieping'.")
    text = models.TextField("uitwerking")

    tenancy = Tenancy(public=True, public_filter=~Q(version__status=VersionStatus.CONCEPT), steward=True)

    class Meta:
        verbose_name = "handreiking"
        verbose_name_plural = "handreikingen"
        ordering = ["version", "leerweg"]
        constraints = [models.UniqueConstraint(fields=["version", "leerweg"], name="module_guide_leerweg")]

    def __str__(self) -> str:
        return f"{self.version} — {self.leerweg}"


def example_upload_to(instance, filename: str) -> str:
    return f"examenbank/{instance.version.module.code}/v{instance.version.version}/{filename}"


class ExampleAssessment(models.Model):
    """The examenbank: example assessments per module. Not frozen with the version: the examenbank of a
    published version may grow (an example illustrates the exam programme, it does not change it)."""

    version = models.ForeignKey(ModuleVersion, on_delete=models.CASCADE, related_name="examples",
                                verbose_name="moduleversie")
    title = models.CharField("titel", max_length=200)
    form = models.CharField("vorm", max_length=20, choices=AssessmentForm.choices)
    leerweg = models.CharField("leerweg", max_length=2, choices=Leerweg.choices, blank=True,
                               help_text="Leeg: voor alle leerwegen.")
    description = models.TextField("beschrijving", blank=True)
    file = models.FileField("bestand", upload_to=example_upload_to, blank=True)

    tenancy = Tenancy(public=True, public_filter=~Q(version__status=VersionStatus.CONCEPT), steward=True)

    class Meta:
        verbose_name = "voorbeeldtoets"
        verbose_name_plural = "examenbank"
        ordering = ["version", "title"]

    def __str__(self) -> str:
        return self.title


class ReviewDecision(models.TextChoices):
    KEEP = "keep", "ongewijzigd houden"
    UPDATE = "update", "bijstellen (binnen een jaar)"
    WITHDRAW = "withdraw", "intrekken"


class Review(models.Model):
    """The five-yearly review of a module, after consulting vmbo, mbo and employers."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="reviews", verbose_name="module")
    version = models.ForeignKey(ModuleVersion, on_delete=models.PROTECT, related_name="reviews",
                                verbose_name="beoordeelde versie")
    due_on = models.DateField("review uiterlijk")
    decided_on = models.DateField("besloten op", null=True, blank=True)
    decision = models.CharField("besluit", max_length=10, choices=ReviewDecision.choices, blank=True)
    reasons = models.TextField("motivering", blank=True)
    consulted_vmbo = models.TextField("geraadpleegd vmbo", blank=True)
    consulted_mbo = models.TextField("geraadpleegd mbo", blank=True)
    consulted_employers = models.TextField("geraadpleegd bedrijfsleven", blank=True)
    update_due_on = models.DateField("bijstelling uiterlijk", null=True, blank=True)
    update_version = models.ForeignKey(ModuleVersion, on_delete=models.SET_NULL, null=True, blank=True,
                                       related_name="+", verbose_name="bijgestelde versie")
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")

    history = HistoricalRecords()
    tenancy = Tenancy(public=True, public_filter=~Q(decision=""), steward=True)

    class Meta:
        verbose_name = "review"
        verbose_name_plural = "reviews"
        ordering = ["due_on"]

    def __str__(self) -> str:
        return f"Review {self.module.code} (uiterlijk {self.due_on:%d-%m-%Y})"


class ProposalKind(models.TextChoices):
    NEW = "new", "nieuwe module"
    CHANGE = "change", "wijziging van een module"


class ProposalStatus(models.TextChoices):
    SUBMITTED = "submitted", "ingediend"
    IN_ASSESSMENT = "in_assessment", "in behandeling"
    ACCEPTED = "accepted", "aangenomen"
    REJECTED = "rejected", "afgewezen"


class ModuleProposal(models.Model):
    """A proposal by a school or a platform for a new module or a change of an existing one."""

    kind = models.CharField("soort voorstel", max_length=10, choices=ProposalKind.choices)
    module = models.ForeignKey(Module, on_delete=models.PROTECT, null=True, blank=True, related_name="proposals",
                               verbose_name="te wijzigen module")
    school = models.ForeignKey("schools.School", on_delete=models.PROTECT, null=True, blank=True,
                               related_name="proposals", verbose_name="school")
    platform = models.ForeignKey("accounts.Platform", on_delete=models.PROTECT, null=True, blank=True,
                                 related_name="proposals", verbose_name="platform")
    submitted_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.PROTECT, related_name="+",
                                     verbose_name="ingediend door")
    title = models.CharField("titel", max_length=200)
    module_type = models.CharField("soort module", max_length=12, choices=ModuleType.choices)
    profielen = models.ManyToManyField(Profiel, blank=True, related_name="+", verbose_name="profielen")
    leerwegen = models.CharField("leerwegen", max_length=20, help_text="Bijv. BB,KB,GL")
    summary = models.TextField("samenvatting")
    objectives = models.TextField("eindtermen", help_text="Eén eindterm per regel.")
    rationale = models.TextField("waarom deze module")
    evidence = models.TextField("onderbouwing uit regio en arbeidsmarkt")
    status = models.CharField("status", max_length=15, choices=ProposalStatus.choices,
                              default=ProposalStatus.SUBMITTED)
    round_year = models.PositiveSmallIntegerField("ronde (jaar)")
    submitted_at = models.DateTimeField("ingediend op", auto_now_add=True)
    decided_at = models.DateTimeField("besloten op", null=True, blank=True)
    decided_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+")
    decision_reason = models.TextField("toelichting bij het besluit", blank=True)
    resulting_version = models.ForeignKey(ModuleVersion, on_delete=models.SET_NULL, null=True, blank=True,
                                          related_name="+", verbose_name="resulterende versie")

    history = HistoricalRecords(m2m_fields=[profielen])
    tenancy = Tenancy(steward=True, platform="platform", proposer_school="school")

    class Meta:
        verbose_name = "modulevoorstel"
        verbose_name_plural = "modulevoorstellen"
        ordering = ["-submitted_at"]
        constraints = [
            models.CheckConstraint(
                name="proposal_one_organisation",
                condition=Q(school__isnull=False, platform__isnull=True) | Q(school__isnull=True,
                                                                            platform__isnull=False),
                violation_error_message="Een voorstel komt van een school of van een platform.",
            ),
            models.CheckConstraint(
                name="proposal_change_names_module",
                condition=Q(kind="new") | Q(module__isnull=False),
                violation_error_message="Een wijzigingsvoorstel noemt de module die het wijzigt.",
            ),
        ]

    def __str__(self) -> str:
        return self.title


class UsageSource(models.TextChoices):
    LOCAL = "local", "deze installatie"
    API = "api", "API"
    CSV = "csv", "CSV-import"


class ModuleUsageReport(models.Model):
    """How many school exams of a module a school took in a school year. Aggregated counts only:
    no personal data ever (the assessment app fills it; other installations report through API/CSV)."""

    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="usage_reports",
                               verbose_name="module")
    school_year = models.PositiveSmallIntegerField("schooljaar")
    brin = models.CharField("BRIN", max_length=4, validators=[RegexValidator(r"^[0-9]{2}[A-Z]{2}$")])
    exams_taken = models.PositiveIntegerField("afgenomen examens")
    source = models.CharField("bron", max_length=10, choices=UsageSource.choices, default=UsageSource.LOCAL)
    reported_at = models.DateTimeField("gemeld op", auto_now=True)

    tenancy = Tenancy(steward=True, school=None)

    class Meta:
        verbose_name = "gebruiksmelding"
        verbose_name_plural = "gebruiksmeldingen"
        ordering = ["module", "school_year", "brin"]
        constraints = [
            models.UniqueConstraint(fields=["module", "school_year", "brin"], name="usage_report_unique"),
        ]
        indexes = [models.Index(fields=["school_year", "module"])]

    def __str__(self) -> str:
        return f"{self.module.code} {self.school_year} {self.brin}: {self.exams_taken}"


class LifecycleRun(models.Model):
    """One run of `maatwerk catalog lifecycle`: what it found and what it did."""

    run_date = models.DateField("peildatum")
    dry_run = models.BooleanField("proefdraai", default=False)
    started_at = models.DateTimeField(auto_now_add=True)
    summary = models.JSONField("samenvatting", default=dict)

    tenancy = Tenancy(steward=True)

    class Meta:
        verbose_name = "levenscyclusrun"
        verbose_name_plural = "levenscyclusruns"
        ordering = ["-started_at"]

    def __str__(self) -> str:
        return f"Levenscyclus {self.run_date:%d-%m-%Y}{' (proefdraai)' if self.dry_run else ''}"


class LifecycleAction(models.Model):
    class Kind(models.TextChoices):
        REVIEW_SCHEDULED = "review_scheduled", "review ingepland"
        REVIEW_OVERDUE = "review_overdue", "review te laat"
        UPDATE_OVERDUE = "update_overdue", "bijstelling te laat"
        RETIRED = "retired", "van de menukaart gehaald (5 jaar geen examen)"

    run = models.ForeignKey(LifecycleRun, on_delete=models.CASCADE, related_name="actions")
    module = models.ForeignKey(Module, on_delete=models.CASCADE, related_name="lifecycle_actions")
    kind = models.CharField(max_length=20, choices=Kind.choices)
    #: What the action is about (a review id, a due date, a school year): one action per (module, kind,
    #: key), which is what makes the lifecycle idempotent.
    key = models.CharField("sleutel", max_length=60, blank=True)
    detail = models.TextField(blank=True)

    tenancy = Tenancy(steward=True)

    class Meta:
        verbose_name = "levenscyclusactie"
        verbose_name_plural = "levenscyclusacties"
        ordering = ["run", "kind", "module"]
        constraints = [
            models.UniqueConstraint(fields=["module", "kind", "key"], name="lifecycle_action_once"),
        ]

    def __str__(self) -> str:
        return f"{self.get_kind_display()}: {self.module.code}"


@receiver(m2m_changed)
def _guard_version_links(sender, instance, action, reverse, model, pk_set, **kwargs):
    """Profielen, kern objectives and mbo qualifications of a published version never change."""
    if action not in {"pre_add", "pre_remove", "pre_clear"} or _unfrozen.get():
        return
    through = {ModuleVersion.profielen.through, ModuleVersion.kern_objectives.through,
               ModuleVersion.mbo_qualifications.through}
    if sender not in through:
        return
    if not reverse:
        _guard_version(instance.pk)
        return
    versions = ModuleVersion.objects.exclude(status=VersionStatus.CONCEPT)
    if action == "pre_clear":
        related = getattr(instance, "module_versions", None)
        if related is not None and related.exclude(status=VersionStatus.CONCEPT).exists():
            raise VersionPublished()
    elif pk_set and versions.filter(pk__in=pk_set).exists():
        raise VersionPublished()
