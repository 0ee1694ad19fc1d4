from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class LessonsConfig(AppConfig):
    """The lesson register: every lesson, recommendation and key message of a published item,
    followed as a record of its own."""

    name = "lessons"
    verbose_name = _("Lesson register")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from lessons import signal_handlers  # noqa: F401  (records follow publishing)
