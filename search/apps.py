from django.apps import AppConfig


class SearchConfig(AppConfig):
    """The public search: query service, engine backends and views."""

    name = "search"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from search import expansion, signal_handlers  # noqa: F401  (expansion: its system check)

        signal_handlers.connect()
