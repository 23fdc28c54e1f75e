"""Browser test of insight: the steward opens the dashboard, runs a what-if, saves two scenarios and
compares them side by side."""

from __future__ import annotations

import pytest

from maatwerk.accounts.models import Role
from maatwerk.insight.models import Scenario
from tests.factories import member
from tests.insight.test_whatif import build_pilot


@pytest.mark.django_db(transaction=True)
def test_the_steward_runs_saves_and_compares_what_if_scenarios(page, browser_login, settings):
    settings.MAATWERK = {**settings.MAATWERK, "INSIGHT_CACHE_SECONDS": 0}
    build_pilot()
    steward = member(Role.STEWARD)
    browser_login(steward)
    page.click("nav >> text=Inzicht")
    page.wait_for_url("**/inzicht/")
    assert page.get_by_role("heading", name="Inzicht in de pilot").is_visible()
    charts = page.locator("figure.chart img")
    assert charts.count() >= 6                # no packages and no decisions in the fixture: no chart for those
    assert all(charts.nth(i).evaluate("img => img.complete && img.naturalWidth > 0") for i in range(charts.count()))
    assert page.locator("#t-uitslagen").is_visible()

    page.get_by_role("link", name="Wat als …?").click()
    page.wait_for_url("**/inzicht/wat-als/")
    page.fill("#id_min_units\\.KB", "11")
    page.get_by_role("button", name="Bereken", exact=True).click()
    page.wait_for_load_state("networkidle")
    result = page.locator("#uitkomst")
    assert "Minimum eenheden KB 8 → 11" in result.inner_text()
    assert "PROGRAMME_UNITS_TOO_FEW" in result.inner_text()
    assert result.locator("figure.chart img").evaluate("img => img.naturalWidth > 0")
    assert Scenario.objects.count() == 0                       # computing saves nothing

    page.fill("#id_name", "KB naar 11")
    page.get_by_role("button", name="Bereken en bewaar").click()
    page.wait_for_url("**/inzicht/wat-als/?scenario=*")
    assert "is bewaard" in page.locator(".messages").inner_text()
    page.fill("#id_min_units\\.KB", "8")
    page.fill("#id_min_units\\.TL", "6")
    page.fill("#id_name", "TL naar 6")
    page.get_by_role("button", name="Bereken en bewaar").click()
    page.wait_for_url("**/inzicht/wat-als/?scenario=*")
    assert [s.name for s in Scenario.objects.order_by("pk")] == ["KB naar 11", "TL naar 6"]

    page.get_by_label("KB naar 11").check()
    page.get_by_label("TL naar 6").check()
    page.get_by_role("button", name="Vergelijk gekozen scenario's").click()
    page.wait_for_url("**/inzicht/wat-als/vergelijk/?s=*")
    table = page.locator("#t-vergelijking")
    header = table.locator("thead").inner_text()
    assert "KB naar 11" in header and "TL naar 6" in header
    body = table.locator("tbody").inner_text()
    assert "Minimum eenheden KB" in body and "Minimum eenheden TL" in body
    assert "8 (ongewijzigd)" in body
    assert page.locator("figure.chart img").evaluate("img => img.naturalWidth > 0")
