"""Bad files for every import (Hypothesis): the school's offering, students, staff and teaching groups
(schools.imports), grades (assessment.imports) and usage counts (catalog). Garbage cells, huge cells,
missing or extra columns, and the encodings school administrations really write: UTF-8 with and without
BOM, Windows-1252 (Latin-1), UTF-16; ; , or tab between the cells.

An import never crashes, explains every bad row in Dutch, and is all-or-nothing: when it does not apply,
nothing in the database changed. And the encodings are read right: names with accents survive a
Windows-1252 or UTF-8-with-BOM file exactly.
"""

from __future__ import annotations

import io
from collections.abc import Callable
from dataclasses import dataclass

import pytest
from django.db import transaction
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tests.security.test_forms_fuzz import ENGLISH

pytestmark = pytest.mark.django_db

ENCODINGS = ("utf-8", "utf-8-sig", "cp1252", "utf-16")
DELIMITERS = (";", ",", "\t")


@dataclass
class Import:
    headers: list[str]
    run: Callable  # (world, data: bytes) -> (applied: bool, messages: list[str])
    models: tuple[str, ...]  # "app.Model" whose rows must not change when it does not apply


def _schools(kind):
    def run(w, data):
        from maatwerk.schools.imports import run_import

        report = run_import(kind, io.BytesIO(data), school=w["target"]["school"], by=w["users"]["school_leader"],
                            dry_run=False, filename="bestand.csv", school_year=2026)
        return report.applied, [e.message for e in report.errors]
    return run


def _grades(w, data):
    from maatwerk.assessment.imports import import_results

    report = import_results(by=w["users"]["exam_secretary"], upload=io.BytesIO(data), dry_run=False,
                            filename="cijfers.csv")
    return report.written, [e.message for e in report.errors] + ([report.file_error] if report.file_error else [])


def _usage(w, data):
    from maatwerk.catalog.services import import_usage_csv

    result = import_usage_csv(by=w["users"]["steward"], data=data)
    return result.ok and result.rows > 0, [message for _, message in result.errors]


def imports() -> dict[str, Import]:
    from maatwerk.schools.imports import IMPORTERS

    found = {f"schools:{kind}": Import([c.label for c in cls.columns], _schools(kind),
                                       ("students.Student", "schools.Offering", "schools.TeachingGroup",
                                        "accounts.Membership", "accounts.User"))
             for kind, cls in IMPORTERS.items()}
    found["assessment:cijfers"] = Import(["Leerlingnummer", "Toetscode", "Cijfer"], _grades,
                                         ("assessment.Result", "assessment.ModuleResult"))
    found["catalog:gebruik"] = Import(["modulecode", "schooljaar", "brin", "aantal_examens"], _usage,
                                      ("catalog.ModuleUsageReport",))
    return found


def _fingerprint(models) -> dict:
    from django.apps import apps

    return {name: list(apps.get_model(name).objects.order_by("pk").values()) for name in models}


def _plausible(w) -> list[str]:
    t = w["target"]
    return [t["student"].student_number, t["item"].code, t["module"].code, t["school"].brin, "KB", "BB,KB", "3",
            "2025-2026", "2026", "6,5", "7.0", "10,1", "0,9", "voldoende", "3K1", "leerling@example.nl", "docent",
            "mentor", t["offering"].module_version.module.code, ""]


cell = st.one_of(st.text(max_size=30), st.text(min_size=500, max_size=3000), st.just("x" * 100_000),
                 st.sampled_from(["=1+1", "'=2", "\x00", "\u202e", "😀", "Zoë", "9" * 5000, "-1", "NaN"]))


def _table(w, spec: Import):
    header = st.one_of(st.just(spec.headers), st.permutations(spec.headers),
                       st.lists(st.sampled_from([*spec.headers, "Extra kolom", ""]), max_size=6),
                       st.lists(st.text(max_size=12), max_size=4))
    row = st.lists(st.one_of(cell, st.sampled_from(_plausible(w))), max_size=len(spec.headers) + 2)
    return st.tuples(header, st.lists(row, max_size=6))


def _encode(table, encoding: str, delimiter: str) -> bytes:
    import csv

    out = io.StringIO()
    writer = csv.writer(out, delimiter=delimiter, lineterminator="\r\n")
    header, rows = table
    writer.writerow(header)
    writer.writerows(rows)
    return out.getvalue().encode(encoding, errors="replace")


@pytest.mark.parametrize("name", sorted(imports()))
def test_an_import_refuses_bad_files_and_changes_nothing(world, name):
    spec = imports()[name]

    @settings(max_examples=25, deadline=None, database=None, derandomize=True,
              suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.too_slow,
                                     HealthCheck.data_too_large])
    @given(st.one_of(
        st.tuples(_table(world, spec), st.sampled_from(ENCODINGS), st.sampled_from(DELIMITERS)).map(
            lambda args: _encode(*args)),
        st.binary(max_size=3000),
    ))
    def check(data):
        with transaction.atomic():
            before = _fingerprint(spec.models)
            applied, messages = spec.run(world, data)
            after = _fingerprint(spec.models)
            transaction.set_rollback(True)
        english = [m for m in messages if any(e in m for e in ENGLISH)]
        assert not english, english
        if not applied:
            assert messages, f"{name}: refused without saying why"
            assert before == after, f"{name}: a refused import changed the database"

    check()


# --- what administrations export: Windows-1252 and UTF-8 with BOM -----------------------------------------

NAMES = [("Zoë", "Ünal"), ("François", "Çelik"), ("Ruud", "van 't Hek"), ("Noël", "Ærts-Østergård")]


@pytest.mark.parametrize("encoding", ["cp1252", "latin-1", "utf-8-sig", "utf-16"])
def test_students_with_accents_survive_every_encoding(world, encoding):
    from maatwerk.schools.imports import run_import
    from maatwerk.students.models import Student

    lines = ["Stamnr;Roepnaam;Achternaam;Leerweg;Leerjaar;Klas"]  # Magister's headers
    lines += [f"{700000 + i};{first};{last};KB;3;3K1" for i, (first, last) in enumerate(NAMES)]
    data = ("\r\n".join(lines) + "\r\n").encode(encoding)
    w = world
    with transaction.atomic():
        report = run_import("leerlingen", io.BytesIO(data), school=w["target"]["school"],
                            by=w["users"]["school_leader"], dry_run=False, filename="leerlingen.csv")
        assert report.applied, [e.message for e in report.errors]
        stored = {(s.first_name, s.last_name) for s in Student.objects.filter(student_number__startswith="70000")}
        transaction.set_rollback(True)
    assert stored == set(NAMES)


@pytest.mark.parametrize("encoding", ["cp1252", "utf-8-sig"])
def test_grades_in_every_encoding(world, encoding):
    from maatwerk.assessment.imports import import_results

    t = world["target"]
    data = (f"Leerlingnummer;Toetscode;Cijfer;Opmerking\r\n"
            f"{t['student'].student_number};{t['item'].code};7,5;Prima gedaan, Zoë\r\n").encode(encoding)
    with transaction.atomic():
        report = import_results(by=world["users"]["exam_secretary"], upload=io.BytesIO(data), dry_run=True,
                                filename="cijfers.csv")
        transaction.set_rollback(True)
    assert report.ok, (report.file_error, [e.message for e in report.errors])
    assert report.rows == 1
