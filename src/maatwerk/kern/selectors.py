"""Reads of the kern shared by pages and the API."""

from __future__ import annotations

from django.db.models import Prefetch, QuerySet

from .models import FrameworkStatus, KernArea, KernFramework, KernObjective


def current_framework() -> KernFramework | None:
    """The newest published kern, with its areas and objectives in three queries."""
    return (
        KernFramework.objects.filter(status=FrameworkStatus.PUBLISHED)
        .order_by("-valid_from", "-version")
        .prefetch_related(
            Prefetch("areas", queryset=KernArea.objects.order_by("order").prefetch_related(
                Prefetch("objectives", queryset=KernObjective.objects.order_by("order"))
            ))
        )
        .first()
    )


def frameworks() -> QuerySet[KernFramework]:
    return KernFramework.objects.order_by("identifier", "-version")


def objectives_of(framework: KernFramework) -> QuerySet[KernObjective]:
    return KernObjective.objects.filter(area__framework=framework).select_related("area").order_by(
        "area__order", "order"
    )
