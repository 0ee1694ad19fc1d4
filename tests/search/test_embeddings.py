"""The embedding model semantic search runs (search.embeddings): the real model, in process."""

import numpy as np

from search import embeddings
from search.embeddings import DIMENSIONS, embed_passages, embed_query


def test_a_french_question_lies_nearest_the_english_passage_that_answers_it():
    passages = embed_passages(
        [
            "Regularisation campaigns gave thousands of migrants in Morocco a residence permit.",
            "Gold mining in the Tibesti mountains exposes workers to violence and debt.",
            "Community radio in Gao broadcasts programmes for young people.",
        ]
    )
    query = embed_query("Comment régulariser la situation des migrants au Maroc ?")
    assert passages.shape == (3, DIMENSIONS) and passages.dtype == np.float32
    assert np.allclose(np.linalg.norm(passages, axis=1), 1.0, atol=1e-3)
    assert int(np.argmax(passages @ query)) == 0


def test_an_arabic_query_finds_the_spanish_passage_on_its_subject():
    passages = embed_passages(
        [
            "Las radios comunitarias de Gao emiten programas para los jóvenes.",
            "Los niños no acompañados viven en centros de acogida en Melilla.",
        ]
    )
    query = embed_query("الأطفال المهاجرون غير المصحوبين")
    assert int(np.argmax(passages @ query)) == 1


def test_the_model_is_loaded_once_per_process():
    embed_query("first")
    loaded = embeddings._model
    embed_passages(["second", "third"])
    assert embeddings._model is loaded


def test_no_text_gives_an_empty_array():
    assert embed_passages([]).shape == (0, DIMENSIONS)
