"""Generate deterministic national-scale data: the same as `maatwerk bench generate`.

    .venv/bin/python bench/generate.py --scale 0.1 [--seed 2025]

The database is the configured one (DATABASE_URL; SQLite at var/maatwerk.sqlite3 without it); it must be
migrated and hold no schools. The generator itself is maatwerk.bench.generate (importable by the command).
"""

from __future__ import annotations

import argparse

import _setup  # noqa: F401  (Django settings and the path to src/)


def main(argv: list[str] | None = None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--scale", type=float, default=0.01)
    parser.add_argument("--seed", type=int, default=2025)
    args = parser.parse_args(argv)
    from _common import emit
    from maatwerk.bench.generate import main_report

    report = main_report(args.scale, args.seed)
    emit("generate", scale=args.scale, seed=args.seed, seconds=round(report.seconds, 1),
         database_bytes=report.database_bytes, rows=sum(report.counts.values()), counts=report.counts)


if __name__ == "__main__":
    main()
