"""Benchmark of the rules engine: decide_exam and validate_programme over 100,000 generated inputs.

    .venv/bin/python bench/rules_decide.py [--n 100000] [--seed 2025] [--profile]

Generates a deterministic (seeded) national-scale cohort, then measures CPU time
(time.process_time) for:
  * decide_exam over every candidate under vmbo-huidig, against a floor loop that only reads
    the same inputs (every subject's code, kind, grades, qualification and flags);
  * validate_programme over as many generated programmes under spv-modulair, against a
    floor loop that reads every item's module fields.
Prints decisions/s, CPU seconds and the ratio to the floor. The aim (issue 4) is a whole
cohort in under 5 s CPU in pure Python.
"""

from __future__ import annotations

import argparse
import cProfile
import pstats
import random
import time
from collections import Counter
from decimal import Decimal

from maatwerk.rules import (
    Candidate,
    ModuleRef,
    OfferingInput,
    ProgrammeInput,
    ProgrammeItemInput,
    SchoolPolicyInput,
    SubjectInput,
    decide_exam,
    load_regulation,
    validate_programme,
)

GENERAL = {"BB": 2, "KB": 2, "GL": 3, "TL": 4}
KEUZEVAKKEN = {"BB": 4, "KB": 4, "GL": 2, "TL": 0}
OPTIONAL = ("wi", "ec", "bi", "nask1", "ak", "gs", "du", "fa", "mu", "bv")


def _grade(rng: random.Random, mean: float, sd: float, decimals: bool = True) -> Decimal:
    # The generator may use floats to draw numbers; the engine only ever sees exact Decimals.
    value = min(10.0, max(1.0, rng.gauss(mean, sd)))
    return Decimal(f"{value:.1f}") if decimals else Decimal(round(value))


def _graded(rng: random.Random, ability: float, code: str, kind: str = "algemeen", ce: bool = True,
            extra: bool = False) -> SubjectInput:
    se = _grade(rng, ability, 0.8, decimals=ce)
    cen = _grade(rng, ability - 0.3, 1.0) if ce else None
    return SubjectInput(code, kind, se, cen, extra=extra)


def generate_candidates(n: int, seed: int) -> list[Candidate]:
    rng = random.Random(seed)
    out = []
    for i in range(n):
        leerweg = rng.choices(("BB", "KB", "GL", "TL"), weights=(20, 25, 10, 45))[0]
        ability = rng.gauss(6.9, 0.7)
        subjects = [_graded(rng, ability, "ne"), _graded(rng, ability, "en"), _graded(rng, ability, "ma", ce=False)]
        subjects += [_graded(rng, ability, code) for code in rng.sample(OPTIONAL, GENERAL[leerweg])]
        if leerweg != "TL":
            subjects.append(_graded(rng, ability, "pv", "profielvak"))
        subjects += [_graded(rng, ability, f"kv{k + 1}", "keuzevak", ce=False) for k in range(KEUZEVAKKEN[leerweg])]
        if rng.random() < 0.05:
            subjects.append(_graded(rng, ability, "x1", extra=True))
        subjects.append(SubjectInput("lo", "lo", qualification=rng.choices(("voldoende", "goed", "onvoldoende"),
                                                                            weights=(70, 29, 1))[0]))
        subjects.append(SubjectInput("ckv", "kunstvak", qualification=rng.choice(("voldoende", "goed"))))
        if leerweg in ("GL", "TL"):
            subjects.append(SubjectInput("pws", "profielwerkstuk", qualification=rng.choices(
                ("voldoende", "goed", "onvoldoende"), weights=(60, 38, 2))[0]))
        out.append(Candidate(f"K{i:06d}", leerweg, tuple(subjects), loopbaandossier_complete=rng.random() > 0.01,
                             leer_werktraject=leerweg == "BB" and rng.random() < 0.01))
    return out


def generate_programmes(n: int, seed: int) -> tuple[list[ProgrammeInput], OfferingInput]:
    rng = random.Random(seed)
    modules = [ModuleRef(f"M{j:03d}", 1, f"Module {j}", "INTRODUCTORY" if j % 3 == 0 else "DEEPENING",
                         profielen=(("ZW", "EO", "BWI", "PIE")[j % 4],)) for j in range(60)]
    offered = frozenset((m.code, year, lw) for m in modules for year in (2025, 2026) for lw in ("BB", "KB", "GL", "TL"))
    offering = OfferingInput(offered, frozenset({"ZW", "EO", "BWI", "PIE"}))
    programmes = []
    for i in range(n):
        leerweg = rng.choice(("BB", "KB", "GL", "TL"))
        count = rng.randint(4, 10)
        items = tuple(ProgrammeItemInput(m, 2025 + (k % 2), 3 + (k % 2), rng.choice(("planned", "enrolled")))
                      for k, m in enumerate(rng.sample(modules, count)))
        programmes.append(ProgrammeInput(f"L{i:06d}", leerweg, 3, 2025, None, items))
    return programmes, offering


def floor_candidates(candidates: list[Candidate]) -> int:
    seen = 0
    for c in candidates:
        _ = (c.id, c.leerweg, c.loopbaandossier_complete, c.leer_werktraject)
        for s in c.subjects:
            _ = (s.code, s.kind, s.se10, s.ce10, s.qualification, s.extra, s.level, s.part)
            seen += 1
    return seen


def floor_programmes(programmes: list[ProgrammeInput]) -> int:
    seen = 0
    for p in programmes:
        _ = (p.student_id, p.leerweg, p.kern_included, p.profiel)
        for item in p.items:
            m = item.module
            _ = (item.status, item.school_year, item.year_level, m.code, m.module_type, m.units, m.status,
                 m.leerwegen, m.profielen, m.legacy_kind)
            seen += 1
    return seen


def timed(fn, *args):
    start = time.process_time()
    result = fn(*args)
    return result, max(time.process_time() - start, 1e-9)  # never zero, even for a tiny --n


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--n", type=int, default=100_000)
    parser.add_argument("--seed", type=int, default=2025)
    parser.add_argument("--profile", action="store_true", help="print the cProfile top 25 of decide_exam")
    args = parser.parse_args(argv)

    current = load_regulation("vmbo-huidig")
    modular = load_regulation("spv-modulair")
    candidates, gen_time = timed(generate_candidates, args.n, args.seed)
    print(f"generated {len(candidates):,} candidates in {gen_time:.2f} s CPU (not part of the measurement)")

    _, floor_time = timed(floor_candidates, candidates)
    decide_all = lambda: [decide_exam(c, current) for c in candidates]  # noqa: E731
    decide_exam(candidates[0], current)  # precompute the regulation's parameters outside the timing
    if args.profile:
        profiler = cProfile.Profile()
        profiler.enable()
        decisions, decide_time = timed(decide_all)
        profiler.disable()
        pstats.Stats(profiler).sort_stats("tottime").print_stats(25)
    else:
        decisions, decide_time = timed(decide_all)
    outcomes = Counter(d.outcome for d in decisions)
    print("decide_exam (vmbo-huidig)")
    print(f"  CPU {decide_time:.2f} s for {len(candidates):,} candidates = {len(candidates) / decide_time:,.0f} "
          f"decisions/s; floor {floor_time:.3f} s; ratio to floor {decide_time / floor_time:.1f}x")
    print(f"  outcomes: {dict(sorted(outcomes.items()))}; cum laude {sum(d.cum_laude for d in decisions):,}; "
          f"left out (must-pass) {sum(bool(d.left_out) for d in decisions):,}")

    (programmes, offering), _ = timed(generate_programmes, args.n, args.seed)
    policy = SchoolPolicyInput(introductory_before_deepening=True)
    _, pfloor = timed(floor_programmes, programmes)
    validate_programme(programmes[0], modular, policy, offering)
    verdicts, ptime = timed(lambda: [validate_programme(p, modular, policy, offering) for p in programmes])
    print("validate_programme (spv-modulair)")
    print(f"  CPU {ptime:.2f} s for {len(programmes):,} programmes = {len(programmes) / ptime:,.0f} verdicts/s; "
          f"floor {pfloor:.3f} s; ratio to floor {ptime / pfloor:.1f}x")
    print(f"  valid: {sum(v.ok for v in verdicts):,} of {len(verdicts):,}")


if __name__ == "__main__":
    main()
