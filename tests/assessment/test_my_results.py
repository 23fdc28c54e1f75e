"""Students and parents see the PTA, their own results and module outcomes; nobody else's."""

from __future__ import annotations

from django.urls import reverse

from maatwerk.accounts.models import Role
from maatwerk.assessment import services
from maatwerk.assessment.models import Pta, PtaStatus
from tests import factories as f


def _grade_everyone(exam):
    for student, (a, b) in zip(exam.students, [("7,0", "5,9"), ("4,0", "4,5"), ("8,0", "8,8")], strict=True):
        f.AssessorAssignmentFactory(assessor=exam.assessor, item=exam.items[0], student=student)
        services.save_result(by=exam.assessor, student=student, item=exam.items[0], value=a, version=0,
                             comment="Goed voorbereid." if student == exam.students[0] else "")
        services.save_result(by=exam.teacher, student=student, item=exam.items[1], value=b, version=0)


def test_student_sees_own_results_and_module_outcome(client, login, exam):
    _grade_everyone(exam)
    Pta.objects.filter(pk=exam.pta.pk).update(status=PtaStatus.PUBLISHED)
    pupil = f.member(Role.STUDENT, school=exam.school, student=exam.students[0])
    login(client, pupil)
    response = client.get(reverse("assessment:my_results"))
    assert response.status_code == 200
    html = response.content.decode()
    assert "Mijn resultaten" in html and "ZW1.1" in html and "7,0" in html and "5,9" in html
    assert "behaald" in html and "6,3" in html and "Goed voorbereid." in html
    assert "4,5" not in html and "8,8" not in html  # classmates' grades


def test_parent_sees_their_childs_results(client, login, exam):
    _grade_everyone(exam)
    Pta.objects.filter(pk=exam.pta.pk).update(status=PtaStatus.PUBLISHED)
    parent = f.member(Role.PARENT, school=exam.school, student=exam.students[1])
    login(client, parent)
    html = client.get(reverse("assessment:my_results")).content.decode()
    assert f"Resultaten van {exam.students[1].first_name}" in html
    assert "niet behaald" in html and "4,5" in html and "5,9" not in html
    html = client.get(reverse("assessment:my_results") + f"?leerling={exam.students[0].pk}").content.decode()
    assert "5,9" not in html  # another child id in the URL is ignored


def test_before_publication_the_student_sees_outcomes_but_no_pta(client, login, exam):
    _grade_everyone(exam)
    pupil = f.member(Role.STUDENT, school=exam.school, student=exam.students[0])
    login(client, pupil)
    html = client.get(reverse("assessment:my_results")).content.decode()
    assert "nog niet gepubliceerd" in html


def test_staff_have_no_my_results_page(client, login, exam):
    login(client, exam.teacher)
    assert client.get(reverse("assessment:my_results")).status_code == 404
