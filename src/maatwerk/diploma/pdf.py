"""The cijferlijst, the diploma and the certificaat as PDFs (WeasyPrint: A4, Dutch, print quality).

The documents are rendered from the same `selectors.transcript_for` as the pages, so a PDF shows exactly
what the decision rests on. The print stylesheet is static/diploma/print.css (no inline styles).
"""

from __future__ import annotations

from pathlib import Path

from django.template.loader import render_to_string
from django.utils import timezone

from maatwerk.domain import LEERWEG_SHORT

from . import selectors

PRINT_CSS = Path(__file__).resolve().parent / "static" / "diploma" / "print.css"
WORDS = {1: "een", 2: "twee", 3: "drie", 4: "vier", 5: "vijf", 6: "zes", 7: "zeven", 8: "acht", 9: "negen",
         10: "tien"}


def in_words(grade: str) -> str:
    return WORDS.get(int(grade), "") if grade and grade.isdigit() else ""


def context(transcript: selectors.Transcript) -> dict:
    decision = transcript.decision
    signed = decision is not None and decision.status == "signed_off"
    other_levels = [r for r in [*transcript.general, *transcript.vocational, *transcript.modules]
                    if r.level and r.level != transcript.student.leerweg]
    for row in [*transcript.general, *transcript.vocational, *transcript.modules]:
        row.words = in_words(row.final_grade)
    return {
        "t": transcript, "student": transcript.student, "school": transcript.school, "decision": decision,
        "signed": signed, "signed_on": timezone.localtime(decision.signed_off_at) if signed else None,
        "made_on": timezone.localtime(), "other_levels": other_levels,
        "leerweg_short": LEERWEG_SHORT.get(transcript.student.leerweg, ""),
        "combination_words": WORDS.get(transcript.combination_grade or 0, ""),
    }


def render(template: str, transcript: selectors.Transcript) -> bytes:
    from weasyprint import CSS, HTML

    html = render_to_string(f"diploma/pdf/{template}.html", context(transcript))
    return HTML(string=html, base_url=str(PRINT_CSS.parent)).write_pdf(stylesheets=[CSS(filename=str(PRINT_CSS))])


def transcript_pdf(transcript: selectors.Transcript) -> bytes:
    return render("transcript", transcript)


def diploma_pdf(transcript: selectors.Transcript) -> bytes:
    return render("diploma", transcript)


def certificate_pdf(transcript: selectors.Transcript) -> bytes:
    return render("certificate", transcript)


def filename(kind: str, transcript: selectors.Transcript) -> str:
    s = transcript.student
    return f"{kind}-{s.student_number}-{transcript.school_year}.pdf"
