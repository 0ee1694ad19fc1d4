"""The publishing organisation is required to publish. Items published without one were cited
under the programme ("COMPASS", citations.records.DEFAULT_PUBLISHER): they now name it, so
publishing or translating them again passes the new validation and their citations stay the same."""

from django.db import migrations, models

#: The publisher their citations named (citations.records.DEFAULT_PUBLISHER when this was written).
PROGRAMME = "COMPASS"


def name_the_programme(apps, schema_editor):
    KnowledgePage = apps.get_model("knowledge", "KnowledgePage")
    KnowledgePage.objects.filter(organisation="").update(organisation=PROGRAMME)


class Migration(migrations.Migration):

    dependencies = [
        ('knowledge', '0009_cldr_country_names'),
    ]

    operations = [
        migrations.RunPython(name_the_programme, migrations.RunPython.noop),
        migrations.AlterField(
            model_name='knowledgepage',
            name='organisation',
            field=models.CharField(help_text='Organisation that publishes the item; shown on the page and used as publisher in citations.', max_length=255, verbose_name='publishing organisation'),
        ),
    ]
