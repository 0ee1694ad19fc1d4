"""RSS 2.0 and Atom feeds: what they list, what each item says, and that every feed parses."""

import datetime
from urllib.parse import parse_qs, urlsplit

import factory
import feedparser
import pytest
import wagtail_factories
from django.db import connection
from django.test.utils import CaptureQueriesContext
from wagtail.models import Page, PageViewRestriction

from feeds.feeds import KnowledgeFeed
from tests.conftest import rows_for_the_module
from tests.factories import (
    REPORT_PDF,
    KnowledgeAttachmentFactory,
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
)
from tests.helpers import soup, titles

pytestmark = pytest.mark.django_db

FORMATS = ["rss", "atom"]


@pytest.fixture(scope="module")
def item_ids(django_db_setup, django_db_blocker):
    """``{name: page id}`` of the pages of ``items``, made once for the module."""
    with rows_for_the_module(django_db_blocker):
        yield {name: page.pk for name, page in _make_items().items()}


@pytest.fixture
def items(item_ids):
    return {name: Page.objects.get(pk=pk).specific for name, pk in item_ids.items()}


def _make_items():
    return {
        "mali_report": LessonsLearnedReportPageFactory(
            title="Reintegration in Mopti",
            themes=["return-and-reintegration"],
            tags=["Livelihoods"],
            publication_date=datetime.date(2023, 6, 1),
        ),
        "niger_report": LessonsLearnedReportPageFactory(
            title="Shelters in Agadez",
            section_country="NE",
            themes=["protection"],
            publication_date=datetime.date(2022, 3, 1),
        ),
        "mali_brief": PracticeBriefPageFactory(
            title="Savings groups in Gao",
            themes=["community-engagement"],
            tags=["livelihoods"],
            publication_date=datetime.date(2024, 1, 10),
        ),
        "regional_note": PolicyNotePageFactory(
            title="Sahel protection note",
            section_country=None,
            countries=["ML", "NE"],
            themes=["protection"],
            publication_date=datetime.date(2025, 2, 1),
        ),
        "french_note": PolicyNotePageFactory(
            title="Note sur la protection",
            language="fr",
            countries=["ML", "EG"],
            themes=["protection"],
            publication_date=datetime.date(2025, 5, 1),
        ),
    }


def parse(client, url, status=200):
    """The feed at ``url``, parsed by feedparser; fails unless it is well-formed."""
    response = client.get(url)
    assert response.status_code == status, response.content
    parsed = feedparser.parse(response.content)
    assert not parsed.bozo, parsed.get("bozo_exception")
    return parsed


def entry_titles(parsed):
    return [entry.title for entry in parsed.entries]


def entry(parsed, title):
    return next(entry for entry in parsed.entries if entry.title == title)


@pytest.mark.parametrize("kind", FORMATS)
def test_everything_newest_first(client, items, kind):
    parsed = parse(client, f"/en/feeds/{kind}/")
    assert parsed.version == ("rss20" if kind == "rss" else "atom10")
    assert entry_titles(parsed) == [
        "Note sur la protection",
        "Sahel protection note",
        "Savings groups in Gao",
        "Reintegration in Mopti",
        "Shelters in Agadez",
    ]
    assert parsed.feed.title == "Latest knowledge · COMPASS Knowledge Portal"


@pytest.mark.parametrize("kind", FORMATS)
def test_content_type(client, items, kind):
    response = client.get(f"/en/feeds/{kind}/")
    assert response["Content-Type"] == f"application/{kind}+xml; charset=utf-8"
    assert response.has_header("Last-Modified")


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ("type=lessons_report", ["Reintegration in Mopti", "Shelters in Agadez"]),
        ("type=policy_note&type=practice_brief", ["Note sur la protection", "Sahel protection note", "Savings groups in Gao"]),
        ("country=NE", ["Sahel protection note", "Shelters in Agadez"]),
        ("country=ml&type=lessons_report", ["Reintegration in Mopti"]),
        ("theme=protection", ["Note sur la protection", "Sahel protection note", "Shelters in Agadez"]),
        ("tag=livelihoods", ["Savings groups in Gao", "Reintegration in Mopti"]),
        ("language=fr", ["Note sur la protection"]),
        ("year=2023&year=2022", ["Reintegration in Mopti", "Shelters in Agadez"]),
        ("tag=unknown-keyword", []),
        ("q=Agadez", ["Shelters in Agadez"]),
        ("q=protection&country=ML", ["Note sur la protection", "Sahel protection note"]),
        ("q=note&sort=relevance&page=3", ["Note sur la protection", "Sahel protection note"]),
    ],
)  # fmt: skip
def test_each_filter(client, items, kind, query, expected):
    assert entry_titles(parse(client, f"/en/feeds/{kind}/?{query}")) == expected


@pytest.mark.parametrize("kind", FORMATS)
def test_feed_title_says_what_it_covers_in_the_interface_language(client, items, kind):
    parsed = parse(client, f"/en/feeds/{kind}/?type=practice_brief&country=ML")
    assert parsed.feed.title == ("Community-led practice briefs · Mali · COMPASS Knowledge Portal")
    parsed = parse(client, f"/fr/feeds/{kind}/?country=EG&theme=protection")
    assert parsed.feed.title == "Égypte · Protection · Portail de connaissances COMPASS"
    assert parsed.feed.language == "fr"
    parsed = parse(client, f"/en/feeds/{kind}/?q=Agadez&tag=livelihoods&language=fr&year=2024")
    assert parsed.feed.title == (
        "Search: “Agadez” · Keyword: Livelihoods · In French · Published in 2024 · "
        "COMPASS Knowledge Portal"
    )


@pytest.mark.parametrize("kind", FORMATS)
def test_feed_links_to_the_search_page_showing_the_same_items(client, items, kind):
    parsed = parse(client, f"/en/feeds/{kind}/?country=ml&q=protection&page=2")
    assert parsed.feed.link == "http://testserver/en/search/?q=protection&country=ML"
    if kind == "atom":
        self_link = next(link for link in parsed.feed.links if link.rel == "self")
        assert self_link.href == "http://testserver/en/feeds/atom/?q=protection&country=ML"
        assert parsed.feed.id == self_link.href


@pytest.mark.parametrize("kind", FORMATS)
def test_translations_collapse_unless_a_language_is_chosen(client, items, kind):
    english = items["regional_note"]
    french = english.copy_for_translation(items["french_note"].locale)
    french.title = "Note sahélienne de protection"
    french.save_revision().publish()
    assert "Note sahélienne de protection" not in entry_titles(parse(client, f"/en/feeds/{kind}/"))
    in_french = entry_titles(parse(client, f"/fr/feeds/{kind}/"))
    assert "Note sahélienne de protection" in in_french
    assert "Sahel protection note" not in in_french
    both = entry_titles(parse(client, f"/en/feeds/{kind}/?language=en&language=fr"))
    assert {"Sahel protection note", "Note sahélienne de protection"} <= set(both)


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize(
    ("query", "parameter"),
    [
        ("country=ZZ", "Country"),
        ("theme=no-such-theme", "Theme"),
        ("type=novel", "Type"),
        ("language=de", "Language"),
        ("year=20x4", "Year"),
        ("year=1800", "Year"),
        ("tag=%3Cscript%3E", "Keyword"),
        ("q=" + "w" * 501, "Search"),
        ("q=a%00b", "Search"),
        ("q=%26", "Search"),
    ],
)
def test_a_bad_parameter_answers_400_with_a_plain_message(client, kind, query, parameter):
    response = client.get(f"/en/feeds/{kind}/?{query}")
    assert response.status_code == 400
    assert response["Content-Type"] == "text/plain; charset=utf-8"
    assert response.content.decode().startswith(f"{parameter}: ")
    assert "\x00" not in response.content.decode()


def test_only_get_and_head(client, items):
    assert client.post("/en/feeds/rss/").status_code == 405
    assert client.head("/en/feeds/rss/").status_code == 200


@pytest.mark.parametrize("kind", FORMATS)
def test_drafts_and_private_pages_never_appear(client, items, kind):
    draft = PolicyNotePageFactory(title="Unpublished draft note", live=False)
    private = PolicyNotePageFactory(title="Private note")
    PageViewRestriction.objects.create(page=private, restriction_type="password", password="x")
    under_private_section = PolicyNotePageFactory(
        title="Note in a private section", section_country="NE"
    )
    PageViewRestriction.objects.create(
        page=under_private_section.get_parent(), restriction_type="login"
    )
    hidden = {draft.title, private.title, under_private_section.title}
    for query in ("", "?type=policy_note", "?country=NE", "?q=note", "?language=en"):
        response = client.get(f"/en/feeds/{kind}/{query}")
        content = response.content.decode()
        for title in hidden:
            assert title not in content, (query, title)
        assert "Sahel protection note" in content


@pytest.mark.parametrize("kind", FORMATS)
def test_items_have_absolute_links_and_what_the_page_says(client, items, kind):
    note = items["regional_note"]
    note.authors = [("author", "Awa Traoré"), ("author", "Moussa Diallo")]
    note.summary = "Protection works when <communities> lead & donors follow."
    note.save_revision().publish()
    parsed = parse(client, f"/en/feeds/{kind}/")
    item = entry(parsed, "Sahel protection note")
    assert item.link == "http://testserver/en/regional-and-global/sahel-protection-note/"
    assert item.summary == "Protection works when &lt;communities&gt; lead &amp; donors follow."
    assert item.published_parsed[:3] == (2025, 2, 1)
    assert [author.name for author in item.authors] == ["Awa Traoré", "Moussa Diallo"]
    if kind == "atom":
        note.refresh_from_db()
        assert item.updated_parsed[:6] == note.last_published_at.utctimetuple()[:6]
    assert entry(parsed, "Shelters in Agadez").author == "COMPASS"  # the organisation


@pytest.mark.parametrize("kind", FORMATS)
def test_categories_are_countries_and_themes_in_the_items_language(client, items, kind):
    parsed = parse(client, f"/en/feeds/{kind}/")
    terms = [tag.term for tag in entry(parsed, "Sahel protection note").tags]
    assert terms == ["Mali", "Niger", "Protection"]
    terms = [tag.term for tag in entry(parsed, "Note sur la protection").tags]
    assert sorted(terms[:2]) == ["Mali", "Égypte"]  # countries, in the database's name order
    assert terms[2:] == ["Protection"]


def test_each_item_carries_its_language(client, items):
    rss = client.get("/en/feeds/rss/").content.decode()
    assert "<dc:language>fr</dc:language>" in rss
    atom = client.get("/en/feeds/atom/").content.decode()
    assert '<entry xml:lang="fr">' in atom
    assert '<entry xml:lang="en">' in atom


@pytest.mark.parametrize("kind", FORMATS)
def test_guid_is_stable_when_title_and_slug_change(client, items, kind):
    report = items["mali_report"]
    before = entry(parse(client, f"/en/feeds/{kind}/"), "Reintegration in Mopti")
    assert before.id.startswith("urn:uuid:")
    report.title = "Reintegration in Mopti and Ségou"
    report.slug = "reintegration-mopti-segou"
    report.save_revision().publish()
    after = entry(parse(client, f"/en/feeds/{kind}/"), "Reintegration in Mopti and Ségou")
    assert after.id == before.id
    assert after.link.endswith("/en/mali/reintegration-mopti-segou/")
    if kind == "rss":
        assert after.guidislink is False


def test_translations_have_their_own_guid(client, items):
    english = items["regional_note"]
    french = english.copy_for_translation(items["french_note"].locale)
    french.title = "Note sahélienne de protection"
    french.save_revision().publish()
    parsed = parse(client, "/en/feeds/atom/?language=en&language=fr")
    ids = {entry.title: entry.id for entry in parsed.entries}
    assert ids["Note sahélienne de protection"] != ids["Sahel protection note"]


@pytest.mark.parametrize("kind", FORMATS)
def test_attachments_are_enclosures_with_length_and_type(client, items, kind):
    note = items["regional_note"]
    KnowledgeAttachmentFactory(page=note)
    KnowledgeAttachmentFactory(
        page=note,
        document=wagtail_factories.DocumentFactory(
            title="Data",
            file=factory.django.FileField(filename="data.xlsx", data=b"PK" + b"y" * 100),
        ),
    )
    item = entry(parse(client, f"/en/feeds/{kind}/"), "Sahel protection note")
    enclosures = [link for link in item.links if link.rel == "enclosure"]
    first = enclosures[0]
    assert urlsplit(first.href).scheme == "http"
    assert urlsplit(first.href).netloc == "testserver"
    assert first.href.endswith(".pdf")
    assert first.length == str(len(REPORT_PDF))
    assert first.type == "application/pdf"
    assert client.get(urlsplit(first.href).path).status_code == 200
    if kind == "atom":
        assert len(enclosures) == 2
        assert enclosures[1].type == (
            "application/vnd.openxmlformats-officedocument.spreadsheetml.sheet"
        )
        assert enclosures[1].length == "102"
    else:  # RSS 2.0 carries one enclosure per item
        assert len(enclosures) == 1


@pytest.mark.parametrize("kind", FORMATS)
def test_characters_xml_cannot_carry_are_stripped(client, items, kind):
    PolicyNotePageFactory(
        title="Water\x0b points\x1f in Kayes\x08",
        summary="Wells\x02 and\x0c pumps\x0e.",  # NUL itself cannot be stored by PostgreSQL
        authors=[("author", "Awa\x01 Traoré")],
        publication_date=datetime.date(2026, 1, 1),
    )
    response = client.get(f"/en/feeds/{kind}/?q=Kayes%01")
    assert response.status_code == 200
    parsed = parse(client, f"/en/feeds/{kind}/")
    item = parsed.entries[0]
    assert item.title == "Water points in Kayes"
    assert item.summary == "Wells and pumps."
    assert item.author == "Awa Traoré"


def test_surrogates_and_controls_are_removed_from_every_text():
    from portal.xmltext import xml_safe

    assert xml_safe("a\x00b\x0bc\x1fd\ud800e\ufffef\tg\nh\r😀") == "abcdef\tg\nh\r😀"
    assert xml_safe(None) is None


def _add_notes(start, stop):
    for n in range(start, stop):
        page = PolicyNotePageFactory(
            title=f"Protection note {n}",
            countries=["ML", "NE"],
            themes=["protection"],
            tags=[f"tag {n}"],
            authors=[("author", f"Author {n}")],
        )
        KnowledgeAttachmentFactory(page=page)


def _count_queries(client, url):
    with CaptureQueriesContext(connection) as queries:
        assert client.get(url).status_code == 200
    return len(queries)


@pytest.mark.parametrize("kind", FORMATS)
@pytest.mark.parametrize("query", ["", "?country=ML&theme=protection&tag=tag-1"])
def test_query_count_does_not_grow_with_the_number_of_items(
    client, items, kind, query, django_assert_max_num_queries
):
    url = f"/en/feeds/{kind}/{query}"
    _add_notes(0, 2)
    baseline = _count_queries(client, url)
    _add_notes(2, 20)
    with django_assert_max_num_queries(baseline):
        parsed = parse(client, url)
    assert parsed.entries
    assert baseline <= 20


@pytest.mark.parametrize("kind", FORMATS)
def test_query_count_of_a_search_feed_has_a_ceiling(
    client, items, kind, django_assert_max_num_queries, settings, monkeypatch
):
    """A search feed asks the search service once for its ``limit`` items, whatever the page size
    of the search page: the same queries however many items match."""
    monkeypatch.setattr(KnowledgeFeed, "limit", 8)
    settings.KNOWLEDGE_PAGE_SIZE = 3
    url = f"/en/feeds/{kind}/?q=protection"
    _add_notes(0, 2)
    client.get(url)  # the first request fills Wagtail's caches (sites, root paths)
    ceiling = _count_queries(client, url)
    _add_notes(2, 25)
    with django_assert_max_num_queries(ceiling):
        parsed = parse(client, url)
    assert len(parsed.entries) == 8
    assert ceiling <= 30


def test_a_feed_holds_at_most_fifty_items(client, items):
    for n in range(50):
        PracticeBriefPageFactory(title=f"Brief {n}")
    assert len(parse(client, "/en/feeds/rss/").entries) == 50
    assert len(parse(client, "/en/feeds/atom/?q=brief").entries) == 50


def _alternate(response, kind):
    link = soup(response).select_one(f'head link[rel="alternate"][type="application/{kind}+xml"]')
    if link is None:
        return None
    parts = urlsplit(link["href"])
    return parts.path, parse_qs(parts.query)


@pytest.mark.parametrize(
    ("url", "path", "params"),
    [
        ("/en/", "/en/feeds/rss/", {}),
        ("/en/lessons/", "/en/feeds/rss/", {"type": ["lessons_report"]}),
        ("/en/lessons/?country=NE&page=2", "/en/feeds/rss/", {"type": ["lessons_report"], "country": ["NE"]}),
        ("/en/mali/", "/en/feeds/rss/", {"country": ["ML"]}),
        ("/fr/mali/?theme=protection", "/fr/feeds/rss/", {"country": ["ML"], "theme": ["protection"]}),
        ("/en/themes/protection/", "/en/feeds/rss/", {"theme": ["protection"]}),
        ("/en/search/?q=water&country=ML&sort=date&page=2", "/en/feeds/rss/", {"q": ["water"], "country": ["ML"]}),
    ],
)  # fmt: skip
def test_pages_announce_the_feed_of_what_the_reader_sees(client, items, url, path, params):
    response = client.get(url)
    assert response.status_code == 200
    assert _alternate(response, "rss") == (path, params)
    assert _alternate(response, "atom") == (path.replace("rss", "atom"), params)
    feed_url = soup(response).select_one('head link[type="application/rss+xml"]')["href"]
    parse(client, feed_url)


@pytest.mark.parametrize(
    "url", ["/en/search/?country=ZZ", "/en/mali/?year=20x4", "/en/mali/reintegration-in-mopti/"]
)
def test_no_feed_where_there_is_nothing_to_subscribe_to(client, items, url):
    response = client.get(url)
    assert _alternate(response, "rss") is None


def test_search_page_shows_a_subscribe_link(client, items):
    response = client.get("/en/search/?q=protection&theme=protection")
    link = soup(response).find("a", string="Subscribe (RSS)")
    assert link is not None
    assert link["href"] == "/en/feeds/rss/?q=protection&theme=protection"
    search_titles = titles(client.get("/en/search/?q=protection&theme=protection&sort=date"))
    assert search_titles
    assert entry_titles(parse(client, link["href"])) == search_titles


def test_a_keyword_only_drafts_carry_is_not_named(client):
    PolicyNotePageFactory(title="Secret plan", tags=["Secret Operation"], live=False)
    feed = parse(client, "/en/feeds/rss/?tag=secret-operation")
    assert "Secret Operation" not in feed.feed.title
    assert "secret-operation" in feed.feed.title
