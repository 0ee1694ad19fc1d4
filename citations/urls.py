"""URLs of citations, mounted at ``/<lang>/cite/``: ``<page id>.ris``, ``.bib`` and ``.json``."""

from django.urls import path

from citations.views import download_citation, download_lesson_citation

app_name = "citations"

urlpatterns = [
    path("<int:page_id>.<slug:extension>", download_citation, name="download"),
    path(
        "lesson-<int:lesson_id>.<slug:extension>",
        download_lesson_citation,
        name="download_lesson",
    ),
]
