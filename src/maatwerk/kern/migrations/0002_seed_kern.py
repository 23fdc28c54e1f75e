"""Load the kern of the July 2023 SPV advice (see maatwerk.kern.seed)."""

from django.db import migrations


def load(apps, schema_editor):
    from maatwerk.kern import seed

    seed.load(apps.get_model("kern", "KernFramework"), apps.get_model("kern", "KernArea"),
              apps.get_model("kern", "KernObjective"))


class Migration(migrations.Migration):
    dependencies = [("kern", "0001_initial")]
    operations = [migrations.RunPython(load, migrations.RunPython.noop)]
