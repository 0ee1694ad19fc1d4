"""A page's GCM objectives follow its themes and keywords through the vocabulary: shown on the
page, filtered and counted by readers and the API, and followed when the vocabulary changes."""

import pytest
from django.core.cache import cache

from knowledge.models import KnowledgePageObjective, KnowledgeTag
from search.indexing import check_index, rebuild_index
from search.models import SearchOutboxEntry
from search.outbox import drain_outbox
from subscriptions.following import describe
from tests.factories import PolicyNotePageFactory, PracticeBriefPageFactory, published
from tests.helpers import soup, titles
from vocabulary.models import Concept
from vocabulary.names import VERSION_KEY, vocabulary_names
from vocabulary.objectives import record_every_page_objectives

pytestmark = pytest.mark.django_db


def served(page):
    return set(KnowledgePageObjective.objects.filter(page=page).values_list("number", flat=True))


def objectives_shown(client, page):
    """``[(label, lang, link)]`` of the page's GCM objectives, as its facts panel lists them."""
    links = soup(client.get(page.url)).select("dl.facts ul.objectives a")
    return [(link.get_text(strip=True), link.get("lang"), link["href"]) for link in links]


def gcm_concept(number):
    return Concept.objects.get(identifier=f"gcm-objective-{number}")


def relate(identifier, objective, django_capture_on_commit_callbacks, *, add=True):
    """Relate (or unrelate) a concept to an objective as a taxonomy manager would, committed."""
    concept = Concept.objects.get(identifier=identifier)
    gcm = gcm_concept(objective)
    with django_capture_on_commit_callbacks(execute=True):
        (concept.related.add if add else concept.related.remove)(gcm)
        concept.save()  # a parental many-to-many is written when its concept is saved


def test_a_published_page_names_the_objectives_its_themes_and_keywords_serve(client):
    page = published(PolicyNotePageFactory, themes=["counter-trafficking"], tags=["Returnees"])
    assert objectives_shown(client, page) == [
        (
            "10. Prevent, combat and eradicate trafficking in persons in the context of "
            "international migration",
            None,
            "/en/search/?objective=10",
        ),
        (
            "21. Cooperate in facilitating safe and dignified return and readmission, as well as "
            "sustainable reintegration",
            None,
            "/en/search/?objective=21",
        ),
    ]


def test_objectives_read_in_the_pages_language_or_say_which_they_are_in(client):
    french = published(
        PracticeBriefPageFactory,
        language="fr",
        themes=["counter-trafficking"],
        tags=["نظام الكفالة"],
    )
    assert [(label[:40], lang) for label, lang, _link in objectives_shown(client, french)] == [
        ("6. Favoriser des pratiques de recrutemen", None),
        ("10. Prévenir, combattre et éliminer la t", None),
    ]
    arabic = published(PracticeBriefPageFactory, language="ar", themes=["protection"])
    assert objectives_shown(client, arabic) == [
        ("7. Address and reduce vulnerabilities in migration", "en", "/ar/search/?objective=7")
    ]


def test_an_unpublished_draft_serves_no_objective_until_published(client):
    draft = PolicyNotePageFactory(live=False, themes=["counter-trafficking"])
    assert served(draft) == set()
    draft.save_revision().publish()
    assert served(draft) == {10}


def test_pages_follow_the_vocabulary_when_a_concept_is_related_to_an_objective(
    client, django_capture_on_commit_callbacks
):
    page = published(PracticeBriefPageFactory, tags=["cash transfers"])
    assert served(page) == {7}  # its theme, protection
    relate("cash-transfers", 20, django_capture_on_commit_callbacks)
    assert served(page) == {7, 20}
    assert titles(client.get("/en/search/", {"objective": 20})) == [page.title]
    relate("cash-transfers", 20, django_capture_on_commit_callbacks, add=False)
    assert served(page) == {7}


def test_a_renamed_keyword_takes_its_objectives_with_it(django_capture_on_commit_callbacks):
    page = published(PracticeBriefPageFactory, themes=["awareness-raising"], tags=["returnees"])
    assert served(page) == {3, 21}
    tag = KnowledgeTag.objects.get(name="returnees")
    tag.name = "Edo State"
    tag.save()
    assert served(page) == {3}


@pytest.mark.parametrize("value", ["24", "0", "ten", ""])
def test_an_objective_that_does_not_exist_is_refused_with_a_message(client, value):
    response = client.get("/en/search/", {"objective": value})
    assert response.status_code == 400
    assert "GCM objective" in soup(response).get_text()
    api = client.get("/api/v1/items/", {"objective": value})
    assert api.status_code == 400
    assert "objective" in api.content.decode()


def test_the_api_filters_and_describes_items_by_objective(client):
    trafficking = published(PolicyNotePageFactory, themes=["counter-trafficking"])
    published(PolicyNotePageFactory, themes=["protection"])
    found = client.get("/api/v1/items/", {"objective": 10, "fields": "id,objectives"}).json()
    assert found["results"] == [
        {
            "id": trafficking.pk,
            "objectives": [
                {
                    "number": 10,
                    "title": "Prevent, combat and eradicate trafficking in persons in the "
                    "context of international migration",
                }
            ],
        }
    ]
    spec = client.get("/api/v1/schema/?format=json").json()
    parameters = spec["paths"]["/api/v1/items/"]["get"]["parameters"]
    objective = next(parameter for parameter in parameters if parameter["name"] == "objective")
    assert objective["schema"] == {
        "type": "array",
        "items": {"type": "integer", "minimum": 1, "maximum": 23},
    }


def test_the_engine_follows_a_vocabulary_change(
    client, search_engine, django_capture_on_commit_callbacks
):
    page = published(PracticeBriefPageFactory, title="Cash in Gao", tags=["cash transfers"])
    rebuild_index(search_engine)
    SearchOutboxEntry.objects.all().delete()
    assert titles(client.get("/en/search/", {"objective": 20})) == []
    relate("cash-transfers", 20, django_capture_on_commit_callbacks)
    assert SearchOutboxEntry.objects.filter(page_id=page.pk).exists()
    drain_outbox(refresh=True)
    response = client.get("/en/search/", {"q": "Gao", "objective": 20})
    assert titles(response) == ["Cash in Gao"]
    assert check_index(search_engine).is_empty()


def test_a_deleted_keyword_takes_its_objectives_with_it():
    page = published(PracticeBriefPageFactory, themes=["awareness-raising"], tags=["returnees"])
    KnowledgeTag.objects.get(name="returnees").delete()
    assert served(page) == {3}


def test_the_worker_reads_a_vocabulary_another_process_changed():
    """The change was committed elsewhere: this process's copy of the names is not forgotten, only
    the shared token, as a task worker sees a change the admin made."""
    page = published(PracticeBriefPageFactory, tags=["cash transfers"])
    vocabulary_names()
    concept, gcm = Concept.objects.get(identifier="cash-transfers"), gcm_concept(20)
    Concept.related.through.objects.create(from_concept=concept, to_concept=gcm)  # no signal
    cache.delete(VERSION_KEY)
    record_every_page_objectives()
    assert served(page) == {7, 20}


def test_a_followed_search_is_named_by_its_objectives_in_the_readers_language():
    assert describe("objective=10", "fr") == (
        "10. Prévenir, combattre et éliminer la traite de personnes dans le cadre des "
        "migrations internationales"
    )
