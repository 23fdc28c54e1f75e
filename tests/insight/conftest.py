"""Fixtures of the insight tests: dashboards computed afresh on every request (no cache between tests)."""

from __future__ import annotations

import pytest


@pytest.fixture(autouse=True)
def _no_dashboard_cache(settings):
    settings.MAATWERK = {**settings.MAATWERK, "INSIGHT_CACHE_SECONDS": 0}
