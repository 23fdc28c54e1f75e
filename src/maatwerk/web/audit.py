"""The audit trail: every change to a result, decision, programme, PTA, published module ... is kept
by django-simple-history (who, when, old, new). These pages show it, read-only:

* school-owned records (results, decisions, programmes, PTA's ...): the examensecretaris and the
  schoolleider of that school;
* national records (modules, versions, reviews, proposals): the landelijk beheerder.

There is no way to change or delete a history record through Maatwerk: no view, no API, no admin.
"""

from __future__ import annotations

from django.apps import apps
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import get_object_or_404, render
from django.urls import reverse
from django.views.decorators.http import require_safe

from maatwerk.accounts.models import Role
from maatwerk.accounts.scoping import get_visible_or_404, roles_of, school_id_of, tenancy_of

SCHOOL_AUDITORS = (Role.EXAM_SECRETARY, Role.SCHOOL_LEADER)
TYPE_LABELS = {"+": "aangemaakt", "~": "gewijzigd", "-": "verwijderd"}


def audited_model(app_label: str, model_name: str):
    try:
        model = apps.get_model(app_label, model_name)
    except LookupError as exc:
        raise Http404("Onbekend soort gegevens.") from exc
    if not hasattr(model, "history") or getattr(model, "tenancy", None) is None:
        raise Http404("Van deze gegevens wordt geen geschiedenis bijgehouden.")
    return model


def may_read_history(user, obj) -> bool:
    if user.is_superuser:
        return True
    tenancy = tenancy_of(type(obj))
    if tenancy.school:
        return roles_of(user).has(*SCHOOL_AUDITORS, school_id=school_id_of(obj))
    return roles_of(user).is_steward


def history_url(user, obj) -> str | None:
    """The history page of `obj`, or None when `user` may not read it."""
    if not hasattr(type(obj), "history") or not may_read_history(user, obj):
        return None
    return reverse("audit", args=[obj._meta.app_label, obj._meta.model_name, obj.pk])


def _display(value) -> str:
    if value is None or value == "":
        return "—"
    if isinstance(value, bool):
        return "ja" if value else "nee"
    return str(value)


def _entries(records, model) -> list[dict]:
    fields = {f.attname: f for f in model._meta.concrete_fields}
    entries = []
    for i, record in enumerate(records):
        previous = records[i + 1] if i + 1 < len(records) else None
        changes = []
        if previous is not None and record.history_type == "~":
            delta = record.diff_against(previous, foreign_keys_are_objs=False)
            for change in delta.changes:
                field = fields.get(change.field) or model._meta.get_field(change.field)
                changes.append({"field": str(getattr(field, "verbose_name", change.field)),
                                "old": _display(change.old), "new": _display(change.new)})
        elif record.history_type == "+":
            for attname, field in fields.items():
                if attname in {"id"}:
                    continue
                value = getattr(record, attname, None)
                if value not in (None, "", [], {}):
                    changes.append({"field": str(field.verbose_name), "old": "—", "new": _display(value)})
        entries.append({
            "when": record.history_date,
            "who": record.history_user.full_name or record.history_user.email if record.history_user_id else
            "systeem (import of opdracht)",
            "type": TYPE_LABELS.get(record.history_type, record.history_type),
            "reason": record.history_change_reason or "",
            "changes": changes,
        })
    return entries


@login_required
@require_safe
def history(request, app_label: str, model_name: str, pk: str):
    model = audited_model(app_label, model_name)
    if tenancy_of(model).school:
        obj = get_visible_or_404(request.user, model, pk=pk)
    else:
        obj = get_object_or_404(model._default_manager, pk=pk)
    if not may_read_history(request.user, obj):
        raise PermissionDenied("Alleen de examensecretaris, de schoolleider of het landelijk beheer ziet de geschiedenis.")
    records = list(obj.history.select_related("history_user").order_by("-history_date", "-history_id")[:501])
    page = Paginator(_entries(records, model), 50).get_page(request.GET.get("pagina"))
    return render(request, "web/audit.html", {
        "object": obj, "model_label": model._meta.verbose_name, "page": page, "truncated": len(records) > 500,
    })
