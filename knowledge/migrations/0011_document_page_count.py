"""The number of pages of each readable PDF, kept with its check, for the item page's document
block; counted here for the PDFs checked before."""

from django.db import migrations, models

from knowledge.models.documents import read_pdf


def count_pages(apps, schema_editor):
    DocumentCheck = apps.get_model("knowledge", "DocumentCheck")
    checks = DocumentCheck.objects.filter(problem="", file_name__iendswith=".pdf")
    for check in checks.select_related("document"):
        try:
            with check.document.file.open("rb") as handle:
                _problem, _detail, check.page_count = read_pdf(handle)
        except OSError:  # a missing file: Wagtail's edit view already says so
            continue
        check.save(update_fields=["page_count"])


class Migration(migrations.Migration):
    # The column is added and committed first; each count is then saved on its own, so reading
    # every PDF never holds a lock on the table that each item page reads.
    atomic = False
    dependencies = [("knowledge", "0010_organisation_required_to_publish")]

    operations = [
        migrations.AddField(
            model_name="documentcheck",
            name="page_count",
            field=models.PositiveIntegerField(
                blank=True, help_text="Pages of a readable PDF; empty for other files.", null=True
            ),
        ),
        migrations.RunPython(count_pages, migrations.RunPython.noop),
    ]
