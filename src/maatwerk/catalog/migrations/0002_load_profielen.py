"""The 10 beroepsgerichte profielen (Uitvoeringsbesluit WVO 2020 art. 2.21 lid 1), from
catalog/data/profielen.csv (copied from the project's reference data)."""

from django.db import migrations


def load(apps, schema_editor):
    from maatwerk.web.reference import load_profielen

    load_profielen(apps.get_model("catalog", "Profiel"))


class Migration(migrations.Migration):
    dependencies = [("catalog", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
