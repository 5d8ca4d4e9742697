"""What a search returns (:class:`SearchResult`, :class:`Match`); the :class:`Library` protocol."""

from __future__ import annotations

from collections.abc import Mapping, Sequence, Set
from dataclasses import dataclass, field
from typing import Protocol

from ..sorting import SortKey


class Library(Protocol):
    """The annotation store, as search needs it (``is:``, ``tag:``, ``list:``)."""

    def ids(self, kind: str, value: str) -> Set[str] | None:
        """Ids of the papers in ``kind``/``value``; ``None`` when the value is unknown.

        ``kind`` is ``"is"`` (``value`` ``"bookmarked"``, ``"read"`` or ``"unread"``),
        ``"tag"`` or ``"list"`` (``value`` a name).
        """
        ...


@dataclass(frozen=True)
class SearchResult:
    """The papers a query found, best first (or in ``sort`` order).

    ``indices`` are positions in ``SearchIndex.papers``; read-only (it may be a ``range``
    or a cached array shared with later results).
    """

    query: str
    indices: Sequence[int] = ()
    error: str | None = None
    complete: bool = True
    sort: SortKey | None = None
    reverse: bool = False
    stage: str = "done"

    @property
    def total(self) -> int:
        """How many papers matched (``len(indices)``)."""
        return len(self.indices)


@dataclass(frozen=True)
class Match:
    """Why one paper matches a query: score, fields, and spans to highlight.

    ``spans`` maps ``"title"``/``"abstract"`` to sorted, non-overlapping half-open offsets
    into the displayed ``paper.title``/``paper.abstract``.
    """

    score: float
    fields: tuple[str, ...] = ()
    spans: Mapping[str, tuple[tuple[int, int], ...]] = field(default_factory=dict)
    corrections: tuple[tuple[str, str], ...] = ()
