"""Readers see a lesson's public actions only: an action is internal until an editor makes it
public, and its evidence is linked only where readers may follow it (a visible page, a document
of an unrestricted collection, whose file then downloads)."""

import datetime

import pytest
import wagtail_factories
from django.core.files.base import ContentFile
from wagtail.models import Collection, CollectionViewRestriction, PageViewRestriction

from knowledge.models import Country, KnowledgePage
from lessons.models import Action, ActionStatus, Lesson
from tests.factories import LessonsLearnedReportPageFactory, PracticeBriefPageFactory
from tests.helpers import soup

pytestmark = pytest.mark.django_db


@pytest.fixture
def lesson():
    report = LessonsLearnedReportPageFactory(live=False, title="Committees in Mopti")
    report.save_revision().publish()
    return Lesson.objects.get(item_key=report.translation_key)


def document(title, collection=None):
    return wagtail_factories.DocumentFactory(
        title=title,
        file=ContentFile(b"%PDF-1.4 evidence", name=f"{title}.pdf"),
        collection=collection or Collection.get_first_root_node(),
    )


def action(lesson, description, **fields):
    defaults = {"owner": "Mopti regional office", "due_date": datetime.date(2025, 6, 30)}
    return Action.objects.create(lesson=lesson, description=description, **defaults | fields)


def shown(client, lesson):
    page = soup(client.get(f"/en/register/{lesson.pk}/"))
    return (
        page.select_one(".lesson__status").get_text(" ", strip=True).removeprefix("Status: "),
        [li.select_one(".action__description").get_text() for li in page.select(".action")],
        [a["href"] for a in page.select(".action__evidence a")],
    )


def download(client, document):
    response = client.get(document.url)
    if hasattr(response, "streaming_content"):
        b"".join(response.streaming_content)
    return response.status_code


def test_an_action_is_internal_until_made_public(client, lesson):
    internal = action(lesson, "Vet the mediators' names")
    assert shown(client, lesson) == ("Lesson identified", [], [])
    internal.public = True
    internal.save()
    assert shown(client, lesson)[:2] == (
        "Lesson identified · 1 action",
        ["Vet the mediators' names"],
    )


def test_the_status_says_where_public_actions_were_applied(client, lesson):
    niger = Country.objects.get(code="NE", locale__language_code="en")
    for description in ("Train the committees", "Open a second desk"):
        action(
            lesson,
            description,
            public=True,
            status=ActionStatus.DONE,
            country=niger,
            done_on=datetime.date(2025, 5, 1),
        )
    action(lesson, "Plan the budget", public=False, status=ActionStatus.DONE, country=niger)
    status, listed, _evidence = shown(client, lesson)
    assert status == "Lesson identified · 2 actions · applied in Niger 2025"
    assert listed == ["Train the committees", "Open a second desk"]
    register = soup(client.get("/en/register/"))
    assert "2 actions · applied in Niger 2025" in register.select_one(".lesson__status").get_text()


def test_evidence_is_linked_only_where_readers_may_follow_it(client, lesson):
    brief = PracticeBriefPageFactory(title="Mediators at work")
    draft = PracticeBriefPageFactory(title="Draft brief", live=False)
    private = PracticeBriefPageFactory(title="Private brief")
    PageViewRestriction.objects.create(page=private, restriction_type="login")
    closed = Collection.get_first_root_node().add_child(name="Internal")
    CollectionViewRestriction.objects.create(collection=closed, restriction_type="login")
    open_file, closed_file = document("Training log"), document("Payroll", closed)
    action(lesson, "Train", public=True, evidence_page=brief, evidence_document=open_file)
    action(lesson, "Pay", public=True, evidence_page=draft, evidence_document=closed_file)
    action(lesson, "Hide", public=True, evidence_page=private, evidence_url="https://example.org/x")
    _status, _listed, links = shown(client, lesson)
    assert links == [brief.url, open_file.url, "https://example.org/x"]
    assert download(client, open_file) == 200
    assert download(client, closed_file) in (403, 302)


def test_the_file_of_an_internal_actions_evidence_is_not_found(client, lesson):
    evidence = document("Minutes")
    kept = action(lesson, "Meet", evidence_document=evidence)
    assert download(client, evidence) == 404
    kept.public = True
    kept.save()
    assert download(client, evidence) == 200
    KnowledgePage.objects.get(translation_key=lesson.item_key).unpublish()
    assert download(client, evidence) == 404


def test_country_and_theme_pages_count_the_lessons_acted_on(client, lesson):
    action(lesson, "Trained the committees", public=True, status=ActionStatus.DONE)
    country = soup(client.get("/en/mali/")).select_one(".acted-on")
    assert country.get_text(" ", strip=True) == "1 lesson in the register · 1 acted on"
    assert country.a["href"] == "/en/register/?country=ML"
    theme = soup(client.get("/en/themes/protection/")).select_one(".acted-on")
    assert theme.get_text(" ", strip=True) == "1 lesson in the register · 1 acted on"


SECRET = "zorblatquix"
#: Every public address that shows lessons or their items: an internal action reaches none.
CHANNELS = (
    "/en/register/",
    "/en/register/{pk}/",
    "/api/v1/lessons/",
    "/api/v1/lessons/{pk}/",
    "/api/v1/items/",
    "/en/feeds/lessons/validated/atom/",
    "/en/feeds/lessons/applied/rss/",
    "/en/feeds/atom/",
    "/oai/?verb=ListRecords&metadataPrefix=oai_dc",
    "/sitemap.xml",
    "/en/cite/lesson-{pk}.ris",
)


def channels_text(client, lesson):
    texts = []
    for address in CHANNELS:
        response = client.get(address.format(pk=lesson.pk))
        assert response.status_code == 200, address
        content = response.getvalue() if response.streaming else response.content
        texts.append(content.decode())
    return "\n".join(texts)


def test_an_internal_action_reaches_no_public_channel(client, lesson, team_member):
    from lessons.lifecycle import move

    move(lesson, "validated", team_member("Mali moderators", "mariam"), "Seen twice.")
    evidence = document(f"{SECRET} minutes")
    action(
        lesson,
        f"Pay the {SECRET} informants",
        owner=f"{SECRET} office",
        status=ActionStatus.DONE,
        country=Country.objects.get(code="NE", locale__language_code="en"),
        evidence_url=f"https://example.org/{SECRET}",
        evidence_document=evidence,
    )
    text = channels_text(client, lesson)
    assert "Involve host communities early" in text  # the lesson itself is public
    assert SECRET not in text
    assert client.get(f"/en/search/json/?q={SECRET}").json()["results"] == []
    assert client.get(f"/api/v1/lessons/?q={SECRET}").json()["count"] == 0
    assert download(client, evidence) == 404


def test_an_internal_action_is_not_in_the_search_index(client, lesson, reindex):
    action(lesson, f"Pay the {SECRET} informants", owner=f"{SECRET} office")
    action(lesson, "Train the committees", public=True)
    reindex()
    answer = client.get(f"/en/search/json/?q={SECRET}").json()
    assert answer["backend"] == "engine" and answer["results"] == []
    assert client.get(f"/api/v1/lessons/?q={SECRET}").json()["count"] == 0
