from django.apps import AppConfig


class OperationsConfig(AppConfig):
    """Running the portal in production: health and readiness, the scheduler of periodic jobs,
    the public page cache."""

    name = "operations"
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from operations import signal_handlers

        signal_handlers.connect()
