"""`/api/v1/catalog/`: the menukaart. Reading is public (concepts only for stewards); writing goes
through the same services as the pages, with the same refusals as JSON errors with a stable code.

* modules/                 list (filters as on /menukaart/), retrieve by code, create (steward: concept v1)
* modules/{code}/new-version/  POST (steward): concept copy of the newest version
* versions/                list, retrieve, PATCH (steward, concepts only: a published version -> 409
                           catalog_version_published), POST {id}/publish/ {valid_from}, POST {id}/withdraw/
* objectives/              list (filter module, version)
* proposals/               list (own school/platform; stewards all), create (proposer), POST {id}/start-assessment/,
                           {id}/accept/, {id}/reject/ {reason} (steward)
* reviews/                 list (stewards)
* usage-reports/           list (stewards), POST (stewards or a system account): upsert by module/year/BRIN
"""

from __future__ import annotations

from django.db.models import Prefetch, Subquery
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from maatwerk.accounts.scoping import visible_to
from maatwerk.domain import Leerweg
from maatwerk.kern.models import KernObjective
from maatwerk.web.api import ApiError

from . import selectors, services
from .models import (
    ExampleAssessment,
    MboQualification,
    Module,
    ModuleGuide,
    ModuleObjective,
    ModuleProposal,
    ModuleType,
    ModuleUsageReport,
    ModuleVersion,
    Profiel,
    ProposalKind,
    Review,
    VersionPublished,
)


def _api_error(exc) -> ApiError:
    if isinstance(exc, VersionPublished):
        return ApiError(exc.code, exc.messages[0], exc.en, status.HTTP_409_CONFLICT)
    return ApiError(exc.code, exc.nl, exc.en, exc.status, details=exc.details)


def call(fn, **kwargs):
    """Run a service; its refusals become the API's JSON errors."""
    try:
        return fn(**kwargs)
    except (services.CatalogError, VersionPublished) as exc:
        raise _api_error(exc) from exc


class IsStewardOrReadOnly(permissions.BasePermission):
    def has_permission(self, request, view):
        if request.method in permissions.SAFE_METHODS:
            return True
        return request.user.is_authenticated


# --- serializers ---------------------------------------------------------------------------------


class ObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModuleObjective
        fields = ["code", "text", "order"]


class ObjectiveListSerializer(serializers.ModelSerializer):
    module = serializers.CharField(source="version.module.code", read_only=True)
    version = serializers.IntegerField(source="version.version", read_only=True)
    uuid = serializers.UUIDField(read_only=True)

    class Meta:
        model = ModuleObjective
        fields = ["id", "uuid", "module", "version", "code", "text", "order"]


class GuideSerializer(serializers.ModelSerializer):
    class Meta:
        model = ModuleGuide
        fields = ["leerweg", "emphasis", "text"]


class ExampleSerializer(serializers.ModelSerializer):
    class Meta:
        model = ExampleAssessment
        fields = ["title", "form", "leerweg", "description", "file"]


class KernLinkSerializer(serializers.ModelSerializer):
    class Meta:
        model = KernObjective
        fields = ["uuid", "code", "text"]


class MboSerializer(serializers.ModelSerializer):
    class Meta:
        model = MboQualification
        fields = ["crebo", "name", "level"]


class VersionSerializer(serializers.ModelSerializer):
    module = serializers.CharField(source="module.code", read_only=True)
    uuid = serializers.UUIDField(read_only=True)
    profielen = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)
    leerwegen = serializers.ListField(child=serializers.CharField(), read_only=True)

    class Meta:
        model = ModuleVersion
        fields = ["id", "uuid", "module", "version", "status", "title", "summary", "module_type", "profielen",
                  "leerwegen", "units", "valid_from", "valid_until", "legacy_kind", "legacy_code", "data_note",
                  "published_at"]


class VersionDetailSerializer(VersionSerializer):
    objectives = ObjectiveSerializer(many=True, read_only=True)
    guides = GuideSerializer(many=True, read_only=True)
    examples = ExampleSerializer(many=True, read_only=True)
    kern_objectives = KernLinkSerializer(many=True, read_only=True)
    mbo_qualifications = MboSerializer(many=True, read_only=True)

    class Meta(VersionSerializer.Meta):
        fields = [*VersionSerializer.Meta.fields, "change_note", "source", "objectives", "guides", "examples",
                  "kern_objectives", "mbo_qualifications"]


class ObjectiveInputSerializer(serializers.Serializer):
    code = serializers.CharField(max_length=20, required=False)
    text = serializers.CharField()


class GuideInputSerializer(serializers.Serializer):
    leerweg = serializers.ChoiceField(choices=Leerweg.choices)
    emphasis = serializers.CharField(required=False, allow_blank=True, max_length=100)
    text = serializers.CharField()


class ContentSerializer(serializers.Serializer):
    """The content of a concept (create or edit). Omitted fields stay as they are."""

    title = serializers.CharField(max_length=200, required=False)
    summary = serializers.CharField(required=False, allow_blank=True)
    module_type = serializers.ChoiceField(choices=ModuleType.choices, required=False)
    profielen = serializers.SlugRelatedField(many=True, slug_field="code", queryset=Profiel.objects.all(),
                                             required=False)
    leerwegen = serializers.ListField(child=serializers.ChoiceField(choices=Leerweg.choices), required=False)
    units = serializers.IntegerField(min_value=1, max_value=20, required=False)
    objectives = ObjectiveInputSerializer(many=True, required=False)
    guides = GuideInputSerializer(many=True, required=False)
    kern_objectives = serializers.SlugRelatedField(many=True, slug_field="uuid", queryset=KernObjective.objects.all(),
                                                   required=False)
    mbo_qualifications = serializers.SlugRelatedField(many=True, slug_field="crebo",
                                                      queryset=MboQualification.objects.all(), required=False)
    change_note = serializers.CharField(required=False, allow_blank=True)
    source = serializers.CharField(required=False, allow_blank=True)
    data_note = serializers.CharField(required=False, allow_blank=True)

    def _complete(self, items, fields, message):
        # A partial update (PATCH) does not enforce the required fields of nested items: do it here.
        if any(not all(f in item for f in fields) for item in items):
            raise serializers.ValidationError(message)
        return items

    def validate_objectives(self, value):
        return self._complete(value, ("text",), "Elke eindterm heeft een tekst.")

    def validate_guides(self, value):
        return self._complete(value, ("leerweg", "text"), "Elke handreiking heeft een leerweg en een tekst.")

    def content(self) -> dict:
        data = dict(self.validated_data)
        if "objectives" in data:
            data["objectives"] = [dict(o) for o in data["objectives"]]
        if "guides" in data:
            data["guides"] = {g["leerweg"]: {"emphasis": g.get("emphasis", ""), "text": g["text"]}
                              for g in data["guides"]}
        return data


class ModuleCreateSerializer(ContentSerializer):
    code = serializers.CharField(max_length=20, required=False, help_text="Leeg: de volgende code van het schema.")
    title = serializers.CharField(max_length=200)
    module_type = serializers.ChoiceField(choices=ModuleType.choices)


class ModuleSerializer(serializers.ModelSerializer):
    uuid = serializers.UUIDField(read_only=True)
    current_version = VersionSerializer(read_only=True)

    class Meta:
        model = Module
        fields = ["code", "uuid", "retired_from", "retirement_reason", "current_version"]


class PublishSerializer(serializers.Serializer):
    valid_from = serializers.IntegerField(help_text="Schooljaar waarin de versie ingaat (2026 = 2026-2027).")


class WithdrawSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)
    from_year = serializers.IntegerField(required=False, help_text="Standaard: volgend schooljaar.")


class ProposalSerializer(serializers.ModelSerializer):
    profielen = serializers.SlugRelatedField(many=True, slug_field="code", queryset=Profiel.objects.all(),
                                             required=False)
    module = serializers.SlugRelatedField(slug_field="code", queryset=Module.objects.all(), required=False,
                                          allow_null=True)
    leerwegen = serializers.ListField(child=serializers.ChoiceField(choices=Leerweg.choices), write_only=True)
    leerwegen_display = serializers.CharField(source="leerwegen", read_only=True)
    school = serializers.CharField(source="school.brin", read_only=True, default=None)
    platform = serializers.CharField(source="platform.code", read_only=True, default=None)
    on_behalf_of = serializers.CharField(write_only=True, required=False,
                                         help_text="BRIN van de school of code van het platform (nodig als u voor "
                                                   "meer dan één organisatie indient).")
    resulting_module = serializers.CharField(source="resulting_version.module.code", read_only=True, default=None)

    class Meta:
        model = ModuleProposal
        fields = ["id", "kind", "module", "title", "module_type", "profielen", "leerwegen", "leerwegen_display",
                  "summary", "objectives", "rationale", "evidence", "status", "round_year", "submitted_at",
                  "decided_at", "decision_reason", "school", "platform", "on_behalf_of", "resulting_module"]
        read_only_fields = ["status", "round_year", "submitted_at", "decided_at", "decision_reason"]
        extra_kwargs = {"kind": {"required": False}}


class ReasonSerializer(serializers.Serializer):
    reason = serializers.CharField(required=False, allow_blank=True)


class ReviewSerializer(serializers.ModelSerializer):
    module = serializers.CharField(source="module.code", read_only=True)
    version = serializers.IntegerField(source="version.version", read_only=True)

    class Meta:
        model = Review
        fields = ["id", "module", "version", "due_on", "decided_on", "decision", "reasons", "consulted_vmbo",
                  "consulted_mbo", "consulted_employers", "update_due_on"]


class UsageReportSerializer(serializers.ModelSerializer):
    module = serializers.CharField(help_text="Modulecode, bijv. ZW-KV-03.")
    school_year = serializers.CharField(help_text="2025 of 2025-2026.")
    brin = serializers.CharField()
    exams_taken = serializers.IntegerField()

    class Meta:
        model = ModuleUsageReport
        fields = ["module", "school_year", "brin", "exams_taken", "source", "reported_at"]
        read_only_fields = ["source", "reported_at"]

    def to_representation(self, instance):
        data = super().to_representation(instance)
        data["module"] = instance.module.code
        data["school_year"] = instance.school_year
        return data


# --- viewsets ------------------------------------------------------------------------------------

FILTER_PARAMETERS = [
    OpenApiParameter("q", str, description="Zoekwoorden (code, titel, samenvatting, eindtermen; zonder accenten)."),
    OpenApiParameter("module_type", str, enum=ModuleType.values),
    OpenApiParameter("profiel", str, description="Profielcode, bijv. ZW."),
    OpenApiParameter("leerweg", str, enum=Leerweg.values),
    OpenApiParameter("kern", int, description="Id van een kerndoel."),
    OpenApiParameter("mbo", str, description="Crebo."),
    OpenApiParameter("status", str, enum=["", "retired", "all", "concept"]),
    OpenApiParameter("cross_sector", bool),
]


@extend_schema_view(list=extend_schema(parameters=FILTER_PARAMETERS))
class ModuleViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    viewsets.GenericViewSet):
    permission_classes = [IsStewardOrReadOnly]
    serializer_class = ModuleSerializer
    lookup_field = "code"
    lookup_value_regex = r"[A-Za-z0-9]+(?:-[A-Za-z0-9]+)*"
    filter_backends: list = []

    def get_queryset(self):
        qs = visible_to(self.request.user, Module).select_related("current_version__module").prefetch_related(
            Prefetch("current_version__profielen", queryset=Profiel.objects.order_by("code")))
        if self.action == "list":
            filters = selectors.CatalogFilters.from_query(self.request.query_params)
            qs = qs.filter(pk__in=Subquery(selectors.catalog_versions(self.request.user, filters)
                                           .values("module_id")))
        elif not selectors.is_steward(self.request.user):
            qs = qs.filter(current_version__isnull=False)
        return qs.order_by("code")

    def get_serializer_class(self):
        return ModuleCreateSerializer if self.action == "create" else ModuleSerializer

    @extend_schema(request=ModuleCreateSerializer, responses={201: VersionDetailSerializer})
    def create(self, request, *args, **kwargs):
        serializer = ModuleCreateSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        content = serializer.content()
        code = content.pop("code", None)
        version = call(services.create_module, by=request.user, code=code, **content)
        return Response(VersionDetailSerializer(version).data, status=status.HTTP_201_CREATED)

    @extend_schema(request=None, responses={201: VersionDetailSerializer})
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, code=None):
        version = call(services.new_version, module=self.get_object(), by=request.user)
        return Response(VersionDetailSerializer(version).data, status=status.HTTP_201_CREATED)


class ModuleVersionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                           viewsets.GenericViewSet):
    permission_classes = [IsStewardOrReadOnly]
    filterset_fields = ["status", "module_type"]
    search_fields: list[str] = []

    def get_queryset(self):
        qs = (selectors.version_detail_queryset(self.request.user) if self.action != "list"
              else visible_to(self.request.user, ModuleVersion).select_related("module").prefetch_related(
                  Prefetch("profielen", queryset=Profiel.objects.order_by("code"))))
        module = self.request.query_params.get("module")
        if module:
            qs = qs.filter(module__code__iexact=module)
        return qs.order_by("module__code", "version")

    def get_serializer_class(self):
        if self.action in ("update", "partial_update"):
            return ContentSerializer
        return VersionDetailSerializer if self.action == "retrieve" else VersionSerializer

    @extend_schema(request=ContentSerializer, responses=VersionDetailSerializer)
    def update(self, request, *args, **kwargs):
        version = self.get_object()
        serializer = ContentSerializer(data=request.data, partial=True)
        serializer.is_valid(raise_exception=True)
        version = call(services.update_concept, version=version, by=request.user, **serializer.content())
        return Response(VersionDetailSerializer(self.get_queryset().get(pk=version.pk)).data)

    @extend_schema(request=PublishSerializer, responses=VersionSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        serializer = PublishSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = call(services.publish_version, version=self.get_object(), by=request.user,
                       valid_from=serializer.validated_data["valid_from"])
        return Response(VersionSerializer(version).data)

    @extend_schema(request=WithdrawSerializer, responses=VersionSerializer)
    @action(detail=True, methods=["post"])
    def withdraw(self, request, pk=None):
        serializer = WithdrawSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        version = call(services.withdraw_version, version=self.get_object(), by=request.user,
                       **serializer.validated_data)
        return Response(VersionSerializer(version).data)


class ObjectiveViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    serializer_class = ObjectiveListSerializer
    filterset_fields = ["version"]
    search_fields = ["text", "code"]

    @extend_schema(parameters=[OpenApiParameter("module", str, description="Modulecode.")])
    def list(self, request, *args, **kwargs):
        return super().list(request, *args, **kwargs)

    def get_queryset(self):
        qs = visible_to(self.request.user, ModuleObjective).select_related("version__module")
        module = self.request.query_params.get("module")
        if module:
            qs = qs.filter(version__module__code__iexact=module)
        return qs.order_by("version__module__code", "version__version", "order")


class ProposalViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                      viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ProposalSerializer
    filterset_fields = ["status", "round_year", "kind"]

    def get_queryset(self):
        return selectors.proposals_for(self.request.user).order_by("-submitted_at")

    def create(self, request, *args, **kwargs):
        serializer = ProposalSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = dict(serializer.validated_data)
        school = platform = None
        target = data.pop("on_behalf_of", "")
        if target:
            membership = next((m for m in services.proposer_organisations(request.user)
                               if (m.school and m.school.brin == target) or (m.platform and m.platform.code == target)),
                              None)
            if membership is None:
                raise ApiError("catalog_proposal_organisation", "U bent geen indiener voor die school of dat platform.",
                               "You are not a proposer for that school or platform.", status.HTTP_403_FORBIDDEN)
            school, platform = membership.school, membership.platform
        proposal = call(services.submit_proposal, by=request.user, school=school, platform=platform,
                        kind=data.get("kind", ProposalKind.NEW), module=data.get("module"), title=data["title"],
                        module_type=data["module_type"], profielen=data.get("profielen", []),
                        leerwegen=data["leerwegen"], summary=data["summary"], objectives=data["objectives"],
                        rationale=data["rationale"], evidence=data["evidence"])
        return Response(ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data,
                        status=status.HTTP_201_CREATED)

    def _transition(self, request, fn, **kwargs):
        proposal = call(fn, proposal=self.get_object(), by=request.user, **kwargs)
        return Response(ProposalSerializer(self.get_queryset().get(pk=proposal.pk)).data)

    @extend_schema(request=None, responses=ProposalSerializer)
    @action(detail=True, methods=["post"], url_path="start-assessment")
    def start_assessment(self, request, pk=None):
        return self._transition(request, services.start_assessment)

    @extend_schema(request=ReasonSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def accept(self, request, pk=None):
        return self._transition(request, services.accept_proposal, reason=self._reason(request))

    @extend_schema(request=ReasonSerializer, responses=ProposalSerializer)
    @action(detail=True, methods=["post"])
    def reject(self, request, pk=None):
        return self._transition(request, services.reject_proposal, reason=self._reason(request))

    @staticmethod
    def _reason(request) -> str:
        data = ReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        return data.validated_data.get("reason", "")


class ReviewViewSet(mixins.ListModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ReviewSerializer
    filterset_fields = ["decision"]

    def get_queryset(self):
        return visible_to(self.request.user, Review).select_related("module", "version").order_by("due_on")


class UsageReportViewSet(mixins.ListModelMixin, mixins.CreateModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = UsageReportSerializer
    filterset_fields = ["school_year", "brin"]

    def get_queryset(self):
        return visible_to(self.request.user, ModuleUsageReport).select_related("module").order_by(
            "module__code", "school_year", "brin")

    def create(self, request, *args, **kwargs):
        serializer = UsageReportSerializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        report = call(services.report_usage, by=request.user, **serializer.validated_data)
        return Response(UsageReportSerializer(report).data, status=status.HTTP_201_CREATED)
