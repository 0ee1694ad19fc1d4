"""Cutting id lists into batches (portal.batching)."""

import pytest

from portal.batching import batched


def test_batches_keep_the_order_and_the_last_is_shorter():
    assert list(batched(range(7), 3)) == [[0, 1, 2], [3, 4, 5], [6]]


def test_an_empty_list_gives_no_batch():
    assert list(batched([], 500)) == []


def test_a_batch_size_below_one_is_refused():
    with pytest.raises(ValueError, match="at least 1"):
        list(batched([1, 2], 0))
