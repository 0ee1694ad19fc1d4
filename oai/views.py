"""The OAI-PMH 2.0 endpoint, ``/oai/`` (GET and POST, §3.1.1).

Every answer is HTTP 200 ``text/xml``; protocol errors are ``<error code="…">`` elements (§3.6).
Verbs (§4): Identify, ListMetadataFormats, ListSets, ListIdentifiers, ListRecords, GetRecord.

- Records: one per knowledge page per language, identifier ``oai:<repository id>:<page id>``,
  datestamp = last publication or later recorded change (``oai.records.live_records``), deleted
  records persistent (``oai.models.OaiRecord``).
- Sets: ``type``, ``country``, ``theme``, ``language`` and their values, e.g. ``type:policy_note``,
  ``country:ML``, ``theme:protection``, ``language:fr``; asking for a parent set gives all its
  subsets' records.
- Lists are ordered by page id and cut every ``OAI_PAGE_SIZE`` items; the resumption token
  (``oai.protocol.make_resumption_token``) carries the last id sent, so items published or
  withdrawn during a harvest never shift the pages.
"""

import datetime
import re

from django.http import HttpResponse
from django.utils import timezone, translation
from django.utils.text import capfirst
from django.views.decorators.csrf import csrf_exempt
from django.views.decorators.http import require_http_methods
from wagtail.models import Locale

from knowledge.models import Country, Theme
from knowledge.visibility import translations_of, with_card_relations, with_item_relations
from oai import conf
from oai.protocol import (
    OaiError,
    format_datestamp,
    make_resumption_token,
    parse_arguments,
    parse_date_range,
    read_resumption_token,
)
from oai.records import (
    EPOCH,
    deleted_records,
    filter_pages_by_set,
    filter_tombstones_by_set,
    knowledge_page_models,
    live_records,
)
from oai.rendering import (
    METADATA_FORMATS,
    OAI_IDENTIFIER_NS,
    OAI_IDENTIFIER_SCHEMA,
    SCHEMA_LOCATION,
    XSI_NS,
    deleted_header,
    envelope,
    live_header,
    oai_dc,
    sub,
    to_bytes,
)
from portal.addresses import absolute, page_address

CONTENT_TYPE = "text/xml; charset=utf-8"
SUPPORTED_PREFIXES = {prefix for prefix, _schema, _namespace in METADATA_FORMATS}


@csrf_exempt
@require_http_methods(["GET", "HEAD", "POST"])
def endpoint(request):
    """Answer one OAI-PMH request; arguments come from the query string (GET) or the
    ``application/x-www-form-urlencoded`` body (POST)."""
    params = request.POST if request.method == "POST" else request.GET
    base_url = absolute(request.path, request)
    now = timezone.now()
    try:
        verb, arguments = parse_arguments(params)
    except OaiError as error:
        return _error_response(now, base_url, error)
    repository = Repository(request)
    root = envelope(now, base_url, verb, arguments)
    try:
        getattr(repository, verb)(root, arguments)
    except OaiError as error:
        return _error_response(now, base_url, error, verb, arguments)
    return HttpResponse(to_bytes(root), content_type=CONTENT_TYPE)


def _error_response(now, base_url, error, verb=None, arguments=None):
    if error.echo_arguments:
        root = envelope(now, base_url, verb, arguments)
    else:
        root = envelope(now, base_url)
    sub(root, "error", error.message, code=error.code)
    return HttpResponse(to_bytes(root), content_type=CONTENT_TYPE)


class Repository:
    """The verbs, one method each: ``Verb(root, arguments)`` appends the verb's element to
    ``root`` or raises ``OaiError``."""

    def __init__(self, request):
        self.request = request
        self.repository_id = conf.repository_identifier()
        self.id_prefix = f"oai:{self.repository_id}:"

    # Identifiers ---------------------------------------------------------------------------

    def identifier(self, page_id):
        return f"{self.id_prefix}{page_id}"

    def page_id(self, identifier):
        """The page id in ``identifier``; idDoesNotExist for anything but this repository's."""
        local = identifier.removeprefix(self.id_prefix)
        if local == identifier or not re.fullmatch(r"[1-9][0-9]{0,17}", local):
            raise OaiError(
                "idDoesNotExist", f"'{identifier}' is not an identifier of this repository."
            )
        return int(local)

    def find(self, identifier):
        """``(live page, None)`` or ``(None, tombstone)`` for ``identifier``; idDoesNotExist for a
        page that harvesters never could see (a draft, a private page) or none at all."""
        page_id = self.page_id(identifier)
        page = self._with_metadata(live_records().filter(pk=page_id)).first()
        if page is not None:
            return page, None
        tombstone = deleted_records().filter(page_id=page_id).first()
        if tombstone is not None:
            return None, tombstone
        raise OaiError("idDoesNotExist", f"No record has the identifier '{identifier}'.")

    @staticmethod
    def check_prefix(prefix):
        if prefix not in SUPPORTED_PREFIXES:
            raise OaiError(
                "cannotDisseminateFormat",
                f"The metadata format '{prefix}' is not served; use one of: "
                f"{', '.join(sorted(SUPPORTED_PREFIXES))}.",
            )

    # Verbs ---------------------------------------------------------------------------------

    def Identify(self, root, arguments):  # noqa: N802 - the verbs' own names
        """§4.2: name, base URL, version, earliest datestamp, persistent deletions, seconds."""
        identify = sub(root, "Identify")
        sub(identify, "repositoryName", conf.repository_name())
        sub(identify, "baseURL", root.find(f"{{{root.nsmap[None]}}}request").text)
        sub(identify, "protocolVersion", "2.0")
        sub(identify, "adminEmail", conf.admin_email())
        sub(identify, "earliestDatestamp", format_datestamp(self.earliest_datestamp()))
        sub(identify, "deletedRecord", "persistent")
        sub(identify, "granularity", "YYYY-MM-DDThh:mm:ssZ")
        description = sub(identify, "description")
        scheme = description.makeelement(
            f"{{{OAI_IDENTIFIER_NS}}}oai-identifier", nsmap={None: OAI_IDENTIFIER_NS, "xsi": XSI_NS}
        )
        description.append(scheme)
        scheme.set(SCHEMA_LOCATION, f"{OAI_IDENTIFIER_NS} {OAI_IDENTIFIER_SCHEMA}")
        for name, value in (
            ("scheme", "oai"),
            ("repositoryIdentifier", self.repository_id),
            ("delimiter", ":"),
            ("sampleIdentifier", self.identifier(123)),
        ):
            child = scheme.makeelement(f"{{{OAI_IDENTIFIER_NS}}}{name}", {})
            child.text = value
            scheme.append(child)

    @staticmethod
    def earliest_datestamp():
        live = live_records().order_by("oai_datestamp").values_list("oai_datestamp", flat=True)
        dead = deleted_records().order_by("datestamp").values_list("datestamp", flat=True)
        stamps = [stamp for stamp in (live.first(), dead.first()) if stamp is not None]
        return min(stamps) if stamps else EPOCH

    def ListMetadataFormats(self, root, arguments):  # noqa: N802
        """§4.4: oai_dc, for the repository or for one item (idDoesNotExist if unknown)."""
        if "identifier" in arguments:
            self.find(arguments["identifier"])
        formats = sub(root, "ListMetadataFormats")
        for prefix, schema, namespace in METADATA_FORMATS:
            element = sub(formats, "metadataFormat")
            sub(element, "metadataPrefix", prefix)
            sub(element, "schema", schema)
            sub(element, "metadataNamespace", namespace)

    def ListSets(self, root, arguments):  # noqa: N802
        """§4.6: the whole hierarchy in one answer (it is small), so no token is ever valid."""
        if "resumptionToken" in arguments:
            raise OaiError(
                "badResumptionToken", "ListSets answers in one response; no token is valid."
            )
        sets = sub(root, "ListSets")
        with translation.override("en"):
            names = self.sets()
        for spec, name in names:
            element = sub(sets, "set")
            sub(element, "setSpec", spec)
            sub(element, "setName", name)

    @staticmethod
    def sets():
        """``[(setSpec, setName)]``: each dimension, then its values named in English."""
        english = Locale.objects.filter(language_code="en").first()
        result = [("type", "Type of knowledge item")]
        for knowledge_type, model in sorted(knowledge_page_models().items()):
            result.append((f"type:{knowledge_type}", capfirst(model._meta.verbose_name)))
        result.append(("country", "Country"))
        names = {}
        for country in Country.objects.order_by("code"):
            if country.locale_id == getattr(english, "pk", None) or country.code not in names:
                names[country.code] = str(country)
        result += [(f"country:{code}", name) for code, name in sorted(names.items())]
        result.append(("theme", "Theme"))
        names = {}
        for theme in Theme.objects.order_by("slug"):
            if theme.locale_id == getattr(english, "pk", None) or theme.slug not in names:
                names[theme.slug] = theme.name
        result += [(f"theme:{slug}", name) for slug, name in sorted(names.items())]
        result.append(("language", "Language"))
        result += [
            (
                f"language:{locale.language_code}",
                str(locale.get_display_name() or locale.language_code),
            )
            for locale in Locale.objects.order_by("language_code")
        ]
        return result

    def GetRecord(self, root, arguments):  # noqa: N802
        """§4.1: one record; a withdrawn page answers a header with status="deleted"."""
        self.check_prefix(arguments["metadataPrefix"])
        page, tombstone = self.find(arguments["identifier"])
        element = sub(root, "GetRecord")
        if page is not None:
            self.write_live(element, page, self._translation_urls([page]), with_metadata=True)
        else:
            deleted_header(sub(element, "record"), self.identifier(tombstone.page_id), tombstone)

    def ListIdentifiers(self, root, arguments):  # noqa: N802
        """§4.3: headers, live and deleted, selected by set and datestamp, in pages."""
        self.list_items(root, "ListIdentifiers", arguments, with_metadata=False)

    def ListRecords(self, root, arguments):  # noqa: N802
        """§4.5: records (deleted ones as headers only), selected by set and datestamp, in pages."""
        self.list_items(root, "ListRecords", arguments, with_metadata=True)

    # Lists ---------------------------------------------------------------------------------

    def list_items(self, root, verb, arguments, with_metadata):
        after = cursor = 0
        if "resumptionToken" in arguments:
            arguments, after, cursor = read_resumption_token(verb, arguments["resumptionToken"])
        self.check_prefix(arguments.get("metadataPrefix"))
        dates = parse_date_range(arguments)
        pages, tombstones = live_records(), deleted_records()
        if "set" in arguments:
            pages = filter_pages_by_set(pages, arguments["set"])
            tombstones = filter_tombstones_by_set(tombstones, arguments["set"])
        if dates.start:
            pages = pages.filter(oai_datestamp__gte=dates.start)
            tombstones = tombstones.filter(datestamp__gte=dates.start)
        if dates.end:
            pages = pages.filter(oai_datestamp__lt=dates.end)
            tombstones = tombstones.filter(datestamp__lt=dates.end)

        size = conf.page_size()
        live = list(
            pages.filter(pk__gt=after).order_by("pk").values_list("pk", flat=True)[: size + 1]
        )
        dead = list(tombstones.filter(page_id__gt=after).order_by("page_id")[: size + 1])
        items = sorted(
            [(pk, None) for pk in live] + [(t.page_id, t) for t in dead], key=lambda i: i[0]
        )
        more = len(items) > size
        items = items[:size]
        if not items:
            if cursor:
                raise OaiError("badResumptionToken", "The list this token continues has ended.")
            raise OaiError("noRecordsMatch", "No records match the arguments given.")

        live_pages = self._with_metadata(
            pages.filter(pk__in=[pk for pk, t in items if t is None]), with_metadata
        )
        live_by_id = {page.pk: page for page in live_pages}
        translations = self._translation_urls(live_by_id.values()) if with_metadata else {}
        element = sub(root, verb)
        for page_id, tombstone in items:
            if tombstone is not None:
                parent = sub(element, "record") if with_metadata else element
                deleted_header(parent, self.identifier(page_id), tombstone)
            elif page_id in live_by_id:
                self.write_live(element, live_by_id[page_id], translations, with_metadata)

        if more or cursor:
            complete = pages.count() + tombstones.count()
            token_attributes = {"completeListSize": str(complete), "cursor": str(cursor)}
            if more:
                expires = timezone.now() + datetime.timedelta(seconds=conf.token_lifetime())
                token = make_resumption_token(verb, arguments, items[-1][0], cursor + len(items))
                sub(
                    element,
                    "resumptionToken",
                    token,
                    expirationDate=format_datestamp(expires),
                    **token_attributes,
                )
            else:
                sub(element, "resumptionToken", **token_attributes)

    def _with_metadata(self, queryset, with_metadata=True):
        if with_metadata:
            return with_item_relations(queryset, relations=("countries", "themes", "tags"))
        return with_card_relations(queryset)

    def write_live(self, parent, page, translations, with_metadata):
        """A live page's ``<record>`` (header and oai_dc), or only its ``<header>``."""
        identifier = self.identifier(page.pk)
        if not with_metadata:
            live_header(parent, identifier, page)
            return
        record = sub(parent, "record")
        live_header(record, identifier, page)
        oai_dc(record, page, page_address(page, self.request), translations.get(page.pk, []))

    def _translation_urls(self, pages):
        versions = translations_of(pages)
        return {
            page.pk: [
                page_address(version, self.request)
                for version in versions[page.translation_key]
                if version.pk != page.pk
            ]
            for page in pages
        }
