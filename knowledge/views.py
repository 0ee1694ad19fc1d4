"""Views of the public site that are not pages of the tree."""

from django.http import Http404
from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from knowledge.navigation import country_entries, home_for
from knowledge.visibility import reader_language


@require_safe
def countries_view(request):
    """``/<lang>/countries/``: the country sections of the reader's language, in its alphabetical
    order, each with the number of items it lists; 404 when that language has no public home."""
    home = home_for(reader_language())
    if home is None:
        raise Http404("No home page in this language")
    context = {"home": home, "countries": country_entries(home)}
    return TemplateResponse(request, "knowledge/countries.html", context)
