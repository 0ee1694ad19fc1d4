"""Work that follows a transaction's changes, done once after it commits."""

from django.db import transaction


def once_after_commit(function):
    """Call ``function()`` when the current transaction commits (at once outside one), once
    however many times it is asked for within the transaction (an import saves thousands of
    rows in one); nothing if the transaction rolls back."""
    # Django keeps no public list of a transaction's callbacks; its run_on_commit entries are
    # (savepoint ids, function, robust).
    pending = transaction.get_connection().run_on_commit
    if any(entry[1] is function for entry in pending):
        return
    transaction.on_commit(function)
