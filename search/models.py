"""The search outbox (pages whose index documents must be brought up to date), the rebuild lock
and the database backend's full-text index.

Outbox entries are written by signal handlers while the page change is being saved (inside its transaction
when there is one) and removed only once the engine has accepted the update, so an engine outage
delays index updates but never loses them.
"""

import uuid

from django.contrib.postgres.search import SearchVectorField
from django.db import models
from django.utils import timezone


class SearchOutboxEntry(models.Model):
    """One page to re-index (or remove from the index); ``page_id`` may name a deleted page."""

    page_id = models.PositiveBigIntegerField(db_index=True)
    created_at = models.DateTimeField(auto_now_add=True)
    attempts = models.PositiveIntegerField(default=0)
    next_attempt_at = models.DateTimeField(default=timezone.now, db_index=True)
    last_error = models.TextField(blank=True)
    # Set while a worker is sending the entry (``search.outbox.claim_entries``); a worker that
    # dies leaves it to expire.
    claimed_until = models.DateTimeField(null=True, blank=True)

    class Meta:
        verbose_name = "search outbox entry"
        verbose_name_plural = "search outbox entries"
        ordering = ["pk"]

    def __str__(self):
        return f"page {self.page_id} (attempt {self.attempts})"


class SearchIndexLock(models.Model):
    """The one rebuild of the index running now, if any (``search.locks``).

    A row exists while a rebuild holds the lock; ``index`` names the version it is filling, so
    index updates reach it too, and ``heartbeat_at`` moves on with every batch. A row whose
    heartbeat stopped (the rebuild was killed) can be taken over after ``STALE_AFTER``.
    """

    name = models.CharField(max_length=50, unique=True)
    holder = models.CharField(max_length=200)
    index = models.CharField(max_length=255, blank=True)
    acquired_at = models.DateTimeField()
    heartbeat_at = models.DateTimeField()

    class Meta:
        verbose_name = "search index lock"

    def __str__(self):
        return f"{self.name} held by {self.holder} since {self.acquired_at:%Y-%m-%d %H:%M:%S}"


class TextIndexEntry(models.Model):
    """A page in the database backend's full-text index (``search.text_index``).

    On PostgreSQL ``vector`` holds the page's weighted terms; SQLite keeps them in the FTS5 table
    ``search_textindex_fts`` (rowid = page id) and leaves ``vector`` empty.
    """

    page = models.OneToOneField(
        "wagtailcore.Page", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    language = models.CharField(max_length=8)
    vector = SearchVectorField(null=True)

    class Meta:
        verbose_name = "text index entry"
        verbose_name_plural = "text index entries"

    def __str__(self):
        return f"page {self.page_id} ({self.language})"


class TextIndexWord(models.Model):
    """A word of the indexed text, folded, with the term it was indexed as: the vocabulary that
    typo tolerance searches (``search.text_query``). ``initial`` and ``length`` narrow the
    candidates of a misspelt word (its first letter is never wrong, as in the engine)."""

    word = models.CharField(max_length=40)
    term = models.CharField(max_length=40, db_index=True)
    initial = models.CharField(max_length=1)
    length = models.PositiveSmallIntegerField()

    class Meta:
        constraints = [models.UniqueConstraint(fields=["word", "term"], name="unique_word_term")]
        indexes = [models.Index(fields=["initial", "length"], name="text_word_initial_length")]

    def __str__(self):
        return f"{self.word} → {self.term}"

    @classmethod
    def of(cls, word, term):
        return cls(word=word, term=term, initial=word[0], length=len(word))


class DocumentText(models.Model):
    """The text extracted from a document's file (``search.attachments``), kept so that indexing a
    page never reads its PDFs again, and so a web request can index a page without reading them.
    ``file_name`` is the stored file it was read from: a replaced file is read again."""

    document = models.OneToOneField(
        "wagtaildocs.Document", primary_key=True, on_delete=models.CASCADE, related_name="+"
    )
    file_name = models.CharField(max_length=255)
    text = models.TextField(blank=True)
    extracted_at = models.DateTimeField(auto_now=True)

    class Meta:
        verbose_name = "document text"

    def __str__(self):
        return self.file_name


class PassageVector(models.Model):
    """The embedding of one passage of a live, public knowledge page (``search.passages``), for
    the database backend's semantic search (``search.passage_index``).

    ``vector`` holds ``search.embeddings.DIMENSIONS`` little-endian float32 numbers of length 1.
    ``text_hash`` (SHA-256 of the model's name and the passage's text) lets an unchanged passage,
    of this page or another, keep its vector when a page is written again: embedding is the slow
    part of indexing.
    """

    page = models.ForeignKey("wagtailcore.Page", on_delete=models.CASCADE, related_name="+")
    ordinal = models.PositiveIntegerField()
    section = models.CharField(max_length=50)
    #: The id of the StreamField block (an entry: a lesson, a recommendation) it comes from, else
    #: "": the lesson register ranks a report's entries by their passages.
    block_id = models.CharField(max_length=36, blank=True, default="")
    text_hash = models.CharField(max_length=64, db_index=True)
    #: The model that made ``vector`` (``search.embeddings.MODEL_NAME``): vectors of two models
    #: are never compared.
    model_name = models.CharField(max_length=50)
    vector = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(fields=["page", "ordinal"], name="one_vector_per_passage")
        ]

    def __str__(self):
        return f"page {self.page_id}, passage {self.ordinal} ({self.section})"


class ReferenceMean(models.Model):
    """The mean embedding of one language's reference sentences (``search.centring``), computed
    once per model and catalogue by the indexing path and read by searches."""

    language = models.CharField(max_length=10)
    model_name = models.CharField(max_length=50)
    #: SHA-256 of the sentences embedded: a changed catalogue is embedded again.
    sentences_hash = models.CharField(max_length=64)
    sentences = models.PositiveIntegerField()
    vector = models.BinaryField()

    class Meta:
        constraints = [
            models.UniqueConstraint(
                fields=["language", "model_name", "sentences_hash"], name="one_reference_mean"
            )
        ]

    def __str__(self):
        return f"{self.language} ({self.model_name}, {self.sentences} sentences)"


class PassageGeneration(models.Model):
    """One row naming the current state of the passage vectors and reference means
    (``search.passage_index``, ``search.centring``): a search holding them in memory
    (``search.semantic``) reads ``token`` to tell whether they changed. Every writer draws a new
    token first in its transaction, which also makes concurrent writers take turns (the row stays
    locked until commit). A random token rather than a count: a count rolled back (a test, a
    restored backup) and raised again would name two different states alike."""

    token = models.UUIDField(default=uuid.uuid4)

    #: The one row's primary key (migration ``0007`` creates it).
    ROW = 1

    def __str__(self):
        return f"passage vectors, state {self.token}"

    @classmethod
    def current(cls):
        """The token now (None before the row exists)."""
        return cls.objects.filter(pk=cls.ROW).values_list("token", flat=True).first()

    @classmethod
    def advance(cls):
        """Draw a new token; call it first inside the writer's transaction."""
        if not cls.objects.filter(pk=cls.ROW).update(token=uuid.uuid4()):
            # A database emptied since its migration (a test's flush) lacks the row.
            cls.objects.update_or_create(pk=cls.ROW, defaults={"token": uuid.uuid4()})
