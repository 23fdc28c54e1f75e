"""Command line for the rules engine: ``python -m maatwerk.rules.cli list|show|decide``.

The Django project wires the same ``main`` to ``maatwerk rules ...``. ``decide`` reads the
JSON contract of issue 4 (docs/rules.md) and writes one decision per candidate. Exit codes:
0 when every candidate was decided (INCOMPLETE is a decision), 2 on bad input or usage.
"""

from __future__ import annotations

import argparse
import json
import sys
from collections.abc import Mapping, Sequence
from decimal import Decimal
from typing import Any

from .errors import RulesInputError
from .exam import Candidate, Decision, SubjectInput, decide_exam
from .grades import LEERWEGEN
from .regulation import Composition, Regulation, list_regulations, load_regulation

EXIT_OK = 0
EXIT_BAD_INPUT = 2

_CANDIDATE_KEYS = frozenset({"id", "leerweg", "leer_werktraject", "subjects", "loopbaandossier_complete"})
_SUBJECT_KEYS = ("code", "kind", "school_exam", "central_exam", "qualification", "extra", "level", "module_type",
                 "units", "part")
_OUTCOME_NL = {"PASSED": "GESLAAGD", "FAILED": "AFGEWEZEN", "INCOMPLETE": "ONVOLLEDIG"}


class _BadInput(Exception):
    pass


def _where(index: int, ident: Any) -> str:
    return f"kandidaat {ident!r} (candidates[{index}])" if isinstance(ident, str) and ident else f"candidates[{index}]"


def _is_number(value: Any) -> bool:
    return isinstance(value, Decimal | int) and not isinstance(value, bool)


def _subject(raw: Any, where: str, errors: list[str]) -> SubjectInput | None:
    if not isinstance(raw, dict):
        errors.append(f"{where}: moet een object zijn / must be an object")
        return None
    ok = True
    for key in raw:
        if key not in _SUBJECT_KEYS:
            errors.append(f"{where}.{key}: onbekend veld / unknown field")
    if not isinstance(raw.get("code"), str) or not raw.get("code", "").strip():
        errors.append(f"{where}.code: vakcode ontbreekt of is geen tekst / subject code missing or not a string")
        return None
    for key in ("school_exam", "central_exam"):
        if raw.get(key) is not None and not _is_number(raw[key]):
            errors.append(f"{where}.{key}: moet een getal of null zijn / must be a number or null")
            ok = False
    for key in ("kind", "qualification", "level", "module_type", "part"):
        if raw.get(key) is not None and not isinstance(raw[key], str):
            errors.append(f"{where}.{key}: moet tekst zijn / must be a string")
            ok = False
    if "extra" in raw and not isinstance(raw["extra"], bool):
        errors.append(f"{where}.extra: moet true of false zijn / must be true or false")
        ok = False
    if "units" in raw and (isinstance(raw["units"], bool) or not isinstance(raw["units"], int)):
        errors.append(f"{where}.units: moet een geheel getal zijn / must be an integer")
        ok = False
    if not ok:
        return None
    kwargs = {key: raw[key] for key in _SUBJECT_KEYS if key in raw and raw[key] is not None}
    kwargs.setdefault("kind", "algemeen")
    try:
        return SubjectInput(**kwargs)
    except RulesInputError as exc:
        errors.append(f"{where}.{exc.field.split('.', 1)[-1]}: {exc.nl} / {exc.en}")
        return None


def _candidate(raw: Any, index: int, errors: list[str]) -> Candidate | None:
    if not isinstance(raw, dict):
        errors.append(f"candidates[{index}]: moet een object zijn / must be an object")
        return None
    ident = raw.get("id")
    where = _where(index, ident)
    before = len(errors)
    if not isinstance(ident, str) or not ident.strip():
        errors.append(f"{where}.id: ontbreekt of is geen tekst / missing or not a string")
    for key in raw:
        if key not in _CANDIDATE_KEYS:
            errors.append(f"{where}.{key}: onbekend veld / unknown field")
    if raw.get("leerweg") not in LEERWEGEN:
        errors.append(f"{where}.leerweg: moet een van {', '.join(LEERWEGEN)} zijn / must be one of "
                      f"{', '.join(LEERWEGEN)}")
    for key in ("leer_werktraject", "loopbaandossier_complete"):
        if key in raw and not isinstance(raw[key], bool):
            errors.append(f"{where}.{key}: moet true of false zijn / must be true or false")
    subjects_raw = raw.get("subjects")
    subjects = []
    if not isinstance(subjects_raw, list) or not subjects_raw:
        errors.append(f"{where}.subjects: moet een niet-lege lijst zijn / must be a non-empty list")
    else:
        for j, item in enumerate(subjects_raw):
            code = item.get("code") if isinstance(item, dict) else None
            label = f"{where}.subjects[{j}]" + (f" ({code})" if isinstance(code, str) else "")
            subjects.append(_subject(item, label, errors))
    if len(errors) > before:
        return None
    try:
        return Candidate(ident, raw["leerweg"], tuple(subjects), raw.get("loopbaandossier_complete", True),
                         raw.get("leer_werktraject", False))
    except RulesInputError as exc:
        errors.append(f"{where}.{exc.field}: {exc.nl} / {exc.en}")
        return None


def parse_candidates(data: Any) -> list[Candidate]:
    """The candidates of a ``rules decide`` document; raises _BadInput listing every bad field."""
    errors: list[str] = []
    if not isinstance(data, dict) or not isinstance(data.get("candidates"), list):
        raise _BadInput(['het document moet een object met een lijst "candidates" zijn / '
                         'the document must be an object with a list "candidates"'])
    for key in data:
        if key != "candidates":
            errors.append(f"{key}: onbekend veld / unknown field")
    candidates = []
    seen: set[str] = set()
    for i, raw in enumerate(data["candidates"]):
        candidate = _candidate(raw, i, errors)
        if candidate is None:
            continue
        if candidate.id in seen:
            errors.append(f"{_where(i, candidate.id)}.id: komt twee keer voor / appears twice")
        seen.add(candidate.id)
        candidates.append(candidate)
    if errors:
        raise _BadInput(errors)
    return candidates


# --- output -----------------------------------------------------------------------------------

def _show_value(value: Any) -> str:
    if isinstance(value, bool):
        return "true" if value else "false"
    if isinstance(value, Mapping):
        return ", ".join(f"{k}={_show_value(v)}" for k, v in value.items())
    if isinstance(value, tuple):
        if value and isinstance(value[0], Composition):
            return "; ".join(f"{c.id} (kennismakend >= {c.min_introductory}, verdiepend >= {c.min_deepening})"
                             for c in value)
        return "[" + ", ".join(_show_value(v) for v in value) + "]"
    return str(value)


def _json_value(value: Any) -> Any:
    if isinstance(value, Decimal):
        return str(value)
    if isinstance(value, Mapping):
        return {k: _json_value(v) for k, v in value.items()}
    if isinstance(value, tuple):
        return [_json_value(v) for v in value]
    if isinstance(value, Composition):
        return {"id": value.id, "title": value.title, "min_introductory": value.min_introductory,
                "min_deepening": value.min_deepening}
    return value


def _cohorts(r: Regulation) -> str:
    return f"{r.first_cohort}-" + (str(r.last_cohort) if r.last_cohort is not None else "")


def _list(out) -> int:
    rows = [(r.id, r.kind, _cohorts(r), r.title) for r in list_regulations()]
    width = max(len(r[0]) for r in rows)
    print(f"{'id':<{width}}  {'soort':<12}  {'cohorten':<10}  titel", file=out)
    for ident, kind, cohorts, title in rows:
        print(f"{ident:<{width}}  {kind:<12}  {cohorts:<10}  {title}", file=out)
    return EXIT_OK


def _show(regulation: Regulation, fmt: str, out) -> int:
    if fmt == "json":
        doc = {"id": regulation.id, "title": regulation.title, "kind": regulation.kind,
               "first_cohort": regulation.first_cohort, "last_cohort": regulation.last_cohort,
               "description": regulation.description,
               "parameters": {p.name: {"value": _json_value(p.value), "pilot": p.pilot, "source": p.source,
                                       "description": p.description} for p in regulation.parameters.values()}}
        print(json.dumps(doc, ensure_ascii=False, indent=2), file=out)
        return EXIT_OK
    print(f"{regulation.id}: {regulation.title}", file=out)
    print(f"soort: {regulation.kind}; cohorten (start leerjaar 3): {_cohorts(regulation)}", file=out)
    print(regulation.description, file=out)
    print("", file=out)
    for p in regulation.parameters.values():
        flag = "  [pilot]" if p.pilot else ""
        print(f"{p.name} = {_show_value(p.value)}{flag}", file=out)
        print(f"    {p.description}", file=out)
        print(f"    bron: {p.source}", file=out)
    return EXIT_OK


def _table(decisions: Sequence[Decision], out) -> None:
    for d in decisions:
        extra = "  cum laude" if d.cum_laude else ""
        print(f"{d.candidate_id}: {_OUTCOME_NL[d.outcome]} ({d.outcome}){extra}", file=out)
        for code, grade in d.final_grades.items():
            mark = "  (niet meegeteld)" if code in d.left_out else ""
            print(f"    {code:<12} {grade:>2}  {d.levels[code]}{mark}", file=out)
        if d.combination_grade is not None:
            print(f"    {'combinatie':<12} {d.combination_grade:>2}", file=out)
        for f in d.findings:
            print(f"  - [{f.severity}] {f.code}: {f.message} ({f.source})", file=out)


def _decide(path: str, regulation_id: str, fmt: str, out, err) -> int:
    try:
        regulation = load_regulation(regulation_id)
    except LookupError as exc:
        print(f"fout: {exc}", file=err)
        return EXIT_BAD_INPUT
    try:
        if path == "-":
            text = sys.stdin.read()
        else:
            with open(path, encoding="utf-8") as handle:
                text = handle.read()
    except OSError as exc:
        print(f"fout: {path}: kan het bestand niet lezen / cannot read the file ({exc.strerror})", file=err)
        return EXIT_BAD_INPUT
    try:
        data = json.loads(text, parse_float=Decimal)
    except json.JSONDecodeError as exc:
        print(f"fout: {path}: ongeldige JSON op regel {exc.lineno}, kolom {exc.colno}: {exc.msg} / "
              f"invalid JSON at line {exc.lineno}, column {exc.colno}", file=err)
        return EXIT_BAD_INPUT
    try:
        candidates = parse_candidates(data)
    except _BadInput as exc:
        for line in exc.args[0]:
            print(f"fout: {line}", file=err)
        return EXIT_BAD_INPUT
    decisions = [decide_exam(c, regulation) for c in candidates]
    if fmt == "json":
        print(json.dumps({"decisions": [d.as_dict() for d in decisions]}, ensure_ascii=False, indent=2), file=out)
    else:
        _table(decisions, out)
    return EXIT_OK


def build_parser() -> argparse.ArgumentParser:
    parser = argparse.ArgumentParser(prog="rules", description="Regelingen en de uitslagbepaling van Maatwerk.")
    sub = parser.add_subparsers(dest="command", required=True)
    sub.add_parser("list", help="de regelingen")
    show = sub.add_parser("show", help="de parameters van een regeling")
    show.add_argument("id")
    show.add_argument("--format", choices=("text", "json"), default="text")
    decide = sub.add_parser("decide", help="bepaal de uitslag van kandidaten uit een JSON-bestand ('-' = stdin)")
    decide.add_argument("file")
    decide.add_argument("--regulation", required=True)
    decide.add_argument("--format", choices=("json", "table"), default="json")
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    out, err = sys.stdout, sys.stderr
    try:
        args = build_parser().parse_args(argv)
    except SystemExit as exc:
        return EXIT_OK if exc.code in (0, None) else EXIT_BAD_INPUT
    if args.command == "list":
        return _list(out)
    if args.command == "show":
        try:
            regulation = load_regulation(args.id)
        except LookupError as exc:
            print(f"fout: {exc}", file=err)
            return EXIT_BAD_INPUT
        return _show(regulation, args.format, out)
    return _decide(args.file, args.regulation, args.format, out, err)


if __name__ == "__main__":  # pragma: no cover
    sys.exit(main())
