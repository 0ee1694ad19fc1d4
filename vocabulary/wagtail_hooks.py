"""The vocabulary in the admin: taxonomy managers edit concepts under their own menu item."""

from django.utils.translation import gettext_lazy as _
from wagtail.snippets.models import register_snippet
from wagtail.snippets.views.snippets import SnippetViewSet

from vocabulary.models import Concept


class ConceptViewSet(SnippetViewSet):
    model = Concept
    icon = "list-ul"
    menu_label = _("Vocabulary")
    menu_name = "vocabulary"
    add_to_admin_menu = True
    menu_order = 250
    list_display = ["__str__", "identifier", "collection"]
    list_filter = ["collection"]
    search_fields = ["identifier", "notation", "labels__text"]
    search_backend_name = None  # the ORM: concepts are few and not in a search index
    ordering = ["collection", "identifier"]

    def get_queryset(self, request):
        # A search by label joins the labels: one row per concept, however many labels match.
        return Concept.objects.distinct()


register_snippet(ConceptViewSet)
