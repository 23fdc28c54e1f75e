"""Findings, verdicts and the catalogue of stable finding codes.

Every rule of the engines reports through a :class:`Finding`: a stable UPPER_SNAKE code,
a severity, a Dutch message written for a student or a parent, and the source (the
article of the law, or ``parameter <name>`` for a pilot parameter). The catalogue
:data:`CATALOGUE` lists every code with its default severity, an English meaning and
its default source; ``docs/rules.md`` carries the same table (a test keeps them equal).
"""

from __future__ import annotations

import enum
from collections.abc import Iterable
from dataclasses import dataclass
from types import MappingProxyType


class Severity(enum.StrEnum):
    ERROR = "error"
    WARNING = "warning"
    INFO = "info"


@dataclass(frozen=True, slots=True)
class Finding:
    code: str
    severity: Severity
    message: str
    source: str
    subject: str | None = None

    def as_dict(self) -> dict[str, str]:
        """The four keys of the public JSON contract (``rules decide``)."""
        return {"code": self.code, "severity": str(self.severity), "message": self.message, "source": self.source}


@dataclass(frozen=True, slots=True)
class Verdict:
    ok: bool
    findings: tuple[Finding, ...] = ()

    @classmethod
    def of(cls, findings: Iterable[Finding]) -> Verdict:
        """A verdict that is ok when none of the findings is an error."""
        found = tuple(findings)
        return cls(ok=not any(f.severity is Severity.ERROR for f in found), findings=found)

    @property
    def errors(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.ERROR)

    @property
    def warnings(self) -> tuple[Finding, ...]:
        return tuple(f for f in self.findings if f.severity is Severity.WARNING)

    @property
    def codes(self) -> frozenset[str]:
        return frozenset(f.code for f in self.findings)

    def has(self, code: str) -> bool:
        return any(f.code == code for f in self.findings)


@dataclass(frozen=True, slots=True)
class CodeInfo:
    severity: Severity
    meaning: str
    source: str


E, W, N = Severity.ERROR, Severity.WARNING, Severity.INFO

_CODES: dict[str, CodeInfo] = {
    # --- validate_programme (maatwerk.rules.programme) ---
    "PROGRAMME_KERN_MISSING": CodeInfo(E, "The programme does not include the kern.", "advies SPV 2023, Uitwerking (parameter kern_required)"),
    "PROGRAMME_UNITS_TOO_FEW": CodeInfo(E, "Fewer units than the national minimum for the leerweg plus the school's extra minimum.", "parameter min_units.<leerweg>"),
    "PROGRAMME_COMPOSITION_NOT_MET": CodeInfo(E, "No composition choice (minimum kennismakende and verdiepende units) is met.", "parameter compositions"),
    "PROGRAMME_MODULE_NOT_OFFERED": CodeInfo(E, "The school does not offer the module for the student's leerweg in that school year.", "aanbod van de school (advies SPV 2023, Eén vmbo)"),
    "PROGRAMME_MODULE_WRONG_LEERWEG": CodeInfo(E, "The module has no elaboration for the student's leerweg.", "menukaart: uitwerking per leerweg"),
    "PROGRAMME_PROFIEL_NOT_LICENSED": CodeInfo(E, "The school holds no licence for the profiel (of the student, or of the module).", "parameter licence_required"),
    "PROGRAMME_NO_PROFIEL": CodeInfo(E, "A beroepsgerichte leerweg needs a profiel.", "UB 3.5 / 3.6 / 3.7 lid 1"),
    "PROGRAMME_INTRODUCTORY_FIRST": CodeInfo(E, "The school requires a kennismakende module before a verdiepende one.", "schoolbeleid (advies SPV 2023, Verdiepende modulen)"),
    "PROGRAMME_MODULE_WITHDRAWN": CodeInfo(E, "The module was withdrawn; an error when planned, a warning when enrolled or completed.", "menukaart: status van de moduleversie"),
    "PROGRAMME_MODULE_RETIRED": CodeInfo(E, "The module was removed from the menukaart; an error when planned, a warning when enrolled or completed.", "menukaart: status van de moduleversie (spv-modulair: parameter removal_years)"),
    "PROGRAMME_MODULE_SUPERSEDED": CodeInfo(W, "A newer version of the module exists; plan the current version.", "menukaart: status van de moduleversie"),
    "PROGRAMME_DUPLICATE_MODULE": CodeInfo(E, "The same module appears more than once (a retake after not_completed is allowed).", "menukaart: een module telt een keer"),
    "PROGRAMME_YEAR_UNITS_EXCEEDED": CodeInfo(E, "More units in one school year than allowed.", "parameter max_units_per_year / schoolbeleid"),
    "PROGRAMME_ORIENTING_IN_UPPER_YEARS": CodeInfo(E, "An oriënterende module belongs to the onderbouw.", "advies SPV 2023, Oriënterende modulen in de onderbouw (parameter upper_year_start)"),
    "PROGRAMME_MODULE_SIZE": CodeInfo(W, "The module's size differs from the fixed module size.", "parameter module_size_units"),
    "PROGRAMME_PROFIELVAK_INCOMPLETE": CodeInfo(E, "Fewer profielmodulen of the student's profiel than the profielvak needs.", "UB 3.5 / 3.6 / 3.7 lid 1; parameter profielmodulen"),
    "PROGRAMME_KEUZEVAKKEN_TOO_FEW": CodeInfo(E, "Fewer beroepsgerichte keuzevakken than the leerweg needs.", "UB 3.5 / 3.6 lid 1 sub c 2°, 3.7 lid 1 sub d 2°"),
    "PROGRAMME_FOREIGN_PROFIELMODULEN": CodeInfo(E, "More profielmodulen of another profiel as keuzevak than allowed.", "parameter max_foreign_profielmodulen"),
    "PROGRAMME_MODULE_NOT_COUNTED": CodeInfo(W, "The module is neither a profielmodule nor a keuzevak and does not count under this regulation.", "UB 3.5 / 3.6 / 3.7 lid 1"),
    # --- package_completable ---
    "PACKAGE_MODULE_UNUSABLE": CodeInfo(N, "A module of the package cannot be used by a student of this leerweg.", "menukaart / aanbod van de school"),
    "PACKAGE_UNITS_TOO_FEW": CodeInfo(E, "The usable modules hold fewer units than the minimum.", "parameter min_units.<leerweg>"),
    "PACKAGE_COMPOSITION_IMPOSSIBLE": CodeInfo(E, "No composition choice can be met with the usable modules.", "parameter compositions"),
    "PACKAGE_INTRODUCTORY_MISSING": CodeInfo(E, "The school requires a kennismakende module first, and the package has none.", "schoolbeleid"),
    "PACKAGE_YEAR_CAPACITY": CodeInfo(E, "The minimum cannot fit in the upper years at the maximum units per year.", "parameter max_units_per_year, upper_years"),
    "PACKAGE_PROFIELVAK_IMPOSSIBLE": CodeInfo(E, "No licensed profiel has enough profielmodulen in the package.", "UB 3.5 / 3.6 / 3.7 lid 1; parameter profielmodulen"),
    "PACKAGE_KEUZEVAKKEN_TOO_FEW": CodeInfo(E, "The package holds too few keuzevakken for the leerweg.", "UB 3.5 / 3.6 lid 1 sub c 2°, 3.7 lid 1 sub d 2°"),
    # --- module_outcome (maatwerk.rules.outcome) ---
    "OUTCOME_NO_PTA_ITEMS": CodeInfo(E, "The module has no PTA items, so no outcome can be determined.", "WVO 2020 art. 2.60a (PTA)"),
    "OUTCOME_ITEM_MISSING": CodeInfo(W, "A PTA item has no result yet; the outcome is incomplete.", "WVO 2020 art. 2.60a; UB 3.11"),
    "OUTCOME_ATTEMPT_REFUSED": CodeInfo(W, "An attempt beyond the PTA's maximum (or a resit the PTA does not allow) is not counted.", "WVO 2020 art. 2.60a lid 2 (herkansingen in het PTA)"),
    "OUTCOME_DUPLICATE_ATTEMPT": CodeInfo(W, "The same attempt was recorded twice; the first one counts.", "UB 3.11 (examendossier)"),
    "OUTCOME_UNKNOWN_ITEM": CodeInfo(W, "A result for an item that is not in the PTA is not counted.", "WVO 2020 art. 2.60a"),
    "OUTCOME_WRONG_RESULT_KIND": CodeInfo(W, "A grade for a qualification item (or the reverse) is not counted.", "UB 3.13 / 3.14"),
    "OUTCOME_GRADE_INSUFFICIENT": CodeInfo(E, "The module's school-exam grade is below the pass mark.", "parameter module_pass_mark"),
    "OUTCOME_QUALIFICATION_INSUFFICIENT": CodeInfo(E, "A qualification item is 'onvoldoende'.", "UB 3.13 lid 3, 3.14"),
    # --- decide_exam (maatwerk.rules.exam) ---
    "EXAM_GRADE_MISSING": CodeInfo(E, "A required grade or qualification is missing; the result is incomplete.", "UB 3.33 lid 1"),
    "EXAM_SUBJECT_MISSING": CodeInfo(E, "A required subject is missing; the result is incomplete.", "UB 3.33 lid 1; UB 3.4-3.7"),
    "EXAM_KEUZEVAKKEN_MISSING": CodeInfo(E, "Fewer keuzevakken than the leerweg needs; the result is incomplete.", "UB 3.5 / 3.6 lid 1 sub c 2°, 3.7 lid 1 sub d 2°"),
    "EXAM_LOOPBAANDOSSIER_INCOMPLETE": CodeInfo(E, "The loopbaandossier (a PTA condition) is not complete; the result is incomplete.", "WVO 2020 art. 2.60a (PTA); parameter loopbaandossier_required"),
    "EXAM_KIND_NOT_ALLOWED": CodeInfo(E, "This kind of subject does not exist under the regulation; the result is incomplete.", "regeling"),
    "EXAM_LEVEL_NOT_ALLOWED": CodeInfo(E, "A subject at a level the leerweg does not allow; the result is incomplete.", "UB 2.23, 3.4 lid 3, 3.5-3.7 lid 2 (parameter allowed_levels)"),
    "EXAM_LWT_NOT_BB": CodeInfo(W, "A leer-werktraject exists only in the basisberoepsgerichte leerweg; the regular rule is applied.", "UB 3.35 lid 6; WVO 2020 art. 2.103"),
    "EXAM_LWT_REGULAR_RULES": CodeInfo(N, "The leer-werktraject candidate took the full BB exam, so the regular rule applies.", "UB 3.35 lid 6, laatste volzin"),
    "EXAM_SE_ROUNDED": CodeInfo(N, "A school-exam grade of a subject without central exam had a decimal and was rounded.", "UB 3.13 lid 2, 3.32 lid 3"),
    "EXAM_CE_MEAN_TOO_LOW": CodeInfo(E, "The unrounded mean of the central-exam grades is below 5.5.", "UB 3.35 lid 1 sub a"),
    "EXAM_NEDERLANDS_TOO_LOW": CodeInfo(E, "The final grade for Nederlands is below 5.", "UB 3.35 lid 1 sub b"),
    "EXAM_FINAL_GRADE_BELOW_4": CodeInfo(E, "A final grade (or the combinatiecijfer) below 4.", "UB 3.35 lid 1 sub c"),
    "EXAM_TOO_MANY_INSUFFICIENT": CodeInfo(E, "More insufficient final grades than lid 1 sub c allows.", "UB 3.35 lid 1 sub c"),
    "EXAM_NO_COMPENSATING_7": CodeInfo(E, "A 4, or two 5s, without a final grade of 7 or more.", "UB 3.35 lid 1 sub c 2°/3°"),
    "EXAM_COMBINATION_PART_BELOW_4": CodeInfo(E, "A part of the combinatiecijfer has a final grade below 4.", "UB 3.35 lid 1 sub d"),
    "EXAM_LO_KUNSTVAK_INSUFFICIENT": CodeInfo(E, "Lichamelijke opvoeding or a kunstvak is not 'voldoende' or 'goed'.", "UB 3.35 lid 1 sub e"),
    "EXAM_PWS_INSUFFICIENT": CodeInfo(E, "The profielwerkstuk is not 'voldoende' or 'goed'.", "UB 3.35 lid 1 sub f"),
    "EXAM_LWT_GRADE_TOO_LOW": CodeInfo(E, "Leer-werktraject: Nederlands, profielvak or combinatiecijfer below 6.", "UB 3.35 lid 6"),
    "EXAM_TL_BEROEPSGERICHT_NOT_COUNTED": CodeInfo(N, "TL: the beroepsgerichte vakken do not form a full programme and are not counted under lid 1 sub c.", "UB 3.35 lid 2"),
    "EXAM_SUBJECT_LEFT_OUT": CodeInfo(N, "A subject was left out of the result so that the candidate passes (must-pass principle).", "UB 3.33 lid 3"),
    "EXAM_CUM_LAUDE": CodeInfo(N, "Passed cum laude.", "UB 3.48"),
    "EXAM_CUM_LAUDE_UNDETERMINED": CodeInfo(N, "Cum laude may apply but needs the part (profieldeel/vrij deel) of the general subjects.", "UB 3.48"),
    # --- maatwerkdiploma (spv-modulair) ---
    "DIPLOMA_TOO_MANY_INSUFFICIENT": CodeInfo(E, "More insufficient subjects and modules than the compensation rule allows.", "parameter compensation_max_insufficient"),
    "DIPLOMA_GRADE_BELOW_MINIMUM": CodeInfo(E, "A subject or module below the lowest grade the compensation rule allows.", "parameter compensation_min_grade"),
    "DIPLOMA_MEAN_TOO_LOW": CodeInfo(E, "With an insufficient result, the mean of the final grades is below the minimum.", "parameter compensation_min_mean"),
    "DIPLOMA_UNITS_TOO_FEW": CodeInfo(E, "Fewer units of completed modules than the minimum for the leerweg.", "parameter min_units.<leerweg>"),
    "DIPLOMA_COMPENSATED": CodeInfo(N, "An insufficient subject or module is compensated and stays on the diploma.", "parameter compensation_max_insufficient"),
}

CATALOGUE: MappingProxyType[str, CodeInfo] = MappingProxyType(_CODES)


def finding(code: str, message: str, *, subject: str | None = None, source: str | None = None,
            severity: Severity | None = None) -> Finding:
    """Build a finding with the catalogue's severity and source unless given."""
    info = _CODES[code]
    return Finding(code, severity or info.severity, message, source or info.source, subject)
