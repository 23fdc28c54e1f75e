"""Import of grades from CSV or XLSX, as school administrations export them (see docs/grade-import.md).

Two shapes are read (the reading itself is web/tabular.py: ; , or tab, UTF-8 with or without BOM or
Windows-1252, XLSX):

* long: one row per result, with the columns leerlingnummer, toetscode, cijfer (and optionally poging,
  datum, opmerking), under the names Magister, SOMtoday and Excel users give them;
* wide: one row per student, the leerlingnummer and one column per PTA item, headed by the item code
  (a "cijferoverzicht").

All or nothing: the rows go through `services.save_results`, the bulk form of `services.save_result`
(the same validation, resit and permission rules and messages as the gradebook, every row checked in
memory in file order); only when every row is good and it is not a dry run are they written, in bulk with
their history, and the module outcomes recomputed once per (student, module). The report lists every bad
row with its line number and a Dutch reason, and what would change (old -> new).
"""

from __future__ import annotations

import datetime as dt
import re
from dataclasses import dataclass, field

from django.core.exceptions import PermissionDenied
from django.db import transaction

from maatwerk.accounts.scoping import visible_to
from maatwerk.web.tabular import Column, TableError, normalise_header, read_table

from . import services
from .grades import GradeError
from .models import PtaItem
from .selectors import LIVE

NUMBER = Column("number", "Leerlingnummer", (
    "leerlingnr", "llnr", "ll nr", "stamnummer", "stamnr", "stamnr.", "leerling nummer", "leerlingnummer",
    "studentnummer", "studentnr", "nummer", "leerling-id", "leerlingid"))
CODE = Column("code", "Toetscode", (
    "code", "toets", "toetskolom", "kolom", "kolomcode", "kolomkop", "cijferkolom", "onderdeel",
    "pta-code", "ptacode", "pta onderdeel", "pta-onderdeel", "toetsnummer", "toets code", "kolomnaam"))
GRADE = Column("grade", "Cijfer", ("resultaat", "beoordeling", "waarde", "cijfer", "result", "grade", "score"))
ATTEMPT = Column("attempt", "Poging", ("pogingnummer", "poging nr", "herkansing", "herkansingsnummer"), required=False)
DATE = Column("date", "Datum", ("toetsdatum", "afnamedatum", "datum afname", "datum toets", "invoerdatum"),
              required=False)
COMMENT = Column("comment", "Opmerking", ("toelichting", "commentaar", "opmerkingen"), required=False)
LONG = (NUMBER, CODE, GRADE, ATTEMPT, DATE, COMMENT)


@dataclass
class RowError:
    line: int
    message: str
    column: str = ""

    def as_dict(self) -> dict:
        return {"line": self.line, "column": self.column, "message": self.message}


@dataclass
class Change:
    line: int
    student: str
    code: str
    attempt: int
    old: str
    new: str


@dataclass
class ImportReport:
    dry_run: bool
    shape: str = ""
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    skipped: int = 0
    errors: list[RowError] = field(default_factory=list)
    changes: list[Change] = field(default_factory=list)
    ignored_columns: list[str] = field(default_factory=list)
    file_error: str = ""

    @property
    def ok(self) -> bool:
        return not self.errors and not self.file_error

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run

    def as_dict(self) -> dict:
        return {"dry_run": self.dry_run, "shape": self.shape, "ok": self.ok, "written": self.written,
                "rows": self.rows, "created": self.created, "updated": self.updated, "unchanged": self.unchanged,
                "skipped": self.skipped, "errors": [e.as_dict() for e in self.errors],
                "changes": [c.__dict__ for c in self.changes], "ignored_columns": self.ignored_columns,
                "file_error": self.file_error}


@dataclass
class Record:
    line: int
    number: str
    code: str
    value: str
    attempt: str = ""
    date: str = ""
    comment: str = ""
    column: str = ""


def _records(table, user_codes: set[str]) -> tuple[str, list[Record], list[str]]:
    """The table as records, long or wide; raises TableError when neither shape fits."""
    names = {normalise_header(h): h for h in table.headers if h}
    found = {col.key: next((names[n] for n in col.names() if n in names), None) for col in LONG}
    if not found["number"]:
        raise TableError(f"Kolom ontbreekt: {NUMBER.label} (of stamnummer). Gevonden kolommen: "
                         f"{', '.join(h for h in table.headers if h) or 'geen'}.", "Missing column: student number.")
    if found["code"] and found["grade"]:
        used = {v for v in found.values() if v}
        records = [Record(line=row.line, number=row.get(found["number"]), code=row.get(found["code"]),
                          value=row.get(found["grade"]),
                          attempt=row.get(found["attempt"]) if found["attempt"] else "",
                          date=row.get(found["date"]) if found["date"] else "",
                          comment=row.get(found["comment"]) if found["comment"] else "")
                   for row in table.rows]
        return "long", records, [h for h in table.headers if h and h not in used]
    item_columns = [h for h in table.headers if h and normalise_header(h) in user_codes]
    if not item_columns:
        missing = [c.label for c in (CODE, GRADE) if not found[c.key]]
        raise TableError(
            f"Kolom ontbreekt: {' en '.join(missing)}. Of zet per PTA-onderdeel een kolom met de code als kop "
            f"(bijvoorbeeld ZW-K-03.1). Gevonden kolommen: {', '.join(h for h in table.headers if h)}.",
            "Missing columns: item code and grade (or one column per item code).")
    records = []
    for row in table.rows:
        for header in item_columns:
            records.append(Record(line=row.line, number=row.get(found["number"]), code=header,
                                  value=row.get(header), column=header))
    used = {found["number"], *item_columns}
    return "wide", records, [h for h in table.headers if h and h not in used]


DATE_FORMATS = ("%d-%m-%Y", "%d/%m/%Y", "%Y-%m-%d", "%d-%m-%y", "%d.%m.%Y")


def _date(text: str) -> dt.date | None:
    text = text.strip().split(" ")[0]
    for fmt in DATE_FORMATS:
        try:
            return dt.datetime.strptime(text, fmt).date()
        except ValueError:
            continue
    raise ValueError(text)


def _attempt(text: str) -> int:
    text = text.strip().lower()
    if text in ("", "nee", "n", "0"):
        return 1
    if text in ("ja", "j", "herkansing"):
        return 2
    if re.fullmatch(r"\d{1,2}", text):
        return int(text)
    raise ValueError(text)


def import_results(*, by, upload, dry_run: bool = True, filename: str | None = None) -> ImportReport:
    """Read and save every row; all or nothing. Returns the report (never raises on bad content)."""
    from maatwerk.students.models import Student

    report = ImportReport(dry_run=dry_run)
    if by is not services.SYSTEM and not by.has_perm("assessment.import_results"):
        raise PermissionDenied("U heeft geen toestemming voor deze handeling.")
    students = {s.student_number.strip().lstrip("0") or "0": s for s in visible_to(by, Student)} \
        if by is not services.SYSTEM else {s.student_number.strip().lstrip("0") or "0": s
                                           for s in Student.objects.all()}
    school_ids = {s.school_id for s in students.values()}
    items = list(PtaItem.objects.filter(pta__school_id__in=school_ids, pta__status__in=LIVE).select_related("pta"))
    by_code: dict[str, list[PtaItem]] = {}
    for item in items:
        by_code.setdefault(normalise_header(item.code), []).append(item)
    try:
        table = read_table(upload, filename=filename)
        report.shape, records, report.ignored_columns = _records(table, set(by_code))
    except TableError as exc:
        report.file_error = exc.nl
        return report
    seen: dict[tuple[int, int, int], int] = {}
    items_for: dict[tuple[str, int, int, str], list[PtaItem]] = {}  # (code as typed, school, cohort, leerweg)
    errors: list[tuple[int, RowError]] = []  # (record index, error): reported in file order
    entries: list[tuple[int, Record, services.ResultEntry]] = []
    for index, record in enumerate(records):
        where = record.column or ""
        if not record.value.strip():
            report.skipped += 1  # an empty cell: nothing to import (never "clear the grade")
            continue
        report.rows += 1
        student = students.get(record.number.strip().lstrip("0") or "0")
        if not record.number.strip():
            errors.append((index, RowError(record.line, "Het leerlingnummer ontbreekt.", "leerlingnummer")))
            continue
        if student is None:
            errors.append((index, RowError(record.line, f"Leerlingnummer {record.number} is niet gevonden op uw "
                                                        f"school.", "leerlingnummer")))
            continue
        where_to = (record.code, student.school_id, student.cohort, student.leerweg)
        candidates = items_for.get(where_to)
        if candidates is None:  # the same for every student of a school, cohort and leerweg: looked up once
            candidates = items_for[where_to] = [
                i for i in by_code.get(normalise_header(record.code), [])
                if i.pta.school_id == student.school_id and i.pta.cohort == student.cohort
                and i.pta.is_for(student.leerweg)]
        if len(candidates) != 1:
            text = (f"Toetscode {record.code or '(leeg)'} staat niet in een vastgesteld PTA van "
                    f"{student.full_name} ({student.leerweg}, cohort {student.cohort})." if not candidates else
                    f"Toetscode {record.code} is niet eenduidig: hij staat in meer PTA's van deze leerling.")
            errors.append((index, RowError(record.line, text, where or "toetscode")))
            continue
        item = candidates[0]
        try:
            attempt = _attempt(record.attempt)
        except ValueError:
            errors.append((index, RowError(record.line, f"Poging '{record.attempt}' is geen getal (1, 2, ...).",
                                           "poging")))
            continue
        try:
            assessed_on = _date(record.date) if record.date.strip() else None
        except ValueError:
            errors.append((index, RowError(record.line, f"Datum '{record.date}' is geen datum als 14-03-2026.",
                                           "datum")))
            continue
        key = (student.pk, item.pk, attempt)
        if key in seen:
            errors.append((index, RowError(record.line, f"{student.full_name} heeft voor {item.code} (poging "
                                                        f"{attempt}) al een cijfer op regel {seen[key]}.", where)))
            continue
        seen[key] = record.line
        entries.append((index, record, services.ResultEntry(
            student=student, item=item, value=record.value, attempt=attempt, comment=record.comment or None,
            assessed_on=assessed_on)))
    with transaction.atomic():
        try:
            outcomes = services.save_results(by=by, entries=[entry for _, _, entry in entries],
                                             reason=f"import{' ' + filename if filename else ''}",
                                             write=not dry_run and not errors)
        except services.AssessmentError as exc:  # a concurrent save of the same results: nothing written
            report.file_error = exc.nl
            return report
        names: dict[int, str] = {}  # student id -> full name, for the report's lines
        for (index, record, entry), outcome in zip(entries, outcomes, strict=True):
            student, item, where = entry.student, entry.item, record.column or ""
            if isinstance(outcome.error, GradeError | services.AssessmentError):
                errors.append((index, RowError(record.line, f"{student.full_name}, {item.code}: {outcome.error.nl}",
                                               where or "cijfer")))
                continue
            if isinstance(outcome.error, PermissionDenied):
                errors.append((index, RowError(record.line, f"U mag geen cijfer invoeren voor {student.full_name} "
                                                            f"op {item.code}.", where)))
                continue
            if outcome.change == "created":
                report.created += 1
            elif outcome.change == "updated":
                report.updated += 1
            else:
                report.unchanged += 1
            if outcome.change != "unchanged":
                name = names.get(student.pk)
                if name is None:
                    name = names[student.pk] = student.full_name
                report.changes.append(Change(record.line, name, item.code, outcome.result.attempt,
                                             outcome.old, services.display_value(outcome.result)))
        report.errors = [error for _, error in sorted(errors, key=lambda pair: pair[0])]
        if report.errors or dry_run:
            transaction.set_rollback(True)
    return report

