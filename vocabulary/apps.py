from django.apps import AppConfig
from django.utils.translation import gettext_lazy as _


class VocabularyConfig(AppConfig):
    name = "vocabulary"
    verbose_name = _("Vocabulary")
    default_auto_field = "django.db.models.BigAutoField"

    def ready(self):
        from vocabulary import signal_handlers  # noqa: F401  (connects the label index's reset)
