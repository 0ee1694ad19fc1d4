"""Free keywords named in the reader's language when the vocabulary knows them."""

from dataclasses import dataclass

from vocabulary.names import vocabulary_names


@dataclass(frozen=True)
class Keyword:
    """A keyword as a reader sees it: ``slug`` (the tag's, for its search link), ``name`` and the
    ``language`` it is written in ("" when unknown: a keyword no concept is named by)."""

    slug: str
    name: str
    language: str


def keywords_in(tags, language):
    """``[Keyword]``, one per tag (``knowledge.KnowledgeTag``), in their order: a tag that is a
    label of a concept (in any language; case and accents do not count) is named by the concept's
    preferred label in ``language`` (else in the default language); any other keeps its name.
    The rule of queries too (``vocabulary.text.content_words``): stop words do not count."""
    names = vocabulary_names()
    keywords = []
    for tag in tags:
        concept = names.concept_named(tag.name)
        if concept is None:
            keywords.append(Keyword(tag.slug, tag.name, ""))
            continue
        name, name_language = concept.name_in(language)
        keywords.append(Keyword(tag.slug, name, name_language))
    return keywords
