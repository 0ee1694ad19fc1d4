"""Pages cut into the passages semantic search embeds (search.passages)."""

import pytest
from django.utils import translation

from search.passages import PASSAGE_CHARS, joined, passages_of
from tests.factories import LessonsLearnedReportPageFactory, PolicyNotePageFactory

pytestmark = pytest.mark.django_db


def test_a_report_gives_its_title_then_each_lesson_and_its_paragraphs_in_reading_order():
    """A lesson's title ends as a sentence before its text ("Pay in instalments. Survival")."""
    page = LessonsLearnedReportPageFactory(
        title="Cash grants in Mopti",
        summary="What survived after eighteen months.",
        context="<p>Mali receives returnees by three channels.</p><p>Markets closed.</p>",
        lessons=[
            {
                "type": "lesson",
                "value": {
                    "statement": "Pay in instalments",
                    "explanation": "<p>Survival rose.</p>",
                },
            },
            {
                "type": "lesson",
                "value": {"statement": "Check markets", "explanation": "<p>Trades saturate.</p>"},
            },
        ],
    )
    passages = passages_of(page)
    assert [(p.section, p.text) for p in passages[:4]] == [
        ("title", "Cash grants in Mopti. What survived after eighteen months."),
        (
            "context",
            "Cash grants in Mopti. Mali receives returnees by three channels. Markets closed.",
        ),
        ("lessons", "Cash grants in Mopti. Pay in instalments. Survival rose."),
        ("lessons", "Cash grants in Mopti. Check markets. Trades saturate."),
    ]
    assert [p.ordinal for p in passages] == list(range(len(passages)))


def test_a_long_section_is_cut_at_sentence_ends_into_passages_of_bounded_length():
    sentence = "Counsellors visited every business before the second instalment was paid. "
    page = LessonsLearnedReportPageFactory(title="Grants", context=f"<p>{sentence * 30}</p>")
    context = [p.text for p in passages_of(page) if p.section == "context"]
    assert len(context) == 4
    for text in context:
        body = text.removeprefix("Grants. ")
        assert len(body) <= PASSAGE_CHARS and body.endswith("was paid.")


def test_a_sentence_longer_than_a_passage_is_cut_at_a_space():
    pieces = joined(["word " * 300])
    assert all(len(piece) <= PASSAGE_CHARS for piece in pieces)
    assert " ".join(pieces).split() == ["word"] * 300


def test_blank_paragraphs_give_no_passage():
    assert joined(["", "   ", "\n"]) == []


def test_a_recommendation_s_audience_is_named_in_the_page_s_language_whatever_the_active_one():
    page = PolicyNotePageFactory(
        language="fr",
        title="Note sur les frontières",
        recommendations=[
            {
                "type": "recommendation",
                "value": {"statement": "Financer la protection", "audience": "national-government"},
            }
        ],
    )
    for active in ("en", "ar"):
        with translation.override(active):
            [text] = [p.text for p in passages_of(page) if p.section == "recommendations"]
        assert "Gouvernement national" in text, active


def test_a_long_summary_is_cut_like_the_sections():
    summary = "Most businesses survived the second year. " * 28  # 1,176 characters
    page = LessonsLearnedReportPageFactory(title="Grants", summary=summary.strip())
    heads = [p.text for p in passages_of(page) if p.section == "title"]
    assert len(heads) == 2
    assert all(len(text.removeprefix("Grants. ")) <= PASSAGE_CHARS for text in heads)
