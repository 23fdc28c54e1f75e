"""Regulations: versioned national parameters, stored as TOML files in ``regulations/``.

A :class:`Regulation` has an id, a title, a kind (``vmbo-huidig`` for today's law,
``spv-modulair`` for the structure the SPV advice proposes), the cohorts it applies to
(the school year in which a student starts leerjaar 3: 2025 means 2025-2026) and its
parameters. Each parameter carries a description, its source (an article, or the seed
passage that leaves it open) and a ``pilot`` flag: a pilot parameter is a number the
advice leaves open, which a pilot may change without touching code
(:meth:`Regulation.with_overrides`).

Files are validated on load; an error names the file and the key, in Dutch and English::

    RegulationError: vmbo-huidig.toml: parameters.keuzevakken.value.XX: onbekende leerweg / unknown leerweg
"""

from __future__ import annotations

import tomllib
from collections import namedtuple
from collections.abc import Mapping
from dataclasses import dataclass, field, replace
from decimal import Decimal
from functools import cache, cached_property
from importlib import resources
from types import MappingProxyType
from typing import Any

from .errors import RegulationError
from .grades import LEERWEGEN, LEVELS

KINDS: tuple[str, ...] = ("vmbo-huidig", "spv-modulair")
STATUTORY_KIND = "vmbo-huidig"
SUBJECT_KINDS: tuple[str, ...] = ("algemeen", "profielvak", "keuzevak", "lo", "kunstvak", "profielwerkstuk", "module")


@dataclass(frozen=True, slots=True)
class Composition:
    """One composition choice of the 2022 model, as minimum kennismakende/verdiepende units."""

    id: str
    title: str
    min_introductory: int
    min_deepening: int


@dataclass(frozen=True, slots=True)
class Parameter:
    name: str
    value: Any
    description: str
    source: str
    pilot: bool

    def cite(self, key: str | None = None) -> str:
        """The source a finding cites: the article, or ``parameter name[.key]`` for a pilot parameter."""
        if self.pilot:
            return f"parameter {self.name}.{key}" if key else f"parameter {self.name}"
        return self.source


@dataclass(frozen=True, slots=True)
class _Spec:
    type: str
    lo: int | Decimal | None = None
    hi: int | Decimal | None = None
    choices: tuple[str, ...] = ()


_DEC = _Spec("decimal", Decimal(1), Decimal(10))
_GRADE = _Spec("int", 1, 10)
_COUNT = _Spec("int", 0, 100)
_YEARS = _Spec("int", 1, 20)

_COMMON: dict[str, _Spec] = {
    "ce_mean_min": _DEC,
    "nederlands_code": _Spec("str"),
    "engels_code": _Spec("str"),
    "maatschappijleer_code": _Spec("str"),
    "gemeenschappelijk_codes": _Spec("str_list"),
    "nederlands_min": _GRADE,
    "ce_required_codes": _Spec("str_list"),
    "ce_required_kinds": _Spec("choice_list", choices=SUBJECT_KINDS),
    "required_kinds": _Spec("leerweg_choices", choices=SUBJECT_KINDS),
    "algemene_vakken": _Spec("leerweg_int", 0, 20),
    "pws_leerwegen": _Spec("choice_list", choices=LEERWEGEN),
    "allowed_levels": _Spec("leerweg_choices", choices=LEVELS),
    "loopbaandossier_required": _Spec("bool"),
    "cum_laude_min_mean": _DEC,
    "cum_laude_min_grade": _GRADE,
    "se_decimal_rounding": _Spec("choice", choices=("half_up", "truncate")),
    "se_attempt_rule": _Spec("choice", choices=("highest", "last")),
    "module_pass_mark": _DEC,
    "licence_required": _Spec("bool"),
    "upper_year_start": _Spec("int", 1, 6),
}

SCHEMA: Mapping[str, Mapping[str, _Spec]] = MappingProxyType({
    "vmbo-huidig": MappingProxyType({
        **_COMMON,
        "keuzevakken": _Spec("leerweg_int", 0, 20),
        "profielmodulen": _Spec("leerweg_int", 0, 20),
        "max_foreign_profielmodulen": _COUNT,
        "combination_part_min": _GRADE,
        "lwt_min_grade": _GRADE,
        "lwt_full_exam_rule": _Spec("choice", choices=("regular", "both")),
    }),
    "spv-modulair": MappingProxyType({
        **_COMMON,
        "module_size_units": _Spec("int", 1, 20),
        "min_units": _Spec("leerweg_int", 0, 100),
        "compositions": _Spec("compositions"),
        "max_units_per_year": _Spec("int", 1, 100),
        "upper_years": _Spec("leerweg_int", 1, 5),
        "kern_required": _Spec("bool"),
        "compensation_max_insufficient": _COUNT,
        "compensation_min_grade": _GRADE,
        "compensation_min_mean": _DEC,
        "count_compensated_units": _Spec("bool"),
        "review_cycle_years": _YEARS,
        "update_deadline_years": _YEARS,
        "removal_years": _YEARS,
        "proposal_interval_years": _YEARS,
    }),
})

_MAPPING_TYPES = frozenset({"leerweg_int", "leerweg_choices"})


@cache
def _values_type(kind: str) -> type:
    return namedtuple(f"Values_{kind.replace('-', '_')}", sorted(SCHEMA[kind]))


@dataclass(frozen=True)
class Regulation:
    id: str
    title: str
    kind: str
    first_cohort: int
    last_cohort: int | None
    parameters: Mapping[str, Parameter]
    description: str = ""
    overrides: tuple[str, ...] = field(default=())

    def __hash__(self) -> int:
        return hash((self.id, self.kind, self.overrides))

    @property
    def statutory(self) -> bool:
        return self.kind == STATUTORY_KIND

    def applies_to(self, cohort: int) -> bool:
        return self.first_cohort <= cohort and (self.last_cohort is None or cohort <= self.last_cohort)

    def value(self, name: str) -> Any:
        return self.parameters[name].value

    def cite(self, name: str, key: str | None = None) -> str:
        return self.parameters[name].cite(key)

    @cached_property
    def values(self) -> Any:
        """All parameter values as one immutable named tuple (fast attribute access for the engines)."""
        return _values_type(self.kind)(**{name: p.value for name, p in self.parameters.items()})

    @cached_property
    def memo(self) -> dict[str, Any]:
        """A per-regulation scratch space where engines keep what they precompute from the values."""
        return {}

    def with_overrides(self, overrides: Mapping[str, Any]) -> Regulation:
        """The same regulation with some parameters changed, validated like a file.

        Keys are parameter names; ``name.KEY`` changes one leerweg of a per-leerweg
        parameter, and a mapping for such a parameter is merged into the current value.
        """
        if not overrides:
            return self
        where = f"{self.id} (what-if)"
        schema = SCHEMA[self.kind]
        raw: dict[str, Any] = {}
        for key, new in overrides.items():
            name, dot, sub = str(key).partition(".")
            if name not in schema:
                raise RegulationError(where, f"overrides.{key}", "onbekende parameter", "unknown parameter")
            spec = schema[name]
            mapping = spec.type in _MAPPING_TYPES
            if dot and not mapping:
                raise RegulationError(where, f"overrides.{key}", "deze parameter heeft geen onderdelen",
                                      "this parameter has no parts")
            if mapping:
                merged = dict(raw.get(name, self.parameters[name].value))
                if dot:
                    merged[sub] = new
                elif isinstance(new, Mapping):
                    merged.update(new)
                else:
                    merged = new
                raw[name] = merged
            else:
                raw[name] = new
        params = dict(self.parameters)
        for name, new in raw.items():
            params[name] = replace(params[name], value=_coerce(schema[name], new, where, f"overrides.{name}"))
        return replace(self, parameters=MappingProxyType(params),
                       overrides=tuple(sorted(set(self.overrides) | raw.keys())))


# --- validation --------------------------------------------------------------------------

def _fail(file: str, path: str, nl: str, en: str) -> RegulationError:
    return RegulationError(file, path, nl, en)


def _int(value: Any, spec: _Spec, file: str, path: str) -> int:
    if isinstance(value, bool) or not isinstance(value, int):
        raise _fail(file, path, "moet een geheel getal zijn", "must be an integer")
    if (spec.lo is not None and value < spec.lo) or (spec.hi is not None and value > spec.hi):
        raise _fail(file, path, f"moet tussen {spec.lo} en {spec.hi} liggen", f"must be between {spec.lo} and {spec.hi}")
    return value


def _str(value: Any, file: str, path: str) -> str:
    if not isinstance(value, str) or not value.strip():
        raise _fail(file, path, "moet een niet-lege tekst zijn", "must be a non-empty string")
    return value


def _list(value: Any, file: str, path: str) -> list[Any]:
    if not isinstance(value, list | tuple):
        raise _fail(file, path, "moet een lijst zijn", "must be a list")
    return list(value)


def _table(value: Any, file: str, path: str) -> Mapping[str, Any]:
    if not isinstance(value, Mapping):
        raise _fail(file, path, "moet een tabel zijn", "must be a table")
    return value


def _choice(value: Any, choices: tuple[str, ...], file: str, path: str) -> str:
    if value not in choices:
        raise _fail(file, path, f"{value!r} is geen van {', '.join(choices)}", f"{value!r} is not one of {', '.join(choices)}")
    return value


def _per_leerweg(value: Any, file: str, path: str) -> Mapping[str, Any]:
    table = _table(value, file, path)
    for key in table:
        if key not in LEERWEGEN:
            raise _fail(file, f"{path}.{key}", "onbekende leerweg", "unknown leerweg")
    for leerweg in LEERWEGEN:
        if leerweg not in table:
            raise _fail(file, f"{path}.{leerweg}", "ontbreekt", "missing")
    return table


def _coerce(spec: _Spec, value: Any, file: str, path: str) -> Any:  # noqa: C901 - one branch per type
    t = spec.type
    if t == "decimal":
        if isinstance(value, bool) or not isinstance(value, Decimal | int | str):
            raise _fail(file, path, "moet een decimaal getal zijn (geen float)", "must be a decimal number (not a float)")
        try:
            number = Decimal(value)
        except ArithmeticError:
            raise _fail(file, path, "moet een decimaal getal zijn", "must be a decimal number") from None
        if not (number.is_finite() and spec.lo <= number <= spec.hi):
            raise _fail(file, path, f"moet tussen {spec.lo} en {spec.hi} liggen", f"must be between {spec.lo} and {spec.hi}")
        return number
    if t == "int":
        return _int(value, spec, file, path)
    if t == "bool":
        if not isinstance(value, bool):
            raise _fail(file, path, "moet true of false zijn", "must be true or false")
        return value
    if t == "str":
        return _str(value, file, path)
    if t == "choice":
        return _choice(value, spec.choices, file, path)
    if t == "str_list":
        return tuple(_str(v, file, f"{path}[{i}]") for i, v in enumerate(_list(value, file, path)))
    if t == "choice_list":
        return tuple(_choice(v, spec.choices, file, f"{path}[{i}]") for i, v in enumerate(_list(value, file, path)))
    if t == "leerweg_int":
        table = _per_leerweg(value, file, path)
        return MappingProxyType({lw: _int(table[lw], spec, file, f"{path}.{lw}") for lw in LEERWEGEN})
    if t == "leerweg_choices":
        table = _per_leerweg(value, file, path)
        return MappingProxyType({
            lw: tuple(_choice(v, spec.choices, file, f"{path}.{lw}[{i}]")
                      for i, v in enumerate(_list(table[lw], file, f"{path}.{lw}")))
            for lw in LEERWEGEN
        })
    # compositions
    items = _list(value, file, path)
    if not items:
        raise _fail(file, path, "moet ten minste een keuze bevatten", "must hold at least one choice")
    seen: set[str] = set()
    out = []
    for i, item in enumerate(items):
        where = f"{path}[{i}]"
        table = _table(item, file, where)
        extra = set(table) - {"id", "title", "min_introductory", "min_deepening"}
        if extra:
            raise _fail(file, f"{where}.{sorted(extra)[0]}", "onbekende sleutel", "unknown key")
        for key in ("id", "title", "min_introductory", "min_deepening"):
            if key not in table:
                raise _fail(file, f"{where}.{key}", "ontbreekt", "missing")
        ident = _str(table["id"], file, f"{where}.id")
        if ident in seen:
            raise _fail(file, f"{where}.id", "dubbele keuze", "duplicate choice")
        seen.add(ident)
        count = _Spec("int", 0, 100)
        out.append(Composition(ident, _str(table["title"], file, f"{where}.title"),
                               _int(table["min_introductory"], count, file, f"{where}.min_introductory"),
                               _int(table["min_deepening"], count, file, f"{where}.min_deepening")))
    return tuple(out)


_TOP = frozenset({"id", "title", "kind", "first_cohort", "last_cohort", "description", "parameters"})
_PARAM_KEYS = ("value", "description", "source", "pilot")


def parse_regulation(text: str, file: str) -> Regulation:
    """Parse and validate one regulation file's text; `file` names it in errors."""
    try:
        data = tomllib.loads(text, parse_float=Decimal)
    except tomllib.TOMLDecodeError as exc:
        raise _fail(file, "-", f"geen geldige TOML ({exc})", f"not valid TOML ({exc})") from None
    for key in data:
        if key not in _TOP:
            raise _fail(file, key, "onbekende sleutel", "unknown key")
    for key in ("id", "title", "kind", "first_cohort", "parameters"):
        if key not in data:
            raise _fail(file, key, "ontbreekt", "missing")
    ident = _str(data["id"], file, "id")
    stem = file.rsplit("/", 1)[-1].removesuffix(".toml")
    if file.endswith(".toml") and ident != stem:
        raise _fail(file, "id", f"moet gelijk zijn aan de bestandsnaam ({stem})", f"must equal the file name ({stem})")
    kind = _choice(data["kind"], KINDS, file, "kind")
    cohort = _Spec("int", 2000, 2100)
    first = _int(data["first_cohort"], cohort, file, "first_cohort")
    last = data.get("last_cohort")
    if last is not None:
        last = _int(last, cohort, file, "last_cohort")
        if last < first:
            raise _fail(file, "last_cohort", "ligt voor first_cohort", "is before first_cohort")
    schema = SCHEMA[kind]
    raw = _table(data["parameters"], file, "parameters")
    params: dict[str, Parameter] = {}
    for name, entry in raw.items():
        path = f"parameters.{name}"
        if name not in schema:
            raise _fail(file, path, f"onbekende parameter voor {kind}", f"unknown parameter for {kind}")
        entry = _table(entry, file, path)
        for key in entry:
            if key not in _PARAM_KEYS:
                raise _fail(file, f"{path}.{key}", "onbekende sleutel", "unknown key")
        for key in _PARAM_KEYS:
            if key not in entry:
                raise _fail(file, f"{path}.{key}", "ontbreekt", "missing")
        if not isinstance(entry["pilot"], bool):
            raise _fail(file, f"{path}.pilot", "moet true of false zijn", "must be true or false")
        params[name] = Parameter(name, _coerce(schema[name], entry["value"], file, f"{path}.value"),
                                 _str(entry["description"], file, f"{path}.description"),
                                 _str(entry["source"], file, f"{path}.source"), entry["pilot"])
    for name in schema:
        if name not in params:
            raise _fail(file, f"parameters.{name}", "ontbreekt", "missing")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise _fail(file, "description", "moet tekst zijn", "must be a string")
    return Regulation(ident, _str(data["title"], file, "title"), kind, first, last,
                      MappingProxyType({name: params[name] for name in sorted(params)}), description.strip())


@cache
def _all() -> Mapping[str, Regulation]:
    folder = resources.files(__package__).joinpath("regulations")
    found: dict[str, Regulation] = {}
    for entry in sorted((e for e in folder.iterdir() if e.name.endswith(".toml")), key=lambda e: e.name):
        regulation = parse_regulation(entry.read_text(encoding="utf-8"), entry.name)
        found[regulation.id] = regulation
    return MappingProxyType(found)


def list_regulations() -> list[Regulation]:
    """Every shipped regulation, ordered by id."""
    return list(_all().values())


def load_regulation(regulation_id: str) -> Regulation:
    try:
        return _all()[regulation_id]
    except KeyError:
        known = ", ".join(_all())
        raise LookupError(f"onbekende regeling {regulation_id!r} (bekend: {known}) / "
                          f"unknown regulation {regulation_id!r} (known: {known})") from None


def regulation_for_cohort(cohort: int, kind: str | None = None) -> Regulation:
    """The regulation for a cohort (the school year leerjaar 3 starts).

    Without `kind`, the statutory regulation (vmbo-huidig) is chosen: a pilot regulation
    applies only where it is asked for. Among several of one kind, the latest start wins.
    """
    wanted = kind or STATUTORY_KIND
    matches = [r for r in _all().values() if r.kind == wanted and r.applies_to(cohort)]
    if not matches:
        raise LookupError(f"geen regeling ({wanted}) voor cohort {cohort} / no regulation ({wanted}) for cohort {cohort}")
    return max(matches, key=lambda r: r.first_cohort)
