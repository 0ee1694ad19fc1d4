"""Behaviour only the engine offers: language analysis, typo tolerance, highlights, PDF text,
versioned index with alias swap, drift check, and falling back to the database when it is down."""

import datetime
from io import StringIO

import pytest
from django.core.management import CommandError, call_command
from django.utils import timezone
from wagtail.models import Collection, CollectionViewRestriction

from search.client import alias_name
from search.documents import index_body
from search.engines import connect
from search.indexing import (
    IndexVerificationFailed,
    check_index,
    index_pages,
    index_status,
    pages_with_relations,
    rebuild_index,
    verify_index,
)
from search.locks import LockLost, beat, rebuild_lock
from search.models import SearchIndexLock
from search.outbox import drain_outbox
from search.serialize import serialize_pages
from tests.factories import (
    KnowledgeAttachmentFactory,
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
)
from tests.helpers import pdf_bytes, soup, titles

pytestmark = pytest.mark.django_db


@pytest.fixture
def corpus():
    return {
        "es": PracticeBriefPageFactory(
            title="Mediadora migrante en Tánger",
            summary="Una mujer migrante orienta a otras hacia los servicios de salud.",
            language="es",
            countries=["MA"],
            section_country="MA",
        ),
        "fr": LessonsLearnedReportPageFactory(
            title="Réintégration économique au Mali",
            summary="Les projets collectifs ont duré plus longtemps.",
            language="fr",
        ),
        "ar": PolicyNotePageFactory(
            title="حماية المهاجرين في ليبيا",
            summary="توصيات لحماية المهاجرين على طرق الهجرة.",
            language="ar",
            countries=["LY"],
            section_country="LY",
        ),
        "en": LessonsLearnedReportPageFactory(
            title="Reintegration of returnees in Mopti",
            summary="Community committees <script>helped</script> returnees find work.",
            publication_date=datetime.date(2023, 1, 1),
        ),
    }


def search(client, query, language="en"):
    return client.get(f"/{language}/search/", {"q": query})


def test_stemming_and_accent_folding_across_languages(client, corpus, reindex):
    reindex()
    assert titles(search(client, "migrantes", "es")) == ["Mediadora migrante en Tánger"]
    assert "Réintégration économique au Mali" in titles(search(client, "reintegracion"))
    assert "Réintégration économique au Mali" in titles(search(client, "réintégrations"))


def test_arabic_matches_with_or_without_diacritics(client, corpus, reindex):
    reindex()
    assert titles(search(client, "المهاجرين", "ar")) == ["حماية المهاجرين في ليبيا"]
    assert titles(search(client, "الْمُهَاجِرِين", "ar")) == ["حماية المهاجرين في ليبيا"]


def test_typos_in_longer_words_are_tolerated_but_exact_matches_rank_first(client, corpus, reindex):
    PolicyNotePageFactory(title="Reintegratoin helpline", summary="A misspelt title on purpose.")
    reindex()
    found = titles(search(client, "reintegratoin"))
    assert found[0] == "Reintegratoin helpline"
    assert "Reintegration of returnees in Mopti" in found
    assert titles(search(client, "Mlai")) == []  # words under five letters need an exact match
    assert titles(search(client, "Mopti")) == ["Reintegration of returnees in Mopti"]


def test_highlights_mark_matches_and_escape_everything_else(client, corpus, reindex):
    reindex()
    response = search(client, "helped")
    highlights = soup(response).select(".card__highlights")
    assert highlights, response.content.decode()[:2000]
    html = str(highlights[0])
    assert "<mark>helped</mark>" in html
    assert "&lt;script&gt;" in html and "<script>" not in html


def test_highlights_mark_content_words_and_never_stop_words(client, corpus, reindex):
    """Each version is highlighted by its own language's analysis: French stop words (``de``,
    ``des``) are not marked, and the words the reader typed are, wherever they are."""
    LessonsLearnedReportPageFactory(
        title="Accompagner les communes de Kayes",
        summary=(
            "Les moyens de la part de l'État et des communes de la région de Kayes, des "
            "villages de la vallée et des cercles de la région. Le retour des migrants "
            "demande des moyens."
        ),
        language="fr",
    )
    PolicyNotePageFactory(
        title="Return of migrants to Kayes",
        summary="The return of the migrants of Kayes to the villages of the valley.",
    )
    reindex()
    for language, query, words in (
        ("fr", "retour des migrants", {"retour", "migrants"}),
        ("en", "return of the migrants", {"return", "migrants"}),
    ):
        [card] = soup(search(client, query, language)).select(".card__highlights")
        marked = {mark.get_text().lower() for mark in card.select("mark")}
        assert marked == words, card


def test_items_matching_only_through_a_taxonomy_name_rank_last_and_say_so(client, reindex):
    """Theme and country names are matched in the reader's language only, far below any text:
    an Arabic query finds the Arabic item that says it first, then the items whose theme is
    named so in Arabic, each showing that name as the reason; a French reader does not get
    those through the Arabic name."""
    arabic = PolicyNotePageFactory(
        title="ملاحظة حول طرق الصحراء",
        summary="توصيات للسلطات المحلية في أغاديس.",
        body=[
            {
                "type": "paragraph",
                "value": "<p>"
                + "الطرق والقوافل والمراكز. " * 40
                + "تهريب المهاجرين عبر الصحراء.</p>",
            }
        ],
        language="ar",
        themes=["return-and-reintegration"],
    )
    for language in ("en", "fr"):
        PolicyNotePageFactory(
            title=f"Agadez crossings ({language})",
            summary="Routes north of Agadez.",
            language=language,
            themes=["migrant-smuggling"],
        )
    reindex()
    response = search(client, "تهريب المهاجرين", "ar")
    found = titles(response)
    assert found[0] == arabic.title, found
    assert sorted(found[1:]) == ["Agadez crossings (en)", "Agadez crossings (fr)"]
    cards = soup(response).select(".card")
    assert not cards[0].select(".card__matched")
    for card in cards[1:]:
        reason = card.select_one(".card__matched")
        assert reason is not None, card
        assert [mark.get_text() for mark in reason.select("mark")] == ["تهريب", "المهاجرين"]
    assert titles(search(client, "تهريب المهاجرين", "fr")) == [arabic.title]


def test_snippets_name_a_recommendations_audience_in_the_items_language(client, reindex):
    PolicyNotePageFactory(
        title="ملاحظة حول الإدماج",
        summary="ملخص قصير.",
        recommendations=[
            {
                "type": "recommendation",
                "value": {"statement": "تمويل برامج الإدماج المحلية", "audience": "donors"},
            }
        ],
        language="ar",
    )
    reindex()
    [card] = soup(search(client, "برامج", "ar")).select(".card__highlights")
    assert "Donors" not in card.get_text()
    assert "الجهات المانحة" in card.get_text(), card


def test_text_of_attached_pdfs_is_searchable(client, corpus, reindex):
    KnowledgeAttachmentFactory(
        page=corpus["en"], document__file__data=pdf_bytes("Annex on hydroponic gardens in Sevare.")
    )
    reindex()
    assert titles(search(client, "hydroponic")) == ["Reintegration of returnees in Mopti"]


def test_a_broken_pdf_is_skipped_and_its_page_still_indexed(client, corpus, reindex):
    KnowledgeAttachmentFactory(page=corpus["en"], document__file__data=b"%PDF-1.4 broken")
    reindex()
    assert titles(search(client, "Mopti")) == ["Reintegration of returnees in Mopti"]


def test_rebuild_fills_a_new_index_and_swaps_the_alias(search_engine, corpus):
    first, count = rebuild_index(search_engine)
    assert count == 4
    second, _count = rebuild_index(search_engine)
    assert second != first
    assert search_engine.indices_behind(alias_name()) == [second]
    assert not search_engine.index_exists(first)
    assert index_status(search_engine)["indexed"] == 4


def test_check_finds_missing_stale_and_extra_documents_and_repairs_them(search_engine, corpus):
    rebuild_index(search_engine)
    new = PolicyNotePageFactory(title="Added without indexing")
    corpus["fr"].title = "Titre modifié"
    corpus["fr"].save_revision().publish()
    corpus["ar"].unpublish()
    drift = check_index(search_engine)
    assert (drift.missing, drift.stale, drift.extra) == (
        [new.pk],
        [corpus["fr"].pk],
        [corpus["ar"].pk],
    )
    check_index(search_engine, repair=True)
    assert check_index(search_engine).is_empty()


def test_index_pages_removes_what_is_no_longer_visible(search_engine, corpus, client):
    rebuild_index(search_engine)
    corpus["en"].unpublish()
    index_pages([corpus["en"].pk], engine=search_engine, refresh=True)
    assert titles(search(client, "Mopti")) == []


def test_search_index_command(search_engine, corpus, capsys):
    call_command("search_index", "rebuild")
    call_command("search_index", "status")
    call_command("search_index", "check")
    out = capsys.readouterr().out
    assert "4 documents indexed, 4 live public pages" in out
    assert "The index matches the database." in out
    PolicyNotePageFactory(title="Not indexed yet")
    with pytest.raises(CommandError, match="--repair"):
        call_command("search_index", "check")


def test_search_falls_back_to_the_database_when_the_engine_is_down(
    client, corpus, settings, caplog
):
    settings.SEARCH_URL = "http://127.0.0.1:9"  # nothing listens on the discard port
    settings.SEARCH_TIMEOUT = 1
    response = search(client, "Mopti")
    assert response.status_code == 200
    assert response.context["response"].degraded
    assert titles(response) == ["Reintegration of returnees in Mopti"]
    assert "reduced mode" in response.content.decode()
    assert "Search from the database, the engine is unavailable" in caplog.text


def test_related_items_come_from_more_like_this(client, corpus, reindex):
    similar = LessonsLearnedReportPageFactory(
        title="Returnees in Mopti find work through committees",
        summary="Committees in Mopti helped returnees find work in market gardens.",
        section_country="NE",
        countries=["NE"],
        themes=["data-and-research"],
    )
    reindex()
    related = client.get(corpus["en"].url).context["related_pages"]
    assert related and related[0].pk == similar.pk
    assert corpus["en"].pk not in [page.pk for page in related]


def test_without_an_index_search_is_degraded_and_updates_wait_in_the_outbox(
    client, corpus, search_engine
):
    response = search(client, "Mopti")
    assert response.status_code == 200 and response.context["response"].degraded
    corpus["en"].save_revision().publish()
    assert drain_outbox() == (0, 1)
    assert not search_engine.indices_matching(f"{alias_name()}-*")
    rebuild_index(search_engine)
    response = search(client, "Mopti")
    assert not response.context["response"].degraded
    assert titles(response) == ["Reintegration of returnees in Mopti"]


@pytest.mark.parametrize(
    "words",
    [
        ["returnees", *(f"w{n}" for n in range(80))],
        ["returnees", "-".join(f"w{n}" for n in range(80))],
        ["returnees-mopti", *(f"w{n}-x{n}-y{n}" for n in range(12))],
        ['"returnees', *(f"w{n}" for n in range(20)), '"'],
        *([f'"w{n} x{n}"' for n in range(12)], [f'-"w{n} x{n}"' for n in range(12)]),
    ],
)
def test_long_queries_are_cut_to_ten_words_and_answered_by_the_engine(
    client, corpus, reindex, words
):
    """Ten words however typed (hyphenated, in phrases, excluded) stay within the engine's
    clause limit; past it the engine would fail and every reader fall back to the database."""
    reindex()
    response = search(client, " ".join(words))
    assert response.status_code == 200
    assert not response.context["response"].degraded


def test_a_phrase_must_match_even_beside_plain_words(client, corpus, reindex):
    reindex()
    assert titles(search(client, 'returnees "find work"')) == [
        "Reintegration of returnees in Mopti"
    ]
    assert titles(search(client, 'returnees "work find"')) == []


def test_an_item_matching_only_in_another_language_is_shown_in_that_language(
    client, corpus, reindex
):
    english = corpus["en"]
    french = english.copy_for_translation(corpus["fr"].locale)
    french.title, french.summary = "Réintégration à Mopti", "Les comités villageois ont aidé."
    french.save_revision().publish()
    reindex()
    assert titles(search(client, "villageois")) == ["Réintégration à Mopti"]
    assert titles(search(client, "Mopti")) == ["Reintegration of returnees in Mopti"]
    assert titles(search(client, "Mopti", "fr")) == ["Réintégration à Mopti"]


def test_json_autocomplete_and_related_items_fall_back_while_the_engine_is_down(
    client, corpus, settings
):
    settings.SEARCH_URL, settings.SEARCH_TIMEOUT = "http://127.0.0.1:9", 1
    data = client.get("/en/search/json/", {"q": "Mopti"}).json()
    assert data["degraded"] is True and data["backend"] == "database" and data["total"] == 1
    suggestions = client.get("/en/search/autocomplete/", {"q": "Reint"}).json()["suggestions"]
    assert "Reintegration of returnees in Mopti" in [s["title"] for s in suggestions]
    assert client.get(corpus["en"].url).status_code == 200


def test_pages_past_the_result_window_end_on_the_last_page_with_a_message(
    client, corpus, reindex, settings, monkeypatch
):
    monkeypatch.setattr("search.retrievers.engine.MAX_RESULT_WINDOW", 2)
    monkeypatch.setattr("search.results.MAX_RESULT_WINDOW", 2)
    settings.KNOWLEDGE_PAGE_SIZE = 1
    reindex()
    response = client.get("/en/search/", {"q": "", "sort": "date", "page": "5"})
    page = response.context["results_page"]
    assert page.number == 2 and page.paginator.num_pages == 2 and not page.has_next()
    assert "Only the first 10,000 results can be shown" in response.content.decode()


def test_documents_in_private_collections_are_not_indexed(client, corpus, reindex):
    private = Collection.get_first_root_node().add_child(name="Internal")
    CollectionViewRestriction.objects.create(collection=private, restriction_type="login")
    KnowledgeAttachmentFactory(
        page=corpus["en"],
        document__collection=private,
        document__file__data=pdf_bytes("Confidential hydroponic budget."),
    )
    reindex()
    assert titles(search(client, "hydroponic")) == []


def test_a_second_rebuild_is_refused_while_one_runs(search_engine, corpus):
    first, _count = rebuild_index(search_engine)
    with rebuild_lock(), pytest.raises(CommandError, match="another rebuild is running"):
        call_command("search_index", "rebuild")
    assert search_engine.indices_behind(alias_name()) == [first]
    assert search_engine.indices_matching(f"{alias_name()}-*") == [first]
    assert index_status(search_engine)["indexed"] == 4


def test_a_rebuild_takes_over_the_lock_of_a_killed_one(search_engine, corpus):
    long_ago = timezone.now() - datetime.timedelta(minutes=11)
    SearchIndexLock.objects.create(
        name="rebuild", holder="gone:1", acquired_at=long_ago, heartbeat_at=long_ago
    )
    name, count = rebuild_index(search_engine)
    assert search_engine.indices_behind(alias_name()) == [name] and count == 4
    assert not SearchIndexLock.objects.exists()


def test_updates_during_a_rebuild_reach_the_version_being_filled(search_engine, corpus):
    rebuild_index(search_engine)
    building = "-".join([alias_name(), "building"])
    search_engine.create_index(building, index_body())
    with rebuild_lock() as lock:
        beat(lock, index=building)
        index_pages([corpus["en"].pk], engine=search_engine, refresh=True)
    assert search_engine.count(building) == 1


def test_an_index_the_engine_made_up_from_a_stray_write_is_never_swapped_in(search_engine, corpus):
    """A write to a deleted index version makes the engine create one with guessed field types;
    verification refuses it before any alias points at it."""
    stray = f"{alias_name()}-stray"
    search_engine.bulk(
        [
            {
                "_op_type": "index",
                "_index": stray,
                "_id": "1",
                "_source": {"page_id": 1, "year": "2024"},
            }
        ]
    )
    search_engine.refresh(stray)
    with pytest.raises(IndexVerificationFailed) as failure:
        verify_index(search_engine, stray, timezone.now())
    message = str(failure.value)
    assert "title: missing" in message and "1 documents instead of 4" in message
    assert "year: type text instead of integer" in message
    assert "dynamic: true instead of strict" in message


def test_verification_allows_for_pages_published_while_the_index_was_filled(search_engine, corpus):
    name, _count = rebuild_index(search_engine)
    started = timezone.now()
    PolicyNotePageFactory(title="Published during the rebuild")
    assert verify_index(search_engine, name, started) == 4
    with pytest.raises(IndexVerificationFailed, match="4 documents instead of 5"):
        verify_index(search_engine, name, timezone.now())


def test_a_rebuild_whose_lock_was_taken_over_stops(search_engine, corpus):
    with rebuild_lock() as lock:
        SearchIndexLock.objects.update(holder="another-rebuild")
        with pytest.raises(LockLost):
            beat(lock)


def test_check_reports_an_index_built_with_an_older_mapping(search_engine, corpus):
    """An index of an earlier version: no expiry date, attachments without offsets, unknown
    fields accepted (so the first update adds first_published_at with a guessed type)."""
    old_body = index_body()
    mapping = old_body["mappings"]
    del mapping["dynamic"], mapping["properties"]["expire_at"]
    del mapping["properties"]["attachments"]["index_options"]
    old = f"{alias_name()}-old"
    search_engine.create_index(old, old_body)
    search_engine.update_aliases([{"add": {"index": old, "alias": alias_name()}}])
    index_pages([corpus["en"].pk], engine=search_engine, refresh=True)
    assert sorted(check_index(search_engine).mapping) == [
        "attachments: index_options None instead of offsets",
        "dynamic: true instead of strict",
        "expire_at: missing",
    ]
    with pytest.raises(CommandError, match="older mapping; run 'search_index rebuild'"):
        call_command("search_index", "check")
    rebuild_index(search_engine)
    assert check_index(search_engine).is_empty()


def test_an_attachment_of_millions_of_characters_is_found_and_highlighted(
    client, corpus, reindex, search_engine
):
    """A very long attachment, dense in one word, neither breaks nor slows highlighting: the
    engines refuse to re-analyse more than 1,000,000 characters, so offsets are indexed."""
    reindex()
    page = corpus["en"].specific
    (document,) = serialize_pages(pages_with_relations([page]))
    filler = " ".join(f"w{n % 5000}x" for n in range(300_000))
    source = document.to_dict() | {"attachments": filler + " zanzibar" * 9000}
    (index,) = search_engine.indices_behind(alias_name())
    search_engine.bulk(
        [{"_op_type": "index", "_index": index, "_id": str(page.pk), "_source": source}],
        refresh=True,
    )
    data = client.get("/en/search/json/", {"q": "zanzibar"}).json()
    assert data["degraded"] is False and data["total"] == 1
    assert "<mark>zanzibar</mark>" in " ".join(data["results"][0]["highlights"])


def test_text_deep_in_a_long_pdf_is_searchable(client, corpus, reindex):
    """Words past the 200,000th character of a report were silently left out of the index."""
    filler = " ".join(f"word{n}" for n in range(40_000))  # about 290,000 characters
    KnowledgeAttachmentFactory(
        page=corpus["en"], document__file__data=pdf_bytes(f"{filler} quokkaland")
    )
    reindex()
    assert titles(search(client, "quokkaland")) == ["Reintegration of returnees in Mopti"]


def test_a_bulk_larger_than_one_request_is_sent_in_several(
    search_engine, engine_proxy, monkeypatch
):
    """Documents go to the engine in requests of at most MAX_BULK_BYTES (the client's
    streaming_bulk helper cuts them), never in one request beyond the engine's body limit."""
    proxy = engine_proxy
    engine = connect(proxy.url, timeout=5)
    index = f"{alias_name()}-bulk"
    actions = [
        {"_op_type": "index", "_index": index, "_id": str(n), "_source": {"text": "x" * 300}}
        for n in range(4)
    ]
    sent = proxy.requests
    assert not engine.bulk(actions)["errors"]
    assert proxy.requests - sent == 1
    monkeypatch.setattr("search.engines.base.MAX_BULK_BYTES", 400)
    sent = proxy.requests
    assert not engine.bulk(actions, refresh=True)["errors"]
    assert proxy.requests - sent == 4
    assert search_engine.count(index) == 4


def test_the_api_pages_a_search_no_deeper_than_the_engine_answers(
    client, corpus, reindex, monkeypatch
):
    """Past the engine's result window a page would be empty: the API says there are fewer pages
    (it offered pages that came back empty). A list without q reads the database, to any depth."""
    for n in range(3):
        PolicyNotePageFactory(title=f"Herders note {n}")
    monkeypatch.setattr("search.retrievers.engine.MAX_RESULT_WINDOW", 2)
    monkeypatch.setattr("api.selectors.MAX_RESULT_WINDOW", 2)
    reindex()
    searched = client.get("/api/v1/items/", {"q": "herders", "page_size": 1}).json()
    assert searched["count"] == 3 and searched["pages"] == 2
    assert (
        client.get("/api/v1/items/", {"q": "herders", "page_size": 1, "page": 3}).status_code == 404
    )
    listed = client.get("/api/v1/items/", {"page_size": 1, "page": 7}).json()
    assert listed["count"] == listed["pages"] == 7 and len(listed["results"]) == 1


def test_a_repair_adds_a_new_version_s_fields_to_the_index_without_a_rebuild(search_engine, corpus):
    """An index built before the portal indexed ``translated`` refuses documents carrying it
    (its mapping is strict); ``check --repair`` adds the field and writes the documents again."""
    old_body = index_body()
    del old_body["mappings"]["properties"]["translated"]
    old = f"{alias_name()}-old"
    search_engine.create_index(old, old_body)
    search_engine.update_aliases([{"add": {"index": old, "alias": alias_name()}}])
    assert check_index(search_engine).mapping == ["translated: missing"]
    with pytest.raises(CommandError, match="run 'search_index check --repair' to add its new"):
        call_command("search_index", "check")
    out = StringIO()
    call_command("search_index", "check", "--repair", stdout=out)
    assert "fields added to the mapping: translated" in out.getvalue()
    assert "Repaired." in out.getvalue()
    assert search_engine.indices_behind(alias_name()) == [old]
    assert check_index(search_engine).is_empty()
