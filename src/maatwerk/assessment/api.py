"""`/api/v1/assessment/`: PTAs, items, rubrics, results, kern observations, module results and assessor
assignments. Scoped as the pages (selectors / visible_to): what a user may not see is a 404. Every write
goes through services.py: results with the same validation and conflict rules as the gradebook (send the
`version` you read; a stale one gets 409 `result_conflict` with the current value)."""

from __future__ import annotations

from django.db.models import Q
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiResponse, extend_schema, extend_schema_field
from rest_framework import mixins, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.permissions import IsAuthenticated
from rest_framework.response import Response

from maatwerk.accounts.scoping import visible_to
from maatwerk.web.api import ApiError

from . import selectors, services
from .grades import GradeError, format_grade
from .models import (
    AssessorAssignment,
    KernObservation,
    ModuleResult,
    Pta,
    PtaItem,
    PtaLocked,
    Result,
    Rubric,
    RubricCriterion,
)


def _api_error(exc) -> ApiError:
    if isinstance(exc, services.AssessmentError):
        return ApiError(exc.code, exc.nl, exc.en, exc.status, details=exc.details)
    if isinstance(exc, GradeError):
        return ApiError(exc.code, exc.nl, exc.en, status.HTTP_400_BAD_REQUEST)
    if isinstance(exc, PtaLocked):
        return ApiError(exc.code, exc.messages[0], "The PTA is adopted: a change needs a reason.", 409)
    raise exc


class _ServiceErrors:
    def handle_exception(self, exc):
        if isinstance(exc, services.AssessmentError | GradeError | PtaLocked):
            exc = _api_error(exc)
        return super().handle_exception(exc)


# --- serializers ---------------------------------------------------------------------------------


class RubricLevelSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    label = serializers.CharField(max_length=50)
    points = serializers.IntegerField(min_value=0)
    descriptor = serializers.CharField(allow_blank=True, required=False, default="")


class RubricCriterionSerializer(serializers.Serializer):
    id = serializers.IntegerField(read_only=True)
    text = serializers.CharField(max_length=300)
    module_objective = serializers.IntegerField(source="module_objective_id", allow_null=True, required=False)
    kern_objective = serializers.IntegerField(source="kern_objective_id", allow_null=True, required=False)
    levels = RubricLevelSerializer(many=True)


class RubricSerializer(serializers.ModelSerializer):
    criteria = RubricCriterionSerializer(many=True)
    max_points = serializers.IntegerField(read_only=True)

    class Meta:
        model = Rubric
        fields = ["id", "item", "grade_rule", "cesuur", "description", "max_points", "criteria"]
        read_only_fields = ["id", "item", "max_points"]


class RubricWriteSerializer(serializers.Serializer):
    grade_rule = serializers.ChoiceField(choices=["linear", "cesuur"], default="linear")
    cesuur = serializers.DecimalField(max_digits=4, decimal_places=3, default="0.55")
    description = serializers.CharField(allow_blank=True, required=False, default="")
    criteria = RubricCriterionSerializer(many=True)
    reason = serializers.CharField(allow_blank=True, required=False, default="",
                                   help_text="Required when the PTA is vastgesteld (WVO 2.60a); kept in the history.")


class PtaItemSerializer(serializers.ModelSerializer):
    module_versions = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    kern_objectives = serializers.PrimaryKeyRelatedField(many=True, read_only=True)
    attempts_allowed = serializers.IntegerField(read_only=True)
    has_rubric = serializers.SerializerMethodField()

    class Meta:
        model = PtaItem
        fields = ["id", "pta", "code", "title", "module_versions", "form", "result_kind", "weight", "period",
                  "deadline", "resit_allowed", "max_attempts", "attempts_allowed", "assessed_by", "partner",
                  "kern_objectives", "description", "has_rubric"]

    @extend_schema_field(OpenApiTypes.BOOL)
    def get_has_rubric(self, obj) -> bool:
        return hasattr(obj, "rubric") and obj.rubric is not None


class PtaItemWriteSerializer(serializers.Serializer):
    pta = serializers.IntegerField(required=False, help_text="On create only.")
    code = serializers.CharField(max_length=20, required=False)
    title = serializers.CharField(max_length=200, required=False)
    module_versions = serializers.ListField(child=serializers.IntegerField(), required=False)
    form = serializers.CharField(required=False)
    result_kind = serializers.CharField(required=False)
    weight = serializers.DecimalField(max_digits=5, decimal_places=2, required=False)
    period = serializers.IntegerField(allow_null=True, required=False)
    deadline = serializers.DateField(allow_null=True, required=False)
    resit_allowed = serializers.BooleanField(required=False)
    max_attempts = serializers.IntegerField(required=False)
    assessed_by = serializers.CharField(required=False)
    partner = serializers.IntegerField(allow_null=True, required=False)
    kern_objectives = serializers.ListField(child=serializers.IntegerField(), required=False)
    description = serializers.CharField(allow_blank=True, required=False)
    reason = serializers.CharField(allow_blank=True, required=False, default="",
                                   help_text="Required when the PTA is vastgesteld (WVO 2.60a); kept in the history.")


class PtaSerializer(serializers.ModelSerializer):
    leerwegen = serializers.ListField(child=serializers.CharField(), read_only=True)
    status = serializers.CharField(read_only=True, help_text="concept, adopted (vastgesteld) or published.")

    class Meta:
        model = Pta
        fields = ["id", "school", "cohort", "exam_year", "title", "leerwegen", "regulation_id", "status",
                  "adopted_by", "adopted_at", "adopted_late_reason", "published_at", "resit_rules"]
        read_only_fields = fields


class PtaDetailSerializer(PtaSerializer):
    items = PtaItemSerializer(many=True, read_only=True)

    class Meta(PtaSerializer.Meta):
        fields = [*PtaSerializer.Meta.fields, "items"]
        read_only_fields = fields


class PtaWriteSerializer(serializers.Serializer):
    school = serializers.IntegerField(required=False, help_text="On create only.")
    cohort = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    exam_year = serializers.IntegerField(required=False, min_value=2000, max_value=2100)
    title = serializers.CharField(max_length=200, required=False)
    leerwegen = serializers.ListField(child=serializers.CharField(max_length=2), required=False,
                                      help_text="BB, KB, GL and/or TL.")
    regulation_id = serializers.CharField(required=False)
    resit_rules = serializers.CharField(allow_blank=True, required=False)
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class PtaChangeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class ResultSerializer(serializers.ModelSerializer):
    qualification = serializers.CharField(read_only=True, help_text="onvoldoende, voldoende or goed; empty for a grade.")
    value = serializers.SerializerMethodField(help_text='The result as the school writes it: "6,5" or "voldoende".')

    class Meta:
        model = Result
        fields = ["id", "student", "item", "attempt", "grade", "qualification", "value", "version", "assessor",
                  "assessed_on", "comment", "rubric_scores", "updated_at"]
        read_only_fields = fields

    @extend_schema_field(OpenApiTypes.STR)
    def get_value(self, obj) -> str:
        return services.display_value(obj)


class ResultCreateSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    item = serializers.IntegerField()
    attempt = serializers.IntegerField(min_value=1, default=1)
    value = serializers.CharField(allow_blank=True, trim_whitespace=False,
                                  help_text='"6,5" or "6.5" (1,0-10,0, one decimal), or onvoldoende/voldoende/goed.')
    version = serializers.IntegerField(min_value=0, help_text="The version you read; 0 when there was no result.")
    comment = serializers.CharField(allow_blank=True, required=False)
    assessed_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class ResultUpdateSerializer(serializers.Serializer):
    value = serializers.CharField(allow_blank=True, trim_whitespace=False)
    version = serializers.IntegerField(min_value=0, help_text="The version you read (optimistic locking).")
    comment = serializers.CharField(allow_blank=True, required=False)
    assessed_on = serializers.DateField(required=False, allow_null=True)
    reason = serializers.CharField(allow_blank=True, required=False, default="")


class ResultHistorySerializer(serializers.Serializer):
    when = serializers.DateTimeField()
    who = serializers.CharField(allow_null=True)
    type = serializers.CharField()
    value = serializers.CharField()
    version = serializers.IntegerField()
    reason = serializers.CharField(allow_blank=True)


class KernObservationSerializer(serializers.ModelSerializer):
    class Meta:
        model = KernObservation
        fields = ["id", "student", "objective", "level", "item", "observed_by", "observed_on", "note"]
        read_only_fields = ["id", "observed_by"]


class ModuleResultSerializer(serializers.ModelSerializer):
    module = serializers.CharField(source="module_version.module.code", read_only=True)
    level = serializers.CharField(read_only=True, help_text="BB, KB, GL or TL: the level the module was taken at.")
    outcome = serializers.CharField(read_only=True, help_text="PASSED, FAILED or INCOMPLETE (rules.module_outcome).")

    class Meta:
        model = ModuleResult
        fields = ["id", "student", "module_version", "module", "pta", "outcome", "grade", "final_grade", "level",
                  "findings", "school_year", "computed_at"]
        read_only_fields = fields


class AssignmentSerializer(serializers.ModelSerializer):
    class Meta:
        model = AssessorAssignment
        fields = ["id", "assessor", "item", "student", "assigned_by", "assigned_at"]
        read_only_fields = ["id", "assigned_by", "assigned_at"]


def _student(user, pk):
    """A student the user may see, or (for an external assessor) one assigned to them; else 404."""
    from maatwerk.students.models import Student

    assigned = visible_to(user, AssessorAssignment).values("student_id")
    student = Student.objects.filter(Q(pk__in=visible_to(user, Student).values("pk")) | Q(pk__in=assigned),
                                     pk=pk).first()
    if student is None:
        raise Http404
    return student


CONFLICT_RESPONSE = OpenApiResponse(description="result_conflict: stale version; `details.current` holds the "
                                                "current result. Nothing was written.")
ERROR_RESPONSE = OpenApiResponse(description="grade_invalid or another business-rule code, Dutch and English.")


# --- viewsets ------------------------------------------------------------------------------------


class PtaViewSet(_ServiceErrors, mixins.CreateModelMixin, mixins.UpdateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    filterset_fields = ["cohort", "exam_year", "status", "school"]
    search_fields = ["title"]

    def get_queryset(self):
        qs = selectors.readable_ptas(self.request.user).select_related("school").order_by("-cohort", "title")
        if self.action == "retrieve":
            qs = qs.prefetch_related("items__module_versions", "items__kern_objectives", "items__rubric")
        return qs

    def get_serializer_class(self):
        if self.action in ("create", "update", "partial_update"):
            return PtaWriteSerializer
        return PtaDetailSerializer if self.action == "retrieve" else PtaSerializer

    @extend_schema(request=PtaWriteSerializer, responses={201: PtaSerializer, 400: ERROR_RESPONSE})
    def create(self, request, *args, **kwargs):
        from maatwerk.schools.models import School

        data = self._data(PtaWriteSerializer, request)
        school = visible_to(request.user, School).filter(pk=data.get("school")).first()
        if school is None:
            raise Http404
        missing = [k for k in ("cohort", "exam_year", "title", "leerwegen") if k not in data]
        if missing:
            raise ApiError("validation_error", f"Ontbreekt: {', '.join(missing)}.", f"Missing: {', '.join(missing)}.")
        pta = services.create_pta(by=request.user, school=school, cohort=data["cohort"], exam_year=data["exam_year"],
                                  title=data["title"], leerwegen=data["leerwegen"],
                                  regulation_id=data.get("regulation_id"), resit_rules=data.get("resit_rules", ""))
        return Response(PtaSerializer(pta).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PtaWriteSerializer, responses={200: PtaSerializer, 400: ERROR_RESPONSE})
    def update(self, request, *args, **kwargs):
        pta = self.get_object()
        data = self._data(PtaWriteSerializer, request)
        reason = data.pop("reason", "")
        data.pop("school", None)
        leerwegen = data.pop("leerwegen", None)
        pta = services.update_pta(by=request.user, pta=pta, reason=reason, leerwegen=leerwegen, **data)
        return Response(PtaSerializer(pta).data)

    @extend_schema(request=PtaWriteSerializer, responses={200: PtaSerializer, 400: ERROR_RESPONSE})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @staticmethod
    def _data(serializer_class, request) -> dict:
        serializer = serializer_class(data=request.data)
        serializer.is_valid(raise_exception=True)
        return dict(serializer.validated_data)

    @extend_schema(request=PtaChangeReasonSerializer, responses={200: PtaSerializer, 400: ERROR_RESPONSE})
    @action(detail=True, methods=["post"])
    def adopt(self, request, pk=None):
        data = self._data(PtaChangeReasonSerializer, request)
        pta = services.adopt_pta(by=request.user, pta=self.get_object(), reason=data.get("reason", ""))
        return Response(PtaSerializer(pta).data)

    @extend_schema(request=None, responses={200: PtaSerializer, 400: ERROR_RESPONSE})
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        pta = services.publish_pta(by=request.user, pta=self.get_object())
        return Response(PtaSerializer(pta).data)


class PtaItemViewSet(_ServiceErrors, mixins.CreateModelMixin, mixins.UpdateModelMixin, mixins.DestroyModelMixin,
                     viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    filterset_fields = ["pta", "form", "assessed_by", "code"]
    serializer_class = PtaItemSerializer

    def get_queryset(self):
        return (selectors.readable_items(self.request.user).select_related("pta", "rubric")
                .prefetch_related("module_versions", "kern_objectives").order_by("pta", "period", "code"))

    def _kwargs(self, data: dict, pta: Pta) -> dict:
        from maatwerk.catalog.models import ModuleVersion
        from maatwerk.kern.models import KernObjective
        from maatwerk.schools.models import Partner

        out = {k: v for k, v in data.items() if k not in ("pta", "reason", "module_versions", "kern_objectives")}
        if "partner" in out:
            out["partner"] = Partner.objects.filter(pk=out["partner"], school=pta.school).first() \
                if out["partner"] else None
        if "module_versions" in data:
            versions = list(ModuleVersion.objects.filter(pk__in=data["module_versions"]).select_related("module"))
            if len(versions) != len(set(data["module_versions"])):
                raise ApiError("item_invalid", "Onbekende moduleversie.", "Unknown module version.")
            out["module_versions"] = versions
        if "kern_objectives" in data:
            out["kern_objectives"] = list(KernObjective.objects.filter(pk__in=data["kern_objectives"]))
        return out

    @extend_schema(request=PtaItemWriteSerializer, responses={201: PtaItemSerializer, 400: ERROR_RESPONSE})
    def create(self, request, *args, **kwargs):
        data = PtaViewSet._data(PtaItemWriteSerializer, request)
        pta = selectors.readable_ptas(request.user).filter(pk=data.get("pta")).select_related("school").first()
        if pta is None:
            raise Http404
        item = services.save_item(by=request.user, pta=pta, reason=data.get("reason", ""),
                                  **self._kwargs(data, pta))
        return Response(PtaItemSerializer(item).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=PtaItemWriteSerializer, responses={200: PtaItemSerializer, 400: ERROR_RESPONSE})
    def update(self, request, *args, **kwargs):
        item = self.get_object()
        data = PtaViewSet._data(PtaItemWriteSerializer, request)
        item = services.save_item(by=request.user, pta=item.pta, item=item, reason=data.get("reason", ""),
                                  **self._kwargs(data, item.pta))
        return Response(PtaItemSerializer(item).data)

    @extend_schema(request=PtaItemWriteSerializer, responses={200: PtaItemSerializer, 400: ERROR_RESPONSE})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(request=PtaChangeReasonSerializer, responses={204: None, 400: ERROR_RESPONSE})
    def destroy(self, request, *args, **kwargs):
        data = PtaViewSet._data(PtaChangeReasonSerializer, request)
        services.delete_item(by=request.user, item=self.get_object(), reason=data.get("reason", ""))
        return Response(status=status.HTTP_204_NO_CONTENT)

    @extend_schema(methods=["GET"], request=None, responses={200: RubricSerializer})
    @extend_schema(methods=["PUT"], request=RubricWriteSerializer, responses={200: RubricSerializer,
                                                                              400: ERROR_RESPONSE})
    @action(detail=True, methods=["get", "put"])
    def rubric(self, request, pk=None):
        item = self.get_object()
        if request.method == "PUT":
            data = PtaViewSet._data(RubricWriteSerializer, request)
            criteria = [{"text": c["text"], "module_objective": c.get("module_objective_id"),
                         "kern_objective": c.get("kern_objective_id"), "levels": c["levels"]}
                        for c in data["criteria"]]
            services.set_rubric(by=request.user, item=item, criteria=criteria, grade_rule=data["grade_rule"],
                                cesuur=data["cesuur"], description=data.get("description", ""),
                                reason=data.get("reason", ""))
        rubric = Rubric.objects.filter(item=item).prefetch_related("criteria__levels").first()
        if rubric is None:
            raise Http404
        return Response(RubricSerializer(rubric).data)


class RubricViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = RubricSerializer
    filterset_fields = ["item", "item__pta"]

    def get_queryset(self):
        return (Rubric.objects.filter(item__in=selectors.readable_items(self.request.user).values("pk"))
                .prefetch_related(_criteria()).order_by("item"))


def _criteria():
    from django.db.models import Prefetch

    return Prefetch("criteria", queryset=RubricCriterion.objects.prefetch_related("levels"))


class ResultViewSet(_ServiceErrors, mixins.CreateModelMixin, mixins.UpdateModelMixin,
                    viewsets.ReadOnlyModelViewSet):
    """Results: staff of the school, the student and their parents (read), an external assessor only the
    (student, item) pairs assigned to them. POST and PATCH go through the one write path (save_result)."""

    permission_classes = [IsAuthenticated]
    serializer_class = ResultSerializer
    filterset_fields = ["student", "item", "attempt", "item__pta"]

    def get_queryset(self):
        return visible_to(self.request.user, Result).order_by("student_id", "item_id", "attempt")

    def _respond(self, result, created=False):
        return Response(ResultSerializer(result).data, status=status.HTTP_201_CREATED if created else 200)

    @extend_schema(request=ResultCreateSerializer, responses={201: ResultSerializer, 400: ERROR_RESPONSE,
                                                               409: CONFLICT_RESPONSE})
    def create(self, request, *args, **kwargs):
        data = PtaViewSet._data(ResultCreateSerializer, request)
        student = _student(request.user, data["student"])
        item = selectors.readable_items(request.user).filter(pk=data["item"]).first()
        if item is None:
            raise Http404
        existed = Result.objects.filter(student=student, item=item, attempt=data["attempt"]).exists()
        result = services.save_result(by=request.user, student=student, item=item, value=data["value"],
                                      attempt=data["attempt"], version=data["version"],
                                      comment=data.get("comment"), assessed_on=data.get("assessed_on"),
                                      reason=data.get("reason", ""))
        return self._respond(result, created=not existed)

    @extend_schema(request=ResultUpdateSerializer, responses={200: ResultSerializer, 400: ERROR_RESPONSE,
                                                               409: CONFLICT_RESPONSE})
    def update(self, request, *args, **kwargs):
        current = self.get_object()
        data = PtaViewSet._data(ResultUpdateSerializer, request)
        result = services.save_result(by=request.user, student=current.student, item=current.item,
                                      value=data["value"], attempt=current.attempt, version=data["version"],
                                      comment=data.get("comment"), assessed_on=data.get("assessed_on"),
                                      reason=data.get("reason", ""))
        return self._respond(result)

    @extend_schema(request=ResultUpdateSerializer, responses={200: ResultSerializer, 400: ERROR_RESPONSE,
                                                               409: CONFLICT_RESPONSE})
    def partial_update(self, request, *args, **kwargs):
        return self.update(request, *args, **kwargs)

    @extend_schema(request=None, responses={200: ResultHistorySerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        result = self.get_object()
        rows = []
        for record in result.history.select_related("history_user").order_by("history_date", "history_id"):
            value = format_grade(record.grade) if record.grade is not None else (record.qualification or "")
            rows.append({"when": record.history_date, "who": str(record.history_user) if record.history_user else None,
                         "type": {"+": "created", "~": "changed", "-": "deleted"}[record.history_type],
                         "value": value, "version": record.version, "reason": record.history_change_reason or ""})
        return Response(ResultHistorySerializer(rows, many=True).data)


class KernObservationViewSet(_ServiceErrors, mixins.CreateModelMixin, viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = KernObservationSerializer
    filterset_fields = ["student", "objective", "item", "level"]

    def get_queryset(self):
        return visible_to(self.request.user, KernObservation).order_by("-observed_on", "pk")

    def perform_create(self, serializer):
        data = serializer.validated_data
        student = _student(self.request.user, data["student"].pk)
        item = data.get("item")
        if item is not None and not selectors.readable_items(self.request.user).filter(pk=item.pk).exists():
            raise Http404
        serializer.instance = services.record_kern_observation(
            by=self.request.user, student=student, objective=data["objective"], level=data["level"], item=item,
            note=data.get("note", ""), observed_on=data.get("observed_on"))


class ModuleResultViewSet(viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = ModuleResultSerializer
    filterset_fields = ["student", "module_version", "outcome", "school_year"]

    def get_queryset(self):
        return visible_to(self.request.user, ModuleResult).select_related("module_version__module").order_by(
            "student_id", "module_version_id")


class AssignmentViewSet(_ServiceErrors, mixins.CreateModelMixin, mixins.DestroyModelMixin,
                        viewsets.ReadOnlyModelViewSet):
    permission_classes = [IsAuthenticated]
    serializer_class = AssignmentSerializer
    filterset_fields = ["assessor", "item", "student"]

    def get_queryset(self):
        return visible_to(self.request.user, AssessorAssignment).order_by("item_id", "student_id")

    def perform_create(self, serializer):
        data = serializer.validated_data
        item = selectors.readable_items(self.request.user).filter(pk=data["item"].pk).first()
        student = _student(self.request.user, data["student"].pk)
        if item is None:
            raise Http404
        serializer.instance = services.assign_assessor(by=self.request.user, assessor=data["assessor"], item=item,
                                                       students=[student])[0]

    def perform_destroy(self, instance):
        services.unassign_assessor(by=self.request.user, assignment=instance)

