"""Programme validation: is a student's maatwerkprogramma complete and allowed?

``validate_programme`` checks a programme against a regulation, the school's policy and
the school's offering; ``remaining_requirements`` says per requirement how many units are
still missing ("nog 2 eenheden kennismakend"); ``package_completable`` says whether a
student of a leerweg can complete the regulation choosing only from a set of modules.

Items with status ``not_completed`` are history (a module followed but not passed): they
do not count for minimums, duplicates or year loads. Offering, licence and leerweg checks
apply to items that are ``planned`` or ``enrolled``; ``completed`` items keep what they were.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass, field
from types import MappingProxyType

from .errors import RulesInputError
from .findings import Finding, Severity, Verdict, finding
from .grades import LEERWEGEN
from .regulation import Regulation

MODULE_TYPES: tuple[str, ...] = ("ORIENTING", "INTRODUCTORY", "DEEPENING")
LEGACY_KINDS: tuple[str | None, ...] = ("profielmodule", "keuzevak", None)
MODULE_STATUSES: tuple[str, ...] = ("published", "superseded", "withdrawn", "retired")
ITEM_STATUSES: tuple[str, ...] = ("planned", "enrolled", "completed", "not_completed")
_COUNTING = frozenset({"planned", "enrolled", "completed"})
_ACTIVE = frozenset({"planned", "enrolled"})
_TYPE_NL = {"ORIENTING": "oriënterend", "INTRODUCTORY": "kennismakend", "DEEPENING": "verdiepend"}


def _check(ok: bool, field_name: str, nl: str, en: str) -> None:
    if not ok:
        raise RulesInputError(field_name, nl, en)


@dataclass(frozen=True, slots=True)
class ModuleRef:
    """One published version of a module of the menukaart, as the engine sees it."""

    code: str
    version_id: int | str
    title: str
    module_type: str
    units: int = 1
    profielen: tuple[str, ...] = ()
    leerwegen: tuple[str, ...] = LEERWEGEN
    legacy_kind: str | None = None
    status: str = "published"

    def __post_init__(self) -> None:
        _check(isinstance(self.code, str) and bool(self.code), "module.code", "code ontbreekt", "code is missing")
        _check(self.module_type in MODULE_TYPES, f"{self.code}.module_type",
               f"onbekend moduletype {self.module_type!r}", f"unknown module type {self.module_type!r}")
        _check(isinstance(self.units, int) and not isinstance(self.units, bool) and self.units >= 1,
               f"{self.code}.units", "omvang moet een geheel getal van ten minste 1 zijn", "units must be an integer >= 1")
        _check(all(lw in LEERWEGEN for lw in self.leerwegen), f"{self.code}.leerwegen",
               "onbekende leerweg", "unknown leerweg")
        _check(self.legacy_kind in LEGACY_KINDS, f"{self.code}.legacy_kind",
               f"onbekende soort {self.legacy_kind!r}", f"unknown legacy kind {self.legacy_kind!r}")
        _check(self.status in MODULE_STATUSES, f"{self.code}.status",
               f"onbekende status {self.status!r}", f"unknown status {self.status!r}")
        object.__setattr__(self, "profielen", tuple(self.profielen))
        object.__setattr__(self, "leerwegen", tuple(self.leerwegen))


@dataclass(frozen=True, slots=True)
class ProgrammeItemInput:
    module: ModuleRef
    school_year: int
    year_level: int
    status: str = "planned"

    def __post_init__(self) -> None:
        _check(self.status in ITEM_STATUSES, f"{self.module.code}.status",
               f"onbekende status {self.status!r}", f"unknown item status {self.status!r}")


@dataclass(frozen=True, slots=True)
class ProgrammeInput:
    student_id: str | int
    leerweg: str
    year_level: int
    cohort: int
    profiel: str | None
    items: tuple[ProgrammeItemInput, ...]
    kern_included: bool = True

    def __post_init__(self) -> None:
        _check(self.leerweg in LEERWEGEN, "leerweg", f"onbekende leerweg {self.leerweg!r}",
               f"unknown leerweg {self.leerweg!r}")
        object.__setattr__(self, "items", tuple(self.items))


@dataclass(frozen=True, slots=True)
class SchoolPolicyInput:
    introductory_before_deepening: bool = False
    extra_min_units: Mapping[str, int] = field(default_factory=dict)
    extra_min_introductory: int = 0
    extra_min_deepening: int = 0
    max_units_per_year: int | None = None

    def __post_init__(self) -> None:
        _check(all(lw in LEERWEGEN for lw in self.extra_min_units), "extra_min_units",
               "onbekende leerweg", "unknown leerweg")
        object.__setattr__(self, "extra_min_units", MappingProxyType(dict(self.extra_min_units)))


@dataclass(frozen=True, slots=True)
class OfferingInput:
    """What the school offers: (module code, school year, leerweg) and its licensed profielen.

    ``licensed_profielen`` is one set for every year, or a mapping school year -> set.
    """

    offered: frozenset[tuple[str, int, str]] = frozenset()
    licensed_profielen: frozenset[str] | Mapping[int, frozenset[str]] = frozenset()
    per_year: bool = field(default=False, init=False, repr=False, compare=False)

    def __post_init__(self) -> None:
        object.__setattr__(self, "offered", frozenset(self.offered))
        lic = self.licensed_profielen
        if isinstance(lic, Mapping):
            object.__setattr__(self, "per_year", True)
            object.__setattr__(self, "licensed_profielen",
                               MappingProxyType({year: frozenset(p) for year, p in lic.items()}))
        else:
            object.__setattr__(self, "licensed_profielen", frozenset(lic))

    def licensed(self, profiel: str, school_year: int) -> bool:
        if self.per_year:
            return profiel in self.licensed_profielen.get(school_year, ())
        return profiel in self.licensed_profielen

    def licensed_any_year(self, profiel: str) -> bool:
        if self.per_year:
            return any(profiel in s for s in self.licensed_profielen.values())
        return profiel in self.licensed_profielen

    def offers(self, code: str, leerweg: str, school_year: int | None = None) -> bool:
        if school_year is not None:
            return (code, school_year, leerweg) in self.offered
        return any(c == code and lw == leerweg for c, _, lw in self.offered)


_NO_POLICY = SchoolPolicyInput()


@dataclass(frozen=True, slots=True)
class Requirement:
    """One counted requirement: `required` units, `counted` in the plan, `completed` done."""

    key: str
    label: str
    required: int
    counted: int
    completed: int
    source: str

    @property
    def missing(self) -> int:
        return max(0, self.required - self.counted)

    @property
    def message(self) -> str:
        if not self.missing:
            return f"{self.label}: voldaan ({self.counted} van {self.required})"
        return f"nog {self.missing} {_units(self.missing)} {self.label}"


def _units(n: int) -> str:
    return "eenheid" if n == 1 else "eenheden"


# --- shared counting ------------------------------------------------------------------------

@dataclass(slots=True)
class _Tally:
    """Counting items of a programme, each module code once (duplicates are reported apart)."""

    units: int = 0
    introductory: int = 0
    deepening: int = 0
    done_units: int = 0
    done_introductory: int = 0
    done_deepening: int = 0
    own_profielmodulen: int = 0
    done_own_profielmodulen: int = 0
    keuzevakken: int = 0
    done_keuzevakken: int = 0
    foreign: int = 0
    done_foreign: int = 0
    uncounted: list[str] = field(default_factory=list)


def _tally(items: tuple[ProgrammeItemInput, ...], profiel: str | None) -> _Tally:
    t = _Tally()
    seen: set[str] = set()
    for item in items:
        m = item.module
        if item.status not in _COUNTING or m.code in seen or m.module_type == "ORIENTING":
            continue
        seen.add(m.code)
        done = item.status == "completed"
        t.units += m.units
        t.done_units += m.units * done
        if m.module_type == "INTRODUCTORY":
            t.introductory += m.units
            t.done_introductory += m.units * done
        else:
            t.deepening += m.units
            t.done_deepening += m.units * done
        if m.legacy_kind == "profielmodule":
            if profiel is not None and profiel in m.profielen:
                t.own_profielmodulen += 1
                t.done_own_profielmodulen += done
            else:
                t.foreign += 1
                t.done_foreign += done
        elif m.legacy_kind == "keuzevak":
            t.keuzevakken += 1
            t.done_keuzevakken += done
        else:
            t.uncounted.append(m.code)
    return t


def _keuzevak_count(own: int, keuze: int, foreign: int, need_profielmodulen: int, max_foreign: int) -> int:
    """Keuzevakken: keuzevak modules, other profielen's profielmodulen (capped), surplus own profielmodulen."""
    return keuze + min(foreign, max_foreign) + max(0, own - need_profielmodulen)


def _best_composition(regulation: Regulation, policy: SchoolPolicyInput, intro: int, deep: int):
    """The composition choice with the least units missing (the first one on a tie)."""
    best = None
    for comp in regulation.values.compositions:
        need_i = comp.min_introductory + policy.extra_min_introductory
        need_d = comp.min_deepening + policy.extra_min_deepening
        missing = max(0, need_i - intro) + max(0, need_d - deep)
        if best is None or missing < best[0]:
            best = (missing, comp, need_i, need_d)
    return best


# --- validate_programme -----------------------------------------------------------------------

def validate_programme(programme: ProgrammeInput, regulation: Regulation,
                       school_policy: SchoolPolicyInput | None = None,
                       offering: OfferingInput | None = None) -> Verdict:
    """Check a programme; every rule has its own finding code (see docs/rules.md)."""
    policy = school_policy or _NO_POLICY
    v = regulation.values
    spv = regulation.kind == "spv-modulair"
    items = tuple(sorted(programme.items, key=lambda i: (i.school_year, i.module.code, i.status)))
    out: list[Finding] = []
    add = out.append

    if spv and v.kern_required and not programme.kern_included:
        add(finding("PROGRAMME_KERN_MISSING",
                    "Het programma bevat de kern niet. Elke leerling volgt altijd de kern: algemene "
                    "(beroeps)vaardigheden, procesmatig werken en LOB.", source=regulation.cite("kern_required")))

    counts: dict[str, int] = {}
    per_year: dict[int, int] = {}
    for item in items:
        if item.status != "not_completed":
            _check_item(item, programme, regulation, offering, spv, add)
            code = item.module.code
            counts[code] = counts.get(code, 0) + 1
            per_year[item.school_year] = per_year.get(item.school_year, 0) + item.module.units

    for code, n in sorted(counts.items()):
        if n > 1:
            add(finding("PROGRAMME_DUPLICATE_MODULE",
                        f"De module {code} staat {n} keer in het programma. Een module telt maar een keer.",
                        subject=code))

    limits = [x for x in ((v.max_units_per_year if spv else None), policy.max_units_per_year) if x is not None]
    if limits:
        limit = min(limits)
        source = (regulation.cite("max_units_per_year") if spv and limit == v.max_units_per_year
                  else "schoolbeleid: maximum aantal eenheden per jaar")
        for year, units in sorted(per_year.items()):
            if units > limit:
                add(finding("PROGRAMME_YEAR_UNITS_EXCEEDED",
                            f"In schooljaar {year}-{year + 1} staan {units} eenheden; dat mogen er ten hoogste "
                            f"{limit} zijn.", subject=str(year), source=source))

    tally = _tally(items, programme.profiel)
    if spv:
        _check_spv_totals(programme, regulation, policy, tally, add)
    else:
        _check_current_totals(programme, regulation, offering, items, tally, add)

    if policy.introductory_before_deepening:
        intro_years = [i.school_year for i in items
                       if i.status in _COUNTING and i.module.module_type == "INTRODUCTORY"]
        first_intro = min(intro_years) if intro_years else None
        for item in items:
            if (item.status in _COUNTING and item.module.module_type == "DEEPENING"
                    and (first_intro is None or first_intro > item.school_year)):
                add(finding("PROGRAMME_INTRODUCTORY_FIRST",
                            f"Op deze school volg je eerst een kennismakende module voordat je begint aan de "
                            f"verdiepende module {item.module.code} ({item.module.title}).", subject=item.module.code))
    return Verdict.of(out)


def _check_item(item: ProgrammeItemInput, programme: ProgrammeInput, regulation: Regulation,
                offering: OfferingInput | None, spv: bool, add) -> None:
    m = item.module
    v = regulation.values
    lw = programme.leerweg
    active = item.status in _ACTIVE
    if m.module_type == "ORIENTING" and item.year_level >= v.upper_year_start:
        add(finding("PROGRAMME_ORIENTING_IN_UPPER_YEARS",
                    f"De oriënterende module {m.code} ({m.title}) hoort bij de onderbouw, niet bij leerjaar {item.year_level}.",
                    subject=m.code, source=regulation.cite("upper_year_start")))
    if m.status in ("withdrawn", "retired"):
        code = "PROGRAMME_MODULE_WITHDRAWN" if m.status == "withdrawn" else "PROGRAMME_MODULE_RETIRED"
        what = "is ingetrokken" if m.status == "withdrawn" else "staat niet meer op de menukaart"
        if item.status == "planned":
            add(finding(code, f"De module {m.code} ({m.title}) {what}. Kies een andere module.", subject=m.code,
                        source=regulation.cite("removal_years") if spv and m.status == "retired" else None))
        else:
            add(finding(code, f"De module {m.code} ({m.title}) {what}. Je volgt of volgde deze module al, dus hij blijft "
                              f"gewoon meetellen.", subject=m.code, severity=Severity.WARNING,
                        source=regulation.cite("removal_years") if spv and m.status == "retired" else None))
    elif m.status == "superseded" and item.status == "planned":
        add(finding("PROGRAMME_MODULE_SUPERSEDED",
                    f"Van de module {m.code} ({m.title}) is een nieuwere versie. Plan de nieuwe versie in.", subject=m.code))
    if spv and m.module_type != "ORIENTING" and m.units != v.module_size_units:
        add(finding("PROGRAMME_MODULE_SIZE",
                    f"De module {m.code} ({m.title}) is {m.units} {_units(m.units)} groot; modules zijn {v.module_size_units} "
                    f"{_units(v.module_size_units)} groot.", subject=m.code, source=regulation.cite("module_size_units")))
    if not active:
        return
    if lw not in m.leerwegen:
        add(finding("PROGRAMME_MODULE_WRONG_LEERWEG",
                    f"De module {m.code} ({m.title}) is er niet voor de leerweg {lw}.", subject=m.code))
    if offering is not None:
        if not offering.offers(m.code, lw, item.school_year):
            add(finding("PROGRAMME_MODULE_NOT_OFFERED",
                        f"De school biedt de module {m.code} ({m.title}) in schooljaar {item.school_year}-{item.school_year + 1} "
                        f"niet aan voor de leerweg {lw}.", subject=m.code))
        if (spv and v.licence_required and m.profielen
                and not any(offering.licensed(p, item.school_year) for p in m.profielen)):
            add(finding("PROGRAMME_PROFIEL_NOT_LICENSED",
                        f"De school heeft in schooljaar {item.school_year}-{item.school_year + 1} geen licentie voor "
                        f"het profiel van de module {m.code} ({m.title}) ({', '.join(m.profielen)}).", subject=m.code,
                        source=regulation.cite("licence_required")))


def _check_spv_totals(programme: ProgrammeInput, regulation: Regulation, policy: SchoolPolicyInput,
                      t: _Tally, add) -> None:
    lw = programme.leerweg
    need = regulation.values.min_units[lw] + policy.extra_min_units.get(lw, 0)
    if t.units < need:
        add(finding("PROGRAMME_UNITS_TOO_FEW",
                    f"Het programma heeft {t.units} {_units(t.units)} kennismakende en verdiepende modules. In de "
                    f"leerweg {lw} zijn dat er minimaal {need}: er {'moet' if need - t.units == 1 else 'moeten'} nog "
                    f"{need - t.units} bij.", source=regulation.cite("min_units", lw)))
    missing, comp, need_i, need_d = _best_composition(regulation, policy, t.introductory, t.deepening)
    if missing:
        add(finding("PROGRAMME_COMPOSITION_NOT_MET",
                    f"Het programma past nog bij geen van de samenstellingen. Het dichtst bij is "
                    f"'{comp.title}': minimaal {need_i} {_units(need_i)} kennismakend (nu {t.introductory}) en "
                    f"{need_d} {_units(need_d)} verdiepend (nu {t.deepening}).",
                    source=regulation.cite("compositions")))


def _check_current_totals(programme: ProgrammeInput, regulation: Regulation, offering: OfferingInput | None,
                          items: tuple[ProgrammeItemInput, ...], t: _Tally, add) -> None:
    v = regulation.values
    lw = programme.leerweg
    need_pm = v.profielmodulen[lw]
    need_kv = v.keuzevakken[lw]
    profiel = programme.profiel
    if need_pm and profiel is None:
        add(finding("PROGRAMME_NO_PROFIEL", f"In de leerweg {lw} kies je een profiel; er is nog geen profiel gekozen."))
    if profiel is not None and offering is not None and v.licence_required:
        years = sorted({i.school_year for i in items if i.status in _ACTIVE}) or [programme.cohort]
        bad = [y for y in years if not offering.licensed(profiel, y)]
        if bad:
            add(finding("PROGRAMME_PROFIEL_NOT_LICENSED",
                        f"De school heeft geen licentie voor het profiel {profiel} in schooljaar "
                        f"{', '.join(f'{y}-{y + 1}' for y in bad)}.", subject=profiel,
                        source=regulation.cite("licence_required")))
    if profiel is not None and t.own_profielmodulen < need_pm:
        add(finding("PROGRAMME_PROFIELVAK_INCOMPLETE",
                    f"Voor het profielvak {profiel} heb je {need_pm} profielmodulen nodig; in het programma staan er "
                    f"{t.own_profielmodulen}.", subject=profiel, source=regulation.cite("profielmodulen")))
    if t.foreign > v.max_foreign_profielmodulen:
        add(finding("PROGRAMME_FOREIGN_PROFIELMODULEN",
                    f"Er staan {t.foreign} profielmodulen van een ander profiel in het programma; ten hoogste "
                    f"{v.max_foreign_profielmodulen} daarvan mogen als keuzevak tellen.",
                    source=regulation.cite("max_foreign_profielmodulen")))
    have = _keuzevak_count(t.own_profielmodulen, t.keuzevakken, t.foreign, need_pm, v.max_foreign_profielmodulen)
    if have < need_kv:
        add(finding("PROGRAMME_KEUZEVAKKEN_TOO_FEW",
                    f"In de leerweg {lw} volg je minimaal {need_kv} beroepsgerichte keuzevakken; in het programma "
                    f"staan er {have}.", source=regulation.cite("keuzevakken")))
    for code in sorted(set(t.uncounted)):
        add(finding("PROGRAMME_MODULE_NOT_COUNTED",
                    f"De module {code} is geen profielmodule of keuzevak en telt niet mee voor het examen.",
                    subject=code))


# --- remaining_requirements -----------------------------------------------------------------

def remaining_requirements(programme: ProgrammeInput, regulation: Regulation,
                           policy: SchoolPolicyInput | None = None) -> tuple[Requirement, ...]:
    """Per counted requirement: required, counted in the plan, completed, and `missing`."""
    policy = policy or _NO_POLICY
    v = regulation.values
    lw = programme.leerweg
    t = _tally(programme.items, programme.profiel)
    if regulation.kind == "spv-modulair":
        _, comp, need_i, need_d = _best_composition(regulation, policy, t.introductory, t.deepening)
        source = regulation.cite("compositions")
        return (
            Requirement("units", "in totaal", v.min_units[lw] + policy.extra_min_units.get(lw, 0), t.units,
                        t.done_units, regulation.cite("min_units", lw)),
            Requirement("introductory", f"kennismakend ({comp.title})", need_i, t.introductory,
                        t.done_introductory, source),
            Requirement("deepening", f"verdiepend ({comp.title})", need_d, t.deepening, t.done_deepening, source),
        )
    need_pm = v.profielmodulen[lw]
    max_f = v.max_foreign_profielmodulen
    return (
        Requirement("profielmodulen", "profielmodulen", need_pm, min(t.own_profielmodulen, need_pm),
                    min(t.done_own_profielmodulen, need_pm), regulation.cite("profielmodulen")),
        Requirement("keuzevakken", "keuzevakken", v.keuzevakken[lw],
                    _keuzevak_count(t.own_profielmodulen, t.keuzevakken, t.foreign, need_pm, max_f),
                    _keuzevak_count(t.done_own_profielmodulen, t.done_keuzevakken, t.done_foreign, need_pm, max_f),
                    regulation.cite("keuzevakken")),
    )


# --- package_completable --------------------------------------------------------------------

def package_completable(modules: tuple[ModuleRef, ...], leerweg: str, regulation: Regulation,
                        policy: SchoolPolicyInput | None = None,
                        offering: OfferingInput | None = None) -> Verdict:
    """Can a student of `leerweg` complete the regulation choosing only from `modules`?

    A module is usable when it is published, not oriënterend, has an elaboration for the
    leerweg, and (with an offering) is offered for the leerweg in some year and licensed.
    """
    _check(leerweg in LEERWEGEN, "leerweg", f"onbekende leerweg {leerweg!r}", f"unknown leerweg {leerweg!r}")
    policy = policy or _NO_POLICY
    spv = regulation.kind == "spv-modulair"
    out: list[Finding] = []
    usable: dict[str, ModuleRef] = {}
    for m in sorted(modules, key=lambda m: m.code):
        reason = _unusable(m, leerweg, regulation, offering, spv)
        if reason:
            out.append(finding("PACKAGE_MODULE_UNUSABLE", f"De module {m.code} ({m.title}) telt niet mee: {reason}.",
                               subject=m.code))
        else:
            usable.setdefault(m.code, m)
    if spv:
        _package_spv(tuple(usable.values()), leerweg, regulation, policy, out)
    else:
        _package_current(tuple(usable.values()), leerweg, regulation, offering, out)
    return Verdict.of(out)


def _unusable(m: ModuleRef, leerweg: str, regulation: Regulation, offering: OfferingInput | None,
              spv: bool) -> str | None:
    if m.status != "published":
        return "deze versie is niet (meer) gepubliceerd"
    if m.module_type == "ORIENTING":
        return "een oriënterende module hoort bij de onderbouw"
    if leerweg not in m.leerwegen:
        return f"er is geen uitwerking voor de leerweg {leerweg}"
    if offering is not None:
        if not offering.offers(m.code, leerweg):
            return f"de school biedt hem niet aan voor de leerweg {leerweg}"
        if (spv and regulation.values.licence_required and m.profielen
                and not any(offering.licensed_any_year(p) for p in m.profielen)):
            return "de school heeft geen licentie voor het profiel"
    return None


def _package_spv(usable: tuple[ModuleRef, ...], leerweg: str, regulation: Regulation,
                 policy: SchoolPolicyInput, out: list[Finding]) -> None:
    v = regulation.values
    need = v.min_units[leerweg] + policy.extra_min_units.get(leerweg, 0)
    units = sum(m.units for m in usable)
    intro = sum(m.units for m in usable if m.module_type == "INTRODUCTORY")
    deep = units - intro
    if units < need:
        out.append(finding("PACKAGE_UNITS_TOO_FEW",
                           f"Met deze modules komt een leerling in de leerweg {leerweg} aan {units} "
                           f"{_units(units)}; er zijn er minimaal {need} nodig.",
                           source=regulation.cite("min_units", leerweg)))
    missing, comp, need_i, need_d = _best_composition(regulation, policy, intro, deep)
    if missing:
        out.append(finding("PACKAGE_COMPOSITION_IMPOSSIBLE",
                           f"Met deze modules lukt geen enkele samenstelling; voor '{comp.title}' zijn {need_i} "
                           f"kennismakende en {need_d} verdiepende eenheden nodig (er zijn er {intro} en {deep}).",
                           source=regulation.cite("compositions")))
    if policy.introductory_before_deepening and deep and not intro:
        out.append(finding("PACKAGE_INTRODUCTORY_MISSING",
                           "Op deze school volg je eerst een kennismakende module, maar dit pakket heeft er geen."))
    limit = min(x for x in (v.max_units_per_year, policy.max_units_per_year) if x is not None)
    capacity = limit * v.upper_years[leerweg]
    if need > capacity:
        out.append(finding("PACKAGE_YEAR_CAPACITY",
                           f"{need} eenheden passen niet in {v.upper_years[leerweg]} schooljaren van ten hoogste "
                           f"{limit} eenheden.", source=regulation.cite("max_units_per_year")))


def _package_current(usable: tuple[ModuleRef, ...], leerweg: str, regulation: Regulation,
                     offering: OfferingInput | None, out: list[Finding]) -> None:
    v = regulation.values
    need_pm = v.profielmodulen[leerweg]
    need_kv = v.keuzevakken[leerweg]
    profielen = sorted({p for m in usable if m.legacy_kind == "profielmodule" for p in m.profielen})
    if offering is not None and v.licence_required:
        profielen = [p for p in profielen if offering.licensed_any_year(p)]
    keuze = sum(1 for m in usable if m.legacy_kind == "keuzevak")

    def keuzevakken_for(profiel: str | None) -> int:
        own = sum(1 for m in usable if m.legacy_kind == "profielmodule" and profiel in m.profielen)
        foreign = sum(1 for m in usable if m.legacy_kind == "profielmodule" and profiel not in m.profielen)
        return _keuzevak_count(own, keuze, foreign, need_pm, v.max_foreign_profielmodulen)

    if need_pm:
        complete = [p for p in profielen
                    if sum(1 for m in usable if m.legacy_kind == "profielmodule" and p in m.profielen) >= need_pm]
        if not complete:
            out.append(finding("PACKAGE_PROFIELVAK_IMPOSSIBLE",
                               f"Geen profiel (met licentie) heeft in dit pakket {need_pm} profielmodulen voor de "
                               f"leerweg {leerweg}.", source=regulation.cite("profielmodulen")))
            return
        best = max(keuzevakken_for(p) for p in complete)
    else:
        best = keuzevakken_for(None)
    if best < need_kv:
        out.append(finding("PACKAGE_KEUZEVAKKEN_TOO_FEW",
                           f"In de leerweg {leerweg} zijn {need_kv} keuzevakken nodig; dit pakket biedt er {best}.",
                           source=regulation.cite("keuzevakken")))
