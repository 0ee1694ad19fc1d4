"""The OAI-PMH endpoint harvested with Sickle: every verb, resumption, sets, dates, deletions and
every error code (OAI-PMH 2.0, http://www.openarchives.org/OAI/openarchivesprotocol.html).

The OAI-PMH XML schema is not available offline, so responses are checked element by element
rather than validated against OAI-PMH.xsd.
"""

import datetime

import pytest
import time_machine
from django.db import connection
from django.test.utils import CaptureQueriesContext
from lxml import etree
from sickle import oaiexceptions
from wagtail.models import Page, PageViewRestriction

from knowledge.models import Theme
from knowledge.visibility import public_knowledge_pages
from oai.models import OaiRecord
from tests.conftest import rows_for_the_module
from tests.factories import (
    LessonsLearnedReportPageFactory,
    PolicyNotePageFactory,
    PracticeBriefPageFactory,
    section_page,
)

from .harvester import TestClientSickle

pytestmark = pytest.mark.django_db

NS = {"oai": "http://www.openarchives.org/OAI/2.0/", "dc": "http://purl.org/dc/elements/1.1/"}
UTC = datetime.UTC


def published(factory, when=None, **kwargs):
    """A page made by ``factory`` and published through a revision (at ``when``, if given)."""
    page = factory(**kwargs)
    if when is None:
        page.save_revision().publish()
    else:
        with time_machine.travel(when, tick=False):
            page.save_revision().publish()
    page.refresh_from_db()
    return page


def oai_id(page_or_id):
    return f"oai:compass.localhost:{getattr(page_or_id, 'pk', page_or_id)}"


def xml_of(response):
    assert response.status_code == 200
    assert response["Content-Type"].startswith("text/xml")
    return etree.fromstring(response.content)


def error_of(client, **params):
    root = xml_of(client.get("/oai/", params))
    errors = root.findall("oai:error", NS)
    assert len(errors) == 1, etree.tostring(root)
    return errors[0].get("code"), root.find("oai:request", NS)


@pytest.fixture
def harvester():
    return TestClientSickle()


@pytest.fixture(scope="module")
def portal_item_ids(django_db_setup, django_db_blocker):
    """``{name: page id}`` of the pages of ``portal_items``, made once for the module."""
    # Made at one frozen moment, so a record's datestamp never falls a second after its page's
    # publication on a slow machine.
    with rows_for_the_module(django_db_blocker):
        with time_machine.travel(datetime.datetime.now(tz=UTC), tick=False):
            items = _make_portal_items()
        yield {name: page.pk for name, page in items.items()}


@pytest.fixture
def portal_items(portal_item_ids):
    """Five public items in three types and two languages, and pages that must never be live."""
    return {name: Page.objects.get(pk=pk).specific for name, pk in portal_item_ids.items()}


def _make_portal_items():
    english = published(
        LessonsLearnedReportPageFactory,
        title="Reintegration in Mali",
        authors=[("author", "Awa Traoré"), ("author", "Return team")],
        tags=["border", "youth"],
        themes=["return-and-reintegration", "protection"],
    )
    french = english.copy_for_translation(english.locale.__class__.objects.get(language_code="fr"))
    french.title = "Réintégration au Mali"
    french.save_revision().publish()
    items = {
        "report": english,
        "report_fr": french,
        "brief": published(PracticeBriefPageFactory, title="Savings groups", section_country="NE"),
        "note": published(PolicyNotePageFactory, title="Protection note"),
        "note_es": published(PolicyNotePageFactory, title="Nota de protección", language="es"),
    }
    draft = PolicyNotePageFactory(title="Never published draft", live=False)
    private = PolicyNotePageFactory(title="Private note", live=False)
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    private.save_revision().publish()
    items["draft"], items["private"] = draft, private
    return items


def test_harvest_everything_across_resumption_tokens(settings, harvester, portal_items):
    settings.OAI_PAGE_SIZE = 2
    records = list(harvester.ListRecords(metadataPrefix="oai_dc"))

    public = public_knowledge_pages()
    assert sorted(record.header.identifier for record in records) == sorted(
        oai_id(pk) for pk in public.values_list("pk", flat=True)
    )
    assert sorted(record.metadata["title"][0] for record in records) == sorted(
        public.values_list("title", flat=True)
    )
    assert not any(record.deleted for record in records)
    titles = {record.metadata["title"][0] for record in records}
    assert "Never published draft" not in titles
    assert "Private note" not in titles
    # 5 records, 2 a page: three requests, the last two by token alone.
    assert len(harvester.requests) == 3
    assert all(set(request) == {"verb", "resumptionToken"} for request in harvester.requests[1:])


def test_resumption_token_attributes(settings, client, portal_items):
    settings.OAI_PAGE_SIZE = 2
    params = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}
    cursors, sizes, identifiers = [], set(), []
    while True:
        root = xml_of(client.get("/oai/", params))
        identifiers += [e.text for e in root.iterfind(".//oai:header/oai:identifier", NS)]
        token = root.find(".//oai:resumptionToken", NS)
        cursors.append(token.get("cursor"))
        sizes.add(token.get("completeListSize"))
        if not token.text:
            assert token.get("expirationDate") is None
            break
        expires = datetime.datetime.strptime(token.get("expirationDate"), "%Y-%m-%dT%H:%M:%SZ")
        assert expires.replace(tzinfo=UTC) > datetime.datetime.now(UTC)
        params = {"verb": "ListIdentifiers", "resumptionToken": token.text}
    assert cursors == ["0", "2", "4"]
    assert sizes == {"5"}
    assert len(identifiers) == len(set(identifiers)) == 5


def test_a_single_page_list_has_no_token(client, portal_items):
    root = xml_of(client.get("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}))
    assert root.find(".//oai:resumptionToken", NS) is None
    assert len(root.findall(".//oai:header", NS)) == 5


def test_post_requests(portal_items):
    harvester = TestClientSickle(http_method="POST")
    assert len(list(harvester.ListIdentifiers(metadataPrefix="oai_dc"))) == 5
    assert harvester.Identify().repositoryName == "COMPASS Knowledge Portal"


def test_identify(harvester, portal_items):
    identify = harvester.Identify()
    assert identify.repositoryName == "COMPASS Knowledge Portal"
    assert identify.baseURL == "http://testserver/oai/"
    assert identify.protocolVersion == "2.0"
    assert identify.deletedRecord == "persistent"
    assert identify.granularity == "YYYY-MM-DDThh:mm:ssZ"
    assert identify.adminEmail == "noreply@localhost"
    earliest = min(page.last_published_at for page in public_knowledge_pages())
    assert identify.earliestDatestamp == earliest.strftime("%Y-%m-%dT%H:%M:%SZ")
    xml = identify.xml
    scheme = "{http://www.openarchives.org/OAI/2.0/oai-identifier}"
    assert xml.find(f".//{scheme}repositoryIdentifier").text == "compass.localhost"
    assert xml.find(f".//{scheme}sampleIdentifier").text == "oai:compass.localhost:123"


def test_repository_identifier_setting(settings, harvester, portal_items):
    settings.OAI_REPOSITORY_IDENTIFIER = "knowledge.compass.example"
    header = next(iter(harvester.ListIdentifiers(metadataPrefix="oai_dc")))
    assert header.identifier.startswith("oai:knowledge.compass.example:")


def test_list_metadata_formats(harvester, portal_items):
    formats = list(harvester.ListMetadataFormats())
    assert [(f.metadataPrefix, f.metadataNamespace) for f in formats] == [
        ("oai_dc", "http://www.openarchives.org/OAI/2.0/oai_dc/")
    ]
    one = list(harvester.ListMetadataFormats(identifier=oai_id(portal_items["note"])))
    assert [f.metadataPrefix for f in one] == ["oai_dc"]
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        list(harvester.ListMetadataFormats(identifier=oai_id(portal_items["private"])))


def test_list_sets(harvester):
    sets = {s.setSpec: s.setName for s in harvester.ListSets()}
    assert sets["type"] == "Type of knowledge item"
    assert {"type:lessons_report", "type:practice_brief", "type:policy_note"} <= set(sets)
    assert sets["country:ML"] == "Mali"
    assert sets["theme:protection"] == "Protection"
    assert sets["language:fr"] == "French"
    assert {"country", "theme", "language"} <= set(sets)


def test_get_record_metadata(harvester, portal_items):
    report = portal_items["report"]
    record = harvester.GetRecord(identifier=oai_id(report), metadataPrefix="oai_dc")
    assert not record.deleted
    assert record.header.identifier == oai_id(report)
    assert record.header.datestamp == report.last_published_at.strftime("%Y-%m-%dT%H:%M:%SZ")
    assert set(record.header.setSpecs) == {
        "type:lessons_report",
        "country:ML",
        "theme:protection",
        "theme:return-and-reintegration",
        "language:en",
    }
    dc = record.metadata
    assert dc["title"] == ["Reintegration in Mali"]
    assert dc["creator"] == ["Awa Traoré", "Return team"]
    assert dc["subject"] == ["Protection", "Return and reintegration", "border", "youth"]
    assert dc["description"] == [report.summary]
    assert dc["publisher"] == ["COMPASS"]
    assert dc["date"] == ["2024-05-01"]
    assert dc["type"] == ["Text", "Lessons-learned report"]
    assert dc["format"] == ["text/html"]
    assert dc["identifier"] == ["http://testserver/en/mali/reintegration-in-mali/"]
    assert dc["language"] == ["en"]
    assert dc["coverage"] == ["Mali"]
    assert dc["relation"] == ["http://testserver" + portal_items["report_fr"].url]


def test_get_record_in_another_language(harvester, portal_items):
    record = harvester.GetRecord(
        identifier=oai_id(portal_items["report_fr"]), metadataPrefix="oai_dc"
    )
    assert record.metadata["language"] == ["fr"]
    assert record.metadata["coverage"] == ["Mali"]
    assert "language:fr" in record.header.setSpecs
    assert record.metadata["relation"] == ["http://testserver" + portal_items["report"].url]


def test_draft_and_private_pages_are_never_records(harvester, portal_items):
    for key in ("draft", "private"):
        with pytest.raises(oaiexceptions.IdDoesNotExist):
            harvester.GetRecord(identifier=oai_id(portal_items[key]), metadataPrefix="oai_dc")
    identifiers = {h.identifier for h in harvester.ListIdentifiers(metadataPrefix="oai_dc")}
    assert oai_id(portal_items["draft"]) not in identifiers
    assert oai_id(portal_items["private"]) not in identifiers
    # A private page was never seen by harvesters: nothing remembers it.
    assert not OaiRecord.objects.filter(page_id=portal_items["private"].pk, deleted=True).exists()


def test_a_pending_draft_does_not_replace_the_published_metadata(harvester, portal_items):
    note = portal_items["note"]
    note.title = "Unreviewed new title"
    note.save_revision()
    record = harvester.GetRecord(identifier=oai_id(note), metadataPrefix="oai_dc")
    assert record.metadata["title"] == ["Protection note"]


@pytest.mark.parametrize(
    ("spec", "keys"),
    [
        ("type:practice_brief", {"brief"}),
        ("type:policy_note", {"note", "note_es"}),
        ("type", {"report", "report_fr", "brief", "note", "note_es"}),
        ("country:NE", {"brief"}),
        ("country", {"report", "report_fr", "brief", "note", "note_es"}),
        ("theme:return-and-reintegration", {"report", "report_fr"}),
        ("language:es", {"note_es"}),
    ],
)
def test_selective_harvesting_by_set(harvester, portal_items, spec, keys):
    headers = harvester.ListIdentifiers(metadataPrefix="oai_dc", set=spec)
    assert {h.identifier for h in headers} == {oai_id(portal_items[key]) for key in keys}


@pytest.mark.parametrize("spec", ["type:unknown", "country:ml", "nothing", "country:ML:x"])
def test_unknown_sets_match_nothing(harvester, portal_items, spec):
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(harvester.ListIdentifiers(metadataPrefix="oai_dc", set=spec))


def test_from_and_until(harvester):
    times = [
        datetime.datetime(2025, 3, 1, 9, 0, 0, tzinfo=UTC),
        datetime.datetime(2025, 3, 1, 17, 30, 15, 400000, tzinfo=UTC),
        datetime.datetime(2025, 3, 2, 8, 0, 0, tzinfo=UTC),
    ]
    first, second, third = (published(PolicyNotePageFactory, when=when) for when in times)

    def harvest(**dates):
        try:
            return {
                h.identifier for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", **dates)
            }
        except oaiexceptions.NoRecordsMatch:
            return set()

    # Bounded above too: the module's other items were published today.
    assert harvest(**{"from": "2025-03-02", "until": "2025-12-31"}) == {oai_id(third)}
    assert harvest(until="2025-03-01") == {oai_id(first), oai_id(second)}
    assert harvest(**{"from": "2025-03-01", "until": "2025-03-01"}) == {
        oai_id(first),
        oai_id(second),
    }
    # Seconds granularity: until includes the whole second of a datestamp with microseconds.
    assert harvest(until="2025-03-01T17:30:15Z") == {oai_id(first), oai_id(second)}
    assert harvest(until="2025-03-01T17:30:14Z") == {oai_id(first)}
    assert harvest(**{"from": "2025-03-01T17:30:15Z", "until": "2025-03-02T08:00:00Z"}) == {
        oai_id(second),
        oai_id(third),
    }
    assert harvest(**{"from": "2025-03-02T08:00:01Z", "until": "2025-12-31T00:00:00Z"}) == set()
    record = harvester.GetRecord(identifier=oai_id(second), metadataPrefix="oai_dc")
    assert record.header.datestamp == "2025-03-01T17:30:15Z"


def test_unpublished_page_becomes_a_deleted_record(harvester, portal_items):
    note = portal_items["note"]
    with time_machine.travel(datetime.datetime(2030, 1, 2, 3, 4, 5, tzinfo=UTC), tick=False):
        note.unpublish()

    record = harvester.GetRecord(identifier=oai_id(note), metadataPrefix="oai_dc")
    assert record.deleted
    assert record.header.datestamp == "2030-01-02T03:04:05Z"
    assert set(record.header.setSpecs) == {
        "type:policy_note",
        "country:ML",
        "theme:protection",
        "language:en",
    }
    records = {r.header.identifier: r for r in harvester.ListRecords(metadataPrefix="oai_dc")}
    assert records[oai_id(note)].deleted
    assert records[oai_id(note)].xml.find(".//oai:metadata", NS) is None
    # Deleted records follow the set and date filters.
    deleted = list(harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2030-01-01"}))
    assert [(h.identifier, h.deleted) for h in deleted] == [(oai_id(note), True)]
    in_set = {
        h.identifier: h.deleted
        for h in harvester.ListIdentifiers(metadataPrefix="oai_dc", set="type:policy_note")
    }
    assert in_set[oai_id(note)] is True
    with pytest.raises(oaiexceptions.NoRecordsMatch):
        list(
            harvester.ListIdentifiers(
                metadataPrefix="oai_dc", set="type:practice_brief", **{"from": "2030-01-01"}
            )
        )
    # The format list of a deleted item is still answered.
    assert [f.metadataPrefix for f in harvester.ListMetadataFormats(identifier=oai_id(note))] == [
        "oai_dc"
    ]


def test_republished_page_is_live_again(harvester, portal_items):
    note = portal_items["note"]
    note.unpublish()
    note.save_revision().publish()
    record = harvester.GetRecord(identifier=oai_id(note), metadataPrefix="oai_dc")
    assert not record.deleted


def test_deleted_page_becomes_a_deleted_record(harvester, portal_items):
    brief = portal_items["brief"]
    page_id = brief.pk
    brief.delete()
    record = harvester.GetRecord(identifier=oai_id(page_id), metadataPrefix="oai_dc")
    assert record.deleted
    assert "country:NE" in record.header.setSpecs
    headers = {h.identifier: h.deleted for h in harvester.ListIdentifiers(metadataPrefix="oai_dc")}
    assert headers[oai_id(page_id)] is True
    assert sum(not deleted for deleted in headers.values()) == 4


def test_deleting_a_draft_leaves_no_record(harvester, portal_items):
    draft_id = portal_items["draft"].pk
    portal_items["draft"].delete()
    with pytest.raises(oaiexceptions.IdDoesNotExist):
        harvester.GetRecord(identifier=oai_id(draft_id), metadataPrefix="oai_dc")


def test_restricted_page_becomes_deleted_and_returns_when_public_again(harvester, portal_items):
    note = portal_items["note"]
    restriction = PageViewRestriction.objects.create(
        page=note,
        restriction_type="password",
        password="secret",  # noqa: S106
    )
    assert harvester.GetRecord(identifier=oai_id(note), metadataPrefix="oai_dc").deleted

    with time_machine.travel(datetime.datetime(2031, 6, 1, tzinfo=UTC), tick=False):
        restriction.delete()
    record = harvester.GetRecord(identifier=oai_id(note), metadataPrefix="oai_dc")
    assert not record.deleted
    # Its datestamp is when it became public again, so incremental harvests see it come back.
    assert record.header.datestamp == "2031-06-01T00:00:00Z"


def test_private_section_withdraws_its_pages(harvester, portal_items):
    section = section_page("en", "ML")
    PageViewRestriction.objects.create(page=section, restriction_type="login")
    headers = {h.identifier: h.deleted for h in harvester.ListIdentifiers(metadataPrefix="oai_dc")}
    for key in ("report", "note"):
        assert headers[oai_id(portal_items[key])] is True
    assert headers[oai_id(portal_items["brief"])] is False
    # The private page and the draft in that section were never public: no deleted record.
    assert oai_id(portal_items["private"]) not in headers
    assert oai_id(portal_items["draft"]) not in headers


@pytest.mark.parametrize(
    ("params", "code"),
    [
        ({}, "badVerb"),
        ({"verb": "Harvest"}, "badVerb"),
        ({"verb": ["Identify", "ListSets"]}, "badVerb"),
        ({"verb": "Identify", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords"}, "badArgument"),
        ({"verb": "GetRecord", "metadataPrefix": "oai_dc"}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ["oai_dc", "oai_dc"]}, "badArgument"),
        ({"verb": "ListRecords", "metadataPrefix": ""}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "resumptionToken": "x"},
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-13-01"}, "badArgument"),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01T10:00Z"},
            "badArgument",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2024-01-01T10:00:00.5Z"},
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-01-01",
                "until": "2024-02-01T00:00:00Z",
            },
            "badArgument",
        ),
        (
            {
                "verb": "ListRecords",
                "metadataPrefix": "oai_dc",
                "from": "2024-02-01",
                "until": "2024-01-01",
            },
            "badArgument",
        ),
        ({"verb": "ListRecords", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        ({"verb": "ListIdentifiers", "metadataPrefix": "marc21"}, "cannotDisseminateFormat"),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "marc21",
                "identifier": "oai:compass.localhost:1",
            },
            "cannotDisseminateFormat",
        ),
        (
            {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": "oai:other.org:1"},
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:compass.localhost:abc",
            },
            "idDoesNotExist",
        ),
        (
            {
                "verb": "GetRecord",
                "metadataPrefix": "oai_dc",
                "identifier": "oai:compass.localhost:999999",
            },
            "idDoesNotExist",
        ),
        (
            {"verb": "ListMetadataFormats", "identifier": "oai:compass.localhost:999999"},
            "idDoesNotExist",
        ),
        (
            {"verb": "ListRecords", "metadataPrefix": "oai_dc", "from": "2999-01-01"},
            "noRecordsMatch",
        ),
        (
            {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "set": "country:ZZ"},
            "noRecordsMatch",
        ),
        ({"verb": "ListRecords", "resumptionToken": "not-a-token"}, "badResumptionToken"),
        ({"verb": "ListSets", "resumptionToken": "anything"}, "badResumptionToken"),
    ],
)
def test_error_codes(client, portal_items, params, code):
    answered, request = error_of(client, **params)
    assert answered == code
    assert request.text == "http://testserver/oai/"
    if code in {"badVerb", "badArgument"}:
        assert dict(request.attrib) == {}
    else:
        assert request.get("verb") == params["verb"]


def test_token_of_another_verb_or_tampered_or_expired(settings, client, portal_items):
    settings.OAI_PAGE_SIZE = 2
    root = xml_of(client.get("/oai/", {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc"}))
    token = root.find(".//oai:resumptionToken", NS).text
    assert error_of(client, verb="ListRecords", resumptionToken=token)[0] == "badResumptionToken"
    assert error_of(client, verb="ListIdentifiers", resumptionToken=token[:-2] + "xx")[0] == (
        "badResumptionToken"
    )
    with time_machine.travel(datetime.timedelta(days=2)):
        assert error_of(client, verb="ListIdentifiers", resumptionToken=token)[0] == (
            "badResumptionToken"
        )
    # Still valid now; the request echoes the token.
    root = xml_of(client.get("/oai/", {"verb": "ListIdentifiers", "resumptionToken": token}))
    assert root.find("oai:request", NS).get("resumptionToken") == token
    assert len(root.findall(".//oai:header", NS)) == 2


def test_other_http_methods_are_refused(client):
    assert client.put("/oai/").status_code == 405


def test_list_records_runs_a_bounded_number_of_queries(
    settings, client, django_assert_max_num_queries
):
    settings.OAI_PAGE_SIZE = 50
    params = {"verb": "ListRecords", "metadataPrefix": "oai_dc"}
    published(PolicyNotePageFactory, tags=["border"])
    client.get("/oai/", params)  # warm caches (content types, sites)

    with CaptureQueriesContext(connection) as few:
        client.get("/oai/", params)
    for _ in range(8):
        published(PracticeBriefPageFactory, tags=["youth"], section_country="NE")
    with django_assert_max_num_queries(len(few)):
        client.get("/oai/", params)


def test_moving_a_page_under_a_private_section_withdraws_it(harvester, portal_items):
    niger = section_page("en", "NE")
    PageViewRestriction.objects.create(page=niger, restriction_type="login")
    note = portal_items["note"]
    note.move(niger, pos="last-child")
    assert harvester.GetRecord(identifier=oai_id(note), metadataPrefix="oai_dc").deleted


def test_moving_a_public_page_restamps_its_record(harvester, portal_items):
    note = portal_items["note"]
    with time_machine.travel(datetime.datetime(2032, 1, 1, tzinfo=UTC), tick=False):
        note.move(section_page("en", "NE"), pos="last-child")
    record = harvester.GetRecord(identifier=oai_id(note), metadataPrefix="oai_dc")
    assert record.header.datestamp == "2032-01-01T00:00:00Z"
    assert record.metadata["identifier"] == ["http://testserver/en/niger/protection-note/"]


def test_renaming_a_theme_restamps_the_records_that_carry_it(harvester, portal_items):
    theme = Theme.objects.get(slug="return-and-reintegration", locale=portal_items["report"].locale)
    theme.name = "Return, readmission and reintegration"
    with time_machine.travel(datetime.datetime(2033, 1, 1, tzinfo=UTC), tick=False):
        theme.save()
    headers = harvester.ListIdentifiers(metadataPrefix="oai_dc", **{"from": "2033-01-01"})
    assert [h.identifier for h in headers] == [oai_id(portal_items["report"])]
    record = harvester.GetRecord(identifier=oai_id(portal_items["report"]), metadataPrefix="oai_dc")
    assert "Return, readmission and reintegration" in record.metadata["subject"]


@pytest.mark.parametrize(
    "params",
    [
        {"verb": "\x01"},
        {"verb": "Identify", "x\x0b": "1"},
        {"verb": "ListRecords", "metadataPrefix": "oai_dc", "set": "type\x1f"},
        {"verb": "ListRecords", "resumptionToken": "x\ufffe"},
    ],
)
def test_control_characters_in_arguments_get_an_oai_error(client, params):
    code, _request = error_of(client, **params)
    assert code in {"badVerb", "badArgument", "badResumptionToken", "noRecordsMatch"}


def test_a_control_character_in_an_item_does_not_break_the_harvest(harvester, client):
    page = published(PracticeBriefPageFactory, title="Form\x0cfeed in a title", live=False)
    titles = [
        record.metadata["title"][0] for record in harvester.ListRecords(metadataPrefix="oai_dc")
    ]
    assert "Formfeed in a title" in titles
    assert xml_of(
        client.get(
            "/oai/", {"verb": "GetRecord", "metadataPrefix": "oai_dc", "identifier": oai_id(page)}
        )
    )


def test_until_the_last_representable_day_is_an_open_end(client, portal_items):
    params = {"verb": "ListIdentifiers", "metadataPrefix": "oai_dc", "until": "9999-12-31"}
    root = xml_of(client.get("/oai/", params))
    assert root.findall(".//oai:header", NS)
