"""Import of the general subjects' grades (vakcijfers) as the school's leerlingadministratie delivers them,
for the exam decision (docs/diploma.md, "Vakcijfers uit de leerlingadministratie").

Module grades come from the PTA (ModuleResult); Nederlands, Engels, wiskunde, maatschappijleer, LO, ckv, the
profielwerkstuk and (vmbo-huidig) the profielvak come from the administration, with their SE and CE grades.
One row per candidate and subject: leerlingnummer, vakcode and then what is known: vak, se, ce, beoordeling
(o/v/g), soort, niveau, extra vak, deel (gemeenschappelijk / profieldeel / vrij: cum laude in GL and TL needs
it, UB 3.48). The file is read by web/tabular.py (XLSX; CSV with ; , or tab; UTF-8 with or without BOM or
Windows-1252; decimal commas).

All or nothing: every row is checked first (the candidate is of this school, a grade between 1,0 and 10,0
with one decimal, a known soort, deel and niveau, no subject twice, a new subject with a grade); with one bad row nothing is written and
the report names every bad row with its line. A dry run only reports. A subject that is already there is
updated in place (version + 1) and keeps its history; an empty cell leaves what is stored.
"""

from __future__ import annotations

from dataclasses import dataclass, field
from decimal import Decimal

from django.db import transaction

from maatwerk.bulk import create_with_history, update_with_history
from maatwerk.rules.exam import QUALIFICATION_KINDS
from maatwerk.rules.regulation import SUBJECT_KINDS
from maatwerk.web.tabular import Column, TableError, read_table

from .grades import GradeError, format_grade, parse_grade, parse_qualification
from .models import SubjectGrade, SubjectPart

NUMBER = Column("number", "Leerlingnummer", ("leerlingnr", "llnr", "stamnummer", "stamnr", "leerling nummer",
                                             "studentnummer", "nummer"))
CODE = Column("code", "Vakcode", ("vak code", "vakafkorting", "afkorting", "code"))
NAME = Column("name", "Vak", ("vaknaam", "omschrijving", "naam vak"), required=False)
SE = Column("se", "SE", ("se-cijfer", "se cijfer", "schoolexamen", "cijfer se", "eindcijfer se"), required=False)
CE = Column("ce", "CE", ("ce-cijfer", "ce cijfer", "centraal examen", "cijfer ce"), required=False)
QUALIFICATION = Column("qualification", "Beoordeling", ("o/v/g", "ovg", "waardering"), required=False)
KIND = Column("kind", "Soort", ("soort vak", "vaksoort", "type"), required=False)
LEVEL = Column("level", "Niveau", ("leerweg", "niveau vak"), required=False)
EXTRA = Column("extra", "Extra vak", ("extra", "extravak"), required=False)
PART = Column("part", "Deel", ("examendeel", "onderdeel examenprogramma"), required=False)
COLUMNS = (NUMBER, CODE, NAME, SE, CE, QUALIFICATION, KIND, LEVEL, EXTRA, PART)

LEVELS = ("BB", "KB", "GL", "TL", "HAVO", "VWO")
KINDS = tuple(k for k in SUBJECT_KINDS if k != "module")  # a module's grade comes from the PTA
PARTS = {"gemeenschappelijk": SubjectPart.COMMON, "gemeenschappelijk deel": SubjectPart.COMMON,
         "profieldeel": SubjectPart.PROFILE, "profiel": SubjectPart.PROFILE, "vrij": SubjectPart.FREE,
         "vrije deel": SubjectPart.FREE, "vrij deel": SubjectPart.FREE}
YES = {"ja", "j", "1", "x", "waar", "true", "yes"}
NO = {"nee", "n", "0", "onwaar", "false", "no"}
LEVEL_WORDS = {lv.lower(): lv for lv in LEVELS}
EXTRA_WORDS = {**dict.fromkeys(YES, True), **dict.fromkeys(NO, False)}
#: the soort of a new vakcijfer whose row names none, by its usual code (docs/diploma.md)
KIND_OF_CODE = {"lo": "lo", "ckv": "kunstvak", "pws": "profielwerkstuk", "pv": "profielvak"}
#: the history's reason for every vakcijfer written by the import
REASON = "ingelezen uit de leerlingadministratie"
#: what a row may change of a stored vakcijfer (an empty cell keeps the stored value)
FIELDS = ("name", "school_exam", "central_exam", "qualification", "kind", "level", "extra", "part")


@dataclass
class SubjectRowError:
    line: int
    message: str
    number: str = ""  # the leerlingnummer and vakcode of the row, as far as they were read
    code: str = ""

    def as_dict(self) -> dict:
        return {"line": self.line, "number": self.number, "code": self.code, "message": self.message}


@dataclass
class SubjectChange:
    line: int
    student: str
    code: str
    old: str  # "" for a new subject
    new: str


@dataclass
class SubjectImportReport:
    dry_run: bool
    rows: int = 0
    created: int = 0
    updated: int = 0
    unchanged: int = 0
    errors: list[SubjectRowError] = field(default_factory=list)
    changes: list[SubjectChange] = field(default_factory=list)

    @property
    def ok(self) -> bool:
        return not self.errors

    @property
    def written(self) -> bool:
        return self.ok and not self.dry_run and bool(self.created or self.updated)

    def summary(self) -> str:
        if self.errors:
            return (f"Niets ingelezen: {len(self.errors)} fout{'en' if len(self.errors) != 1 else ''} in "
                    f"{self.rows} regels. Herstel het bestand en lees het opnieuw in.")
        verb = "Zou inlezen" if self.dry_run else "Ingelezen"
        return f"{verb}: {self.created} nieuw, {self.updated} gewijzigd, {self.unchanged} ongewijzigd."


def _grade(text: str, label: str) -> Decimal | None:
    if not text.strip():
        return None
    try:
        return parse_grade(text)
    except GradeError as exc:
        raise ValueError(f"{label}: {exc.nl}") from None


def _choice(text: str, allowed, label: str):
    value = text.strip().lower()
    if not value:
        return None
    if value not in allowed:
        shown = ", ".join(sorted({str(v) for v in (allowed.values() if isinstance(allowed, dict) else allowed)}))
        raise ValueError(f"{label} {text.strip()!r} ken ik niet; kies uit {shown}.")
    return allowed[value] if isinstance(allowed, dict) else value


def import_subject_grades(*, by, school, school_year: int, upload, dry_run: bool = True,
                          filename: str | None = None) -> SubjectImportReport:
    """Read the file and, when every row is good and it is not a dry run, store the vakcijfers of `school`'s
    candidates for exam year `school_year`. `by` must be the exam office of the school (or SYSTEM, the
    operator on the command line). Raises TableError when the file itself cannot be read."""
    from maatwerk.students.models import Student

    from .services import _require, _user, _with_history

    _require(by, "diploma.run_decisions", school)
    table = read_table(upload, columns=COLUMNS, filename=filename)
    report = SubjectImportReport(dry_run=dry_run, rows=len(table.rows))
    students = {s.student_number: s for s in Student.objects.filter(school=school)}
    stored = {(g.student_id, g.code): g for g in SubjectGrade.objects.filter(
        student__school=school, school_year=school_year)}
    seen: dict[tuple[int, str], int] = {}
    planned: list[SubjectGrade] = []
    for row in table.rows:
        number = row.get("number").strip()
        code = row.get("code").strip().lower()
        try:
            student = students.get(number)
            if student is None:
                raise ValueError(f"Leerlingnummer {number or '(leeg)'} is geen leerling van {school.name}.")
            if not code or len(code) > 10:
                raise ValueError("Vakcode ontbreekt of is langer dan 10 tekens.")
            if (student.pk, code) in seen:
                raise ValueError(f"{code} van {number} staat al op regel {seen[(student.pk, code)]}.")
            seen[(student.pk, code)] = row.line
            se, ce = _grade(row.get("se"), "SE"), _grade(row.get("ce"), "CE")
            qualification = None
            if row.get("qualification").strip():
                try:
                    qualification = parse_qualification(row.get("qualification"))
                except GradeError as exc:
                    raise ValueError(f"Beoordeling: {exc.nl}") from None
            kind = _choice(row.get("kind"), KINDS, "Soort")
            level = _choice(row.get("level"), LEVEL_WORDS, "Niveau")
            part = _choice(row.get("part"), PARTS, "Deel")
            extra = _choice(row.get("extra"), EXTRA_WORDS, "Extra vak")
            grade = stored.get((student.pk, code))
            new = grade is None
            if new and se is None and ce is None and qualification is None:
                raise ValueError(f"{code} van {number} is nieuw: geef een SE, CE of beoordeling.")
        except ValueError as exc:
            report.errors.append(SubjectRowError(row.line, str(exc), number[:20], code[:10]))
            continue
        if new:
            grade = SubjectGrade(student=student, school_year=school_year, code=code, name=code.upper(),
                                 kind=KIND_OF_CODE.get(code, "algemeen"))
        before = [getattr(grade, name) for name in FIELDS]
        old = "" if new else shown(grade)
        given = {"name": row.get("name").strip()[:100] or None, "school_exam": se, "central_exam": ce,
                 "qualification": qualification, "kind": kind, "level": level, "extra": extra, "part": part}
        for name, value in given.items():
            if value is not None:
                setattr(grade, name, value)
        mismatch = _kind_mismatch(grade)
        if mismatch:
            report.errors.append(SubjectRowError(row.line, mismatch, number[:20], code[:10]))
            continue
        if new:
            report.created += 1
        elif before == [getattr(grade, name) for name in FIELDS]:
            report.unchanged += 1
            continue
        else:
            report.updated += 1
            grade.version += 1
        planned.append(grade)
        report.changes.append(SubjectChange(row.line, student.full_name, code, old, shown(grade)))
    if report.errors or dry_run:
        return report
    created = [_with_history(g, by, REASON) for g in planned if g.pk is None]
    changed = [_with_history(g, by, REASON) for g in planned if g.pk is not None]
    with transaction.atomic():  # in bulk, each with its history row (who, and this reason)
        create_with_history(created, SubjectGrade, user=_user(by), reason=REASON)
        update_with_history(changed, SubjectGrade, [*FIELDS, "version"], user=_user(by), reason=REASON)
    return report


def _kind_mismatch(grade: SubjectGrade) -> str:
    """Why the grade and its soort do not go together (as the rules engine would refuse it at the exam
    decision), or ''. LO, ckv (kunstvak) and the profielwerkstuk get a beoordeling, the others a grade."""
    if grade.kind in QUALIFICATION_KINDS and (grade.school_exam is not None or grade.central_exam is not None):
        return (f"{grade.code} ({grade.kind}) krijgt een beoordeling (onvoldoende, voldoende of goed), geen cijfer "
                f"(UB 3.13 lid 3, 3.14).")
    if grade.kind not in QUALIFICATION_KINDS and grade.qualification:
        return (f"{grade.code} ({grade.kind}) krijgt een cijfer, geen beoordeling. Is het LO, ckv of het "
                f"profielwerkstuk, zet dan de soort (lo, kunstvak, profielwerkstuk).")
    return ""


def shown(grade: SubjectGrade) -> str:
    """A vakcijfer as the report shows it: 'SE 6,5 · CE 5,9 · profieldeel'."""
    parts = [f"SE {format_grade(grade.school_exam)}" if grade.school_exam is not None else "",
             f"CE {format_grade(grade.central_exam)}" if grade.central_exam is not None else "",
             grade.qualification, grade.level, "extra vak" if grade.extra else "",
             SubjectPart(grade.part).label if grade.part else ""]
    return " · ".join(p for p in parts if p)


__all__ = ["TableError", "import_subject_grades", "SubjectImportReport"]
