"""External assessors see only the students and items assigned to them, score the rubric and comment,
and cannot see any other grade: through the pages and the API (404)."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from maatwerk.accounts.models import Role
from maatwerk.accounts.scoping import visible_to
from maatwerk.assessment import services
from maatwerk.assessment.models import AssessorAssignment, KernObservation, ModuleResult, Result
from maatwerk.kern.models import KernObjective
from tests import factories as f


@pytest.fixture
def assigned(exam):
    """The assessor is assigned student 0 on item 0 (the partner's proeve); other grades exist."""
    item = exam.items[0]
    kern = KernObjective.objects.order_by("pk")[:2]
    services.set_rubric(by=services.SYSTEM, item=item, reason="beoordelingsmodel", criteria=[
        {"text": "Bereidt de maaltijd hygiënisch", "levels": [
            {"label": "onvoldoende", "points": 0, "descriptor": "Werkt onhygiënisch."},
            {"label": "voldoende", "points": 1, "descriptor": "Werkt meestal hygiënisch."},
            {"label": "goed", "points": 2, "descriptor": "Werkt steeds hygiënisch."}]},
        {"text": "Werkt samen met collega's", "kern_objective": kern[0].pk, "levels": [
            {"label": "onvoldoende", "points": 0, "descriptor": "Werkt alleen."},
            {"label": "voldoende", "points": 1, "descriptor": "Stemt af als het moet."},
            {"label": "goed", "points": 2, "descriptor": "Stemt uit zichzelf af."}]},
    ])
    services.assign_assessor(by=exam.teacher, assessor=exam.assessor, item=item, students=[exam.students[0]])
    other_item = services.save_result(by=exam.teacher, student=exam.students[0], item=exam.items[1], value="8,0",
                                      version=0)
    f.AssessorAssignmentFactory(assessor=f.member(Role.EXTERNAL_ASSESSOR, school=exam.school, partner=exam.partner),
                                item=item, student=exam.students[1])
    other_student = services.save_result(by=exam.teacher, student=exam.students[1], item=item, value="4,0",
                                         version=0)
    return {"exam": exam, "item": item, "assignment": AssessorAssignment.objects.get(assessor=exam.assessor),
            "hidden": [other_item, other_student]}


def test_the_assessor_sees_exactly_the_assigned_results(assigned):
    exam = assigned["exam"]
    mine = services.save_result(by=exam.assessor, student=exam.students[0], item=assigned["item"], value="7,0",
                                version=0)
    assert list(visible_to(exam.assessor, Result)) == [mine]
    assert not visible_to(exam.assessor, ModuleResult).exists()
    assert list(visible_to(exam.assessor, AssessorAssignment)) == [assigned["assignment"]]


def test_pages_show_only_the_assignment_and_404_elsewhere(client, login, assigned):
    exam = assigned["exam"]
    login(client, exam.assessor)
    html = client.get(reverse("assessment:assessor_home")).content.decode()
    assert exam.students[0].full_name in html and exam.students[1].full_name not in html
    assert "8,0" not in html and "4,0" not in html
    others = AssessorAssignment.objects.exclude(pk=assigned["assignment"].pk).get()
    assert client.get(reverse("assessment:assess", args=[others.pk])).status_code == 404
    assert client.get(reverse("assessment:gradebook", args=[exam.group.pk])).status_code == 404
    assert client.get(reverse("assessment:pta_detail", args=[exam.pta.pk])).status_code == 404
    assert client.get(reverse("assessment:my_results")).status_code == 404


def test_api_404s_every_other_grade(client, login, assigned):
    exam = assigned["exam"]
    login(client, exam.assessor)
    for hidden in assigned["hidden"]:
        response = client.get(f"/api/v1/assessment/results/{hidden.pk}/")
        assert response.status_code == 404 and response.json()["code"] == "not_found"
        response = client.patch(f"/api/v1/assessment/results/{hidden.pk}/", {"value": "10", "version": 1},
                                content_type="application/json")
        assert response.status_code == 404
    assert client.get("/api/v1/assessment/results/").json()["count"] == 0
    assert client.get("/api/v1/assessment/module-results/").json()["count"] == 0
    assert Result.objects.get(pk=assigned["hidden"][1].pk).grade == Decimal("4.0")


def test_the_assessor_scores_the_rubric_comments_and_observes_the_kern(client, login, assigned):
    exam = assigned["exam"]
    login(client, exam.assessor)
    url = reverse("assessment:assess", args=[assigned["assignment"].pk])
    html = client.get(url).content.decode()
    assert "Bereidt de maaltijd hygiënisch" in html and "Werkt steeds hygiënisch." in html
    rubric = assigned["item"].rubric
    c1, c2 = rubric.criteria.all()
    kern = assigned["item"].kern_objectives.first()
    response = client.post(url, {
        "version": "0", "attempt": "1", f"crit_{c1.pk}": c1.levels.get(points=2).pk,
        f"crit_{c2.pk}": c2.levels.get(points=1).pk, "comment": "Rustig en netjes gewerkt.",
        f"kern_{kern.pk}": "proficient"})
    assert response.status_code == 302, response.content.decode()[:2000]
    result = Result.objects.get(student=exam.students[0], item=assigned["item"])
    assert result.grade == Decimal("7.8")  # linear: 1 + 9 x 3/4 = 7.75 -> 7.8
    assert result.comment == "Rustig en netjes gewerkt." and result.assessor == exam.assessor
    assert result.rubric_scores["points"] == 3 and result.rubric_scores["maximum"] == 4
    observation = KernObservation.objects.get()
    assert (observation.objective, observation.level, observation.observed_by) == (kern, "proficient",
                                                                                   exam.assessor)
    assert result.history.first().history_user == exam.assessor


def test_a_stale_assessor_form_gets_a_conflict(client, login, assigned):
    exam = assigned["exam"]
    login(client, exam.assessor)
    url = reverse("assessment:assess", args=[assigned["assignment"].pk])
    services.save_result(by=exam.teacher, student=exam.students[0], item=assigned["item"], value="6,1", version=0)
    c1, c2 = assigned["item"].rubric.criteria.all()
    response = client.post(url, {"version": "0", "attempt": "1", f"crit_{c1.pk}": c1.levels.get(points=0).pk,
                                 f"crit_{c2.pk}": c2.levels.get(points=0).pk})
    assert response.status_code == 409
    assert "het is nu 6,1" in response.content.decode()
    assert Result.objects.get(student=exam.students[0], item=assigned["item"]).grade == Decimal("6.1")


def test_only_a_partner_item_gets_an_assessor_of_that_partner(assigned):
    exam = assigned["exam"]
    with pytest.raises(services.AssessmentError):  # item 1 is assessed by the school
        services.assign_assessor(by=exam.teacher, assessor=exam.assessor, item=exam.items[1],
                                 students=[exam.students[0]])
    stranger = f.member(Role.EXTERNAL_ASSESSOR, school=exam.school, partner=f.PartnerFactory(school=exam.school))
    with pytest.raises(services.AssessmentError):
        services.assign_assessor(by=exam.teacher, assessor=stranger, item=exam.items[0], students=[exam.students[0]])
