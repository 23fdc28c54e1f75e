"""What-if for the pilot's open questions, over the real data, with the engine's `what_if`.

The steward changes pilot parameters of a regulation (`spv-modulair`): the minimum units per leerweg, the
module size, the maatwerkdiploma's compensation rule, the removal threshold. `run()` then

* reads every programme under that regulation and the current exam decisions of its latest exam year from
  the database through `maatwerk.engine` (programme_inputs, candidate_inputs, policy_input, offering_input:
  bulk, a fixed number of queries per school);
* asks `maatwerk.rules.what_if` per school (a school's policy and offering are part of the rules) and per
  candidates' regulation, and adds the answers up;
* for the removal threshold (a rule of the menukaart, not of a programme), finds the modules that would leave
  the menukaart under the new number and lets `validate_programme` say which programmes that breaks.

The result is a JSON-able summary of counts only (no student), saved as a `Scenario` when asked. Bad values
are refused with the engine's Dutch message (`Regulation.with_overrides` validates like a regulation file)
and nothing is saved.
"""

from __future__ import annotations

import datetime as dt
from collections import Counter, defaultdict
from collections.abc import Mapping
from dataclasses import dataclass
from decimal import Decimal, InvalidOperation

from django.db import transaction
from django.db.models import Exists, Min, OuterRef
from django.utils import timezone

from maatwerk.domain import school_year_of
from maatwerk.rules import RegulationError, load_regulation, validate_programme, what_if
from maatwerk.rules.findings import Severity

from .labels import OUTCOME_LABELS, VALIDITY_LABELS

DEFAULT_REGULATION = "spv-modulair"


@dataclass(frozen=True)
class Param:
    key: str
    label: str
    kind: str  # int | decimal
    help: str


PARAMETERS: tuple[Param, ...] = (
    Param("min_units.BB", "Minimum eenheden BB", "int", "Landelijk minimum aantal eenheden, basisberoepsgericht."),
    Param("min_units.KB", "Minimum eenheden KB", "int", "Kaderberoepsgericht."),
    Param("min_units.GL", "Minimum eenheden GL", "int", "Gemengde leerweg."),
    Param("min_units.TL", "Minimum eenheden TL", "int", "Theoretische leerweg."),
    Param("module_size_units", "Omvang van een module (eenheden)", "int",
          "De vaste omvang; een module met een andere omvang krijgt een waarschuwing."),
    Param("compensation_max_insufficient", "Maatwerkdiploma: toegestane onvoldoendes", "int",
          "Hoeveel onvoldoendes een leerling mag compenseren."),
    Param("compensation_min_grade", "Maatwerkdiploma: laagste eindcijfer", "int",
          "Geen eindcijfer onder dit cijfer."),
    Param("compensation_min_mean", "Maatwerkdiploma: minimaal gemiddelde bij een onvoldoende", "decimal",
          "Bijvoorbeeld 6,0."),
    Param("removal_years", "Schrappen na ... jaar zonder examen", "int",
          "Een module zonder examen in zoveel schooljaren gaat van de menukaart."),
)
PARAMS_BY_KEY = {p.key: p for p in PARAMETERS}


class WhatIfInvalid(ValueError):
    """Bad parameter values: `errors` maps a parameter key to a Dutch message."""

    def __init__(self, errors: dict[str, str]):
        self.errors = errors
        super().__init__("; ".join(f"{k}: {v}" for k, v in errors.items()))


def regulation(regulation_id: str = DEFAULT_REGULATION):
    try:
        reg = load_regulation(regulation_id)
    except LookupError as exc:
        raise WhatIfInvalid({"regulation": f"Onbekende regeling {regulation_id!r}."}) from exc
    if reg.kind != "spv-modulair":
        raise WhatIfInvalid({"regulation": "Alleen een pilotregeling (soort spv-modulair) heeft deze parameters."})
    return reg


def current_value(reg, key: str):
    name, _, part = key.partition(".")
    value = reg.value(name)
    return value[part] if part else value


def current_values(reg) -> dict[str, str]:
    return {p.key: display(current_value(reg, p.key)) for p in PARAMETERS}


def display(value) -> str:
    return str(value).replace(".", ",") if isinstance(value, Decimal) else str(value)


def _nl(exc: RegulationError) -> str:
    """The Dutch half of the engine's message: 'file: path: nl / en' -> nl."""
    text = str(exc).split(": ", 2)[-1]
    return text.split(" / ")[0]


def parse_overrides(reg, data: Mapping[str, object]) -> dict[str, object]:
    """The overrides in `data` (form fields or JSON) that differ from the regulation, validated by the engine.

    Unknown keys, values that are not numbers and values the regulation refuses raise WhatIfInvalid with a
    Dutch message per parameter."""
    errors: dict[str, str] = {}
    overrides: dict[str, object] = {}
    for key, raw in data.items():
        param = PARAMS_BY_KEY.get(key)
        if param is None:
            errors[key] = "Deze parameter kan hier niet worden gewijzigd."
            continue
        if raw is None or (isinstance(raw, str) and not raw.strip()):
            continue
        text = str(raw).strip().replace(",", ".")
        try:
            if param.kind == "int":
                if isinstance(raw, bool) or not text.lstrip("-").isdigit():
                    raise ValueError
                value: object = int(text)
            else:
                value = Decimal(text)
                if not value.is_finite():
                    raise InvalidOperation
        except (ValueError, InvalidOperation):
            errors[key] = f"{param.label}: vul een {'geheel ' if param.kind == 'int' else ''}getal in."
            continue
        if value != current_value(reg, key):
            overrides[key] = value
    for key, value in overrides.items():  # one by one, so each message names its own parameter
        try:
            reg.with_overrides({key: value})
        except RegulationError as exc:
            errors[key] = f"{PARAMS_BY_KEY[key].label}: {_nl(exc)}."
    if errors:
        raise WhatIfInvalid(errors)
    return overrides


# --- reading the real data ------------------------------------------------------------------------------


def latest_exam_year(regulation_id: str) -> int | None:
    from maatwerk.diploma.models import ExamDecision

    return (ExamDecision.objects.current().filter(regulation_id=regulation_id)
            .order_by("-school_year").values_list("school_year", flat=True).first())


def _programmes_by_school(regulation_id: str):
    from maatwerk import engine
    from maatwerk.students.models import Programme

    qs = Programme.objects.filter(regulation_id=regulation_id, student__left_on__isnull=True)
    schools = dict(qs.values_list("pk", "student__school_id"))
    inputs = engine.programme_inputs(qs)
    grouped: dict[int, list] = defaultdict(list)
    for pk, programme in inputs.items():
        grouped[schools[pk]].append(programme)
    return grouped


def _candidates(regulation_id: str, exam_year: int | None):
    """The candidates of the current decisions of `exam_year` under the regulation, grouped by the
    regulation the engine gives them (the school may switch the loopbaandossier rule off)."""
    from maatwerk import engine
    from maatwerk.diploma.models import ExamDecision
    from maatwerk.students.models import Student

    if exam_year is None:
        return {}
    decided = ExamDecision.objects.current().filter(regulation_id=regulation_id, school_year=exam_year,
                                                    student=OuterRef("pk"))
    students = Student.objects.filter(Exists(decided)).order_by("pk")
    grouped: dict = defaultdict(list)
    for ci in engine.candidate_inputs(students, exam_year).values():
        if ci.candidate is not None and ci.regulation is not None and ci.regulation.id == regulation_id:
            grouped[ci.regulation].append(ci.candidate)
    return grouped


#: The last inputs read (key -> (time, programmes, candidates)): a steward asks several questions in a row about
#: the same data; reading every candidate's grades is most of the time of a what-if (engine.candidate_inputs).
_LAST_INPUTS: dict = {}
INPUTS_SECONDS = 600


def _inputs(regulation_id: str, exam_year: int | None):
    """The programmes (per school) and candidates (per regulation) of a what-if, read through maatwerk.engine;
    kept for INPUTS_SECONDS while the data version (insight/cache.py: any save of a model they come from) stands."""
    import time

    from .cache import seconds, version

    key = (regulation_id, exam_year, version())
    hit = _LAST_INPUTS.get(key)
    if hit is not None and time.monotonic() - hit[0] < INPUTS_SECONDS and seconds() > 0:
        return hit[1], hit[2]
    programmes, candidates = _programmes_by_school(regulation_id), _candidates(regulation_id, exam_year)
    _LAST_INPUTS.clear()
    _LAST_INPUTS[key] = (time.monotonic(), programmes, candidates)
    return programmes, candidates


def removal_candidates(on: dt.date, years: int) -> tuple[set[str], list[int]]:
    """The catalogue's removal rule with `years` instead of the parameter: codes of modules that would leave
    the menukaart on `on`, and the completed school years without any usage report (then nothing is removed:
    no report is not the same as no exams)."""
    from maatwerk.catalog.models import Module, ModuleUsageReport, VersionStatus

    current = school_year_of(on)
    first = current - years
    reported = set(ModuleUsageReport.objects.filter(school_year__gte=first, school_year__lt=current)
                   .values_list("school_year", flat=True).distinct())
    missing = [y for y in range(first, current) if y not in reported]
    if missing:
        return set(), missing
    exams = ModuleUsageReport.objects.filter(module=OuterRef("pk"), school_year__gte=first,
                                             school_year__lte=current, exams_taken__gt=0)
    codes = set(Module.objects.filter(retired_from__isnull=True, current_version__status=VersionStatus.PUBLISHED)
                .annotate(first_valid=Min("versions__valid_from")).filter(first_valid__lte=first)
                .filter(~Exists(exams)).values_list("code", flat=True))
    return codes, []


# --- adding up -------------------------------------------------------------------------------------------


class _Tally:
    def __init__(self, keys):
        self.keys = keys
        self.total = 0
        self.before: Counter = Counter(dict.fromkeys(keys, 0))
        self.after: Counter = Counter(dict.fromkeys(keys, 0))
        self.transitions: Counter = Counter()
        self.added: Counter = Counter()
        self.removed: Counter = Counter()
        self.changed_ids: set = set()

    def add(self, summary) -> None:
        self.total += summary.total
        self.before.update(dict(summary.before))
        self.after.update(dict(summary.after))
        self.transitions.update({tuple(k): n for k, n in summary.transitions})
        self.added.update(dict(summary.codes_added))
        self.removed.update(dict(summary.codes_removed))
        self.changed_ids.update(str(i) for i in summary.changed_ids)

    def add_state(self, ident, old, old_codes, new, new_codes) -> None:
        self.total += 1
        self.before[old] += 1
        self.after[new] += 1
        if old != new:
            self.changed_ids.add(str(ident))
            self.transitions[(old, new)] += 1
            self.added.update(new_codes - old_codes)
            self.removed.update(old_codes - new_codes)

    def as_dict(self) -> dict:
        return {
            "total": self.total, "changed": len(self.changed_ids),
            "before": {k: self.before[k] for k in self.keys}, "after": {k: self.after[k] for k in self.keys},
            "transitions": [[a, b, n] for (a, b), n in sorted(self.transitions.items())],
            "codes_added": [[c, n] for c, n in sorted(self.added.items(), key=lambda kv: (-kv[1], kv[0]))],
            "codes_removed": [[c, n] for c, n in sorted(self.removed.items(), key=lambda kv: (-kv[1], kv[0]))],
        }


def _errors(findings) -> frozenset[str]:
    return frozenset(f.code for f in findings if f.severity is Severity.ERROR)


def run(regulation_id: str, overrides: Mapping[str, object], *, today: dt.date | None = None) -> dict:
    """The what-if summary (counts only) of `overrides` on the real programmes and candidates."""
    from maatwerk import engine
    from maatwerk.rules.programme import ModuleRef, ProgrammeInput, ProgrammeItemInput
    from maatwerk.schools.models import School

    today = today or timezone.localdate()
    base = regulation(regulation_id)
    rule_overrides = {k: v for k, v in overrides.items() if k != "removal_years"}
    changed_reg = base.with_overrides(dict(overrides))  # validates every value, removal_years included
    exam_year = latest_exam_year(regulation_id)
    programmes, candidates = _inputs(regulation_id, exam_year)
    schools = School.objects.in_bulk(list(programmes))
    prog = _Tally(tuple(VALIDITY_LABELS))
    per_school = {}
    for school_id, inputs in programmes.items():
        school = schools[school_id]
        years = {item.school_year for p in inputs for item in p.items}
        policy, offering = engine.policy_input(school), engine.offering_input(school, years or None)
        per_school[school_id] = (policy, offering)
        prog.add(what_if((), base, rule_overrides, programmes=inputs, policy=policy, offering=offering).programmes)
    exam = _Tally(tuple(OUTCOME_LABELS))
    for reg, group in candidates.items():
        exam.add(what_if(group, reg, rule_overrides).exam)

    # module size: versions in the programmes whose size differs from the fixed module size
    sizes = {}
    for inputs in programmes.values():
        for p in inputs:
            for item in p.items:
                sizes[item.module.code] = item.module.units
    size = {"modules_in_use": len(sizes),
            "differing_before": sum(1 for u in sizes.values() if u != base.value("module_size_units")),
            "differing_after": sum(1 for u in sizes.values() if u != changed_reg.value("module_size_units"))}

    # removal threshold: which modules would leave the menukaart, and what that does to programmes
    years_before, years_after = base.value("removal_years"), changed_reg.value("removal_years")
    removal = {"years_before": years_before, "years_after": years_after, "effective_year": school_year_of(today) + 1}
    codes_before, missing = removal_candidates(today, years_before)
    codes_after, missing_after = (codes_before, missing) if years_after == years_before else \
        removal_candidates(today, years_after)
    removal.update(modules_before=len(codes_before), modules_after=len(codes_after),
                   newly_removed=sorted(codes_after - codes_before), kept=sorted(codes_before - codes_after),
                   missing_years=sorted(set(missing) | set(missing_after)))
    rem = _Tally(tuple(VALIDITY_LABELS))
    affected = 0  # programmes in which a planned module would be refused (valid or not before)
    if years_after != years_before:
        effective = removal["effective_year"]
        new = codes_after - codes_before
        for school_id, inputs in programmes.items():
            policy, offering = per_school[school_id]
            for p in inputs:
                if not any(i.module.code in new and i.school_year >= effective for i in p.items):
                    continue  # unchanged inputs give the same verdict
                items = tuple(
                    ProgrammeItemInput(module=_retired(i.module, ModuleRef), school_year=i.school_year,
                                       year_level=i.year_level, status=i.status)
                    if i.module.code in new and i.school_year >= effective else i for i in p.items)
                changed = ProgrammeInput(student_id=p.student_id, leerweg=p.leerweg, year_level=p.year_level,
                                         cohort=p.cohort, profiel=p.profiel, items=items,
                                         kern_included=p.kern_included)
                old = validate_programme(p, base, policy, offering)
                after = validate_programme(changed, base, policy, offering)
                rem.add_state(p.student_id, "VALID" if old.ok else "INVALID", _errors(old.findings),
                              "VALID" if after.ok else "INVALID", _errors(after.findings))
                if "PROGRAMME_MODULE_RETIRED" in _errors(after.findings) - _errors(old.findings):
                    affected += 1
    removal["programmes"] = rem.as_dict()
    removal["programmes_affected"] = affected
    students_changed = len(prog.changed_ids | exam.changed_ids | rem.changed_ids)
    return {
        "regulation": regulation_id, "overrides": {k: display(v) for k, v in overrides.items()},
        "exam_year": exam_year, "computed_on": today.isoformat(),
        "programmes": prog.as_dict(), "exam": exam.as_dict(), "module_size": size, "removal": removal,
        "students_changed": students_changed,
    }


def _retired(ref, cls):
    return cls(code=ref.code, version_id=ref.version_id, title=ref.title, module_type=ref.module_type,
               units=ref.units, profielen=ref.profielen, leerwegen=ref.leerwegen, legacy_kind=ref.legacy_kind,
               status="retired")


@transaction.atomic
def save_scenario(*, by, name: str, regulation_id: str, overrides: Mapping[str, object], summary: dict | None = None,
                  note: str = "", today: dt.date | None = None):
    """Compute (unless given) and keep a scenario. Only the steward may (insight.run_what_if)."""
    from maatwerk.accounts.predicates import require

    from .models import Scenario

    require(by, "insight.run_what_if")
    name = (name or "").strip()
    if not name:
        raise WhatIfInvalid({"name": "Geef het scenario een naam."})
    if summary is None:
        summary = run(regulation_id, overrides, today=today)
    return Scenario.objects.create(name=name[:200], regulation_id=regulation_id,
                                   overrides={k: display(v) for k, v in overrides.items()}, summary=summary,
                                   exam_year=summary.get("exam_year"), note=note, created_by=by)


# --- showing a summary (protected like every dashboard number) ------------------------------------------


@dataclass
class Block:
    """One part of a what-if answer: the transition table (before x after, with totals) and its findings."""

    title: str
    table: object          # suppress.CountTable: rows = now, cols = with the change
    changed: object        # suppress.Cell
    codes_added: list
    codes_removed: list
    total: int

    @property
    def total_text(self) -> str:
        from .suppress import min_cell, number_text

        return f"<{min_cell()}" if 0 < self.total < min_cell() else number_text(self.total)


def _block(title: str, data: dict, labels: dict[str, str]) -> Block:
    from .suppress import Cell, count_table, min_cell, number_text

    keys = list(labels)
    moved = {(a, b): n for a, b, n in data["transitions"]}
    values = [[(data["before"][a] - sum(n for (x, _), n in moved.items() if x == a)) if a == b else moved.get((a, b), 0)
               for b in keys] for a in keys]
    threshold = min_cell()
    n = len(keys)
    # a total that moved by 1-4 would tell how many changed: hide the 'after' total too (and its partner)
    force = [(n, j) for j, k in enumerate(keys) if 0 < abs(data["after"][k] - data["before"][k]) < threshold]
    table = count_table([f"nu {labels[k]}" for k in keys], [f"daarna {labels[k]}" for k in keys], values, force=force)
    off = [table.cells[i][j] for i in range(n) for j in range(n) if i != j]
    changed = data["changed"]
    if changed == 0:
        shown = Cell(0, "0")
    elif changed < threshold:
        shown = Cell(None, f"<{threshold}", "primary")
    elif all(c.shown for c in off):
        shown = Cell(changed, number_text(changed))
    else:
        rounded = int(5 * round(changed / 5))
        shown = Cell(None, f"ongeveer {number_text(rounded)}", "rounded")

    def codes(rows):
        return [(code, n if n >= threshold else None, number_text(n) if n >= threshold else f"<{threshold}")
                for code, n in rows]

    return Block(title, table, shown, codes(data["codes_added"]), codes(data["codes_removed"]), data["total"])


@dataclass
class Presented:
    summary: dict
    programmes: Block
    exam: Block
    removal: Block | None
    chart: object

    @property
    def students_changed_text(self) -> str:
        from .suppress import min_cell, number_text

        n, threshold = self.summary["students_changed"], min_cell()
        blocks = [b for b in (self.programmes, self.exam, self.removal) if b is not None]
        if n == 0:
            return "0"
        if n < threshold:
            return f"<{threshold}"
        if all(b.changed.shown for b in blocks):
            return number_text(n)
        return f"ongeveer {number_text(int(5 * round(n / 5)))}"

    @property
    def overrides(self) -> list[tuple[str, str, str]]:
        reg = regulation(self.summary["regulation"])
        return [(PARAMS_BY_KEY[k].label if k in PARAMS_BY_KEY else k, display(current_value(reg, k)), v)
                for k, v in self.summary["overrides"].items()]


def present(summary: dict) -> Presented:
    from . import charts

    programmes = _block("Programma's", summary["programmes"], VALIDITY_LABELS)
    exam = _block("Examenuitslagen", summary["exam"], OUTCOME_LABELS)
    removal = None
    if summary["removal"]["years_after"] != summary["removal"]["years_before"]:
        removal = _block("Programma's met een module die van de menukaart gaat", summary["removal"]["programmes"],
                         VALIDITY_LABELS)
    cats, now, after = [], [], []
    for block, labels in ((programmes, VALIDITY_LABELS), (exam, OUTCOME_LABELS)):
        t = block.table
        for i, key in enumerate(labels):
            cats.append(f"{'programma' if block is programmes else 'examen'}: {labels[key]}")
            now.append(t.row_totals[i].chart_value)
            after.append(t.col_totals[i].chart_value)
    chart = charts.bar_chart(
        cats, ["nu", "met de wijziging"], [[a, b] for a, b in zip(now, after, strict=True)], unit="leerlingen",
        alt="Staafdiagram: aantal leerlingen per uitkomst nu en met de gewijzigde parameters, voor programma's (in "
            "orde of niet) en examenuitslagen (geslaagd, afgewezen, nog niet compleet). De getallen staan in de "
            "tabellen eronder.")
    return Presented(summary, programmes, exam, removal, chart)


def _count_text(n: int) -> str:
    from .suppress import min_cell, number_text

    return f"<{min_cell()}" if 0 < n < min_cell() else number_text(n)


def comparison(scenarios) -> dict:
    """Saved scenarios side by side: rows of (label, [text per scenario]) and a chart of the outcomes."""
    from . import charts

    shown = [present(s.summary) for s in scenarios]
    keys = sorted({k for s in scenarios for k in s.overrides})
    rows = [("Regeling", [s.regulation_id for s in scenarios]),
            ("Examenjaar", [str(s.exam_year or "–") for s in scenarios])]
    for key in keys:
        label = PARAMS_BY_KEY[key].label if key in PARAMS_BY_KEY else key
        reg = regulation(scenarios[0].regulation_id)
        rows.append((label, [s.overrides.get(key, f"{display(current_value(reg, key))} (ongewijzigd)")
                             for s in scenarios]))
    rows.append(("Programma's die veranderen", [p.programmes.changed.text for p in shown]))
    for i, key in enumerate(VALIDITY_LABELS):
        rows.append((f"Programma's {VALIDITY_LABELS[key]} daarna", [p.programmes.table.col_totals[i].text for p in shown]))
    rows.append(("Uitslagen die veranderen", [p.exam.changed.text for p in shown]))
    for i, key in enumerate(OUTCOME_LABELS):
        rows.append((f"{OUTCOME_LABELS[key].capitalize()} daarna", [p.exam.table.col_totals[i].text for p in shown]))
    rows.append(("Modulen die van de menukaart gaan", [str(p.summary["removal"]["modules_after"]) for p in shown]))
    rows.append(("Programma's met een geplande module die dan niet meer mag",
                 [_count_text(p.summary["removal"].get("programmes_affected", 0)) for p in shown]))
    rows.append(("Bevindingen die erbij komen", [", ".join(f"{c} ({t})" for c, _, t in
                                                           (p.programmes.codes_added + p.exam.codes_added)) or "geen"
                                                 for p in shown]))
    series = ["nu (zonder wijziging)", *(s.name for s in scenarios)]
    cats = [f"programma {VALIDITY_LABELS['INVALID']}", *(f"examen: {v}" for v in OUTCOME_LABELS.values())]
    base = shown[-1]  # the oldest chosen scenario's "now" (every scenario keeps the data of its own moment)
    values = [[base.programmes.table.row_totals[1].chart_value, *(p.programmes.table.col_totals[1].chart_value
                                                                  for p in shown)]]
    values += [[base.exam.table.row_totals[i].chart_value, *(p.exam.table.col_totals[i].chart_value for p in shown)]
               for i in range(len(OUTCOME_LABELS))]
    chart = charts.bar_chart(cats, series, values, unit="leerlingen",
                             alt="Staafdiagram: de uitkomsten van de vergeleken scenario's naast elkaar en de "
                                 "situatie zonder wijziging (programma's niet in orde, geslaagd, afgewezen, nog niet "
                                 "compleet). De getallen staan in de tabel eronder.")
    return {"scenarios": scenarios, "rows": rows, "chart": chart, "presented": shown}
