"""Cutting long id lists into batches: one query per batch keeps a statement under SQLite's limit
on parameters (32,766) and a bulk request or a read of pages within bounded memory."""

from itertools import islice


def batched(items, size):
    """Lists of at most ``size`` consecutive elements of ``items`` (any iterable), in order; the
    last may be shorter. ``itertools.batched`` of Python 3.12, which yields tuples; the portal
    still runs on 3.11. Raises ``ValueError`` when ``size`` is below 1."""
    if size < 1:
        raise ValueError(f"batch size must be at least 1, not {size}")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
