"""Findings, verdicts, the code catalogue, and docs/rules.md listing exactly the catalogue."""

from __future__ import annotations

import re
from pathlib import Path

from maatwerk.rules import CATALOGUE, Finding, Severity, Verdict
from maatwerk.rules.findings import finding

DOCS = Path(__file__).resolve().parents[2] / "docs" / "rules.md"


def test_verdict_helpers():
    e = finding("PROGRAMME_UNITS_TOO_FEW", "te weinig")
    w = finding("PROGRAMME_MODULE_SUPERSEDED", "nieuwe versie", subject="M1")
    i = Finding("X", Severity.INFO, "m", "s")
    v = Verdict.of([e, w, i])
    assert not v.ok and v.errors == (e,) and v.warnings == (w,)
    assert v.codes == frozenset({"PROGRAMME_UNITS_TOO_FEW", "PROGRAMME_MODULE_SUPERSEDED", "X"})
    assert v.has("X") and not v.has("Y")
    assert Verdict.of([w, i]).ok and Verdict.of([]).ok
    assert e.severity is Severity.ERROR and e.source == "parameter min_units.<leerweg>"
    assert w.as_dict() == {"code": "PROGRAMME_MODULE_SUPERSEDED", "severity": "warning", "message": "nieuwe versie",
                           "source": "menukaart: status van de moduleversie"}
    assert str(Severity.ERROR) == "error"


def test_finding_overrides_severity_and_source():
    x = finding("PROGRAMME_MODULE_WITHDRAWN", "m", severity=Severity.WARNING, source="bron")
    assert (x.severity, x.source) == (Severity.WARNING, "bron")


def test_codes_are_stable_upper_snake():
    for code in CATALOGUE:
        assert re.fullmatch(r"[A-Z][A-Z0-9]*(_[A-Z0-9]+)+", code), code


def test_docs_table_lists_every_code_with_its_severity():
    rows = {}
    for line in DOCS.read_text(encoding="utf-8").splitlines():
        m = re.match(r"\|\s*`([A-Z0-9_]+)`\s*\|\s*(error|warning|info)[^|]*\|", line)
        if m:
            rows[m.group(1)] = m.group(2)
    assert set(rows) == set(CATALOGUE)
    for code, info in CATALOGUE.items():
        assert rows[code] == str(info.severity), code
