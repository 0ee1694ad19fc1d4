from django.apps import AppConfig


class PacksConfig(AppConfig):
    """Offline packs: one PDF per country and per theme, in each language, for teams who read
    without a steady connection."""

    name = "packs"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from packs import signal_handlers

        signal_handlers.connect()
