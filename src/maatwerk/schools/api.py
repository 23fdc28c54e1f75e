"""`/api/v1/schools/`: schools, licences, offerings, packages, policy, partners, teaching groups, imports
and exports. Reads are scoped to the user's school (`visible_to`, through the selectors); writes go
through the same services as the pages, with the same errors (stable code, Dutch and English, and
the engine's findings in `details`). An object of another school is a 404; a change without the
right is a 403.
"""

from __future__ import annotations

from contextlib import contextmanager

from django.core.exceptions import PermissionDenied
from django.http import Http404
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, inline_serializer
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.parsers import FormParser, JSONParser, MultiPartParser
from rest_framework.response import Response
from rest_framework.views import APIView

from maatwerk.accounts.scoping import get_visible_or_404, visible_to
from maatwerk.catalog.models import MboQualification, Module, ModuleVersion, Profiel
from maatwerk.domain import Leerweg
from maatwerk.students.models import Student
from maatwerk.web.api import ApiError, RulesPermission
from maatwerk.web.tabular import table_response

from . import imports, selectors, services
from .models import (
    Licence,
    Offering,
    Package,
    PackageKind,
    Partner,
    PartnerKind,
    School,
    SchoolLocation,
    SchoolPolicy,
    TaughtAt,
    TeachingGroup,
)


@contextmanager
def service_errors():
    """A refused service call becomes the API's JSON error (with the engine's findings)."""
    try:
        yield
    except services.SchoolsError as exc:
        raise ApiError(exc.code, exc.nl, exc.en, exc.status, details=exc.details() or None) from exc


def _school_for_write(request, school_id) -> School:
    """The school a new row belongs to: one the user can see (404 otherwise), or their only school."""
    if school_id in (None, ""):
        schools = list(selectors.schools_of(request.user, selectors.MANAGEMENT_ROLES)[:2])
        if len(schools) == 1:
            return schools[0]
        raise ApiError("school_required", "Geef de school op (veld 'school').", "Give the school ('school').")
    return get_visible_or_404(request.user, School, pk=school_id)


class ScopedPK(serializers.PrimaryKeyRelatedField):
    """A reference to a row the user may see (visible_to); anything else is 'does not exist'."""

    def __init__(self, model, **kwargs):
        self.model = model
        super().__init__(**kwargs)

    def get_queryset(self):
        return visible_to(self.context["request"].user, self.model)


def _scoped(model, **kwargs):
    return ScopedPK(model, **kwargs)


class EngineFindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    source = serializers.CharField()
    subject = serializers.CharField(allow_null=True)


def findings_data(findings) -> list[dict]:
    return [services.finding_dict(f) for f in findings]


# --- schools -------------------------------------------------------------------------------------------

class LocationSerializer(serializers.ModelSerializer):
    class Meta:
        model = SchoolLocation
        fields = ["id", "number", "code", "name", "city"]


class SchoolSerializer(serializers.ModelSerializer):
    locations = LocationSerializer(many=True, read_only=True)

    class Meta:
        model = School
        fields = ["id", "brin", "name", "city", "region", "is_vakschool", "website", "description", "locations"]
        read_only_fields = ["brin", "name", "city", "is_vakschool"]


class SchoolViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.UpdateModelMixin,
                    viewsets.GenericViewSet):
    """The schools the user works at. A schoolleider may change the public description."""

    serializer_class = SchoolSerializer
    permission_classes = [RulesPermission]
    write_perm = "schools.change_school"
    filterset_fields = ["brin", "is_vakschool"]
    search_fields = ["name", "city"]

    def get_queryset(self):
        return selectors.schools_of(self.request.user).prefetch_related("locations")

    def perform_update(self, serializer):
        with service_errors():
            services.change_school_profile(school=serializer.instance, by=self.request.user,
                                           **{k: v for k, v in serializer.validated_data.items()
                                              if k in {"description", "website", "region"}})


class PublicModuleSerializer(serializers.Serializer):
    code = serializers.CharField(source="module_version.module.code")
    title = serializers.CharField(source="module_version.title")
    module_type = serializers.CharField(source="module_version.module_type")
    leerwegen = serializers.ListField(child=serializers.CharField())
    taught_at = serializers.CharField()
    partner = serializers.CharField(source="partner.name", default=None, allow_null=True)


class PublicPackageSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    description = serializers.CharField()
    regional_rationale = serializers.CharField()
    modules = serializers.SerializerMethodField()
    leads_to = serializers.SerializerMethodField()

    def get_modules(self, obj) -> list[str]:
        return [pm.module.code for pm in obj.package_modules.all()]

    def get_leads_to(self, obj) -> list[dict]:
        return [{"crebo": q.crebo, "name": q.name, "level": q.level} for q in obj.mbo_qualifications.all()]


class PublicPartnerSerializer(serializers.Serializer):
    name = serializers.CharField()
    kind = serializers.CharField()
    city = serializers.CharField()
    offers_outside_learning = serializers.BooleanField()
    offers_internship = serializers.BooleanField()
    offers_assessment = serializers.BooleanField()


class PublicSchoolSerializer(serializers.Serializer):
    brin = serializers.CharField(source="school.brin")
    name = serializers.CharField(source="school.name")
    city = serializers.CharField(source="school.city")
    is_vakschool = serializers.BooleanField(source="school.is_vakschool")
    description = serializers.CharField(source="school.description")
    school_years = serializers.ListField(source="years", child=serializers.IntegerField())
    packages = PublicPackageSerializer(many=True)
    offerings = PublicModuleSerializer(many=True)
    partners = PublicPartnerSerializer(many=True)


class PublicSchoolView(APIView):
    """What a school publishes for parents and pupils (no personal data). Open to everybody."""

    permission_classes = [permissions.AllowAny]

    @extend_schema(responses=PublicSchoolSerializer,
                   parameters=[OpenApiParameter("school_year", int, description="Beginjaar, bijv. 2026")])
    def get(self, request, brin: str):
        year = request.query_params.get("school_year")
        profile = selectors.public_school(brin, int(year) if str(year or "").isdigit() else None)
        return Response(PublicSchoolSerializer(profile).data)


# --- licences --------------------------------------------------------------------------------------------

class LicenceSerializer(serializers.ModelSerializer):
    school = serializers.PrimaryKeyRelatedField(read_only=True)
    school_id = serializers.IntegerField(write_only=True, required=False)
    profiel = serializers.SlugRelatedField(slug_field="code", queryset=Profiel.objects.all())

    class Meta:
        model = Licence
        fields = ["id", "school", "school_id", "profiel", "from_year", "to_year"]


class LicenceViewSet(viewsets.ModelViewSet):
    serializer_class = LicenceSerializer
    permission_classes = [RulesPermission]
    write_perm = "schools.change_licence"
    filterset_fields = ["school", "profiel__code", "from_year", "to_year"]

    def get_queryset(self):
        return visible_to(self.request.user, Licence).select_related("profiel").order_by("school", "profiel__code",
                                                                                           "from_year")

    def perform_create(self, serializer):
        data = serializer.validated_data
        school = _school_for_write(self.request, data.get("school_id"))
        with service_errors():
            serializer.instance = services.add_licence(school=school, profiel=data["profiel"],
                                                       from_year=data["from_year"], to_year=data.get("to_year"),
                                                       by=self.request.user)

    def perform_update(self, serializer):
        data = serializer.validated_data
        licence = serializer.instance
        with service_errors():
            services.change_licence(licence=licence, from_year=data.get("from_year", licence.from_year),
                                    to_year=data.get("to_year", licence.to_year), by=self.request.user)

    def perform_destroy(self, instance):
        with service_errors():
            services.remove_licence(licence=instance, by=self.request.user)


# --- offerings -------------------------------------------------------------------------------------------

class OfferingSerializer(serializers.ModelSerializer):
    school = serializers.PrimaryKeyRelatedField(read_only=True)
    school_id = serializers.IntegerField(write_only=True, required=False)
    module_version = _scoped(ModuleVersion)
    module_code = serializers.CharField(source="module_version.module.code", read_only=True)
    title = serializers.CharField(source="module_version.title", read_only=True)
    module_type = serializers.CharField(source="module_version.module_type", read_only=True)
    leerwegen = serializers.ListField(child=serializers.ChoiceField(choices=Leerweg.choices), required=False,
                                      help_text="Leeg: alle leerwegen waarvoor de module een uitwerking heeft.")
    location = _scoped(SchoolLocation, required=False, allow_null=True)
    partner = _scoped(Partner, required=False, allow_null=True)
    teachers = serializers.SerializerMethodField()
    teacher_ids = serializers.ListField(child=serializers.IntegerField(), write_only=True, required=False)
    taught_at = serializers.ChoiceField(choices=TaughtAt.choices, required=False)

    class Meta:
        model = Offering
        fields = ["id", "school", "school_id", "school_year", "module_version", "module_code", "title", "module_type",
                  "leerwegen", "location", "capacity", "taught_at", "partner", "teachers", "teacher_ids", "note"]

    def get_teachers(self, obj) -> list[dict]:
        return [{"id": t.pk, "name": t.full_name, "email": t.email} for t in obj.teachers.all()]


class OfferingResultSerializer(serializers.Serializer):
    offering = OfferingSerializer()
    warnings = EngineFindingSerializer(many=True)


class BulkRequestSerializer(serializers.Serializer):
    school_id = serializers.IntegerField(required=False)
    school_year = serializers.IntegerField()
    module_versions = serializers.ListField(child=serializers.IntegerField(), allow_empty=False)
    leerwegen = serializers.ListField(child=serializers.ChoiceField(choices=Leerweg.choices), required=False)
    location = serializers.IntegerField(required=False, allow_null=True)


class CopyRequestSerializer(serializers.Serializer):
    school_id = serializers.IntegerField(required=False)
    from_year = serializers.IntegerField()
    to_year = serializers.IntegerField()


BulkResultSerializer = inline_serializer("BulkResult", {
    "created": serializers.ListField(child=serializers.IntegerField()),
    "existing": serializers.ListField(child=serializers.IntegerField()),
    "refused": serializers.DictField(child=EngineFindingSerializer(many=True)),
    "warnings": serializers.DictField(child=EngineFindingSerializer(many=True)),
})


def _teachers(request, ids):
    from django.contrib.auth import get_user_model

    users = list(get_user_model().objects.filter(pk__in=ids or []))
    if len(users) != len(set(ids or [])):
        raise ApiError("other_school", "Een of meer docenten bestaan niet.", "Unknown teacher.")
    return users


class OfferingViewSet(viewsets.ModelViewSet):
    """The school's offering: module versions per school year, leerwegen, place, partner, teachers."""

    serializer_class = OfferingSerializer
    permission_classes = [RulesPermission]
    write_perm = "schools.change_offering"
    filterset_fields = ["school", "school_year", "module_version", "module_version__module__code", "location",
                        "partner", "taught_at", "for_bb", "for_kb", "for_gl", "for_tl"]
    search_fields = ["module_version__module__code", "module_version__title"]

    def get_queryset(self):
        return selectors.offerings(self.request.user)

    @extend_schema(responses={201: OfferingResultSerializer})
    def create(self, request, *args, **kwargs):
        serializer = self.get_serializer(data=request.data)
        serializer.is_valid(raise_exception=True)
        data = serializer.validated_data
        school = _school_for_write(request, data.get("school_id"))
        with service_errors():
            offering, verdict = services.plan_offering(
                school=school, module_version=data["module_version"], school_year=data["school_year"],
                leerwegen=data.get("leerwegen"), location=data.get("location"), capacity=data.get("capacity"),
                taught_at=data.get("taught_at", TaughtAt.SCHOOL), partner=data.get("partner"),
                teachers=_teachers(request, data.get("teacher_ids")), note=data.get("note", ""), by=request.user)
        offering = self.get_queryset().get(pk=offering.pk)
        return Response({"offering": OfferingSerializer(offering, context=self.get_serializer_context()).data,
                         "warnings": findings_data(verdict.warnings)}, status=status.HTTP_201_CREATED)

    def perform_update(self, serializer):
        data = serializer.validated_data
        fields = {k: data[k] for k in ("location", "capacity", "taught_at", "partner", "note") if k in data}
        if "teacher_ids" in data:
            fields["teachers"] = _teachers(self.request, data["teacher_ids"])
        if "module_version" in data and data["module_version"] != serializer.instance.module_version:
            fields["module_version"] = data["module_version"]
        with service_errors():
            services.change_offering(offering=serializer.instance, by=self.request.user,
                                     leerwegen=data.get("leerwegen"), **fields)

    def perform_destroy(self, instance):
        with service_errors():
            services.remove_offering(offering=instance, by=self.request.user)

    @extend_schema(request=BulkRequestSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def bulk(self, request):
        """Offer many module versions at once; what the engine refuses is listed with its findings."""
        body = BulkRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        school = _school_for_write(request, data.get("school_id"))
        versions = list(visible_to(request.user, ModuleVersion).filter(pk__in=data["module_versions"])
                        .select_related("module").prefetch_related("profielen"))
        if len(versions) != len(set(data["module_versions"])):
            raise ApiError("not_found", "Een of meer moduleversies bestaan niet.", "Unknown module version.", 404)
        location = (get_visible_or_404(request.user, SchoolLocation, pk=data["location"])
                    if data.get("location") else None)
        with service_errors():
            result = services.plan_offerings(school=school, versions=versions, school_year=data["school_year"],
                                             leerwegen=data.get("leerwegen"), location=location, by=request.user)
        return Response(result.as_dict())

    @extend_schema(request=CopyRequestSerializer, responses=BulkResultSerializer)
    @action(detail=False, methods=["post"])
    def copy(self, request):
        """Copy a school year's offering to another school year."""
        body = CopyRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        school = _school_for_write(request, data.get("school_id"))
        with service_errors():
            result = services.copy_offerings(school=school, from_year=data["from_year"], to_year=data["to_year"],
                                             by=request.user)
        return Response(result.as_dict())


# --- packages --------------------------------------------------------------------------------------------

class PackageModuleSerializer(serializers.Serializer):
    module = serializers.SlugRelatedField(slug_field="code", queryset=Module.objects.all())
    year_level = serializers.IntegerField(required=False, allow_null=True, min_value=1, max_value=6)
    required = serializers.BooleanField(required=False, default=True)


class PackageSerializer(serializers.ModelSerializer):
    school = serializers.PrimaryKeyRelatedField(read_only=True)
    school_id = serializers.IntegerField(write_only=True, required=False)
    kind = serializers.ChoiceField(choices=PackageKind.choices)
    modules = serializers.SerializerMethodField()
    module_list = PackageModuleSerializer(many=True, write_only=True, required=False)
    mbo_qualifications = serializers.SlugRelatedField(slug_field="crebo", many=True, required=False,
                                                      queryset=MboQualification.objects.all())
    completable = serializers.SerializerMethodField()

    class Meta:
        model = Package
        fields = ["id", "school", "school_id", "name", "kind", "school_year", "description", "regional_rationale",
                  "is_public", "modules", "module_list", "mbo_qualifications", "completable"]

    def get_modules(self, obj) -> list[dict]:
        return [{"module": pm.module.code, "year_level": pm.year_level, "required": pm.required}
                for pm in obj.package_modules.all()]

    def get_completable(self, obj) -> list[str]:
        """The leerwegen that can complete the regulation with this package (the engine's verdict)."""
        checks = self.context.get("checks") or {}
        check = checks.get(obj.pk)
        if check is None:
            check = selectors.package_checks([obj], obj.school)[obj.pk]
        return check.completable


class VerdictSerializer(serializers.Serializer):
    leerweg = serializers.CharField()
    ok = serializers.BooleanField()
    findings = EngineFindingSerializer(many=True)


class CheckResponseSerializer(serializers.Serializer):
    verdicts = VerdictSerializer(many=True)
    leads_to = serializers.ListField(child=serializers.DictField())


class CheckRequestSerializer(serializers.Serializer):
    school_id = serializers.IntegerField(required=False)
    school_year = serializers.IntegerField()
    modules = serializers.SlugRelatedField(slug_field="code", queryset=Module.objects.all(), many=True)


def check_data(check) -> dict:
    return {
        "verdicts": [{"leerweg": lw, "ok": v.ok, "findings": findings_data(v.findings)}
                     for lw, v in check.verdicts.items()],
        "leads_to": [{"crebo": q.crebo, "name": q.name, "level": q.level} for q in check.leads_to],
    }


class PackageViewSet(viewsets.ModelViewSet):
    """Packages (broad or narrow) with their modules and the mbo qualifications they lead to; `completable`
    lists the leerwegen that can complete the regulation with the package (the engine decides)."""

    serializer_class = PackageSerializer
    permission_classes = [RulesPermission]
    write_perm = "schools.change_package"
    filterset_fields = ["school", "school_year", "kind", "is_public"]
    search_fields = ["name", "description"]

    def get_queryset(self):
        return selectors.packages(self.request.user).select_related("school")

    def list(self, request, *args, **kwargs):
        page = self.paginate_queryset(self.filter_queryset(self.get_queryset()))
        checks = {}
        by_school: dict[int, list] = {}
        for p in page:
            by_school.setdefault(p.school_id, []).append(p)
        for group in by_school.values():
            checks.update(selectors.package_checks(group, group[0].school))
        data = PackageSerializer(page, many=True, context={**self.get_serializer_context(), "checks": checks}).data
        return self.get_paginated_response(data)

    def _rows(self, data):
        if any("module" not in row for row in data):  # a PATCH does not enforce the nested required field
            raise ApiError("validation_error", "Elke regel van module_list noemt een module.",
                           "Every row of module_list names a module.")
        return [(row["module"], row.get("year_level"), row.get("required", True)) for row in data]

    def perform_create(self, serializer):
        data = serializer.validated_data
        school = _school_for_write(self.request, data.get("school_id"))
        with service_errors():
            serializer.instance = services.create_package(
                school=school, name=data["name"], kind=data["kind"], school_year=data["school_year"],
                description=data.get("description", ""), regional_rationale=data.get("regional_rationale", ""),
                is_public=data.get("is_public", True), modules=self._rows(data.get("module_list", [])),
                mbo_qualifications=data.get("mbo_qualifications", []), by=self.request.user)

    def perform_update(self, serializer):
        data = serializer.validated_data
        fields = {k: data[k] for k in ("name", "kind", "school_year", "description", "regional_rationale",
                                       "is_public") if k in data}
        with service_errors():
            services.change_package(
                package=serializer.instance, by=self.request.user,
                modules=self._rows(data["module_list"]) if "module_list" in data else None,
                mbo_qualifications=data.get("mbo_qualifications"), **fields)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        with service_errors():
            services.remove_package(package=instance, by=self.request.user)

    @extend_schema(request=None, responses=CheckResponseSerializer)
    @action(detail=True, methods=["get"])
    def completability(self, request, pk=None):
        """Per leerweg: can a student complete the regulation with this package, and why not."""
        package = self.get_object()
        check = selectors.package_checks([package], package.school)[package.pk]
        return Response(check_data(check))

    @extend_schema(request=CheckRequestSerializer, responses=CheckResponseSerializer)
    @action(detail=False, methods=["post"])
    def check(self, request):
        """The engine's verdict for a set of modules, without saving (what the builder shows live)."""
        body = CheckRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        school = _school_for_write(request, body.validated_data.get("school_id"))
        if not request.user.has_perm("schools.plan", school):
            raise PermissionDenied
        modules = list(selectors.modules_for_engine().filter(pk__in=[m.pk for m in body.validated_data["modules"]]))
        with service_errors():
            check = services.check_package(school=school, modules=modules,
                                           school_year=body.validated_data["school_year"])
        return Response(check_data(check))


# --- policy ----------------------------------------------------------------------------------------------

class PolicySerializer(serializers.ModelSerializer):
    school = serializers.PrimaryKeyRelatedField(read_only=True)
    school_id = serializers.IntegerField(write_only=True, required=False)

    class Meta:
        model = SchoolPolicy
        fields = ["id", "school", "school_id", *services.POLICY_FIELDS]


class PolicyViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                    mixins.UpdateModelMixin, viewsets.GenericViewSet):
    """The school's own rules on top of the regulation (one per school; POST creates or replaces it)."""

    serializer_class = PolicySerializer
    permission_classes = [RulesPermission]
    write_perm = "schools.change_policy"
    filterset_fields = ["school"]

    def get_queryset(self):
        return visible_to(self.request.user, SchoolPolicy).order_by("school")

    def _save(self, serializer, school):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.POLICY_FIELDS}
        with service_errors():
            serializer.instance = services.save_policy(school=school, by=self.request.user, **data)

    def perform_create(self, serializer):
        self._save(serializer, _school_for_write(self.request, serializer.validated_data.get("school_id")))

    def perform_update(self, serializer):
        self._save(serializer, serializer.instance.school)


# --- partners --------------------------------------------------------------------------------------------

class PartnerSerializer(serializers.ModelSerializer):
    school = serializers.PrimaryKeyRelatedField(read_only=True)
    school_id = serializers.IntegerField(write_only=True, required=False)
    kind = serializers.ChoiceField(choices=PartnerKind.choices, required=False)

    class Meta:
        model = Partner
        fields = ["id", "school", "school_id", *services.PARTNER_FIELDS]


class PartnerViewSet(viewsets.ModelViewSet):
    serializer_class = PartnerSerializer
    permission_classes = [RulesPermission]
    write_perm = "schools.change_partner"
    filterset_fields = ["school", "kind", "offers_outside_learning", "offers_internship", "offers_assessment"]
    search_fields = ["name", "city"]

    def get_queryset(self):
        return visible_to(self.request.user, Partner).order_by("school", "name")

    def perform_create(self, serializer):
        data = dict(serializer.validated_data)
        school = _school_for_write(self.request, data.pop("school_id", None))
        with service_errors():
            serializer.instance = services.create_partner(school=school, by=self.request.user, **data)

    def perform_update(self, serializer):
        data = {k: v for k, v in serializer.validated_data.items() if k in services.PARTNER_FIELDS}
        with service_errors():
            services.change_partner(partner=serializer.instance, by=self.request.user, **data)

    def perform_destroy(self, instance):
        with service_errors():
            services.remove_partner(partner=instance, by=self.request.user)


# --- teaching groups -------------------------------------------------------------------------------------

class GroupStudentSerializer(serializers.ModelSerializer):
    class Meta:
        model = Student
        fields = ["id", "student_number", "leerweg"]


class TeachingGroupSerializer(serializers.ModelSerializer):
    school = serializers.PrimaryKeyRelatedField(read_only=True)
    offering = _scoped(Offering)
    teacher = serializers.PrimaryKeyRelatedField(read_only=True, allow_null=True)
    teacher_id = serializers.IntegerField(write_only=True, required=False, allow_null=True)
    students = GroupStudentSerializer(many=True, read_only=True)
    student_ids = serializers.ListField(child=serializers.IntegerField(), write_only=True, required=False)
    leerwegen = serializers.SerializerMethodField()

    class Meta:
        model = TeachingGroup
        fields = ["id", "school", "offering", "name", "period", "teacher", "teacher_id", "schedule", "students",
                  "student_ids", "leerwegen"]

    def get_leerwegen(self, obj) -> dict[str, int]:
        """How many students of each leerweg are in the group (mixed groups)."""
        mix: dict[str, int] = {}
        for s in obj.students.all():
            mix[s.leerweg] = mix.get(s.leerweg, 0) + 1
        return mix


StudentIdsSerializer = inline_serializer("StudentIds", {
    "student_ids": serializers.ListField(child=serializers.IntegerField(), allow_empty=False)})


def _student_ids(request) -> list[int]:
    body = StudentIdsSerializer.__class__(data=request.data)
    body.is_valid(raise_exception=True)
    return body.validated_data["student_ids"]


def _students(request, ids) -> list[Student]:
    students = list(visible_to(request.user, Student).filter(pk__in=ids or []))
    if len(students) != len(set(ids or [])):
        raise Http404
    return students


def _teacher(teacher_id):
    if not teacher_id:
        return None
    from django.contrib.auth import get_user_model

    teacher = get_user_model().objects.filter(pk=teacher_id).first()
    if teacher is None:
        raise ApiError("other_school", "Deze docent bestaat niet.", "Unknown teacher.")
    return teacher


class TeachingGroupViewSet(viewsets.ModelViewSet):
    """Teaching groups: an offering in a period with students of any leerweg it is offered for."""

    serializer_class = TeachingGroupSerializer
    permission_classes = [RulesPermission]
    write_perm = "schools.change_teaching_group"
    filterset_fields = ["school", "offering", "offering__school_year", "period", "teacher"]
    search_fields = ["name", "offering__module_version__module__code"]

    def get_queryset(self):
        return selectors.teaching_groups(self.request.user)

    def perform_create(self, serializer):
        data = serializer.validated_data
        offering = data["offering"]
        with service_errors():
            serializer.instance = services.create_teaching_group(
                school=offering.school, offering=offering, name=data["name"], period=data.get("period"),
                teacher=_teacher(data.get("teacher_id")), schedule=data.get("schedule", ""),
                students=_students(self.request, data.get("student_ids")), by=self.request.user)

    def perform_update(self, serializer):
        data = serializer.validated_data
        fields = {k: data[k] for k in ("name", "period", "schedule", "offering") if k in data}
        if "teacher_id" in data:
            fields["teacher"] = _teacher(data["teacher_id"])
        students = _students(self.request, data["student_ids"]) if "student_ids" in data else None
        with service_errors():
            services.change_teaching_group(group=serializer.instance, by=self.request.user, students=students,
                                           **fields)
        serializer.instance = self.get_queryset().get(pk=serializer.instance.pk)

    def perform_destroy(self, instance):
        with service_errors():
            services.remove_teaching_group(group=instance, by=self.request.user)

    @extend_schema(request=StudentIdsSerializer, responses=TeachingGroupSerializer)
    @action(detail=True, methods=["post"], url_path="add-students")
    def add_students(self, request, pk=None):
        group = self.get_object()
        with service_errors():
            services.add_students(group=group, students=_students(request, _student_ids(request)),
                                  by=request.user)
        return Response(TeachingGroupSerializer(self.get_queryset().get(pk=group.pk),
                                                context=self.get_serializer_context()).data)

    @extend_schema(request=StudentIdsSerializer, responses=TeachingGroupSerializer)
    @action(detail=True, methods=["post"], url_path="remove-students")
    def remove_students(self, request, pk=None):
        group = self.get_object()
        in_group = {s.pk: s for s in group.students.all()}
        if not request.user.has_perm("schools.change_teaching_group", group):
            raise PermissionDenied
        for sid in _student_ids(request):
            if sid in in_group:
                services.remove_student(group=group, student=in_group[sid], by=request.user)
        return Response(TeachingGroupSerializer(self.get_queryset().get(pk=group.pk),
                                                context=self.get_serializer_context()).data)


# --- imports and exports ---------------------------------------------------------------------------------

class ImportRequestSerializer(serializers.Serializer):
    school_id = serializers.IntegerField(required=False)
    kind = serializers.ChoiceField(choices=sorted(imports.IMPORTERS))
    file = serializers.FileField()
    dry_run = serializers.BooleanField(default=True)
    school_year = serializers.IntegerField(required=False, help_text="Voor regels zonder schooljaar (lesgroepen).")


ImportReportSerializer = inline_serializer("ImportReport", {
    "kind": serializers.CharField(), "dry_run": serializers.BooleanField(), "rows": serializers.IntegerField(),
    "created": serializers.IntegerField(), "updated": serializers.IntegerField(),
    "unchanged": serializers.IntegerField(), "applied": serializers.BooleanField(), "ok": serializers.BooleanField(),
    "ignored_columns": serializers.ListField(child=serializers.CharField()),
    "errors": serializers.ListField(child=serializers.DictField()),
})


class ImportView(APIView):
    """Import a CSV or XLSX file (all-or-nothing). `dry_run` (default true) only checks. A dry run answers
    200 with the report; a real import with bad rows answers 400 `import_rejected` with the report in
    `details` and changes nothing."""

    permission_classes = [permissions.IsAuthenticated]
    parser_classes = [MultiPartParser, FormParser, JSONParser]

    @extend_schema(request={"multipart/form-data": ImportRequestSerializer}, responses=ImportReportSerializer)
    def post(self, request):
        body = ImportRequestSerializer(data=request.data)
        body.is_valid(raise_exception=True)
        data = body.validated_data
        school = _school_for_write(request, data.get("school_id"))
        upload = data["file"]
        with service_errors():
            report = imports.run_import(data["kind"], upload, school=school, by=request.user,
                                        dry_run=data["dry_run"], filename=upload.name,
                                        school_year=data.get("school_year"))
        if not report.dry_run and not report.ok:
            raise ApiError("import_rejected", f"Het bestand heeft {len(report.errors)} foute regel(s); er is niets "
                                              f"veranderd.", f"{len(report.errors)} bad row(s); nothing changed.",
                           details=report.as_dict())
        return Response(report.as_dict())


class ExportView(APIView):
    """Export in the import's columns: `kind` is aanbod, leerlingen, medewerkers or lesgroepen."""

    permission_classes = [permissions.IsAuthenticated]

    @extend_schema(
        parameters=[OpenApiParameter("school", int), OpenApiParameter("school_year", int),
                    OpenApiParameter("file_format", str, enum=["csv", "xlsx"])],
        responses={(200, "text/csv"): OpenApiTypes.BINARY,
                   (200, "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"): OpenApiTypes.BINARY})
    def get(self, request, kind: str):
        if kind not in imports.IMPORTERS:
            raise Http404
        school = _school_for_write(request, request.query_params.get("school"))
        year = request.query_params.get("school_year")
        fmt = request.query_params.get("file_format", "csv")
        with service_errors():
            headers, rows = imports.export_rows(kind, school=school, by=request.user,
                                                school_year=int(year) if str(year or "").isdigit() else None)
        return table_response(f"{school.brin}-{kind}", headers, rows, "xlsx" if fmt == "xlsx" else "csv")
