import uuid

from django.db import migrations, models


def create_the_row(apps, schema_editor):
    apps.get_model("search", "PassageGeneration").objects.get_or_create(pk=1)


class Migration(migrations.Migration):
    dependencies = [("search", "0006_semantic_search")]

    operations = [
        migrations.CreateModel(
            name="PassageGeneration",
            fields=[
                (
                    "id",
                    models.BigAutoField(
                        auto_created=True, primary_key=True, serialize=False, verbose_name="ID"
                    ),
                ),
                ("token", models.UUIDField(default=uuid.uuid4)),
            ],
        ),
        migrations.RunPython(create_the_row, migrations.RunPython.noop),
    ]
