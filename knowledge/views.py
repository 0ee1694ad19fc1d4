"""Views of the public site that are not pages of the tree."""

from django.http import FileResponse, Http404, HttpResponse
from django.shortcuts import get_object_or_404, redirect
from django.template.response import TemplateResponse
from django.utils.translation import gettext_lazy as _
from django.views.decorators.http import require_safe
from wagtail import hooks
from wagtail.documents import get_document_model

from knowledge.models.documents import DocumentCover
from knowledge.navigation import country_entries, home_for
from knowledge.visibility import (
    public_knowledge_pages,
    reader_language,
    translations_of,
)

#: The Countries page's lead paragraph and meta description.
COUNTRIES_LEAD = _(
    "The programme's partner countries: each page lists the lessons, practice briefs and policy "
    "notes about that country, from its team and the whole programme."
)


@require_safe
def countries_view(request):
    """``/<lang>/countries/``: the country sections of the reader's language, in its alphabetical
    order, each with the number of items it lists; 404 when that language has no public home."""
    home = home_for(reader_language())
    if home is None:
        raise Http404("No home page in this language")
    context = {
        "home": home,
        "countries": country_entries(home),
        "meta_description": COUNTRIES_LEAD,
    }
    return TemplateResponse(request, "knowledge/countries.html", context)


@require_safe
def untranslated_view(request, page_id):
    """``/<lang>/untranslated/<page_id>/``: where the language switcher leads from an item that has
    no version in ``lang``. It says so in ``lang`` and offers the versions that exist; once a
    version in ``lang`` is published it redirects there (302). 404 for an item readers may not see.
    """
    item = public_knowledge_pages().filter(pk=page_id).first()
    if item is None:
        raise Http404("No such item")
    versions = translations_of([item])[item.translation_key]
    language = reader_language()
    own = next((v for v in versions if v.locale.language_code == language), None)
    if own is not None:
        return redirect(own.get_url(request))
    context = {"item": item, "versions": versions, "home": home_for(language)}
    return TemplateResponse(request, "knowledge/untranslated.html", context)


@require_safe
def document_cover(request, document_id):
    """``/documents/<id>/cover/``: the cover of a PDF (``knowledge.covers``), as WebP, to those who
    may download the document itself: its collection's restrictions and the
    ``before_serve_document`` hooks (the portal's ``document_visible_to``) apply as to the file.
    404 otherwise, and while no cover of the present file exists. Cached by the reader's browser
    only, for an hour."""
    document = get_object_or_404(get_document_model(), pk=document_id)
    restrictions = document.collection.get_view_restrictions()
    if not all(restriction.accept_request(request) for restriction in restrictions):
        raise Http404("No such cover")
    for hook in hooks.get_hooks("before_serve_document"):
        if isinstance(hook(document, request), HttpResponse):  # a hook that answers instead
            raise Http404("No such cover")
    cover = DocumentCover.of(document)
    if cover is None:
        raise Http404("No cover yet")
    try:
        handle = cover.image.open("rb")
    except FileNotFoundError as missing:  # the file went (a restored database, a cleared disk)
        raise Http404("No cover") from missing
    response = FileResponse(handle, content_type="image/webp")
    response["Cache-Control"] = "private, max-age=3600"
    return response
