"""The command line: `python -m maatwerk.rules.cli list | show ID | decide FILE --regulation ID [--format]`."""

from __future__ import annotations

import io
import json
import subprocess
import sys

import pytest

from maatwerk.rules.cli import main

FULL_KB = {
    "id": "A1", "leerweg": "KB", "leer_werktraject": False, "loopbaandossier_complete": True,
    "subjects": [
        {"code": "ne", "school_exam": 6.2, "central_exam": 5.8},
        {"code": "en", "school_exam": 6.5, "central_exam": 6.1},
        {"code": "ma", "school_exam": 7},
        {"code": "wi", "school_exam": 5.4, "central_exam": 4.5},
        {"code": "ec", "school_exam": 7.0, "central_exam": 7.1},
        {"code": "pv", "kind": "profielvak", "school_exam": 6.5, "central_exam": 6.1},
        {"code": "kv1", "kind": "keuzevak", "school_exam": 6},
        {"code": "kv2", "kind": "keuzevak", "school_exam": 7},
        {"code": "kv3", "kind": "keuzevak", "school_exam": 6},
        {"code": "kv4", "kind": "keuzevak", "school_exam": 5},
        {"code": "lo", "kind": "lo", "qualification": "voldoende"},
        {"code": "ckv", "kind": "kunstvak", "qualification": "goed"},
        {"code": "fa", "school_exam": 5.0, "central_exam": 1.1, "extra": True},
    ],
}


def run(argv, capsys, stdin=None, monkeypatch=None):
    if stdin is not None:
        monkeypatch.setattr(sys, "stdin", io.StringIO(stdin))
    code = main(argv)
    out, err = capsys.readouterr()
    return code, out, err


@pytest.fixture
def doc(tmp_path):
    def write(data, raw=None):
        path = tmp_path / "in.json"
        path.write_text(raw if raw is not None else json.dumps(data), encoding="utf-8")
        return str(path)
    return write


def test_decide_json_contract(doc, capsys):
    code, out, err = run(["decide", doc({"candidates": [FULL_KB]}), "--regulation", "vmbo-huidig"], capsys)
    assert code == 0 and err == ""
    result = json.loads(out)
    assert list(result) == ["decisions"]
    (d,) = result["decisions"]
    assert list(d) == ["id", "outcome", "final_grades", "combination_grade", "left_out", "cum_laude", "findings"]
    # wi: (5.4 + 4.5)/2 = 4.95 -> 5; fa: (5.0 + 1.1)/2 = 3.05 -> 3, left out by UB 3.33 lid 3
    assert d["id"] == "A1" and d["outcome"] == "PASSED"
    assert d["final_grades"]["wi"] == 5 and d["final_grades"]["fa"] == 3 and d["final_grades"]["ne"] == 6
    assert all(isinstance(v, int) for v in d["final_grades"].values())
    assert d["combination_grade"] == 6 and d["left_out"] == ["fa"] and d["cum_laude"] is False
    assert d["findings"] == [{"code": "EXAM_SUBJECT_LEFT_OUT", "severity": "info",
                              "message": d["findings"][0]["message"], "source": "UB 3.33 lid 3"}]


def test_decide_the_issue_example_is_incomplete_and_says_why(doc, capsys):
    example = {"candidates": [{
        "id": "A1", "leerweg": "KB", "leer_werktraject": False,
        "subjects": [
            {"code": "ne", "school_exam": 6.2, "central_exam": 5.8}, {"code": "ma", "school_exam": 7},
            {"code": "pv", "kind": "profielvak", "school_exam": 6.5, "central_exam": 6.1},
            {"code": "kv1", "kind": "keuzevak", "school_exam": 6},
            {"code": "lo", "kind": "lo", "qualification": "voldoende"},
            {"code": "ckv", "kind": "kunstvak", "qualification": "goed"},
            {"code": "pws", "kind": "profielwerkstuk", "qualification": "voldoende"},
            {"code": "fa", "school_exam": 5.0, "central_exam": 3.1, "extra": True}],
        "loopbaandossier_complete": True}]}
    code, out, _ = run(["decide", doc(example), "--regulation", "vmbo-huidig"], capsys)
    assert code == 0
    (d,) = json.loads(out)["decisions"]
    assert d["outcome"] == "INCOMPLETE"
    assert [f["code"] for f in d["findings"]] == ["EXAM_SUBJECT_MISSING", "EXAM_KEUZEVAKKEN_MISSING"]


def test_decide_table_format_and_stdin(capsys, monkeypatch):
    data = json.dumps({"candidates": [FULL_KB, {**FULL_KB, "id": "A2", "leer_werktraject": True}]})
    code, out, _ = run(["decide", "-", "--regulation", "vmbo-huidig", "--format", "table"], capsys, data, monkeypatch)
    assert code == 0
    assert "A1: GESLAAGD (PASSED)" in out
    assert "fa            3  KB  (niet meegeteld)" in out
    assert "combinatie    6" in out
    assert "[warning] EXAM_LWT_NOT_BB" in out
    data = json.dumps({"candidates": [{**FULL_KB, "loopbaandossier_complete": False}]})
    code, out, _ = run(["decide", "-", "--regulation", "vmbo-huidig", "--format", "table"], capsys, data, monkeypatch)
    assert "A1: ONVOLLEDIG (INCOMPLETE)" in out and "combinatie" not in out


def test_decide_table_shows_cum_laude(doc, capsys):
    eights = {**FULL_KB, "subjects": [
        {**s, **({"school_exam": 8, "central_exam": 8} if "central_exam" in s else
                 {"school_exam": 8} if "school_exam" in s else {})}
        for s in FULL_KB["subjects"] if s["code"] != "fa"]}
    code, out, _ = run(["decide", doc({"candidates": [eights]}), "--regulation", "vmbo-huidig", "--format", "table"],
                       capsys)
    assert code == 0 and "A1: GESLAAGD (PASSED)  cum laude" in out


def test_decide_under_the_modular_regulation(doc, capsys):
    modules = [{"code": f"m{i}", "kind": "module", "school_exam": 6.4, "module_type": "DEEPENING", "units": 1,
                "level": "GL"} for i in range(8)]
    general = [s for s in FULL_KB["subjects"] if s.get("kind", "algemeen") == "algemeen" and s["code"] != "fa"]
    candidate = {"id": "M1", "leerweg": "KB", "subjects": [*general, *modules,
                                                          {"code": "lo", "kind": "lo", "qualification": "goed"},
                                                          {"code": "ckv", "kind": "kunstvak", "qualification": "goed"}]}
    code, out, _ = run(["decide", doc({"candidates": [candidate]}), "--regulation", "spv-modulair"], capsys)
    (d,) = json.loads(out)["decisions"]
    assert code == 0 and d["outcome"] == "PASSED" and d["final_grades"]["m0"] == 6


@pytest.mark.parametrize(("data", "messages"), [
    ({"candidates": [{**FULL_KB, "leerweg": "XX"}]}, ["kandidaat 'A1' (candidates[0]).leerweg: moet een van"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "ne", "school_exam": 6.25, "central_exam": 6}]}]},
     ["kandidaat 'A1' (candidates[0]).subjects[0] (ne).school_exam: cijfer 6.25 heeft meer dan een decimaal"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "ne", "school_exam": 11}]}]},
     ["(ne).school_exam: cijfer 11 ligt niet tussen 1,0 en 10,0"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "ne", "school_exam": "6"}]}]},
     ["(ne).school_exam: moet een getal of null zijn"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "ne", "school_exam": True}]}]},
     ["(ne).school_exam: moet een getal of null zijn"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "ne", "schoolexam": 6, "school_exam": 6.25}]}]},
     ["(ne).schoolexam: onbekend veld", "(ne).school_exam: cijfer 6.25 heeft meer dan een decimaal"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "lo", "kind": "lo", "qualification": "prima"}]}]},
     ["(lo).qualification: onbekende beoordeling 'prima'"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "lo", "kind": "sport"}]}]}, ["(lo).kind: onbekende soort"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "x", "kind": 3}]}]}, ["(x).kind: moet tekst zijn"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "x", "extra": "ja"}]}]}, ["(x).extra: moet true of false"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "x", "units": 1.5}]}]}, ["(x).units: moet een geheel getal"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"school_exam": 6}]}]}, ["subjects[0].code: vakcode ontbreekt"]),
    ({"candidates": [{**FULL_KB, "subjects": ["ne"]}]}, ["subjects[0]: moet een object zijn"]),
    ({"candidates": [{**FULL_KB, "subjects": []}]}, ["(candidates[0]).subjects: moet een niet-lege lijst zijn"]),
    ({"candidates": [{**FULL_KB, "subjects": [{"code": "ne", "school_exam": 6}, {"code": "ne", "school_exam": 7}]}]},
     ["(candidates[0]).subjects.ne: vakcode komt twee keer voor"]),
    ({"candidates": [{**FULL_KB, "id": ""}]}, ["candidates[0].id: ontbreekt of is geen tekst"]),
    ({"candidates": [{**FULL_KB, "id": 7}]}, ["candidates[0].id: ontbreekt of is geen tekst"]),
    ({"candidates": [{**FULL_KB, "naam": "Piet"}]}, ["kandidaat 'A1' (candidates[0]).naam: onbekend veld"]),
    ({"candidates": [{**FULL_KB, "leer_werktraject": "nee"}]}, ["(candidates[0]).leer_werktraject: moet true of"]),
    ({"candidates": [FULL_KB, FULL_KB]}, ["kandidaat 'A1' (candidates[1]).id: komt twee keer voor"]),
    ({"candidates": ["A1"]}, ["candidates[0]: moet een object zijn"]),
    ({"candidates": [FULL_KB], "school": "x"}, ["school: onbekend veld"]),
    ({"kandidaten": []}, ['het document moet een object met een lijst "candidates" zijn']),
    ([], ['het document moet een object met een lijst "candidates" zijn']),
])
def test_decide_bad_input_names_the_candidate_and_field(doc, capsys, data, messages):
    code, out, err = run(["decide", doc(data), "--regulation", "vmbo-huidig"], capsys)
    assert code == 2 and out == ""
    for message in messages:
        assert message in err, err
    assert all(line.startswith("fout: ") for line in err.splitlines())


def test_decide_bad_json(doc, capsys):
    code, out, err = run(["decide", doc(None, raw='{"candidates": [}'), "--regulation", "vmbo-huidig"], capsys)
    assert code == 2 and "ongeldige JSON op regel 1, kolom 17" in err and "invalid JSON" in err


def test_decide_missing_file(tmp_path, capsys):
    code, _, err = run(["decide", str(tmp_path / "nope.json"), "--regulation", "vmbo-huidig"], capsys)
    assert code == 2 and "kan het bestand niet lezen" in err


def test_decide_unknown_regulation(doc, capsys):
    code, _, err = run(["decide", doc({"candidates": []}), "--regulation", "havo"], capsys)
    assert code == 2 and "onbekende regeling 'havo'" in err


def test_decide_empty_list_is_fine(doc, capsys):
    code, out, _ = run(["decide", doc({"candidates": []}), "--regulation", "vmbo-huidig"], capsys)
    assert code == 0 and json.loads(out) == {"decisions": []}


def test_list(capsys):
    code, out, _ = run(["list"], capsys)
    assert code == 0
    lines = out.splitlines()
    assert lines[0].split() == ["id", "soort", "cohorten", "titel"]
    assert lines[1].startswith("spv-modulair  spv-modulair  2024-")
    assert lines[2].startswith("vmbo-huidig   vmbo-huidig   2021-")


def test_show_text(capsys):
    code, out, _ = run(["show", "spv-modulair"], capsys)
    assert code == 0
    assert "min_units = BB=8, KB=8, GL=6, TL=4  [pilot]" in out
    assert "compositions = een-werkveld-en-keuzevakken (kennismakend >= 1, verdiepend >= 1);" in out
    assert "ce_required_kinds = []  [pilot]" in out
    assert "kern_required = true\n" in out
    code, out, _ = run(["show", "vmbo-huidig"], capsys)
    assert "ce_mean_min = 5.5\n" in out and "bron: UB 3.35 lid 1 sub a" in out
    assert "[pilot]" not in out


def test_show_json(capsys):
    code, out, _ = run(["show", "spv-modulair", "--format", "json"], capsys)
    doc = json.loads(out)
    assert code == 0 and doc["id"] == "spv-modulair" and doc["last_cohort"] is None
    assert doc["parameters"]["min_units"] == {"value": {"BB": 8, "KB": 8, "GL": 6, "TL": 4}, "pilot": True,
                                              "source": doc["parameters"]["min_units"]["source"],
                                              "description": doc["parameters"]["min_units"]["description"]}
    assert doc["parameters"]["compensation_min_mean"]["value"] == "6.0"
    assert doc["parameters"]["compositions"]["value"][2] == {"id": "meer-werkvelden", "title": "meer werkvelden",
                                                             "min_introductory": 2, "min_deepening": 0}


def test_show_unknown(capsys):
    code, _, err = run(["show", "havo"], capsys)
    assert code == 2 and "onbekende regeling" in err


@pytest.mark.parametrize(("argv", "code"), [([], 2), (["frobnicate"], 2), (["decide", "x.json"], 2), (["--help"], 0)])
def test_usage(argv, code, capsys):
    assert main(argv) == code


def test_python_dash_m_works(tmp_path):
    path = tmp_path / "in.json"
    path.write_text(json.dumps({"candidates": [FULL_KB]}), encoding="utf-8")
    result = subprocess.run([sys.executable, "-m", "maatwerk.rules.cli", "decide", str(path), "--regulation",
                             "vmbo-huidig"], capture_output=True, text=True, check=False)
    assert result.returncode == 0, result.stderr
    assert json.loads(result.stdout)["decisions"][0]["outcome"] == "PASSED"
    bad = subprocess.run([sys.executable, "-m", "maatwerk.rules.cli", "decide", str(tmp_path / "x"), "--regulation",
                          "vmbo-huidig"], capture_output=True, text=True, check=False)
    assert bad.returncode == 2
