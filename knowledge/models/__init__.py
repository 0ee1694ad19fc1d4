"""Content model of the portal, split by role and re-exported here."""

from .taxonomy import Country, Theme, country_name, term_names  # noqa: I001  (import order avoids a cycle)
from .tags import KnowledgeTag, TaggedKnowledgePage
from .knowledge_pages import (
    KNOWLEDGE_TYPES,
    KnowledgeAttachment,
    KnowledgePage,
    LessonsLearnedReportPage,
    PolicyNotePage,
    PracticeBriefPage,
)
from .site_pages import CountrySectionPage, HomePage, KnowledgeIndexPage, ThemeIndexPage
from .documents import DocumentCheck, check_document_file
from .objectives import GCM_OBJECTIVES, KnowledgePageObjective

__all__ = [
    "GCM_OBJECTIVES",
    "KNOWLEDGE_TYPES",
    "Country",
    "CountrySectionPage",
    "DocumentCheck",
    "HomePage",
    "KnowledgeAttachment",
    "KnowledgeIndexPage",
    "KnowledgePage",
    "KnowledgePageObjective",
    "KnowledgeTag",
    "LessonsLearnedReportPage",
    "PolicyNotePage",
    "PracticeBriefPage",
    "TaggedKnowledgePage",
    "Theme",
    "ThemeIndexPage",
    "check_document_file",
    "country_name",
    "term_names",
]
