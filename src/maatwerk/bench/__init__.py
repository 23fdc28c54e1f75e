"""National-scale data and benchmarks (issue 10).

`maatwerk.bench.generate` builds deterministic national data at a scale S (S=1: 650 schools with 1,000
vestigingen, 100,000 students per cohort over 4 cohorts); `maatwerk.bench.bulk` is the bulk writer it uses
(COPY on PostgreSQL, executemany on SQLite). The benchmarks themselves live in the repository's `bench/`
folder; this package is importable so that `maatwerk bench generate` works from an installed package.
See bench/README.md.
"""
