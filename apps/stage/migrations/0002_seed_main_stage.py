from django.db import migrations


def seed_main(apps, schema_editor):
    Stage = apps.get_model("stage", "Stage")
    Stage.objects.get_or_create(slug="main", defaults={"name": "Main stage"})


class Migration(migrations.Migration):
    dependencies = [("stage", "0001_initial")]

    operations = [migrations.RunPython(seed_main, migrations.RunPython.noop)]
