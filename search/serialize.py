"""Turn knowledge pages into index documents (``KnowledgePageDocument``).

``serialize_pages`` works on a batch so the names of countries and themes in every language and the
text of shared attachments are read once per batch.
"""

import hashlib
from collections import defaultdict

from django.core.exceptions import FieldDoesNotExist
from django.utils import translation
from wagtail.documents import get_document_model
from wagtail.fields import RichTextField, StreamField
from wagtail.rich_text import get_text_for_indexing

from knowledge.models import Country, Theme
from knowledge.visibility import public_attachments, translated_keys, unrestricted_documents
from search.attachments import texts_of
from search.documents import LANGUAGE_CODES, KnowledgePageDocument
from search.engine_vectors import passage_digests


def field_text(page, name):
    """Plain text of field ``name`` of ``page`` ('' when its type has no such field)."""
    try:
        field = page._meta.get_field(name)
    except FieldDoesNotExist:
        return ""
    value = getattr(page, name)
    if isinstance(field, StreamField):
        return " ".join(str(text) for text in field.get_searchable_content(value))
    if isinstance(field, RichTextField):
        return get_text_for_indexing(value or "")
    return str(value or "")


def section_text(page, key):
    """The text of ``page``'s key sections (weight above 1 in its type's ``text_sections``:
    lessons, recommendations, key messages, a brief's practice and results) when ``key``, else of
    its other sections, in reading order, one per line.

    Labels the page does not hold as text (a recommendation's audience) are in its language, as
    the page shows them, so a snippet never mixes in another language."""
    names = [name for name, weight in page.text_sections.items() if (weight > 1) == key]
    with translation.override(page.locale.language_code):
        return "\n".join(text for text in (field_text(page, name) for name in names) if text)


class TaxonomyNames:
    """Names of every country and theme in each language (``{code or slug: {language: name}}``),
    to index with each page, and the ids of the documents whose collections are restricted
    (their text is not indexed)."""

    def __init__(self):
        unrestricted = unrestricted_documents().values("pk")
        self.restricted_documents = set(
            get_document_model().objects.exclude(pk__in=unrestricted).values_list("pk", flat=True)
        )
        self.countries = _names_by_language(Country.objects, "code")
        self.themes = _names_by_language(Theme.objects, "slug")

    def of(self, countries, themes, language):
        """Names in ``language`` of ``countries`` (codes) and ``themes`` (slugs), in that order."""
        terms = [self.countries[code] for code in countries] + [self.themes[s] for s in themes]
        return [names[language] for names in terms if language in names]


def _names_by_language(terms, key_field):
    names = defaultdict(dict)
    for key, language, name in terms.values_list(key_field, "locale__language_code", "name"):
        names[key][language] = name
    return names


def serialize_pages(pages, extract=True):
    """``[KnowledgePageDocument]`` for specific knowledge ``pages`` (any iterable). Attachment
    text not extracted yet is extracted when ``extract``, else left out (``texts_of``). Their
    passage vectors depend on the index written to: ``search.indexing`` adds them."""
    pages = list(pages)
    names, translated = TaxonomyNames(), translated_keys(pages)
    attachments = _attachments_by_page(pages, extract)
    digests = passage_digests(page.pk for page in pages)
    documents = []
    for page in pages:
        document = _document(page, names, attachments.get(page.pk, []), translated)
        document.fingerprint = fingerprint(page, names, translated, digests.get(page.pk, ""))
        documents.append(document)
    return documents


def fingerprints(pages):
    """``{page id: fingerprint}`` of ``pages`` (specific, with their relations:
    ``search.indexing.pages_with_relations``)."""
    pages = list(pages)
    names, translated = TaxonomyNames(), translated_keys(pages)
    digests = passage_digests(page.pk for page in pages)
    return {
        page.pk: fingerprint(page, names, translated, digests.get(page.pk, "")) for page in pages
    }


def _attachments_by_page(pages, extract):
    """``{page id: [attachment text]}`` of the attachments readers may see
    (``public_attachments``), so the text of a restricted document never shows in snippets."""
    attachments = list(public_attachments().filter(page__in=[p.pk for p in pages]))
    texts = texts_of({a.document for a in attachments}, extract)
    by_page = defaultdict(list)
    for attachment in attachments:
        by_page[attachment.page_id].append(texts[attachment.document_id])
    return by_page


def _document(page, names, attachment_texts, translated_keys):
    countries = [country.code for country in page.countries.all()]
    themes = [theme.slug for theme in page.themes.all()]
    tags = list(page.tags.all())
    taxonomy = [
        *names.of(countries, themes, page.locale.language_code),
        *(tag.name for tag in tags),
        page.organisation,
        field_text(page, "authors"),
    ]
    return KnowledgePageDocument(
        meta={"id": page.pk},
        page_id=page.pk,
        title=page.title,
        title_suggest=page.title,
        summary=page.summary,
        lessons=section_text(page, key=True),
        sections=section_text(page, key=False),
        taxonomy="\n".join(text for text in taxonomy if text),
        names={code: "\n".join(names.of(countries, themes, code)) for code in LANGUAGE_CODES},
        attachments="\n".join(attachment_texts),
        type=page.knowledge_type,
        countries=countries,
        themes=themes,
        objectives=[link.number for link in page.objective_links.all()],
        tags=[tag.slug for tag in tags],
        language=page.locale.language_code,
        publication_date=page.publication_date,
        first_published_at=page.first_published_at,
        expire_at=page.expire_at,
        year=page.publication_date.year,
        translation_key=str(page.translation_key),
        translated=page.translation_key in translated_keys,
        url=page.url,
    )


def fingerprint(page, names, translated_keys, passages=""):
    """What a page's document depends on, compactly: its live revision and URL, the names of its
    countries and themes in every language, its keywords, its GCM objectives and the files
    attached to it, with whether each file's collection is restricted, whether its item is
    translated (in ``translated_keys``), and its passage vectors (``passages``, their digest:
    ``search.engine_vectors.passage_digests``), which the task worker writes after the page.

    A changed fingerprint means the indexed document is stale. Computed without reading attachment
    files (their stored hash is used), so checking drift stays cheap.
    """
    parts = [
        str(page.live_revision_id),
        page.url or "",
        f"translated:{page.translation_key in translated_keys}",
        f"passages:{passages}",
        *(
            f"{c}:{_joined(names.countries[c])}"
            for c in sorted(x.code for x in page.countries.all())
        ),
        *(f"{t}:{_joined(names.themes[t])}" for t in sorted(x.slug for x in page.themes.all())),
        *sorted(f"{t.slug}:{t.name}" for t in page.tags.all()),
        "objectives:" + ",".join(sorted(str(link.number) for link in page.objective_links.all())),
        *(
            f"{a.document_id}:{a.document.file_hash}:{a.document_id in names.restricted_documents}"
            for a in page.attachments.all()
        ),
    ]
    return hashlib.sha1("|".join(parts).encode()).hexdigest()  # noqa: S324  (change detection, not security)


def _joined(names):
    """``"ar=مالي/en=Mali/..."``: a term's names by language, in a fixed order."""
    return "/".join(f"{language}={name}" for language, name in sorted(names.items()))
