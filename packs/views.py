"""The offline packs as readers download them."""

from django.http import FileResponse, Http404
from django.views.decorators.http import require_safe

from knowledge.visibility import reader_language
from packs.models import OfflinePack


@require_safe
def offline_pack(request, scope, key):
    """``/<lang>/offline/<scope>/<key>.pdf``: the offline pack of a country (``scope`` "country",
    ``key`` its code) or a theme ("theme", its slug) in the reader's language, as a PDF. 404
    while none is built (nothing public in it yet, or the worker has not run)."""
    if scope == OfflinePack.COUNTRY:
        key = key.upper()  # ISO 3166-1 codes, however the address writes them
    pack = OfflinePack.objects.filter(scope=scope, key=key, language=reader_language()).first()
    if pack is None or not pack.file:
        raise Http404("No offline pack")
    try:
        handle = pack.file.open("rb")
    except FileNotFoundError as missing:  # the file went (a restored database, a cleared disk)
        raise Http404("No offline pack") from missing
    response = FileResponse(handle, content_type="application/pdf", filename=pack.download_name)
    response["Cache-Control"] = "max-age=300"  # rebuilt within minutes of a change
    return response
