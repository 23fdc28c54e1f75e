"""The copies in tests/data equal the shared originals (when the shared folder is next to the repo)."""

from __future__ import annotations

from pathlib import Path

import pytest

DATA = Path(__file__).resolve().parent / "data"
SHARED = Path(__file__).resolve().parent.parent.parent / "shared"
PAIRS = [
    ("spv-advies-2023.txt", "seed/000_0f93c086bb8f543e.txt"),
    ("case-v1p0-cfpackage-schema.json", "data/standards/case-v1p0-cfpackage-schema.json"),
    ("ob-v3p0-achievementcredential-schema.json", "data/standards/ob-v3p0-achievementcredential-schema.json"),
    ("ob-v3p0-context-3.0.3.json", "data/standards/ob-v3p0-context-3.0.3.json"),
]


@pytest.mark.parametrize("copy,original", PAIRS)
def test_copy_matches_shared_original(copy, original):
    source = SHARED / original
    if not source.exists():
        # A clone without the shared folder next to it: the copy is all we have; it must exist.
        assert (DATA / copy).stat().st_size > 1000
        return
    assert (DATA / copy).read_bytes() == source.read_bytes()
