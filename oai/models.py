"""What the repository remembers beyond the live pages: when each record last changed, and which
records were withdrawn.

Live records are always read from the pages themselves (``knowledge.visibility``); this table only
adds what the pages cannot tell: that a page which harvesters saw is gone (deleted, unpublished, made
private), in which sets it was, and when a record changed without being republished (it became
public again, moved to a new URL, a country or theme it carries was renamed).
"""

from django.db import models


class OaiRecord(models.Model):
    """The OAI-PMH state of one knowledge page that harvesters have been able to see.

    ``page_id`` is not a foreign key: the row outlives the page so its deletion can be reported
    (``deletedRecord`` is ``persistent``). ``set_specs`` holds the record's setSpecs separated and
    surrounded by spaces (" type:policy_note country:ML "), so a set filter is a substring match on
    every database.
    """

    page_id = models.PositiveIntegerField(unique=True)
    datestamp = models.DateTimeField(db_index=True)
    deleted = models.BooleanField(default=False)
    set_specs = models.TextField(blank=True)

    class Meta:
        verbose_name = "OAI-PMH record"

    def __str__(self):
        state = "deleted" if self.deleted else "live"
        return f"page {self.page_id} ({state}, {self.datestamp:%Y-%m-%dT%H:%M:%SZ})"
