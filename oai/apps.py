from django.apps import AppConfig


class OaiConfig(AppConfig):
    """An OAI-PMH 2.0 repository of the knowledge pages, serving oai_dc."""

    name = "oai"
    verbose_name = "OAI-PMH"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from oai import signal_handlers

        signal_handlers.connect()
