from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The public search: query service, engine backends and views."""

    name = "search"
    label = "knowledge_search"
    default_auto_field = "django.db.models.BigAutoField"
