"""Admin registration: countries and themes under one Taxonomy menu; country sections kept whole."""

from django.shortcuts import redirect
from django.utils.translation import gettext_lazy as _
from wagtail import hooks
from wagtail.admin import messages
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from knowledge.models import Country, CountrySectionPage, Theme


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "site"
    list_display = ["name", "code", "locale"]
    search_fields = ["name", "code"]
    ordering = ["name"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "locale"]
    search_fields = ["name", "slug"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (CountryViewSet, ThemeViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Taxonomy")
    menu_name = "taxonomy"


register_snippet(TaxonomyViewSetGroup)


SECTION_REMOVAL_REFUSED = _(
    "Country sections hold the portal's structure: only an administrator can delete or unpublish one."
)


def _refuse_section_removal(request, pages):
    """Redirect with a message when a non-administrator deletes or unpublishes a country section.

    Teams hold their page rights on the section page itself (Wagtail grants rights on a page and
    everything below it, with no "children only" option), so without this a section's moderators
    could remove the whole section. Returns None to let Wagtail go on.
    """
    if request.user.is_superuser:
        return None
    section = next((p for p in pages if isinstance(p.specific_deferred, CountrySectionPage)), None)
    if section is None:
        return None
    messages.error(request, SECTION_REMOVAL_REFUSED)
    return redirect("wagtailadmin_explore", section.pk)


@hooks.register("before_delete_page")
@hooks.register("before_unpublish_page")
def refuse_section_removal(request, page):
    return _refuse_section_removal(request, [page])


@hooks.register("before_bulk_action")
def refuse_bulk_section_removal(request, action_type, objects, action_class_instance):
    if action_type in ("delete", "unpublish"):
        return _refuse_section_removal(request, objects)
    return None
