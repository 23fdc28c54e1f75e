"""validate_programme, remaining_requirements and package_completable, per rule, each case citing its source."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from maatwerk.rules import (
    ModuleRef,
    OfferingInput,
    ProgrammeInput,
    ProgrammeItemInput,
    RulesInputError,
    SchoolPolicyInput,
    Severity,
    package_completable,
    remaining_requirements,
    validate_programme,
)

from .rules_support import CURRENT, MODULAR, item, module, programme

LEERWEGEN = ("BB", "KB", "GL", "TL")


def intro(code, **kw):
    return module(code, "INTRODUCTORY", **kw)


def deep(code, **kw):
    return module(code, "DEEPENING", **kw)


def offer_all(*modules, years=(2024, 2025, 2026), licensed=("ZW", "EO", "BWI", "PIE")):
    return OfferingInput(frozenset((m.code, y, lw) for m in modules for y in years for lw in LEERWEGEN),
                         frozenset(licensed))


def spread(*modules, status="planned"):
    """Items over leerjaar 3 (2025) and 4 (2026), four per year."""
    return tuple(item(m, 2025 + (i // 4), 3 + (i // 4), status) for i, m in enumerate(modules))


BASE_MODULES = (intro("K1"), intro("K2"), *(deep(f"V{i}") for i in range(1, 7)))
OFFER = offer_all(*BASE_MODULES)


def check(prog, regulation=MODULAR, policy=None, offering=OFFER):
    return validate_programme(prog, regulation, policy, offering)


def errors(verdict):
    return [(f.code, f.subject) for f in verdict.errors]


def test_a_complete_modular_programme_is_valid():
    v = check(programme("KB", *spread(*BASE_MODULES)))
    assert v.ok
    assert v.findings == ()


# --- spv-modulair ------------------------------------------------------------------------------------

def test_the_kern_is_always_part_of_the_programme():
    # seed, Uitwerking: "een leerling in het vmbo volgt altijd de compacte kern".
    v = check(programme("KB", *spread(*BASE_MODULES), kern_included=False))
    assert errors(v) == [("PROGRAMME_KERN_MISSING", None)]


@pytest.mark.parametrize(("leerweg", "count", "ok"), [
    ("BB", 8, True), ("BB", 7, False), ("KB", 7, False), ("GL", 6, True), ("GL", 5, False), ("TL", 4, True),
    ("TL", 3, False),
])
def test_national_minimum_of_units_per_leerweg(leerweg, count, ok):
    # parameter min_units: BB 8, KB 8, GL 6, TL 4 (seed, Uitwerking: "landelijk wordt bepaald hoeveel eenheden").
    v = check(programme(leerweg, *spread(*BASE_MODULES[:count])))
    assert v.ok is ok
    if not ok:
        assert errors(v) == [("PROGRAMME_UNITS_TOO_FEW", None)]
        assert v.errors[0].source == f"parameter min_units.{leerweg}"


def test_the_school_may_ask_for_more_units():
    policy = SchoolPolicyInput(extra_min_units={"KB": 1})
    assert errors(check(programme("KB", *spread(*BASE_MODULES)), policy=policy)) == [("PROGRAMME_UNITS_TOO_FEW", None)]


@pytest.mark.parametrize(("modules", "ok", "why"), [
    ((intro("K1"), *(deep(f"V{i}") for i in range(7))), True, "een werkveld en keuzevakken: 1 K + 7 V"),
    (tuple(deep(f"V{i}") for i in range(8)), False, "no werkveld: every 2022 composition has one"),
    ((intro("K1"), intro("K2"), intro("K3"), intro("K4")), True, "meer werkvelden (TL: 4 K, no V)"),
    ((intro("K1"), deep("V1"), deep("V2"), deep("V3")), True, "een werkveld en keuzevakken (TL)"),
])
def test_composition_choices_of_the_2022_model(modules, ok, why):
    leerweg = "TL" if len(modules) == 4 else "KB"
    v = check(programme(leerweg, *spread(*modules)), offering=offer_all(*modules))
    assert v.ok is ok, why
    if not ok:
        assert errors(v) == [("PROGRAMME_COMPOSITION_NOT_MET", None)]
        assert "een werkveld en keuzevakken" in v.errors[0].message


def test_the_school_may_ask_for_more_kennismakende_units():
    policy = SchoolPolicyInput(extra_min_introductory=2)
    v = check(programme("KB", *spread(*BASE_MODULES)), policy=policy)
    assert errors(v) == [("PROGRAMME_COMPOSITION_NOT_MET", None)]


def test_module_not_offered_for_the_leerweg_in_that_year():
    offering = OfferingInput(OFFER.offered - {("V6", 2026, "KB")}, OFFER.licensed_profielen)
    v = check(programme("KB", *spread(*BASE_MODULES)), offering=offering)
    assert errors(v) == [("PROGRAMME_MODULE_NOT_OFFERED", "V6")]
    assert "2026-2027" in v.errors[0].message


def test_completed_items_are_not_checked_against_todays_offering():
    offering = OfferingInput(frozenset(), OFFER.licensed_profielen)
    assert check(programme("KB", *spread(*BASE_MODULES, status="completed")), offering=offering).ok


def test_module_without_elaboration_for_the_leerweg():
    modules = (*BASE_MODULES[:7], deep("V7", leerwegen=("GL", "TL")))
    v = check(programme("KB", *spread(*modules)), offering=offer_all(*modules))
    assert errors(v) == [("PROGRAMME_MODULE_WRONG_LEERWEG", "V7")]


def test_module_of_a_profiel_the_school_has_no_licence_for():
    modules = (*BASE_MODULES[:7], deep("V7", profielen=("ZW", "MVI")))
    assert check(programme("KB", *spread(*modules)), offering=offer_all(*modules)).ok  # ZW licensed
    v = check(programme("KB", *spread(*modules)), offering=offer_all(*modules, licensed=("EO",)))
    assert errors(v) == [("PROGRAMME_PROFIEL_NOT_LICENSED", "V7")]
    assert v.errors[0].source == "parameter licence_required"
    # per school year: licensed in 2025 only, the module is planned in 2026
    per_year = OfferingInput(offer_all(*modules).offered, {2025: frozenset({"ZW"}), 2026: frozenset()})
    assert errors(check(programme("KB", *spread(*modules)), offering=per_year)) == [
        ("PROGRAMME_PROFIEL_NOT_LICENSED", "V7")]
    # a pilot without licences
    no_licences = MODULAR.with_overrides({"licence_required": False})
    assert check(programme("KB", *spread(*modules)), no_licences, offering=offer_all(*modules, licensed=())).ok


def test_kennismakend_before_verdiepend_when_the_school_says_so():
    # seed, Verdiepende modulen: "Het is aan een school te bepalen of een leerling eerst een kennismakende module
    # moet volgen".
    policy = SchoolPolicyInput(introductory_before_deepening=True)
    late = (item(deep("V1"), 2025), item(deep("V2"), 2025), item(intro("K1"), 2026, 4), item(intro("K2"), 2026, 4),
            *(item(deep(f"V{i}"), 2026, 4) for i in range(3, 7)))
    assert check(programme("KB", *late)).ok
    v = check(programme("KB", *late), policy=policy)
    assert errors(v) == [("PROGRAMME_INTRODUCTORY_FIRST", "V1"), ("PROGRAMME_INTRODUCTORY_FIRST", "V2")]
    assert check(programme("KB", *spread(*BASE_MODULES)), policy=policy).ok  # same year is fine


def test_no_kennismakend_at_all_with_the_policy():
    policy = SchoolPolicyInput(introductory_before_deepening=True)
    v = check(programme("KB", item(deep("V1"))), policy=policy)
    assert ("PROGRAMME_INTRODUCTORY_FIRST", "V1") in errors(v)


@pytest.mark.parametrize(("status", "item_status", "code", "severity"), [
    ("withdrawn", "planned", "PROGRAMME_MODULE_WITHDRAWN", Severity.ERROR),
    ("withdrawn", "enrolled", "PROGRAMME_MODULE_WITHDRAWN", Severity.WARNING),
    ("withdrawn", "completed", "PROGRAMME_MODULE_WITHDRAWN", Severity.WARNING),
    ("retired", "planned", "PROGRAMME_MODULE_RETIRED", Severity.ERROR),
    ("retired", "completed", "PROGRAMME_MODULE_RETIRED", Severity.WARNING),
    ("superseded", "planned", "PROGRAMME_MODULE_SUPERSEDED", Severity.WARNING),
])
def test_withdrawn_retired_and_superseded_modules(status, item_status, code, severity):
    # a student who is enrolled in or completed a module keeps it: only a warning then
    old = deep("V6", status=status)
    items = (*spread(*BASE_MODULES[:7]), item(old, 2026, 4, item_status))
    v = check(programme("KB", *items))
    assert [(f.code, f.severity) for f in v.findings] == [(code, severity)]
    assert v.ok is (severity is not Severity.ERROR)


def test_superseded_versions_already_followed_are_fine():
    items = (*spread(*BASE_MODULES[:7]), item(deep("V6", status="superseded"), 2026, 4, "completed"))
    assert check(programme("KB", *items)).findings == ()


def test_retired_source_in_the_modular_regulation():
    v = check(programme("KB", *spread(*BASE_MODULES[:7]), item(deep("V6", status="retired"), 2026, 4)))
    assert v.errors[0].source == "parameter removal_years"
    v = check(programme("BB", item(deep("V6", status="retired", legacy_kind="keuzevak")), profiel="BWI"), CURRENT)
    assert v.has("PROGRAMME_MODULE_RETIRED")
    assert [f.source for f in v.findings if f.code == "PROGRAMME_MODULE_RETIRED"] == [
        "menukaart: status van de moduleversie (spv-modulair: parameter removal_years)"]


def test_duplicates():
    items = (*spread(*BASE_MODULES), item(deep("V1"), 2026, 4))
    v = check(programme("KB", *items))
    assert ("PROGRAMME_DUPLICATE_MODULE", "V1") in errors(v)
    # a retake after not_completed is not a duplicate
    retake = (*spread(*BASE_MODULES[1:]), item(intro("K1"), 2025, 3, "not_completed"), item(intro("K1"), 2026, 4))
    assert check(programme("KB", *retake)).ok


def test_too_many_units_in_one_school_year():
    # parameter max_units_per_year 6; the school may set a lower maximum.
    heavy = tuple(item(m, 2025) for m in BASE_MODULES[:7]) + (item(BASE_MODULES[7], 2026, 4),)
    v = check(programme("KB", *heavy))
    assert errors(v) == [("PROGRAMME_YEAR_UNITS_EXCEEDED", "2025")]
    assert v.errors[0].source == "parameter max_units_per_year"
    v = check(programme("KB", *spread(*BASE_MODULES)), policy=SchoolPolicyInput(max_units_per_year=3))
    assert [f.subject for f in v.errors] == ["2025", "2026"]
    assert v.errors[0].source.startswith("schoolbeleid")


def test_orienting_modules_belong_to_the_onderbouw():
    # seed, Oriënterende modulen in de onderbouw; parameter upper_year_start 3.
    orienting = module("O1", "ORIENTING")
    v = check(programme("KB", item(orienting, 2023, 2, "completed"), *spread(*BASE_MODULES)))
    assert v.ok
    v = check(programme("KB", item(orienting, 2025, 3), *spread(*BASE_MODULES)), offering=offer_all(
        orienting, *BASE_MODULES))
    assert errors(v) == [("PROGRAMME_ORIENTING_IN_UPPER_YEARS", "O1")]


def test_module_size_differs_from_the_fixed_size():
    big = deep("V6", units=2)
    v = check(programme("KB", *spread(*BASE_MODULES[:7]), item(big, 2026, 4)), offering=offer_all(*BASE_MODULES))
    assert [(f.code, f.severity) for f in v.findings] == [("PROGRAMME_MODULE_SIZE", Severity.WARNING)]


def test_not_completed_items_do_not_count():
    items = (*spread(*BASE_MODULES[:7]), item(BASE_MODULES[7], 2026, 4, "not_completed"))
    assert errors(check(programme("KB", *items))) == [("PROGRAMME_UNITS_TOO_FEW", None)]


# --- vmbo-huidig --------------------------------------------------------------------------------------

def pm(code, profiel="BWI", leerwegen=("BB", "KB", "GL"), **kw):
    return deep(code, legacy_kind="profielmodule", profielen=(profiel,), leerwegen=leerwegen, **kw)


def kv(code, **kw):
    return deep(code, legacy_kind="keuzevak", **kw)


BWI = (pm("BWI1"), pm("BWI2", leerwegen=("BB", "KB")), pm("BWI3", leerwegen=("BB", "KB")), pm("BWI4"))
KV = tuple(kv(f"KV{i}") for i in range(1, 5))


def current(leerweg, *modules, profiel="BWI", offering=None, **kw):
    modules_ = tuple(modules)
    return validate_programme(programme(leerweg, *(item(m, 2025) for m in modules_), profiel=profiel), CURRENT,
                              kw.get("policy"), offering or offer_all(*modules_))


@pytest.mark.parametrize(("leerweg", "modules", "expected", "why"), [
    ("BB", BWI + KV, [], "UB 3.5 lid 1 sub c: profielvak (4 profielmodulen) and four keuzevakken"),
    ("KB", BWI[:3] + KV, [("PROGRAMME_PROFIELVAK_INCOMPLETE", "BWI")], "UB 3.6: four profielmodulen"),
    ("KB", BWI + KV[:3], [("PROGRAMME_KEUZEVAKKEN_TOO_FEW", None)], "UB 3.6 lid 1 sub c 2°: four keuzevakken"),
    ("GL", (BWI[0], BWI[3]) + KV[:2], [], "UB 3.7 lid 1 sub d: two designated profielmodulen and two keuzevakken"),
    ("GL", (BWI[0], BWI[3], pm("BWI5", leerwegen=("GL",)), pm("BWI6", leerwegen=("GL",))), [],
     "GL: the other profielmodulen may serve as keuzevak"),
    ("BB", BWI + KV[:2] + (pm("ZW1", "ZW"), pm("ZW2", "ZW")), [],
     "at most two profielmodulen of another profiel count as keuzevak"),
    ("BB", BWI + KV[:1] + (pm("ZW1", "ZW"), pm("ZW2", "ZW"), pm("ZW3", "ZW")),
     [("PROGRAMME_FOREIGN_PROFIELMODULEN", None), ("PROGRAMME_KEUZEVAKKEN_TOO_FEW", None)],
     "a third profielmodule of another profiel does not count"),
    ("TL", (), [], "UB 3.4: TL has no beroepsgericht programme"),
])
def test_current_beroepsgericht_programme(leerweg, modules, expected, why):
    v = current(leerweg, *modules)
    assert errors(v) == expected, why


def test_current_needs_a_profiel_in_the_beroepsgerichte_leerwegen():
    v = current("KB", *KV, profiel=None)
    assert ("PROGRAMME_NO_PROFIEL", None) in errors(v)


def test_current_profiel_licence():
    v = current("BB", *BWI, *KV, offering=offer_all(*BWI, *KV, licensed=("ZW",)))
    assert errors(v) == [("PROGRAMME_PROFIEL_NOT_LICENSED", "BWI")]
    assert v.errors[0].source == "WVO 2020 art. 4.5 (profiel vbo alleen met toestemming)"
    per_year = OfferingInput(offer_all(*BWI, *KV).offered, {2025: frozenset({"BWI"})})
    assert current("BB", *BWI, *KV, offering=per_year).ok
    # without active items the cohort year is checked
    empty = validate_programme(programme("BB", item(KV[0], 2024, 3, "completed"), profiel="BWI"), CURRENT, None,
                               OfferingInput(frozenset(), {2025: frozenset({"BWI"})}))
    assert not empty.has("PROGRAMME_PROFIEL_NOT_LICENSED")


def test_current_modules_that_are_not_profielmodule_or_keuzevak_do_not_count():
    v = current("BB", *BWI, *KV, deep("NEW1"))
    assert v.ok
    assert [(f.code, f.subject) for f in v.warnings] == [("PROGRAMME_MODULE_NOT_COUNTED", "NEW1")]


def test_current_without_offering_or_policy():
    v = validate_programme(programme("BB", *(item(m) for m in BWI + KV), profiel="BWI"), CURRENT)
    assert v.ok


# --- remaining_requirements ------------------------------------------------------------------------

def test_remaining_requirements_modular():
    prog = programme("KB", item(intro("K1")), item(deep("V1"), status="completed"), item(deep("V2")))
    reqs = {r.key: r for r in remaining_requirements(prog, MODULAR)}
    assert (reqs["units"].required, reqs["units"].counted, reqs["units"].completed, reqs["units"].missing) == (
        8, 3, 1, 5)
    assert reqs["units"].message == "nog 5 eenheden in totaal"
    assert (reqs["introductory"].missing, reqs["deepening"].missing) == (0, 0)
    assert reqs["introductory"].message.startswith("kennismakend (een werkveld en keuzevakken): voldaan")
    policy = SchoolPolicyInput(extra_min_introductory=2)
    reqs = {r.key: r for r in remaining_requirements(prog, MODULAR, policy)}
    assert reqs["introductory"].missing == 2
    assert reqs["introductory"].message == "nog 2 eenheden kennismakend (een werkveld en keuzevakken)"


def test_remaining_requirements_one_unit():
    prog = programme("KB", *spread(*BASE_MODULES[:7]))
    assert remaining_requirements(prog, MODULAR)[0].message == "nog 1 eenheid in totaal"


def test_remaining_requirements_current():
    prog = programme("BB", *(item(m) for m in BWI[:2]), item(KV[0], status="completed"), item(pm("ZW1", "ZW")),
                     profiel="BWI")
    profielmodulen, keuzevakken = remaining_requirements(prog, CURRENT)
    assert (profielmodulen.required, profielmodulen.counted, profielmodulen.missing) == (4, 2, 2)
    assert (keuzevakken.required, keuzevakken.counted, keuzevakken.completed, keuzevakken.missing) == (4, 2, 1, 2)
    assert profielmodulen.source.startswith("UB 3.5-3.7")


# --- package_completable ---------------------------------------------------------------------------

def test_package_that_can_be_completed():
    assert package_completable(BASE_MODULES, "KB", MODULAR, None, OFFER).ok


@pytest.mark.parametrize(("modules", "leerweg", "expected"), [
    (BASE_MODULES[:7], "KB", ["PACKAGE_UNITS_TOO_FEW"]),
    (BASE_MODULES[:7], "GL", []),
    (tuple(deep(f"V{i}") for i in range(8)), "KB", ["PACKAGE_COMPOSITION_IMPOSSIBLE"]),
])
def test_package_units_and_composition(modules, leerweg, expected):
    v = package_completable(modules, leerweg, MODULAR)
    assert [f.code for f in v.errors] == expected


def test_package_lists_the_modules_it_cannot_use():
    modules = (*BASE_MODULES, deep("W", status="withdrawn"), module("O", "ORIENTING"), deep("G", leerwegen=("GL",)),
               deep("Z", profielen=("MVI",)), deep("N"))
    offering = offer_all(*modules[:-1], licensed=("ZW", "EO", "BWI", "PIE"))
    v = package_completable(modules, "KB", MODULAR, None, offering)
    assert v.ok
    assert [f.subject for f in v.findings] == ["G", "N", "O", "W", "Z"]
    assert all(f.code == "PACKAGE_MODULE_UNUSABLE" and f.severity is Severity.INFO for f in v.findings)


def test_package_with_licences_per_year():
    offering = OfferingInput(offer_all(deep("Z", profielen=("MVI",))).offered, {2025: frozenset({"MVI"})})
    assert package_completable((deep("Z", profielen=("MVI",)),), "KB", MODULAR, None, offering).findings[0].code == (
        "PACKAGE_UNITS_TOO_FEW")


def test_package_needs_a_kennismakende_module_when_the_school_asks_for_it():
    lenient = MODULAR.with_overrides({"compositions": [{"id": "v", "title": "alleen verdiepend",
                                                        "min_introductory": 0, "min_deepening": 1}]})
    modules = tuple(deep(f"V{i}") for i in range(8))
    assert package_completable(modules, "KB", lenient).ok
    v = package_completable(modules, "KB", lenient, SchoolPolicyInput(introductory_before_deepening=True))
    assert [f.code for f in v.errors] == ["PACKAGE_INTRODUCTORY_MISSING"]


def test_package_year_capacity():
    v = package_completable(BASE_MODULES, "KB", MODULAR, SchoolPolicyInput(max_units_per_year=3))
    assert [f.code for f in v.errors] == ["PACKAGE_YEAR_CAPACITY"]


@pytest.mark.parametrize(("modules", "leerweg", "licensed", "expected"), [
    (BWI + KV, "BB", None, []),
    ((BWI[0], BWI[3]) + KV[:2], "GL", None, []),
    (BWI[:3] + KV, "KB", None, ["PACKAGE_PROFIELVAK_IMPOSSIBLE"]),
    (BWI + KV, "KB", ("ZW",), ["PACKAGE_PROFIELVAK_IMPOSSIBLE"]),
    (BWI + KV[:3], "KB", None, ["PACKAGE_KEUZEVAKKEN_TOO_FEW"]),
    (BWI + KV[:2] + (pm("ZW1", "ZW"), pm("ZW2", "ZW")), "KB", None, []),
    ((), "TL", None, []),
])
def test_package_current(modules, leerweg, licensed, expected):
    offering = offer_all(*modules, licensed=licensed) if licensed else None
    v = package_completable(modules, leerweg, CURRENT, None, offering)
    assert [f.code for f in v.errors] == expected


def test_package_rejects_an_unknown_leerweg():
    with pytest.raises(RulesInputError):
        package_completable((), "XX", MODULAR)


# --- inputs -------------------------------------------------------------------------------------------

@pytest.mark.parametrize(("make", "field"), [
    (lambda: ModuleRef("", 1, "t", "DEEPENING"), "module.code"),
    (lambda: ModuleRef("M", 1, "t", "DEEP"), "M.module_type"),
    (lambda: ModuleRef("M", 1, "t", "DEEPENING", units=0), "M.units"),
    (lambda: ModuleRef("M", 1, "t", "DEEPENING", units=True), "M.units"),
    (lambda: ModuleRef("M", 1, "t", "DEEPENING", leerwegen=("XX",)), "M.leerwegen"),
    (lambda: ModuleRef("M", 1, "t", "DEEPENING", legacy_kind="vak"), "M.legacy_kind"),
    (lambda: ModuleRef("M", 1, "t", "DEEPENING", status="draft"), "M.status"),
    (lambda: ProgrammeItemInput(module("M"), 2025, 3, "busy"), "M.status"),
    (lambda: ProgrammeInput("S", "XX", 3, 2025, None, ()), "leerweg"),
    (lambda: SchoolPolicyInput(extra_min_units={"XX": 1}), "extra_min_units"),
])
def test_bad_inputs_name_the_field(make, field):
    with pytest.raises(RulesInputError) as exc:
        make()
    assert exc.value.field == field


def test_inputs_accept_lists_and_are_frozen():
    m = ModuleRef("M", 1, "t", "DEEPENING", profielen=["ZW"], leerwegen=["KB"])
    assert m.profielen == ("ZW",) and m.leerwegen == ("KB",)
    prog = ProgrammeInput("S", "KB", 3, 2025, None, [item(m)])
    assert isinstance(prog.items, tuple)
    offering = OfferingInput({("M", 2025, "KB")}, ["ZW"])
    assert offering.offers("M", "KB") and not offering.offers("M", "BB") and offering.licensed("ZW", 1999)


# --- property: a stricter minimum never makes more programmes valid -------------------------------

POOL = (*BASE_MODULES, intro("K3"), deep("V7"), deep("V8"), deep("V9", status="withdrawn"))
POOL_OFFER = offer_all(*POOL)


@st.composite
def programmes(draw):
    leerweg = draw(st.sampled_from(LEERWEGEN))
    chosen = draw(st.lists(st.sampled_from(POOL), max_size=11))
    items = tuple(item(m, draw(st.sampled_from((2025, 2026))), 3,
                       draw(st.sampled_from(("planned", "enrolled", "completed", "not_completed")))) for m in chosen)
    return programme(leerweg, *items, kern_included=draw(st.booleans()))


@given(programmes(), st.sampled_from(LEERWEGEN), st.integers(min_value=0, max_value=4),
       st.sampled_from(("min_units", "extra_intro", "extra_deep", "max_per_year")))
def test_a_stricter_minimum_never_makes_a_programme_valid(prog, leerweg, extra, which):
    base_policy = SchoolPolicyInput()
    if which == "min_units":
        stricter_reg, policy = MODULAR.with_overrides({f"min_units.{leerweg}": MODULAR.value("min_units")[leerweg]
                                                       + extra}), base_policy
    elif which == "extra_intro":
        stricter_reg, policy = MODULAR, SchoolPolicyInput(extra_min_introductory=extra)
    elif which == "extra_deep":
        stricter_reg, policy = MODULAR, SchoolPolicyInput(extra_min_deepening=extra)
    else:
        stricter_reg, policy = MODULAR, SchoolPolicyInput(max_units_per_year=6 - extra)
    before = validate_programme(prog, MODULAR, base_policy, POOL_OFFER)
    after = validate_programme(prog, stricter_reg, policy, POOL_OFFER)
    assert after.ok <= before.ok
    assert {f.code for f in before.errors} <= {f.code for f in after.errors}
