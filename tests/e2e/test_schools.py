"""Browser test of the school offering: plan an offering from the menukaart, build a package while the
engine's verdict updates live, and see the package on the public school page."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from maatwerk.accounts.models import Role
from maatwerk.schools.models import Offering, Package
from maatwerk.schools.selectors import planning_year
from tests import factories as f


def _module(code, title, module_type, profiel="ZW"):
    return f.ModuleVersionFactory(module__code=code, title=title, module_type=module_type,
                                  profielen=[f.profiel(profiel)])


@pytest.mark.django_db(transaction=True)
def test_plan_an_offering_build_a_package_and_see_it_on_the_public_page(page, browser_login, live_server):
    year = planning_year()
    school = f.SchoolFactory(name="Het Proefbaken", brin="77PB")
    f.LicenceFactory(school=school, from_year=2020)
    leader = f.member(Role.SCHOOL_LEADER, school=school)
    for i in range(1, 4):
        _module(f"ZW-K-9{i}", f"Zorg dichtbij {i}", "INTRODUCTORY")
        _module(f"ZW-V-9{i}", f"Zorg verdiept {i}", "DEEPENING")
    _module("EO-K-99", "Winkel en verkoop", "INTRODUCTORY", profiel="EO")  # no licence for EO

    browser_login(leader)

    # 1. plan the offering: search the menukaart, tick everything that may be added, add in bulk
    page.goto(f"/scholen/aanbod/?jaar={year}")
    page.click("text=Modulen toevoegen uit de menukaart")
    page.fill("#id_q", "ZW-")
    page.click("form[role=search] button[type=submit]")
    assert page.locator("tbody tr").count() == 6
    page.check("input[data-select-all=versions]")
    assert page.locator("[data-count-of=versions]").inner_text() == "6"
    page.click("text=Voeg de aangevinkte modulen toe")
    page.wait_for_url(f"**/scholen/aanbod/?jaar={year}")
    assert "6 modulen toegevoegd" in page.locator(".messages").inner_text()
    assert Offering.objects.filter(school=school, school_year=year).count() == 6
    # the unlicensed module cannot be ticked, and the page says why
    page.goto(f"/scholen/aanbod/toevoegen/?jaar={year}&q=EO-K-99")
    assert page.locator("input[name=versions]").first.is_disabled()
    assert "geen licentie" in page.locator("tbody").inner_text()

    # 2. build a package: the verdict per leerweg updates while ticking (htmx)
    page.goto(f"/scholen/pakketten/?jaar={year}")
    page.click("text=Nieuw pakket")
    page.fill("#id_name", "Zorg om de hoek")
    assert page.locator("[data-nojs-only]").is_hidden()  # with JavaScript the check is live
    for code in ("ZW-K-91", "ZW-K-92", "ZW-K-93", "ZW-V-91", "ZW-V-92"):
        page.check(f"li:has-text('{code}') input[name=modules]")
    expect(page.locator("#verdict")).to_contain_text("5 modulen gekozen")
    assert "kan het pakket afmaken" not in page.locator("#verdict").inner_text()
    page.check("li:has-text('ZW-V-93') input[name=modules]")
    expect(page.locator("#verdict")).to_contain_text("6 modulen gekozen")
    verdict = page.locator("#verdict").inner_text()
    assert verdict.count("✓ kan het pakket afmaken") == 1  # GL needs 6 units; BB and KB need 8
    assert "minimaal 8 nodig" in verdict
    page.fill("#id_regional_rationale", "Veel zorginstellingen in de wijk.")
    page.click("button[name=save]")
    page.wait_for_load_state("networkidle")
    assert "is opgeslagen" in page.locator(".messages").inner_text()
    package = Package.objects.get(school=school)
    assert package.package_modules.count() == 6

    # 3. the public school page shows it, without logging in
    context = page.context.browser.new_context(base_url=live_server.url)
    public = context.new_page()
    public.goto(f"/scholen/{school.brin}/?jaar={year}")
    text = public.locator("main").inner_text()
    assert "Het Proefbaken" in text and "Zorg om de hoek" in text and "Veel zorginstellingen in de wijk." in text
    assert "Zorg dichtbij 1" in text and "gemengd" in text  # the leerweg it completes
    public.click("summary:has-text('Zorg en welzijn')")
    assert public.get_by_text("Zorg verdiept 3").first.is_visible()
    context.close()
