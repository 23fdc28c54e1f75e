"""Pages of the students app: the staff list, the programme (compose with the engine's findings,
htmx without page reloads, plain POST + redirect without JavaScript), its history, the route, the
routes of a class, the loopbaandossier with its PDF, and the parent's page.

Views stay thin: they read through selectors (which scope through accounts.scoping) and write through
services (which check permissions and ask the engine)."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_GET, require_http_methods, require_POST

from maatwerk.accounts.models import Role
from maatwerk.accounts.scoping import roles_of

from . import selectors, services
from .forms import (
    ActivityForm,
    AttachmentForm,
    CommentForm,
    ConversationForm,
    DecisionForm,
    ReasonForm,
    ReflectionForm,
    StudentFilterForm,
)
from .models import ItemStatus, ProgrammeItem, ProgrammeStatus
from .route import build_route, describe, render_strip, render_svg


def _is_self(user, student) -> bool:
    return student.pk in roles_of(user).students({Role.STUDENT})


def _programme_url(user, student) -> str:
    return reverse("students:my_programme") if _is_self(user, student) else reverse(
        "students:programme", args=[student.pk])


def _dossier_url(user, student) -> str:
    return reverse("students:my_dossier") if _is_self(user, student) else reverse(
        "students:dossier", args=[student.pk])


def _common(user, student) -> dict:
    """What every page about one student needs for its header and tabs."""
    return {"student": student, "is_self": _is_self(user, student),
            "programme_url": _programme_url(user, student), "dossier_url": _dossier_url(user, student),
            "show_list_link": roles_of(user).is_staff_member or user.is_superuser}


# --- staff list ----------------------------------------------------------------------------------

@login_required
@require_GET
def student_list(request):
    if not roles_of(request.user).is_staff_member and not request.user.is_superuser:
        raise PermissionDenied("Deze lijst is voor medewerkers van de school.")
    form = StudentFilterForm(request.GET or None, class_names=selectors.class_names(request.user))
    filters = selectors.StudentFilters()
    if form.is_valid():
        d = form.cleaned_data
        filters = selectors.StudentFilters(class_name=d["class_name"], leerweg=d["leerweg"], status=d["status"],
                                           year_level=d["year_level"], query=d["q"], left=d["left"] == "1")
    page = Paginator(selectors.student_list(request.user, filters), 50).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    return render(request, "students/list.html", {
        "form": form, "page": page, "filters": filters, "query": query.urlencode(),
        "waiting": selectors.waiting_count(request.user),
        "is_mentor": Role.MENTOR in roles_of(request.user).roles,
    })


# --- programme -----------------------------------------------------------------------------------

def _programme_context(request, student, *, refusal=None, form_errors=None) -> dict:
    user = request.user
    programme = selectors.programme_of(student)
    evaluation = selectors.evaluate_programme(programme) if programme is not None else None
    can_compose = user.has_perm("students.compose_programme", student)
    can_approve = user.has_perm("students.approve_programme", student)
    editable = programme is not None and programme.status != ProgrammeStatus.APPROVED
    offerings = []
    if can_compose and editable:
        offerings = selectors.offering_groups(student, selectors.available_offerings(student, programme))
    route = build_route(student, programme, selectors.qualifications_by_profiel())
    items_by_year = []
    if programme is not None:
        years: dict[int, list] = {}
        for item in programme.items.all():
            years.setdefault(item.school_year, []).append(item)
        items_by_year = [(y, selectors.year_level_in(student, y), its) for y, its in sorted(years.items())]
    return {
        "student": student, "programme": programme, "evaluation": evaluation,
        "route_svg": render_svg(route, uid=f"route-{student.pk}"), "route_text": describe(route), "route": route,
        "items_by_year": items_by_year, "offering_groups": offerings,
        "packages": list(selectors.packages_for(student)) if programme is None and can_compose else [],
        "conversations": selectors.conversations_of(student) if can_approve and programme is not None
        and programme.status == ProgrammeStatus.PROPOSED else [],
        "can_compose": can_compose, "editable": editable,
        "can_propose": user.has_perm("students.propose_programme", student),
        "can_approve": can_approve, "can_set_status": user.has_perm("students.record_item_status", student),
        **_common(user, student),
        "refusal": refusal, "form_errors": form_errors or {},
        "item_statuses": ItemStatus.choices, "current_school_year": selectors.current_school_year(student),
    }


def _render_programme(request, student, **extra):
    context = _programme_context(request, student, **extra)
    if request.htmx:
        return render(request, "students/_composer.html", context)
    return render(request, "students/programme.html", context)


def _done(request, student, message: str | None = None, *, refusal=None, level=messages.SUCCESS):
    """After a write: the composer again for htmx, else a redirect (with a message) to the page."""
    if request.htmx:
        if message and refusal is None:
            messages.add_message(request, level, message)
        return _render_programme(request, student, refusal=refusal)
    if refusal is not None:
        messages.error(request, refusal["message"])
        for f in refusal.get("findings", ()):
            messages.error(request, f"{f.message} ({f.code})")
    elif message:
        messages.add_message(request, level, message)
    return redirect(_programme_url(request.user, student))


def _refusal(exc: services.ProgrammeError) -> dict:
    return {"message": exc.message, "code": exc.code, "findings": exc.findings}


@login_required
@require_GET
def programme(request, pk: int):
    return _render_programme(request, selectors.student_for(request.user, pk))


@login_required
@require_GET
def my_programme(request):
    return _render_programme(request, selectors.own_student(request.user))


def _item_or_404(programme, item_pk: int) -> ProgrammeItem:
    item = next((i for i in programme.items.all() if i.pk == item_pk), None)
    if item is None:
        raise Http404("Dit onderdeel bestaat niet (meer).")
    return item


def _programme_or_404(student):
    programme = selectors.programme_of(student)
    if programme is None:
        raise Http404("Er is nog geen programma.")
    return programme


@login_required
@require_POST
def programme_start(request, pk: int):
    student = selectors.student_for(request.user, pk)
    package = None
    if request.POST.get("package"):
        package = next((p for p in selectors.packages_for(student) if str(p.pk) == request.POST["package"]), None)
        if package is None:
            raise Http404("Dit pakket bestaat niet (meer).")
    try:
        result = services.start_programme(student=student, by=request.user, package=package)
    except services.ProgrammeError as exc:
        return _done(request, student, refusal=_refusal(exc))
    message = (f"Programma gestart vanuit het pakket '{package.name}': {len(result.added)} modulen gepland."
               if package else "Programma gestart. Kies hieronder je modulen.")
    for code, why in result.skipped:
        messages.warning(request, f"{code} is niet toegevoegd: {why}")
    return _done(request, student, message)


@login_required
@require_POST
def programme_add(request, pk: int):
    student = selectors.student_for(request.user, pk)
    programme = _programme_or_404(student)
    chosen = request.POST.get("offering") or ""
    offering = (selectors.available_offerings(student).filter(pk=chosen).first()
                if chosen.isascii() and chosen.isdigit() else None)
    if offering is None:
        return _done(request, student, refusal={"message": "Kies een module uit de lijst.", "code": "required",
                                                "findings": ()})
    try:
        item = services.add_module(programme=programme, offering=offering, by=request.user)
    except services.ProgrammeError as exc:
        return _done(request, student, refusal=_refusal(exc))
    return _done(request, student, f"{item.module_version.module.code} {item.module_version.title} is toegevoegd.")


@login_required
@require_POST
def programme_remove(request, pk: int, item_pk: int):
    student = selectors.student_for(request.user, pk)
    programme = _programme_or_404(student)
    item = _item_or_404(programme, item_pk)
    try:
        services.remove_item(item=item, by=request.user)
    except services.ProgrammeError as exc:
        return _done(request, student, refusal=_refusal(exc))
    return _done(request, student, f"{item.module_version.module.code} is uit het programma gehaald.")


@login_required
@require_POST
def programme_item_status(request, pk: int, item_pk: int):
    student = selectors.student_for(request.user, pk)
    programme = _programme_or_404(student)
    item = _item_or_404(programme, item_pk)
    try:
        services.record_item_status(item=item, status=request.POST.get("status", ""), by=request.user)
    except services.ProgrammeError as exc:
        return _done(request, student, refusal=_refusal(exc))
    return _done(request, student, f"De status van {item.module_version.module.code} is nu "
                                   f"'{item.get_status_display()}'.")


@login_required
@require_POST
def programme_propose(request, pk: int):
    student = selectors.student_for(request.user, pk)
    try:
        services.propose_programme(programme=_programme_or_404(student), by=request.user)
    except services.ProgrammeError as exc:
        return _done(request, student, refusal=_refusal(exc))
    return _done(request, student, "Het programma is voorgesteld. Je mentor of decaan bespreekt het met je.")


@login_required
@require_POST
def programme_decide(request, pk: int):
    student = selectors.student_for(request.user, pk)
    programme = _programme_or_404(student)
    conversations = selectors.conversations_of(student)
    form = DecisionForm(request.POST, conversations=conversations)
    if not form.is_valid():
        return _done(request, student, refusal={"message": "Controleer het formulier.", "code": "validation_error",
                                                "findings": ()})
    conversation = next((c for c in conversations if c.pk == form.cleaned_data["conversation"]), None)
    comment = form.cleaned_data["comment"]
    try:
        if request.POST.get("action") == "return":
            services.return_programme(programme=programme, by=request.user, comment=comment,
                                      conversation=conversation)
            message = "Het programma is teruggestuurd naar de leerling, met uw opmerking."
        else:
            services.approve_programme(programme=programme, by=request.user, conversation=conversation,
                                       comment=comment)
            message = f"Revisie {programme.revision} van het programma is goedgekeurd en vastgelegd."
    except services.ProgrammeError as exc:
        return _done(request, student, refusal=_refusal(exc))
    return _done(request, student, message)


@login_required
@require_POST
def programme_reopen(request, pk: int):
    student = selectors.student_for(request.user, pk)
    form = ReasonForm(request.POST)
    if not form.is_valid():
        return _done(request, student, refusal={"message": "Schrijf op waarom het programma verandert.",
                                                "code": "validation_error", "findings": ()})
    try:
        programme = services.reopen_programme(programme=_programme_or_404(student), by=request.user,
                                              reason=form.cleaned_data["reason"])
    except services.ProgrammeError as exc:
        return _done(request, student, refusal=_refusal(exc))
    return _done(request, student, f"Revisie {programme.revision} is begonnen. Pas het programma aan en stel het "
                                   f"opnieuw voor.")


@login_required
@require_GET
def programme_history(request, pk: int):
    student = selectors.student_for(request.user, pk)
    programme = selectors.programme_of(student)
    return render(request, "students/history.html", {
        **_common(request.user, student), "programme": programme,
        "groups": selectors.revision_history(programme) if programme else [],
    })


@login_required
@require_GET
def route_svg(request, pk: int):
    student = selectors.student_for(request.user, pk)
    svg = render_svg(build_route(student, selectors.programme_of(student), selectors.qualifications_by_profiel()),
                     uid="route")
    return HttpResponse(svg, content_type="image/svg+xml; charset=utf-8")


@login_required
@require_GET
def class_routes(request, class_name: str):
    students = selectors.class_students(request.user, class_name)
    if not students:
        raise Http404("Deze klas bestaat niet (of u ziet haar niet).")
    if not request.user.has_perm("students.view_class_routes", students[0]):
        raise PermissionDenied("Dit overzicht is voor medewerkers van de school.")
    programmes = selectors.programmes_by_student(students)
    by_profiel = selectors.qualifications_by_profiel()
    rows = []
    for student in students:
        programme = programmes.get(student.pk)
        route = build_route(student, programme, by_profiel)
        rows.append({"student": student, "programme": programme, "route": route,
                     "strip": render_strip(route, uid=f"strip-{student.pk}")})
    return render(request, "students/class_routes.html", {"class_name": class_name, "rows": rows,
                                                          "years": rows[0]["route"].years})


# --- parent --------------------------------------------------------------------------------------

@login_required
@require_GET
def my_children(request):
    children = selectors.children_of(request.user)
    if not children:
        raise Http404("Er is geen kind aan uw account gekoppeld.")
    cards = []
    by_profiel = selectors.qualifications_by_profiel()
    for child in children:
        programme = selectors.programme_of(child)
        route = build_route(child, programme, by_profiel)
        dossier = selectors.dossier_of(child)
        cards.append({"student": child, "programme": programme,
                      "evaluation": selectors.evaluate_programme(programme) if programme else None,
                      "route_svg": render_svg(route, uid=f"route-{child.pk}"), "route_text": describe(route),
                      "dossier": dossier})
    return render(request, "students/my_children.html", {"cards": cards})


# --- loopbaandossier -----------------------------------------------------------------------------

def _render_dossier(request, student):
    user = request.user
    context = {**_common(user, student), **selectors.dossier_of(student).as_context(),
               "can_write": user.has_perm("students.write_dossier", student),
               "can_comment": user.has_perm("students.comment_dossier", student),
               "can_record": user.has_perm("students.record_conversation", student),
               "can_reflect": user.has_perm("students.reflect", student)}
    return render(request, "students/dossier.html", context)


@login_required
@require_GET
def dossier(request, pk: int):
    return _render_dossier(request, selectors.student_for(request.user, pk))


@login_required
@require_GET
def my_dossier(request):
    return _render_dossier(request, selectors.own_student(request.user))


@login_required
@require_GET
def dossier_pdf(request, pk: int):
    from .pdf import dossier_pdf as make_pdf

    student = selectors.student_for(request.user, pk)
    data = make_pdf(student)
    filename = f"loopbaandossier-{student.student_number}.pdf"
    response = HttpResponse(data, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _activity_form_choices(student):
    from maatwerk.catalog.models import Module
    from maatwerk.schools.models import Partner

    programme = selectors.programme_of(student)
    module_ids = [i.module_version.module_id for i in programme.items.all()] if programme else []
    modules = list(Module.objects.filter(pk__in=module_ids).select_related("current_version").order_by("code"))
    partners = list(Partner.objects.filter(school=student.school_id).order_by("name"))
    return modules, partners


@login_required
@require_http_methods(["GET", "POST"])
def activity_edit(request, pk: int, activity_pk: int | None = None):
    student = selectors.student_for(request.user, pk)
    if not request.user.has_perm("students.write_dossier", student):
        raise PermissionDenied("U kunt dit loopbaandossier alleen lezen.")
    activity = selectors.activity_for(request.user, student, activity_pk) if activity_pk else None
    modules, partners = _activity_form_choices(student)
    if activity is not None and activity.module_id and activity.module_id not in {m.pk for m in modules}:
        modules.append(activity.module)
    if request.method == "POST":
        form = ActivityForm(request.POST, request.FILES, modules=modules, partners=partners)
        if form.is_valid():
            try:
                activity = services.save_activity(student=student, by=request.user, data=form.service_data(),
                                                  activity=activity)
                if form.cleaned_data.get("file"):
                    services.add_attachment(activity=activity, by=request.user, upload=form.cleaned_data["file"])
            except services.DossierError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, f"De activiteit '{activity.title}' is opgeslagen.")
                return redirect(f"{_dossier_url(request.user, student)}#activiteit-{activity.pk}")
    else:
        initial = {}
        if activity is not None:
            initial = {k: getattr(activity, k) for k in ("date", "kind", "title", "goals", "results", "evaluation",
                                                         "follow_up")}
            initial.update(module=activity.module_id, partner=activity.partner_id,
                           competencies=activity.competencies)
        initial.setdefault("date", timezone.localdate())
        form = ActivityForm(initial=initial, modules=modules, partners=partners)
    return render(request, "students/activity_form.html", {
        **_common(request.user, student), "activity": activity, "form": form})


@login_required
@require_POST
def activity_comment(request, pk: int, activity_pk: int):
    student = selectors.student_for(request.user, pk)
    activity = selectors.activity_for(request.user, student, activity_pk)
    form = CommentForm(request.POST)
    if form.is_valid():
        services.comment_activity(activity=activity, by=request.user, comment=form.cleaned_data["comment"])
        messages.success(request, "Uw opmerking is opgeslagen.")
    return redirect(f"{_dossier_url(request.user, student)}#activiteit-{activity.pk}")


@login_required
@require_POST
def attachment_add(request, pk: int, activity_pk: int):
    student = selectors.student_for(request.user, pk)
    activity = selectors.activity_for(request.user, student, activity_pk)
    form = AttachmentForm(request.POST, request.FILES)
    if not form.is_valid():
        messages.error(request, "Kies een bestand.")
    else:
        try:
            services.add_attachment(activity=activity, by=request.user, upload=form.cleaned_data["file"])
        except services.DossierError as exc:
            messages.error(request, exc.message)
        else:
            messages.success(request, "De bijlage is toegevoegd.")
    return redirect(f"{_dossier_url(request.user, student)}#activiteit-{activity.pk}")


@login_required
@require_GET
def attachment(request, attachment_pk: int):
    """An attachment, only for who may see the student (never a public media URL)."""
    att = selectors.attachment_for(request.user, attachment_pk)
    try:
        handle = att.file.open("rb")
    except FileNotFoundError as exc:
        raise Http404("Het bestand is niet gevonden.") from exc
    response = FileResponse(handle, as_attachment=True, filename=att.name,
                            content_type=att.content_type or "application/octet-stream")
    response["X-Content-Type-Options"] = "nosniff"
    return response


@login_required
@require_POST
def attachment_delete(request, attachment_pk: int):
    att = selectors.attachment_for(request.user, attachment_pk)
    student = att.activity.student
    services.delete_attachment(attachment=att, by=request.user)
    messages.success(request, f"De bijlage '{att.name}' is verwijderd.")
    return redirect(f"{_dossier_url(request.user, student)}#activiteit-{att.activity_id}")


@login_required
@require_http_methods(["GET", "POST"])
def conversation_new(request, pk: int):
    student = selectors.student_for(request.user, pk)
    if not request.user.has_perm("students.record_conversation", student):
        raise PermissionDenied("Een loopbaangesprek legt de mentor of decaan vast.")
    back = request.GET.get("terug") or request.POST.get("terug") or ""
    if request.method == "POST":
        form = ConversationForm(request.POST)
        if form.is_valid():
            data, reflections = form.service_data()
            try:
                services.record_conversation(student=student, by=request.user, data=data, reflections=reflections)
            except services.DossierError as exc:
                form.add_error(exc.field if exc.field in form.fields else None, exc.message)
            else:
                messages.success(request, "Het loopbaangesprek is vastgelegd.")
                if back == "programma":
                    return redirect(_programme_url(request.user, student))
                return redirect(f"{_dossier_url(request.user, student)}#gesprekken")
    else:
        form = ConversationForm(initial={"date": timezone.localdate()})
    return render(request, "students/conversation_form.html", {
        **_common(request.user, student), "form": form, "back": back})


@login_required
@require_http_methods(["GET", "POST"])
def conversation_reflect(request, pk: int, conversation_pk: int):
    student = selectors.student_for(request.user, pk)
    conversation = selectors.conversation_for(request.user, student, conversation_pk)
    if not request.user.has_perm("students.reflect", student):
        raise PermissionDenied("U kunt dit loopbaandossier alleen lezen.")
    existing = {r.competency: r.text for r in conversation.reflections.all()}
    if request.method == "POST":
        form = ReflectionForm(request.POST)
        if form.is_valid():
            services.save_reflections(conversation=conversation, by=request.user, reflections=form.cleaned_data)
            messages.success(request, "Je reflectie is opgeslagen.")
            return redirect(f"{_dossier_url(request.user, student)}#gesprek-{conversation.pk}")
    else:
        form = ReflectionForm(initial=existing)
    return render(request, "students/reflection_form.html", {
        **_common(request.user, student), "conversation": conversation, "form": form})
