"""Browser tests of the diploma app: the examensecretaris decides and signs off; anyone verifies a credential."""

from __future__ import annotations

import pytest

from maatwerk.accounts.models import Role
from maatwerk.diploma import services
from maatwerk.diploma.models import DecisionStatus, ExamDecision, ModuleCredential
from tests.diploma import builders as b
from tests.factories import member


@pytest.mark.django_db(transaction=True)
def test_the_examensecretaris_runs_the_decisions_and_signs_one_off(page, browser_login):
    school = b.exam_school("vmbo-huidig")
    passed = b.current_candidate(school, first_name="Sanne", last_name="Bakker")
    b.current_candidate(school, first_name="Daan", last_name="Visser", changes={"ne": (3, 3)})
    secretary = member(Role.EXAM_SECRETARY, school=school)
    browser_login(secretary)
    page.click("nav >> text=Examen")
    page.wait_for_url("**/examen/")
    page.select_option("#id_jaar", str(b.EXAM_YEAR))
    page.wait_for_url(f"**jaar={b.EXAM_YEAR}**")
    page.get_by_role("button", name="Bereken alle 2 kandidaten").click()
    page.wait_for_load_state("networkidle")
    assert "2 kandidaten: 1 geslaagd, 1 afgewezen" in page.locator(".messages").inner_text()
    row = page.locator("tr", has_text="Visser")
    assert "afgewezen" in row.inner_text()
    assert "Nederlands" in row.locator("td.reason").inner_text()
    page.get_by_role("link", name="Bakker, Sanne").click()
    page.wait_for_url("**/examen/besluit/*/")
    page.once("dialog", lambda dialog: dialog.accept())
    page.get_by_role("button", name="Vaststellen: geslaagd").click()
    page.wait_for_load_state("networkidle")
    assert "is vastgesteld" in page.locator(".messages").inner_text()
    assert "vastgesteld" in page.locator(".verdict").inner_text()
    decision = ExamDecision.objects.get(student=passed)
    assert decision.status == DecisionStatus.SIGNED_OFF and decision.signed_off_by == secretary
    assert page.get_by_role("heading", name="Uitslag corrigeren").is_visible()


@pytest.mark.django_db(transaction=True)
def test_the_public_verification_page_verifies_a_credential(page):
    school = b.exam_school("spv-modulair")
    student = b.modular_candidate(school)
    services.issue_credentials(by=None, school=school)
    credential = ModuleCredential.objects.filter(student=student).first()
    page.goto("/examen/verifieer/")
    page.fill("#id_text", credential.jwt)
    page.fill("#id_holder_name", student.full_name)
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state("networkidle")
    verdict = page.locator("#uitkomst")
    assert "Echt en geldig" in verdict.inner_text()
    assert "De naam past bij dit certificaat" in verdict.inner_text()
    assert school.name in page.get_by_role("heading", name="Wat dit certificaat aantoont").locator("..").inner_text()
    tampered = credential.jwt[:60] + ("A" if credential.jwt[60] != "A" else "B") + credential.jwt[61:]
    page.fill("#id_text", tampered)
    page.get_by_role("button", name="Controleren").click()
    page.wait_for_load_state("networkidle")
    assert "Niet geldig" in page.locator("#uitkomst").inner_text()
