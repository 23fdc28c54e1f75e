"""`/api/v1/kern/`: frameworks, areas and objectives. Read for all; write for stewards, and only
while a framework is a concept."""

from __future__ import annotations

from drf_spectacular.utils import extend_schema
from rest_framework import serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response

from maatwerk.web.api import ApiError, RulesPermission

from . import services
from .models import FrameworkPublished, KernArea, KernFramework, KernObjective


class KernObjectiveSerializer(serializers.ModelSerializer):
    class Meta:
        model = KernObjective
        fields = ["id", "uuid", "area", "code", "text", "order"]
        read_only_fields = ["uuid"]


class KernAreaSerializer(serializers.ModelSerializer):
    objectives = KernObjectiveSerializer(many=True, read_only=True)

    class Meta:
        model = KernArea
        fields = ["id", "uuid", "framework", "part", "code", "title", "intro", "order", "objectives"]
        read_only_fields = ["uuid"]


class KernFrameworkSerializer(serializers.ModelSerializer):
    class Meta:
        model = KernFramework
        fields = ["id", "uuid", "identifier", "title", "version", "status", "valid_from", "source",
                  "description", "published_at"]
        read_only_fields = ["uuid", "version", "status", "published_at"]


class KernFrameworkDetailSerializer(KernFrameworkSerializer):
    areas = KernAreaSerializer(many=True, read_only=True)

    class Meta(KernFrameworkSerializer.Meta):
        fields = [*KernFrameworkSerializer.Meta.fields, "areas"]


def _published_error() -> ApiError:
    return ApiError(
        "kern_framework_published",
        "Deze versie van de kern is gepubliceerd en kan niet meer worden gewijzigd. Maak een nieuwe versie.",
        "This version of the kern is published and cannot change. Create a new version.",
        status.HTTP_409_CONFLICT,
    )


class _GuardedWrites:
    """Turn the model's immutability guard into the API's stable error."""

    def perform_create(self, serializer):
        try:
            serializer.save()
        except FrameworkPublished as exc:
            raise _published_error() from exc

    def perform_update(self, serializer):
        self.perform_create(serializer)

    def perform_destroy(self, instance):
        try:
            instance.delete()
        except FrameworkPublished as exc:
            raise _published_error() from exc


class KernFrameworkViewSet(_GuardedWrites, viewsets.ModelViewSet):
    permission_classes = [RulesPermission]
    write_perm = "kern.change_framework"
    filterset_fields = ["identifier", "status"]
    search_fields = ["title", "identifier"]

    def get_queryset(self):
        qs = KernFramework.objects.order_by("identifier", "-version")
        if self.action == "retrieve":
            qs = qs.prefetch_related("areas__objectives")
        return qs

    def get_serializer_class(self):
        return KernFrameworkDetailSerializer if self.action == "retrieve" else KernFrameworkSerializer

    @extend_schema(request=None, responses=KernFrameworkSerializer)
    @action(detail=True, methods=["post"])
    def publish(self, request, pk=None):
        framework = self.get_object()
        try:
            framework = services.publish(framework=framework, by=request.user)
        except FrameworkPublished as exc:
            raise _published_error() from exc
        return Response(KernFrameworkSerializer(framework).data)

    @extend_schema(request=None, responses=KernFrameworkSerializer)
    @action(detail=True, methods=["post"], url_path="new-version")
    def new_version(self, request, pk=None):
        framework = services.new_version(framework=self.get_object(), by=request.user)
        return Response(KernFrameworkSerializer(framework).data, status=status.HTTP_201_CREATED)


class KernAreaViewSet(_GuardedWrites, viewsets.ModelViewSet):
    permission_classes = [RulesPermission]
    write_perm = "kern.change_framework"
    serializer_class = KernAreaSerializer
    filterset_fields = ["framework", "part"]
    queryset = KernArea.objects.select_related("framework").prefetch_related("objectives").order_by(
        "framework", "order"
    )


class KernObjectiveViewSet(_GuardedWrites, viewsets.ModelViewSet):
    permission_classes = [RulesPermission]
    write_perm = "kern.change_framework"
    serializer_class = KernObjectiveSerializer
    filterset_fields = ["area", "area__framework", "code"]
    search_fields = ["text", "code"]
    queryset = KernObjective.objects.select_related("area").order_by("area__framework", "area__order", "order")

