"""Admin form for knowledge pages."""

from django.utils.translation import gettext_lazy as _
from wagtail.admin.forms import WagtailAdminPageForm


class KnowledgePageForm(WagtailAdminPageForm):
    """Offers the countries and themes of the page's own language and requires one of each."""

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        locale_id = self.instance.locale_id or getattr(self.parent_page, "locale_id", None)
        for name in ("countries", "themes"):
            field = self.fields.get(name)
            if field is None:
                continue
            field.required = True
            field.error_messages["required"] = {
                "countries": _("Choose at least one country."),
                "themes": _("Choose at least one theme."),
            }[name]
            if locale_id:
                field.queryset = field.queryset.filter(locale_id=locale_id)
