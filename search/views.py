"""The public search page."""

from django.template.response import TemplateResponse
from django.views.decorators.http import require_safe

from knowledge.facets import build_facets
from knowledge.filters import printable
from knowledge.visibility import reader_language
from search.backends import search_knowledge
from search.forms import SearchForm
from search.query import SORT_RELEVANCE, SearchRequest, searchable_text


@require_safe
def search_view(request):
    """``/search/?q=...&country=ML&page=2``: results, facets and pagination; 400 on bad input."""
    form = SearchForm(request.GET)
    context = {"form": form, "query": printable(request.GET.get("q", ""))}
    if not form.is_valid():
        context["errors"] = form.error_messages()
        return TemplateResponse(request, "search/search.html", context, status=400)
    language = reader_language()
    search_request = SearchRequest(
        text=searchable_text(form.cleaned_data["q"]),
        filters=form.filters(),
        page=request.GET.get("page"),
        sort=form.cleaned_data["sort"] or SORT_RELEVANCE,
        language=language,
    )
    response = search_knowledge(search_request)
    query_dict = request.GET.copy()
    query_dict.pop("page", None)
    context.update(
        {
            "query": printable(form.cleaned_data["q"]),
            "response": response,
            "results_page": response.page,
            "results": [
                (item, getattr(response.page, "highlights", {}).get(item.pk, []))
                for item in response.page
            ],
            "facets": build_facets(
                response.facet_counts, search_request.filters, language, request.GET
            ),
            "query_string": query_dict.urlencode(),
            "has_filters": not search_request.filters.is_empty(),
        }
    )
    return TemplateResponse(request, "search/search.html", context)
