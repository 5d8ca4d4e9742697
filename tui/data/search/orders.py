"""Sort orders for search results, computed once per key and direction, then intersected.

The rules are those of :mod:`tui.data.sorting`: date newest first, upvotes and author
count most first, titles A to Z; ``reverse`` flips the known values only, so papers whose
value is unknown always come last (for dates: first every full date, then the dates
without a year, by month and day, then the papers with no date); ties keep corpus order.

Numeric keys are bucket-sorted in one pass. Titles are sorted in chunks and merged, so no
single step holds the interpreter lock for long.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from collections.abc import Iterable, Sequence
from itertools import compress

from ..sorting import SortKey
from .columns import UNKNOWN, Columns
from .keys import fold_key

_STEP = 65_536


class Orders:
    """Cached permutations of the corpus, one per (key, reverse)."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._orders: dict[tuple[SortKey, bool], array[int]] = {}
        self._ranks: dict[tuple[SortKey, bool], array[int]] = {}
        self._lock = threading.Lock()

    def order(self, key: SortKey, reverse: bool = False) -> array[int]:
        """Every position, in the order of ``key``; built on first use."""
        found = self._orders.get((key, reverse))
        if found is None:
            found = array("i", self._build(key, reverse))
            with self._lock:
                self._orders[(key, reverse)] = found
        return found

    def arrange(self, positions: Sequence[int], key: SortKey, reverse: bool) -> array[int]:
        """``positions`` in the order of ``key``."""
        size = self._columns.size
        if len(positions) * 16 < size:
            rank = self._rank(key, reverse)
            return array("i", sorted(positions, key=rank.__getitem__))
        order = self.order(key, reverse)
        wanted = bytearray(size)
        for position in positions:
            wanted[position] = 1
        out = array("i")
        for start in range(0, size, _STEP):  # short holds of the interpreter lock
            piece = order[start : start + _STEP]
            out.extend(compress(piece, map(wanted.__getitem__, piece)))
        return out

    def _rank(self, key: SortKey, reverse: bool) -> array[int]:
        found = self._ranks.get((key, reverse))
        if found is None:
            order = self.order(key, reverse)
            found = array("i", bytes(4 * len(order)))
            for place, position in enumerate(order):
                found[position] = place
            with self._lock:
                self._ranks[(key, reverse)] = found
        return found

    def _build(self, key: SortKey, reverse: bool) -> list[int]:
        columns = self._columns
        if key is SortKey.TITLE:
            keys = [fold_key(title) for title in columns.titles]
            return _merge_sorted(keys, reverse, max(1, columns.chunk_size // 2))
        if key is SortKey.DATE:
            years, months, days = (columns.number(name) for name in ("year", "month", "day"))
            full: dict[int, list[int]] = {}
            no_year: dict[int, list[int]] = {}
            no_date: list[int] = []
            for position in range(columns.size):
                month = months[position]
                if month == UNKNOWN:
                    no_date.append(position)
                    continue
                day = month * 100 + days[position]
                year = years[position]
                if year == UNKNOWN:
                    no_year.setdefault(day, []).append(position)
                else:
                    full.setdefault(year * 10_000 + day, []).append(position)
            return [*_buckets(full, reverse), *_buckets(no_year, reverse), *no_date]
        values = columns.number(key.value)
        known: dict[int, list[int]] = {}
        unknown: list[int] = []
        for position, value in enumerate(values):
            if value == UNKNOWN:
                unknown.append(position)
            else:
                known.setdefault(value, []).append(position)
        return [*_buckets(known, reverse), *unknown]


def _buckets(groups: dict[int, list[int]], reverse: bool) -> Iterable[int]:
    """Positions bucket by bucket: largest value first unless ``reverse``."""
    for value in sorted(groups, reverse=not reverse):
        yield from groups[value]


def _merge_sorted(keys: Sequence[str], reverse: bool, run: int) -> list[int]:
    """Positions ordered by ``keys`` (stable), sorting chunks and merging them."""
    runs = [
        sorted(range(start, min(start + run, len(keys))), key=keys.__getitem__, reverse=reverse)
        for start in range(0, len(keys), run)
    ]
    if len(runs) == 1:
        return runs[0]
    return list(heapq.merge(*runs, key=keys.__getitem__, reverse=reverse))
