"""AVG: inzage (everything about one student) and retention (anonymise leavers)."""

from __future__ import annotations

import datetime as dt
import io
import json

import pytest
from django.core.management import call_command
from django.urls import reverse
from pypdf import PdfReader

from maatwerk.accounts.models import Membership, Role, User
from maatwerk.catalog.models import ModuleUsageReport
from maatwerk.students.models import CareerActivity, Student
from maatwerk.web.privacy import collect_student_data


@pytest.fixture
def world(two_schools):
    return two_schools


def test_export_contains_every_kind_of_record_about_the_student(world):
    student = world["a"]["students"][0]
    data = collect_student_data(student)
    kinds = set(data["gegevens"])
    for label in ["students.Student", "students.Programme", "students.ProgrammeItem", "students.CareerActivity",
                  "students.CareerConversation", "assessment.Result", "assessment.KernObservation",
                  "assessment.ModuleResult", "assessment.SubjectGrade", "diploma.ExamDecision",
                  "diploma.ModuleCredential", "accounts.Membership"]:
        assert label in kinds, label
    assert {a["rol"] for a in data["accounts"]} >= {"Leerling", "Ouder/verzorger"}
    text = json.dumps(data, ensure_ascii=False)
    assert student.last_name in text
    other = world["a"]["students"][2]
    assert other.student_number not in text  # nothing about another student
    assert "password" not in text


def test_schoolleider_student_and_parent_may_download_others_not(client, login, world):
    a, b = world["a"], world["b"]
    student = a["students"][0]
    url = reverse("privacy_export_json", args=[student.pk])
    for user in (a["staff"][Role.SCHOOL_LEADER], a["student_user"], a["parent"]):
        login(client, user)
        response = client.get(url)
        assert response.status_code == 200, user
        assert json.loads(response.content)["over"]["leerlingnummer"] == student.student_number
    login(client, a["staff"][Role.MENTOR])
    assert client.get(url).status_code == 403
    for user in (b["staff"][Role.SCHOOL_LEADER], b["student_user"], b["parent"]):
        login(client, user)
        assert client.get(url).status_code == 404
    login(client, a["student_user"])
    assert client.get(reverse("privacy_export_json", args=[a["students"][1].pk])).status_code == 404


def test_pdf_export_is_readable(client, login, world):
    student = world["a"]["students"][0]
    login(client, world["a"]["staff"][Role.SCHOOL_LEADER])
    response = client.get(reverse("privacy_export_pdf", args=[student.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert student.student_number in text and "LOB-activiteiten" in text


def test_retention_anonymises_leavers_after_the_period_and_dry_run_changes_nothing(world, settings):
    settings.MAATWERK = {**settings.MAATWERK, "RETENTION_YEARS_AFTER_LEAVING": 2}
    student = world["a"]["students"][0]
    stay = world["a"]["students"][1]
    Student.objects.filter(pk=student.pk).update(left_on=dt.date(2022, 7, 15))
    Student.objects.filter(pk=stay.pk).update(left_on=dt.date(2023, 7, 15))
    name = student.last_name
    out = io.StringIO()
    call_command("privacy", "retention", "--date", "2025-07-14", "--dry-run", stdout=out)
    assert "1 leerling(en)" in out.getvalue()
    assert Student.objects.get(pk=student.pk).last_name == name

    call_command("privacy", "retention", "--date", "2025-07-14", stdout=io.StringIO())
    student.refresh_from_db()
    stay.refresh_from_db()
    assert student.first_name == "Geanonimiseerd" and name not in student.last_name
    assert stay.first_name != "Geanonimiseerd"  # left 2023: still inside the period on 2025-07-14
    assert not CareerActivity.objects.filter(student=student).exists()
    assert not CareerActivity.history.model.objects.filter(student_id=student.pk).exists()
    assert not Membership.objects.filter(student=student).exists()
    user = User.objects.get(pk=world["a"]["student_user"].pk)
    assert not user.is_active and user.email.endswith("@anoniem.invalid") and not user.has_usable_password()
    # exam outcomes stay, anonymously
    assert student.exam_decisions.exists() and student.module_results.exists()
    # a second run finds nothing more
    out = io.StringIO()
    call_command("privacy", "retention", "--date", "2025-07-14", stdout=out)
    assert "0 leerling(en)" in out.getvalue()


def test_usage_reports_to_the_menukaart_hold_no_personal_data(db):
    fields = {f.name for f in ModuleUsageReport._meta.get_fields()}
    assert fields == {"id", "module", "school_year", "brin", "exams_taken", "source", "reported_at"}
    for field in ModuleUsageReport._meta.get_fields():
        if field.is_relation:
            assert field.related_model._meta.label == "catalog.Module"
