from __future__ import annotations

import pytest

from maatwerk.accounts.models import Role
from tests import factories as f


@pytest.fixture
def school(db):
    return f.SchoolFactory(name="Het Testbaken")


@pytest.fixture
def leader(school):
    return f.member(Role.SCHOOL_LEADER, school=school)


@pytest.fixture
def counsellor(school):
    return f.member(Role.COUNSELLOR, school=school)


@pytest.fixture
def teacher(school):
    return f.member(Role.TEACHER, school=school)


def version(code=None, *, profielen=("ZW",), module_type="INTRODUCTORY", leerwegen=("BB", "KB", "GL"),
            legacy_kind="", **kwargs):
    """A published module version of the given profielen, type and leerwegen."""
    extra = {"module__code": code} if code else {}
    flags = {f"for_{lw.lower()}": lw in leerwegen for lw in ("BB", "KB", "GL", "TL")}
    return f.ModuleVersionFactory(profielen=[f.profiel(p) for p in profielen], module_type=module_type,
                                  legacy_kind=legacy_kind, **flags, **extra, **kwargs)
