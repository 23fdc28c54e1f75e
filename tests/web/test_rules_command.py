"""`maatwerk rules ...` runs the pure engine's command line through the console script."""

from __future__ import annotations

import json
import subprocess
import sys

CANDIDATE = {"candidates": [{"id": "A1", "leerweg": "KB", "subjects": [
    {"code": "ne", "school_exam": 6.2, "central_exam": 5.8},
    {"code": "en", "school_exam": 6.0, "central_exam": 6.1},
    {"code": "wi", "school_exam": 6.0, "central_exam": 5.5},
    {"code": "ec", "school_exam": 6.0, "central_exam": 6.5},
    {"code": "ma", "school_exam": 7},
    {"code": "pv", "kind": "profielvak", "school_exam": 6.5, "central_exam": 6.1},
    {"code": "kv1", "kind": "keuzevak", "school_exam": 6}, {"code": "kv2", "kind": "keuzevak", "school_exam": 7},
    {"code": "kv3", "kind": "keuzevak", "school_exam": 6}, {"code": "kv4", "kind": "keuzevak", "school_exam": 6},
    {"code": "lo", "kind": "lo", "qualification": "voldoende"},
    {"code": "ckv", "kind": "kunstvak", "qualification": "goed"}],
    "loopbaandossier_complete": True}]}


def _run(*args):
    return subprocess.run([sys.executable, "-m", "maatwerk", "rules", *args], capture_output=True, text=True,
                          timeout=60)


def test_decide_json_through_the_maatwerk_command(tmp_path):
    path = tmp_path / "kandidaten.json"
    path.write_text(json.dumps(CANDIDATE))
    result = _run("decide", str(path), "--regulation", "vmbo-huidig", "--format", "json")
    assert result.returncode == 0, result.stderr
    decision = json.loads(result.stdout)["decisions"][0]
    assert decision["id"] == "A1" and decision["outcome"] == "PASSED"
    assert decision["final_grades"]["ne"] == 6  # (6.2 + 5.8) / 2 = 6.0


def test_bad_input_names_candidate_and_field_and_exits_2(tmp_path):
    path = tmp_path / "fout.json"
    path.write_text(json.dumps({"candidates": [{"id": "B7", "leerweg": "XX", "subjects": []}]}))
    result = _run("decide", str(path), "--regulation", "vmbo-huidig")
    assert result.returncode == 2
    assert "B7" in result.stderr and "leerweg" in result.stderr


def test_list_shows_both_regulations():
    result = _run("list")
    assert result.returncode == 0
    assert "vmbo-huidig" in result.stdout and "spv-modulair" in result.stdout
