"""An index on Wagtail's page tree by depth and path, for the pages every page reads.

Each page's header and the home page list the children of a home page (its type listings, theme
index and country sections), and the language switcher finds each language's home page. Wagtail
asks for children by path prefix and depth; SQLite cannot answer a (case-insensitive) LIKE from the
unique index on path, so each of these reads scanned every page of the site in path order: 0.1 s
per read at 100,000 items. With this index they read the few pages at that depth (PostgreSQL, too,
answers a LIKE from the path index only under the C collation). The table is Wagtail's, so the
index is plain SQL.
"""

from django.db import migrations

INDEX = "knowledge_page_depth_path"


class Migration(migrations.Migration):
    dependencies = [
        ("knowledge", "0006_document_check"),
    ]

    operations = [
        migrations.RunSQL(
            f"CREATE INDEX IF NOT EXISTS {INDEX} ON wagtailcore_page (depth, path)",
            f"DROP INDEX IF EXISTS {INDEX}",
        ),
    ]
