"""Tenancy: the ONE place that decides which rows a user may see.

Every model that pages or the API show declares a `tenancy = Tenancy(...)` class attribute:
the lookup path to the school that owns the row, to the student the row is about, and who
else may read it. `visible_to(user, queryset)` turns the user's memberships into a filter;
every page, endpoint, export and selector calls it (directly or through a selector).
A model without a declaration raises, so a new model cannot be shown unscoped by accident.

Rules:
* anonymous visitors see only `public` rows;
* school staff (schoolleider, examensecretaris, decaan, mentor, docent) see rows of the
  schools where they have one of `staff_roles`;
* a leerling sees rows about themself; an ouder rows about their own child (`student` path);
* an externe beoordelaar sees only rows assigned to them (`assessor` path);
* a proposer sees rows of their own school or platform (`proposer_school`/`platform` paths);
* the landelijk beheerder sees national rows (`steward=True`), never a school's personal data;
* a superuser (operator) sees everything.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from functools import reduce
from operator import or_
from typing import TYPE_CHECKING

from django.core.exceptions import ImproperlyConfigured
from django.db.models import Model, Q, QuerySet
from django.http import Http404

from .models import SCHOOL_STAFF_ROLES, STUDENT_ROLES, Membership, Role

if TYPE_CHECKING:  # pragma: no cover
    from .models import User


@dataclass(frozen=True)
class Tenancy:
    school: str | None = None
    student: str | None = None
    public: bool = False
    public_filter: Q | None = None
    staff_roles: frozenset[str] = field(default_factory=lambda: SCHOOL_STAFF_ROLES)
    students_see: bool = True
    assessor: str | None = None
    steward: bool = False
    platform: str | None = None
    proposer_school: str | None = None


class RoleSet:
    """The active memberships of one user, loaded once per request."""

    def __init__(self, memberships: list[Membership]):
        self.memberships = memberships
        self.roles = {m.role for m in memberships}

    def schools(self, roles=None) -> set[int]:
        roles = SCHOOL_STAFF_ROLES if roles is None else roles
        return {m.school_id for m in self.memberships if m.role in roles and m.school_id}

    def students(self, roles=STUDENT_ROLES) -> set[int]:
        return {m.student_id for m in self.memberships if m.role in roles and m.student_id}

    def platforms(self) -> set[int]:
        return {m.platform_id for m in self.memberships if m.role == Role.PROPOSER and m.platform_id}

    def proposer_schools(self) -> set[int]:
        return {m.school_id for m in self.memberships if m.role == Role.PROPOSER and m.school_id}

    def partners(self) -> set[int]:
        return {m.partner_id for m in self.memberships if m.role == Role.EXTERNAL_ASSESSOR}

    def has(self, *roles: str, school_id: int | None = None) -> bool:
        return any(
            m.role in roles and (school_id is None or m.school_id == school_id) for m in self.memberships
        )

    @property
    def is_steward(self) -> bool:
        return Role.STEWARD in self.roles

    @property
    def is_staff_member(self) -> bool:
        return bool(self.roles & SCHOOL_STAFF_ROLES)


def roles_of(user) -> RoleSet:
    """The user's active memberships, cached on the user object for the request."""
    if not getattr(user, "is_authenticated", False):
        return RoleSet([])
    cached = getattr(user, "_maatwerk_roleset", None)
    if cached is None:
        cached = RoleSet(list(Membership.objects.active().filter(user=user)))
        user._maatwerk_roleset = cached
    return cached


def forget_roles(user) -> None:
    if hasattr(user, "_maatwerk_roleset"):
        del user._maatwerk_roleset


def tenancy_of(model: type[Model]) -> Tenancy:
    tenancy = getattr(model, "tenancy", None)
    if not isinstance(tenancy, Tenancy):
        raise ImproperlyConfigured(f"{model.__name__} declares no Tenancy: it cannot be shown to users.")
    return tenancy


def visibility_q(user: User, model: type[Model]) -> Q | None:
    """The filter for `model` rows that `user` may read; None means "everything"."""
    t = tenancy_of(model)
    if t.public and t.public_filter is None:
        return None
    parts: list[Q] = []
    if t.public:
        parts.append(t.public_filter)
    if not getattr(user, "is_authenticated", False):
        return reduce(or_, parts) if parts else Q(pk__in=[])
    if user.is_superuser:
        return None
    rs = roles_of(user)
    if t.steward and rs.is_steward:
        return None
    if t.school:
        schools = rs.schools(t.staff_roles)
        if schools:
            parts.append(Q(**{f"{t.school}__in": schools}))
    if t.student and t.students_see:
        students = rs.students()
        if students:
            parts.append(Q(**{f"{t.student}__in": students}))
    if t.assessor and Role.EXTERNAL_ASSESSOR in rs.roles:
        parts.append(Q(pk__in=model._default_manager.filter(**{t.assessor: user}).values("pk")))
    if t.platform and rs.platforms():
        parts.append(Q(**{f"{t.platform}__in": rs.platforms()}))
    if t.proposer_school and rs.proposer_schools():
        parts.append(Q(**{f"{t.proposer_school}__in": rs.proposer_schools()}))
    if not parts:
        return Q(pk__in=[])
    return reduce(or_, parts)


def visible_to(user, qs: QuerySet | type[Model]) -> QuerySet:
    """Scope a queryset (or a model's default manager) to what `user` may read."""
    if not isinstance(qs, QuerySet):
        qs = qs._default_manager.all()
    q = visibility_q(user, qs.model)
    if q is None:
        return qs
    return qs.filter(q)


def get_visible_or_404(user, qs: QuerySet | type[Model], **lookup):
    """One object the user may read, or 404 (never 403: we do not reveal that it exists)."""
    scoped = visible_to(user, qs)
    try:
        return scoped.get(**lookup)
    except scoped.model.DoesNotExist as exc:
        raise Http404("Niet gevonden.") from exc
    except (ValueError, TypeError) as exc:  # a malformed id in the URL
        raise Http404("Niet gevonden.") from exc


def _follow(obj, path: str):
    if path == "pk":
        return obj
    for attr in path.split("__"):
        obj = getattr(obj, attr)
        if obj is None:
            return None
    return obj


def _follow_id(obj, path: str) -> int | None:
    """The pk at the end of a Tenancy path: the last step's foreign key id where it is one (so the school
    of a result's student is not loaded to learn its id), else the object's pk."""
    head, _, last = path.rpartition("__")
    owner = _follow(obj, head) if head else obj
    if owner is None:
        return None
    field = owner._meta.get_field(last)
    if field.many_to_one and field.concrete:
        return getattr(owner, field.attname)
    target = getattr(owner, last)
    return target.pk if target is not None else None


def school_id_of(obj) -> int | None:
    """The id of the school that owns `obj`, following its Tenancy path."""
    t = tenancy_of(type(obj))
    if not t.school:
        return None
    if t.school == "pk":
        return obj.pk
    if "__" not in t.school:
        return getattr(obj, f"{t.school}_id")
    return _follow_id(obj, t.school)


def student_id_of(obj) -> int | None:
    t = tenancy_of(type(obj))
    if not t.student:
        return None
    if t.student == "pk":
        return obj.pk
    if "__" not in t.student:
        return getattr(obj, f"{t.student}_id")
    return _follow_id(obj, t.student)
