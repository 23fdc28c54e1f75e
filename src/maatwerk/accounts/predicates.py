"""Permission predicates (django-rules). Object checks go through the model's Tenancy, so
"of this school" means the same here as in `scoping.visible_to`.

Apps register their permissions here, in one place, so the policy table
(`accounts/policy.py`) and the predicates stay side by side.
"""

from __future__ import annotations

from django.core.exceptions import PermissionDenied

import rules

from .models import SCHOOL_STAFF_ROLES, Role
from .scoping import roles_of, school_id_of, student_id_of


@rules.predicate
def is_steward(user) -> bool:
    return roles_of(user).is_steward


@rules.predicate
def is_proposer(user) -> bool:
    return Role.PROPOSER in roles_of(user).roles


def has_school_role(*roles: str, name: str | None = None):
    """True when the user holds one of `roles` at the school that owns the object (or, without an
    object, at any school)."""
    roles_set = frozenset(roles)

    @rules.predicate(name=name or f"has_school_role({','.join(sorted(roles_set))})")
    def predicate(user, obj=None) -> bool:
        rs = roles_of(user)
        if obj is None:
            return bool(rs.schools(roles_set))
        return school_id_of(obj) in rs.schools(roles_set)

    return predicate


@rules.predicate
def is_school_staff(user, obj=None) -> bool:
    rs = roles_of(user)
    if obj is None:
        return rs.is_staff_member
    return school_id_of(obj) in rs.schools(SCHOOL_STAFF_ROLES)


@rules.predicate
def is_own_student(user, obj) -> bool:
    """The user is the student the object is about."""
    return obj is not None and student_id_of(obj) in roles_of(user).students({Role.STUDENT})


@rules.predicate
def is_parent_of_student(user, obj) -> bool:
    return obj is not None and student_id_of(obj) in roles_of(user).students({Role.PARENT})


is_school_leader = has_school_role(Role.SCHOOL_LEADER, name="is_school_leader")
is_exam_secretary = has_school_role(Role.EXAM_SECRETARY, name="is_exam_secretary")
is_counsellor = has_school_role(Role.COUNSELLOR, name="is_counsellor")
is_mentor = has_school_role(Role.MENTOR, name="is_mentor")
is_teacher = has_school_role(Role.TEACHER, name="is_teacher")
is_guidance = has_school_role(Role.MENTOR, Role.COUNSELLOR, name="is_guidance")
is_school_management = has_school_role(Role.SCHOOL_LEADER, Role.COUNSELLOR, name="is_school_management")
is_superuser = rules.is_superuser

# --- kern ---
rules.add_perm("kern.change_framework", is_steward | is_superuser)


def require(user, perm: str, obj=None) -> None:
    """Raise PermissionDenied (403, with a Dutch message) unless the user has `perm`."""
    if not user.has_perm(perm, obj):
        raise PermissionDenied("U heeft geen toestemming voor deze handeling.")
