"""The insight API (/api/v1/insight/): every dashboard and the what-if as JSON, scoped like the pages.

| endpoint | who |
|---|---|
| `GET national/` | landelijk beheerder |
| `GET schools/{brin}/` | schoolleider, decaan, examensecretaris of that school (others of the school: 403; else 404) |
| `GET what-if/` | landelijk beheerder: the parameters that can change, with their current values |
| `POST what-if/` | landelijk beheerder: compute `{"regulation": "spv-modulair", "overrides": {"min_units.KB": 7}}` |
| `GET scenarios/`, `POST scenarios/` | landelijk beheerder: saved scenarios (a POST computes and saves) |
| `GET scenarios/compare/?ids=1,2` | landelijk beheerder: scenarios side by side |

Counts are given as ``{"value": 12, "text": "12", "suppressed": null}``; a suppressed count has value null,
text "<5" (or "•" for a complementary cell) and suppressed "primary"/"secondary".
"""

from __future__ import annotations

from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field
from rest_framework import mixins, permissions, serializers, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.views import APIView

from maatwerk.accounts.scoping import get_visible_or_404
from maatwerk.schools.models import School
from maatwerk.web.api import ApiError

from . import whatif
from .models import Scenario
from .views import national_data, school_data


class StewardOnly(permissions.BasePermission):
    """Logged in (else 401/403) and allowed to run what-if (else 403), for every method."""

    def has_permission(self, request, view):
        return bool(request.user and request.user.is_authenticated and request.user.has_perm(view.perm))


def _cell(c) -> dict:
    return {"value": c.value, "text": c.text, "suppressed": c.hidden}


def _small(n: int) -> dict:
    from .suppress import min_cell

    if 0 < n < min_cell():
        return {"value": None, "text": f"<{min_cell()}", "suppressed": "primary"}
    return {"value": n, "text": str(n), "suppressed": None}


def block_json(block) -> dict | None:
    if block is None:
        return None
    t = block.table
    return {
        "title": block.title, "total": block.total, "changed": _cell(block.changed),
        "states": [c.removeprefix("daarna ") for c in t.cols],
        "transitions": [{"now": r.removeprefix("nu "), "cells": [_cell(c) for c in t.cells[i]],
                         "total_now": _cell(t.row_totals[i])} for i, r in enumerate(t.rows)],
        "totals_after": [_cell(c) for c in t.col_totals],
        "codes_added": [{"code": c, "count": n, "text": text} for c, n, text in block.codes_added],
        "codes_removed": [{"code": c, "count": n, "text": text} for c, n, text in block.codes_removed],
    }


def presented_json(p) -> dict:
    s = p.summary
    return {
        "regulation": s["regulation"], "overrides": s["overrides"], "exam_year": s["exam_year"],
        "computed_on": s.get("computed_on"), "students_changed": p.students_changed_text,
        "programmes": block_json(p.programmes), "exam": block_json(p.exam),
        "removal": {**{k: v for k, v in s["removal"].items() if k not in ("programmes", "programmes_affected")},
                    "programmes_affected": _small(s["removal"].get("programmes_affected", 0)),
                    "programmes": block_json(p.removal)},
        "module_size": s["module_size"], "chart_alt": p.chart.alt,
    }


class NationalView(APIView):
    permission_classes = [StewardOnly]
    perm = "insight.view_national"

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="Het landelijke dashboard (alleen totalen)")
    def get(self, request):
        return Response(national_data().as_json())


class SchoolDashboardView(APIView):
    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="Het dashboard van één school (alleen totalen)")
    def get(self, request, brin: str):
        school = get_visible_or_404(request.user, School, brin=brin.upper())
        if not request.user.has_perm("insight.view_school", school):
            raise ApiError("permission_denied", "Het schooldashboard is voor de schoolleider, decaan en "
                           "examensecretaris.", "The school dashboard is for the school leader, counsellor and "
                           "exam secretary.", 403)
        return Response(school_data(school).as_json())


class WhatIfRequest(serializers.Serializer):
    regulation = serializers.CharField(default=whatif.DEFAULT_REGULATION)
    overrides = serializers.DictField(child=serializers.CharField(allow_blank=True), required=False, default=dict)


class ScenarioRequest(WhatIfRequest):
    name = serializers.CharField(max_length=200)
    note = serializers.CharField(required=False, allow_blank=True, default="")


def _overrides(data) -> tuple:
    try:
        reg = whatif.regulation(data["regulation"])
        return reg, whatif.parse_overrides(reg, data.get("overrides") or {})
    except whatif.WhatIfInvalid as exc:
        raise ApiError("insight_whatif_invalid", " ".join(exc.errors.values()),
                       "A parameter value is not valid; nothing was computed or saved.", 400,
                       details=exc.errors) from None


class WhatIfView(APIView):
    permission_classes = [StewardOnly]
    perm = "insight.run_what_if"

    @extend_schema(responses=OpenApiTypes.OBJECT, summary="De parameters die een wat-als kan veranderen")
    def get(self, request):
        reg = whatif.regulation()
        current = whatif.current_values(reg)
        return Response({"regulation": reg.id, "exam_year": whatif.latest_exam_year(reg.id), "parameters": [
            {"key": p.key, "label": p.label, "kind": p.kind, "help": p.help, "current": current[p.key]}
            for p in whatif.PARAMETERS]})

    @extend_schema(request=WhatIfRequest, responses=OpenApiTypes.OBJECT,
                   summary="Bereken een wat-als over de echte gegevens (bewaart niets)")
    def post(self, request):
        body = WhatIfRequest(data=request.data)
        body.is_valid(raise_exception=True)
        reg, overrides = _overrides(body.validated_data)
        return Response(presented_json(whatif.present(whatif.run(reg.id, overrides))))


class ScenarioSerializer(serializers.ModelSerializer):
    created_by = serializers.SerializerMethodField()
    result = serializers.SerializerMethodField()

    class Meta:
        model = Scenario
        fields = ["id", "name", "regulation_id", "overrides", "exam_year", "note", "created_by", "created_at",
                  "result"]

    def get_created_by(self, obj) -> str:
        return str(obj.created_by) if obj.created_by else ""

    @extend_schema_field(OpenApiTypes.OBJECT)
    def get_result(self, obj):
        return presented_json(whatif.present(obj.summary))


class ScenarioViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [StewardOnly]
    perm = "insight.run_what_if"
    serializer_class = ScenarioSerializer
    queryset = Scenario.objects.select_related("created_by")
    filter_backends: list = []

    @extend_schema(request=ScenarioRequest, responses={201: ScenarioSerializer},
                   summary="Bereken en bewaar een scenario")
    def create(self, request):
        body = ScenarioRequest(data=request.data)
        body.is_valid(raise_exception=True)
        reg, overrides = _overrides(body.validated_data)
        scenario = whatif.save_scenario(by=request.user, name=body.validated_data["name"], regulation_id=reg.id,
                                        overrides=overrides, note=body.validated_data["note"])
        return Response(ScenarioSerializer(scenario).data, status=201)

    @extend_schema(parameters=[OpenApiParameter("ids", str, description="Komma-gescheiden id's, ten minste twee",
                                                required=True)],
                   responses=OpenApiTypes.OBJECT, summary="Scenario's naast elkaar")
    @action(detail=False, methods=["get"], pagination_class=None)
    def compare(self, request):
        ids = [int(i) for i in (request.query_params.get("ids") or "").split(",") if i.strip().isdigit()]
        found = Scenario.objects.select_related("created_by").in_bulk(ids)
        chosen = [found[i] for i in dict.fromkeys(ids) if i in found]
        if len(chosen) < 2:
            raise ApiError("insight_compare_needs_two", "Kies ten minste twee bewaarde scenario's (?ids=1,2).",
                           "Choose at least two saved scenarios (?ids=1,2).", 400)
        data = whatif.comparison(chosen)
        return Response({"scenarios": [{"id": s.id, "name": s.name} for s in chosen],
                         "rows": [{"label": label, "values": values} for label, values in data["rows"]],
                         "chart_alt": data["chart"].alt})
