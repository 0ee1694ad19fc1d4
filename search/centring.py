"""The mean vector of each language, which semantic search subtracts before comparing vectors
(``search.semantic`` says why).

A language's mean is that of the site's own passages in it, shrunk towards the mean of a reference
set of sentences in that language by ``REFERENCE_WEIGHT`` passages' worth:
``(n · site mean + k · reference mean) / (n + k)``. A site with few passages in a language (a new
site, a language with three items) would otherwise centre them on themselves and leave nothing
to compare; a large site's own mean takes over. The reference sentences are the portal's
interface text, which its translation catalogues hold in every language with the same meaning:
so the references differ by language, not by subject.

On the judged set (1,226 passages, 265–395 per language) cross-language nDCG@10 was 0.43
without centring, 0.82 with the site's means, 0.71 with the reference means alone and 0.82–0.83
with the shrunk means for k from 30 to 300 (``k`` is not tuned: a hundred passages is where a
site's mean is its own).
"""

import gettext
import hashlib
from pathlib import Path

import numpy as np
from django.conf import settings
from django.db import transaction

from search.embeddings import MODEL_NAME, embed_passages
from search.models import PassageGeneration, PassageVector, ReferenceMean

#: Passages' worth of weight the reference mean keeps against the site's own.
REFERENCE_WEIGHT = 100
#: Catalogue entries shorter than this are labels ("Search"), too short to carry a language.
MIN_SENTENCE_CHARS = 25


def reference_sentences():
    """``{language: [sentence]}``, parallel lists: the English text of the interface's longer
    messages translated into every other language of ``settings.LANGUAGES``, and their
    translations (from the compiled catalogues in ``locale/``)."""
    others = [code for code, _name in settings.LANGUAGES if code != "en"]
    catalogues = {code: _catalogue(code) for code in others}
    english = sorted(
        message
        for message in catalogues[others[0]]
        if isinstance(message, str)
        and len(message) >= MIN_SENTENCE_CHARS
        and "%" not in message
        and all(catalogues[code].get(message) for code in others)
    )
    return {"en": english} | {
        code: [catalogues[code][message] for message in english] for code in others
    }


def _catalogue(language):
    # ``_catalog`` is the standard library's parsed ``.mo`` file ({message: translation}); the
    # gettext API only looks messages up one at a time, and the portal ships no .po parser.
    locale_dir = Path(settings.BASE_DIR) / "locale"
    return gettext.translation("django", locale_dir, languages=[language])._catalog


def ensure_reference_means():
    """Embed the reference sentences of every language unless their means are stored already for
    this model and these sentences (the indexing path calls it; a search only reads them)."""
    for language, sentences in reference_sentences().items():
        digest = hashlib.sha256("\n".join(sentences).encode()).hexdigest()
        known = ReferenceMean.objects.filter(
            language=language, model_name=MODEL_NAME, sentences_hash=digest
        )
        if known.exists():
            continue
        mean = _embedded_mean(digest, sentences)  # slow: outside the transaction
        with transaction.atomic():
            PassageGeneration.advance()  # another writer waits here, then finds it stored
            if not known.exists():
                ReferenceMean.objects.filter(language=language, model_name=MODEL_NAME).delete()
                ReferenceMean.objects.create(
                    language=language,
                    model_name=MODEL_NAME,
                    sentences_hash=digest,
                    sentences=len(sentences),
                    vector=mean.astype("<f4").tobytes(),
                )


#: Means this process embedded, by sentences' hash: embedding them takes some 15 s.
_embedded = {}


def _embedded_mean(digest, sentences):
    if digest not in _embedded:
        _embedded[digest] = embed_passages(sentences).mean(axis=0)
    return _embedded[digest]


def reference_means():
    """``{language: (d,) float32}`` of the stored reference means of the current model."""
    rows = ReferenceMean.objects.filter(model_name=MODEL_NAME).values_list("language", "vector")
    return {language: np.frombuffer(vector, dtype="<f4") for language, vector in rows}


def shrunk_means(site_sums, site_counts, references):
    """``{language: mean}`` per the module's rule: ``site_sums`` and ``site_counts`` the sum of the
    site's passage vectors and their number per language, ``references`` the reference means. A
    language with only one of the two takes that one."""
    means = {}
    for language in site_sums.keys() | references.keys():
        count = site_counts.get(language, 0)
        total = site_sums.get(language, 0)
        reference = references.get(language)
        if reference is None:
            means[language] = total / count
        else:
            means[language] = (total + REFERENCE_WEIGHT * reference) / (count + REFERENCE_WEIGHT)
    return means


def site_means():
    """``({language: (d,) float32}, passages)``: the means of every stored passage vector of the
    current model, per the language of its page, shrunk towards the reference means (the
    module's rule), and how many passages they were taken from. Reads every vector once, a
    batch at a time, summing in float64."""
    rows = PassageVector.objects.filter(model_name=MODEL_NAME)
    rows = rows.values_list("page__locale__language_code", "vector")
    sums, counts = {}, {}
    for language, vector in rows.iterator(chunk_size=2000):
        vector = np.frombuffer(vector, dtype="<f4").astype(np.float64)
        sums[language] = sums.get(language, 0) + vector
        counts[language] = counts.get(language, 0) + 1
    means = shrunk_means(sums, counts, reference_means())
    return (
        {language: np.asarray(mean, dtype=np.float32) for language, mean in means.items()},
        sum(counts.values()),
    )


def centred_query(vector, means):
    """``vector`` (a query's embedding) minus the mean of the language it is nearest to, of
    length 1; ``vector`` itself when there are no ``means``. The nearest mean is the model's own
    language signal: it tells the language of a sentence, not always that of a lone name."""
    if not means:
        return vector
    nearest = max(means, key=lambda language: _cosine(vector, means[language]))
    return unit(vector - means[nearest])


def unit(vectors):
    """``vectors`` (d,) or (n, d) scaled to length 1 (a zero vector stays zero)."""
    norms = np.linalg.norm(vectors, axis=-1, keepdims=True)
    return vectors / np.where(norms == 0, 1, norms)


def _cosine(a, b):
    return float(a @ b / (np.linalg.norm(a) * np.linalg.norm(b) or 1))
