"""Panels of the page editor that are the portal's own."""

from itertools import groupby

from django.utils.functional import cached_property
from django.utils.translation import gettext_lazy as _
from wagtail.admin.panels import Panel

from knowledge.translation_progress import left_to_translate


class LeftToTranslatePanel(Panel):
    """At the top of a translation's editor: the fields still the same as in another language's
    version (``knowledge.translation_progress``), grouped by that language; hidden when there are
    none (a source, or a finished translation)."""

    def __init__(self, **kwargs):
        kwargs.setdefault("heading", _("Still to translate"))
        super().__init__(**kwargs)

    class BoundPanel(Panel.BoundPanel):
        template_name = "knowledge/admin/left_to_translate_panel.html"

        @cached_property
        def left(self):
            page = self.instance
            if not page.pk:
                return []
            # A translation is made from a version that exists already: only earlier versions
            # (smaller ids) are its sources, so the original shows no panel.
            earlier = page.get_translations().filter(pk__lt=page.pk)
            versions = list(earlier.specific().select_related("locale"))
            return left_to_translate(page, versions)

        def is_shown(self):
            return bool(self.left)

        def get_context_data(self, parent_context=None):
            context = super().get_context_data(parent_context)
            context["languages"] = [
                (language, list(fields))
                for language, fields in groupby(
                    sorted(self.left, key=lambda field: field.language),
                    key=lambda field: field.language,
                )
            ]
            return context
