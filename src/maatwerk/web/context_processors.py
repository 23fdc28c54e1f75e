"""The navigation: one list of destinations, each shown to the roles that use it."""

from __future__ import annotations

from django.urls import NoReverseMatch, reverse

from maatwerk.accounts.models import Role
from maatwerk.accounts.scoping import roles_of

ALL = None
STAFF = {Role.SCHOOL_LEADER, Role.EXAM_SECRETARY, Role.COUNSELLOR, Role.MENTOR, Role.TEACHER}

#: (label, url name, roles that see it; None = everybody, "auth" = every logged-in user)
NAVIGATION: list[tuple[str, str, object]] = [
    ("Menukaart", "catalog:list", ALL),
    ("Kern", "kern:detail", ALL),
    ("Voorstellen", "catalog:proposals", {Role.STEWARD, Role.PROPOSER}),
    ("Beheer menukaart", "catalog:steward", {Role.STEWARD}),
    ("Aanbod", "schools:offering", {Role.SCHOOL_LEADER, Role.COUNSELLOR}),
    ("Lesgroepen", "schools:groups", {Role.TEACHER, Role.MENTOR}),
    ("Leerlingen", "students:list", STAFF),
    ("PTA", "assessment:pta_list", {Role.SCHOOL_LEADER, Role.EXAM_SECRETARY}),
    ("Mijn programma", "students:my_programme", {Role.STUDENT}),
    ("Mijn kind", "students:my_children", {Role.PARENT}),
    ("Cijfers", "assessment:gradebooks", {Role.TEACHER, Role.EXAM_SECRETARY, Role.SCHOOL_LEADER}),
    ("Beoordelen", "assessment:assessor_home", {Role.EXTERNAL_ASSESSOR}),
    ("Resultaten", "assessment:my_results", {Role.STUDENT, Role.PARENT}),
    ("Examen", "diploma:decisions", {Role.EXAM_SECRETARY, Role.SCHOOL_LEADER}),
    ("Diploma", "diploma:mine", {Role.STUDENT, Role.PARENT}),
    ("Inzicht", "insight:national", {Role.STEWARD}),
    ("Inzicht", "insight:school_redirect", {Role.SCHOOL_LEADER, Role.COUNSELLOR, Role.EXAM_SECRETARY}),
]


def _url(name: str) -> str | None:
    try:
        return reverse(name)
    except NoReverseMatch:
        return None


def navigation(request):
    user = getattr(request, "user", None)
    roles = roles_of(user).roles if user is not None else set()
    items = []
    path = request.path
    for label, name, who in NAVIGATION:
        if who is not ALL and not (roles & who or (user is not None and user.is_superuser)):
            continue
        url = _url(name)
        if url is None:
            continue
        if any(item["label"] == label for item in items):
            continue  # one entry per label (e.g. a steward who is also a schoolleider)
        items.append({"label": label, "url": url, "active": False})
    # the current page belongs to the item with the longest matching URL (/menukaart/beheer/ is
    # "Beheer menukaart", not "Menukaart")
    matches = [item for item in items if path.startswith(item["url"]) and item["url"] != "/"]
    if matches:
        max(matches, key=lambda item: len(item["url"]))["active"] = True
    role_labels = sorted({Role(r).label for r in roles})
    return {"nav_items": items, "user_role_labels": role_labels}
