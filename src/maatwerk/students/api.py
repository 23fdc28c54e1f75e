"""`/api/v1/students/`: students, programmes (read, add/remove items, propose, approve, send back,
reopen: the same services as the pages), validation of a draft (the engine's findings, nothing
saved) and the loopbaandossier (activities, conversations). Scoped like the pages: every queryset
goes through `accounts.scoping`, every write through `services` (which checks the permission)."""

from __future__ import annotations

import django_filters
from django.shortcuts import get_object_or_404
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_field, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from maatwerk.accounts.scoping import visible_to
from maatwerk.domain import CareerCompetency
from maatwerk.web.api import ApiError

from . import selectors, services
from .models import (
    ActivityKind,
    CareerActivity,
    CareerConversation,
    ItemStatus,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Student,
)

COMPETENCIES = CareerCompetency.choices


class IsAuthenticated(permissions.IsAuthenticated):
    """Reads are scoped by the querysets, writes checked by the services."""


def _api_error(exc: services.ProgrammeError | services.DossierError) -> ApiError:
    if isinstance(exc, services.DossierError):
        return ApiError(exc.code, exc.message, exc.en, status.HTTP_400_BAD_REQUEST,
                        details={"field": exc.field} if exc.field else None)
    code = status.HTTP_409_CONFLICT if isinstance(exc, services.ProgrammeStateError | services.ProgrammeLocked) \
        else status.HTTP_400_BAD_REQUEST
    return ApiError(exc.code, exc.message, exc.en, code,
                    details={"findings": [selectors.finding_dict(f) for f in exc.findings]} if exc.findings else None)


# --- serializers ---------------------------------------------------------------------------------

class ProgrammeFindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.ChoiceField(choices=["error", "warning", "info"])
    message = serializers.CharField()
    source = serializers.CharField()
    subject = serializers.CharField(allow_null=True)


class ProgrammeRequirementSerializer(serializers.Serializer):
    key = serializers.CharField()
    label = serializers.CharField()
    required = serializers.IntegerField()
    counted = serializers.IntegerField()
    completed = serializers.IntegerField()
    missing = serializers.IntegerField()
    message = serializers.CharField()
    source = serializers.CharField()


class ProgrammeEvaluationSerializer(serializers.Serializer):
    regulation_id = serializers.CharField()
    ok = serializers.BooleanField()
    findings = ProgrammeFindingSerializer(many=True)
    requirements = ProgrammeRequirementSerializer(many=True)


def evaluation_data(evaluation) -> dict:
    return {"regulation_id": evaluation.regulation.id, "ok": evaluation.ok,
            "findings": [selectors.finding_dict(f) for f in evaluation.findings],
            "requirements": [selectors.requirement_dict(r) for r in evaluation.requirements]}


class StudentListSerializer(serializers.ModelSerializer):
    full_name = serializers.CharField(read_only=True)
    programme_status = serializers.SerializerMethodField()

    class Meta:
        model = Student
        fields = ["id", "school", "student_number", "full_name", "first_name", "infix", "last_name", "leerweg",
                  "year_level", "cohort", "class_name", "mentor", "left_on", "programme_status"]

    def get_programme_status(self, obj) -> str | None:
        try:
            return obj.programme.status
        except Programme.DoesNotExist:
            return None


class ProgrammeItemSerializer(serializers.ModelSerializer):
    module_code = serializers.CharField(source="module_version.module.code", read_only=True)
    title = serializers.CharField(source="module_version.title", read_only=True)
    module_type = serializers.CharField(source="module_version.module_type", read_only=True)
    units = serializers.IntegerField(source="module_version.units", read_only=True)

    class Meta:
        model = ProgrammeItem
        fields = ["id", "module_version", "module_code", "title", "module_type", "units", "offering", "school_year",
                  "year_level", "period", "status"]


class ProgrammeSerializer(serializers.ModelSerializer):
    items = ProgrammeItemSerializer(many=True, read_only=True)

    class Meta:
        model = Programme
        fields = ["id", "student", "regulation_id", "status", "package", "revision", "change_reason", "proposed_at",
                  "approved_by", "approved_at", "approval_conversation", "return_comment", "updated_at", "items"]


class ProgrammeDetailSerializer(ProgrammeSerializer):
    evaluation = serializers.SerializerMethodField()

    class Meta(ProgrammeSerializer.Meta):
        fields = [*ProgrammeSerializer.Meta.fields, "evaluation"]

    @extend_schema_field(ProgrammeEvaluationSerializer)
    def get_evaluation(self, obj) -> dict:
        return evaluation_data(selectors.evaluate_programme(obj))


class ProgrammeRevisionSerializer(serializers.ModelSerializer):
    class Meta:
        model = ProgrammeRevision
        fields = ["id", "number", "status", "event", "items", "findings", "reason", "comment", "created_by",
                  "created_at", "conversation"]


class ProgrammeStartSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    package = serializers.IntegerField(required=False, allow_null=True)


class ProgrammeAddItemSerializer(serializers.Serializer):
    offering = serializers.IntegerField(help_text="Een aanbod (offering) van de school van de leerling.")
    period = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=4)


class ProgrammeDecisionSerializer(serializers.Serializer):
    conversation = serializers.IntegerField(required=False, allow_null=True)
    comment = serializers.CharField(required=False, allow_blank=True, default="")


class ProgrammeReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class ProgrammeItemStatusSerializer(serializers.Serializer):
    status = serializers.ChoiceField(choices=ItemStatus.choices)


class DraftProgrammeItemSerializer(serializers.Serializer):
    module_version = serializers.IntegerField()
    school_year = serializers.IntegerField()
    status = serializers.ChoiceField(choices=ItemStatus.choices, default=ItemStatus.PLANNED)


class DraftProgrammeSerializer(serializers.Serializer):
    student = serializers.IntegerField()
    regulation_id = serializers.CharField(required=False, allow_blank=True)
    items = DraftProgrammeItemSerializer(many=True)


class CareerActivitySerializer(serializers.ModelSerializer):
    competencies = serializers.ListField(child=serializers.ChoiceField(choices=COMPETENCIES), required=False)
    is_complete = serializers.BooleanField(read_only=True)
    missing_parts = serializers.ListField(child=serializers.CharField(), read_only=True)
    attachments = serializers.SerializerMethodField()
    kind = serializers.ChoiceField(choices=ActivityKind.choices)

    class Meta:
        model = CareerActivity
        fields = ["id", "student", "date", "kind", "title", "goals", "results", "evaluation", "follow_up",
                  "competencies", "module", "partner", "mentor_comment", "is_complete", "missing_parts",
                  "attachments", "created_at", "updated_at"]
        read_only_fields = ["mentor_comment", "created_at", "updated_at"]

    def get_attachments(self, obj) -> list[dict]:
        from django.urls import reverse

        return [{"id": a.pk, "name": a.name, "size": a.size, "url": reverse("students:attachment", args=[a.pk])}
                for a in obj.attachments.all()]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["competencies"] = instance.competencies
        return data


class ActivityCommentSerializer(serializers.Serializer):
    comment = serializers.CharField(allow_blank=True)


class ConversationReflectionSerializer(serializers.Serializer):
    competency = serializers.ChoiceField(choices=COMPETENCIES)
    text = serializers.CharField()


class CareerConversationSerializer(serializers.ModelSerializer):
    reflections = ConversationReflectionSerializer(many=True, required=False)

    class Meta:
        model = CareerConversation
        fields = ["id", "student", "date", "participants", "led_by", "agreements", "next_steps",
                  "programme_decisions", "reflections", "created_at"]
        read_only_fields = ["led_by", "created_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["reflections"] = [{"competency": r.competency, "text": r.text} for r in instance.reflections.all()]
        return data


# --- viewsets ------------------------------------------------------------------------------------

class StudentFilter(django_filters.FilterSet):
    enrolled = django_filters.BooleanFilter(
        field_name="left_on", lookup_expr="isnull",
        label="true: wie nu ingeschreven is (zonder dit filter de lijst); false: wie de school verliet")

    class Meta:
        model = Student
        fields = ["leerweg", "year_level", "class_name", "cohort", "mentor", "enrolled"]


class StudentViewSet(viewsets.ReadOnlyModelViewSet):
    """Students the user may see (staff: their school; a student: themself; a parent: their child). The list
    holds who is enrolled now, as the pages do; `?enrolled=false` lists who left (`left_on`)."""

    serializer_class = StudentListSerializer
    permission_classes = [IsAuthenticated]
    filterset_class = StudentFilter
    search_fields = ["first_name", "last_name", "student_number"]

    def get_queryset(self):
        return visible_to(self.request.user, Student.objects.select_related("programme").order_by(
            "school", "last_name", "first_name", "pk"))

    def filter_queryset(self, queryset):
        queryset = super().filter_queryset(queryset)
        if self.action == "list" and "enrolled" not in self.request.query_params:
            queryset = queryset.filter(left_on__isnull=True)
        return queryset


def _student(request, pk) -> Student:
    from rest_framework.exceptions import NotFound

    try:
        return selectors.student_for(request.user, pk)
    except Exception as exc:  # Http404
        raise NotFound() from exc


class ProgrammeViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    """Programmes; the retrieve carries the engine's evaluation (findings with codes, units missing)."""

    permission_classes = [IsAuthenticated]
    filterset_fields = ["status", "student", "regulation_id"]

    def get_queryset(self):
        return selectors.programmes_for(self.request.user).order_by("pk")

    def get_serializer_class(self):
        return ProgrammeDetailSerializer if self.action == "retrieve" else ProgrammeSerializer

    def _detail(self, programme, code=status.HTTP_200_OK):
        programme = self.get_queryset().get(pk=programme.pk)
        return Response(ProgrammeDetailSerializer(programme).data, status=code)

    @extend_schema(request=ProgrammeStartSerializer, responses={201: ProgrammeDetailSerializer})
    def create(self, request):
        """Start a programme for a student (empty, or from one of the school's packages)."""
        data = ProgrammeStartSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        student = _student(request, data.validated_data["student"])
        package = None
        if data.validated_data.get("package"):
            package = get_object_or_404(selectors.packages_for(student), pk=data.validated_data["package"])
        try:
            result = services.start_programme(student=student, by=request.user, package=package)
        except services.ProgrammeError as exc:
            raise _api_error(exc) from exc
        return self._detail(result.programme, status.HTTP_201_CREATED)

    @extend_schema(request=ProgrammeAddItemSerializer, responses={201: ProgrammeDetailSerializer})
    @action(detail=True, methods=["post"], url_path="items")
    def add_item(self, request, pk=None):
        """Plan a module from the school's offering; the engine refuses what cannot be in the programme."""
        programme = self.get_object()
        data = ProgrammeAddItemSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        offering = selectors.available_offerings(programme.student).filter(pk=data.validated_data["offering"]).first()
        if offering is None:
            raise ApiError("offering_not_available", "Dit aanbod is er niet voor deze leerling.",
                           "This offering is not available to this student.", status.HTTP_400_BAD_REQUEST)
        try:
            services.add_module(programme=programme, offering=offering, by=request.user,
                                period=data.validated_data.get("period"))
        except services.ProgrammeError as exc:
            raise _api_error(exc) from exc
        return self._detail(programme, status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={200: ProgrammeDetailSerializer},
                   parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH)])
    @action(detail=True, methods=["delete"], url_path=r"items/(?P<item_id>[0-9]+)")
    def remove_item(self, request, pk=None, item_id=None):
        programme = self.get_object()
        item = next((i for i in programme.items.all() if i.pk == int(item_id)), None)
        if item is None:
            raise ApiError("not_found", "Niet gevonden.", "Not found.", status.HTTP_404_NOT_FOUND)
        try:
            services.remove_item(item=item, by=request.user)
        except services.ProgrammeError as exc:
            raise _api_error(exc) from exc
        return self._detail(programme)

    @extend_schema(request=ProgrammeItemStatusSerializer, responses={200: ProgrammeDetailSerializer},
                   parameters=[OpenApiParameter("item_id", int, OpenApiParameter.PATH)])
    @action(detail=True, methods=["post"], url_path=r"items/(?P<item_id>[0-9]+)/status")
    def item_status(self, request, pk=None, item_id=None):
        programme = self.get_object()
        item = next((i for i in programme.items.all() if i.pk == int(item_id)), None)
        if item is None:
            raise ApiError("not_found", "Niet gevonden.", "Not found.", status.HTTP_404_NOT_FOUND)
        data = ProgrammeItemStatusSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            services.record_item_status(item=item, status=data.validated_data["status"], by=request.user)
        except services.ProgrammeError as exc:
            raise _api_error(exc) from exc
        return self._detail(programme)

    @extend_schema(request=None, responses={200: ProgrammeDetailSerializer})
    @action(detail=True, methods=["post"])
    def propose(self, request, pk=None):
        try:
            programme = services.propose_programme(programme=self.get_object(), by=request.user)
        except services.ProgrammeError as exc:
            raise _api_error(exc) from exc
        return self._detail(programme)

    def _conversation(self, programme, conversation_id):
        if not conversation_id:
            return None
        return get_object_or_404(visible_to(self.request.user, CareerConversation).filter(
            student=programme.student_id), pk=conversation_id)

    @extend_schema(request=ProgrammeDecisionSerializer, responses={200: ProgrammeDetailSerializer})
    @action(detail=True, methods=["post"])
    def approve(self, request, pk=None):
        """Approve after a recorded loopbaangesprek (`conversation` is required); freezes a revision."""
        programme = self.get_object()
        data = ProgrammeDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            programme = services.approve_programme(
                programme=programme, by=request.user,
                conversation=self._conversation(programme, data.validated_data.get("conversation")),
                comment=data.validated_data["comment"])
        except services.ProgrammeError as exc:
            raise _api_error(exc) from exc
        return self._detail(programme)

    @extend_schema(request=ProgrammeDecisionSerializer, responses={200: ProgrammeDetailSerializer})
    @action(detail=True, methods=["post"], url_path="send-back")
    def send_back(self, request, pk=None):
        """Send a proposal back to the student with a comment."""
        programme = self.get_object()
        data = ProgrammeDecisionSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            programme = services.return_programme(
                programme=programme, by=request.user, comment=data.validated_data["comment"],
                conversation=self._conversation(programme, data.validated_data.get("conversation")))
        except services.ProgrammeError as exc:
            raise _api_error(exc) from exc
        return self._detail(programme)

    @extend_schema(request=ProgrammeReasonSerializer, responses={200: ProgrammeDetailSerializer})
    @action(detail=True, methods=["post"])
    def reopen(self, request, pk=None):
        """Change an approved programme: starts the next revision, with the reason."""
        data = ProgrammeReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        try:
            programme = services.reopen_programme(programme=self.get_object(), by=request.user,
                                                  reason=data.validated_data["reason"])
        except services.ProgrammeError as exc:
            raise _api_error(exc) from exc
        return self._detail(programme)

    @extend_schema(request=None, responses={200: ProgrammeRevisionSerializer(many=True)})
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def revisions(self, request, pk=None):
        return Response(ProgrammeRevisionSerializer(selectors.revisions_of(self.get_object()), many=True).data)


class ValidationViewSet(viewsets.ViewSet):
    """POST a draft programme; get the engine's findings with their codes. Nothing is saved."""

    permission_classes = [IsAuthenticated]

    @extend_schema(request=DraftProgrammeSerializer, responses={200: ProgrammeEvaluationSerializer})
    def create(self, request):
        from maatwerk.catalog.models import ModuleVersion

        data = DraftProgrammeSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        student = _student(request, data.validated_data["student"])
        drafts = data.validated_data["items"]
        versions = {v.pk: v for v in ModuleVersion.objects.filter(pk__in=[d["module_version"] for d in drafts])
                    .exclude(status="concept").select_related("module").prefetch_related("profielen")}
        unknown = [d["module_version"] for d in drafts if d["module_version"] not in versions]
        if unknown:
            raise ApiError("module_version_unknown", f"Onbekende of niet gepubliceerde moduleversie(s): {unknown}.",
                           f"Unknown or unpublished module version(s): {unknown}.", status.HTTP_400_BAD_REQUEST)
        items = [ProgrammeItem(module_version=versions[d["module_version"]], school_year=d["school_year"],
                               year_level=selectors.year_level_in(student, d["school_year"]), status=d["status"])
                 for d in drafts]
        regulation_id = data.validated_data.get("regulation_id") or selectors.regulation_id_for(student)
        try:
            evaluation = selectors.evaluate(student, items, regulation_id)
        except LookupError as exc:
            raise ApiError("regulation_unknown", "Onbekende regeling.", "Unknown regulation.",
                           status.HTTP_400_BAD_REQUEST) from exc
        return Response(evaluation_data(evaluation))


class ActivityViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """LOB activities of the loopbaandossier (the student writes, the mentor comments, a parent reads)."""

    serializer_class = CareerActivitySerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["student", "kind"]

    def get_queryset(self):
        return visible_to(self.request.user, CareerActivity.objects.select_related("student").prefetch_related(
            "attachments").order_by("-date", "-pk"))

    def _data(self, serializer) -> dict:
        data = dict(serializer.validated_data)
        data.pop("student", None)
        if "competencies" in data:
            chosen = set(data.pop("competencies"))
            data.update({c: c in chosen for c, _label in COMPETENCIES})
        return data

    def perform_create(self, serializer):
        student = _student(self.request, serializer.validated_data["student"].pk)
        try:
            serializer.instance = services.save_activity(student=student, by=self.request.user,
                                                         data=self._data(serializer))
        except services.DossierError as exc:
            raise _api_error(exc) from exc

    def perform_update(self, serializer):
        activity = serializer.instance
        try:
            serializer.instance = services.save_activity(student=activity.student, by=self.request.user,
                                                         data=self._data(serializer), activity=activity)
        except services.DossierError as exc:
            raise _api_error(exc) from exc

    @extend_schema(request=ActivityCommentSerializer, responses={200: CareerActivitySerializer})
    @action(detail=True, methods=["post"])
    def comment(self, request, pk=None):
        """The mentor's comment on an activity."""
        activity = self.get_object()
        data = ActivityCommentSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        activity = services.comment_activity(activity=activity, by=request.user, comment=data.validated_data["comment"])
        return Response(CareerActivitySerializer(activity).data)


class ConversationViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                          viewsets.GenericViewSet):
    """Loopbaangesprekken with the student's reflection per competency."""

    serializer_class = CareerConversationSerializer
    permission_classes = [IsAuthenticated]
    filterset_fields = ["student"]

    def get_queryset(self):
        return visible_to(self.request.user, CareerConversation.objects.select_related("student")
                          .prefetch_related("reflections").order_by("-date", "-pk"))

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        student = _student(self.request, data.pop("student").pk)
        reflections = {r["competency"]: r["text"] for r in data.pop("reflections", [])}
        try:
            serializer.instance = services.record_conversation(student=student, by=self.request.user, data=data,
                                                               reflections=reflections)
        except services.DossierError as exc:
            raise _api_error(exc) from exc

    @extend_schema(request=inline_serializer("ConversationReflectionsIn", {"reflections": ConversationReflectionSerializer(many=True)}),
                   responses={200: CareerConversationSerializer})
    @action(detail=True, methods=["put"])
    def reflections(self, request, pk=None):
        """Replace the student's reflections on this conversation (competencies left out are kept)."""
        conversation = self.get_object()
        if not isinstance(request.data, dict):
            raise serializers.ValidationError({"reflections": ["Stuur een object met de lijst 'reflections'."]})
        data = serializers.ListField(child=ConversationReflectionSerializer()).run_validation(request.data.get("reflections", []))
        try:
            services.save_reflections(conversation=conversation, by=request.user,
                                      reflections={r["competency"]: r["text"] for r in data})
        except services.DossierError as exc:
            raise _api_error(exc) from exc
        return Response(CareerConversationSerializer(self.get_queryset().get(pk=conversation.pk)).data)
