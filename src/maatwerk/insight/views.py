"""Pages of the insight app: the steward's national dashboard, a school's dashboard, and what-if.

Thin: numbers come from selectors.py (aggregates, protected against small cells) and whatif.py; every page
checks its permission (permissions.py) and a school is found through the tenancy (404 for another school).
"""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.http import Http404, HttpResponse
from django.shortcuts import redirect, render
from django.template.loader import render_to_string
from django.urls import reverse
from django.utils import timezone

from maatwerk.accounts.scoping import get_visible_or_404, roles_of, visible_to
from maatwerk.schools.models import School
from maatwerk.web.tabular import table_response

from . import selectors, whatif
from .cache import cached
from .models import Scenario
from .permissions import SCHOOL_ROLES

CSV_HEADERS = ["onderdeel", "tabel", "rij", "kolom", "waarde"]


def _require(request, perm: str, obj=None) -> None:
    if not request.user.has_perm(perm, obj):
        raise PermissionDenied("Deze pagina is niet voor uw rol.")


def national_data():
    return cached("national", selectors.national_dashboard)


def school_data(school):
    return cached(f"school:{school.pk}", lambda: selectors.school_dashboard(school))


def _school(request, brin: str) -> School:
    school = get_visible_or_404(request.user, School, brin=brin.upper())
    _require(request, "insight.view_school", school)
    return school


def _pdf(request, html: str, filename: str) -> HttpResponse:
    from weasyprint import HTML

    pdf = HTML(string=html, base_url=None).write_pdf()  # everything is inline: charts are data URIs
    response = HttpResponse(pdf, content_type="application/pdf")
    response["Content-Disposition"] = f'attachment; filename="{filename}"'
    return response


def _links(kind: str, school=None) -> dict:
    if school is None:
        return {"csv": reverse("insight:national_csv"), "pdf": reverse("insight:national_pdf")}
    return {"csv": reverse("insight:school_csv", args=[school.brin]),
            "pdf": reverse("insight:school_pdf", args=[school.brin]),
            "risk": reverse("insight:school_risk", args=[school.brin])}


# --- national --------------------------------------------------------------------------------------


@login_required
def national(request):
    _require(request, "insight.view_national")
    return render(request, "insight/dashboard.html", {"dashboard": national_data(), "links": _links("national"),
                                                       "is_national": True})


@login_required
def national_csv(request):
    _require(request, "insight.view_national")
    return table_response(f"inzicht-landelijk-{timezone.localdate():%Y%m%d}", CSV_HEADERS, national_data().csv_rows())


@login_required
def national_pdf(request):
    _require(request, "insight.view_national")
    html = render_to_string("insight/print.html", {"dashboard": national_data()}, request=request)
    return _pdf(request, html, f"inzicht-landelijk-{timezone.localdate():%Y%m%d}.pdf")


# --- one school ------------------------------------------------------------------------------------


@login_required
def school_redirect(request):
    """The school leader's (decaan's, examensecretaris') own school; with several, the first by name."""
    ids = roles_of(request.user).schools(SCHOOL_ROLES)
    school = School.objects.filter(pk__in=ids).order_by("name").first()
    if school is None:
        raise PermissionDenied("Het schooldashboard is voor de schoolleider, decaan en examensecretaris.")
    return redirect("insight:school", brin=school.brin)


@login_required
def school(request, brin: str):
    school = _school(request, brin)
    others = list(visible_to(request.user, School).filter(pk__in=roles_of(request.user).schools(SCHOOL_ROLES))
                  .exclude(pk=school.pk).order_by("name"))
    return render(request, "insight/dashboard.html", {"dashboard": school_data(school), "school": school,
                                                       "links": _links("school", school), "other_schools": others})


@login_required
def school_csv(request, brin: str):
    school = _school(request, brin)
    return table_response(f"inzicht-{school.brin}-{timezone.localdate():%Y%m%d}", CSV_HEADERS,
                          school_data(school).csv_rows())


@login_required
def school_pdf(request, brin: str):
    school = _school(request, brin)
    html = render_to_string("insight/print.html", {"dashboard": school_data(school)}, request=request)
    return _pdf(request, html, f"inzicht-{school.brin}-{timezone.localdate():%Y%m%d}.pdf")


@login_required
def school_risk(request, brin: str):
    """The school's own work list: the students behind the risk numbers, for its staff with insight rights."""
    school = _school(request, brin)
    rows, total = selectors.students_at_risk(school)
    return render(request, "insight/risk.html", {"school": school, "rows": rows, "total": total})


# --- what-if ---------------------------------------------------------------------------------------


def _form_values(reg, data) -> dict[str, str]:
    current = whatif.current_values(reg)
    return {p.key: (data.get(p.key) if data is not None and data.get(p.key) not in (None, "") else current[p.key])
            for p in whatif.PARAMETERS}


@login_required
def whatif_page(request):
    _require(request, "insight.run_what_if")
    reg = whatif.regulation()
    context = {"regulation": reg, "parameters": whatif.PARAMETERS, "current": whatif.current_values(reg),
               "history": list(Scenario.objects.select_related("created_by")[:50]), "errors": {}, "result": None,
               "name": "", "exam_year": whatif.latest_exam_year(reg.id)}
    status = 200
    if request.method == "POST":
        data = request.POST
        context["values"] = _form_values(reg, data)
        context["name"] = (data.get("name") or "").strip()
        try:
            overrides = whatif.parse_overrides(reg, {p.key: data.get(p.key) for p in whatif.PARAMETERS})
            if data.get("action") == "save":
                scenario = whatif.save_scenario(by=request.user, name=context["name"], regulation_id=reg.id,
                                                overrides=overrides, note=(data.get("note") or "").strip())
                messages.success(request, f"Scenario ‘{scenario.name}’ is bewaard.")
                return redirect(f"{reverse('insight:whatif')}?scenario={scenario.pk}#uitkomst")
            context["result"] = whatif.present(whatif.run(reg.id, overrides))
        except whatif.WhatIfInvalid as exc:
            context["errors"] = exc.errors
            status = 400
    else:
        context["values"] = _form_values(reg, None)
        scenario_id = request.GET.get("scenario")
        if scenario_id:
            try:
                scenario = Scenario.objects.get(pk=int(scenario_id))
            except (ValueError, Scenario.DoesNotExist):
                raise Http404("Dit scenario bestaat niet.") from None
            context["scenario"] = scenario
            context["result"] = whatif.present(scenario.summary)
            context["values"] = _form_values(reg, scenario.overrides)
            context["name"] = scenario.name
    return render(request, "insight/whatif.html", context, status=status)


def _selected(request) -> list[Scenario]:
    ids = [i for i in request.GET.getlist("s") if i.isdigit()]
    found = Scenario.objects.in_bulk([int(i) for i in ids])
    return [found[int(i)] for i in dict.fromkeys(ids) if int(i) in found]


@login_required
def compare(request):
    _require(request, "insight.run_what_if")
    chosen = _selected(request)
    context = {"history": list(Scenario.objects.select_related("created_by")[:50]), "chosen": chosen,
               "comparison": None, "chosen_ids": {s.pk for s in chosen}}
    status = 200
    if request.GET.getlist("s"):
        if len(chosen) < 2:
            messages.error(request, "Kies ten minste twee bewaarde scenario's om te vergelijken.")
            status = 400
        else:
            context["comparison"] = whatif.comparison(chosen)
            query = "&".join(f"s={s.pk}" for s in chosen)
            context["links"] = {"csv": f"{reverse('insight:compare_csv')}?{query}",
                                "pdf": f"{reverse('insight:compare_pdf')}?{query}"}
    return render(request, "insight/compare.html", context, status=status)


def _comparison_or_400(request):
    chosen = _selected(request)
    if len(chosen) < 2:
        return None
    return whatif.comparison(chosen)


@login_required
def compare_csv(request):
    _require(request, "insight.run_what_if")
    data = _comparison_or_400(request)
    if data is None:
        return HttpResponse("Kies ten minste twee bewaarde scenario's (?s=1&s=2).", status=400,
                            content_type="text/plain; charset=utf-8")
    headers = ["", *(s.name for s in data["scenarios"])]
    return table_response(f"wat-als-vergelijking-{timezone.localdate():%Y%m%d}", headers,
                          [[label, *values] for label, values in data["rows"]])


@login_required
def compare_pdf(request):
    _require(request, "insight.run_what_if")
    data = _comparison_or_400(request)
    if data is None:
        return HttpResponse("Kies ten minste twee bewaarde scenario's (?s=1&s=2).", status=400,
                            content_type="text/plain; charset=utf-8")
    html = render_to_string("insight/compare_print.html", {"comparison": data, "made_at": timezone.localtime()},
                            request=request)
    return _pdf(request, html, f"wat-als-vergelijking-{timezone.localdate():%Y%m%d}.pdf")
