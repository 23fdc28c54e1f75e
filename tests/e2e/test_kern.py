from __future__ import annotations

import pytest

from maatwerk.accounts.models import Role
from tests.factories import SchoolFactory, member


@pytest.mark.django_db(transaction=True)
def test_mentor_logs_in_and_sees_the_kern(page, browser_login):
    mentor = member(Role.MENTOR, school=SchoolFactory())
    browser_login(mentor)
    assert page.locator("h1").first.inner_text().startswith("Goedendag")
    assert "Mentor" in page.locator(".userbox").inner_text()
    page.click("nav >> text=Kern")
    page.wait_for_url("**/kern/")
    assert page.locator("h1").inner_text() == "Kern beroepsgerichte programma's vmbo"
    assert page.locator(".kern-area").count() == 10
    assert page.get_by_text("Kwaliteitenreflectie").is_visible()
