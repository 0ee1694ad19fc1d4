"""The database backend's passage vectors (search.passage_index), embedded by the real model."""

from io import StringIO

import numpy as np
import pytest
from django.core.management import call_command
from wagtail.models import PageViewRestriction

from knowledge.models import PolicyNotePage
from search.embeddings import embed_query, vector_of
from search.models import PassageVector
from search.passage_index import update_pages
from search.passages import passages_of
from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def report():
    return LessonsLearnedReportPageFactory(
        title="Regularisation campaigns in Morocco",
        summary="Thousands of migrants received a residence permit.",
        context="<p>Permits had to be renewed every year.</p>",
    )


def test_each_passage_of_a_public_page_gets_a_vector_a_query_can_find(report):
    other = PolicyNotePageFactory(title="Gold mines of Tibesti", summary="Debt and violence.")
    assert update_pages([report.pk, other.pk]) == len(passages_of(report)) + len(passages_of(other))
    rows = list(PassageVector.objects.order_by("page_id", "ordinal"))
    assert [(row.page_id, row.section) for row in rows[:2]] == [
        (report.pk, "title"),
        (report.pk, "context"),
    ]
    query = embed_query("régularisation des migrants au Maroc")
    best = max(rows, key=lambda row: float(vector_of(row) @ query))
    assert best.page_id == report.pk
    assert np.isclose(np.linalg.norm(vector_of(rows[0])), 1.0, atol=1e-3)


def test_unchanged_passages_keep_their_vectors_and_only_an_edited_one_is_embedded(report):
    update_pages([report.pk])
    assert update_pages([report.pk]) == 0
    report.context = "<p>Permits now last three years.</p>"
    report.save_revision().publish()
    assert update_pages([report.pk]) == 1


def test_a_page_made_private_or_unpublished_loses_its_vectors(report):
    note = PolicyNotePageFactory(title="Border note")
    update_pages([report.pk, note.pk])
    PageViewRestriction.objects.create(page=report, restriction_type="login")
    note.unpublish()
    update_pages([report.pk, note.pk])
    assert not PassageVector.objects.exists()


def test_publishing_embeds_the_page_in_the_background_and_unpublishing_drops_it(settings):
    settings.SEARCH_PASSAGE_VECTORS_AUTO_UPDATE = True  # the test task backend runs tasks at once
    page = LessonsLearnedReportPageFactory(title="Cash grants in Mopti")
    assert not PassageVector.objects.exists()
    page.save_revision().publish()
    assert PassageVector.objects.filter(page=page).count() == len(passages_of(page))
    page.unpublish()
    assert not PassageVector.objects.filter(page=page).exists()


def test_the_rebuild_command_embeds_only_what_changed_and_forgets_unpublished_pages(report):
    note = PolicyNotePageFactory(title="Border note")
    call_command("passage_vectors", "rebuild", verbosity=0)
    PolicyNotePage.objects.filter(pk=note.pk).update(live=False)
    out = StringIO()
    call_command("passage_vectors", "rebuild", stdout=out)
    assert "Passage vectors rebuilt: 1 pages, 0 passages embedded." in out.getvalue()
    assert set(PassageVector.objects.values_list("page_id", flat=True)) == {report.pk}


def test_a_page_made_private_loses_its_vectors_even_when_the_model_fails_on_another(
    report, monkeypatch
):
    note = PolicyNotePageFactory(title="Border note")
    update_pages([report.pk, note.pk])
    PageViewRestriction.objects.create(page=note, restriction_type="login")
    report.context = "<p>Permits now last three years.</p>"
    report.save_revision().publish()

    def failing(texts):
        raise RuntimeError("the model failed")

    monkeypatch.setattr("search.passage_index.embed_passages", failing)
    with pytest.raises(RuntimeError):
        update_pages([report.pk, note.pk])
    assert not PassageVector.objects.filter(page=note).exists()
