"""The exam results of a school and exam year as CSV, in the shape a registration with DUO's Register
Onderwijsdeelnemers (ROD, formerly BRON) needs: one row per subject result (vakresultaat) of a candidate,
with the candidate's exam result (examenresultaat) repeated on each row. The columns and their sources
are documented in docs/export-rod.md. Every text cell goes through `web.tabular.safe_cell`, so a cell
starting with = + - @ is never run as a formula by a spreadsheet.

Only signed-off decisions (vastgesteld) are exported unless `include_drafts`: ROD wants the definitive
result (within two weeks of its vaststelling, Regeling register onderwijsdeelnemers art. 6).
"""

from __future__ import annotations

import csv

from maatwerk.domain import school_year_label
from maatwerk.web.tabular import safe_cell

from .models import DecisionStatus, ExamDecision, ExamOutcome

COLUMNS = [
    "brin", "vestiging", "leerlingnummer", "persoonsgebonden_nummer", "examenjaar", "leerweg", "profiel", "regeling",
    "uitslag", "uitslagdatum", "cum_laude", "combinatiecijfer", "status",
    "vakcode", "duo_vakcode", "vaknaam", "soort", "niveau", "se_cijfer", "ce_cijfer", "eindcijfer", "beoordeling",
    "telt_mee",
]
OUTCOME_CODE = {ExamOutcome.PASSED: "G", ExamOutcome.FAILED: "A", ExamOutcome.INCOMPLETE: "O"}


def _decimal(text) -> str:
    return "" if text in (None, "") else str(text).replace(".", ",")


def export_decisions(school, school_year: int, include_drafts: bool = False):
    qs = (ExamDecision.objects.current().filter(student__school=school, school_year=school_year)
          .select_related("student__location", "student__profiel").order_by("student__student_number"))
    if not include_drafts:
        qs = qs.filter(status=DecisionStatus.SIGNED_OFF)
    return qs


def rod_rows(decisions) -> list[list]:
    from maatwerk.catalog.models import ModuleVersion

    decisions = list(decisions)
    version_ids = {r.get("module_version_id") for d in decisions for r in d.inputs.get("subjects", [])} - {None}
    duo_codes = dict(ModuleVersion.objects.filter(pk__in=version_ids).values_list("pk", "legacy_code"))
    rows = []
    for d in decisions:
        s = d.student
        head = [
            s.school.brin if hasattr(s, "school") else "", s.location.number if s.location_id else "",
            s.student_number, "", school_year_label(d.school_year), s.leerweg, s.profiel.code if s.profiel_id else "",
            d.regulation_id, OUTCOME_CODE.get(d.outcome, ""),
            d.signed_off_at.date().isoformat() if d.signed_off_at else "", "J" if d.cum_laude else "N",
            d.combination_grade if d.combination_grade is not None else "", d.get_status_display(),
        ]
        subjects = [r for r in d.inputs.get("subjects", []) if r.get("kind") != "niet meegeteld"]
        if not subjects:
            rows.append(head + [""] * 10)
            continue
        left_out = set(d.left_out)
        for r in subjects:
            code = r.get("code", "")
            final = d.final_grades.get(code)
            rows.append(head + [
                code, duo_codes.get(r.get("module_version_id"), "") or "", r.get("name", ""), r.get("kind", ""),
                d.levels.get(code) or r.get("level") or s.leerweg, _decimal(r.get("school_exam")),
                _decimal(r.get("central_exam")), "" if final is None else final, r.get("qualification") or "",
                "N" if code in left_out or r.get("refused") else "J",
            ])
    return rows


def write_rod_csv(out, *, school, school_year: int, include_drafts: bool = False) -> int:
    """Write the CSV (semicolon separated, as Dutch spreadsheets expect) to a text stream; returns the rows."""
    decisions = export_decisions(school, school_year, include_drafts).select_related("student__school")
    rows = rod_rows(decisions)
    writer = csv.writer(out, delimiter=";", lineterminator="\r\n")
    writer.writerow(COLUMNS)
    for row in rows:
        writer.writerow([safe_cell(cell) for cell in row])
    return len(rows)
