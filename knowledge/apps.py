from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Content model: knowledge page types, taxonomy snippets, listings and the import command."""

    name = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from knowledge import covers, facets, objectives, translations  # noqa: F401  (checks; receivers)

        covers.connect()
