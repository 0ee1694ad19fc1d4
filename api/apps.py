from django.apps import AppConfig


class ApiConfig(AppConfig):
    """The read-only JSON API, /api/v1/, with its OpenAPI schema."""

    name = "api"
    default_auto_field = "django.db.models.BigAutoField"
