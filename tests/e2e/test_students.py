"""A student composes a programme from a package, sees a finding appear and disappear (htmx, no page
reload), proposes it; the mentor records the conversation and approves; the route picture shows it."""

from __future__ import annotations

import pytest

from tests.students.conftest import build_pilot


@pytest.mark.django_db(transaction=True)
def test_student_composes_and_mentor_approves(page, browser_login):
    pilot = build_pilot()
    browser_login(pilot.student_user)
    page.click("nav >> text=Mijn programma")
    page.wait_for_url("**/leerlingen/mijn-programma/")
    page.evaluate("window.__sameDocument = true")  # gone if the page reloads

    page.get_by_text("Economie en ondernemen breed").click()
    page.click("text=Programma beginnen")
    page.wait_for_selector("text=6 modulen gepland")
    assert page.locator(".verdict-head .badge").inner_text() == "geen fouten"

    # take a kennismakende module out: the engine says a unit is missing
    page.click("button[aria-label='EO-K-01 weghalen']")
    finding = page.locator("[data-code=PROGRAMME_UNITS_TOO_FEW]")
    finding.wait_for()
    assert "nog 1 eenheid" in page.locator("[data-requirement=units]").inner_text().lower()
    assert page.locator("#propose").count() == 0

    # add a kennismakende module in zorg en welzijn: the finding disappears
    page.select_option("#id_offering", label="ZW-K-01 Mens en gezondheid (kennismakend)")
    page.click("#add")
    page.wait_for_selector("text=ZW-K-01 Mens en gezondheid is toegevoegd")
    assert finding.count() == 0
    page.click("#propose")
    page.wait_for_selector("text=Voorgesteld op")
    assert page.evaluate("window.__sameDocument === true")  # everything above without a page reload

    page.click("text=Uitloggen")
    browser_login(pilot.mentor)
    page.goto(f"/leerlingen/{pilot.student.pk}/programma/")
    page.click("text=Leg het gesprek eerst vast")
    page.fill("#id_date", "2025-11-20")
    page.fill("#id_participants", "leerling, mentor")
    page.fill("#id_reflection_motives", "Ik wil liever klanten helpen dan verzorgen.")
    page.fill("#id_programme_decisions", "Programma met economie en ondernemen goedgekeurd.")
    page.click("text=Gesprek vastleggen")
    page.wait_for_url(f"**/leerlingen/{pilot.student.pk}/programma/")
    assert "20 november 2025" in page.locator("#id_conversation").inner_text()
    page.fill("#id_comment", "Goed onderbouwd.")
    page.click("#approve")
    page.wait_for_selector("text=Goedgekeurd op")

    route = page.locator("svg.route")
    assert route.get_attribute("role") == "img"
    assert "Route van Sanne Jansen" in route.locator("title").first.text_content()
    for code in ("ZW-K-01", "EO-K-02", "EO-V-01", "EO-V-04", "Medewerker retail"):
        assert code in route.text_content(), code
    assert "EO-K-01" not in route.text_content()
