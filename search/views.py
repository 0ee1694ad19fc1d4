"""The public search page, its JSON twin and the search box's autocomplete, one query service."""

from django.conf import settings
from django.http import JsonResponse
from django.template.response import TemplateResponse
from django.utils.cache import add_never_cache_headers, patch_cache_control
from django.views.decorators.http import require_safe

from knowledge.facets import build_facets, without_page
from knowledge.filters import printable
from knowledge.visibility import reader_language, with_other_versions
from portal.addresses import absolute, page_address
from search.autocomplete import suggest_titles
from search.forms import KnowledgeQueryForm
from search.query import searchable_text
from search.results import paginate, search_knowledge


def _results_page(form, request):
    """``(query, results, the requested page)``: one engine request with its facets, and one for
    the versions shown with their highlights."""
    query = form.knowledge_query(reader_language())
    results = search_knowledge(query, facets=True, highlights=True)
    page = paginate(results, request.GET.get("page"), settings.KNOWLEDGE_PAGE_SIZE)
    return query, results, page


#: Seconds a page of results may be kept (by the portal's page cache, browsers and proxies): the
#: cached pages are dropped when a change commits, but the index takes the change a few seconds
#: later (the outbox worker), so results kept from in between are stale for this long at most.
RESULTS_MAX_AGE = 60


def kept_for_a_while(response, results=None):
    """``response`` marked to be kept ``RESULTS_MAX_AGE`` seconds, or never when the database
    answered for an engine that failed (``results.degraded``): the next reader may be luckier."""
    if results is not None and results.degraded:
        add_never_cache_headers(response)
    else:
        patch_cache_control(response, max_age=RESULTS_MAX_AGE)
    return response


@require_safe
def search_view(request):
    """``/search/?q=...&country=ML&page=2``: results, facets and pagination; 400 on bad input."""
    form = KnowledgeQueryForm(request.GET)
    context = {"form": form, "query": printable(request.GET.get("q", ""))}
    if not form.is_valid():
        context["errors"] = form.error_messages()
        return TemplateResponse(request, "search/search.html", context, status=400)
    query, results, page = _results_page(form, request)
    highlights, matched_names = results.highlights, results.matched_names
    missing, by_meaning, passages = results.missing_terms, results.by_meaning, results.passages
    by_concept = results.by_concept
    items = with_other_versions(list(page))
    context.update(
        {
            "response": results,
            "results_page": page,
            "total": results.count(),
            "sort": form.cleaned_data["sort"],  # as asked: none selects "Most relevant"
            "results": [
                (
                    item,
                    highlights.get(item.pk, []),
                    matched_names.get(item.pk, ""),
                    missing.get(item.pk, []),
                    item.pk in by_meaning,
                    passages.get(item.pk),
                    by_concept.get(item.pk, ()),
                )
                for item in items
            ],
            # Said once above the results rather than on every card.
            "all_by_meaning": bool(items) and results.words_total == 0,
            # A list by date or title holds the items that contain the words only.
            "by_words_only": bool(query.text.strip()) and not query.ranked,
            "facets": build_facets(
                results.facet_counts(), query.filters, query.language, request.GET
            ),
            "query_string": without_page(request.GET).urlencode(),
        }
    )
    return kept_for_a_while(TemplateResponse(request, "search/search.html", context), results)


@require_safe
def search_json(request):
    """``/search/json/?q=...``: the search page's results, facets and paging as JSON.

    The search page's own data (its pages of 12, facet labels and highlights, and whether the
    engine answered), for monitoring and the benchmark; programs use the API's
    ``/api/v1/items/?q=``, the versioned public contract, which reads the same service.

    A result's ``highlights`` are fragments of its text; ``matched_names`` (HTML, or "") its
    country and theme names in the reader's language when only they matched; ``missing_terms``
    the words or phrases of the query it lacks (a query of three or more may miss one);
    ``found_by_meaning`` whether only its meaning, not the words, matched (``search.semantic``),
    and then ``nearest_passage`` ``{language, text}``, its passage nearest the query, or null;
    ``matched_concepts`` ``[{name, language, url}]`` the concepts of the vocabulary the query names through
    whose labels in other words (often another language) it was found, when not by the words.

    Shape: ``{query, language, backend, degraded, total, page, pages, results: [...],
    facets: {dimension: [{value, label, count, selected}]}}``; 400 ``{errors: [...]}`` on bad input.
    """
    form = KnowledgeQueryForm(request.GET)
    if not form.is_valid():
        return JsonResponse({"errors": form.error_messages()}, status=400)
    query, results, page = _results_page(form, request)
    highlights, matched_names = results.highlights, results.matched_names
    missing, by_meaning, passages = results.missing_terms, results.by_meaning, results.passages
    by_concept = results.by_concept
    facets = build_facets(results.facet_counts(), query.filters, query.language, request.GET)
    response = JsonResponse(
        {
            "query": printable(form.cleaned_data["q"]),
            "language": query.language,
            "backend": results.backend,
            "degraded": results.degraded,
            "total": results.count(),
            "page": page.number,
            "pages": page.paginator.num_pages,
            "results": [
                _result_json(
                    request,
                    item,
                    highlights.get(item.pk, []),
                    matched_names.get(item.pk, ""),
                    missing.get(item.pk, []),
                    item.pk in by_meaning,
                    passages.get(item.pk),
                    by_concept.get(item.pk, ()),
                )
                for item in page
            ],
            "facets": {
                dimension: [
                    {"value": b.value, "label": b.label, "count": b.count, "selected": b.selected}
                    for b in buckets
                ]
                for dimension, buckets in facets.items()
            },
        }
    )
    return kept_for_a_while(response, results)


def _result_json(  # noqa: PLR0913  (one argument per thing the search said of the result)
    request, item, highlights, matched_names, missing_terms, found_by_meaning, passage, concepts
):
    return {
        "id": item.pk,
        "title": item.title,
        "url": page_address(item, request),
        "type": item.specific_class.knowledge_type,
        "language": item.locale.language_code,
        "publication_date": item.publication_date.isoformat(),
        "summary": item.summary,
        "countries": [country.code for country in item.countries.all()],
        "themes": [theme.slug for theme in item.themes.all()],
        "highlights": highlights,
        "matched_names": matched_names,
        "missing_terms": missing_terms,
        "found_by_meaning": found_by_meaning,
        "nearest_passage": {"language": passage[0], "text": passage[1]} if passage else None,
        "matched_concepts": [
            {"name": name, "language": code, "url": absolute(url, request)}
            for name, url, code in concepts
        ],
    }


@require_safe
def autocomplete_json(request):
    """``/search/autocomplete/?q=mop``: up to 8 ``{title, url}`` suggestions for the search box."""
    text = printable(request.GET.get("q", ""))[:100].replace("\ufffd", "")
    suggestions = suggest_titles(searchable_text(text), reader_language()) if text.strip() else []
    response = JsonResponse(
        {
            "query": text,
            "suggestions": [{"title": p.title, "url": p.get_url(request)} for p in suggestions],
        }
    )
    return kept_for_a_while(response)
