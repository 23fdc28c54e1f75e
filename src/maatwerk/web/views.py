"""The home page (what each role does next), the privacy statement and the error pages."""

from __future__ import annotations

from django.shortcuts import render
from django.urls import NoReverseMatch, reverse
from django.views.decorators.csrf import requires_csrf_token

from maatwerk.accounts.models import Role
from maatwerk.accounts.scoping import roles_of

#: Tasks on the home page per role: (title, explanation, url name)
TASKS: dict[str, list[tuple[str, str, str]]] = {
    Role.STEWARD: [
        ("Voorstellen beoordelen", "Nieuwe modulen en wijzigingen die scholen en platforms indienden.", "catalog:proposals"),
        ("Reviewkalender", "Modulen waarvan de vijfjaarlijkse review dit jaar of eerder moest.", "catalog:steward"),
        ("Inzicht", "Landelijke cijfers over modulen, routes en uitslagen.", "insight:national"),
    ],
    Role.PROPOSER: [
        ("Module voorstellen", "Dien een nieuwe module of een wijziging in voor de menukaart.", "catalog:proposal_new"),
        ("Mijn voorstellen", "Bekijk de stand van uw voorstellen.", "catalog:proposals"),
    ],
    Role.SCHOOL_LEADER: [
        ("Aanbod plannen", "Stel het aanbod van modulen en pakketten voor volgend schooljaar samen.", "schools:offering"),
        ("PTA vaststellen", "Stel het PTA van elk cohort vast voor 1 oktober.", "assessment:pta_list"),
        ("Inzicht school", "Programma's, risico's en LOB-activiteit van uw school.", "insight:school_redirect"),
    ],
    Role.EXAM_SECRETARY: [
        ("Uitslagen", "Bereken, controleer en stel de uitslag vast.", "diploma:decisions"),
        ("Cijfers", "Cijferlijsten per groep en PTA-onderdeel.", "assessment:gradebooks"),
    ],
    Role.COUNSELLOR: [
        ("Pakketten", "Pakketten en hun doorstroom naar het mbo.", "schools:packages"),
        ("Programma's", "Programma's die wachten op goedkeuring.", "students:list"),
    ],
    Role.MENTOR: [
        ("Mijn mentorleerlingen", "Programma's, loopbaandossiers en gesprekken.", "students:list"),
    ],
    Role.TEACHER: [
        ("Cijfers invoeren", "Vul de cijfers van uw groepen in, met het toetsenbord.", "assessment:gradebooks"),
    ],
    Role.EXTERNAL_ASSESSOR: [
        ("Beoordelen", "De leerlingen en onderdelen die aan u zijn toegewezen.", "assessment:assessor_home"),
    ],
    Role.STUDENT: [
        ("Mijn programma", "Kies je modulen en zie wat je nog nodig hebt.", "students:my_programme"),
        ("Mijn loopbaandossier", "Je activiteiten, gesprekken en wat je ervan leerde.", "students:my_dossier"),
        ("Mijn resultaten", "Je cijfers per module.", "assessment:my_results"),
    ],
    Role.PARENT: [
        ("Mijn kind", "Programma, loopbaandossier en resultaten van uw kind.", "students:my_children"),
    ],
}


def _tasks_for(user) -> list[dict]:
    tasks, seen = [], set()
    for role in Role:
        if role not in roles_of(user).roles:
            continue
        for title, text, name in TASKS.get(role, []):
            if name in seen:
                continue
            try:
                url = reverse(name)
            except NoReverseMatch:
                continue
            seen.add(name)
            tasks.append({"title": title, "text": text, "url": url, "role": role.label})
    return tasks


def home(request):
    tasks = _tasks_for(request.user) if request.user.is_authenticated else []
    return render(request, "web/home.html", {"tasks": tasks})


def privacy(request):
    return render(request, "web/privacy.html")


def error_404(request, exception=None):
    return render(request, "404.html", status=404)


@requires_csrf_token
def error_403(request, exception=None):
    return render(request, "403.html", {"reason": str(exception) if exception else ""}, status=403)


def error_500(request):
    # No context processors: the failure may have been the database itself.
    from django.http import HttpResponseServerError
    from django.template import loader

    return HttpResponseServerError(loader.get_template("500.html").render())


def error_400(request, exception=None):
    return render(request, "400.html", status=400)
