"""Browser test of the menukaart: search, open a module, compare two versions."""

from __future__ import annotations

import pytest
from playwright.sync_api import expect

from maatwerk.catalog import services
from maatwerk.catalog.services import SYSTEM
from tests.catalog.conftest import make_module


@pytest.mark.django_db(transaction=True)
def test_search_open_a_module_and_compare_two_versions(page):
    make_module("DP-KV-01", title="Geüniformeerde dienstverlening en veiligheid", profielen=("DP",),
                module_type="DEEPENING", summary="Toezicht en beveiliging.")
    make_module("BWI-KV-02", title="Schoonmetselwerk", profielen=("BWI",), summary="Metselen.")
    v1 = make_module("ZW-KV-13", title="Technologie binnen zorg en welzijn", summary="Zorgtechnologie.",
                     objectives=["De kandidaat kan zorgtechnologie herkennen."], valid_from=2024)
    v2 = services.new_version(module=v1.module, by=SYSTEM)
    services.update_concept(version=v2, by=SYSTEM, objectives=["De kandidaat kan zorgtechnologie herkennen en uitleggen.",
                                                               "De kandidaat kan privacy bewaken."],
                            guides={"BB": {"emphasis": "meer praktijk", "text": "Hulpmiddelen uitproberen."}})
    services.publish_version(version=v2, by=SYSTEM, valid_from=2025)

    page.goto("/menukaart/")
    assert page.locator(".module-row").count() == 3
    page.fill("#id_q", "zorgtechnologie")  # htmx narrows the list while typing
    expect(page.locator(".module-row")).to_have_count(1)
    expect(page.locator(".result-count")).to_contain_text("1 module gevonden")
    page.fill("#id_q", "geuniformeerde")   # without the accent
    expect(page.locator(".module-row .code")).to_have_text(["DP-KV-01"])
    page.fill("#id_q", "zorg")
    page.press("#id_q", "Enter")
    expect(page.locator(".module-row .code")).to_have_text(["ZW-KV-13"])
    page.click("text=Technologie binnen zorg en welzijn")
    page.wait_for_url("**/menukaart/ZW-KV-13/")
    assert page.locator("h1").inner_text() == "Technologie binnen zorg en welzijn"
    assert page.get_by_text("De kandidaat kan privacy bewaken.").is_visible()
    assert "Hulpmiddelen uitproberen." in page.locator(".guides").inner_text()
    page.select_option("#id_van", "1")
    page.select_option("#id_naar", "2")
    page.click("text=Vergelijken")
    page.wait_for_url("**/menukaart/ZW-KV-13/vergelijk/?van=1&naar=2")
    assert page.locator("h1").inner_text().endswith("versie 1 en 2")
    table = page.locator("table.diff-table")
    assert "en uitleggen" in " ".join(table.locator("ins").all_inner_texts())
    assert table.locator("th", has_text="Eindtermen").count() == 1
    assert table.locator("th", has_text="Handreiking BB").count() == 1
