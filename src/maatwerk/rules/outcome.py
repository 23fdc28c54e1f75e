"""Module outcome: the school-exam result of one module from its PTA items.

The school exam of a module is accounted for in the PTA (WVO 2020 art. 2.60a): items with a
weight and a result kind (a grade 1.0-10.0, or a qualification onvoldoende/voldoende/goed),
whether a resit is allowed and how many attempts there are. Per item one attempt counts:
the highest (UB 3.16 lid 5) or the last, as the regulation's ``se_attempt_rule`` says.
The module's SE grade is the weighted mean of the grade items, to one decimal
(UB 3.13 lid 1; ``se_decimal_rounding``); its final grade is that grade rounded by its
first decimal (UB 3.32). The module passes at ``module_pass_mark`` with every
qualification item voldoende or goed; a missing item makes it INCOMPLETE.
"""

from __future__ import annotations

from dataclasses import dataclass
from decimal import Decimal
from math import lcm

from .errors import RulesInputError
from .findings import Finding, finding
from .grades import (
    QUALIFICATION_RANK,
    QUALIFICATIONS,
    is_grade,
    nl_tenths,
    round_half_up,
    tenths_to_decimal,
    to_decimal,
)
from .regulation import Regulation

RESULT_KINDS = ("grade", "qualification")


@dataclass(frozen=True, slots=True)
class PtaItemInput:
    code: str
    weight: Decimal
    result_kind: str = "grade"
    resit_allowed: bool = False
    max_attempts: int = 1

    def __post_init__(self) -> None:
        if self.result_kind not in RESULT_KINDS:
            raise RulesInputError(f"{self.code}.result_kind", f"onbekende soort {self.result_kind!r}",
                                  f"unknown result kind {self.result_kind!r}")
        weight = to_decimal(self.weight, f"{self.code}.weight")
        if weight < 0 or (self.result_kind == "grade" and weight == 0):
            raise RulesInputError(f"{self.code}.weight", "weging moet positief zijn", "weight must be positive")
        object.__setattr__(self, "weight", weight)
        if isinstance(self.max_attempts, bool) or not isinstance(self.max_attempts, int) or self.max_attempts < 1:
            raise RulesInputError(f"{self.code}.max_attempts", "moet een geheel getal van ten minste 1 zijn",
                                  "must be an integer >= 1")


@dataclass(frozen=True, slots=True)
class ItemResultInput:
    item_code: str
    attempt: int
    grade: Decimal | None = None
    qualification: str | None = None

    def __post_init__(self) -> None:
        where = f"{self.item_code}[{self.attempt}]"
        if isinstance(self.attempt, bool) or not isinstance(self.attempt, int) or self.attempt < 1:
            raise RulesInputError(f"{where}.attempt", "poging moet een geheel getal van ten minste 1 zijn",
                                  "attempt must be an integer >= 1")
        if self.grade is not None and not is_grade(self.grade):  # one of the 91 grades as a Decimal: as it is
            grade = to_decimal(self.grade, f"{where}.grade")
            if not Decimal(1) <= grade <= Decimal(10):
                raise RulesInputError(f"{where}.grade", f"cijfer {grade} ligt niet tussen 1 en 10",
                                      f"grade {grade} is not between 1 and 10")
            object.__setattr__(self, "grade", grade)
        if self.qualification is not None and self.qualification not in QUALIFICATIONS:
            raise RulesInputError(f"{where}.qualification", f"onbekende beoordeling {self.qualification!r}",
                                  f"unknown qualification {self.qualification!r}")


@dataclass(frozen=True, slots=True)
class ModuleOutcome:
    outcome: str
    grade: Decimal | None
    final_grade: int | None
    findings: tuple[Finding, ...] = ()


def _value(result: ItemResultInput, kind: str):
    return result.grade if kind == "grade" else result.qualification


def _rank(value, kind: str):
    return value if kind == "grade" else QUALIFICATION_RANK[value]


def module_outcome(item_results: tuple[ItemResultInput, ...], pta_items: tuple[PtaItemInput, ...],
                   regulation: Regulation) -> ModuleOutcome:
    """The school-exam outcome of one module: PASSED, FAILED or INCOMPLETE, with its grades."""
    v = regulation.values
    out: list[Finding] = []
    if not pta_items:
        out.append(finding("OUTCOME_NO_PTA_ITEMS", "Voor deze module staan geen onderdelen in het PTA, dus er is "
                                                   "nog geen uitslag."))
        return ModuleOutcome("INCOMPLETE", None, None, tuple(out))
    items = {item.code: item for item in pta_items}
    chosen: dict[str, object] = {}
    attempts_seen: set[tuple[str, int]] = set()
    for r in sorted(item_results, key=lambda r: (r.item_code, r.attempt)):
        item = items.get(r.item_code)
        if item is None:
            out.append(finding("OUTCOME_UNKNOWN_ITEM", f"Het resultaat voor {r.item_code} hoort niet bij een "
                                                       f"onderdeel van het PTA en telt niet mee.", subject=r.item_code))
            continue
        limit = item.max_attempts if item.resit_allowed else 1
        if r.attempt > limit:
            out.append(finding("OUTCOME_ATTEMPT_REFUSED",
                               f"Poging {r.attempt} voor {r.item_code} telt niet mee: het PTA staat "
                               f"{'geen herkansing' if not item.resit_allowed else f'ten hoogste {limit} pogingen'} "
                               f"toe.", subject=r.item_code))
            continue
        if (r.item_code, r.attempt) in attempts_seen:
            out.append(finding("OUTCOME_DUPLICATE_ATTEMPT",
                               f"Poging {r.attempt} voor {r.item_code} staat er twee keer; de eerste telt.",
                               subject=r.item_code))
            continue
        attempts_seen.add((r.item_code, r.attempt))
        kind = item.result_kind
        value = _value(r, kind)
        other = r.qualification if kind == "grade" else r.grade
        if other is not None:
            out.append(finding("OUTCOME_WRONG_RESULT_KIND",
                               f"Voor {r.item_code} hoort {'een cijfer' if kind == 'grade' else 'een beoordeling'}; "
                               f"het andere resultaat telt niet mee.", subject=r.item_code))
        if value is None:
            continue
        current = chosen.get(r.item_code)
        if current is None or v.se_attempt_rule == "last" or _rank(value, kind) > _rank(current, kind):
            chosen[r.item_code] = value
    missing = [code for code in sorted(items) if code not in chosen]
    for code in missing:
        out.append(finding("OUTCOME_ITEM_MISSING", f"Voor het PTA-onderdeel {code} is nog geen resultaat.",
                           subject=code))
    grade_items = [item for item in pta_items if item.result_kind == "grade"]
    grade = final = None
    if grade_items and not missing:
        # the weighted mean x 10 as an exact fraction of integers (a Decimal is n / 10**k), summed over a common
        # denominator: no float and no rounding before UB 3.13's one decimal
        num, den = 0, 1
        for item in grade_items:
            wn, wd = item.weight.as_integer_ratio()
            gn, gd = chosen[item.code].as_integer_ratio()
            d = wd * gd
            if den % d:
                common = lcm(den, d)
                num, den = num * (common // den), common
            num += wn * gn * (den // d)
        tn, td = sum((item.weight for item in grade_items), Decimal(0)).as_integer_ratio()
        scaled_num, scaled_den = num * td * 10, den * tn
        tenths = (scaled_num // scaled_den if v.se_decimal_rounding == "truncate"
                  else round_half_up(scaled_num, scaled_den))
        grade = tenths_to_decimal(tenths)
        final = round_half_up(tenths, 10)
        if grade < v.module_pass_mark:
            out.append(finding("OUTCOME_GRADE_INSUFFICIENT",
                               f"Je cijfer voor deze module is {nl_tenths(tenths)}; je hebt minimaal "
                               f"{str(v.module_pass_mark).replace('.', ',')} nodig.",
                               source=regulation.cite("module_pass_mark")))
    for item in pta_items:
        if item.result_kind == "qualification" and chosen.get(item.code) == "onvoldoende":
            out.append(finding("OUTCOME_QUALIFICATION_INSUFFICIENT",
                               f"Het onderdeel {item.code} is beoordeeld als onvoldoende; het moet voldoende of goed "
                               f"zijn.", subject=item.code))
    if missing:
        return ModuleOutcome("INCOMPLETE", None, None, tuple(out))
    failed = any(f.code in ("OUTCOME_GRADE_INSUFFICIENT", "OUTCOME_QUALIFICATION_INSUFFICIENT") for f in out)
    return ModuleOutcome("FAILED" if failed else "PASSED", grade, final, tuple(out))
