"""Users, organisations and memberships: who works where, in which role.

Login is by e-mail address. A person's rights come from their `Membership`s: each one ties
the user to ONE organisation of the kind that the role belongs to:

* landelijk beheerder (steward): the national menukaart; no school.
* indiener (proposer): a school OR a national platform (Platform BWI, Platform TL, ...).
* schoolleider, examensecretaris, decaan, mentor, docent: a school.
* externe beoordelaar: a partner organisation (company, mbo college) of a school.
* leerling, ouder: a school AND one student (their own record, or their child's).

The database enforces these combinations (CheckConstraint), so a membership can never
point a role at the wrong kind of organisation.
"""

from __future__ import annotations

from django.contrib.auth.base_user import AbstractBaseUser, BaseUserManager
from django.contrib.auth.models import PermissionsMixin
from django.db import models
from django.db.models import Q
from django.utils import timezone


class Role(models.TextChoices):
    STEWARD = "steward", "Landelijk beheerder"
    PROPOSER = "proposer", "Indiener"
    SCHOOL_LEADER = "school_leader", "Schoolleider"
    EXAM_SECRETARY = "exam_secretary", "Examensecretaris"
    COUNSELLOR = "counsellor", "Decaan / LOB-coördinator"
    MENTOR = "mentor", "Mentor"
    TEACHER = "teacher", "Docent"
    EXTERNAL_ASSESSOR = "external_assessor", "Externe beoordelaar"
    STUDENT = "student", "Leerling"
    PARENT = "parent", "Ouder/verzorger"


#: Staff of a school: they see the school's students and their data.
SCHOOL_STAFF_ROLES = frozenset(
    {Role.SCHOOL_LEADER, Role.EXAM_SECRETARY, Role.COUNSELLOR, Role.MENTOR, Role.TEACHER}
)
#: Roles tied to one student.
STUDENT_ROLES = frozenset({Role.STUDENT, Role.PARENT})
#: Roles that must log in with a second factor (issue: security and privacy).
STAFF_ROLES = SCHOOL_STAFF_ROLES | {Role.STEWARD, Role.PROPOSER, Role.EXTERNAL_ASSESSOR}


class UserManager(BaseUserManager):
    use_in_migrations = True

    def _create_user(self, email, password, **extra):
        if not email:
            raise ValueError("Een e-mailadres is verplicht.")
        email = self.normalize_email(email).lower()
        user = self.model(email=email, **extra)
        user.set_password(password)
        user.save(using=self._db)
        return user

    def create_user(self, email, password=None, **extra):
        extra.setdefault("is_staff", False)
        extra.setdefault("is_superuser", False)
        return self._create_user(email, password, **extra)

    def create_superuser(self, email, password=None, **extra):
        extra.setdefault("is_staff", True)
        extra.setdefault("is_superuser", True)
        return self._create_user(email, password, **extra)

    def get_by_natural_key(self, email):
        return self.get(email__iexact=email)


class User(AbstractBaseUser, PermissionsMixin):
    email = models.EmailField("e-mailadres", unique=True)
    first_name = models.CharField("voornaam", max_length=100, blank=True)
    infix = models.CharField("tussenvoegsel", max_length=30, blank=True)
    last_name = models.CharField("achternaam", max_length=150, blank=True)
    is_active = models.BooleanField("actief", default=True)
    is_staff = models.BooleanField(
        "toegang tot beheer", default=False, help_text="Mag inloggen op de Django-beheeromgeving."
    )
    date_joined = models.DateTimeField("aangemaakt", default=timezone.now)

    objects = UserManager()

    USERNAME_FIELD = "email"
    EMAIL_FIELD = "email"
    REQUIRED_FIELDS: list[str] = []

    class Meta:
        verbose_name = "gebruiker"
        verbose_name_plural = "gebruikers"
        ordering = ["last_name", "first_name", "email"]

    def __str__(self) -> str:
        return self.full_name or self.email

    @property
    def full_name(self) -> str:
        return " ".join(part for part in (self.first_name, self.infix, self.last_name) if part)

    def get_full_name(self) -> str:
        return self.full_name

    def get_short_name(self) -> str:
        return self.first_name or self.email


class Platform(models.Model):
    """A national platform that may propose modules (Platform BWI, Platform TL, ...)."""

    code = models.SlugField("code", max_length=30, unique=True)
    name = models.CharField("naam", max_length=200)

    class Meta:
        verbose_name = "platform"
        verbose_name_plural = "platforms"
        ordering = ["name"]

    def __str__(self) -> str:
        return self.name


class MembershipQuerySet(models.QuerySet):
    def active(self, on=None):
        on = on or timezone.localdate()
        return self.filter(Q(starts_on__lte=on) | Q(starts_on__isnull=True)).filter(
            Q(ends_on__gte=on) | Q(ends_on__isnull=True)
        )


class Membership(models.Model):
    user = models.ForeignKey(User, on_delete=models.CASCADE, related_name="memberships", verbose_name="gebruiker")
    role = models.CharField("rol", max_length=30, choices=Role.choices)
    school = models.ForeignKey(
        "schools.School", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name="school",
    )
    platform = models.ForeignKey(
        Platform, on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name="platform",
    )
    partner = models.ForeignKey(
        "schools.Partner", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name="partnerorganisatie",
    )
    student = models.ForeignKey(
        "students.Student", on_delete=models.CASCADE, null=True, blank=True, related_name="memberships",
        verbose_name="leerling",
    )
    starts_on = models.DateField("vanaf", null=True, blank=True)
    ends_on = models.DateField("tot en met", null=True, blank=True)
    created_at = models.DateTimeField(auto_now_add=True)

    objects = MembershipQuerySet.as_manager()

    class Meta:
        verbose_name = "lidmaatschap"
        verbose_name_plural = "lidmaatschappen"
        constraints = [
            models.CheckConstraint(
                name="membership_role_organisation",
                condition=(
                    Q(role=Role.STEWARD, school__isnull=True, platform__isnull=True, partner__isnull=True,
                      student__isnull=True)
                    | Q(role=Role.PROPOSER, partner__isnull=True, student__isnull=True)
                    & (Q(school__isnull=False, platform__isnull=True) | Q(school__isnull=True, platform__isnull=False))
                    | Q(role__in=sorted(SCHOOL_STAFF_ROLES), school__isnull=False, platform__isnull=True,
                        partner__isnull=True, student__isnull=True)
                    | Q(role=Role.EXTERNAL_ASSESSOR, school__isnull=False, partner__isnull=False,
                        platform__isnull=True, student__isnull=True)
                    | Q(role__in=sorted(STUDENT_ROLES), school__isnull=False, student__isnull=False,
                        platform__isnull=True, partner__isnull=True)
                ),
                violation_error_message="Deze rol hoort bij een ander soort organisatie.",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "school"],
                condition=Q(role__in=sorted(SCHOOL_STAFF_ROLES)),
                name="membership_unique_staff",
            ),
            models.UniqueConstraint(
                fields=["user", "role", "student"],
                condition=Q(student__isnull=False),
                name="membership_unique_student",
            ),
        ]
        indexes = [models.Index(fields=["user", "role"])]

    def __str__(self) -> str:
        org = self.school or self.platform or self.partner or "landelijk"
        return f"{self.user} — {self.get_role_display()} ({org})"
