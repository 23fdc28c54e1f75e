"""Pages of the diploma app (/examen/). Thin: they read through selectors and write through services.

* the examensecretaris: decisions of a school and exam year (run, review, sign off), one decision with its
  reasons and history (correct), the ROD export, module certificates
* a student (and their parent, and staff): the cijferlijst, diploma and certificaat as PDF, their module
  credentials (JSON and VC-JWT), continuous routes with progress towards the startkwalificatie
* anyone: the verification page, a credential's public page, the school's keys, issuer profile and status list
"""

from __future__ import annotations

import io
import json
import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404, HttpResponse, JsonResponse
from django.shortcuts import get_object_or_404, redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.cache import cache_control
from django.views.decorators.http import require_POST

from maatwerk.accounts.models import Role
from maatwerk.accounts.predicates import require
from maatwerk.accounts.scoping import roles_of
from maatwerk.domain import Leerweg, school_year_label, school_year_of

from . import credentials as vc
from . import export, pdf, selectors, services
from .forms import CorrectForm, RevokeForm, RouteForm, RunForm, SubjectGradesForm, VerifyForm
from .models import DecisionStatus, ExamOutcome, ModuleCredential, SchoolKey

PAGE_SIZE = 100


def _refuse(request, exc) -> None:
    messages.error(request, f"{getattr(exc, 'nl', None) or exc.messages[0]} ({exc.code})")


def _school_and_year(request):
    school, schools = selectors.pick_school(request.user, request.GET.get("school") or request.POST.get("school"))
    if school is None:
        raise PermissionDenied("U heeft geen toestemming voor deze handeling.")
    raw = str(request.GET.get("jaar") or request.POST.get("jaar") or request.POST.get("school_year") or "")
    year = int(raw) if re.fullmatch(r"20[0-9]{2}|2100", raw) else school_year_of()
    return school, schools, year


def _back(school, year) -> str:
    return f"{reverse('diploma:decisions')}?school={school.brin}&jaar={year}"


# --- the examensecretaris -----------------------------------------------------------------------


@login_required
def decisions(request):
    rs = roles_of(request.user)
    if not rs.schools({Role.EXAM_SECRETARY, Role.SCHOOL_LEADER}) and not request.user.is_superuser:
        if rs.students():
            return redirect("diploma:mine")
        raise PermissionDenied("U heeft geen toestemming voor deze handeling.")
    school, schools, year = _school_and_year(request)
    require(request.user, "diploma.view_decisions", school)
    return _decisions_page(request, school, schools, year)


def _decisions_page(request, school, schools, year, preview=None, run_form=None):
    filters = selectors.DecisionFilters.from_query(request.GET)
    qs = selectors.current_decisions_for(request.user, school, year, filters)
    page = Paginator(qs, PAGE_SIZE).get_page(request.GET.get("pagina"))
    counts = selectors.decision_counts(request.user, school, year)
    candidates = services.exam_candidates(school, year).count()
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "diploma/decisions.html", {
        "school": school, "schools": schools, "year": year, "year_label": school_year_label(year),
        "years": selectors.exam_years(school), "filters": filters, "page": page, "rows": list(page.object_list),
        "counts": counts, "candidates": candidates, "undecided": max(candidates - counts["total"], 0),
        "outcomes": ExamOutcome.choices, "statuses": DecisionStatus.choices, "leerwegen": Leerweg.choices,
        "querystring": query.urlencode(), "preview": preview,
        "run_form": run_form or RunForm(initial={"school_year": year}),
        "outcome_badge": selectors.OUTCOME_BADGE, "status_badge": selectors.STATUS_BADGE,
    })


@login_required
@require_POST
def run(request):
    school, schools, year = _school_and_year(request)
    form = RunForm(request.POST)
    if not form.is_valid():
        return _decisions_page(request, school, schools, year, run_form=form)
    year = form.cleaned_data["school_year"]
    try:
        report = services.run_decisions(by=request.user, school=school, school_year=year,
                                        dry_run=form.cleaned_data["dry_run"])
    except services.DiplomaError as exc:
        _refuse(request, exc)
        return redirect(_back(school, year))
    if report.dry_run:
        messages.info(request, report.summary())
        return _decisions_page(request, school, schools, year, preview=report, run_form=form)
    messages.success(request, report.summary())
    return redirect(_back(school, year))


@login_required
@require_POST
def sign_off_selected(request):
    school, _, year = _school_and_year(request)
    ids = [i for i in request.POST.getlist("besluit") if i.isdigit()]
    chosen = list(selectors.decision_queryset(request.user).filter(pk__in=ids, student__school=school))
    if not chosen:
        messages.error(request, "Kies eerst een of meer uitslagen om vast te stellen.")
        return redirect(_back(school, year))
    done, refused = services.sign_off_many(by=request.user, decisions=chosen)
    if done:
        messages.success(request, f"{len(done)} uitslag{'en' if len(done) != 1 else ''} vastgesteld.")
    for decision, exc in refused:
        messages.error(request, f"{decision.student.full_name}: {exc.nl} ({exc.code})")
    return redirect(_back(school, year))


@login_required
def decision_detail(request, pk: int):
    decision = selectors.decision_for(request.user, pk)
    require(request.user, "diploma.view_decisions", decision)
    transcript = selectors.transcript_for(decision.student, decision.school_year, decision=decision)
    current = selectors.is_current(decision)
    return render(request, "diploma/decision.html", {
        "decision": decision, "student": decision.student, "t": transcript, "current": current,
        "history": selectors.decision_history(decision), "correct_form": CorrectForm(),
        "can_sign": current and decision.status == DecisionStatus.DRAFT and decision.outcome != ExamOutcome.INCOMPLETE,
        "can_correct": current and decision.status == DecisionStatus.SIGNED_OFF,
        "errors": [f for f in decision.findings if f["severity"] == "error"],
        "others": [f for f in decision.findings if f["severity"] != "error"],
        "outcome_badge": selectors.OUTCOME_BADGE, "status_badge": selectors.STATUS_BADGE,
    })


@login_required
@require_POST
def decision_sign_off(request, pk: int):
    decision = selectors.decision_for(request.user, pk)
    try:
        services.sign_off(by=request.user, decision=decision)
        messages.success(request, f"De uitslag van {decision.student.full_name} is vastgesteld: "
                                  f"{decision.get_outcome_display()}.")
    except services.DiplomaError as exc:
        _refuse(request, exc)
    return redirect("diploma:decision", pk=pk)


@login_required
@require_POST
def decision_correct(request, pk: int):
    decision = selectors.decision_for(request.user, pk)
    form = CorrectForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Geef de reden van de correctie.")
        return redirect("diploma:decision", pk=pk)
    try:
        new = services.correct_decision(by=request.user, decision=decision, reason=form.cleaned_data["reason"])
    except services.DiplomaError as exc:
        _refuse(request, exc)
        return redirect("diploma:decision", pk=pk)
    messages.success(request, "Er is een nieuw besluit berekend met de reden van de correctie. Controleer het en stel "
                              "het vast.")
    return redirect("diploma:decision", pk=new.pk)


@login_required
@require_POST
def decision_rerun(request, pk: int):
    decision = selectors.decision_for(request.user, pk)
    try:
        line = services.decide_one(by=request.user, student=decision.student, school_year=decision.school_year)
    except services.DiplomaError as exc:
        _refuse(request, exc)
        return redirect("diploma:decision", pk=pk)
    if line.error:
        messages.error(request, line.error)
    elif not line.changed:
        messages.info(request, "Opnieuw berekend: de cijfers zijn niet veranderd, het besluit blijft zoals het is.")
    else:
        messages.success(request, "Opnieuw berekend: er is een nieuw besluit; het vorige staat in de geschiedenis.")
        return redirect("diploma:decision", pk=line.decision.pk)
    return redirect("diploma:decision", pk=pk)


@login_required
def export_csv(request):
    school, _, year = _school_and_year(request)
    require(request.user, "diploma.export_results", school)
    out = io.StringIO()
    export.write_rod_csv(out, school=school, school_year=year, include_drafts=request.GET.get("alle") == "1")
    response = HttpResponse("\ufeff" + out.getvalue(), content_type="text/csv; charset=utf-8")
    response["Content-Disposition"] = f'attachment; filename="examenuitslagen-{school.brin}-{year}.csv"'
    return response


@login_required
def subject_grades(request):
    """The vakcijfers of the general subjects from the school's administration (assessment.subject_imports):
    check first, then all or nothing."""
    from maatwerk.assessment.models import SubjectGrade
    from maatwerk.assessment.subject_imports import TableError, import_subject_grades

    school, schools, year = _school_and_year(request)
    require(request.user, "diploma.run_decisions", school)
    form = SubjectGradesForm(request.POST or None, request.FILES or None)
    report = file_error = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        try:
            report = import_subject_grades(by=request.user, school=school, school_year=year, upload=upload,
                                           dry_run=form.cleaned_data["dry_run"], filename=upload.name)
        except TableError as exc:
            file_error = exc.nl
        else:
            if report.written:
                messages.success(request, report.summary())
    stored = SubjectGrade.objects.filter(student__school=school, school_year=year)
    failed = file_error is not None or (report is not None and not report.ok) or (request.method == "POST"
                                                                                   and not form.is_valid())
    return render(request, "diploma/subject_grades.html", {
        "school": school, "schools": schools, "year": year, "year_label": school_year_label(year),
        "years": selectors.exam_years(school), "form": form, "report": report, "file_error": file_error,
        "stored": stored.count(), "stored_students": stored.values("student").distinct().count(),
        "candidates": services.exam_candidates(school, year).count(),
    }, status=400 if failed else 200)


@login_required
@require_POST
def credentials_issue(request):
    school, _, year = _school_and_year(request)
    try:
        report = services.issue_credentials(by=request.user, school=school)
        messages.success(request, report.summary() + ".")
    except services.DiplomaError as exc:
        _refuse(request, exc)
    except vc.CredentialError as exc:
        messages.error(request, f"{exc.nl} ({exc.code})")
    return redirect(_back(school, year))


@login_required
def credentials_list(request):
    school, schools, year = _school_and_year(request)
    require(request.user, "diploma.issue_credentials", school)
    page = Paginator(selectors.school_credentials(request.user, school), PAGE_SIZE).get_page(request.GET.get("pagina"))
    return render(request, "diploma/credentials.html", {"school": school, "schools": schools, "year": year,
                                                         "page": page, "revoke_form": RevokeForm()})


@login_required
@require_POST
def credential_revoke(request, pk):
    credential = selectors.credential_for(request.user, pk)
    form = RevokeForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Geef de reden van de intrekking.")
    else:
        try:
            services.revoke_credential(by=request.user, credential=credential, reason=form.cleaned_data["reason"])
            messages.success(request, f"Het certificaat voor {credential.module_version.module.code} is ingetrokken.")
        except services.DiplomaError as exc:
            _refuse(request, exc)
    return redirect(request.POST.get("next") or reverse("diploma:student", args=[credential.student_id]))


# --- the student's page and documents -----------------------------------------------------------


@login_required
def mine(request):
    students = selectors.own_students(request.user)
    if len(students) == 1:
        return redirect("diploma:student", pk=students[0].pk)
    if not students:
        raise Http404("Niet gevonden.")
    return render(request, "diploma/mine.html", {"students": students})


@login_required
def student_page(request, pk: int):
    student = selectors.student_for(request.user, pk)
    require(request.user, "diploma.view_transcript", student)
    transcript = selectors.transcript_for(student)
    creds = selectors.credentials_of(request.user, student)
    can_download = request.user.has_perm("diploma.download_credential", student)
    return render(request, "diploma/student.html", {
        "student": student, "t": transcript, "decision": transcript.decision,
        "credentials": creds if can_download else [], "can_download": can_download,
        "routes": selectors.routes_of(student), "outcome_badge": selectors.OUTCOME_BADGE,
        "is_exam_office": request.user.has_perm("diploma.view_decisions", student.school),
        "can_revoke": request.user.has_perm("diploma.revoke_credential", student), "revoke_form": RevokeForm(),
    })


def _document(request, pk: int, kind: str):
    student = selectors.student_for(request.user, pk)
    require(request.user, "diploma.view_transcript", student)
    year = request.GET.get("jaar")
    transcript = selectors.transcript_for(student, int(year) if year and year.isdigit() else None)
    render_pdf = {"cijferlijst": pdf.transcript_pdf, "diploma": pdf.diploma_pdf, "certificaat": pdf.certificate_pdf}[kind]
    response = HttpResponse(render_pdf(transcript), content_type="application/pdf")
    response["Content-Disposition"] = f'inline; filename="{pdf.filename(kind, transcript)}"'
    return response


@login_required
def transcript_pdf(request, pk: int):
    return _document(request, pk, "cijferlijst")


@login_required
def diploma_pdf(request, pk: int):
    return _document(request, pk, "diploma")


@login_required
def certificate_pdf(request, pk: int):
    return _document(request, pk, "certificaat")


@login_required
def credential_download(request, pk, fmt: str):
    credential = selectors.credential_for(request.user, pk)
    require(request.user, "diploma.download_credential", credential)
    code = credential.module_version.module.code
    if fmt == "json":
        response = HttpResponse(json.dumps(credential.credential, ensure_ascii=False, indent=2),
                                content_type="application/json; charset=utf-8")
        response["Content-Disposition"] = f'attachment; filename="modulecertificaat-{code}.json"'
    else:
        response = HttpResponse(credential.jwt, content_type="application/jwt")
        response["Content-Disposition"] = f'attachment; filename="modulecertificaat-{code}.jwt"'
    return response


# --- continuous routes --------------------------------------------------------------------------


@login_required
def routes(request):
    from maatwerk.schools.models import School

    rs = roles_of(request.user)
    ids = rs.schools({Role.SCHOOL_LEADER, Role.COUNSELLOR, Role.EXAM_SECRETARY, Role.MENTOR})
    school = School.objects.filter(pk__in=ids).order_by("name").first() if not request.user.is_superuser else \
        School.objects.filter(brin=request.GET.get("school", "")).first() or School.objects.order_by("name").first()
    if school is None:
        raise PermissionDenied("U heeft geen toestemming voor deze handeling.")
    can_manage = request.user.has_perm("diploma.manage_routes", school)
    form = RouteForm(school=school)
    if request.method == "POST":
        if not can_manage:
            raise PermissionDenied("U heeft geen toestemming voor deze handeling.")
        form = RouteForm(request.POST, school=school)
        if form.is_valid():
            data = form.cleaned_data
            try:
                route = services.create_route(by=request.user, school=school, mbo_college=data["mbo_college"],
                                              qualification=data["qualification"], kind=data["kind"], name=data["name"],
                                              five_year=data["five_year"], modules=data["modules"],
                                              description=data["description"])
                messages.success(request, f"De route {route.name} is aangemaakt.")
                return redirect("diploma:routes")
            except services.DiplomaError as exc:
                form.add_error(None, f"{exc.nl} ({exc.code})")
    return render(request, "diploma/routes.html", {"school": school, "routes": selectors.routes_for(request.user, school),
                                                   "form": form, "can_manage": can_manage})


# --- public: verification, keys, issuer, status list --------------------------------------------


def verify(request):
    result = None
    form = VerifyForm()
    if request.method == "POST":
        form = VerifyForm(request.POST, request.FILES)
        if form.is_valid():
            result = vc.verify_text(form.cleaned_data["text"], holder_name=form.cleaned_data["holder_name"])
    return render(request, "diploma/verify.html", {"form": form, "result": result})


def credential_public(request, pk):
    credential = get_object_or_404(ModuleCredential.objects.select_related("key__school"), pk=pk)
    result = vc.verify_text(credential.jwt, holder_name=request.GET.get("naam", ""))
    return render(request, "diploma/verify.html", {"form": None, "result": result, "public_page": True,
                                                   "credential_id": credential.pk})


@cache_control(max_age=3600, public=True)
def key(request, kid: str):
    school_key = get_object_or_404(SchoolKey, kid=kid)
    return JsonResponse(school_key.public_jwk, content_type="application/jwk+json")


@cache_control(max_age=3600, public=True)
def issuer(request, brin: str):
    from maatwerk.schools.models import School

    school = get_object_or_404(School, brin__iexact=brin)
    return JsonResponse({"@context": [vc.VC_CONTEXT, vc.OB_CONTEXT], **vc.issuer_profile(school)},
                        json_dumps_params={"ensure_ascii": False, "indent": 2})


@cache_control(max_age=300, public=True)
def status_list(request, brin: str):
    """The school's BitstringStatusListCredential as a VC-JWT signed with its key (revocations)."""
    from maatwerk.schools.models import School

    school = get_object_or_404(School, brin__iexact=brin)
    school_key = SchoolKey.objects.filter(school=school, active=True).order_by("-created_at").first()
    if school_key is None:
        raise Http404("Deze school heeft nog geen certificaten uitgegeven.")
    credential = vc.status_list_credential(school, services.revoked_indexes(school), timezone.now())
    token = vc.sign(vc.jwt_claims(credential), kid=school_key.kid, private_jwk=vc.open_private(school_key.private_jwk))
    return HttpResponse(token, content_type="application/vc+jwt")
