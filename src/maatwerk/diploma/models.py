"""Exam decisions, transcripts and certificates, continuous routes and module credentials."""

from __future__ import annotations

import json
import uuid

from django.conf import settings
from django.core.exceptions import ValidationError
from django.db import models
from simple_history.models import HistoricalRecords

from maatwerk.accounts.scoping import Tenancy


class ExamOutcome(models.TextChoices):
    PASSED = "PASSED", "geslaagd"
    FAILED = "FAILED", "afgewezen"
    INCOMPLETE = "INCOMPLETE", "nog niet compleet"


class DecisionStatus(models.TextChoices):
    DRAFT = "draft", "berekend"
    SIGNED_OFF = "signed_off", "vastgesteld"
    CORRECTED = "corrected", "gecorrigeerd"
    SUPERSEDED = "superseded", "vervangen"


#: The only status changes a signed-off decision allows: a later decision replaced it (a correction
#: with its reason, or a new decision after a resit). Its content never changes.
SIGNED_OFF_EXITS = frozenset({DecisionStatus.CORRECTED, DecisionStatus.SUPERSEDED})


class DecisionSignedOff(ValidationError):
    """A vastgestelde uitslag does not change; a correction is a new decision with its reason."""

    code = "diploma_decision_signed_off"
    en = "This result has been signed off and cannot change; a correction is a new decision with its reason."

    def __init__(self, message: str | None = None):
        super().__init__(
            message or "Deze uitslag is vastgesteld en verandert niet meer. Een correctie wordt een nieuw besluit "
                       "met een reden; het vastgestelde besluit blijft in de geschiedenis.",
            code=self.code,
        )


class DecisionContentFixed(DecisionSignedOff):
    """What a decision says (its grades, outcome and the inputs it rests on) is written once, when it is
    computed; a later run or a correction is a new decision that replaces it."""

    code = "diploma_decision_content_fixed"
    en = "What a decision says never changes; compute again: a new decision replaces it."

    def __init__(self):
        super().__init__("Wat een examenbesluit zegt (cijfers, uitslag en de gegevens waarop het rust) verandert niet. "
                         "Bereken opnieuw: een nieuw besluit vervangt dit, en dit blijft in de geschiedenis.")


#: The fields of a decision that are written once, when it is computed, and never change (the decision
#: row keeps them for as long as it exists). Only the status, the sign-off and nothing else moves.
DECISION_CONTENT = ("student", "school_year", "regulation_id", "outcome", "final_grades", "combination_grade",
                    "left_out", "cum_laude", "levels", "findings", "inputs", "computed_at", "supersedes",
                    "correction_reason", "computed_by")
#: ...so its history rows leave out the large JSON part of that content: every history row of a decision would
#: repeat it unchanged (the inputs alone are ~2 KB: every grade the decision rests on). A history row records
#: who computed, signed off or replaced the decision and when; the content is on the decision itself.
DECISION_CONTENT_NOT_IN_HISTORY = ("final_grades", "left_out", "levels", "findings", "inputs")


def _content_attnames() -> tuple[str, ...]:
    return tuple(ExamDecision._meta.get_field(name).attname for name in DECISION_CONTENT)


class ExamDecisionQuerySet(models.QuerySet):
    def update(self, **kwargs):
        """A bulk update never touches the content of a decision (DECISION_CONTENT), and of a signed-off
        decision nothing but its status (to 'gecorrigeerd' or 'vervangen')."""
        if set(kwargs) & {*DECISION_CONTENT, *_content_attnames()} and self.exists():
            raise DecisionContentFixed()
        touches_content = set(kwargs) - {"status"} or kwargs.get("status") not in SIGNED_OFF_EXITS
        if touches_content and self.filter(status=DecisionStatus.SIGNED_OFF).exists():
            raise DecisionSignedOff()
        return super().update(**kwargs)

    def delete(self):
        if self.filter(status__in=[DecisionStatus.SIGNED_OFF, *SIGNED_OFF_EXITS]).exists():
            raise DecisionSignedOff()
        return super().delete()

    def current(self):
        """Decisions no later decision replaced (one per candidate and exam year)."""
        return self.filter(~models.Exists(ExamDecision.objects.filter(supersedes=models.OuterRef("pk"))))


class ExamDecision(models.Model):
    """The engine's decide_exam for one candidate, reviewed and signed off by the examensecretaris.
    A signed-off decision is immutable; a correction is a new decision with its reason.

    Every run keeps what came before: a new decision points at the one it replaces (`supersedes`),
    which becomes 'vervangen' (a draft, or a signed-off one after a resit) or 'gecorrigeerd' (a
    signed-off one, corrected with a reason). The current decision is the one nothing replaced."""

    student = models.ForeignKey("students.Student", on_delete=models.PROTECT, related_name="exam_decisions",
                                verbose_name="kandidaat")
    school_year = models.PositiveSmallIntegerField("examenjaar")
    regulation_id = models.CharField("regeling", max_length=50)
    outcome = models.CharField("uitslag", max_length=10, choices=ExamOutcome.choices)
    final_grades = models.JSONField("eindcijfers", default=dict)
    combination_grade = models.PositiveSmallIntegerField("combinatiecijfer", null=True, blank=True)
    left_out = models.JSONField("buiten beschouwing", default=list)
    cum_laude = models.BooleanField("cum laude", default=False)
    levels = models.JSONField("niveaus", default=dict)
    findings = models.JSONField("bevindingen", default=list)
    inputs = models.JSONField("invoer", default=dict, help_text="De gegevens waarop het besluit rust.")
    status = models.CharField("status", max_length=12, choices=DecisionStatus.choices, default=DecisionStatus.DRAFT)
    computed_at = models.DateTimeField("berekend op", auto_now_add=True)
    signed_off_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                      related_name="+", verbose_name="vastgesteld door")
    signed_off_at = models.DateTimeField("vastgesteld op", null=True, blank=True)
    supersedes = models.ForeignKey("self", on_delete=models.PROTECT, null=True, blank=True,
                                   related_name="corrections", verbose_name="corrigeert")
    correction_reason = models.TextField("reden van correctie", blank=True)
    computed_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                    related_name="+", verbose_name="berekend door")

    objects = ExamDecisionQuerySet.as_manager()
    history = HistoricalRecords(excluded_fields=DECISION_CONTENT_NOT_IN_HISTORY)
    tenancy = Tenancy(school="student__school", student="student")

    class Meta:
        verbose_name = "examenbesluit"
        verbose_name_plural = "examenbesluiten"
        ordering = ["student", "-computed_at", "-pk"]
        indexes = [models.Index(fields=["school_year", "status"])]

    def __str__(self) -> str:
        return f"{self.student}: {self.get_outcome_display()} ({self.school_year})"

    @property
    def is_signed_off(self) -> bool:
        return self.status == DecisionStatus.SIGNED_OFF

    @property
    def error_findings(self) -> list[dict]:
        """The reasons the exam is not passed (the engine's findings of severity error)."""
        return [f for f in self.findings if f.get("severity") == "error"]

    @property
    def outcome_badge(self) -> str:
        """The CSS badge class of the outcome (ok / err / warn)."""
        return {ExamOutcome.PASSED: "ok", ExamOutcome.FAILED: "err"}.get(self.outcome, "warn")

    @property
    def status_badge(self) -> str:
        return {DecisionStatus.SIGNED_OFF: "ok", DecisionStatus.CORRECTED: "warn"}.get(self.status, "plain")

    def save(self, *args, **kwargs):
        if self.pk is not None:
            fields = kwargs.get("update_fields")
            content = _content_attnames()
            stored = ExamDecision.objects.filter(pk=self.pk).values("status", *content).first()
            if stored is not None:
                written = content if fields is None else [a for a in content if a in fields
                                                          or a.removesuffix("_id") in fields]
                if any(_as_stored(getattr(self, a)) != _as_stored(stored[a]) for a in written):
                    raise DecisionContentFixed()
                if stored["status"] != DecisionStatus.DRAFT:
                    only_status = fields is not None and set(fields) == {"status"}
                    if not (stored["status"] == DecisionStatus.SIGNED_OFF and only_status
                            and self.status in SIGNED_OFF_EXITS):
                        raise DecisionSignedOff()
        super().save(*args, **kwargs)

    def delete(self, *args, **kwargs):
        if self.status != DecisionStatus.DRAFT:
            raise DecisionSignedOff()
        return super().delete(*args, **kwargs)


def _as_stored(value):
    """A value as the database gives it back (JSON: tuples become lists), to compare with a stored one."""
    return json.loads(json.dumps(value)) if isinstance(value, (dict, list, tuple)) else value


class RouteKind(models.TextChoices):
    CONTINUOUS = "continuous", "doorlopende leerroute"
    INTEGRATED = "integrated", "geïntegreerde route"


class ContinuousRoute(models.Model):
    """A route from vmbo to an mbo qualification (Wet doorlopende leerroutes vo-mbo)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="routes",
                               verbose_name="vmbo-school")
    mbo_college = models.ForeignKey("schools.Partner", on_delete=models.PROTECT, related_name="routes",
                                    verbose_name="mbo-instelling")
    qualification = models.ForeignKey("catalog.MboQualification", on_delete=models.PROTECT, related_name="routes",
                                      verbose_name="mbo-kwalificatie")
    kind = models.CharField("soort route", max_length=12, choices=RouteKind.choices)
    five_year = models.BooleanField("vijfjarig vmbo", default=False)
    name = models.CharField("naam", max_length=200)
    modules = models.ManyToManyField("catalog.Module", blank=True, related_name="routes",
                                     verbose_name="modulen die meetellen")
    students = models.ManyToManyField("students.Student", blank=True, related_name="routes",
                                      verbose_name="leerlingen")
    description = models.TextField("omschrijving", blank=True)

    tenancy = Tenancy(school="school")

    class Meta:
        verbose_name = "doorlopende leerroute"
        verbose_name_plural = "doorlopende leerroutes"
        ordering = ["school", "name"]

    def __str__(self) -> str:
        return self.name

    @property
    def starting_qualification(self) -> bool:
        return self.qualification.is_starting_qualification


class SchoolKey(models.Model):
    """The school's signing key for module credentials (Open Badges 3.0).

    `private_jwk` is the Ed25519 private key as a JWK, or, when MAATWERK_CREDENTIAL_KEY is set, that
    JWK encrypted with it ({"enc": "fernet", "token": ...}; see docs/credentials.md). Nobody but an
    operator can read a key through the scoping (no staff role)."""

    school = models.ForeignKey("schools.School", on_delete=models.CASCADE, related_name="keys")
    kid = models.CharField(max_length=100, unique=True)
    algorithm = models.CharField(max_length=10, default="EdDSA")
    private_jwk = models.JSONField()
    public_jwk = models.JSONField()
    created_at = models.DateTimeField(auto_now_add=True)
    active = models.BooleanField(default=True)

    tenancy = Tenancy(school="school", staff_roles=frozenset())

    class Meta:
        verbose_name = "sleutel"
        verbose_name_plural = "sleutels"

    def __str__(self) -> str:
        return f"Sleutel {self.kid}"


class ModuleCredential(models.Model):
    """An OpenBadgeCredential for a completed module."""

    id = models.UUIDField(primary_key=True, default=uuid.uuid4, editable=False)
    student = models.ForeignKey("students.Student", on_delete=models.CASCADE, related_name="credentials")
    module_version = models.ForeignKey("catalog.ModuleVersion", on_delete=models.PROTECT, related_name="+")
    module_result = models.ForeignKey("assessment.ModuleResult", on_delete=models.SET_NULL, null=True,
                                      related_name="credentials")
    key = models.ForeignKey(SchoolKey, on_delete=models.PROTECT, related_name="credentials")
    issued_at = models.DateTimeField(auto_now_add=True)
    credential = models.JSONField("credential")
    jwt = models.TextField("ondertekende credential (VC-JWT)")
    revoked_at = models.DateTimeField("ingetrokken op", null=True, blank=True)
    revocation_reason = models.TextField("reden van intrekking", blank=True)
    revoked_by = models.ForeignKey(settings.AUTH_USER_MODEL, on_delete=models.SET_NULL, null=True, blank=True,
                                   related_name="+", verbose_name="ingetrokken door")
    subject_id = models.CharField("pseudoniem van de leerling", max_length=100, blank=True,
                                  help_text="credentialSubject.id: een willekeurige urn:uuid, geen naam of nummer.")
    status_index = models.PositiveIntegerField("plaats in de statuslijst", null=True, blank=True)
    grade = models.DecimalField("cijfer bij uitgifte", max_digits=3, decimal_places=1, null=True, blank=True)

    history = HistoricalRecords()
    tenancy = Tenancy(school="student__school", student="student")

    class Meta:
        verbose_name = "modulecertificaat"
        verbose_name_plural = "modulecertificaten"
        ordering = ["-issued_at"]

    def __str__(self) -> str:
        return f"Certificaat {self.module_version} voor {self.student}"

    @property
    def is_revoked(self) -> bool:
        return self.revoked_at is not None
