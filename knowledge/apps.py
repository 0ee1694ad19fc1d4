from django.apps import AppConfig


class KnowledgeConfig(AppConfig):
    """Content model: knowledge page types, taxonomy snippets, listings and the import command."""

    name = "knowledge"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from knowledge import covers, objectives, translations  # noqa: F401  (a check; receivers)

        covers.connect()
