from django.apps import AppConfig


class AccountsConfig(AppConfig):
    """Editors' accounts: login lockout, two-factor recovery codes, throttled password forms."""

    name = "accounts"
    default_auto_field = "django.db.models.BigAutoField"
