"""Run every benchmark at a scale and print every figure, ratio and budget (`make bench`).

    .venv/bin/python bench/run_all.py --scale 0.01            # SQLite var/bench-0.01.sqlite3, made if missing
    BENCH_DATABASE_URL=postgres://postgres@127.0.0.1:5432/maatwerk_bench .venv/bin/python bench/run_all.py --scale 1

The database is BENCH_DATABASE_URL, else a SQLite file var/bench-<scale>.sqlite3 (never DATABASE_URL, so a
development or test database is never touched). A database without schools is migrated and filled with
`bench/generate.py --scale S` first; one with generated schools (Benchschool ...) is reused as it is; any
other is refused. Each benchmark runs in its own process (its peak memory is its own) and prints its figures;
at the end a Markdown table with the budgets of issue 10 is printed and written to
bench/results/<database>-S<scale>.md (and .json).
"""

from __future__ import annotations

import argparse
import datetime as dt
import json
import os
import platform
import subprocess
import sys
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent
BENCH = ROOT / "bench"
PYTHON = sys.executable


def run(script: str, args: list[str], env: dict) -> dict:
    print(f"\n=== {script} {' '.join(args)}", flush=True)
    started = time.perf_counter()
    proc = subprocess.Popen([PYTHON, str(BENCH / script), *args], cwd=ROOT, env=env, stdout=subprocess.PIPE,
                            text=True)
    result = {}
    for line in proc.stdout:
        if line.startswith("BENCH-RESULT "):
            result = json.loads(line[len("BENCH-RESULT "):])
        else:
            print(line, end="", flush=True)
    if proc.wait() != 0:
        raise SystemExit(f"{script} failed (exit {proc.returncode})")
    result["process_seconds"] = round(time.perf_counter() - started, 1)
    return result


def database_state(env: dict) -> str:
    """'empty' (no tables or no schools), 'generated' or 'other'."""
    code = ("import _setup\nfrom django.db import connection\n"
            "tables = connection.introspection.table_names()\n"
            "if 'schools_school' not in tables: print('empty')\n"
            "else:\n from maatwerk.schools.models import School\n"
            " n = School.objects.count(); g = School.objects.filter(name__startswith='Benchschool').count()\n"
            " print('empty' if n == 0 else 'generated' if n == g else 'other')\n")
    out = subprocess.run([PYTHON, "-c", code], cwd=BENCH, env=env, capture_output=True, text=True, check=True)
    return out.stdout.strip().splitlines()[-1]


def machine() -> str:
    cpu = ""
    try:
        for line in Path("/proc/cpuinfo").read_text().splitlines():
            if line.startswith("model name"):
                cpu = line.split(":", 1)[1].strip()
                break
    except OSError:
        pass
    mem = ""
    try:
        kib = int(Path("/proc/meminfo").read_text().split()[1])
        mem = f", {kib / 1024 / 1024:.0f} GiB"
    except (OSError, ValueError, IndexError):
        pass
    return f"{os.cpu_count()} cores ({cpu or platform.processor()}){mem}, Python {platform.python_version()}"


def check(value, limit, fmt="{:.1f}") -> str:
    if value is None:
        return "n/a"
    return ("met " if value <= limit else "MISSED ") + fmt.format(value)


def table(results: dict, scale: float, db: str, load: str, load_end: str = "") -> str:
    g, e, v, lc, gi, w = (results.get(k, {}) for k in ("generate", "exam_decisions", "programme_validation",
                                                        "lifecycle", "grade_import", "web"))
    lines = [
        f"Scale S={scale:g} on {db}; {machine()}; {dt.date.today().isoformat()}; load average (1, 5, 15 min) at "
        f"start {load}" + (f", at the end {load_end}" if load_end else "") + " (other work on the machine counts too).",
        "",
        "| benchmark | figures | ratio to floor (same run) | peak memory | budget (S=1, PostgreSQL) |",
        "|---|---|---|---|---|",
    ]
    if g:
        lines.append(f"| generate | {g.get('rows', 0):,} rows in {g['seconds']} s; database "
                     f"{g['database_bytes'] / 2**20:,.0f} MiB | - | {g['peak_mib']:.0f} MiB | S=0.1 in minutes |")
    if e:
        national = e.get("national")
        lines.append(f"| exam decisions, one process | {e['candidates']:,} candidates at {e['schools']} schools in "
                     f"{e['seconds']} s ({e['per_second']:,}/s); outcomes {e['outcomes']} | {e['ratio']}x reading the "
                     f"same {e['floor_rows']:,} rows ({e['floor_seconds']} s) | {e['peak_mib']:.0f} MiB | "
                     + (f"<= 3x: {check(e['ratio'], 3, '{:.2f}')}x |" if national else
                        f"< 60 s: {check(e['seconds'], 60)} s; <= 3x: {check(e['ratio'], 3)}x |"))
        if national:
            lines.append(f"| exam decisions, national run (`maatwerk exam decide --all`, {national['workers']} "
                         f"process{'es' if national['workers'] != 1 else ''}) | {national['written']:,} decisions in {national['seconds']} s, committed "
                         f"(deleted again) | - | - | < 60 s: {check(national['seconds'], 60)} s |")
    if v:
        lines.append(f"| programme validation | {v['programmes']:,} programmes in {v['seconds']} s ({v['per_second']:,}/s); "
                     f"{v['valid']:,} valid | {v['ratio']}x reading the same {v['floor_rows']:,} rows "
                     f"({v['floor_seconds']} s) | {v['peak_mib']:.0f} MiB | < 60 s: {check(v['seconds'], 60)} s |")
    if lc:
        lines.append(f"| menukaart lifecycle | {lc['usage_reports']:,} usage reports, {lc['actions']} actions "
                     f"{lc['actions_by_kind']} in {lc['seconds']} s (dry run {lc['dry_run_seconds']} s) | "
                     f"{lc['ratio']}x (dry run {lc['dry_ratio']}x) reading the reports ({lc['floor_seconds']} s) | "
                     f"{lc['peak_mib']:.0f} MiB | - |")
    if gi:
        extra = (f"; {gi['rows']:,} rows: bulk insert {gi['floor_seconds']} s, import path ~{gi['extrapolated_seconds']:,.0f} s "
                 "(extrapolated)" if gi.get("extrapolated_seconds") else f"; bulk insert of all {gi['floor_seconds']} s")
        lines.append(f"| grade import (CSV) | {gi['sample_rows']:,} rows in {gi['files']} school file(s) in {gi['seconds']} s "
                     f"({gi['per_second']:,} rows/s){extra} | {gi['ratio']}x bulk insert of the same rows "
                     f"({gi['floor_sample_seconds']} s); {gi['ratio_history']}x the same rows with their history rows "
                     f"({gi['floor_history_seconds']} s) | {gi['peak_mib']:.0f} MiB | <= 3x: {check(gi['ratio'], 3)}x |")
    if w:
        for name, p in w["single"].items():
            lines.append(f"| page {name} (one client) | p50 {p['p50_ms']} ms, p95 {p['p95_ms']} ms, {p['queries']} queries, "
                         f"{p['bytes'] / 1024:.0f} KiB: {p['what']} | - | - | p95 < 100 ms: {check(p['p95_ms'], 100)} ms |")
        ld = w["load"]
        lines.append(f"| web, {w['clients']} clients x {ld['seconds']} s ({ld['tool']}, gunicorn {w['workers']} workers) | "
                     f"{ld['rps']} req/s, p50 {ld['p50_ms']} ms, p95 {ld['p95_ms']} ms, p99 {ld['p99_ms']} ms, "
                     f"{ld['errors']} errors; two-core limit 2/mean = {w['limit_rps']} req/s (mean {w['mean_ms']} ms) | "
                     f"{ld['ratio_to_limit']:.0%} of the two-core limit | {w['peak_mib']:.0f} MiB (client side) | "
                     f"0 errors: {'met' if ld['errors'] == 0 else 'MISSED'}; >= 70%: "
                     f"{'met' if ld['ratio_to_limit'] >= 0.7 else 'MISSED'} |")
    return "\n".join(lines)


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--only", nargs="*", help="run only these benchmarks (exam_decisions, programme_validation, "
                                                  "lifecycle, grade_import, web)")
    parser.add_argument("--import-sample", type=int, default=None,
                        help="rows through the import path (default: 20,000 below S=0.1, else all: 0)")
    parser.add_argument("--web-duration", type=int, default=None, help="seconds of the 16-client load")
    parser.add_argument("--web-requests", type=int, default=None, help="requests per page, one client")
    args = parser.parse_args(argv)
    url = os.environ.get("BENCH_DATABASE_URL") or f"sqlite:///{ROOT / 'var' / f'bench-{args.scale:g}.sqlite3'}"
    (ROOT / "var").mkdir(exist_ok=True)
    env = {**os.environ, "DATABASE_URL": url, "DEBUG": "0", "SECURE_SSL_REDIRECT": "0",
           "SECRET_KEY": os.environ.get("SECRET_KEY") or "bench-secret-key-not-for-production-0123456789abcdefghijklmnop",
           "PYTHONPATH": str(ROOT / "src")}
    load = " ".join(f"{x:.2f}" for x in os.getloadavg())
    print(f"bench: scale {args.scale:g}, database {url.split('@')[-1]}, load average {load}", flush=True)
    results = {}
    state = database_state(env)
    if state == "other":
        raise SystemExit("This database holds schools that the generator did not make: use an empty database "
                         "(BENCH_DATABASE_URL) for the benchmarks.")
    if state == "empty":
        subprocess.run([str(Path(PYTHON).parent / "maatwerk"), "migrate", "-v0"], cwd=ROOT, env=env, check=True)
        results["generate"] = run("generate.py", ["--scale", str(args.scale), "--seed", str(args.seed)], env)
    small = args.scale < 0.1
    sample = args.import_sample if args.import_sample is not None else (20_000 if small else 0)  # 0: every row
    duration = args.web_duration or (15 if small else 60)
    requests = args.web_requests or (20 if small else 50)
    plan = {
        "exam_decisions": ("exam_decisions.py", []),
        "programme_validation": ("programme_validation.py", []),
        "lifecycle": ("lifecycle.py", []),
        "grade_import": ("grade_import.py", ["--sample", str(sample)]),
        "web": ("web.py", ["--duration", str(duration), "--requests", str(requests)]),
    }
    for name, (script, script_args) in plan.items():
        if args.only and name not in args.only:
            continue
        results[name] = run(script, script_args, env)
    db = next((r["database"] for r in results.values() if "database" in r), "?")
    load_end = " ".join(f"{x:.2f}" for x in os.getloadavg())
    text = table(results, args.scale, db, load, load_end)
    print("\n" + text)
    out = BENCH / "results"
    out.mkdir(exist_ok=True)
    stem = f"{'postgresql' if url.startswith('postgres') else 'sqlite'}-S{args.scale:g}"
    (out / f"{stem}.md").write_text(text + "\n", encoding="utf-8")
    (out / f"{stem}.json").write_text(json.dumps({"scale": args.scale, "database": db, "load": load, "load_end": load_end,
                                                   "date": dt.date.today().isoformat(), "machine": machine(),
                                                   "results": results}, indent=1, default=str) + "\n",
                                      encoding="utf-8")
    print(f"\nwritten: bench/results/{stem}.md and .json")


if __name__ == "__main__":
    main()
