"""Validation of every student's programme through the engine's bridge, vs reading the same rows.

    .venv/bin/python bench/programme_validation.py [--profile cprofile|pyinstrument]

Real path, per school (as the students app evaluates a programme): engine.policy_input and
engine.offering_input of the school (every school year), engine.programme_inputs of all its programmes
(three queries whatever their number), the regulation of each programme (engine.regulation_of), then
rules.validate_programme for each. Nothing is written.

Floor: the same rows (programmes with student and profiel, programme items, each module version with its
module and profielen once, the school's offering and licences) fetched as plain tuples with values_list.
"""

from __future__ import annotations

import argparse
from collections import Counter

from django.db import connection

import _setup  # noqa: F401
from _common import emit, profiled, ratio, timed
from maatwerk import engine
from maatwerk.catalog.models import Module, ModuleVersion, Profiel
from maatwerk.rules import validate_programme
from maatwerk.schools.models import Licence, Offering, School
from maatwerk.students.models import Programme, ProgrammeItem


def _columns(model, prefix=""):
    return [f"{prefix}{f.attname}" for f in model._meta.concrete_fields]


def read_floor(schools) -> int:
    """The rows the real path reads, as plain tuples: per school the programmes with their student, the items,
    each module version once (with its module and profielen), the offering and the licences."""
    rows = 0
    through = ModuleVersion.profielen.through
    for school in schools:
        programmes = list(Programme.objects.filter(student__school=school).values_list(
            "pk", "regulation_id", "student_id", "student__leerweg", "student__year_level", "student__cohort",
            "student__profiel__code"))
        items = list(ProgrammeItem.objects.filter(programme__in=[p[0] for p in programmes])
                     .order_by("school_year", "period", "pk")
                     .values_list("programme_id", "module_version_id", "school_year", "year_level", "status"))
        versions = {i[1] for i in items}
        rows += len(programmes) + len(items)
        rows += len(list(ModuleVersion.objects.filter(pk__in=versions).values_list(
            *_columns(ModuleVersion), *_columns(Module, "module__"))))
        rows += len(list(through.objects.filter(moduleversion_id__in=versions).values_list(
            "moduleversion_id", *_columns(Profiel, "profiel__"))))
        rows += len(list(Offering.objects.filter(school=school).values_list(
            "module_version__module__code", "school_year", "for_bb", "for_kb", "for_gl", "for_tl")))
        rows += len(list(Licence.objects.filter(school=school).values_list(*_columns(Licence),
                                                                           *_columns(Profiel, "profiel__"))))
    return rows


def validate_all(schools) -> tuple[int, Counter]:
    n, codes = 0, Counter()
    for school in schools:
        policy = engine.policy_input(school)
        offering = engine.offering_input(school)
        inputs = engine.programme_inputs(Programme.objects.filter(student__school=school))
        regulations = {}
        for programme in Programme.objects.filter(student__school=school).values_list("pk", "regulation_id",
                                                                                       "student__cohort"):
            pk, regulation_id, cohort = programme
            key = (regulation_id, cohort)
            if key not in regulations:
                regulations[key] = engine.regulation_of(regulation_id, cohort)
            verdict = validate_programme(inputs[pk], regulations[key], policy, offering)
            n += 1
            codes["ok" if verdict.ok else "not ok"] += 1
            codes.update(f.code for f in verdict.errors)
    return n, codes


def main(argv=None) -> None:
    parser = argparse.ArgumentParser(description=__doc__, formatter_class=argparse.RawDescriptionHelpFormatter)
    parser.add_argument("--profile", choices=("cprofile", "pyinstrument"))
    args = parser.parse_args(argv)
    schools = list(School.objects.order_by("pk"))
    with timed() as floor:
        rows = read_floor(schools)
    with profiled(args.profile, "programme validation"), timed() as real:
        n, codes = validate_all(schools)
    print(f"programme validation: {n:,} programmes at {len(schools):,} schools on {connection.vendor}")
    print(f"  real path  {real.wall:8.2f} s wall ({real.cpu:.2f} s CPU in Python) = {n / real.wall:,.0f} verdicts/s")
    print(f"  read floor {floor.wall:8.2f} s wall for {rows:,} rows; ratio {ratio(real.wall, floor.wall):.2f}x")
    print(f"  valid {codes['ok']:,}, not valid {codes['not ok']:,}; errors "
          f"{dict(sorted((k, v) for k, v in codes.items() if k not in ('ok', 'not ok')))}")
    emit("programme_validation", programmes=n, schools=len(schools), seconds=round(real.wall, 2),
         cpu_seconds=round(real.cpu, 2), floor_seconds=round(floor.wall, 2), floor_rows=rows,
         ratio=round(ratio(real.wall, floor.wall), 2), per_second=round(n / real.wall), valid=codes["ok"],
         not_valid=codes["not ok"])


if __name__ == "__main__":
    main()
