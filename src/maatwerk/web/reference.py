"""National reference data that migrations load (kern, profielen), loadable again on demand:
after a test flush, or into a database restored without it."""

from __future__ import annotations

import csv
from pathlib import Path

PROFIELEN_CSV = Path(__file__).resolve().parent.parent / "catalog" / "data" / "profielen.csv"


def load_profielen(Profiel) -> None:  # noqa: N803 - also called with the historical model
    with PROFIELEN_CSV.open(encoding="utf-8") as fh:
        for row in csv.DictReader(fh):
            Profiel.objects.update_or_create(
                code=row["code"],
                defaults={"name": row["naam"], "abbreviation": row["gangbare_afkorting"], "source": row["bron"]},
            )


def ensure_reference_data() -> None:
    from maatwerk.catalog.models import Profiel
    from maatwerk.kern import seed
    from maatwerk.kern.models import KernArea, KernFramework, KernObjective

    seed.load(KernFramework, KernArea, KernObjective)
    if not Profiel.objects.exists():
        load_profielen(Profiel)
