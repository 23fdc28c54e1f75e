"""The students demo step in the whole demo: a programme for every student in leerjaar 2-4 (and last year's exam
cohort), valid under the engine where it is proposed or approved, a few concepts with findings, LOB from
leerjaar 1, complete loopbaandossiers in leerjaar 4, and the seed's story for the documented demo leerling."""

from __future__ import annotations

import pytest

from maatwerk import engine
from maatwerk.students import selectors
from maatwerk.students.models import (
    CareerActivity,
    CareerConversation,
    Programme,
    ProgrammeItem,
    ProgrammeRevision,
    Student,
)
from maatwerk.students.route import build_route, describe

pytestmark = pytest.mark.django_db


def _evaluations(programmes):
    return {p.pk: selectors.evaluate_programme(p) for p in programmes.select_related("student")
            .prefetch_related("items__module_version__module", "items__module_version__profielen")}


def test_every_student_from_leerjaar_2_has_a_programme_that_holds(demo):
    upper = Student.objects.filter(year_level__gte=2)
    assert set(upper.values_list("pk", flat=True)) == set(Programme.objects.values_list("student_id", flat=True))
    programmes = Programme.objects.all()
    evaluations = _evaluations(programmes)
    for programme in programmes:
        if programme.status != "concept":
            assert evaluations[programme.pk].ok, (programme.student, evaluations[programme.pk].verdict.codes)
    for brin in ("21KR", "30PF"):
        of_school = programmes.filter(student__school__brin=brin)
        assert {"approved", "proposed", "concept"} <= set(of_school.values_list("status", flat=True))
        # leerjaar 3 and 4 nearly all approved, last year's exam cohort all
        upper_years = of_school.filter(student__year_level__gte=3, student__left_on__isnull=True)
        assert upper_years.filter(status="approved").count() >= 0.8 * upper_years.count()
        assert not of_school.filter(student__left_on__isnull=False).exclude(status="approved").exists()
        # a few concepts the student is still working on, with the engine's findings
        concepts = [p for p in of_school.filter(status="concept") if not evaluations[p.pk].ok]
        assert 1 <= len(concepts) <= 6
        assert {"PROGRAMME_UNITS_TOO_FEW"} <= {c for p in concepts for c in evaluations[p.pk].verdict.codes}
        # some did not complete a module in leerjaar 3: replaced in revision 2, with the reason
        assert ProgrammeItem.objects.filter(programme__in=of_school, status="not_completed").exists()


def test_modules_follow_the_timetable(demo):
    """Kennismakend in leerjaar 2 (the alumni: leerjaar 3, the pilot's first year), verdiepend from leerjaar 3."""
    for item in ProgrammeItem.objects.select_related("programme__student", "module_version"):
        student = item.programme.student
        if item.module_version.module_type == "DEEPENING":
            assert item.year_level >= 3 or item.school_year >= demo.school_year - 2, item
        assert item.school_year >= demo.school_year - 2  # the pilot started two years ago
        assert item.school_year == student.cohort + item.year_level - 3


def test_lob_from_leerjaar_1_and_complete_dossiers_in_the_exam_years(demo):
    for student in Student.objects.all():
        dates = list(CareerConversation.objects.filter(student=student).values_list("date", flat=True))
        assert len(dates) >= student.year_level, student
        assert min(dates).year in (student.cohort - 2, student.cohort - 1), student  # from leerjaar 1 on
        assert CareerActivity.objects.filter(student=student).exists(), student
    assert CareerActivity.objects.filter(evaluation="").exists()  # not every activity is complete yet
    for left, share in ((False, 0.7), (True, 1.0)):
        students = Student.objects.filter(year_level=4, left_on__isnull=not left)
        complete = sum(engine._dossier_complete(list(s.career_activities.all()))[0] for s in students)
        assert complete >= share * students.count(), (left, complete, students.count())


def test_the_demo_leerling_tells_the_seeds_story(demo):
    sophie = Student.objects.get(memberships__user__email="leerling@hetbaken.demo")
    care = CareerActivity.objects.get(student=sophie, kind="snuffelstage", partner__name="Zorgcentrum De Linde")
    assert "zorg is niets voor mij" in care.evaluation and care.is_complete
    turning = CareerConversation.objects.get(student=sophie, programme_decisions__startswith="Programma wijzigen")
    assert turning.reflections.filter(competency="work_exploration").exists()
    assert care.date < turning.date
    programme = Programme.objects.get(student=sophie)
    assert (programme.status, programme.revision, programme.approval_conversation) == ("approved", 2, turning)
    assert programme.package.name == "Zorg en welzijn of economie: breed beginnen"
    assert selectors.evaluate_programme(programme).ok
    first, second = (ProgrammeRevision.objects.get(programme=programme, number=n, event="approved") for n in (1, 2))
    assert first.created_at.date() < care.date < second.created_at.date()
    assert "economie en ondernemen" in second.reason
    planned_first = {i["module_code"].split("-")[0] for i in first.items if i["module_type"] == "DEEPENING"}
    assert planned_first == {"ZW"}
    # kennismakend in zorg en welzijn first, verdiepend in economie en ondernemen after it
    items = list(programme.items.select_related("module_version__module").order_by("school_year"))
    zw_intro = [i for i in items if i.module_version.module.code == "ZW-K-01"]
    eo_deep = [i for i in items if i.module_version.module_type == "DEEPENING"]
    assert zw_intro and zw_intro[0].status == "completed"
    assert eo_deep and {i.module_version.module.code.split("-")[0] for i in eo_deep} == {"EO"}
    assert zw_intro[0].school_year < min(i.school_year for i in eo_deep)
    # and her route tells it
    words = describe(build_route(sophie, selectors.programme_of(sophie)))
    assert "Werken met en voor mensen" in words and "Werken in een winkel" in words


def test_the_vakschool_leerling_has_a_full_programme(demo):
    student = Student.objects.get(memberships__user__email="leerling@vakschoolmaasstad.demo")
    programme = Programme.objects.get(student=student)
    assert programme.status == "approved" and selectors.evaluate_programme(programme).ok
    codes = set(programme.items.values_list("module_version__module__code", flat=True))
    assert "HBR-K-01" in codes and len(codes) >= 6
    assert programme.items.filter(status="completed").exists()
    assert student.module_results.filter(outcome="PASSED").exists()
