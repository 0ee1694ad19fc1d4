from django.apps import AppConfig


class FeedsConfig(AppConfig):
    """RSS 2.0 and Atom feeds of live public knowledge: everything, per type, country, theme, tag, language and search query."""

    name = "feeds"
    default_auto_field = "django.db.models.BigAutoField"
