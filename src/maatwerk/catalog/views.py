"""Pages of the menukaart. Thin: they read through selectors and write through services."""

from __future__ import annotations

from django.contrib import messages
from django.contrib.auth.decorators import login_required
from django.core.exceptions import PermissionDenied
from django.core.paginator import Paginator
from django.http import Http404
from django.shortcuts import redirect, render
from django.urls import reverse
from django.utils import timezone
from django.views.decorators.http import require_POST

from maatwerk.accounts.scoping import get_visible_or_404, roles_of, visible_to
from maatwerk.domain import LEERWEG_SHORT, Leerweg, school_year_of

from . import cycle, selectors, services
from .diff import compare as compare_versions
from .forms import AcceptForm, ConceptForm, ProposalForm, PublishForm, RejectForm, ReviewForm
from .models import Module, ModuleProposal, ModuleVersion, ProposalStatus, Review, VersionPublished


def _can(request, perm: str, obj=None) -> bool:
    return request.user.is_authenticated and request.user.has_perm(perm, obj)


def _refuse(request, exc) -> None:
    """Show a service refusal as a Dutch message with its stable code."""
    code = getattr(exc, "code", "catalog_error")
    text = exc.messages[0] if hasattr(exc, "messages") else str(exc)
    messages.error(request, f"{text} ({code})")


# --- public --------------------------------------------------------------------------------------


def catalog_list(request):
    filters = selectors.CatalogFilters.from_query(request.GET)
    qs = selectors.catalog_versions(request.user, filters)
    page = Paginator(qs, selectors.PAGE_SIZE).get_page(request.GET.get("pagina"))
    query = request.GET.copy()
    query.pop("pagina", None)
    context = {"filters": filters, "page": page, "rows": list(page.object_list), "querystring": query.urlencode(),
               "is_steward": selectors.is_steward(request.user)}
    if request.htmx and request.htmx.target == "resultaten":
        return render(request, "catalog/_results.html", context)
    context["options"] = selectors.filter_options(request.user)
    return render(request, "catalog/list.html", context)


def _module_or_404(request, code: str) -> Module:
    module = get_visible_or_404(request.user, Module.objects.select_related("current_version"), code__iexact=code)
    if module.current_version_id is None and not selectors.is_steward(request.user):
        raise Http404("Niet gevonden.")
    return module


def _version(request, module: Module, number) -> ModuleVersion:
    qs = selectors.version_detail_queryset(request.user).filter(module=module)
    if number in (None, ""):
        if module.current_version_id:
            return get_visible_or_404(request.user, qs, pk=module.current_version_id)
        version = qs.order_by("-version").first()
        if version is None:
            raise Http404("Niet gevonden.")
        return version
    return get_visible_or_404(request.user, qs, version=number)


def module_detail(request, code: str):
    module = _module_or_404(request, code)
    version = _version(request, module, request.GET.get("versie"))
    versions = selectors.module_versions(request.user, module)
    year = school_year_of()
    in_force = selectors.version_for_year(module, year)
    guides = {g.leerweg: g for g in version.guides.all()}
    context = {
        "module": module, "version": version, "versions": versions, "school_year": year,
        "in_force": in_force,
        "guides": [{"leerweg": lw, "label": LEERWEG_SHORT[lw], "guide": guides.get(lw),
                    "offered": version.is_for(lw)} for lw in Leerweg.values],
        "profielen": list(version.profielen.all()),
        "can_manage": _can(request, "catalog.manage_catalog", version),
        "publish_form": PublishForm() if version.is_concept else None,
        "compare_from": versions[1].version if len(versions) > 1 else None,
        "retired": module.retired_from is not None and module.retired_from <= year + 1,
        "concept": next((v for v in versions if v.is_concept), None),
    }
    return render(request, "catalog/module.html", context)


def compare(request, code: str):
    module = _module_or_404(request, code)
    versions = selectors.module_versions(request.user, module)
    if len(versions) < 2:
        messages.info(request, "Deze module heeft maar één versie: er is niets te vergelijken.")
        return redirect("catalog:module", code=module.code)
    try:
        old_no = int(request.GET.get("van") or versions[1].version)
        new_no = int(request.GET.get("naar") or versions[0].version)
    except ValueError as exc:
        raise Http404("Niet gevonden.") from exc
    old = _version(request, module, old_no)
    new = _version(request, module, new_no)
    fields = compare_versions(old, new)
    return render(request, "catalog/compare.html", {
        "module": module, "old": old, "new": new, "versions": versions, "fields": fields,
        "changed": [f for f in fields if f.changed], "unchanged": [f for f in fields if not f.changed],
    })


# --- stewards: versions --------------------------------------------------------------------------


@login_required
def version_edit(request, code: str, number: int):
    module = _module_or_404(request, code)
    version = _version(request, module, number)
    if not _can(request, "catalog.manage_catalog", version):
        raise PermissionDenied("Alleen het landelijk beheer bewerkt modulen.")
    if not version.is_concept:
        context = {"module": module, "version": version, "refused": VersionPublished(),
                   "concept": module.versions.filter(status="concept").first()}
        return render(request, "catalog/version_edit.html", context, status=409 if request.method == "POST" else 200)
    form = ConceptForm(request.POST or None, initial=ConceptForm.initial_for(version))
    if request.method == "POST" and form.is_valid():
        try:
            services.update_concept(version=version, by=request.user, **form.content(version))
        except services.CatalogError as exc:
            for name, message in (exc.details or {}).items():
                form.add_error(name if name in form.fields else None, message)
            if not exc.details:
                form.add_error(None, f"{exc.nl} ({exc.code})")
        except VersionPublished as exc:  # published meanwhile by someone else
            return render(request, "catalog/version_edit.html",
                          {"module": module, "version": version, "refused": exc}, status=409)
        else:
            messages.success(request, f"Concept versie {version.version} van {module.code} is opgeslagen.")
            return redirect(f"{reverse('catalog:module', args=[module.code])}?versie={version.version}")
    return render(request, "catalog/version_edit.html", {"module": module, "version": version, "form": form})


@login_required
@require_POST
def version_new(request, code: str):
    module = _module_or_404(request, code)
    try:
        version = services.new_version(module=module, by=request.user)
    except services.CatalogError as exc:
        _refuse(request, exc)
        return redirect("catalog:module", code=module.code)
    messages.success(request, f"Concept versie {version.version} gemaakt: pas het aan en publiceer het.")
    return redirect("catalog:version_edit", code=module.code, number=version.version)


@login_required
@require_POST
def version_publish(request, code: str, number: int):
    module = _module_or_404(request, code)
    version = _version(request, module, number)
    form = PublishForm(request.POST)
    if not form.is_valid():
        messages.error(request, "Kies het schooljaar waarin de versie ingaat.")
    else:
        try:
            services.publish_version(version=version, by=request.user, valid_from=form.cleaned_data["valid_from"])
        except (services.CatalogError, VersionPublished) as exc:
            _refuse(request, exc)
        else:
            messages.success(request, f"Versie {version.version} is gepubliceerd en geldt vanaf "
                                      f"{form.cleaned_data['valid_from']}-{form.cleaned_data['valid_from'] + 1}.")
    return redirect(f"{reverse('catalog:module', args=[module.code])}?versie={version.version}")


@login_required
@require_POST
def version_withdraw(request, code: str, number: int):
    module = _module_or_404(request, code)
    version = _version(request, module, number)
    try:
        services.withdraw_version(version=version, by=request.user, reason=request.POST.get("reason", ""))
    except services.CatalogError as exc:
        _refuse(request, exc)
    else:
        messages.success(request, f"Versie {version.version} van {module.code} is ingetrokken.")
    return redirect("catalog:module", code=module.code)


# --- stewards: the cycle -------------------------------------------------------------------------


@login_required
def steward(request):
    if not _can(request, "catalog.manage_catalog"):
        raise PermissionDenied("Deze pagina is voor het landelijk beheer van de menukaart.")
    today = timezone.localdate()
    return render(request, "catalog/steward.html", {
        "today": today,
        "inbox": list(selectors.proposal_inbox(request.user)),
        "calendar": selectors.review_calendar(request.user, today),
        "removal": selectors.removal_watch(today),
        "missing_usage_years": services.usage_years_missing(today),
        "runs": list(visible_to(request.user, services.LifecycleRun).prefetch_related("actions__module")[:3]),
        "params": {name: cycle.param(name) for name in ("review_cycle_years", "update_deadline_years",
                                                        "removal_years", "proposal_interval_years")},
        "round_year": cycle.proposal_round_year(today),
        "deadline": cycle.proposal_deadline(cycle.proposal_round_year(today)),
    })


@login_required
@require_POST
def lifecycle_run(request):
    if not _can(request, "catalog.manage_catalog"):
        raise PermissionDenied("Alleen het landelijk beheer draait de levenscyclus.")
    dry_run = request.POST.get("dry_run") == "1"
    result = services.run_lifecycle(on=timezone.localdate(), dry_run=dry_run, by=request.user)
    for line in result.lines():
        messages.info(request, line)
    return redirect(f"{reverse('catalog:steward')}#levenscyclus")


@login_required
def review_record(request, pk: int):
    review = get_visible_or_404(request.user, Review.objects.select_related("module", "version"), pk=pk)
    if not _can(request, "catalog.record_review", review):
        raise PermissionDenied("Alleen het landelijk beheer legt reviews vast.")
    form = ReviewForm(request.POST or None, initial={"decided_on": timezone.localdate()})
    if request.method == "POST" and form.is_valid():
        try:
            services.record_review(review=review, by=request.user, **form.cleaned_data)
        except services.CatalogError as exc:
            for name, message in (exc.details or {}).items():
                form.add_error(name if name in form.fields else None, message)
            if not exc.details:
                form.add_error(None, f"{exc.nl} ({exc.code})")
        else:
            messages.success(request, f"De review van {review.module.code} is vastgelegd.")
            return redirect(f"{reverse('catalog:steward')}#reviews")
    return render(request, "catalog/review.html", {"review": review, "form": form,
                                                   "update_years": cycle.param("update_deadline_years")})


# --- proposals -----------------------------------------------------------------------------------


@login_required
def proposals(request):
    rs = roles_of(request.user)
    if not (rs.is_steward or request.user.is_superuser or "proposer" in rs.roles):
        raise PermissionDenied("Deze pagina is voor indieners en het landelijk beheer.")
    qs = selectors.proposals_for(request.user).order_by("-submitted_at")
    status = request.GET.get("status", "")
    if status in ProposalStatus.values:
        qs = qs.filter(status=status)
    page = Paginator(qs, 25).get_page(request.GET.get("pagina"))
    return render(request, "catalog/proposals.html", {
        "page": page, "status": status, "statuses": ProposalStatus.choices,
        "is_steward": selectors.is_steward(request.user), "can_submit": _can(request, "catalog.submit_proposal"),
        "round_year": cycle.proposal_round_year(timezone.localdate()),
        "deadline": cycle.proposal_deadline(cycle.proposal_round_year(timezone.localdate())),
    })


@login_required
def proposal_new(request):
    if not _can(request, "catalog.submit_proposal"):
        raise PermissionDenied("Alleen indieners van een school of platform kunnen een module voorstellen.")
    memberships = services.proposer_organisations(request.user)
    form = ProposalForm(request.POST or None, memberships=memberships)
    today = timezone.localdate()
    if request.method == "POST" and form.is_valid():
        data = form.cleaned_data
        membership = form.memberships[data["organisation"]]
        try:
            proposal = services.submit_proposal(
                by=request.user, kind=data["kind"], module=data.get("module"), title=data["title"],
                module_type=data["module_type"], profielen=data["profielen"], leerwegen=data["leerwegen"],
                summary=data["summary"], objectives=data["objectives"], rationale=data["rationale"],
                evidence=data["evidence"], school=membership.school, platform=membership.platform)
        except services.CatalogError as exc:
            for name, message in (exc.details or {}).items():
                form.add_error(name if name in form.fields else None, message)
        else:
            messages.success(request, f"Uw voorstel is ingediend voor de ronde van {proposal.round_year}.")
            return redirect("catalog:proposal", pk=proposal.pk)
    round_year = cycle.proposal_round_year(today)
    return render(request, "catalog/proposal_new.html", {
        "form": form, "round_year": round_year, "deadline": cycle.proposal_deadline(round_year)})


def _proposal(request, pk: int) -> ModuleProposal:
    return get_visible_or_404(request.user, selectors.proposals_for(request.user), pk=pk)


def _status_changes(proposal: ModuleProposal) -> list:
    """The history rows where the status changed (profielen changes also write a history row)."""
    rows, last = [], None
    for row in proposal.history.select_related("history_user").order_by("history_date"):
        if row.status != last:
            rows.append(row)
            last = row.status
    return rows


@login_required
def proposal_detail(request, pk: int):
    proposal = _proposal(request, pk)
    can_assess = _can(request, "catalog.assess_proposal", proposal)
    return render(request, "catalog/proposal.html", {
        "proposal": proposal, "can_assess": can_assess, "reject_form": RejectForm(), "accept_form": AcceptForm(),
        "objectives": [line for line in proposal.objectives.splitlines() if line.strip()],
        "leerwegen": [lw for lw in proposal.leerwegen.split(",") if lw],
        "history": _status_changes(proposal),
    })


@login_required
@require_POST
def proposal_action(request, pk: int, action: str):
    proposal = _proposal(request, pk)
    try:
        if action == "in-behandeling":
            services.start_assessment(proposal=proposal, by=request.user)
            messages.success(request, "Het voorstel is in behandeling genomen.")
        elif action == "aannemen":
            proposal = services.accept_proposal(proposal=proposal, by=request.user,
                                                reason=request.POST.get("reason", ""))
            version = proposal.resulting_version
            messages.success(request, f"Aangenomen: concept {version.module.code} versie {version.version} is "
                                      "gemaakt. Werk het uit en publiceer het.")
        elif action == "afwijzen":
            services.reject_proposal(proposal=proposal, by=request.user, reason=request.POST.get("reason", ""))
            messages.success(request, "Het voorstel is afgewezen; de indiener ziet de reden.")
        else:
            raise Http404("Onbekende handeling.")
    except services.CatalogError as exc:
        _refuse(request, exc)
    return redirect("catalog:proposal", pk=proposal.pk)
