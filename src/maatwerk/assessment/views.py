"""Pages of the assessment app (/toetsing/). Thin: they read through selectors (visible_to) and write
through services; a refusal is shown as a Dutch message and nothing changes."""

from __future__ import annotations

import re

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.utils import timezone
from django.views.decorators.http import require_POST

from maatwerk.accounts.predicates import require
from maatwerk.accounts.scoping import roles_of, visible_to
from maatwerk.catalog.models import ModuleObjective, ModuleVersion
from maatwerk.domain import school_year_label

from . import imports, selectors, services
from .forms import AdoptForm, AssessForm, ImportForm, ItemForm, PtaForm, RubricForm
from .grades import GradeError, format_grade
from .models import KernObservation, ModuleResult, Pta, PtaStatus, Result


def _can(request, perm: str, obj=None) -> bool:
    return request.user.is_authenticated and request.user.has_perm(perm, obj)


def _refuse(request, exc) -> None:
    messages.error(request, getattr(exc, "nl", None) or (exc.messages[0] if hasattr(exc, "messages") else str(exc)))


def _kern_objectives():
    from maatwerk.kern.selectors import current_framework

    framework = current_framework()
    if framework is None:
        return []
    return [o for area in framework.areas.all() for o in area.objectives.all()]


# --- PTA -----------------------------------------------------------------------------------------


@login_required
def pta_list(request):
    ptas = list(selectors.ptas(request.user))
    schools = {p.school for p in ptas}
    return render(request, "assessment/pta_list.html", {
        "ptas": ptas, "can_manage": _can(request, "assessment.manage_pta"), "today": timezone.localdate(),
        "several_schools": len(schools) > 1,
    })


def _manager_school(request):
    from maatwerk.schools.models import School

    schools = list(visible_to(request.user, School).order_by("name"))
    schools = [s for s in schools if _can(request, "assessment.manage_pta", Pta(school=s))]
    if not schools:
        raise PermissionDenied("U heeft geen toestemming voor deze handeling.")
    return schools[0]


@login_required
def pta_create(request):
    school = _manager_school(request)
    form = PtaForm(request.POST or None, initial={"cohort": timezone.localdate().year if timezone.localdate().month >= 8
                                                  else timezone.localdate().year - 1})
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            pta = services.create_pta(by=request.user, school=school, cohort=data["cohort"],
                                      exam_year=data["exam_year"], title=data["title"], leerwegen=data["leerwegen"],
                                      resit_rules=data["resit_rules"])
        except services.AssessmentError as exc:
            form.add_error(None, exc.nl)
        else:
            messages.success(request, f"{pta.title} is aangemaakt als concept. Voeg de onderdelen toe.")
            return redirect("assessment:pta_detail", pk=pta.pk)
    return render(request, "assessment/pta_form.html", {"form": form, "school": school, "pta": None})


@login_required
def pta_edit(request, pk):
    pta = selectors.pta_detail(request.user, pk)
    require(request.user, "assessment.manage_pta", pta)
    locked = pta.status != PtaStatus.CONCEPT
    initial = {"title": pta.title, "cohort": pta.cohort, "exam_year": pta.exam_year, "leerwegen": pta.leerwegen,
               "resit_rules": pta.resit_rules}
    form = PtaForm(request.POST or None, initial=initial, locked=locked)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        fields = {"title": data["title"], "exam_year": data["exam_year"], "resit_rules": data["resit_rules"]}
        leerwegen = None
        if not locked:
            fields["cohort"] = data["cohort"]
            leerwegen = data["leerwegen"]
        try:
            services.update_pta(by=request.user, pta=pta, reason=data.get("reason", ""), leerwegen=leerwegen,
                                **fields)
        except services.AssessmentError as exc:
            form.add_error(None, exc.nl)
        else:
            messages.success(request, "Het PTA is bijgewerkt.")
            return redirect("assessment:pta_detail", pk=pta.pk)
    return render(request, "assessment/pta_form.html", {"form": form, "school": pta.school, "pta": pta})


@login_required
def pta_detail(request, pk):
    pta = selectors.pta_detail(request.user, pk)
    is_staff = roles_of(request.user).is_staff_member or request.user.is_superuser
    check = services.adoption_check(pta)
    items = sorted(pta.items.all(), key=lambda i: i.code)
    return render(request, "assessment/pta_detail.html", {
        "pta": pta, "items": items, "item_groups": selectors.by_module(items), "check": check, "is_staff": is_staff,
        "can_manage": _can(request, "assessment.manage_pta", pta),
        "can_adopt": _can(request, "assessment.adopt_pta", pta) and pta.status == PtaStatus.CONCEPT,
        "can_publish": _can(request, "assessment.publish_pta", pta) and pta.status == PtaStatus.ADOPTED,
        "history": selectors.pta_history(pta) if is_staff else [],
        "adopt_form": AdoptForm(), "locked": pta.status != PtaStatus.CONCEPT,
    })


@login_required
@require_POST
def pta_adopt(request, pk):
    pta = selectors.pta_detail(request.user, pk)
    form = AdoptForm(request.POST)
    form.is_valid()
    try:
        services.adopt_pta(by=request.user, pta=pta, reason=form.cleaned_data.get("reason", ""))
    except services.AssessmentError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, "Het PTA is vastgesteld. Publiceer het om het naar leerlingen en ouders te sturen.")
    return redirect("assessment:pta_detail", pk=pta.pk)


@login_required
@require_POST
def pta_publish(request, pk):
    pta = selectors.pta_detail(request.user, pk)
    try:
        services.publish_pta(by=request.user, pta=pta)
    except services.AssessmentError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, "Het PTA is gepubliceerd: leerlingen en ouders zien het nu, met de pdf.")
    return redirect("assessment:pta_detail", pk=pta.pk)


@login_required
def pta_pdf(request, pk):
    from .pdf import pta_pdf as render_pdf

    pta = selectors.pta_detail(request.user, pk)
    body = render_pdf(pta, request=request)
    response = HttpResponse(body, content_type="application/pdf")
    name = re.sub(r"[^A-Za-z0-9._-]+", "-", f"PTA-{pta.school.brin}-{pta.cohort}-{pta.title}")[:120]
    response["Content-Disposition"] = f'inline; filename="{name}.pdf"'
    return response


def _item_form(request, pta, item=None):
    from maatwerk.schools.models import Partner

    versions = list(ModuleVersion.objects.filter(offerings__school=pta.school).exclude(status="concept")
                    .select_related("module").distinct().order_by("module__code", "version"))
    if item is not None:
        known = {v.pk for v in versions}
        versions += [v for v in item.module_versions.all() if v.pk not in known]
    partners = list(Partner.objects.filter(school=pta.school).order_by("name"))
    initial = {}
    if item is not None:
        initial = {k: getattr(item, k) for k in ("code", "title", "form", "result_kind", "weight", "period",
                                                 "deadline", "resit_allowed", "max_attempts", "assessed_by",
                                                 "description")}
        initial["weight"] = item.weight.normalize()
        initial["partner"] = item.partner_id
        initial["module_versions"] = [v.pk for v in item.module_versions.all()]
        initial["kern_objectives"] = [o.pk for o in item.kern_objectives.all()]
    else:
        initial = {"weight": 1, "resit_allowed": True, "max_attempts": 2, "form": "practical"}
    return ItemForm(request.POST or None, initial=initial, versions=versions, partners=partners,
                    objectives=_kern_objectives(), locked=pta.status != PtaStatus.CONCEPT)


@login_required
def item_edit(request, pk, item_pk=None):
    pta = selectors.pta_detail(request.user, pk)
    require(request.user, "assessment.manage_pta", pta)
    item = None
    if item_pk is not None:
        item = next((i for i in pta.items.all() if i.pk == int(item_pk)), None)
        if item is None:
            raise Http404("Niet gevonden.")
    form = _item_form(request, pta, item)
    if request.method == "POST" and form.is_valid():
        try:
            saved = services.save_item(by=request.user, pta=pta, item=item, reason=form.cleaned_data.get("reason", ""),
                                       **form.service_kwargs())
        except services.AssessmentError as exc:
            for field, errors in ((exc.details or {}).get("fields") or {}).items():
                for error in errors:
                    form.add_error(field if field in form.fields else None, error)
            if not (exc.details or {}).get("fields"):
                form.add_error(None, exc.nl)
        else:
            messages.success(request, f"Onderdeel {saved.code} is opgeslagen.")
            return redirect("assessment:pta_detail", pk=pta.pk)
    return render(request, "assessment/item_form.html", {"form": form, "pta": pta, "item": item})


@login_required
def rubric(request, pk):
    item = selectors.readable_item(request.user, pk)
    rubric = getattr(item, "rubric", None)
    criteria = list(rubric.criteria.all()) if rubric else []
    levels = []
    for criterion in criteria:
        for level in criterion.levels.all():
            if level.label not in levels:
                levels.append(level.label)
    return render(request, "assessment/rubric.html", {
        "item": item, "pta": item.pta, "rubric": rubric, "criteria": criteria,
        "can_manage": _can(request, "assessment.manage_pta", item.pta),
    })


@login_required
def rubric_edit(request, pk):
    item = selectors.readable_item(request.user, pk)
    require(request.user, "assessment.manage_pta", item.pta)
    rubric = getattr(item, "rubric", None)
    criteria = list(rubric.criteria.all()) if rubric else []
    objectives = list(ModuleObjective.objects.filter(version__in=item.module_versions.all()).order_by("order"))
    initial = {"grade_rule": rubric.grade_rule if rubric else "linear",
               "cesuur": rubric.cesuur if rubric else "0.55", "description": rubric.description if rubric else ""}
    if criteria:
        first_levels = list(criteria[0].levels.all())
        for j, level in enumerate(first_levels[:4]):
            initial[f"level_{j}_label"] = level.label
            initial[f"level_{j}_points"] = level.points
        for i, criterion in enumerate(criteria):
            initial[f"c{i}_text"] = criterion.text
            initial[f"c{i}_objective"] = criterion.module_objective_id
            initial[f"c{i}_kern"] = criterion.kern_objective_id
            for j, level in enumerate(list(criterion.levels.all())[:4]):
                initial[f"c{i}_d{j}"] = level.descriptor
    form = RubricForm(request.POST or None, initial=initial, rows=max(4, len(criteria) + 2), objectives=objectives,
                      kern=_kern_objectives(), locked=item.pta.status != PtaStatus.CONCEPT)
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            services.set_rubric(by=request.user, item=item, criteria=form.criteria(), grade_rule=data["grade_rule"],
                                cesuur=data.get("cesuur") or "0.55", description=data.get("description", ""),
                                reason=data.get("reason", ""))
        except services.AssessmentError as exc:
            form.add_error(None, exc.nl)
        else:
            messages.success(request, f"Het beoordelingsmodel van {item.code} is opgeslagen.")
            return redirect("assessment:rubric", pk=item.pk)
    return render(request, "assessment/rubric_form.html", {"form": form, "item": item, "pta": item.pta})


# --- gradebook ------------------------------------------------------------------------------------


@login_required
def gradebooks(request):
    require(request.user, "assessment.view_gradebook")
    groups = list(selectors.gradebook_groups(request.user))
    mine = [g for g in groups if g.teacher_id == request.user.pk]
    others = [g for g in groups if g.teacher_id != request.user.pk]
    return render(request, "assessment/gradebooks.html", {"mine": mine, "others": others})


CELL = re.compile(r"^c-(\d+)-(\d+)-(\d+)$")


def _save_cells(request, book, can_enter: bool) -> list:
    """Save every cell of the POST whose value differs from the value shown when the page was read."""
    handled = []
    for key, typed in request.POST.items():
        match = CELL.match(key)
        if not match:
            continue
        student_id, item_id, attempt = (int(g) for g in match.groups())
        cell = book.cell(student_id, item_id, attempt)
        if cell is None:
            continue
        shown = request.POST.get(f"o-{key}", "")
        if typed.strip() == shown.strip():
            continue
        handled.append(cell)
        if not can_enter or not cell.applies:
            cell.error = "U kunt dit cijfer niet invoeren."
            cell.typed = typed
            continue
        try:
            cell.result = services.save_result(by=request.user, student=cell.student, item=cell.item,
                                               value=typed, attempt=attempt,
                                               version=request.POST.get(f"v-{key}") or 0)
            cell.saved = True
        except services.ResultConflict as exc:
            cell.result = exc.current
            cell.conflict = exc.nl
        except (GradeError, services.AssessmentError) as exc:
            cell.typed = typed
            old = cell.value
            cell.error = f"{exc.nl} {'Het cijfer blijft ' + old + '.' if old else 'Er is niets opgeslagen.'}"
        except PermissionDenied:
            cell.error = "U kunt dit cijfer niet invoeren."
        if cell.saved or cell.conflict:
            nxt = book.cell(student_id, item_id, attempt + 1)
            if nxt is not None and cell.result is not None:
                nxt.enabled = True
    return handled


def _module_results(user, book):
    module_id = book.group.offering.module_version.module_id
    return {mr.student_id: mr for mr in visible_to(user, ModuleResult).filter(
        student__in=[s.pk for s in book.students], module_version__module_id=module_id).only(
        "student_id", "outcome", "grade")}


@login_required
def gradebook(request, pk):
    group = selectors.gradebook_group(request.user, pk)
    require(request.user, "assessment.view_gradebook", group)
    codes = [c for c in request.GET.getlist("onderdeel") if c]
    book = selectors.gradebook(request.user, group, codes)
    can_enter = _can(request, "assessment.enter_result", group)
    handled = []
    if request.method == "POST":
        handled = _save_cells(request, book, can_enter)
        if request.htmx and not handled:
            return HttpResponse(status=204)  # nothing changed (e.g. only spaces added): leave the cell as it is
        if request.htmx and len(handled) == 1:
            cell = handled[0]
            nxt = book.cell(cell.student.pk, cell.item.pk, cell.column.attempt + 1)
            module_result = _module_results(request.user, book).get(cell.student.pk)
            return render(request, "assessment/_cell_response.html", {
                "cell": cell, "next": nxt if (nxt and (cell.saved or cell.conflict)) else None,
                "can_enter": can_enter, "post_url": request.get_full_path(), "student": cell.student,
                "module_result": module_result, "oob": True,
            })
        saved = sum(1 for c in handled if c.saved)
        refused = [c for c in handled if c.error]
        conflicts = [c for c in handled if c.conflict]
        if saved:
            messages.success(request, f"{saved} resultat{'en' if saved != 1 else ''} opgeslagen.")
        if refused:
            messages.error(request, f"{len(refused)} waarde{'n' if len(refused) != 1 else ''} geweigerd: zie de "
                                    f"rood gemarkeerde cellen. Daar is niets veranderd.")
        if conflicts:
            messages.warning(request, f"{len(conflicts)} cel{'len' if len(conflicts) != 1 else ''} intussen door "
                                      f"iemand anders gewijzigd: zie de oranje cellen. Daar is niets overschreven.")
        if not refused and not conflicts:
            return redirect(request.get_full_path())
    module_results = _module_results(request.user, book)
    rows = [(student, cells, module_results.get(student.pk)) for student, cells in book.rows()]
    status = 200
    if any(c.error for c in handled):
        status = 400
    elif any(c.conflict for c in handled):
        status = 409
    return render(request, "assessment/gradebook.html", {
        "group": group, "book": book, "rows": rows, "can_enter": can_enter, "post_url": request.get_full_path(),
        "codes": book.all_codes, "chosen": codes, "ptas": sorted({i.pta for i in book.items}, key=lambda p: p.pk),
        "can_import": _can(request, "assessment.import_results", group),
        "school_year": school_year_label(group.offering.school_year),
    }, status=status)


@login_required
def grade_import(request):
    require(request.user, "assessment.import_results")
    form = ImportForm(request.POST or None, request.FILES or None)
    report = None
    if request.method == "POST" and form.is_valid():
        upload = form.cleaned_data["file"]
        report = imports.import_results(by=request.user, upload=upload, dry_run=form.cleaned_data["dry_run"],
                                        filename=upload.name)
        if report.ok and not report.dry_run:
            messages.success(request, f"Import voltooid: {report.created} nieuw, {report.updated} gewijzigd, "
                                      f"{report.unchanged} ongewijzigd.")
    return render(request, "assessment/import.html", {"form": form, "report": report},
                  status=400 if report is not None and not report.ok else 200)


# --- external assessors ---------------------------------------------------------------------------


@login_required
def assessor_home(request):
    assignments = selectors.assessor_assignments(request.user)
    if not assignments and not selectors.is_assessor(request.user):
        raise Http404("Niet gevonden.")
    sections: dict[str, dict] = {}  # one section per item code: the same proeve in several PTAs
    for a in assignments:
        section = sections.setdefault(a.item.code, {"item": a.item, "assignments": [], "open": 0, "ptas": set()})
        section["assignments"].append(a)
        section["ptas"].add(a.item.pta_id)
        section["open"] += a.latest is None
    ordered = sorted(sections.values(), key=lambda s: (-s["open"], s["item"].code))
    return render(request, "assessment/assessor_home.html", {
        "sections": ordered, "count": len(assignments), "open": sum(s["open"] for s in ordered)})


@login_required
def assess(request, pk):
    assignment = selectors.assignment_detail(request.user, pk)
    item, student = assignment.item, assignment.student
    results = list(visible_to(request.user, Result).filter(student=student, item=item).order_by("attempt"))
    latest = results[-1] if results else None
    resit = request.GET.get("herkansing") == "1" or request.POST.get("resit") == "1"
    if resit and (latest is None or latest.attempt >= item.attempts_allowed):
        resit = False
    attempt = (latest.attempt + 1) if resit else (latest.attempt if latest else 1)
    current = None if resit else latest
    rubric = getattr(item, "rubric", None)
    criteria = list(rubric.criteria.all()) if rubric is not None else []
    in_rubric = {c.kern_objective_id for c in criteria if c.kern_objective_id}
    kern = [o for o in item.kern_objectives.all() if o.pk not in in_rubric]  # the rubric observes the rest
    initial = {"version": current.version if current else 0, "attempt": attempt,
               "comment": current.comment if current else ""}
    if current is not None:
        for criterion_id, level_id in (current.rubric_scores.get("levels") or {}).items():
            initial[f"crit_{criterion_id}"] = level_id
        initial["value"] = services.display_value(current)
    form = AssessForm(request.POST or None, initial=initial, item=item, kern_objectives=kern)
    conflict = None
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            from django.db import transaction

            with transaction.atomic():
                if form.criteria:
                    score = services.rubric_score(item.rubric, form.chosen_levels())
                    value = format_grade(score.grade) if item.result_kind == "grade" else \
                        services.qualification_for(score.grade)
                    scores = {"levels": score.levels, "points": score.points, "maximum": score.maximum,
                              "grade": format_grade(score.grade), "rule": item.rubric.grade_rule}
                else:
                    value, scores = data["value"], None
                result = services.save_result(by=request.user, student=student, item=item, value=value,
                                              attempt=data["attempt"], version=data["version"],
                                              comment=data["comment"], rubric_scores=scores)
                for objective, field in form.kern_fields():
                    level = data.get(field.name)
                    if level:
                        services.record_kern_observation(by=request.user, student=student, objective=objective,
                                                         level=level, item=item)
                if form.criteria:
                    services.observe_kern_from_rubric(by=request.user, student=student, item=item,
                                                      levels=score.levels)
        except services.ResultConflict as exc:
            conflict = exc
        except (GradeError, services.AssessmentError) as exc:
            form.add_error(None, exc.nl)
        else:
            messages.success(request, f"De beoordeling van {student.full_name} is opgeslagen: "
                                      f"{services.display_value(result)}.")
            return redirect("assessment:assessor_home")
    observations = list(visible_to(request.user, KernObservation).filter(student=student, item=item)
                        .select_related("objective").order_by("-observed_on"))
    return render(request, "assessment/assess.html", {
        "assignment": assignment, "item": item, "student": student, "form": form, "current": current,
        "results": results, "attempt": attempt, "conflict": conflict, "observations": observations,
        "can_resit": latest is not None and latest.attempt < item.attempts_allowed and not resit,
        "rubric": rubric, "in_rubric": bool(in_rubric),
    }, status=409 if conflict else (400 if form.errors else 200))


# --- students and parents -------------------------------------------------------------------------


@login_required
def my_results(request):
    students = selectors.own_students(request.user)
    if not students:
        raise Http404("Niet gevonden.")
    chosen = request.GET.get("leerling")
    student = next((s for s in students if str(s.pk) == chosen), students[0])
    overview = selectors.student_overview(request.user, student)
    is_parent = student.pk in roles_of(request.user).students({"parent"})
    return render(request, "assessment/my_results.html", {
        "student": student, "students": students, "overview": overview, "is_parent": is_parent,
    })

