from django.apps import AppConfig


class CitationsConfig(AppConfig):
    """ "Cite this" on knowledge pages: a formatted citation and RIS, BibTeX and CSL-JSON downloads."""

    name = "citations"
    default_auto_field = "django.db.models.BigAutoField"
