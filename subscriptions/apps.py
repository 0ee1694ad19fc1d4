from django.apps import AppConfig


class SubscriptionsConfig(AppConfig):
    """Email subscriptions: double opt-in, daily or weekly digests, one-click unsubscribe."""

    name = "subscriptions"
    default_auto_field = "django.db.models.BigAutoField"
