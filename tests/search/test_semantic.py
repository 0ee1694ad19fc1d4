"""Semantic search on the database backend (search.semantic): real model, real passage vectors."""

import pytest
from django.db import transaction

from search.embeddings import embed_query
from search.models import PassageVector
from search.passage_index import update_pages
from search.semantic import nearest_items, passage_matrix
from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory

pytestmark = pytest.mark.django_db


@pytest.fixture
def pages():
    found = {
        "regularisation (en)": LessonsLearnedReportPageFactory(
            title="Regularisation campaigns in Morocco",
            summary="Thousands of migrants received a residence permit in 2014 and 2017.",
        ),
        "gold mines (fr)": PolicyNotePageFactory(
            language="fr",
            title="Les mines d'or du Tibesti",
            summary="Les orpailleurs y vivent endettés et exposés à la violence.",
        ),
        "radio (fr)": PolicyNotePageFactory(
            language="fr",
            title="La radio communautaire de Gao",
            summary="Une émission pour les jeunes sur les dangers de la route.",
        ),
        "unaccompanied children (es)": PolicyNotePageFactory(
            language="es",
            title="Niños no acompañados en Melilla",
            summary="Los menores que migran solos viven en centros de acogida.",
        ),
    }
    update_pages([page.pk for page in found.values()])
    return {page.pk: name for name, page in found.items()}


def nearest(pages, query):
    return [pages[near.page_id] for near in passage_matrix().nearest_pages(embed_query(query), 4)]


def test_a_french_query_finds_the_english_item_before_french_items_on_other_subjects(pages):
    assert nearest(pages, "la régularisation des migrants au Maroc")[0] == "regularisation (en)"


def test_an_arabic_query_finds_the_spanish_item(pages):
    assert nearest(pages, "الأطفال المهاجرون غير المصحوبين")[0] == "unaccompanied children (es)"


def test_a_floor_leaves_out_what_is_not_near(pages):
    scored = passage_matrix().nearest_pages(embed_query("la régularisation au Maroc"), 4)
    floor = (scored[0].score + scored[1].score) / 2
    kept = passage_matrix().nearest_pages(embed_query("la régularisation au Maroc"), 4, floor)
    assert [pages[near.page_id] for near in kept] == ["regularisation (en)"]


def test_the_matrix_is_read_again_only_when_the_vectors_changed(pages):
    first = passage_matrix()
    assert passage_matrix() is first
    update_pages(list(pages))  # nothing changed: nothing written
    assert passage_matrix() is first
    update_pages([LessonsLearnedReportPageFactory(title="Another report").pk])
    assert passage_matrix() is not first


class Rollback(Exception):
    pass


def test_a_change_rolled_back_then_another_one_is_not_taken_for_the_state_read_between(pages):
    """A count of changes would name both states alike (a restored backup does the same)."""
    abandoned = LessonsLearnedReportPageFactory(title="A report rolled back")
    with pytest.raises(Rollback), transaction.atomic():
        update_pages([abandoned.pk])
        assert abandoned.pk in passage_matrix().page_ids
        raise Rollback
    kept = LessonsLearnedReportPageFactory(title="A report kept")
    update_pages([kept.pk])
    assert kept.pk in passage_matrix().page_ids


def test_vectors_of_another_model_are_never_compared(pages):
    PassageVector.objects.update(model_name="an-older-model")
    assert passage_matrix().nearest_pages(embed_query("la régularisation au Maroc"), 4) == []


def test_a_hidden_page_nearer_than_every_public_one_does_not_push_them_out():
    """Items within the margin of the nearest are kept; the nearest must be one a reader may see."""
    hidden = PolicyNotePageFactory(
        title="Debts of the gold miners of the Tibesti",
        summary="Gold miners in the Tibesti live in debt and exposed to violence.",
    )
    public = PolicyNotePageFactory(
        language="fr",
        title="Les mines d'or du Tibesti",
        summary="Les orpailleurs y vivent endettés et exposés à la violence.",
    )
    update_pages([hidden.pk, public.pk])
    hidden.unpublish()  # its vectors stay until the task worker drops them
    found = nearest_items("gold miners in debt")
    assert [near.page_id for nears in found.values() for near in nears] == [public.pk]
