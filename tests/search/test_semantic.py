"""Semantic search on the database backend (search.semantic): real model, real passage vectors."""

import pytest

from search.embeddings import MODEL_NAME, embed_query
from search.models import PassageVector
from search.passage_index import update_pages
from search.semantic import passage_matrix
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
    return [pages[pk] for pk, _score in passage_matrix().nearest_pages(embed_query(query), 4)]


def test_a_french_query_finds_the_english_item_before_french_items_on_other_subjects(pages):
    assert nearest(pages, "la régularisation des migrants au Maroc")[0] == "regularisation (en)"


def test_an_arabic_query_finds_the_spanish_item(pages):
    assert nearest(pages, "الأطفال المهاجرون غير المصحوبين")[0] == "unaccompanied children (es)"


def test_a_floor_leaves_out_what_is_not_near(pages):
    scored = passage_matrix().nearest_pages(embed_query("la régularisation au Maroc"), 4)
    floor = (scored[0][1] + scored[1][1]) / 2
    kept = passage_matrix().nearest_pages(embed_query("la régularisation au Maroc"), 4, floor)
    assert [pages[pk] for pk, _score in kept] == ["regularisation (en)"]


def test_the_matrix_is_read_again_only_when_the_vectors_changed(pages):
    first = passage_matrix()
    assert passage_matrix() is first
    update_pages([LessonsLearnedReportPageFactory(title="Another report").pk])
    assert passage_matrix() is not first


def _written(page_id, first_pk, vectors):
    """Rows of ``page_id`` with ``vectors`` under ids from ``first_pk``, as a writer would commit."""
    return PassageVector.objects.bulk_create(
        PassageVector(
            pk=first_pk + ordinal,
            page_id=page_id,
            ordinal=ordinal,
            text_hash="",
            model_name=MODEL_NAME,
            vector=vector,
        )
        for ordinal, vector in enumerate(vectors)
    )


def test_the_matrix_notices_a_page_rewritten_under_ids_drawn_before_the_last_commit(pages):
    """Two writers: the first draws its ids, the second draws later ones and commits, then the
    first commits, rewriting a page with as many passages as it had: the newest id and the
    number of rows are those the matrix was read at."""
    names = {name: pk for pk, name in pages.items()}
    mines, regularisation = names["gold mines (fr)"], names["regularisation (en)"]
    vectors = list(
        PassageVector.objects.filter(page_id=regularisation).values_list("vector", flat=True)
    )
    assert PassageVector.objects.filter(page_id=mines).count() == len(vectors)
    drawn = PassageVector.objects.order_by("-pk").first().pk + 1
    _written(LessonsLearnedReportPageFactory(title="Another report").pk, drawn + 10, vectors)
    query = embed_query("la régularisation des migrants au Maroc")
    before = dict(passage_matrix().nearest_pages(query, 5))

    PassageVector.objects.filter(page_id=mines).delete()
    _written(mines, drawn, vectors)
    after = dict(passage_matrix().nearest_pages(query, 5))
    assert after[mines] > before[mines] + 0.1  # its passages are now those of the report


def test_vectors_of_another_model_are_never_compared(pages):
    PassageVector.objects.update(model_name="an-older-model")
    assert passage_matrix().nearest_pages(embed_query("la régularisation au Maroc"), 4) == []
