"""What every benchmark shares: timing, peak memory, the result line run_all.py collects."""

from __future__ import annotations

import json
import resource
import sys
import time
from contextlib import contextmanager

from django.db import connection


def peak_mib() -> float:
    """Peak resident memory of this process so far (ru_maxrss is in KiB on Linux)."""
    return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss / 1024


class Timer:
    wall: float = 0.0
    cpu: float = 0.0


@contextmanager
def timed():
    t = Timer()
    wall, cpu = time.perf_counter(), time.process_time()
    try:
        yield t
    finally:
        t.wall = max(time.perf_counter() - wall, 1e-9)
        t.cpu = time.process_time() - cpu


@contextmanager
def profiled(kind: str | None, name: str):
    """--profile cprofile|pyinstrument: print where the time goes (top 30 / the call tree)."""
    if not kind:
        yield
        return
    if kind == "pyinstrument":
        from pyinstrument import Profiler

        profiler = Profiler(interval=0.005)
        profiler.start()
        try:
            yield
        finally:
            profiler.stop()
            print(profiler.output_text(unicode=False, color=False, show_all=False), file=sys.stderr)
        return
    import cProfile
    import pstats

    profiler = cProfile.Profile()
    profiler.enable()
    try:
        yield
    finally:
        profiler.disable()
        print(f"--- cProfile {name}", file=sys.stderr)
        pstats.Stats(profiler, stream=sys.stderr).sort_stats("cumulative").print_stats(30)


def database() -> str:
    if connection.vendor == "postgresql":
        return f"PostgreSQL {connection.pg_version // 10000}"
    import sqlite3

    return f"SQLite {sqlite3.sqlite_version}"


def emit(name: str, **figures) -> None:
    """Print the figures and the one JSON line run_all.py reads."""
    figures.setdefault("peak_mib", round(peak_mib(), 1))
    figures.setdefault("database", database())
    print("BENCH-RESULT " + json.dumps({"name": name, **figures}, default=str))


def ratio(value: float, floor: float) -> float:
    return value / floor if floor > 0 else float("inf")


def vacuum(*models) -> None:
    """VACUUM the tables of `models` on PostgreSQL (no-op elsewhere). A benchmark that rolls back its writes
    leaves their dead rows behind; where autovacuum is off (as on the shared bench server) every later run
    would read past them. Called after the measured part, never inside it."""
    if connection.vendor != "postgresql":
        return
    with connection.cursor() as cursor:
        for model in models:
            cursor.execute(f"VACUUM {connection.ops.quote_name(model._meta.db_table)}")
