"""The loopbaandossier as a PDF for the transfer to mbo (WeasyPrint: A4, Dutch, hyphenated)."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone

from . import selectors
from .route import build_route, describe, render_svg


def dossier_context(student) -> dict:
    programme = selectors.programme_of(student)
    route = build_route(student, programme, selectors.qualifications_by_profiel())
    return {
        "student": student, "programme": programme,
        "evaluation": selectors.evaluate_programme(programme) if programme is not None else None,
        "route_svg": render_svg(route, uid="route"), "route_text": describe(route), "route": route,
        "exported_at": timezone.localtime(), **selectors.dossier_of(student).as_context(),
    }


def dossier_html(student) -> str:
    return render_to_string("students/dossier_pdf.html", dossier_context(student))


def dossier_pdf(student) -> bytes:
    from weasyprint import HTML

    return HTML(string=dossier_html(student), base_url=None).write_pdf()
