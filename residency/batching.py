"""Splitting long sequences into bounded batches (SQL ``IN`` lists, bulk writes, streamed
exports). Pure: no ORM."""
from __future__ import annotations

from collections.abc import Iterable, Iterator
from itertools import islice
from typing import TypeVar

T = TypeVar("T")


def chunked(items: Iterable[T], size: int) -> Iterator[list[T]]:
    """Consecutive lists of at most ``size`` items, in order; works on any iterable
    (a list, a generator, ``queryset.iterator()``) without materialising it."""
    if size < 1:
        raise ValueError("size must be at least 1")
    iterator = iter(items)
    while batch := list(islice(iterator, size)):
        yield batch
