"""The starting stock: every row of fixtures/beroepsgericht-aanbod.csv becomes a published module; the
stats command counts them; gaps in the sources stay gaps (with a note), never a guess."""

from __future__ import annotations

import csv
from io import StringIO

from django.core.management import call_command

from maatwerk.catalog import services
from maatwerk.catalog.models import MboQualification, Module, ModuleVersion

CSV = services.FIXTURES / "beroepsgericht-aanbod.csv"


def rows():
    with CSV.open(encoding="utf-8") as fh:
        return list(csv.DictReader(fh))


def test_import_stock_makes_every_row_a_published_module_and_is_idempotent(db):
    out = StringIO()
    call_command("catalog", "import-stock", "--valid-from", "2025", stdout=out)
    data = rows()
    assert Module.objects.count() == len(data) == 96
    assert f"{len(data)} modulen gemaakt" in out.getvalue()
    assert ModuleVersion.objects.filter(status="published", valid_from=2025).count() == len(data)
    call_command("catalog", "import-stock", stdout=out)
    assert Module.objects.count() == len(data) and ModuleVersion.objects.count() == len(data)
    profielmodulen = [r for r in data if r["soort"] == "profielmodule"]
    assert ModuleVersion.objects.filter(module_type="INTRODUCTORY", legacy_kind="profielmodule").count() == len(
        profielmodulen)
    assert ModuleVersion.objects.filter(module_type="DEEPENING", legacy_kind="keuzevak").count() == len(data) - len(
        profielmodulen)
    assert MboQualification.objects.count() == 9


def test_stats_count_equals_the_csv_rows(db):
    call_command("catalog", "import-stock", stdout=StringIO())
    out = StringIO()
    call_command("catalog", "stats", stdout=out)
    text = out.getvalue()
    data = rows()
    n_pm = sum(r["soort"] == "profielmodule" for r in data)
    assert f"Modulen: {len(data)} " in text
    assert f"kennismakend {n_pm}" in text and f"verdiepend {len(data) - n_pm}" in text
    assert f"keuzevak {len(data) - n_pm}, profielmodule {n_pm}" in text
    zw = sum(r["profiel"] == "ZW" for r in data)
    assert f"ZW {zw}" in text


def test_codes_profielen_leerwegen_and_honest_gaps(db):
    services.import_stock(valid_from=2025)
    mvi = Module.objects.get(code="MVI-KV-06").current_version
    assert (mvi.title, mvi.legacy_code, mvi.leerwegen) == ("Game-design", "1510", ["BB", "KB", "GL"])
    assert list(mvi.profielen.values_list("code", flat=True)) == ["MVI"]
    mt = Module.objects.get(code="MT-PM-01").current_version
    assert mt.leerwegen == [] and "niet in de gevonden bron" in mt.data_note  # empty stays empty
    assert [o.text for o in mt.objectives.all()][0] == "Motormechanische delen meten en testen"
    assert "taken uit de bron" in mt.data_note
    groen = Module.objects.get(code="GROEN-PM-01").current_version
    assert groen.leerwegen == ["BB", "KB"] and "conflicteren" in groen.data_note
    dp = Module.objects.get(code="DP-KV-01").current_version
    assert dp.search_text.startswith("dp-kv-01 geuniformeerde")
    assert not ModuleVersion.objects.filter(kern_objectives__isnull=False).exists()  # left to the stewards
    assert ModuleVersion.objects.exclude(source="").count() == 96
