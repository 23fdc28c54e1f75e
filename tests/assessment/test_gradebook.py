"""The gradebook page: one cell saved with htmx, a refused value with its Dutch message and the old value
kept, a conflict with the current value, the column form without JavaScript, and a query count that does
not grow with students x items."""

from __future__ import annotations

from decimal import Decimal

import pytest
from django.urls import reverse

from maatwerk.accounts.models import Role
from maatwerk.assessment import services
from maatwerk.assessment.models import Result
from tests import factories as f
from tests.assessment.conftest import build_exam

HTMX = {"HTTP_HX_REQUEST": "true"}


def url(exam):
    return reverse("assessment:gradebook", args=[exam.group.pk])


def cell_post(student, item, value, *, shown="", version=0, attempt=1):
    name = f"c-{student.pk}-{item.pk}-{attempt}"
    return {name: value, f"o-{name}": shown, f"v-{name}": str(version)}


def test_the_gradebook_lists_students_and_item_columns(client, login, exam):
    login(client, exam.teacher)
    response = client.get(url(exam))
    assert response.status_code == 200
    html = response.content.decode()
    for student in exam.students:
        assert student.sort_name in html
    assert "ZW1.1" in html and "ZW1.2" in html and "herkansing" in html
    assert 'hx-post="' in html and 'hx-params="c-' in html  # each cell saves itself
    assert 'form="col-' in html and "Kolom opslaan" in html  # and works without JavaScript
    assert "gradebook.js" in html
    assert "<script>" not in html and "style=" not in html  # CSP: no inline script or style


def test_an_htmx_cell_save_returns_the_cell_with_the_new_version(client, login, exam):
    login(client, exam.teacher)
    student, item = exam.students[0], exam.items[1]
    response = client.post(url(exam), cell_post(student, item, "6,5"), **HTMX)
    assert response.status_code == 200
    html = response.content.decode()
    assert html.lstrip().startswith("<td") and 'value="6,5"' in html
    assert f'name="v-c-{student.pk}-{item.pk}-1" value="1"' in html
    assert 'hx-swap-oob="true"' in html  # the resit cell (now enabled) and the module cell follow
    assert Result.objects.get(student=student, item=item).grade == Decimal("6.5")


@pytest.mark.parametrize("typed,message", [
    ("10,1", "ligt niet tussen 1,0 en 10,0"), ("0.9", "ligt niet tussen 1,0 en 10,0"),
    ("6,55", "meer dan één decimaal"), ("abc", "is geen cijfer"),
])
def test_a_refused_value_shows_the_dutch_message_and_keeps_the_old_value(client, login, exam, typed, message):
    login(client, exam.teacher)
    student, item = exam.students[0], exam.items[1]
    saved = services.save_result(by=exam.teacher, student=student, item=item, value="6,5", version=0)
    response = client.post(url(exam), cell_post(student, item, typed, shown="6,5", version=1), **HTMX)
    html = response.content.decode()
    assert message in html and "Het cijfer blijft 6,5." in html
    assert 'value="6,5"' in html and 'aria-invalid="true"' in html and 'role="alert"' in html
    saved.refresh_from_db()
    assert (saved.grade, saved.version) == (Decimal("6.5"), 1)


def test_a_conflict_shows_the_current_value_and_overwrites_nothing(client, login, exam):
    login(client, exam.teacher)
    student, item = exam.students[0], exam.items[1]
    services.save_result(by=exam.teacher, student=student, item=item, value="6,0", version=0)
    colleague = f.member(Role.EXAM_SECRETARY, school=exam.school,
                         user=f.UserFactory(first_name="Peter", last_name="Wijk"))
    services.save_result(by=colleague, student=student, item=item, value="7,2", version=1)
    response = client.post(url(exam), cell_post(student, item, "5,0", shown="6,0", version=1), **HTMX)
    html = response.content.decode()
    assert "intussen gewijzigd door Peter Wijk" in html and "het is nu 7,2" in html
    assert 'value="7,2"' in html and f'name="v-c-{student.pk}-{item.pk}-1" value="2"' in html
    assert Result.objects.get(student=student, item=item).grade == Decimal("7.2")


def test_without_javascript_a_column_is_saved_in_one_post(client, login, exam):
    login(client, exam.teacher)
    item = exam.items[1]
    data = {}
    for student, value in zip(exam.students, ["6,5", "7", "8.1"], strict=True):
        data |= cell_post(student, item, value)
    response = client.post(url(exam), data)
    assert response.status_code == 302
    assert sorted(Result.objects.filter(item=item).values_list("grade", flat=True)) == [
        Decimal("6.5"), Decimal("7.0"), Decimal("8.1")]
    follow = client.get(response.url)
    assert "3 resultaten opgeslagen" in follow.content.decode()


def test_without_javascript_a_bad_cell_is_shown_and_the_good_ones_are_saved(client, login, exam):
    login(client, exam.teacher)
    item = exam.items[1]
    data = cell_post(exam.students[0], item, "6,5") | cell_post(exam.students[1], item, "10,1")
    response = client.post(url(exam), data)
    assert response.status_code == 400
    html = response.content.decode()
    assert "ligt niet tussen 1,0 en 10,0" in html and "1 waarde geweigerd" in html
    assert Result.objects.filter(item=item).count() == 1


def test_untouched_cells_are_not_saved_even_when_stale(client, login, exam):
    """A column POST carries every cell; only those the teacher changed are saved, so a colleague's newer
    value in another cell is neither overwritten nor reported as a conflict."""
    login(client, exam.teacher)
    item = exam.items[1]
    services.save_result(by=exam.secretary, student=exam.students[1], item=item, value="8,0", version=0)
    data = cell_post(exam.students[0], item, "6,5") | cell_post(exam.students[1], item, "", shown="")
    response = client.post(url(exam), data)
    assert response.status_code == 302
    assert Result.objects.get(student=exam.students[1]).grade == Decimal("8.0")


def test_cells_outside_the_students_pta_are_not_applicable(client, login, exam):
    tl = f.StudentFactory(school=exam.school, leerweg="TL", cohort=2025)
    exam.group.students.add(tl)
    login(client, exam.teacher)
    html = client.get(url(exam)).content.decode()
    assert "n.v.t." in html


def test_school_leader_reads_but_cannot_enter(client, login, exam):
    login(client, exam.leader)
    html = client.get(url(exam)).content.decode()
    assert "gb-input" not in html and "U kunt deze cijfers bekijken" in html
    client.post(url(exam), cell_post(exam.students[0], exam.items[1], "6,5"), **HTMX)
    assert not Result.objects.exists()


def test_other_roles_and_other_schools_get_no_gradebook(client, login, exam):
    for user in (f.member(Role.MENTOR, school=exam.school), f.member(Role.TEACHER, school=f.SchoolFactory()),
                 exam.assessor):
        client.logout()
        login(client, user)
        assert client.get(url(exam)).status_code in (403, 404)


def _queries(client, exam):
    from django.db import connection
    from django.test.utils import CaptureQueriesContext

    with CaptureQueriesContext(connection) as ctx:
        response = client.get(url(exam))
    assert response.status_code == 200
    return len(ctx.captured_queries)


def test_query_count_is_flat_in_students_and_items(client, login, db):
    small = build_exam(n_students=3, n_items=2)
    big = build_exam(n_students=15, n_items=6, school=f.SchoolFactory())
    for exam in (small, big):
        for student in exam.students:
            for item in exam.items[1:]:
                services.save_result(by=exam.teacher, student=student, item=item, value="6,0", version=0)
    login(client, small.teacher)
    n_small = _queries(client, small)
    client.logout()
    login(client, big.teacher)
    n_big = _queries(client, big)
    assert n_small == n_big, (n_small, n_big)
    assert n_big <= 20, n_big


def test_gradebook_list_shows_my_groups_first(client, login, exam):
    login(client, exam.teacher)
    html = client.get(reverse("assessment:gradebooks")).content.decode()
    assert "Mijn lesgroepen" in html and exam.group.name in html


def test_gradebook_list_shows_this_years_groups_before_last_years(client, login, exam):
    year = exam.group.offering.school_year
    older = f.TeachingGroupFactory(school=exam.school, teacher=exam.teacher, name="OUD-2A",
                                   offering=f.OfferingFactory(school=exam.school, school_year=year - 1))
    login(client, exam.teacher)
    html = client.get(reverse("assessment:gradebooks")).content.decode()
    assert html.index(exam.group.name) < html.index(older.name)


def test_a_mixed_group_shares_columns_across_ptas(client, login, exam):
    """Leerjaar 3 and 4 in one group follow different PTAs; items with the same code share a column and
    each student's cell is the item of their own PTA."""
    from maatwerk.assessment.models import Pta, PtaStatus

    newer = f.PtaFactory(school=exam.school, cohort=2026, exam_year=2027, title="PTA cohort 2026")
    item = services.save_item(by=services.SYSTEM, pta=newer, code="ZW1.2", title="Praktijkopdracht 2",
                              form="practical", weight=3, resit_allowed=False, module_versions=[exam.version])
    Pta.objects.filter(pk=newer.pk).update(status=PtaStatus.ADOPTED)
    younger = f.StudentFactory(school=exam.school, leerweg="KB", cohort=2026, year_level=3)
    exam.group.students.add(younger)
    login(client, exam.teacher)
    html = client.get(url(exam)).content.decode()
    # one column and its resit column, not one per PTA
    assert html.count('<span class="code">ZW1.2</span>') == 2 and "weging 2/3" in html
    assert f'name="c-{younger.pk}-{item.pk}-1"' in html
    assert "Het PTA van deze leerling staat voor ZW1.2 geen herkansing toe." in html  # n.v.t.
    response = client.post(url(exam), cell_post(younger, item, "7,7"), **HTMX)
    assert response.status_code == 200
    assert Result.objects.get(student=younger).item == item


def test_an_htmx_post_without_a_change_leaves_the_cell_alone(client, login, exam):
    login(client, exam.teacher)
    student, item = exam.students[0], exam.items[1]
    services.save_result(by=exam.teacher, student=student, item=item, value="6,5", version=0)
    response = client.post(url(exam), cell_post(student, item, "6,5 ", shown="6,5", version=1), **HTMX)
    assert response.status_code == 204
