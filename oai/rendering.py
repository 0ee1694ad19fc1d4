"""The XML of responses: the OAI-PMH envelope (§3.2), record headers (§2.5) and oai_dc metadata
(§6.2 of the spec's "Implementation guidelines": Dublin Core's 15 elements, unqualified)."""

from django.utils import translation
from django.utils.text import capfirst
from lxml import etree

from oai.protocol import format_datestamp
from oai.records import set_specs_of
from portal.xmltext import xml_safe

OAI_NS = "http://www.openarchives.org/OAI/2.0/"
OAI_SCHEMA = "http://www.openarchives.org/OAI/2.0/OAI-PMH.xsd"
OAI_DC_NS = "http://www.openarchives.org/OAI/2.0/oai_dc/"
OAI_DC_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai_dc.xsd"
DC_NS = "http://purl.org/dc/elements/1.1/"
XSI_NS = "http://www.w3.org/2001/XMLSchema-instance"
OAI_IDENTIFIER_NS = "http://www.openarchives.org/OAI/2.0/oai-identifier"
OAI_IDENTIFIER_SCHEMA = "http://www.openarchives.org/OAI/2.0/oai-identifier.xsd"
SCHEMA_LOCATION = f"{{{XSI_NS}}}schemaLocation"

#: The one metadata format served: (prefix, schema, namespace).
METADATA_FORMATS = [("oai_dc", OAI_DC_SCHEMA, OAI_DC_NS)]


def oai(tag):
    return f"{{{OAI_NS}}}{tag}"


def sub(parent, tag, text=None, **attributes):
    element = etree.SubElement(
        parent, oai(tag), {name: xml_safe(value) for name, value in attributes.items()}
    )
    if text is not None:
        element.text = xml_safe(text)
    return element


def envelope(response_date, base_url, verb=None, arguments=None):
    """``<OAI-PMH>`` with ``responseDate`` and ``request`` (attributes only when given)."""
    root = etree.Element(oai("OAI-PMH"), nsmap={None: OAI_NS, "xsi": XSI_NS})
    root.set(SCHEMA_LOCATION, f"{OAI_NS} {OAI_SCHEMA}")
    sub(root, "responseDate", format_datestamp(response_date))
    attributes = {}
    if verb:
        attributes = {"verb": verb, **(arguments or {})}
    sub(root, "request", base_url, **attributes)
    return root


def to_bytes(root):
    return etree.tostring(root, xml_declaration=True, encoding="UTF-8", pretty_print=True)


def live_header(parent, identifier, page):
    """``<header>`` of a live record; ``page`` is annotated with ``oai_datestamp`` and has its
    countries, themes and locale loaded."""
    header = sub(parent, "header")
    sub(header, "identifier", identifier)
    sub(header, "datestamp", format_datestamp(page.oai_datestamp))
    for spec in set_specs_of(page):
        sub(header, "setSpec", spec)
    return header


def deleted_header(parent, identifier, tombstone):
    """``<header status="deleted">`` of a withdrawn record (an ``OaiRecord``)."""
    header = sub(parent, "header", status="deleted")
    sub(header, "identifier", identifier)
    sub(header, "datestamp", format_datestamp(tombstone.datestamp))
    for spec in tombstone.set_specs.split():
        sub(header, "setSpec", spec)
    return header


def oai_dc(parent, page, url, translation_urls):
    """``<metadata><oai_dc:dc>`` of a knowledge page.

    title; creator (each author); subject (theme names, then keywords); description (summary);
    publisher (organisation); date (publication date, ISO 8601); type (DCMI "Text", then the kind
    of item in English); format (text/html); identifier (the page's absolute URL); language (ISO
    639-1 code of the page's locale); coverage (country names in the page's language); relation
    (absolute URLs of its public translations).
    """
    metadata = sub(parent, "metadata")
    dc = etree.SubElement(
        metadata, f"{{{OAI_DC_NS}}}dc", nsmap={"oai_dc": OAI_DC_NS, "dc": DC_NS, "xsi": XSI_NS}
    )
    dc.set(SCHEMA_LOCATION, f"{OAI_DC_NS} {OAI_DC_SCHEMA}")

    def element(name, value):
        if value:
            etree.SubElement(dc, f"{{{DC_NS}}}{name}").text = xml_safe(value)

    element("title", page.title)
    for block in page.authors:
        element("creator", block.value)
    for theme in sorted(page.themes.all(), key=lambda theme: theme.name):
        element("subject", theme.name)
    for tag in sorted(page.tags.all(), key=lambda tag: tag.name.lower()):
        element("subject", tag.name)
    element("description", page.summary)
    element("publisher", page.organisation)
    element("date", page.publication_date.isoformat() if page.publication_date else "")
    element("type", "Text")
    with translation.override("en"):
        element("type", capfirst(page.specific_class._meta.verbose_name))
    element("format", "text/html")
    element("identifier", url)
    element("language", page.locale.language_code)
    for country in sorted(page.countries.all(), key=lambda country: country.code):
        element("coverage", str(country))
    for translation_url in translation_urls:
        element("relation", translation_url)
    return metadata
