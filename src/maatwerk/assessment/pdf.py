"""The PTA as a PDF for students and parents (WeasyPrint: A4, Dutch). Its stylesheet is inline in the
PDF template: WeasyPrint renders it on the server, the browser's CSP does not apply to a PDF."""

from __future__ import annotations

from django.template.loader import render_to_string
from django.utils import timezone


def pta_html(pta) -> str:
    items = sorted(pta.items.all(), key=lambda i: i.code)  # grouped by module, as on the PTA page
    grade_weight = sum((i.weight for i in items if i.result_kind == "grade"), 0)
    return render_to_string("assessment/pta_pdf.html", {
        "pta": pta, "items": items, "grade_weight": grade_weight, "printed_at": timezone.localtime(),
    })


def pta_pdf(pta, request=None) -> bytes:
    from weasyprint import HTML

    return HTML(string=pta_html(pta), base_url=None).write_pdf()
