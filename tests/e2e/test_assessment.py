"""Browser test: a teacher fills a column of the gradebook with the keyboard alone (each cell saved by
htmx on change), a wrong grade is refused with its Dutch message and the old value stays, and the student
then sees the grade."""

from __future__ import annotations

from decimal import Decimal

import pytest

from maatwerk.accounts.models import Role
from maatwerk.assessment.models import Pta, PtaStatus, Result
from tests.assessment.conftest import build_exam
from tests.factories import member


def _wait_saved(page, student, item, value, attempt=1):
    """The cell is swapped by htmx with the stored value and a new version."""
    name = f"c-{student.pk}-{item.pk}-{attempt}"
    page.wait_for_function(
        "([name, value]) => { const el = document.querySelector(`input[name='v-${name}']`);"
        " return el && el.value !== '0' && document.querySelector(`input[name='${name}']`).value === value; }",
        arg=[name, value])


@pytest.mark.django_db(transaction=True)
def test_teacher_fills_a_column_with_the_keyboard_and_the_student_sees_it(page, browser_login):
    exam = build_exam(n_students=3, n_items=2)
    Pta.objects.filter(pk=exam.pta.pk).update(status=PtaStatus.PUBLISHED)
    item = exam.items[1]
    students = sorted(exam.students, key=lambda s: (s.last_name, s.first_name, s.pk))
    browser_login(exam.teacher)
    page.goto(f"/toetsing/cijfers/groep/{exam.group.pk}/")
    assert page.locator(".gradebook-wrap.js-on").count() == 1  # keyboard script loaded: column buttons hidden

    first = page.locator(f"input[name='c-{students[0].pk}-{item.pk}-1']")
    first.click()
    # type in the first cell, Enter moves down (and saves), and so on down the column
    page.keyboard.type("6,5")
    page.keyboard.press("Enter")
    page.keyboard.type("7.2")
    page.keyboard.press("ArrowDown")
    page.keyboard.type("8")
    page.keyboard.press("Enter")  # last row: stays, still saves
    for student, value in zip(students, ["6,5", "7,2", "8,0"], strict=True):
        _wait_saved(page, student, item, value)
    stored = {r.student_id: r.grade for r in Result.objects.filter(item=item)}
    assert stored == {students[0].pk: Decimal("6.5"), students[1].pk: Decimal("7.2"), students[2].pk: Decimal("8.0")}

    # ArrowUp goes back to the second student; a grade with two decimals is refused, the old value stays
    page.keyboard.press("ArrowUp")
    page.keyboard.type("6,55")
    page.keyboard.press("Enter")
    message = page.locator(f"#msg-c-{students[1].pk}-{item.pk}-1")
    message.wait_for()
    assert "meer dan één decimaal" in message.inner_text() and "Het cijfer blijft 7,2" in message.inner_text()
    assert page.locator(f"input[name='c-{students[1].pk}-{item.pk}-1']").input_value() == "7,2"
    assert Result.objects.get(student=students[1], item=item).grade == Decimal("7.2")

    # the student logs in and sees the grade
    pupil = member(Role.STUDENT, school=exam.school, student=students[0])
    page.context.clear_cookies()
    browser_login(pupil)
    page.goto("/toetsing/resultaten/")
    assert "Mijn resultaten" in page.locator("h1").inner_text()
    row = page.locator("tr", has_text=item.code)
    assert "6,5" in row.inner_text()
