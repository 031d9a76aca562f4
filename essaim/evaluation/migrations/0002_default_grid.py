from django.db import migrations


def load_default_grid(apps, schema_editor):
    from essaim.evaluation import grids

    names = ("Grid", "GridVersion", "Axis", "Criterion", "Question")
    models = tuple(apps.get_model("evaluation", name) for name in names)
    data = grids.parse(grids.DEFAULT_GRID.read_bytes())
    if not models[0].objects.filter(slug=data.slug).exists():
        grids.import_grid(data, models=models)


class Migration(migrations.Migration):
    dependencies = [("evaluation", "0001_initial")]
    operations = [migrations.RunPython(load_default_grid, migrations.RunPython.noop)]
