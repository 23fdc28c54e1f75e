"""The PTA: concept -> vastgesteld (schoolleider; after 1 October only with a reason, WVO 2.60a) ->
published (a PDF); a vastgesteld PTA's items change only with a reason, kept in the history."""

from __future__ import annotations

import datetime as dt
import io
from decimal import Decimal

import pytest
from django.core.exceptions import PermissionDenied
from django.db import transaction
from django.urls import reverse

from maatwerk.accounts.models import Role
from maatwerk.assessment import selectors, services
from maatwerk.assessment.models import Pta, PtaItem, PtaLocked, PtaStatus, Rubric
from tests import factories as f


@pytest.fixture
def concept(db):
    school = f.SchoolFactory()
    version = f.ModuleVersionFactory()
    f.OfferingFactory(school=school, module_version=version)
    leader = f.member(Role.SCHOOL_LEADER, school=school)
    secretary = f.member(Role.EXAM_SECRETARY, school=school)
    pta = services.create_pta(by=secretary, school=school, cohort=2025, exam_year=2026, title="PTA KB 2025",
                              leerwegen=["KB"], regulation_id="spv-modulair")
    item = services.save_item(by=secretary, pta=pta, code="zw-k-01.1", title="Proeve", form="proeve",
                              weight=Decimal("2"), module_versions=[version])
    return {"school": school, "version": version, "leader": leader, "secretary": secretary, "pta": pta,
            "item": item}


def test_create_and_items(concept):
    assert concept["pta"].status == PtaStatus.CONCEPT and concept["pta"].leerwegen == ["KB"]
    assert concept["item"].code == "ZW-K-01.1"  # codes are upper case
    with pytest.raises(services.AssessmentError) as info:
        services.save_item(by=concept["secretary"], pta=concept["pta"], code="ZW-K-01.1", title="Dubbel",
                           form="written", weight=1, module_versions=[concept["version"]])
    assert "bestaat al" in info.value.nl


def test_only_the_school_leader_adopts(concept):
    with pytest.raises(PermissionDenied):
        services.adopt_pta(by=concept["secretary"], pta=concept["pta"], on=dt.date(2026, 9, 1))
    pta = services.adopt_pta(by=concept["leader"], pta=concept["pta"], on=dt.date(2026, 9, 30))
    assert pta.status == PtaStatus.ADOPTED and pta.adopted_by == concept["leader"] and not pta.adopted_late_reason


@pytest.mark.parametrize("day,late", [(dt.date(2026, 9, 30), False), (dt.date(2026, 10, 1), True),
                                      (dt.date(2027, 3, 1), True), (dt.date(2025, 10, 2), False)])
def test_adopting_from_1_october_of_the_exam_year_needs_a_reason(concept, day, late):
    pta = concept["pta"]
    assert services.is_late(pta, day) is late
    if late:
        with pytest.raises(services.AssessmentError) as info:
            services.adopt_pta(by=concept["leader"], pta=pta, on=day)
        assert info.value.code == "pta_late_reason_required" and "WVO 2.60a" in info.value.nl
        assert Pta.objects.get(pk=pta.pk).status == PtaStatus.CONCEPT
        pta = services.adopt_pta(by=concept["leader"], pta=pta, on=day, reason="Kennelijke fout in de weging.")
        assert pta.adopted_late_reason == "Kennelijke fout in de weging."
    else:
        assert services.adopt_pta(by=concept["leader"], pta=pta, on=day).status == PtaStatus.ADOPTED


def test_a_pta_with_tests_before_the_exam_year_is_adopted_before_the_first_of_them(concept):
    """The deadline is 1 October of the first school year with a test of the PTA (here leerjaar 3, 2025-2026),
    not of the exam year: the PTA must be in force before its first test."""
    pta = concept["pta"]
    assert services.adoption_deadline(pta) == dt.date(2026, 10, 1)  # exam year 2026-2027, no dated test
    services.save_item(by=concept["secretary"], pta=pta, code="ZW-K-01.2", title="Toets leerjaar 3", form="written",
                       weight=1, deadline=dt.date(2026, 3, 12), module_versions=[concept["version"]])
    assert services.adoption_deadline(pta) == dt.date(2025, 10, 1)
    assert services.is_late(pta, dt.date(2025, 9, 30)) is False and services.is_late(pta, dt.date(2025, 10, 1))
    with pytest.raises(services.AssessmentError) as info:
        services.adopt_pta(by=concept["leader"], pta=pta, on=dt.date(2025, 11, 1))
    assert "01-10-2025" in info.value.nl


def test_publish_after_adoption_only(concept):
    with pytest.raises(services.AssessmentError):
        services.publish_pta(by=concept["secretary"], pta=concept["pta"])
    services.adopt_pta(by=concept["leader"], pta=concept["pta"], on=dt.date(2026, 9, 1))
    pta = services.publish_pta(by=concept["secretary"], pta=concept["pta"])
    assert pta.status == PtaStatus.PUBLISHED and pta.published_at


def test_a_vastgesteld_pta_does_not_change_silently(concept):
    services.adopt_pta(by=concept["leader"], pta=concept["pta"], on=dt.date(2026, 9, 1))
    item = PtaItem.objects.get(pk=concept["item"].pk)
    with pytest.raises(services.AssessmentError) as info:
        services.save_item(by=concept["secretary"], pta=concept["pta"], item=item, weight=3)
    assert info.value.code == "pta_change_needs_reason"
    item.weight = Decimal("3")
    with pytest.raises(PtaLocked):  # not even past the services
        item.save()
    with pytest.raises(PtaLocked), transaction.atomic():  # m2m writes share the caller's transaction
        item.module_versions.clear()
    with pytest.raises(PtaLocked), transaction.atomic():
        f.PtaItemFactory(pta=concept["pta"])
    services.save_item(by=concept["secretary"], pta=concept["pta"], item=PtaItem.objects.get(pk=item.pk),
                       weight="3", reason="Kennelijke fout: de weging was 3.")
    records = list(PtaItem.objects.get(pk=item.pk).history.order_by("history_date", "history_id"))
    last = records[-1]
    assert last.weight == Decimal("3") and last.history_user == concept["secretary"]
    assert last.history_change_reason == "Kennelijke fout: de weging was 3."
    changes = {c.field: (c.old, c.new) for c in last.diff_against(records[-2]).changes}
    assert changes["weight"] == (Decimal("2"), Decimal("3"))


def test_cohort_and_leerwegen_of_a_vastgesteld_pta_stay(concept):
    services.adopt_pta(by=concept["leader"], pta=concept["pta"], on=dt.date(2026, 9, 1))
    with pytest.raises(services.AssessmentError):
        services.update_pta(by=concept["secretary"], pta=concept["pta"], leerwegen=["KB", "BB"], reason="x")
    pta = services.update_pta(by=concept["secretary"], pta=concept["pta"], title="PTA KB cohort 2025",
                              reason="Titel verduidelijkt")
    assert pta.history.first().history_change_reason == "Titel verduidelijkt"


def test_rubric_with_module_and_kern_objectives(concept):
    from maatwerk.kern.models import KernObjective

    objective = f.ModuleObjectiveFactory(version=concept["version"], code="E1")
    other = f.ModuleObjectiveFactory(code="X1")
    kern = KernObjective.objects.order_by("pk").first()
    levels = [{"label": "onvoldoende", "points": 0, "descriptor": "niet"}, {"label": "goed", "points": 2,
                                                                            "descriptor": "wel"}]
    with pytest.raises(services.AssessmentError):  # an objective of a module the item does not close
        services.set_rubric(by=concept["secretary"], item=concept["item"],
                            criteria=[{"text": "Werkt veilig", "module_objective": other.pk, "levels": levels}])
    rubric = services.set_rubric(by=concept["secretary"], item=concept["item"], grade_rule="cesuur", cesuur="0,5",
                                 criteria=[{"text": "Werkt veilig", "module_objective": objective.pk,
                                            "levels": levels},
                                           {"text": "Werkt samen", "kern_objective": kern.pk, "levels": levels}])
    rubric = Rubric.objects.prefetch_related("criteria__levels").get(pk=rubric.pk)
    assert rubric.max_points == 4 and rubric.cesuur == Decimal("0.5")
    assert kern in concept["item"].kern_objectives.all()  # observed in the item
    criteria = list(rubric.criteria.all())
    score = services.rubric_score(rubric, {str(criteria[0].pk): criteria[0].levels.all()[1].pk,
                                           str(criteria[1].pk): criteria[1].levels.all()[0].pk})
    assert (score.points, score.maximum, score.grade) == (2, 4, Decimal("5.5"))  # at the cesuur
    from maatwerk.assessment.grades import GradeError

    with pytest.raises(GradeError):  # every criterion needs a level
        services.rubric_score(rubric, {str(criteria[0].pk): criteria[0].levels.all()[1].pk})


# --- pages ---------------------------------------------------------------------------------------


def test_pta_pages_adopt_publish_and_pdf(client, login, concept):
    from pypdf import PdfReader

    login(client, concept["leader"])
    pta = concept["pta"]
    html = client.get(reverse("assessment:pta_detail", args=[pta.pk])).content.decode()
    assert "PTA vaststellen" in html and "ZW-K-01.1" in html
    response = client.post(reverse("assessment:pta_adopt", args=[pta.pk]), {"reason": "Te laat door ziekte."})
    assert response.status_code == 302
    pta.refresh_from_db()
    assert pta.status == PtaStatus.ADOPTED
    client.post(reverse("assessment:pta_publish", args=[pta.pk]))
    pta.refresh_from_db()
    assert pta.status == PtaStatus.PUBLISHED
    response = client.get(reverse("assessment:pta_pdf", args=[pta.pk]))
    assert response.status_code == 200 and response["Content-Type"] == "application/pdf"
    text = "".join(page.extract_text() for page in PdfReader(io.BytesIO(response.content)).pages)
    assert "PTA KB 2025" in text and "ZW-K-01.1" in text and "Proeve van Bekwaamheid" in text
    html = client.get(reverse("assessment:pta_detail", args=[pta.pk])).content.decode()
    assert "Geschiedenis" in html and "vastgesteld" in html


def test_students_and_parents_see_only_the_published_pta_of_their_cohort(client, login, concept):
    pta = concept["pta"]
    student = f.StudentFactory(school=concept["school"], leerweg="KB", cohort=2025)
    pupil = f.member(Role.STUDENT, school=concept["school"], student=student)
    parent = f.member(Role.PARENT, school=concept["school"], student=student)
    other_cohort = f.member(Role.STUDENT, school=concept["school"],
                            student=f.StudentFactory(school=concept["school"], leerweg="KB", cohort=2024))
    detail = reverse("assessment:pta_detail", args=[pta.pk])
    login(client, pupil)
    assert client.get(detail).status_code == 404  # a concept
    services.adopt_pta(by=concept["leader"], pta=pta, on=dt.date(2026, 9, 1))
    assert client.get(detail).status_code == 404  # vastgesteld, not yet published
    services.publish_pta(by=concept["leader"], pta=pta)
    for user in (pupil, parent):
        client.logout()
        login(client, user)
        assert client.get(detail).status_code == 200
        assert client.get(reverse("assessment:pta_pdf", args=[pta.pk])).status_code == 200
    client.logout()
    login(client, other_cohort)
    assert client.get(detail).status_code == 404


def test_create_a_pta_and_an_item_through_the_pages(client, login, concept):
    login(client, concept["secretary"])
    response = client.post(reverse("assessment:pta_create"), {
        "title": "PTA GL 2025", "cohort": "2025", "exam_year": "2026", "leerwegen": ["GL"], "resit_rules": ""})
    assert response.status_code == 302
    pta = Pta.objects.get(title="PTA GL 2025")
    response = client.post(reverse("assessment:item_create", args=[pta.pk]), {
        "code": "GL-1", "title": "Presentatie", "module_versions": [concept["version"].pk], "form": "presentation",
        "result_kind": "grade", "weight": "1,5", "period": "2", "max_attempts": "2", "resit_allowed": "on",
        "assessed_by": "school"})
    assert response.status_code == 302, response.content.decode()[:3000]
    assert pta.items.get().weight == Decimal("1.5")


def test_the_history_shows_each_change_in_words_in_a_fixed_number_of_queries(concept, django_assert_max_num_queries):
    """The PTA page's history: a weging and the item's modules as a person reads them (labels, decimal
    commas, module codes), and the queries do not grow with the number of changes."""
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    services.adopt_pta(by=concept["leader"], pta=concept["pta"], on=dt.date(2026, 9, 1))
    pta, item = concept["pta"], concept["item"]
    other = f.ModuleVersionFactory()
    f.OfferingFactory(school=concept["school"], module_version=other)

    def change(n, versions):
        services.save_item(by=concept["secretary"], pta=pta, item=PtaItem.objects.get(pk=item.pk),
                           weight=f"{2 + n},5", reason=f"Wijziging {n}")
        services.save_item(by=concept["secretary"], pta=pta, item=PtaItem.objects.get(pk=item.pk),
                           module_versions=versions, reason=f"Modulen {n}")

    change(1, [other])
    with CaptureQueriesContext(connection) as few:
        selectors.pta_history(pta)
    for n in range(2, 6):
        change(n, [concept["version"]] if n % 2 else [other])
        f.ModuleVersionFactory()  # more rows elsewhere change nothing either
    services.save_item(by=concept["secretary"], pta=pta, item=PtaItem.objects.get(pk=item.pk),
                       module_versions=[concept["version"], other], reason="Tweede module erbij")
    with django_assert_max_num_queries(len(few)):
        rows = selectors.pta_history(pta)
    changes = [c for row in rows for c in row["changes"]]
    assert ("weging", "3,5", "4,5") in changes and ("weging", "5,5", "6,5") in changes
    codes = sorted([concept["version"].module.code, other.module.code])
    assert ("sluit af", concept["version"].module.code, other.module.code) in changes
    assert any(label == "sluit af" and old == concept["version"].module.code and sorted(new.split(", ")) == codes
               for label, old, new in changes), changes
    assert {"Wijziging 3", "Tweede module erbij"} <= {row["reason"] for row in rows}
    # the concept phase in one line: one item made (three history records: the row, its modules, the save)
    assert "1 onderdeel aangemaakt of gewijzigd in de conceptfase, vóór de vaststelling" in [r["what"] for r in rows]
