"""Where the query matched, per paper: computed off the UI thread, cached per query.

Explaining a match (``SearchIndex.explain``) is pure Python and, while a search runs in
another thread, can wait on the GIL for tens of milliseconds; it never runs while a frame is
drawn. The list and the detail pane ask :class:`Highlights` for a paper's spans: a paper
explained for the current query answers at once; otherwise the spans of the previous query
stand in (they are nearly always right one keystroke later) and the paper is queued for the
explain worker, whose answer redraws the row. The first page of a complete result is
explained by the search worker itself, right after the result is drawn: those papers are
*expected*, not queued.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping

from ..display import Spans

FieldSpans = Mapping[str, Spans]
"""Match ranges per field (``"title"``, ``"abstract"``)."""

NOTHING: FieldSpans = {}


class Highlights:
    """The match spans of the papers on screen, for one query at a time."""

    def __init__(self) -> None:
        self.query = ""
        """The query the spans are for."""
        self.generation = 0
        """Bumped with every new query, so late answers for an old one are dropped."""
        self._found: dict[int, FieldSpans] = {}
        self._previous: dict[int, FieldSpans] = {}
        self._pending: set[int] = set()
        self._expected: set[int] = set()

    def reset(self, query: str) -> None:
        """A new query: forget its spans (keeping the last ones as stand-ins)."""
        if query == self.query:
            return
        self.generation += 1
        self._previous = self._found if query.strip() else {}
        self._found = {}
        self._pending.clear()
        self._expected.clear()
        self.query = query

    def spans(self, position: int) -> FieldSpans:
        """The spans of ``position``; queues it when they are not known yet."""
        if not self.query.strip():
            return NOTHING
        found = self._found.get(position)
        if found is not None:
            return found
        if position not in self._expected:
            self._pending.add(position)
        return self._previous.get(position, NOTHING)

    @property
    def pending(self) -> bool:
        """Whether some papers wait to be explained."""
        return bool(self._pending)

    def expect(self, positions: Iterable[int]) -> None:
        """The search worker is explaining ``positions`` (the first page of a complete
        result): they are not queued, and what was queued for earlier stages is dropped."""
        self._expected = set(positions)
        self._pending.clear()

    def expected(self, position: int) -> bool:
        """Whether the search worker's spans for ``position`` are still to come."""
        return position in self._expected and position not in self._found

    def take_pending(self) -> list[int]:
        """The positions waiting to be explained (and forget that they wait)."""
        pending = sorted(self._pending)
        self._pending.clear()
        return pending

    def add(self, generation: int, found: Mapping[int, FieldSpans]) -> Iterable[int]:
        """Store the worker's answer; returns the positions it covered (none if stale)."""
        if generation != self.generation:
            return ()
        self._found.update(found)
        return found.keys()

    def add_for(self, query: str, found: Mapping[int, FieldSpans]) -> None:
        """Store spans the search worker computed for a result for ``query``."""
        self.reset(query)
        self._found.update(found)
        self._expected.difference_update(found)
