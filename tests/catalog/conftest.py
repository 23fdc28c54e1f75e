"""Fixtures of the menukaart tests: users per role and modules built through the services."""

from __future__ import annotations

import pytest

from maatwerk.accounts.models import Role
from maatwerk.catalog import services
from maatwerk.catalog.models import Profiel
from maatwerk.catalog.services import SYSTEM
from tests.factories import PlatformFactory, SchoolFactory, member


@pytest.fixture
def steward(db):
    return member(Role.STEWARD)


@pytest.fixture
def platform(db):
    return PlatformFactory(code="zw", name="Platform Zorg en welzijn")


@pytest.fixture
def proposer(platform):
    return member(Role.PROPOSER, platform=platform)


@pytest.fixture
def school_proposer(db):
    return member(Role.PROPOSER, school=SchoolFactory())


def make_module(code="ZW-K-01", *, title="Zorg thuis", valid_from=2024, objectives=("De kandidaat kan helpen.",),
                profielen=("ZW",), publish=True, **content):
    version = services.create_module(
        by=SYSTEM, code=code, title=title, module_type=content.pop("module_type", "INTRODUCTORY"),
        summary=content.pop("summary", "Een module over zorg."),
        profielen=[Profiel.objects.get(code=c) for c in profielen], leerwegen=content.pop("leerwegen", ["BB", "KB"]),
        objectives=list(objectives), **content)
    if publish:
        version = services.publish_version(version=version, by=SYSTEM, valid_from=valid_from)
    return version


@pytest.fixture
def module_factory(db):
    return make_module
