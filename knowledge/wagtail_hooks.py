"""Admin registration: countries and themes under one Taxonomy menu, never deleted while in use."""

from django.http import Http404
from django.shortcuts import redirect
from django.templatetags.static import static
from django.utils import timezone, translation
from django.utils.html import format_html
from django.utils.translation import gettext_lazy as _
from django.utils.translation import ngettext
from wagtail import hooks
from wagtail.admin import messages
from wagtail.admin.ui.components import Component
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet, SnippetViewSetGroup

from knowledge.admin_views import choosable
from knowledge.models import KNOWLEDGE_TYPES, Country, Theme
from knowledge.teams import own_sections
from knowledge.visibility import document_visible_to


class CountryViewSet(SnippetViewSet):
    model = Country
    icon = "site"
    list_display = ["name", "code", "locale"]
    ordering = ["name"]


class ThemeViewSet(SnippetViewSet):
    model = Theme
    icon = "tag"
    list_display = ["name", "slug", "locale"]


class TaxonomyViewSetGroup(SnippetViewSetGroup):
    items = (CountryViewSet, ThemeViewSet)
    menu_icon = "folder-open-inverse"
    menu_label = _("Taxonomy")
    menu_name = "taxonomy"


register_snippet(TaxonomyViewSetGroup)


def _refuse_deleting_taxonomy_in_use(request, objects):
    """Redirect to the listing with a message when a country or theme to delete tags any item.

    The check reads the pages' saved links (a new draft's too); a term added to a live page only in
    a later draft revision is not seen.

    Items link to countries and themes through many-to-many fields, which Wagtail's usage count
    does not see, so without this a deletion would silently strip the tag from live items.
    Returns None when nothing in ``objects`` is in use.
    """
    for term in objects:
        if not isinstance(term, Country | Theme):
            continue
        count = term.knowledge_pages.count()
        if count:
            message = ngettext(
                "“%(name)s” tags %(count)s item. Remove it from that item before deleting it.",
                "“%(name)s” tags %(count)s items. Remove it from them before deleting it.",
                count,
            )
            messages.error(request, message % {"name": term, "count": count})
            return redirect(f"wagtailsnippets_knowledge_{term._meta.model_name}:list")
    return None


@hooks.register("before_delete_snippet")
def refuse_deleting_taxonomy_in_use(request, instances):
    return _refuse_deleting_taxonomy_in_use(request, instances)


@hooks.register("before_bulk_action")
def refuse_bulk_deleting_taxonomy_in_use(request, action_type, objects, action_class_instance):
    if action_type == "delete":
        return _refuse_deleting_taxonomy_in_use(request, objects)
    return None


@hooks.register("before_serve_page")
def refuse_expired_pages(page, request, serve_args, serve_kwargs):
    """A page past its expiry date is not found, even before the scheduler unpublishes it."""
    if page.expire_at and page.expire_at <= timezone.now():
        raise Http404


@hooks.register("before_serve_document")
def serve_documents_readers_may_see(document, request):
    """``/documents/<id>/<name>`` finds a file only for those who may see it (see
    ``knowledge.visibility.document_visible_to``): not the file of a draft or a private page."""
    if not document_visible_to(document, request):
        raise Http404


@hooks.register("construct_page_chooser_queryset")
def choose_among_pages_the_user_may_see(pages, request):
    """The page chooser (linking, moving) lists the pages readers see and the pages of the
    user's own sections: a country team never reads another section's draft or private titles."""
    return choosable(pages, request.user)


@hooks.register("insert_editor_js")
def name_rich_text_editors():
    return format_html('<script src="{}" defer></script>', static("js/admin-field-names.js"))


class YourSectionPanel(Component):
    """The dashboard's way into a team member's own section: its name, and in each language a
    link to add each kind of item there and one to its pages. Wagtail's explorer starts at the
    common root of a team's sections (one per language), the tree's root; this starts in them."""

    name = "your_section"
    order = 50
    template_name = "knowledge/admin/your_section_panel.html"

    def __init__(self, sections):
        self.sections = sections

    def get_context_data(self, parent_context):
        language = translation.get_language()
        named = next((s for s in self.sections if s.locale.language_code == language), None)
        return {
            "section_name": (named or self.sections[0]).title,
            "sections": self.sections,
            "item_types": [
                (model._meta.model_name, model._meta.verbose_name)
                for model in KNOWLEDGE_TYPES.values()
            ],
        }


@hooks.register("construct_homepage_panels")
def your_section_panel(request, panels):
    if request.user.is_superuser:  # administrators work across sections
        return
    sections = own_sections(request.user)
    if sections:
        panels.append(YourSectionPanel(sections))
