"""The small corpus of the semantic-search tests (``test_fusion``, ``test_engine_vectors``): four
items in three languages, each on its own subject, their passages embedded with the real model."""

from search import semantic
from search.passage_index import update_pages
from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory

REGULARISATION = "Regularisation campaigns in Morocco"
MINES = "Les mines d'or du Tibesti"
CHILDREN = "Niños no acompañados en Melilla"
RADIO = "La radio communautaire de Gao"
#: A French query whose only answer is the English report (no French word of it matches).
FRENCH_QUERY = "titres de séjour pour les sans-papiers"


def make_corpus():
    """``[report (en), mines (fr), radio (fr), children (es)]``, published and embedded; the
    report and the Spanish note in Morocco."""
    pages = [
        LessonsLearnedReportPageFactory(
            title=REGULARISATION,
            section_country="MA",
            summary="Thousands of migrants received a residence permit in 2014 and 2017.",
        ),
        PolicyNotePageFactory(
            language="fr",
            title=MINES,
            summary="Les orpailleurs y vivent endettés et exposés à la violence.",
        ),
        PolicyNotePageFactory(
            language="fr",
            title=RADIO,
            summary="Une émission pour les jeunes sur les dangers de la route.",
        ),
        PolicyNotePageFactory(
            language="es",
            section_country="MA",
            title=CHILDREN,
            summary="Los menores que migran solos viven en centros de acogida.",
        ),
    ]
    update_pages([page.pk for page in pages])
    return pages


def forget_query_vectors():
    """Each test embeds its queries: a vector cached by an earlier test would hide a busy model,
    and a failure paused for by an earlier one would hide the model."""
    semantic._query_vector.cache_clear()
    semantic._failed_at = None
