"""Imports are all-or-nothing with a dry run that lists every bad row; the generic table reader reads
what Dutch school administrations export; exports cannot inject formulas."""

from __future__ import annotations

import io

import pytest
from django.core.exceptions import PermissionDenied
from openpyxl import Workbook, load_workbook

from maatwerk.accounts.models import Membership, Role, User
from maatwerk.schools import imports
from maatwerk.schools.models import Offering, TeachingGroup
from maatwerk.students.models import Student
from maatwerk.web.tabular import Column, TableError, read_table, safe_cell, write_csv, write_xlsx
from tests import factories as f

from .conftest import version

pytestmark = pytest.mark.django_db

STUDENTS_OK = (
    "Stamnummer;Roepnaam;Tussenvoegsel;Achternaam;Leerweg;Leerjaar;Stamklas\n"
    "240001;Sanne;;Jansen;KB;3;3K1\n"
    "240002;Daan;de;Vries;vmbo-b;3;3B1\n"
    "240003;Aylin;;Öztürk;Gemengde leerweg;3;3G\n"
)


def xlsx(rows) -> bytes:
    wb = Workbook()
    for row in rows:
        wb.active.append(row)
    out = io.BytesIO()
    wb.save(out)
    return out.getvalue()


# --- the table reader ------------------------------------------------------------------------------

COLUMNS = [Column("number", "Leerlingnummer", ("stamnummer", "leerlingnr")), Column("name", "Naam"),
           Column("klas", "Klas", required=False)]


@pytest.mark.parametrize("encoding", ["utf-8", "utf-8-sig", "cp1252"])
@pytest.mark.parametrize("delimiter", [";", ",", "\t"])
def test_csv_in_every_encoding_and_delimiter(encoding, delimiter):
    text = f"Leerling-nr.{delimiter}Naam{delimiter}Extra\r\n1{delimiter}Öztürk{delimiter}x\r\n\r\n2{delimiter}Zoë{delimiter}y\r\n"
    table = read_table(io.BytesIO(text.encode(encoding)), columns=COLUMNS, filename="x.csv")
    assert [(r.line, r.get("number"), r.get("name")) for r in table.rows] == [(2, "1", "Öztürk"), (4, "2", "Zoë")]
    assert table.ignored == ["Extra"]


def test_quoted_cells_with_newlines_keep_the_line_numbers():
    text = 'Stamnummer;Naam\n1;"Jan\nde tweede"\n2;Piet\n'
    table = read_table(text, columns=COLUMNS)
    assert [r.line for r in table.rows] == [2, 4]


def test_xlsx_is_read_with_sheet_row_numbers():
    raw = xlsx([["Leerlingnummer", "Naam"], [240001, "Sanne"], [None, None], [240002.0, "Daan"]])
    table = read_table(io.BytesIO(raw), columns=COLUMNS, filename="export.xlsx")
    assert [(r.line, r.get("number")) for r in table.rows] == [(2, "240001"), (4, "240002")]


def test_missing_columns_and_broken_files_are_named():
    with pytest.raises(TableError) as exc:
        read_table("Voornaam;Klas\nSanne;3K\n", columns=COLUMNS)
    assert "Leerlingnummer" in exc.value.nl and "Naam" in exc.value.nl
    with pytest.raises(TableError):
        read_table(b"PK\x03\x04rubbish", filename="x.xlsx")
    with pytest.raises(TableError):
        read_table(b"", filename="x.csv")


@pytest.mark.parametrize("value", ["=1+1", "+31 6 1234", "-2+3", "@SUM(A1)", "\t=cmd", "=HYPERLINK(\"x\")"])
def test_safe_cell_neutralises_formulas(value):
    assert safe_cell(value).startswith("'")
    body = write_csv(["a"], [[value]]).decode("utf-8-sig")
    assert body.splitlines()[1].lstrip('"').startswith("'")
    sheet = load_workbook(io.BytesIO(write_xlsx(["a"], [[value]]))).active
    assert sheet["A2"].data_type == "s" and sheet["A2"].value.startswith("'")


def test_safe_cell_keeps_numbers_and_plain_text():
    assert safe_cell(-3) == -3 and safe_cell(6.5) == 6.5 and safe_cell("Jansen") == "Jansen"
    assert safe_cell(None) == ""


# --- imports: all-or-nothing -----------------------------------------------------------------------

def test_student_import_creates_and_updates(school, leader):
    report = imports.run_import("leerlingen", STUDENTS_OK, school=school, by=leader, dry_run=False)
    assert report.ok and report.applied and report.created == 3
    assert {s.leerweg for s in Student.objects.filter(school=school)} == {"KB", "BB", "GL"}
    assert Student.objects.get(student_number="240002").infix == "de"
    changed = STUDENTS_OK.replace("240001;Sanne;;Jansen;KB;3;3K1", "240001;Sanne;;Jansen;KB;4;4K1")
    report = imports.run_import("leerlingen", changed, school=school, by=leader, dry_run=False)
    assert (report.created, report.updated, report.unchanged) == (0, 1, 2)
    assert Student.objects.get(student_number="240001").year_level == 4


def test_dry_run_lists_every_bad_row_and_changes_nothing(school, leader):
    bad = (
        "Leerlingnummer;Roepnaam;Achternaam;Leerweg;Leerjaar\n"
        "1;Sanne;Jansen;KB;3\n"           # line 2: fine
        "2;Daan;;BB;3\n"                  # line 3: no last name
        "3;Aylin;Kaya;vmbo-gt;3\n"        # line 4: GL or TL?
        "4;Bilal;Smit;KB;9\n"             # line 5: leerjaar
        "1;Emma;Bos;GL;3\n"               # line 6: duplicate number
        "5;Noah;Visser;XX;3\n"            # line 7: unknown leerweg
    )
    report = imports.run_import("leerlingen", bad, school=school, by=leader, dry_run=True)
    assert [e.line for e in report.errors] == [3, 4, 5, 6, 7]
    assert "regel 2" in report.errors[3].message
    assert not report.applied
    assert not Student.objects.filter(school=school).exists()
    # the same file for real: still nothing
    report = imports.run_import("leerlingen", bad, school=school, by=leader, dry_run=False)
    assert not report.applied and len(report.errors) == 5
    assert not Student.objects.filter(school=school).exists()


def test_a_clean_dry_run_changes_nothing_either(school, leader):
    report = imports.run_import("leerlingen", STUDENTS_OK, school=school, by=leader, dry_run=True)
    assert report.ok and report.created == 3 and not report.applied
    assert not Student.objects.exists()


def test_an_error_in_the_last_row_leaves_no_rows(school, leader):
    f.LicenceFactory(school=school)
    for code in ("ZW-K-01", "ZW-K-02", "ZW-K-03"):
        version(code)
    version("EO-K-01", profielen=("EO",))  # no licence for EO
    text = ("Schooljaar;Modulecode;Leerwegen;Plaatsen\n"
            "2026-2027;ZW-K-01;BB,KB;24\n2026-2027;ZW-K-02;;\n2026-2027;ZW-K-03;GL;16\n"
            "2026-2027;EO-K-01;KB;\n")
    report = imports.run_import("aanbod", text, school=school, by=leader, dry_run=False)
    assert [e.line for e in report.errors] == [5]
    assert "licentie" in report.errors[0].message
    assert not Offering.objects.exists()
    fixed = text.replace("2026-2027;EO-K-01;KB;\n", "")
    report = imports.run_import("aanbod", fixed, school=school, by=leader, dry_run=False)
    assert report.applied and Offering.objects.filter(school=school, school_year=2026).count() == 3
    assert Offering.objects.get(module_version__module__code="ZW-K-01").leerwegen == ["BB", "KB"]


def test_offering_import_from_xlsx_with_header_variations(school, leader):
    f.LicenceFactory(school=school)
    version("ZW-K-05")
    raw = xlsx([["Jaar", "Module", "Leerweg", "Capaciteit"], ["2026/27", "zw-k-05", "bb kb", 20]])
    report = imports.run_import("aanbod", io.BytesIO(raw), school=school, by=leader, dry_run=False,
                                filename="aanbod.xlsx")
    assert report.applied, report.errors
    assert Offering.objects.get().capacity == 20


def test_staff_import_adds_memberships_at_this_school_only(school, leader):
    text = ("E-mailadres,Voornaam,Achternaam,Rol\n"
            "k.demir@school.example,Kaya,Demir,docent en mentor\n"
            "j.smit@school.example,Jan,Smit,decaan\n")
    report = imports.run_import("medewerkers", text, school=school, by=leader, dry_run=False)
    assert report.applied, report.errors
    user = User.objects.get(email="k.demir@school.example")
    assert set(Membership.objects.filter(user=user).values_list("role", flat=True)) == {Role.TEACHER, Role.MENTOR}
    assert not user.has_usable_password()
    bad = "E-mailadres;Rol\ngeen-mail;docent\nx@school.example;conciërge\n"
    report = imports.run_import("medewerkers", bad, school=school, by=leader, dry_run=False)
    assert [e.line for e in report.errors] == [2, 3]


def test_a_counsellor_may_not_import_people(school, counsellor):
    with pytest.raises(PermissionDenied):
        imports.run_import("leerlingen", STUDENTS_OK, school=school, by=counsellor, dry_run=True)


def test_teaching_group_import_mixes_leerwegen_and_reports_lines(school, leader):
    f.LicenceFactory(school=school)
    v = version("ZW-K-09")
    from maatwerk.schools import services

    services.plan_offering(school=school, module_version=v, school_year=2026, by=leader)
    imports.run_import("leerlingen", STUDENTS_OK + "240004;Sem;;Bos;TL;3;3T\n", school=school, by=leader,
                       dry_run=False)
    text = ("Lesgroep;Vak;Schooljaar;Periode;Stamnummer\n"
            "3zw1;ZW-K-09;2026-2027;1;240001\n3zw1;ZW-K-09;2026-2027;1;240002\n3zw1;ZW-K-09;2026-2027;1;240003\n")
    report = imports.run_import("lesgroepen", text, school=school, by=leader, dry_run=False)
    assert report.applied, report.errors
    group = TeachingGroup.objects.get()
    assert sorted(s.leerweg for s in group.students.all()) == ["BB", "GL", "KB"]
    bad = text + "3zw1;ZW-K-09;2026-2027;1;240004\n3zw1;ZW-K-09;2026-2027;1;999999\n"
    report = imports.run_import("lesgroepen", bad, school=school, by=leader, dry_run=False)
    assert [e.line for e in report.errors] == [5, 6]  # a TL student in a BB/KB/GL module; an unknown student
    assert group.students.count() == 3


def test_export_has_the_import_columns_and_round_trips(school, leader):
    imports.run_import("leerlingen", STUDENTS_OK, school=school, by=leader, dry_run=False)
    Student.objects.filter(student_number="240001").update(last_name="=HYPERLINK(\"http://x\")")
    headers, rows = imports.export_rows("leerlingen", school=school, by=leader)
    assert headers[:5] == ["Leerlingnummer", "Roepnaam", "Tussenvoegsel", "Achternaam", "Leerweg"]
    body = write_csv(headers, rows)
    assert "'=HYPERLINK" in body.decode("utf-8-sig")
    report = imports.run_import("leerlingen", body, school=school, by=leader, dry_run=True)
    assert report.ok and report.unchanged == 3  # the escaped name is read back as it was


def test_the_command_line_imports_as_a_user_and_exits_2_on_a_bad_row(school, leader, tmp_path, capsys):
    from django.core.management import call_command

    good = tmp_path / "leerlingen.csv"
    good.write_text(STUDENTS_OK, encoding="utf-8")
    call_command("schools", "import", "leerlingen", str(good), "--school", school.brin, "--as", leader.email)
    assert not Student.objects.exists()  # a dry run without --apply
    call_command("schools", "import", "leerlingen", str(good), "--school", school.brin, "--as", leader.email,
                 "--apply")
    assert Student.objects.filter(school=school).count() == 3
    bad = tmp_path / "fout.csv"
    bad.write_text(STUDENTS_OK + "240009;;Kaya;KB;3;3K1\n", encoding="utf-8")
    with pytest.raises(SystemExit) as exc:
        call_command("schools", "import", "leerlingen", str(bad), "--school", school.brin, "--as", leader.email,
                     "--apply")
    assert exc.value.code == 2 and "regel 5" in capsys.readouterr().err
    out = tmp_path / "export.xlsx"
    call_command("schools", "export", "leerlingen", str(out), "--school", school.brin, "--as", leader.email)
    assert load_workbook(out).active.max_row == 4
