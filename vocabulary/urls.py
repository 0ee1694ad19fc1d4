"""The vocabulary's permanent URIs (no language prefix) and its pages (under /<lang>/)."""

from django.urls import path

from vocabulary.views import concept_page, vocabulary_document, vocabulary_page

document_patterns = [
    path("", vocabulary_document, name="vocabulary_document"),
    path("<slug:identifier>/", vocabulary_document, name="concept_document"),
]

page_patterns = [
    path("", vocabulary_page, name="vocabulary_page"),
    path("<slug:identifier>/", concept_page, name="concept_page"),
]
