"""Regulations as data: loading, validation with errors naming the key, cohorts, overrides, pilot parameters."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maatwerk.rules import RegulationError, list_regulations, load_regulation, regulation_for_cohort
from maatwerk.rules.regulation import SCHEMA, parse_regulation

from .rules_support import CURRENT, MODULAR


def test_both_regulations_ship():
    assert [r.id for r in list_regulations()] == ["spv-modulair", "vmbo-huidig"]
    assert CURRENT.kind == "vmbo-huidig" and CURRENT.statutory
    assert MODULAR.kind == "spv-modulair" and not MODULAR.statutory


def test_every_parameter_is_documented_with_a_source():
    for regulation in list_regulations():
        assert set(regulation.parameters) == set(SCHEMA[regulation.kind])
        for p in regulation.parameters.values():
            assert p.description.strip() and p.source.strip(), p.name


def test_the_law_is_not_a_pilot_and_the_open_numbers_are():
    assert not any(p.pilot for p in CURRENT.parameters.values())
    # every number the seed leaves open ("Losse eindjes") is a pilot parameter in spv-modulair
    for name in ("module_size_units", "min_units", "compositions", "max_units_per_year",
                 "compensation_max_insufficient", "compensation_min_grade", "compensation_min_mean",
                 "module_pass_mark", "removal_years", "review_cycle_years", "update_deadline_years"):
        assert MODULAR.parameters[name].pilot, name


@pytest.mark.parametrize(("name", "value"), [
    ("ce_mean_min", Decimal("5.5")),          # UB 3.35 lid 1 sub a
    ("nederlands_min", 5),                     # UB 3.35 lid 1 sub b
    ("combination_part_min", 4),               # UB 3.35 lid 1 sub d
    ("cum_laude_min_mean", Decimal("8.0")),    # UB 3.48
    ("lwt_min_grade", 6),                      # UB 3.35 lid 6
    ("se_attempt_rule", "highest"),            # UB 3.16 lid 5
])
def test_today_s_numbers(name, value):
    assert CURRENT.value(name) == value


def test_keuzevakken_and_profielmodulen_per_leerweg():
    # UB 3.5-3.7: BB and KB four keuzevakken, GL two; TL none (UB 3.4).
    assert dict(CURRENT.value("keuzevakken")) == {"BB": 4, "KB": 4, "GL": 2, "TL": 0}
    assert dict(CURRENT.value("profielmodulen")) == {"BB": 4, "KB": 4, "GL": 2, "TL": 0}


def test_modular_defaults():
    assert dict(MODULAR.value("min_units")) == {"BB": 8, "KB": 8, "GL": 6, "TL": 4}
    assert MODULAR.value("module_size_units") == 1
    assert MODULAR.value("module_pass_mark") == Decimal("5.5")
    assert [c.id for c in MODULAR.value("compositions")] == [
        "een-werkveld-en-keuzevakken", "meer-werkvelden-en-keuzevakken", "meer-werkvelden"]
    assert (MODULAR.value("removal_years"), MODULAR.value("review_cycle_years"),
            MODULAR.value("update_deadline_years")) == (5, 5, 1)


def test_cite():
    assert CURRENT.cite("ce_mean_min") == "UB 3.35 lid 1 sub a"
    assert MODULAR.cite("min_units", "KB") == "parameter min_units.KB"
    assert MODULAR.cite("compositions") == "parameter compositions"


@pytest.mark.parametrize(("cohort", "kind", "expected"), [
    (2021, None, "vmbo-huidig"),
    (2025, None, "vmbo-huidig"),
    (2025, "spv-modulair", "spv-modulair"),
    (2024, "vmbo-huidig", "vmbo-huidig"),
])
def test_regulation_for_cohort(cohort, kind, expected):
    assert regulation_for_cohort(cohort, kind).id == expected


@pytest.mark.parametrize(("cohort", "kind"), [(2020, None), (2023, "spv-modulair")])
def test_no_regulation_for_cohort(cohort, kind):
    with pytest.raises(LookupError, match=str(cohort)):
        regulation_for_cohort(cohort, kind)


def test_unknown_regulation():
    with pytest.raises(LookupError, match="onbekende regeling 'x'.*unknown regulation"):
        load_regulation("x")


def test_applies_to_with_an_end_cohort():
    text = _toml().replace("first_cohort = 2021", "first_cohort = 2021\nlast_cohort = 2023")
    r = parse_regulation(text, "vmbo-huidig.toml")
    assert r.applies_to(2023) and not r.applies_to(2024) and not r.applies_to(2020)


# --- validation --------------------------------------------------------------------------------------

def _toml() -> str:
    from importlib import resources

    return resources.files("maatwerk.rules").joinpath("regulations", "vmbo-huidig.toml").read_text(encoding="utf-8")


def _sub(old: str, new: str) -> str:
    text = _toml()
    assert old in text, old
    return text.replace(old, new, 1)


@pytest.mark.parametrize(("text", "path", "nl"), [
    (_sub("KB = 4, GL = 2, TL = 0 }", "KB = 4, GL = 2, XX = 0 }"), "parameters.keuzevakken.value.XX", "onbekende leerweg"),
    (_sub("{ BB = 4, KB = 4, GL = 2, TL = 0 }\npilot = false\nsource = \"UB 3.5 lid 1",
          "{ BB = 4, KB = 4, GL = 2 }\npilot = false\nsource = \"UB 3.5 lid 1"), "parameters.keuzevakken.value.TL",
     "ontbreekt"),
    (_sub("value = 5.5\npilot = false\nsource = \"UB 3.35 lid 1 sub a\"",
          "value = 11\npilot = false\nsource = \"UB 3.35 lid 1 sub a\""), "parameters.ce_mean_min.value",
     "moet tussen 1 en 10 liggen"),
    (_sub("value = 5.5\npilot = false\nsource = \"UB 3.35 lid 1 sub a\"",
          "value = true\npilot = false\nsource = \"UB 3.35 lid 1 sub a\""), "parameters.ce_mean_min.value",
     "moet een decimaal getal zijn"),
    (_sub("value = 5.5\npilot = false\nsource = \"UB 3.35 lid 1 sub a\"",
          "value = \"vijf\"\npilot = false\nsource = \"UB 3.35 lid 1 sub a\""), "parameters.ce_mean_min.value",
     "moet een decimaal getal zijn"),
    (_sub("value = 5\npilot = false\nsource = \"UB 3.35 lid 1 sub b\"",
          "value = \"5\"\npilot = false\nsource = \"UB 3.35 lid 1 sub b\""), "parameters.nederlands_min.value",
     "moet een geheel getal zijn"),
    (_sub("value = 4\npilot = false", "value = 0\npilot = false"), "parameters.combination_part_min.value",
     "moet tussen 1 en 10 liggen"),
    (_sub("value = true\npilot = false\nsource = \"WVO 2020 art. 2.60a (PTA)",
          "value = 1\npilot = false\nsource = \"WVO 2020 art. 2.60a (PTA)"),
     "parameters.loopbaandossier_required.value", "moet true of false zijn"),
    (_sub("value = \"highest\"", "value = \"best\""), "parameters.se_attempt_rule.value", "'best' is geen van"),
    (_sub("value = \"ne\"\npilot", "value = \"\"\npilot"), "parameters.nederlands_code.value",
     "moet een niet-lege tekst zijn"),
    (_sub("value = [\"ne\", \"en\", \"ma\"]", "value = \"ne\""), "parameters.gemeenschappelijk_codes.value",
     "moet een lijst zijn"),
    (_sub("value = [\"GL\", \"TL\"]", "value = [\"GL\", \"XL\"]"), "parameters.pws_leerwegen.value[1]",
     "'XL' is geen van"),
    (_sub("BB = [\"profielvak\", \"lo\", \"kunstvak\"], KB", "BB = [\"profielvak\", \"gym\"], KB"),
     "parameters.required_kinds.value.BB[1]", "'gym' is geen van"),
    (_sub("value = { BB = 4, KB = 4, GL = 2, TL = 0 }", "value = 4"), "parameters.keuzevakken.value",
     "moet een tabel zijn"),
    (_sub("pilot = false\nsource = \"UB 3.48\"", "pilot = \"no\"\nsource = \"UB 3.48\""),
     "parameters.cum_laude_min_mean.pilot", "moet true of false zijn"),
    (_sub("pilot = false\nsource = \"UB 3.48\"\n", "pilot = false\n"), "parameters.cum_laude_min_mean.source",
     "ontbreekt"),
    (_sub("pilot = false\nsource = \"UB 3.48\"\n", "pilot = false\nsource = \"UB 3.48\"\nnote = \"x\"\n"),
     "parameters.cum_laude_min_mean.note", "onbekende sleutel"),
    (_sub("[parameters.ce_mean_min]", "[parameters.min_units]"), "parameters.min_units",
     "onbekende parameter voor vmbo-huidig"),
    (_sub("[parameters.lwt_full_exam_rule]", "[parameters.lwt_full_exam_rule_old]"),
     "parameters.lwt_full_exam_rule_old", "onbekende parameter"),
    (_sub("[parameters.ce_mean_min]", "[parameters.cm]"), "parameters.cm", "onbekende parameter"),
    (_sub("id = \"vmbo-huidig\"", "id = \"vmbo\""), "id", "moet gelijk zijn aan de bestandsnaam"),
    (_sub("kind = \"vmbo-huidig\"", "kind = \"havo\""), "kind", "'havo' is geen van"),
    (_sub("first_cohort = 2021", "first_cohort = 1999"), "first_cohort", "moet tussen 2000 en 2100 liggen"),
    (_sub("first_cohort = 2021", "first_cohort = 2021\nlast_cohort = 2020"), "last_cohort", "ligt voor first_cohort"),
    (_sub("first_cohort = 2021", "first_cohort = 2021\nowner = \"x\""), "owner", "onbekende sleutel"),
    (_sub("title = ", "titel = "), "titel", "onbekende sleutel"),
    (_sub("description = \"\"\"", "description = 3\nx = \"\"\""), "x", "onbekende sleutel"),
    (_sub("id = \"vmbo-huidig\"", "id = "), "-", "geen geldige TOML"),
    (_toml().split("[parameters.")[0].replace("id = \"vmbo-huidig\"\n", ""), "id", "ontbreekt"),
    (_toml().split("[parameters.")[0], "parameters", "ontbreekt"),
    (_toml().split("[parameters.")[0] + "parameters = 3\n", "parameters", "moet een tabel zijn"),
    (_toml().split("[parameters.ce_mean_min]")[0] + "[parameters.ce_mean_min]\nvalue=5.5\n", "parameters.ce_mean_min.description",
     "ontbreekt"),
    (_toml().split("[parameters.lwt_full_exam_rule]")[0], "parameters.lwt_full_exam_rule", "ontbreekt"),
])
def test_bad_files_name_the_file_and_the_key(text, path, nl):
    with pytest.raises(RegulationError) as exc:
        parse_regulation(text, "vmbo-huidig.toml")
    assert exc.value.file == "vmbo-huidig.toml"
    assert exc.value.path == path
    assert nl in str(exc.value)
    assert " / " in str(exc.value)  # Dutch / English
    assert str(exc.value).startswith(f"vmbo-huidig.toml: {path}: ")


def test_description_must_be_text():
    text = _toml().split('description = """')[0] + 'description = 3\n' + "[parameters." + _toml().split(
        "[parameters.", 1)[1]
    with pytest.raises(RegulationError, match="description: moet tekst zijn"):
        parse_regulation(text, "vmbo-huidig.toml")


def test_a_text_without_a_file_name_keeps_its_id():
    assert parse_regulation(_toml().replace('id = "vmbo-huidig"', 'id = "x"'), "<tekst>").id == "x"


@pytest.mark.parametrize(("value", "path", "nl"), [
    ([], "overrides.compositions", "ten minste een keuze"),
    ([{"id": "a", "title": "A", "min_introductory": 1}], "overrides.compositions[0].min_deepening", "ontbreekt"),
    ([{"id": "a", "title": "A", "min_introductory": 1, "min_deepening": 0, "x": 1}], "overrides.compositions[0].x",
     "onbekende sleutel"),
    ([{"id": "a", "title": "A", "min_introductory": 1, "min_deepening": 0}] * 2, "overrides.compositions[1].id",
     "dubbele keuze"),
    ([{"id": "a", "title": "A", "min_introductory": -1, "min_deepening": 0}],
     "overrides.compositions[0].min_introductory", "moet tussen 0 en 100 liggen"),
    (["a"], "overrides.compositions[0]", "moet een tabel zijn"),
])
def test_bad_compositions(value, path, nl):
    with pytest.raises(RegulationError) as exc:
        MODULAR.with_overrides({"compositions": value})
    assert exc.value.path == path and nl in str(exc.value)
    assert exc.value.file == "spv-modulair (what-if)"


# --- overrides (what-if, pilots) ------------------------------------------------------------------

def test_overrides_are_validated_and_leave_the_original_alone():
    changed = MODULAR.with_overrides({"min_units.KB": 10, "min_units": {"BB": 9}, "compensation_min_mean": "6.5"})
    assert dict(changed.value("min_units")) == {"BB": 9, "KB": 10, "GL": 6, "TL": 4}
    assert changed.value("compensation_min_mean") == Decimal("6.5")
    assert changed.overrides == ("compensation_min_mean", "min_units")
    assert dict(MODULAR.value("min_units")) == {"BB": 8, "KB": 8, "GL": 6, "TL": 4}
    assert changed.values.min_units["KB"] == 10 and MODULAR.values.min_units["KB"] == 8
    again = changed.with_overrides({"max_units_per_year": 5})
    assert again.overrides == ("compensation_min_mean", "max_units_per_year", "min_units")


def test_no_overrides_is_the_same_regulation():
    assert MODULAR.with_overrides({}) is MODULAR


def test_a_whole_mapping_can_replace_a_per_leerweg_value():
    changed = CURRENT.with_overrides({"keuzevakken": {"BB": 3, "KB": 3, "GL": 1, "TL": 0}})
    assert dict(changed.value("keuzevakken")) == {"BB": 3, "KB": 3, "GL": 1, "TL": 0}


@pytest.mark.parametrize(("overrides", "path", "nl"), [
    ({"nope": 1}, "overrides.nope", "onbekende parameter"),
    ({"ce_mean_min.KB": 1}, "overrides.ce_mean_min.KB", "deze parameter heeft geen onderdelen"),
    ({"keuzevakken.XX": 1}, "overrides.keuzevakken.XX", "onbekende leerweg"),
    ({"keuzevakken": 4}, "overrides.keuzevakken", "moet een tabel zijn"),
    ({"ce_mean_min": 5.4}, "overrides.ce_mean_min", "geen float"),
    ({"ce_mean_min": "abc"}, "overrides.ce_mean_min", "moet een decimaal getal zijn"),
    ({"ce_mean_min": "NaN"}, "overrides.ce_mean_min", "moet tussen 1 en 10 liggen"),
    ({"keuzevakken.KB": -1}, "overrides.keuzevakken.KB", "moet tussen 0 en 20 liggen"),
])
def test_bad_overrides(overrides, path, nl):
    with pytest.raises(RegulationError) as exc:
        CURRENT.with_overrides(overrides)
    assert exc.value.path == path and nl in str(exc.value)


def test_regulations_compare_and_hash_by_value():
    assert load_regulation("vmbo-huidig") == CURRENT
    assert CURRENT != MODULAR
    assert len({CURRENT, load_regulation("vmbo-huidig"), MODULAR}) == 2
    assert CURRENT.with_overrides({"nederlands_min": 6}) != CURRENT


def test_docs_list_every_parameter_of_every_regulation():
    from pathlib import Path

    docs = (Path(__file__).resolve().parents[2] / "docs" / "rules.md").read_text(encoding="utf-8")
    for regulation in list_regulations():
        section = docs.split(f"#### `{regulation.id}`", 1)[1].split("####", 1)[0]
        for p in regulation.parameters.values():
            row = f"| `{p.name}` |"
            assert row in section, (regulation.id, p.name)
            assert ("| yes |" if p.pilot else "| no |") in section.split(row, 1)[1].split("\n", 1)[0], p.name
