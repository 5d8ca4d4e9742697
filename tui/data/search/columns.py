"""The corpus as columns the search reads: folded keys and numeric fields.

Title keys are built up front (about 0.3 s per million titles). Abstract keys cost ten
times more, so they are built a chunk at a time, the first time a search needs that chunk
(or all at once by :meth:`Columns.warm`). Numeric columns and ids are built on first use.
"""

from __future__ import annotations

import threading
from array import array
from collections.abc import Callable, Sequence
from typing import TypeVar

from ..models import Paper
from .keys import search_key, search_keys
from .postings import WordIndex
from .table import PaperTable

_T = TypeVar("_T")
_R = TypeVar("_R")

CHUNK = 16_384
"""Papers per chunk (by default): the unit of caching, cancellation and lazy key building."""

BLOCK = 1024
"""Papers a long loop looks at between two calls of :attr:`Columns.pause` (a millisecond or
less of work)."""

UNKNOWN = -1
"""A numeric column's value when the paper does not give it."""

_NO_FACETS = Paper.model_construct(author_names=(), categories=())


class Columns:
    """Parallel per-paper columns over a ``Sequence[Paper]`` (a :class:`PaperTable` is read
    column by column, without building papers)."""

    def __init__(self, papers: Sequence[Paper], chunk_size: int = CHUNK) -> None:
        self.papers = papers
        self.size = len(papers)
        self.chunk_size = max(1, chunk_size)
        self.table = papers if isinstance(papers, PaperTable) else None
        if self.table is not None:
            self.titles: Sequence[str] = self.table.titles
            self.abstracts: Sequence[str] = self.table.abstracts
        else:
            self.titles = [paper.title for paper in papers]
            self.abstracts = [paper.abstract for paper in papers]
        made = self.table.title_keys if self.table is not None else None
        self.title_keys = made if made is not None else search_keys(self.titles)
        self.abstract_keys: list[str] = [""] * self.size
        self._abstract_ready = bytearray(self.chunks)
        self._lock = threading.Lock()
        self._numbers: dict[str, array[int]] = {}
        self._ids: Sequence[str] | None = None
        self._facets: dict[str, list[str]] = {}
        self.words = WordIndex(self)
        """The inverted index of title and abstract words (built by :meth:`warm`)."""
        self.pause: Callable[[], object] = _no_pause
        """Called by long loops every :data:`BLOCK` papers: a program that searches in a
        background thread may set it to let its UI thread go first (see SearchIndex)."""

    @property
    def chunks(self) -> int:
        """How many chunks of ``chunk_size`` papers there are."""
        return -(-self.size // self.chunk_size)

    def bounds(self, chunk: int) -> tuple[int, int]:
        """First and one-past-last position of ``chunk``."""
        start = chunk * self.chunk_size
        return start, min(start + self.chunk_size, self.size)

    def ensure_abstracts(self, chunk: int) -> None:
        """Build the folded abstract keys of ``chunk`` if not built yet."""
        if self._abstract_ready[chunk]:
            return
        start, end = self.bounds(chunk)
        keys = in_blocks(
            self.abstracts[start:end],
            search_keys,
            self.pause,
        )
        with self._lock:
            self.abstract_keys[start:end] = keys
            self._abstract_ready[chunk] = 1

    def warm(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Build every abstract key now; False if ``cancelled()`` stopped it first."""
        for chunk in range(self.chunks):
            if cancelled is not None and cancelled():
                return False
            self.ensure_abstracts(chunk)
        return True

    def facet_keys(self, field: str) -> Sequence[str]:
        """Folded author names (``author``, comma-separated) or categories (``cat``, each
        after a space, so that a search for " cs" finds the ones that start with it)."""
        keys = self._facets.get(field)
        if keys is None:
            table = self.table
            if field == "author":
                names = table.author_names if table is not None else None
                if names is None:
                    names = [", ".join(paper.author_names) for paper in self._rows()]
                keys = search_keys(names)
            else:
                categories = table.categories if table is not None else None
                if categories is None:
                    categories = [" ".join(paper.categories) for paper in self._rows()]
                shared: dict[str, str] = {}  # few distinct values: one key object each
                keys = [
                    shared.get(c) or shared.setdefault(c, " " + search_key(c)) for c in categories
                ]
            with self._lock:
                keys = self._facets.setdefault(field, keys)
        return keys

    def _rows(self) -> Sequence[Paper]:
        """The papers (for a table without the column: as many papers without it)."""
        if self.table is None:
            return self.papers
        return [_NO_FACETS] * self.size

    @property
    def ids(self) -> Sequence[str]:
        """Paper ids, by position."""
        if self._ids is None:
            if self.table is not None:
                self._ids = self.table.ids
            else:
                self._ids = [paper.id for paper in self.papers]
        return self._ids

    def number(self, name: str) -> array[int]:
        """Column ``authors``, ``upvotes``, ``year``, ``month`` or ``day``; -1 when unknown."""
        column = self._numbers.get(name)
        if column is None:
            column = array("i", (UNKNOWN if v is None else v for v in self._values(name)))
            self._numbers[name] = column
        return column

    def _values(self, name: str) -> Sequence[int | None]:
        table = self.table
        if table is not None:
            if name == "authors":
                return table.authors
            if name == "upvotes":
                return table.upvotes
            if name == "year":
                return table.years
            if name == "month":
                return [m or None for m in table.months]
            return [d or None for d in table.days]
        if name in ("authors", "upvotes"):
            return [getattr(paper, name) for paper in self.papers]
        dates = [paper.date for paper in self.papers]
        if name == "year":
            return [date.year if date else None for date in dates]
        if name == "month":
            return [date.month if date else None for date in dates]
        return [date.day if date else None for date in dates]


def _no_pause() -> None:
    return None


def in_blocks(
    items: Sequence[_T], work: Callable[[Sequence[_T]], list[_R]], pause: Callable[[], object]
) -> list[_R]:
    """``work(items)``, done :data:`BLOCK` items at a time with a ``pause()`` before each
    block after the first."""
    if len(items) <= BLOCK:
        return work(items)
    done: list[_R] = []
    for at in range(0, len(items), BLOCK):
        if at:
            pause()
        done += work(items[at : at + BLOCK])
    return done
