"""`/api/v1/diploma/`: exam decisions, transcripts, module credentials, verification and routes.

* decisions/                  list (filters school, school_year, outcome, status, current), retrieve
* decisions/run/              POST {school, school_year, dry_run}: decide every candidate (examensecretaris)
* decisions/{id}/sign-off/    POST: uitslag vaststellen; a signed-off decision -> 409 diploma_decision_signed_off
* decisions/{id}/correct/     POST {reason}: a new decision replaces a signed-off one
* decisions/{id}/history/     every decision of that candidate and exam year
* decisions/export/           GET ?school=&school_year=[&all=1]: the CSV for ROD
* transcripts/{student}/      GET: the cijferlijst (PDF); .../diploma/ and .../certificate/
* credentials/                list (own, own child, or the exam office's school), retrieve (the credential JSON)
* credentials/{id}/jwt/       GET: the signed VC-JWT
* credentials/issue/          POST {school}: sign credentials for every completed module
* credentials/{id}/revoke/    POST {reason}
* verify/                     POST {credential, holder_name?}: anyone; what the credential proves
* routes/                     continuous routes (list, retrieve, create), routes/progress/?student=
"""

from __future__ import annotations

import io

from django.db.models import Q
from django.http import HttpResponse
from drf_spectacular.types import OpenApiTypes
from drf_spectacular.utils import OpenApiParameter, extend_schema, extend_schema_view
from rest_framework import mixins, permissions, serializers, status, viewsets
from rest_framework.decorators import action
from rest_framework.response import Response
from rest_framework.throttling import AnonRateThrottle, UserRateThrottle
from rest_framework.views import APIView

from maatwerk.accounts.models import Role
from maatwerk.accounts.predicates import require
from maatwerk.accounts.scoping import roles_of, visible_to
from maatwerk.web.api import ApiError

from . import credentials as vc
from . import export, pdf, selectors, services
from .models import ContinuousRoute, DecisionStatus, ExamDecision, ExamOutcome, ModuleCredential, RouteKind


def call(fn, **kwargs):
    """Run a service; its refusals become the API's JSON errors with their stable code."""
    try:
        return fn(**kwargs)
    except services.DiplomaError as exc:
        raise ApiError(exc.code, exc.nl, exc.en, exc.status, details=exc.details) from exc
    except vc.CredentialError as exc:
        raise ApiError(exc.code, exc.nl, exc.en, status.HTTP_409_CONFLICT) from exc


def _school(user, brin: str | None):
    school, _ = selectors.pick_school(user, brin)
    if school is None or (brin and school.brin.upper() != brin.upper()):
        raise ApiError("diploma_school_unknown", "Onbekende school, of u bent daar geen examensecretaris of "
                       "schoolleider.", "Unknown school, or you are not its exam secretary or school leader.",
                       status.HTTP_404_NOT_FOUND)
    return school


def _exam_office_or_own(user, qs, student_path: str = "student"):
    """Decisions and credentials: the exam office of the school sees all; a student or parent their own."""
    if user.is_superuser:
        return qs
    rs = roles_of(user)
    schools = rs.schools({Role.EXAM_SECRETARY, Role.SCHOOL_LEADER})
    return qs.filter(Q(**{f"{student_path}__school__in": schools}) | Q(**{f"{student_path}__in": rs.students()}))


# --- serializers ---------------------------------------------------------------------------------


class DecisionStudentSerializer(serializers.Serializer):
    id = serializers.IntegerField()
    student_number = serializers.CharField()
    name = serializers.CharField(source="full_name")
    leerweg = serializers.CharField()
    school = serializers.CharField(source="school.brin")


class DecisionFindingSerializer(serializers.Serializer):
    code = serializers.CharField()
    severity = serializers.CharField()
    message = serializers.CharField()
    source = serializers.CharField()
    subject = serializers.CharField(allow_null=True, required=False)


class DecisionSerializer(serializers.ModelSerializer):
    student = DecisionStudentSerializer(read_only=True)
    outcome_display = serializers.CharField(source="get_outcome_display", read_only=True)
    status_display = serializers.CharField(source="get_status_display", read_only=True)
    findings = DecisionFindingSerializer(many=True, read_only=True)
    final_grades = serializers.DictField(child=serializers.IntegerField(), read_only=True)
    levels = serializers.DictField(child=serializers.CharField(), read_only=True)
    left_out = serializers.ListField(child=serializers.CharField(), read_only=True)
    signed_off_by = serializers.CharField(source="signed_off_by.full_name", read_only=True, default=None,
                                          allow_null=True)

    class Meta:
        model = ExamDecision
        fields = ["id", "student", "school_year", "regulation_id", "outcome", "outcome_display", "status",
                  "status_display", "final_grades", "combination_grade", "left_out", "cum_laude", "levels", "findings",
                  "computed_at", "signed_off_at", "signed_off_by", "supersedes", "correction_reason"]
        read_only_fields = fields


class DecisionDetailSerializer(DecisionSerializer):
    inputs = serializers.JSONField(read_only=True)

    class Meta(DecisionSerializer.Meta):
        fields = [*DecisionSerializer.Meta.fields, "inputs"]
        read_only_fields = fields


class DecisionRunSerializer(serializers.Serializer):
    school = serializers.CharField(help_text="BRIN van de school.")
    school_year = serializers.IntegerField(min_value=2000, max_value=2100, help_text="Examenjaar: 2025 is 2025-2026.")
    dry_run = serializers.BooleanField(default=False, help_text="Alleen berekenen, niets opslaan.")


class DecisionRunLineSerializer(serializers.Serializer):
    student_id = serializers.IntegerField(source="student.pk")
    outcome = serializers.CharField(source="decision.outcome", default=None)
    changed = serializers.BooleanField()
    decision_id = serializers.IntegerField(source="decision.pk", default=None)
    error = serializers.CharField()


class DecisionRunReportSerializer(serializers.Serializer):
    summary = serializers.CharField(source="summary_text")
    dry_run = serializers.BooleanField()
    candidates = serializers.IntegerField()
    created = serializers.IntegerField()
    unchanged = serializers.IntegerField()
    outcomes = serializers.DictField(child=serializers.IntegerField())
    seconds = serializers.FloatField()
    lines = DecisionRunLineSerializer(many=True)


class DiplomaReasonSerializer(serializers.Serializer):
    reason = serializers.CharField()


class CredentialSerializer(serializers.ModelSerializer):
    module = serializers.CharField(source="module_version.module.code", read_only=True)
    module_version = serializers.IntegerField(source="module_version.version", read_only=True)
    title = serializers.CharField(source="module_version.title", read_only=True)
    student = serializers.IntegerField(source="student_id", read_only=True)
    revoked = serializers.BooleanField(source="is_revoked", read_only=True)
    public_url = serializers.SerializerMethodField()

    class Meta:
        model = ModuleCredential
        fields = ["id", "student", "module", "module_version", "title", "issued_at", "revoked", "revoked_at",
                  "revocation_reason", "public_url"]
        read_only_fields = fields

    def get_public_url(self, obj) -> str:
        return vc.public_url("diploma:credential_public", pk=obj.pk)


class CredentialDetailSerializer(CredentialSerializer):
    credential = serializers.JSONField(read_only=True)
    jwt = serializers.CharField(read_only=True)

    class Meta(CredentialSerializer.Meta):
        fields = [*CredentialSerializer.Meta.fields, "credential", "jwt"]
        read_only_fields = fields


class CredentialIssueSerializer(serializers.Serializer):
    school = serializers.CharField(help_text="BRIN van de school.")


class CredentialIssueReportSerializer(serializers.Serializer):
    issued = serializers.IntegerField()
    already = serializers.IntegerField()
    revoked = serializers.IntegerField()
    summary = serializers.CharField()


class VerifyInputSerializer(serializers.Serializer):
    credential = serializers.CharField(help_text="De VC-JWT (compact JWS) of de JSON van het certificaat.")
    holder_name = serializers.CharField(required=False, allow_blank=True,
                                        help_text="Naam van de houder: klopt die met het certificaat?")


class VerificationCheckSerializer(serializers.Serializer):
    label = serializers.CharField()
    ok = serializers.BooleanField()
    detail = serializers.CharField()


class VerificationSerializer(serializers.Serializer):
    valid = serializers.BooleanField()
    status = serializers.ChoiceField(choices=["valid", "revoked", "tampered", "malformed", "header", "unknown_key",
                                              "claims", "schema", "not_yet_valid", "expired", "unknown", "changed",
                                              "empty"])
    reason = serializers.DictField(child=serializers.CharField())
    form = serializers.CharField()
    checks = VerificationCheckSerializer(many=True)
    proves = serializers.ListField(child=serializers.CharField())
    credential = serializers.JSONField(allow_null=True)
    credential_id = serializers.CharField(allow_null=True)
    name_matches = serializers.BooleanField(allow_null=True)


class ContinuousRouteSerializer(serializers.ModelSerializer):
    mbo_college = serializers.CharField(source="mbo_college.name", read_only=True)
    mbo_college_id = serializers.IntegerField(write_only=True)
    crebo = serializers.CharField(source="qualification.crebo")
    qualification = serializers.CharField(source="qualification.name", read_only=True)
    level = serializers.IntegerField(source="qualification.level", read_only=True)
    starting_qualification = serializers.BooleanField(read_only=True)
    modules = serializers.SlugRelatedField(many=True, slug_field="code", read_only=True)
    module_codes = serializers.ListField(child=serializers.CharField(), write_only=True, required=False)
    school = serializers.CharField(source="school.brin")

    class Meta:
        model = ContinuousRoute
        fields = ["id", "school", "name", "kind", "five_year", "mbo_college", "mbo_college_id", "crebo", "qualification",
                  "level", "starting_qualification", "modules", "module_codes", "description"]


class ContinuousRouteProgressSerializer(serializers.Serializer):
    route = serializers.IntegerField(source="route.pk")
    name = serializers.CharField(source="route.name")
    done = serializers.IntegerField()
    total = serializers.IntegerField()
    starting_qualification = serializers.BooleanField()
    vmbo_outcome = serializers.CharField()
    steps = serializers.SerializerMethodField()

    def get_steps(self, obj) -> list[dict]:
        return [{"label": label, "state": state, "text": text} for label, state, text in obj.steps]


# --- viewsets ------------------------------------------------------------------------------------

DECISION_FILTERS = [
    OpenApiParameter("school", str, description="BRIN."),
    OpenApiParameter("school_year", int, description="Examenjaar."),
    OpenApiParameter("outcome", str, enum=ExamOutcome.values),
    OpenApiParameter("status", str, enum=DecisionStatus.values),
    OpenApiParameter("current", bool, description="Alleen geldende besluiten (standaard: ja)."),
]
PDF = {(200, "application/pdf"): OpenApiTypes.BINARY}


@extend_schema_view(list=extend_schema(parameters=DECISION_FILTERS))
class DecisionViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        qs = _exam_office_or_own(self.request.user, selectors.decision_queryset(self.request.user))
        params = self.request.query_params
        if self.action == "list":
            if params.get("current", "true").lower() not in ("0", "false", "nee"):
                qs = qs.current()
            if params.get("school"):
                qs = qs.filter(student__school__brin__iexact=params["school"])
            if (params.get("school_year") or "").isdigit():
                qs = qs.filter(school_year=int(params["school_year"]))
            if params.get("outcome") in ExamOutcome.values:
                qs = qs.filter(outcome=params["outcome"])
            if params.get("status") in DecisionStatus.values:
                qs = qs.filter(status=params["status"])
        return qs.order_by("school_year", "student__last_name", "student__first_name", "pk")

    def get_serializer_class(self):
        return DecisionDetailSerializer if self.action == "retrieve" else DecisionSerializer

    @extend_schema(request=DecisionRunSerializer, responses=DecisionRunReportSerializer)
    @action(detail=False, methods=["post"])
    def run(self, request):
        data = DecisionRunSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        school = _school(request.user, data.validated_data["school"])
        report = call(services.run_decisions, by=request.user, school=school,
                      school_year=data.validated_data["school_year"], dry_run=data.validated_data["dry_run"])
        body = {"summary_text": report.summary(), "dry_run": report.dry_run, "candidates": len(report.lines),
                "created": len(report.created), "unchanged": len(report.unchanged), "outcomes": dict(report.outcomes),
                "seconds": round(report.seconds, 3), "lines": report.lines}
        return Response(DecisionRunReportSerializer(body).data,
                        status=status.HTTP_200_OK if report.dry_run else status.HTTP_201_CREATED)

    @extend_schema(request=None, responses=DecisionSerializer)
    @action(detail=True, methods=["post"], url_path="sign-off")
    def sign_off(self, request, pk=None):
        decision = call(services.sign_off, by=request.user, decision=self.get_object())
        return Response(DecisionSerializer(self.get_queryset().get(pk=decision.pk)).data)

    @extend_schema(request=DiplomaReasonSerializer, responses={201: DecisionSerializer})
    @action(detail=True, methods=["post"])
    def correct(self, request, pk=None):
        data = DiplomaReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        new = call(services.correct_decision, by=request.user, decision=self.get_object(),
                   reason=data.validated_data["reason"])
        return Response(DecisionSerializer(self.get_queryset().get(pk=new.pk)).data, status=status.HTTP_201_CREATED)

    @extend_schema(responses=DecisionSerializer(many=True))
    @action(detail=True, methods=["get"], pagination_class=None, filter_backends=[])
    def history(self, request, pk=None):
        return Response(DecisionSerializer(selectors.decision_history(self.get_object()), many=True).data)

    @extend_schema(parameters=[OpenApiParameter("school", str, required=True), OpenApiParameter("school_year", int,
                                                                                              required=True),
                               OpenApiParameter("all", bool, description="Ook niet vastgestelde uitslagen.")],
                   responses={(200, "text/csv"): OpenApiTypes.STR})
    @action(detail=False, methods=["get"])
    def export(self, request):
        school = _school(request.user, request.query_params.get("school"))
        require(request.user, "diploma.export_results", school)
        year = request.query_params.get("school_year", "")
        if not year.isdigit():
            raise ApiError("diploma_school_year", "Geef het examenjaar (school_year).", "Give the school_year.")
        out = io.StringIO()
        export.write_rod_csv(out, school=school, school_year=int(year),
                             include_drafts=request.query_params.get("all") in ("1", "true"))
        response = HttpResponse(out.getvalue(), content_type="text/csv; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="examenuitslagen-{school.brin}-{year}.csv"'
        return response


class TranscriptViewSet(viewsets.GenericViewSet):
    """The cijferlijst, diploma and certificaat of a student as PDF (the same documents as the pages)."""

    permission_classes = [permissions.IsAuthenticated]
    serializer_class = None
    queryset = ExamDecision.objects.none()

    def _pdf(self, request, pk, kind):
        student = selectors.student_for(request.user, pk)
        require(request.user, "diploma.view_transcript", student)
        year = request.query_params.get("school_year", "")
        transcript = selectors.transcript_for(student, int(year) if year.isdigit() else None)
        body = {"cijferlijst": pdf.transcript_pdf, "diploma": pdf.diploma_pdf,
                "certificaat": pdf.certificate_pdf}[kind](transcript)
        response = HttpResponse(body, content_type="application/pdf")
        response["Content-Disposition"] = f'inline; filename="{pdf.filename(kind, transcript)}"'
        return response

    @extend_schema(parameters=[OpenApiParameter("school_year", int)], responses=PDF)
    def retrieve(self, request, pk=None):
        return self._pdf(request, pk, "cijferlijst")

    @extend_schema(parameters=[OpenApiParameter("school_year", int)], responses=PDF)
    @action(detail=True, methods=["get"])
    def diploma(self, request, pk=None):
        return self._pdf(request, pk, "diploma")

    @extend_schema(parameters=[OpenApiParameter("school_year", int)], responses=PDF)
    @action(detail=True, methods=["get"])
    def certificate(self, request, pk=None):
        return self._pdf(request, pk, "certificaat")


@extend_schema_view(list=extend_schema(parameters=[OpenApiParameter("student", int), OpenApiParameter("school", str),
                                                   OpenApiParameter("revoked", bool)]))
class CredentialViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    filter_backends: list = []

    def get_queryset(self):
        qs = visible_to(self.request.user, ModuleCredential).select_related("module_version__module", "student")
        qs = _exam_office_or_own(self.request.user, qs)
        params = self.request.query_params
        if (params.get("student") or "").isdigit():
            qs = qs.filter(student_id=int(params["student"]))
        if params.get("school"):
            qs = qs.filter(student__school__brin__iexact=params["school"])
        if params.get("revoked") in ("true", "1"):
            qs = qs.filter(revoked_at__isnull=False)
        elif params.get("revoked") in ("false", "0"):
            qs = qs.filter(revoked_at__isnull=True)
        return qs.order_by("-issued_at", "pk")

    def get_serializer_class(self):
        return CredentialDetailSerializer if self.action == "retrieve" else CredentialSerializer

    @extend_schema(responses={(200, "application/jwt"): OpenApiTypes.STR})
    @action(detail=True, methods=["get"])
    def jwt(self, request, pk=None):
        return HttpResponse(self.get_object().jwt, content_type="application/jwt")

    @extend_schema(request=CredentialIssueSerializer, responses={201: CredentialIssueReportSerializer})
    @action(detail=False, methods=["post"])
    def issue(self, request):
        data = CredentialIssueSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        school = _school(request.user, data.validated_data["school"])
        report = call(services.issue_credentials, by=request.user, school=school)
        return Response({"issued": len(report.issued), "already": report.already, "revoked": len(report.revoked),
                         "summary": report.summary()}, status=status.HTTP_201_CREATED)

    @extend_schema(request=DiplomaReasonSerializer, responses=CredentialSerializer)
    @action(detail=True, methods=["post"])
    def revoke(self, request, pk=None):
        data = DiplomaReasonSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        credential = call(services.revoke_credential, by=request.user, credential=self.get_object(),
                          reason=data.validated_data["reason"])
        return Response(CredentialSerializer(credential).data)


class VerifyThrottle(AnonRateThrottle):
    rate = "60/minute"


class VerifyView(APIView):
    """Anyone may verify a credential: the signature with the school's key, the claims, the OB 3.0 schema and
    revocation. The answer says why, in Dutch and English, and what the credential proves."""

    permission_classes = [permissions.AllowAny]
    throttle_classes = [VerifyThrottle, UserRateThrottle]

    @extend_schema(request=VerifyInputSerializer, responses={200: VerificationSerializer},
                   description="Controleer een modulecertificaat (VC-JWT of JSON).")
    def post(self, request):
        data = VerifyInputSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        result = vc.verify_text(data.validated_data["credential"],
                                holder_name=data.validated_data.get("holder_name", ""))
        return Response(VerificationSerializer(result.as_dict()).data)


class RouteViewSet(mixins.ListModelMixin, mixins.RetrieveModelMixin, mixins.CreateModelMixin,
                   viewsets.GenericViewSet):
    permission_classes = [permissions.IsAuthenticated]
    serializer_class = ContinuousRouteSerializer
    filter_backends: list = []

    def get_queryset(self):
        return (visible_to(self.request.user, ContinuousRoute).select_related("qualification", "mbo_college", "school")
                .prefetch_related("modules").order_by("school__name", "name"))

    def create(self, request, *args, **kwargs):
        from maatwerk.catalog.models import MboQualification, Module
        from maatwerk.schools.models import Partner

        data = ContinuousRouteSerializer(data=request.data)
        data.is_valid(raise_exception=True)
        v = data.validated_data
        from maatwerk.schools.models import School

        school = School.objects.filter(brin__iexact=v["school"]["brin"]).first()
        if school is None or not request.user.has_perm("diploma.manage_routes", school):
            raise ApiError("permission_denied", "U heeft geen toestemming voor deze handeling.",
                           "You do not have permission.", status.HTTP_403_FORBIDDEN)
        qualification = MboQualification.objects.filter(crebo=v["qualification"]["crebo"]).first()
        college = Partner.objects.filter(pk=v["mbo_college_id"], school=school).first()
        if qualification is None or college is None:
            raise ApiError("diploma_route_reference", "Onbekende mbo-kwalificatie (crebo) of mbo-instelling.",
                           "Unknown qualification or mbo college.")
        modules = list(Module.objects.filter(code__in=v.get("module_codes", [])))
        route = call(services.create_route, by=request.user, school=school, mbo_college=college,
                     qualification=qualification, kind=v["kind"] if v["kind"] in RouteKind.values else "",
                     name=v["name"], five_year=v.get("five_year", False), modules=modules,
                     description=v.get("description", ""))
        return Response(ContinuousRouteSerializer(route).data, status=status.HTTP_201_CREATED)

    @extend_schema(parameters=[OpenApiParameter("student", int, required=True)],
                   responses=ContinuousRouteProgressSerializer(many=True))
    @action(detail=False, methods=["get"])
    def progress(self, request):
        student_id = request.query_params.get("student", "")
        if not student_id.isdigit():
            raise ApiError("diploma_student_required", "Geef de leerling (student).", "Give the student.")
        student = selectors.student_for(request.user, int(student_id))
        require(request.user, "diploma.view_transcript", student)
        return Response(ContinuousRouteProgressSerializer(selectors.routes_of(student), many=True).data)
