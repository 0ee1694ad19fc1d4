"""RSS 2.0 and Atom feeds of live public knowledge, on Django's syndication framework.

Specifications: RSS 2.0 (https://www.rssboard.org/rss-specification) and Atom (RFC 4287,
https://www.rfc-editor.org/rfc/rfc4287). One ``KnowledgeFeed`` serves both; the feed type decides
the XML. Each item carries:

- ``link``: the absolute URL of the page;
- ``guid`` / ``id``: ``urn:uuid:`` + a UUID derived from the page's translation key and language
  (see ``page_guid``), not a permalink;
- title, summary (as HTML-escaped description), publication date (``pubDate`` / ``published``) and
  last publication (Atom ``updated``);
- authors (RSS ``dc:creator``, Atom ``author``), one per name, or the publishing organisation;
- categories: the names of its countries and themes in the item's own language;
- enclosures: its attached documents with absolute URL, length in bytes and MIME type (Atom: all
  of them; RSS allows one enclosure per item, so the first one);
- its language (RSS ``dc:language``, Atom ``xml:lang``).

Every text is passed through ``xml_safe`` on its way into the XML.
"""

import datetime
import uuid
from dataclasses import dataclass, field

from django.contrib.syndication.views import Feed
from django.http import HttpResponseBadRequest
from django.urls import reverse
from django.utils import feedgenerator
from django.utils.html import escape
from django.utils.translation import gettext as _

from feeds.selectors import FEED_LIMIT, feed_pages, feed_query
from feeds.titles import feed_description, feed_title, scope_parts
from knowledge.visibility import reader_language
from portal.addresses import absolute, page_address
from portal.xmltext import xml_safe
from search.query import KnowledgeQuery

DC_NAMESPACE = "http://purl.org/dc/elements/1.1/"


def _xml_safe_value(value):
    if isinstance(value, str):
        return xml_safe(value)
    if isinstance(value, list | tuple):
        return [_xml_safe_value(element) for element in value]
    return value


class XmlSafeFeedMixin:
    """A feed generator whose every feed-level and item-level text is passed through ``xml_safe``.

    Also writes an item's ``authors`` (a list of names) and ``language`` (a language code) when
    ``add_item`` receives them; subclasses decide the elements.
    """

    def __init__(self, *args, **kwargs):
        super().__init__(*args, **kwargs)
        self.feed = {key: _xml_safe_value(value) for key, value in self.feed.items()}

    def add_item(self, *args, **kwargs):
        super().add_item(*args, **kwargs)
        self.items[-1] = {key: _xml_safe_value(value) for key, value in self.items[-1].items()}


class KnowledgeRssGenerator(XmlSafeFeedMixin, feedgenerator.Rss201rev2Feed):
    """RSS 2.0 with Dublin Core ``dc:creator`` per author and ``dc:language`` per item."""

    def rss_attributes(self):
        return {**super().rss_attributes(), "xmlns:dc": DC_NAMESPACE}

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors") or ():
            handler.addQuickElement("dc:creator", author)
        if item.get("language"):
            handler.addQuickElement("dc:language", item["language"])


class KnowledgeAtomGenerator(XmlSafeFeedMixin, feedgenerator.Atom1Feed):
    """Atom 1.0 with one ``author`` element per author and ``xml:lang`` on each entry."""

    def item_attributes(self, item):
        attributes = super().item_attributes(item)
        if item.get("language"):
            attributes = {**attributes, "xml:lang": item["language"]}
        return attributes

    def add_item_elements(self, handler, item):
        super().add_item_elements(handler, item)
        for author in item.get("authors") or ():
            handler.startElement("author", {})
            handler.addQuickElement("name", author)
            handler.endElement("author")


@dataclass(frozen=True)
class FeedEnclosure:
    """An attached document: absolute ``url``, ``length`` in bytes, ``mime_type``."""

    url: str
    length: int
    mime_type: str


@dataclass
class FeedItem:
    """Everything one feed item says, computed once per request (see ``feed_item``)."""

    title: str
    link: str
    guid: str
    summary: str
    language: str
    published: datetime.datetime
    updated: datetime.datetime
    authors: list = field(default_factory=list)
    categories: list = field(default_factory=list)
    enclosures: list = field(default_factory=list)


@dataclass
class FeedObject:
    """The ``obj`` Django's ``Feed`` passes around: the query, its items and its URLs."""

    query: KnowledgeQuery
    items: list
    scope: list
    link: str
    feed_url: str


def page_guid(page):
    """The item's permanent identifier: ``urn:uuid:<UUID 5 of the language code in the namespace
    of the page's translation key>``, e.g. ``urn:uuid:2f1c…``.

    The translation key is the UUID Wagtail gives an item and all its translations; the language
    tells the translations apart, as each is a separate document for feed readers. Neither changes
    when the title or slug is edited, the page moves to another section or the portal moves to
    another domain, so readers never see an edited item twice; the URL changes with all of these,
    which is why it is not the GUID.
    """
    return uuid.uuid5(page.translation_key, page.locale.language_code).urn


def _document_size(document):
    if document.file_size is not None:
        return document.file_size
    try:
        return document.file.size
    except OSError:
        return 0


def feed_item(page, request):
    """The ``FeedItem`` of a knowledge ``page`` (loaded with ``with_item_relations``).

    No query of its own for a prefetched page; links are absolute, built from the request.
    """
    published = datetime.datetime.combine(
        page.publication_date, datetime.time.min, tzinfo=datetime.UTC
    )
    authors = [str(block.value) for block in page.authors if str(block.value).strip()]
    if not authors and page.organisation:
        authors = [page.organisation]
    return FeedItem(
        title=page.title,
        link=page_address(page, request),
        guid=page_guid(page),
        summary=page.summary,
        language=page.locale.language_code,
        published=published,
        updated=page.last_published_at or published,
        authors=authors,
        categories=[str(country) for country in page.countries.all()]
        + [str(theme) for theme in page.themes.all()],
        enclosures=[
            FeedEnclosure(
                url=absolute(attachment.document.url, request),
                length=_document_size(attachment.document),
                mime_type=attachment.document.content_type,
            )
            for attachment in page.attachments.all()
        ],
    )


class KnowledgeFeed(Feed):
    """A feed of the newest live, public knowledge pages matching the request's query parameters.

    ``GET /<lang>/feeds/rss/?country=ML&type=practice_brief`` (or ``/atom/``): at most
    ``FEED_LIMIT`` items, newest publication date first. The parameters are those of listings and
    search (``type``, ``country``, ``theme``, ``objective``, ``year``, ``language``, ``tag``,
    repeatable, and
    ``q``); an unknown or malformed value answers 400 with a plain-text message naming the
    parameter. Titles are in the language of the URL prefix.
    """

    limit = FEED_LIMIT

    def __call__(self, request, *args, **kwargs):
        query, errors = feed_query(request.GET, reader_language())
        if errors:
            return HttpResponseBadRequest(
                "\n".join(errors) + "\n", content_type="text/plain; charset=utf-8"
            )
        return super().__call__(request, *args, query=query)

    def get_object(self, request, query):
        pages = feed_pages(query, self.limit)
        query_string = query.query_string()
        suffix = f"?{query_string}" if query_string else ""
        return FeedObject(
            query=query,
            items=[feed_item(page, request) for page in pages],
            scope=scope_parts(query),
            link=absolute(reverse("search") + suffix, request),
            feed_url=absolute(request.path + suffix, request),
        )

    def title(self, obj):
        return feed_title(obj.scope)

    def description(self, obj):
        return feed_description(obj.scope, self.limit)

    def subtitle(self, obj):
        return feed_description(obj.scope, self.limit)

    def link(self, obj):
        """The search page showing what the feed carries."""
        return obj.link

    def feed_url(self, obj):
        """The feed's own URL with its canonical query string."""
        return obj.feed_url

    def feed_guid(self, obj):
        return obj.feed_url

    def author_name(self, obj):
        return _("COMPASS Knowledge Portal")

    def items(self, obj):
        return obj.items

    def item_title(self, item):
        return item.title

    def item_description(self, item):
        return escape(item.summary)

    def item_link(self, item):
        return item.link

    def item_guid(self, item):
        return item.guid

    item_guid_is_permalink = False

    def item_pubdate(self, item):
        return item.published

    def item_updateddate(self, item):
        return item.updated

    def item_categories(self, item):
        return item.categories

    def item_enclosures(self, item):
        return [
            feedgenerator.Enclosure(enclosure.url, str(enclosure.length), enclosure.mime_type)
            for enclosure in item.enclosures
        ]

    def item_extra_kwargs(self, item):
        return {"authors": item.authors, "language": item.language}


class KnowledgeRssFeed(KnowledgeFeed):
    """The RSS 2.0 feed: at most one enclosure per item, the first attached document."""

    feed_type = KnowledgeRssGenerator

    def item_enclosures(self, item):
        return super().item_enclosures(item)[:1]


class KnowledgeAtomFeed(KnowledgeFeed):
    """The Atom 1.0 feed: every attached document as a ``link rel="enclosure"``."""

    feed_type = KnowledgeAtomGenerator
