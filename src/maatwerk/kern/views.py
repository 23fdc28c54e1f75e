from __future__ import annotations

from django.db.models import Prefetch
from django.http import Http404
from django.shortcuts import get_object_or_404, render

from .models import KernArea, KernFramework, KernObjective, KernPart
from .selectors import current_framework, frameworks


def _render(request, framework):
    if framework is None:
        raise Http404("Er is nog geen kern gepubliceerd.")
    areas = list(framework.areas.all())
    parts = []
    for part in KernPart:
        part_areas = [a for a in areas if a.part == part]
        if part_areas:
            parts.append({"key": part.value, "label": part.label, "areas": part_areas,
                          "count": sum(len(a.objectives.all()) for a in part_areas)})
    return render(request, "kern/detail.html", {
        "framework": framework, "parts": parts, "versions": list(frameworks()),
        "objective_count": sum(p["count"] for p in parts),
    })


def detail(request):
    return _render(request, current_framework())


def version(request, pk: int):
    framework = get_object_or_404(
        KernFramework.objects.prefetch_related(
            Prefetch("areas", queryset=KernArea.objects.order_by("order").prefetch_related(
                Prefetch("objectives", queryset=KernObjective.objects.order_by("order"))))
        ),
        pk=pk,
    )
    return _render(request, framework)
