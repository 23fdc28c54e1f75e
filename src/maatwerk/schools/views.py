"""Pages of the schools app: the schoolleider's and decaan's planning pages, and the public school page.

Views stay thin: selectors read (through `visible_to`), services write (and ask the engine). A user of
another school gets a 404 for every object; without the right, a change is refused with a 403.
"""

from __future__ import annotations

import uuid
from pathlib import Path

from django.conf import settings
from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.db.models import Q
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.views.decorators.http import require_POST

from maatwerk import engine
from maatwerk.accounts.predicates import require
from maatwerk.accounts.scoping import get_visible_or_404
from maatwerk.catalog.models import ModuleType
from maatwerk.domain import LEERWEG_SHORT, school_year_label, school_year_of
from maatwerk.rules import list_regulations
from maatwerk.web.tabular import table_response

from . import forms, imports, selectors, services
from .models import Licence, Offering, Package, Partner, School, SchoolPolicy, TeachingGroup

SESSION_SCHOOL = "schools_school"
LEERWEGEN = ("BB", "KB", "GL", "TL")


# --- helpers -----------------------------------------------------------------------------------------

def _school(request, roles=selectors.MANAGEMENT_ROLES) -> School:
    """The school whose pages the user opens (their own; a choice when they work at several)."""
    choice = request.GET.get("school") or request.session.get(SESSION_SCHOOL)
    schools = selectors.schools_of(request.user, roles)
    school = None
    if choice:
        school = schools.filter(pk=choice).first() if str(choice).isdigit() else None
    school = school or schools.first()
    if school is None:
        raise Http404("U werkt niet op een school waarvan u deze pagina mag zien.")
    if request.session.get(SESSION_SCHOOL) != school.pk:  # no session write (and commit) on every page view
        request.session[SESSION_SCHOOL] = school.pk
    return school


def _year(request, default: int) -> int:
    try:
        year = int(request.GET.get("jaar") or request.POST.get("jaar") or default)
    except ValueError:
        return default
    return year if 2000 <= year <= 2100 else default


def _year_links(years, current):
    return [{"year": y, "label": school_year_label(y), "active": y == current} for y in sorted(set(years))]


def _base(request, school, tab, **extra):
    user = request.user
    return {
        "school": school, "tab": tab,
        "other_schools": list(selectors.schools_of(user, selectors.MANAGEMENT_ROLES).exclude(pk=school.pk)),
        "can_plan": user.has_perm("schools.plan", school),
        "can_lead": user.has_perm("schools.change_licence", school),
        **extra,
    }


def _error(request, exc: services.SchoolsError, form=None) -> None:
    """Show a refusal: on the form field it is about, else as a message; the engine's findings too."""
    if form is not None and exc.field_name and exc.field_name in form.fields:
        form.add_error(exc.field_name, exc.nl)
    elif form is not None:
        form.add_error(None, exc.nl)
    else:
        messages.error(request, exc.nl)


def _bulk_messages(request, result: services.BulkResult, verb: str) -> None:
    if result.created:
        n = len(result.created)
        messages.success(request, f"{n} module{'' if n == 1 else 'n'} {verb}.")
    if result.existing:
        n = len(result.existing)
        messages.info(request, f"{n} module{'' if n == 1 else 'n'} stond{'' if n == 1 else 'en'} al in het aanbod.")
    for code, findings in result.refused.items():
        messages.error(request, f"{code} niet toegevoegd: " + " ".join(
            f.message for f in findings if str(f.severity) == "error"))
    for code, findings in result.warnings.items():
        messages.warning(request, f"{code}: " + " ".join(f.message for f in findings))


# --- offering ----------------------------------------------------------------------------------------

@login_required
def offering(request):
    school = _school(request)
    require(request.user, "schools.plan", school)
    planning = selectors.planning_year()
    year = _year(request, planning)
    filters = forms.PickerFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {}) or {}
    qs = selectors.offerings(request.user, school=school, school_year=year)
    qs = selectors.filter_offerings(qs, q=data.get("q") or "", profiel=data["profiel"].code if data.get("profiel") else "",
                                    module_type=data.get("soort") or "", leerweg=data.get("leerweg") or "")
    rows = list(qs)
    verdicts = selectors.offering_verdicts(rows, school, year)
    years = set(selectors.offering_years(school)) | {school_year_of(), planning}
    previous = year - 1
    here = selectors.offered_module_ids(school, year)
    previous_missing = len(selectors.offered_module_ids(school, previous) - here)
    counts = {lw: sum(1 for o in rows if o.is_for(lw)) for lw in LEERWEGEN}
    by_type = {label: sum(1 for o in rows if o.module_version.module_type == value)
               for value, label in ModuleType.choices}
    licences = list(selectors.licences(request.user, school))
    return render(request, "schools/offering.html", _base(
        request, school, "offering", year=year, year_label=school_year_label(year), years=_year_links(years, year),
        rows=[(o, verdicts.get(o.pk)) for o in rows], filters=filters, counts=counts, by_type=by_type,
        previous=previous, previous_label=school_year_label(previous), previous_missing=previous_missing,
        licences=[lic for lic in licences if lic.covers(year)], filtered=bool(request.GET.get("q") or data.get("profiel")
                                                                              or data.get("soort") or data.get("leerweg")),
    ))


@login_required
def offering_add(request):
    """Plan from the menukaart: search, filter, tick many, add in bulk."""
    school = _school(request)
    require(request.user, "schools.plan", school)
    year = _year(request, selectors.planning_year())
    filters = forms.PickerFilterForm(request.GET or None)
    filters.is_valid()
    data = getattr(filters, "cleaned_data", {}) or {}
    versions = list(selectors.menukaart_for_planning(
        request.user, school_year=year, q=data.get("q") or "",
        profiel=data["profiel"].code if data.get("profiel") else "", module_type=data.get("soort") or "",
        leerweg=data.get("leerweg") or ""))
    locations = selectors.locations(request.user, school)
    form = forms.BulkAddForm(request.POST or None, version_ids=[v.pk for v in versions], locations=locations)
    if request.method == "POST":
        require(request.user, "schools.change_offering", school)
        if form.is_valid():
            chosen = [v for v in versions if v.pk in set(form.cleaned_data["versions"])]
            try:
                result = services.plan_offerings(school=school, versions=chosen, school_year=year,
                                                 leerwegen=form.cleaned_data["leerwegen"] or None,
                                                 location=form.cleaned_data["location"], by=request.user)
            except services.SchoolsError as exc:
                _error(request, exc, form)
            else:
                _bulk_messages(request, result, f"toegevoegd aan het aanbod van {school_year_label(year)}")
                if not result.refused:
                    return redirect(f"{reverse('schools:offering')}?jaar={year}")
    offered = selectors.offered_module_ids(school, year)
    only_new = bool(request.GET.get("nieuw"))
    if only_new:
        versions = [v for v in versions if v.module_id not in offered]
    checks = selectors.menukaart_checks(versions, school, year)
    ticked = {x for x in request.POST.getlist("versions") if x.isdigit()}
    rows = [{"version": v, "offered": v.module_id in offered, "verdict": checks[v.pk],
             "checked": str(v.pk) in ticked} for v in versions]
    return render(request, "schools/offering_add.html", _base(
        request, school, "offering", year=year, year_label=school_year_label(year), rows=rows, filters=filters,
        form=form, limit_reached=len(versions) >= 300, only_new=only_new, addable=sum(1 for r in rows if not r["offered"]
                                                                  and r["verdict"].ok),
    ))


@login_required
@require_POST
def offering_copy(request):
    school = _school(request)
    to_year = _year(request, selectors.planning_year())
    try:
        from_year = int(request.POST.get("from_year") or to_year - 1)
        result = services.copy_offerings(school=school, from_year=from_year, to_year=to_year, by=request.user)
    except (ValueError, services.SchoolsError) as exc:
        messages.error(request, getattr(exc, "nl", "Dat schooljaar klopt niet."))
    else:
        _bulk_messages(request, result, f"gekopieerd naar {school_year_label(to_year)}")
    return redirect(f"{reverse('schools:offering')}?jaar={to_year}")


@login_required
def offering_edit(request, pk: int):
    item = get_visible_or_404(request.user, Offering.objects.select_related(
        "school", "module_version__module", "location", "partner").prefetch_related("teachers"), pk=pk)
    school = item.school
    require(request.user, "schools.plan", school)
    initial = {"leerwegen": item.leerwegen, "location": item.location, "capacity": item.capacity,
               "taught_at": item.taught_at, "partner": item.partner, "teachers": list(item.teachers.all()),
               "note": item.note}
    form = forms.OfferingForm(request.POST or None, initial=initial,
                              locations=selectors.locations(request.user, school),
                              partners=selectors.partners(request.user, school),
                              staff=selectors.teachers_of(school, extra=item.teachers.all()))
    if request.method == "POST":
        require(request.user, "schools.change_offering", item)
        if form.is_valid():
            data = form.cleaned_data
            try:
                services.change_offering(offering=item, by=request.user, leerwegen=data["leerwegen"],
                                         location=data["location"], capacity=data["capacity"],
                                         taught_at=data["taught_at"], partner=data["partner"],
                                         teachers=list(data["teachers"]), note=data["note"])
            except services.SchoolsError as exc:
                _error(request, exc, form)
            else:
                messages.success(request, f"{item.module_version.module.code} is bijgewerkt.")
                return redirect(f"{reverse('schools:offering')}?jaar={item.school_year}")
    verdict = selectors.offering_verdicts([item], school, item.school_year).get(item.pk)
    return render(request, "schools/offering_edit.html", _base(
        request, school, "offering", item=item, form=form, verdict=verdict,
        year_label=school_year_label(item.school_year),
        groups=list(item.groups.select_related("teacher").order_by("name")),
    ))


@login_required
@require_POST
def offering_delete(request, pk: int):
    item = get_visible_or_404(request.user, Offering.objects.select_related("module_version__module"), pk=pk)
    year = item.school_year
    try:
        services.remove_offering(offering=item, by=request.user)
    except services.SchoolsError as exc:
        messages.error(request, exc.nl)
        return redirect("schools:offering_edit", pk=pk)
    messages.success(request, f"{item.module_version.module.code} is uit het aanbod van {school_year_label(year)} "
                              f"gehaald.")
    return redirect(f"{reverse('schools:offering')}?jaar={year}")


# --- packages ----------------------------------------------------------------------------------------

@login_required
def packages(request):
    school = _school(request)
    require(request.user, "schools.plan", school)
    planning = selectors.planning_year()
    year = _year(request, planning)
    package_list = list(selectors.packages(request.user, school=school, school_year=year))
    checks = selectors.package_checks(package_list, school)
    years = set(selectors.package_years(school)) | {school_year_of(), planning}
    return render(request, "schools/packages.html", _base(
        request, school, "packages", year=year, year_label=school_year_label(year), years=_year_links(years, year),
        rows=[(p, checks[p.pk], _leerweg_badges(checks[p.pk])) for p in package_list],
    ))


def _leerweg_badges(check):
    return [{"leerweg": lw, "short": LEERWEG_SHORT[lw], "ok": v.ok} for lw, v in check.verdicts.items()]


def _package_form(request, school, package=None, data=None):
    user = request.user
    year = package.school_year if package else _year(request, selectors.planning_year())
    if data is not None and str(data.get("school_year", "")).isdigit():
        year = int(data["school_year"])
    years = {school_year_of(), selectors.planning_year(), year, *selectors.offering_years(school)}
    offered = selectors.modules_offered(user, school, [year, year + 1])
    selected_ids = ({int(x) for x in data.getlist("modules") if str(x).isdigit()} if data is not None
                    else {pm.module_id for pm in package.package_modules.all()} if package else set())
    modules = selectors.modules_for_engine().filter(Q(pk__in=offered) | Q(pk__in=selected_ids)).order_by("code")
    initial = {}
    if package is not None:
        initial = {"name": package.name, "kind": package.kind, "school_year": package.school_year,
                   "modules": sorted(selected_ids), "mbo_qualifications": [q.pk for q in
                                                                           package.mbo_qualifications.all()],
                   "description": package.description, "regional_rationale": package.regional_rationale,
                   "is_public": package.is_public}
    else:
        initial = {"school_year": year, "kind": "broad", "is_public": True}
    form = forms.PackageForm(data, initial=initial, years=years, modules=modules,
                             qualifications=selectors.mbo_qualifications())
    return form, year, modules, offered, selected_ids


def _builder_context(request, school, form, year, modules, offered, selected_ids, package=None):
    module_list = list(modules)
    selected = [m for m in module_list if m.pk in selected_ids]
    check = services.check_package(school=school, modules=selected, school_year=year)
    chosen_q = set()
    if form.is_bound:
        chosen_q = {int(x) for x in form.data.getlist("mbo_qualifications") if str(x).isdigit()}
    elif package is not None:
        chosen_q = {q.pk for q in package.mbo_qualifications.all()}
    suggested = {q.pk for q in check.leads_to}
    groups = []
    for value, label in ModuleType.choices:
        entries = [{"module": m, "version": m.current_version, "checked": m.pk in selected_ids,
                    "offered": m.pk in offered,
                    "profiel": ", ".join(sorted(p.name for p in m.current_version.profielen.all()))
                    or "branche-overstijgend"}
                   for m in module_list if m.current_version and m.current_version.module_type == value]
        entries.sort(key=lambda e: (e["profiel"], e["module"].code))
        if entries:
            groups.append({"label": label, "entries": entries})
    quals = [{"q": q, "checked": q.pk in chosen_q, "suggested": q.pk in suggested}
             for q in form.fields["mbo_qualifications"].queryset]
    quals.sort(key=lambda e: (not e["suggested"] and not e["checked"], e["q"].name))
    return {
        "form": form, "package": package, "year": year, "year_label": school_year_label(year), "groups": groups,
        "quals": quals, "check": check, "selected_count": len(selected),
        "chosen_quals": [e["q"] for e in quals if e["checked"]],
        "verdict_rows": _verdict_rows(check),
    }


def _verdict_rows(check):
    rows = []
    for lw, verdict in check.verdicts.items():
        rows.append({
            "leerweg": lw, "label": LEERWEG_SHORT[lw], "ok": verdict.ok,
            "errors": [f for f in verdict.findings if str(f.severity) == "error"],
            "warnings": [f for f in verdict.findings if str(f.severity) == "warning"],
            "unusable": [f for f in verdict.findings if f.code == "PACKAGE_MODULE_UNUSABLE"],
        })
    return rows


def _package_kwargs(form):
    data = form.cleaned_data
    return {"name": data["name"], "kind": data["kind"], "school_year": data["school_year"],
            "description": data["description"], "regional_rationale": data["regional_rationale"],
            "is_public": data["is_public"], "modules": list(data["modules"]),
            "mbo_qualifications": list(data["mbo_qualifications"])}


@login_required
def package_new(request):
    school = _school(request)
    require(request.user, "schools.plan", school)
    data = request.POST if request.method == "POST" else None
    form, year, modules, offered, selected = _package_form(request, school, data=data)
    if data is not None and "check" not in data and form.is_valid():
        try:
            package = services.create_package(school=school, by=request.user, **_package_kwargs(form))
        except services.SchoolsError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, f"Pakket '{package.name}' is opgeslagen.")
            return redirect("schools:package_edit", pk=package.pk)
    ctx = _builder_context(request, school, form, year, modules, offered, selected)
    return render(request, "schools/package_form.html", _base(request, school, "packages", **ctx))


@login_required
def package_edit(request, pk: int):
    package = get_visible_or_404(request.user, selectors.packages(request.user), pk=pk)
    school = package.school
    require(request.user, "schools.plan", school)
    data = request.POST if request.method == "POST" else None
    form, year, modules, offered, selected = _package_form(request, school, package, data)
    if data is not None and "check" not in data:
        require(request.user, "schools.change_package", package)
        if form.is_valid():
            try:
                services.change_package(package=package, by=request.user, **_package_kwargs(form))
            except services.SchoolsError as exc:
                _error(request, exc, form)
            else:
                messages.success(request, f"Pakket '{package.name}' is opgeslagen.")
                return redirect("schools:package_edit", pk=package.pk)
    ctx = _builder_context(request, school, form, year, modules, offered, selected, package)
    return render(request, "schools/package_form.html", _base(request, school, "packages", **ctx))


@login_required
@require_POST
def package_check(request):
    """The live check of the builder (htmx): the engine's verdict per leerweg for the ticked modules."""
    school = _school(request)
    package = None
    if str(request.POST.get("package", "")).isdigit():
        package = get_visible_or_404(request.user, selectors.packages(request.user), pk=request.POST["package"])
        school = package.school
    require(request.user, "schools.plan", school)
    form, year, modules, offered, selected = _package_form(request, school, package, request.POST)
    ctx = _builder_context(request, school, form, year, modules, offered, selected, package)
    return render(request, "schools/_package_verdict.html", ctx)


@login_required
@require_POST
def package_delete(request, pk: int):
    package = get_visible_or_404(request.user, Package, pk=pk)
    year = package.school_year
    services.remove_package(package=package, by=request.user)
    messages.success(request, f"Pakket '{package.name}' is verwijderd.")
    return redirect(f"{reverse('schools:packages')}?jaar={year}")


# --- partners ----------------------------------------------------------------------------------------

@login_required
def partners(request):
    school = _school(request)
    require(request.user, "schools.plan", school)
    return render(request, "schools/partners.html", _base(
        request, school, "partners", partners=list(selectors.partners(request.user, school))))


@login_required
def partner_form(request, pk: int | None = None):
    partner = get_visible_or_404(request.user, Partner, pk=pk) if pk else None
    school = partner.school if partner else _school(request)
    require(request.user, "schools.plan", school)
    initial = {name: getattr(partner, name) for name in services.PARTNER_FIELDS} if partner else {}
    form = forms.PartnerForm(request.POST or None, initial=initial)
    if request.method == "POST" and form.is_valid():
        try:
            if partner is None:
                partner = services.create_partner(school=school, by=request.user, **form.cleaned_data)
            else:
                services.change_partner(partner=partner, by=request.user, **form.cleaned_data)
        except services.SchoolsError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, f"{partner.name} is opgeslagen.")
            return redirect("schools:partners")
    return render(request, "schools/partner_form.html", _base(request, school, "partners", form=form,
                                                              partner=partner))


@login_required
@require_POST
def partner_delete(request, pk: int):
    partner = get_visible_or_404(request.user, Partner, pk=pk)
    try:
        services.remove_partner(partner=partner, by=request.user)
    except services.SchoolsError as exc:
        messages.error(request, exc.nl)
        return redirect("schools:partner_edit", pk=pk)
    messages.success(request, f"{partner.name} is verwijderd.")
    return redirect("schools:partners")


# --- teaching groups ---------------------------------------------------------------------------------

@login_required
def groups(request):
    """Every staff member sees the groups of their school; management plans them."""
    school = _school(request, roles=None)
    year = _year(request, school_year_of())
    group_list = list(selectors.teaching_groups(request.user, school=school, school_year=year))
    rows = []
    for g in group_list:
        mix = dict.fromkeys(LEERWEGEN, 0)
        for s in g.students.all():
            mix[s.leerweg] += 1
        rows.append({"group": g, "mix": [(lw, n) for lw, n in mix.items() if n], "size": sum(mix.values())})
    years = {school_year_of(), selectors.planning_year(), *selectors.offering_years(school)}
    return render(request, "schools/groups.html", _base(
        request, school, "groups", year=year, year_label=school_year_label(year), years=_year_links(years, year),
        rows=rows, can_change=request.user.has_perm("schools.change_teaching_group", school)))


@login_required
def group_form(request, pk: int | None = None):
    group = get_visible_or_404(request.user, TeachingGroup.objects.select_related("school", "offering"), pk=pk) \
        if pk else None
    school = group.school if group else _school(request)
    require(request.user, "schools.plan", school)
    year = group.offering.school_year if group else _year(request, school_year_of())
    offerings = selectors.offerings(request.user, school=school, school_year=year)
    initial = ({"offering": group.offering, "name": group.name, "period": group.period, "teacher": group.teacher,
                "schedule": group.schedule} if group else {})
    form = forms.GroupForm(request.POST or None, initial=initial, offerings=offerings,
                           staff=selectors.staff_of(school))
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        try:
            if group is None:
                group = services.create_teaching_group(school=school, by=request.user, **data)
            else:
                services.change_teaching_group(group=group, by=request.user, **data)
        except services.SchoolsError as exc:
            _error(request, exc, form)
        else:
            messages.success(request, f"Lesgroep {group.name} is opgeslagen.")
            return redirect("schools:group", pk=group.pk)
    return render(request, "schools/group_form.html", _base(
        request, school, "groups", form=form, group=group, year=year, year_label=school_year_label(year)))


@login_required
def group_detail(request, pk: int):
    group = selectors.teaching_group(request.user, pk)
    school = group.school
    can_change = request.user.has_perm("schools.change_teaching_group", group)
    in_group = {s.pk for s in group.students.all()}
    candidates = selectors.students(request.user, school).filter(
        leerweg__in=group.offering.leerwegen).exclude(pk__in=in_group)
    form = forms.AddStudentsForm(request.POST or None, students=candidates)
    if request.method == "POST":
        require(request.user, "schools.change_teaching_group", group)
        if form.is_valid():
            try:
                services.add_students(group=group, students=list(form.cleaned_data["students"]), by=request.user)
            except services.SchoolsError as exc:
                _error(request, exc, form)
            else:
                n = len(form.cleaned_data["students"])
                messages.success(request, f"{n} leerling{'' if n == 1 else 'en'} toegevoegd aan {group.name}.")
                return redirect("schools:group", pk=group.pk)
    rows = selectors.group_rows(group)
    has_guides = any(r.guide for r in rows) or bool(group.offering.module_version.guides.all())
    mix = {lw: sum(1 for r in rows if r.student.leerweg == lw) for lw in LEERWEGEN}
    return render(request, "schools/group_detail.html", _base(
        request, school, "groups", group=group, rows=rows, mix=[(lw, n) for lw, n in mix.items() if n],
        form=form if can_change else None, can_change=can_change, has_guides=has_guides,
        year_label=school_year_label(group.offering.school_year)))


@login_required
@require_POST
def group_remove_student(request, pk: int, student_pk: int):
    group = selectors.teaching_group(request.user, pk)
    student = next((s for s in group.students.all() if s.pk == student_pk), None)
    if student is None:
        raise Http404("Deze leerling zit niet in de groep.")
    services.remove_student(group=group, student=student, by=request.user)
    messages.success(request, f"{student.full_name} is uit {group.name} gehaald.")
    return redirect("schools:group", pk=group.pk)


@login_required
@require_POST
def group_delete(request, pk: int):
    group = get_visible_or_404(request.user, TeachingGroup.objects.select_related("offering"), pk=pk)
    year = group.offering.school_year
    services.remove_teaching_group(group=group, by=request.user)
    messages.success(request, f"Lesgroep {group.name} is verwijderd.")
    return redirect(f"{reverse('schools:groups')}?jaar={year}")


# --- licences, policy, school profile ------------------------------------------------------------------

@login_required
def policy(request):
    school = _school(request)
    require(request.user, "schools.plan", school)
    current = selectors.policy_of(request.user, school) or SchoolPolicy(school=school)
    extra = current.extra_min_units or {}
    policy_form = forms.PolicyForm(
        request.POST if request.POST.get("form") == "policy" else None, regulations=list_regulations(),
        initial={"regulation_id": current.regulation_id,
                 "introductory_before_deepening": current.introductory_before_deepening,
                 **{f"extra_{lw.lower()}": extra.get(lw, 0) for lw in LEERWEGEN},
                 "extra_min_introductory": current.extra_min_introductory,
                 "extra_min_deepening": current.extra_min_deepening,
                 "max_units_per_year": current.max_units_per_year,
                 "loopbaandossier_required": current.loopbaandossier_required})
    licence_form = forms.LicenceForm(request.POST if request.POST.get("form") == "licence" else None,
                                     initial={"from_year": selectors.planning_year()})
    profile_form = forms.SchoolProfileForm(request.POST if request.POST.get("form") == "profile" else None,
                                           initial={"description": school.description, "region": school.region,
                                                    "website": school.website})
    if request.method == "POST":
        which = request.POST.get("form")
        try:
            if which == "policy" and policy_form.is_valid():
                data = policy_form.cleaned_data
                services.save_policy(
                    school=school, by=request.user, regulation_id=data["regulation_id"],
                    introductory_before_deepening=data["introductory_before_deepening"],
                    extra_min_units=policy_form.extra_min_units(),
                    extra_min_introductory=data["extra_min_introductory"],
                    extra_min_deepening=data["extra_min_deepening"],
                    max_units_per_year=data["max_units_per_year"],
                    loopbaandossier_required=data["loopbaandossier_required"])
                messages.success(request, "Het schoolbeleid is opgeslagen.")
                return redirect("schools:policy")
            if which == "licence" and licence_form.is_valid():
                data = licence_form.cleaned_data
                services.add_licence(school=school, profiel=data["profiel"], from_year=data["from_year"],
                                     to_year=data["to_year"], by=request.user)
                messages.success(request, f"Licentie voor {data['profiel'].name} toegevoegd.")
                return redirect("schools:policy")
            if which == "profile" and profile_form.is_valid():
                services.change_school_profile(school=school, by=request.user, **profile_form.cleaned_data)
                messages.success(request, "De beschrijving van de school is opgeslagen.")
                return redirect("schools:policy")
        except services.SchoolsError as exc:
            _error(request, exc, {"policy": policy_form, "licence": licence_form, "profile": profile_form}.get(which))
    regulation = engine.regulation_of(current.regulation_id)
    return render(request, "schools/policy.html", _base(
        request, school, "policy", policy_form=policy_form, licence_form=licence_form, profile_form=profile_form,
        licences=[(lic, lic.covers(school_year_of())) for lic in selectors.licences(request.user, school)],
        regulation=regulation,
        min_units=regulation.value("min_units") if "min_units" in regulation.parameters else None,
        year=school_year_of()))


@login_required
@require_POST
def licence_end(request, pk: int):
    licence = get_visible_or_404(request.user, Licence.objects.select_related("profiel"), pk=pk)
    try:
        if request.POST.get("action") == "delete":
            services.remove_licence(licence=licence, by=request.user)
            messages.success(request, f"De licentie voor {licence.profiel.name} is verwijderd.")
        else:
            services.change_licence(licence=licence, from_year=licence.from_year,
                                    to_year=request.POST.get("to_year") or None, by=request.user)
            messages.success(request, f"De licentie voor {licence.profiel.name} is aangepast.")
    except services.SchoolsError as exc:
        messages.error(request, exc.nl)
    return redirect("schools:policy")


# --- import and export ---------------------------------------------------------------------------------

def _upload_dir() -> Path:
    path = Path(settings.MEDIA_ROOT) / "imports"
    path.mkdir(parents=True, exist_ok=True)
    return path


@login_required
def import_page(request):
    school = _school(request)
    require(request.user, "schools.plan", school)
    years = {school_year_of(), selectors.planning_year()}
    form = forms.ImportForm(request.POST or None, request.FILES or None, years=years,
                            initial={"school_year": selectors.planning_year(), "dry_run": True, "kind": "aanbod"})
    if request.POST.get("token"):
        form = forms.ImportForm(years=years, initial={"school_year": selectors.planning_year(), "dry_run": True})
    report = pending = None
    if request.method == "POST":
        token = request.POST.get("token")
        stored = request.session.get("schools_imports", {}).get(token) if token else None
        try:
            if stored is not None:  # "import this file now" after a clean dry run
                path = _upload_dir() / stored["file"]
                with path.open("rb") as fh:
                    report = imports.run_import(stored["kind"], fh, school=school, by=request.user, dry_run=False,
                                                filename=stored["name"], school_year=stored["year"])
                if report.applied:
                    path.unlink(missing_ok=True)
                    request.session["schools_imports"].pop(token, None)
                    request.session.modified = True
            elif token:
                messages.error(request, "Dit bestand is verlopen; kies het opnieuw.")
            elif form.is_valid():
                data = form.cleaned_data
                upload = data["file"]
                report = imports.run_import(data["kind"], upload, school=school, by=request.user,
                                            dry_run=data["dry_run"], filename=upload.name,
                                            school_year=data["school_year"] or selectors.planning_year())
                if report.dry_run and report.ok:
                    pending = _keep_upload(request, upload, data)
        except PermissionDenied:
            messages.error(request, "U mag dit soort gegevens niet importeren (leerlingen en medewerkers: alleen "
                                    "de schoolleider).")
            report = None
        if report is not None and report.applied:
            messages.success(request, f"Import geslaagd: {report.created} nieuw, {report.updated} bijgewerkt, "
                                      f"{report.unchanged} ongewijzigd.")
    kinds = [{"kind": k, "label": label, "headers": imports.template_headers(k)} for k, label in forms.IMPORT_KINDS]
    return render(request, "schools/import.html", _base(
        request, school, "import", form=form, report=report, pending=pending, kinds=kinds,
        years=[{"year": y, "label": school_year_label(y)} for y in sorted(years | set(selectors.offering_years(school)))]))


def _keep_upload(request, upload, data) -> str:
    """Keep a file that passed its dry run until the user confirms it (files older than a day go)."""
    import time

    for old in _upload_dir().glob("*.bin"):
        if old.stat().st_mtime < time.time() - 24 * 3600:
            old.unlink(missing_ok=True)
    token = uuid.uuid4().hex
    target = _upload_dir() / f"{token}.bin"
    upload.seek(0)
    with target.open("wb") as fh:
        for chunk in upload.chunks():
            fh.write(chunk)
    store = request.session.get("schools_imports", {})
    store[token] = {"file": target.name, "kind": data["kind"], "name": upload.name,
                    "year": data["school_year"] or selectors.planning_year()}
    request.session["schools_imports"] = store
    return token


@login_required
def export(request, kind: str, fmt: str):
    school = _school(request)
    if kind not in imports.IMPORTERS or fmt not in {"csv", "xlsx"}:
        raise Http404("Onbekende export.")
    year = int(request.GET["jaar"]) if str(request.GET.get("jaar", "")).isdigit() else None
    if request.GET.get("leeg"):
        require(request.user, "schools.export", school)
        return table_response(f"{kind}-voorbeeld", imports.template_headers(kind), [], fmt)
    headers, rows = imports.export_rows(kind, school=school, by=request.user, school_year=year)
    suffix = f"-{school_year_label(year)}" if year else ""
    return table_response(f"{school.brin}-{kind}{suffix}", headers, rows, fmt)


# --- the public school pages ---------------------------------------------------------------------------

def school_index(request):
    """All schools, for parents and pupils choosing one (public: names and places only)."""
    q = (request.GET.get("q") or "").strip()
    schools = School.objects.only("brin", "name", "city", "region", "is_vakschool").order_by("name")
    if q:
        schools = schools.filter(Q(name__icontains=q) | Q(city__icontains=q) | Q(brin__iexact=q))
    planner = request.user.is_authenticated and selectors.schools_of(
        request.user, selectors.MANAGEMENT_ROLES).exists()
    return render(request, "schools/public_index.html", {"schools": list(schools[:200]), "q": q,
                                                         "planner": planner})


def public_school(request, brin: str):
    year = _year(request, 0) or None
    profile = selectors.public_school(brin, year)
    checks = selectors.package_checks(profile.packages, profile.school) if profile.packages else {}
    packages_view = []
    for p in profile.packages:
        modules = [pm.module for pm in p.package_modules.all()]
        kinds = {m.pk: m.current_version.module_type if m.current_version else "" for m in modules}
        packages_view.append({
            "package": p,
            "intro": [m for m in modules if kinds[m.pk] == "INTRODUCTORY"],
            "deep": [m for m in modules if kinds[m.pk] == "DEEPENING"],
            "other": [m for m in modules if kinds[m.pk] not in {"INTRODUCTORY", "DEEPENING"}],
            "fits": [LEERWEG_SHORT[lw] for lw in checks[p.pk].completable] if p.pk in checks else [],
        })
    by_profiel: dict[str, list] = {}
    for o in profile.offerings:
        names = sorted(p.name for p in o.module_version.profielen.all())
        by_profiel.setdefault(names[0] if names else "branche-overstijgend", []).append(o)
    directions = [{"name": name, "items": items,
                   "intro": sum(1 for o in items if o.module_version.module_type == "INTRODUCTORY"),
                   "deep": sum(1 for o in items if o.module_version.module_type == "DEEPENING")}
                  for name, items in sorted(by_profiel.items())]
    shown_year = profile.offerings[0].school_year if profile.offerings else (year or school_year_of())
    return render(request, "schools/public_school.html", {
        "profile": profile, "school": profile.school, "directions": directions, "packages": packages_view,
        "year": shown_year, "year_label": school_year_label(shown_year),
        "years": _year_links(profile.years, shown_year) if len(profile.years) > 1 else [],
        "leerweg_names": LEERWEG_SHORT,
    })

