"""Grade import: CSV or XLSX in the shapes school administrations export; all or nothing, with a dry run
that lists every bad row with its line number and reason."""

from __future__ import annotations

import io
from decimal import Decimal

import pytest
from django.core.files.uploadedfile import SimpleUploadedFile
from django.urls import reverse
from openpyxl import Workbook

from maatwerk.assessment import services
from maatwerk.assessment.imports import import_results
from maatwerk.assessment.models import Result


def csv_bytes(text: str, encoding="utf-8") -> bytes:
    return text.replace("\n", "\r\n").encode(encoding)


def test_semicolon_csv_with_decimal_commas(exam):
    s = exam.students
    data = csv_bytes(f"leerlingnummer;toetscode;cijfer\n{s[0].student_number};ZW1.2;6,5\n"
                     f"{s[1].student_number};zw1.2;7\n{s[2].student_number};ZW1.2;8.1\n")
    report = import_results(by=exam.teacher, upload=data, dry_run=False)
    assert report.ok and report.created == 3, report.errors
    assert sorted(Result.objects.values_list("grade", flat=True)) == [Decimal("6.5"), Decimal("7.0"),
                                                                      Decimal("8.1")]


def test_one_bad_row_changes_nothing_and_every_bad_row_is_listed(exam):
    s = exam.students
    services.save_result(by=exam.teacher, student=s[0], item=exam.items[1], value="5,0", version=0)
    data = csv_bytes(f"Stamnr;Kolom;Resultaat\n{s[0].student_number};ZW1.2;6,5\n{s[1].student_number};ZW1.2;10,1\n"
                     f"999999;ZW1.2;7\n{s[2].student_number};XX9;7\n{s[2].student_number};ZW1.2;6,55\n")
    report = import_results(by=exam.teacher, upload=data, dry_run=False)
    assert not report.ok and not report.written
    assert [(e.line, e.column) for e in report.errors] == [(3, "cijfer"), (4, "leerlingnummer"), (5, "toetscode"),
                                                           (6, "cijfer")]
    messages = " ".join(e.message for e in report.errors)
    assert "ligt niet tussen 1,0 en 10,0" in messages and "999999 is niet gevonden" in messages
    assert "XX9 staat niet in een vastgesteld PTA" in messages and "meer dan één decimaal" in messages
    assert list(Result.objects.values_list("grade", flat=True)) == [Decimal("5.0")]  # line 2 was rolled back
    assert Result.objects.get().history.count() == 1


def test_a_dry_run_lists_the_changes_and_writes_nothing(exam):
    s = exam.students
    services.save_result(by=exam.teacher, student=s[0], item=exam.items[1], value="5,0", version=0)
    data = csv_bytes(f"leerlingnummer,toetscode,cijfer\n{s[0].student_number},ZW1.2,\"6,5\"\n"
                     f"{s[1].student_number},ZW1.2,7\n")
    report = import_results(by=exam.teacher, upload=data, dry_run=True)
    assert report.ok and not report.written and (report.created, report.updated) == (1, 1)
    assert [(c.line, c.old, c.new) for c in report.changes] == [(2, "5,0", "6,5"), (3, "", "7,0")]
    assert list(Result.objects.values_list("grade", flat=True)) == [Decimal("5.0")]


@pytest.mark.parametrize("encoding,bom", [("utf-8", True), ("utf-8", False), ("cp1252", False)])
def test_encodings(exam, encoding, bom):
    s = exam.students
    text = f"Leerlingnummer;Achternaam;Toetscode;Cijfer;Opmerking\n{s[0].student_number};Öztürk;ZW1.2;6,5;prima gedaan\n"
    raw = csv_bytes(text, encoding)
    if bom:
        raw = b"\xef\xbb\xbf" + raw
    report = import_results(by=exam.teacher, upload=raw, dry_run=False)
    assert report.ok, (report.errors, report.file_error)
    assert Result.objects.get().comment == "prima gedaan"
    assert "Achternaam" in report.ignored_columns


def test_resits_and_dates_in_the_long_shape(exam):
    n = exam.students[0].student_number
    data = csv_bytes(f"leerlingnummer;toetscode;cijfer;poging;datum\n{n};ZW1.2;4,0;1;10-03-2026\n"
                     f"{n};ZW1.2;6,0;2;14-04-2026\n{n};ZW1.2;7,0;3;15-04-2026\n")
    report = import_results(by=exam.teacher, upload=data, dry_run=False)
    assert [e.line for e in report.errors] == [4]
    assert "ten hoogste 2 pogingen" in report.errors[0].message
    assert not Result.objects.exists()


def test_xlsx_wide_cijferoverzicht(exam):
    workbook = Workbook()
    sheet = workbook.active
    sheet.append(["Stamnummer", "Naam", "ZW1.1", "ZW1.2"])
    sheet.append([int(exam.students[0].student_number), "Noah", None, 6.5])
    sheet.append([int(exam.students[1].student_number), "Emma", None, "7,2"])
    out = io.BytesIO()
    workbook.save(out)
    report = import_results(by=exam.teacher, upload=out.getvalue(), filename="cijfers.xlsx", dry_run=False)
    assert report.ok and report.shape == "wide" and report.created == 2 and report.skipped == 2, report.errors
    assert sorted(Result.objects.values_list("grade", flat=True)) == [Decimal("6.5"), Decimal("7.2")]


def test_a_file_without_the_columns_is_refused(exam):
    report = import_results(by=exam.teacher, upload=csv_bytes("naam;klas\nNoah;3KB\n"), dry_run=False)
    assert not report.ok and "Leerlingnummer" in report.file_error


def test_duplicate_rows_are_refused(exam):
    n = exam.students[0].student_number
    report = import_results(by=exam.teacher, upload=csv_bytes(f"leerlingnummer;toetscode;cijfer\n{n};ZW1.2;6\n"
                                                              f"{n};ZW1.2;7\n"), dry_run=False)
    assert [e.line for e in report.errors] == [3] and "al een cijfer op regel 2" in report.errors[0].message


def test_the_import_page(client, login, exam):
    login(client, exam.teacher)
    n = exam.students[0].student_number
    upload = SimpleUploadedFile("cijfers.csv", csv_bytes(f"leerlingnummer;toetscode;cijfer\n{n};ZW1.2;6,5\n"))
    response = client.post(reverse("assessment:grade_import"), {"file": upload, "dry_run": "on"})
    html = response.content.decode()
    assert response.status_code == 200 and "Proefimport: alles is in orde" in html and not Result.objects.exists()
    upload = SimpleUploadedFile("cijfers.csv", csv_bytes(f"leerlingnummer;toetscode;cijfer\n{n};ZW1.2;66\n"))
    response = client.post(reverse("assessment:grade_import"), {"file": upload})
    assert response.status_code == 400 and "Er is niets opgeslagen" in response.content.decode()
    upload = SimpleUploadedFile("cijfers.csv", csv_bytes(f"leerlingnummer;toetscode;cijfer\n{n};ZW1.2;6,5\n"))
    client.post(reverse("assessment:grade_import"), {"file": upload})
    result = Result.objects.get()
    assert result.grade == Decimal("6.5") and result.history.first().history_change_reason == "import cijfers.csv"
