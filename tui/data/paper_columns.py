"""Papers kept column by column, for corpora of a million papers.

:class:`PaperColumns` is what the structured readers fill and the cache stores: one plain
list per field, no ``Paper`` objects (a million of them cost seconds and gigabytes).
:class:`~tui.data.structured.ColumnTable` shows them as a ``Sequence[Paper]``.
"""

from __future__ import annotations

import re
from array import array
from bisect import bisect_right
from collections.abc import Callable, Iterable, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING, overload

from .text import find_urls

if TYPE_CHECKING:
    from .models import Paper

ARXIV_ABS = "https://arxiv.org/abs/"
"""An arXiv paper's page is this followed by its id."""

_AFFILIATION = re.compile(r"\s*\([^()]*\)")
_AUTHOR_SEPARATOR = re.compile(r"\s*,\s*(?:and\s+)?|\s+and\s+|\s*;\s*")


@dataclass
class PaperColumns:
    """Papers read from structured inputs, one list per field.

    ``authors`` is the author count (None when unknown), ``author_names`` the authors as
    written (``"A. One, B. Two and C. Three"``; ``""`` when unknown), ``categories``
    space-separated. ``years`` is None and ``months``/``days`` 0 for a paper without a
    date. ``lines[i]`` is the 1-based line of paper ``i`` in its file; ``files[k]`` holds
    the papers from position ``starts[k]`` on. ``extra_sources`` maps a paper to the other
    places it was read (the duplicates merged into it). ``abstracts`` may be read from
    disk on demand (:class:`~tui.data.cache.DiskStrings`,
    :class:`~tui.data.line_abstracts.LineAbstracts`, several files' joined by
    :class:`JoinedStrings`); every other column is a list.
    """

    ids: list[str] = field(default_factory=list)
    titles: list[str] = field(default_factory=list)
    abstracts: Sequence[str] = field(default_factory=list)
    authors: list[int | None] = field(default_factory=list)
    author_names: list[str] = field(default_factory=list)
    categories: list[str] = field(default_factory=list)
    upvotes: list[int | None] = field(default_factory=list)
    years: list[int | None] = field(default_factory=list)
    months: list[int] = field(default_factory=list)
    days: list[int] = field(default_factory=list)
    lines: array[int] = field(default_factory=lambda: array("I"))
    files: list[str] = field(default_factory=list)
    starts: list[int] = field(default_factory=list)
    extra_sources: dict[int, list[tuple[str, int]]] = field(default_factory=dict)
    title_keys: list[str] | Callable[[], list[str] | None] | None = None
    """The titles' search keys, when the reader made them while it waited for the papers,
    or what reads them from the cache; None once papers are added some other way."""

    LISTS = (
        "ids",
        "titles",
        "abstracts",
        "authors",
        "author_names",
        "categories",
        "upvotes",
        "years",
        "months",
        "days",
    )
    """The names of the per-paper list columns."""

    def __len__(self) -> int:
        return len(self.ids)

    def extend(self, other: PaperColumns, keep: Iterable[int] | None = None) -> None:
        """Append ``other``'s papers, or only those at the positions ``keep`` (ascending)."""
        offset = len(self)
        self.title_keys = None
        if keep is None:
            for name in self.LISTS:
                if name != "abstracts":
                    getattr(self, name).extend(getattr(other, name))
            self._add_abstracts(other.abstracts)
            self.lines.extend(other.lines)
            self.files.extend(other.files)
            self.starts.extend(start + offset for start in other.starts)
            for position, sources in other.extra_sources.items():
                self.extra_sources[position + offset] = list(sources)
            return
        kept = list(keep)
        for position in kept:
            file, line = other.source(position)
            self.add_file(file)
            for name in self.LISTS:
                if name != "abstracts":
                    getattr(self, name).append(getattr(other, name)[position])
            self.lines.append(line)
            extra = other.extra_sources.get(position)
            if extra:
                self.extra_sources[len(self) - 1] = list(extra)
        abstracts = other.abstracts
        self._add_abstracts(
            [abstracts[p] for p in kept] if isinstance(abstracts, list) else Picked(abstracts, kept)
        )

    def _add_abstracts(self, more: Sequence[str]) -> None:
        """Append ``more`` abstracts, leaving those on disk there."""
        if isinstance(self.abstracts, list) and isinstance(more, list):
            self.abstracts.extend(more)
            return
        if not isinstance(self.abstracts, JoinedStrings):
            self.abstracts = JoinedStrings(self.abstracts)
        self.abstracts.add(more)

    def add_file(self, file: str) -> None:
        """Start a range of papers from ``file`` unless the last range is that file's."""
        if not self.files or self.files[-1] != file:
            self.files.append(file)
            self.starts.append(len(self))

    def add_paper(self, paper: Paper) -> None:
        """Append a ``Paper`` (from a text capture) as one more row."""
        first, *others = paper.sources
        self.add_file(first.file)
        self.title_keys = None
        date = paper.date
        self.ids.append(paper.id)
        self.titles.append(paper.title)
        self._add_abstracts([paper.abstract])
        self.authors.append(paper.authors)
        self.author_names.append(", ".join(paper.author_names))
        self.categories.append(" ".join(paper.categories))
        self.upvotes.append(paper.upvotes)
        self.years.append(date.year if date else None)
        self.months.append(date.month if date else 0)
        self.days.append(date.day if date else 0)
        self.lines.append(first.line)
        if others:
            self.extra_sources[len(self) - 1] = [(s.file, s.line) for s in others]

    def source(self, position: int) -> tuple[str, int]:
        """The file and line paper ``position`` was first read at."""
        return self.files[bisect_right(self.starts, position) - 1], self.lines[position]


class LazyStrings(Sequence[str]):
    """A sequence of strings read only when asked for (from disk, say): a subclass gives
    ``__len__`` and :meth:`_read`, which reads a run of neighbours at once."""

    @overload
    def __getitem__(self, index: int) -> str: ...

    @overload
    def __getitem__(self, index: slice) -> list[str]: ...

    def __getitem__(self, index: int | slice) -> str | list[str]:
        length = len(self)
        if isinstance(index, slice):
            start, stop, step = index.indices(length)
            if step != 1:
                return [self._read(i, i + 1)[0] for i in range(start, stop, step)]
            return self._read(start, stop) if start < stop else []
        if index < 0:
            index += length
        if not 0 <= index < length:
            raise IndexError(f"{type(self).__name__} index out of range")
        return self._read(index, index + 1)[0]

    def _read(self, start: int, stop: int) -> list[str]:
        """The strings from ``start`` to ``stop`` (``0 <= start < stop <= len(self)``)."""
        raise NotImplementedError


class JoinedStrings(LazyStrings):
    """Sequences of strings read as one, none of them read in advance: how the abstracts
    of several files, some left on disk, are put together (:meth:`PaperColumns.extend`)."""

    def __init__(self, first: Sequence[str]) -> None:
        self._parts: list[Sequence[str]] = []
        self._starts: list[int] = []
        self._length = 0
        self.add(first)

    def add(self, part: Sequence[str]) -> None:
        """Append the strings of ``part`` (a list is copied; other sequences are kept)."""
        if isinstance(part, list) and self._parts and isinstance(self._parts[-1], list):
            self._parts[-1].extend(part)  # a list of this sequence's own
        else:
            self._parts.append(list(part) if isinstance(part, list) else part)
            self._starts.append(self._length)
        self._length += len(part)

    def __len__(self) -> int:
        return self._length

    def _read(self, start: int, stop: int) -> list[str]:
        found: list[str] = []
        while start < stop:  # a slice of each part in turn
            k = bisect_right(self._starts, start) - 1
            begin = self._starts[k]
            end = min(stop, begin + len(self._parts[k]))
            found.extend(self._parts[k][start - begin : end - begin])
            start = end
        return found


class Picked(LazyStrings):
    """The strings of ``strings`` at ``positions`` (ascending), read only when asked for;
    each run of neighbouring positions is read as one slice of ``strings``."""

    def __init__(self, strings: Sequence[str], positions: list[int]) -> None:
        self._strings = strings
        self._positions = positions

    def __len__(self) -> int:
        return len(self._positions)

    def _read(self, start: int, stop: int) -> list[str]:
        positions = self._positions
        found: list[str] = []
        while start < stop:
            end = start + 1
            while end < stop and positions[end] == positions[end - 1] + 1:
                end += 1
            found.extend(self._strings[positions[start] : positions[end - 1] + 1])
            start = end
        return found


def is_arxiv_id(paper_id: str) -> bool:
    """Whether ``paper_id`` is an arXiv id (title-derived ids are 16 hex digits)."""
    return "." in paper_id or "/" in paper_id


def paper_urls(paper_id: str, abstract: str) -> tuple[str, ...]:
    """A paper's links: its arXiv page first for an arXiv id, then those in the abstract."""
    urls = find_urls(abstract)
    if not is_arxiv_id(paper_id):
        return urls
    page = ARXIV_ABS + paper_id
    return (page, *(url for url in urls if url != page))


def split_authors(names: str) -> tuple[str, ...]:
    """The names in an authors string: ``"A. One, B. Two and C. Three"`` -> three names.

    Parenthesised affiliations (``"A. One (MIT)"``) are dropped.
    """
    if not names:
        return ()
    if "(" in names:
        names = _AFFILIATION.sub("", _AFFILIATION.sub("", names))
    return tuple(name.strip() for name in _AUTHOR_SEPARATOR.split(names) if name.strip())
