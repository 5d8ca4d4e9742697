"""A snapshot of the library in memory, and the queries the reader, search and CLI ask of it.

Queries never touch the disk: they read a :class:`LibraryView`, an immutable snapshot that
the store rebuilds after each change and when another process has written.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from collections.abc import Iterable, Mapping, Set
from dataclasses import dataclass, field, replace
from functools import cached_property
from typing import Any

from ..text import fold
from .models import Annotation, Complement, ReadingList
from .names import list_key
from .ops import Touch


class Queries(ABC):
    """The read side of the library, shared by :class:`LibraryView` and the store."""

    @abstractmethod
    def view(self) -> LibraryView:
        """The snapshot the queries answer from."""

    def is_bookmarked(self, paper_id: str) -> bool:
        """Whether the paper is bookmarked."""
        return paper_id in self.view().bookmarked_at

    def is_read(self, paper_id: str) -> bool:
        """Whether the paper is marked read."""
        return paper_id in self.view().read_at

    def bookmarked_ids(self) -> frozenset[str]:
        """The ids of the bookmarked papers."""
        return self.view().bookmarked

    def read_ids(self) -> frozenset[str]:
        """The ids of the papers marked read."""
        return self.view().read

    def bookmarks(self) -> tuple[Annotation, ...]:
        """The bookmarked papers' annotations, oldest bookmark first."""
        view = self.view()
        order = sorted(view.bookmarked_at.items(), key=lambda item: (item[1], item[0]))
        return tuple(view.annotation(paper_id) for paper_id, _ in order)

    def tags_of(self, paper_id: str) -> tuple[str, ...]:
        """The paper's tags, sorted ignoring case."""
        return self.view().tags.get(paper_id, ())

    def all_tags(self) -> dict[str, int]:
        """Every tag in use and how many papers carry it, sorted ignoring case."""
        return {name: len(ids) for name, ids in self.view().tag_index.values()}

    def note(self, paper_id: str) -> str:
        """The paper's note ("" when it has none)."""
        return self.view().notes.get(paper_id, "")

    def lists(self) -> tuple[ReadingList, ...]:
        """Every reading list, sorted by name ignoring case."""
        return self.view().reading_lists

    def reading_list(self, name: str) -> ReadingList | None:
        """The list called ``name`` (ignoring case, accents and spacing), or None."""
        return self.view().list_index.get(list_key(name))

    def lists_of(self, paper_id: str) -> tuple[str, ...]:
        """The names of the lists the paper is on."""
        return self.view().membership.get(paper_id, ())

    def title(self, paper_id: str) -> str | None:
        """The title remembered for the paper when it was annotated, if any."""
        return self.view().titles.get(paper_id)

    def annotation(self, paper_id: str) -> Annotation:
        """Everything known about the paper (an empty record when nothing is)."""
        view = self.view()
        return Annotation(
            id=paper_id,
            title=view.titles.get(paper_id),
            bookmarked_at=view.bookmarked_at.get(paper_id),
            read_at=view.read_at.get(paper_id),
            tags=view.tags.get(paper_id, ()),
            note=view.notes.get(paper_id, ""),
            lists=view.membership.get(paper_id, ()),
        )

    def annotated_ids(self) -> frozenset[str]:
        """Every paper with any annotation, including papers absent from the current corpus."""
        return self.view().annotated

    def ids(self, kind: str, value: str) -> Set[str] | None:
        """The search filters' answer: the ids matching ``kind:value``, or None if unknown.

        - ``("is", "bookmarked")`` and ``("is", "read")``: a ``frozenset``;
        - ``("is", "unread")``: a :class:`Complement` of the read ids (membership is exact;
          intersect it with the candidate ids, or call ``.within(all_ids)``);
        - ``("tag", NAME)``, ``("list", NAME)``: a ``frozenset`` of the ids with that tag, on
          that list (names match ignoring case and accents), or None when there is no such
          tag or list;
        - anything else: None.
        """
        view = self.view()
        kind, value = fold(kind.strip()), value.strip()
        if kind == "is":
            state = fold(value)
            if state == "bookmarked":
                return view.bookmarked
            if state == "read":
                return view.read
            if state == "unread":
                return Complement(view.read)
            return None
        if kind == "tag":
            entry = view.tag_index.get(fold(value))
            return entry[1] if entry else None
        if kind == "list":
            found = view.list_index.get(list_key(value))
            return frozenset(found.ids) if found else None
        return None


@dataclass(frozen=True)
class LibraryView(Queries):
    """An immutable snapshot of the library. Two views are equal when their annotations are
    (remembered titles are not compared)."""

    bookmarked_at: Mapping[str, str] = field(default_factory=dict)  # id -> when
    read_at: Mapping[str, str] = field(default_factory=dict)  # id -> when
    tags: Mapping[str, tuple[str, ...]] = field(default_factory=dict)  # id -> sorted tags
    notes: Mapping[str, str] = field(default_factory=dict)
    reading_lists: tuple[ReadingList, ...] = ()  # sorted by folded name
    titles: Mapping[str, str] = field(default_factory=dict, compare=False)

    def view(self) -> LibraryView:
        return self

    @cached_property
    def bookmarked(self) -> frozenset[str]:
        """The bookmarked ids as a set."""
        return frozenset(self.bookmarked_at)

    @cached_property
    def read(self) -> frozenset[str]:
        """The read ids as a set."""
        return frozenset(self.read_at)

    @cached_property
    def tag_index(self) -> dict[str, tuple[str, frozenset[str]]]:
        """Folded tag -> (tag as spelled, ids), sorted by folded tag."""
        found: dict[str, tuple[str, set[str]]] = {}
        for paper_id, tags in self.tags.items():
            for tag in tags:
                found.setdefault(fold(tag), (tag, set()))[1].add(paper_id)
        return {key: (name, frozenset(ids)) for key, (name, ids) in sorted(found.items())}

    @cached_property
    def list_index(self) -> dict[str, ReadingList]:
        """:func:`~.names.list_key` -> list."""
        return {list_key(item.name): item for item in self.reading_lists}

    @cached_property
    def membership(self) -> dict[str, tuple[str, ...]]:
        """Paper id -> names of the lists it is on."""
        found: dict[str, list[str]] = {}
        for item in self.reading_lists:
            for paper_id in item.ids:
                found.setdefault(paper_id, []).append(item.name)
        return {paper_id: tuple(names) for paper_id, names in found.items()}

    @cached_property
    def annotated(self) -> frozenset[str]:
        """Every id with any annotation."""
        return frozenset(
            {*self.bookmarked_at, *self.read_at, *self.tags, *self.notes, *self.membership}
        )


EMPTY = LibraryView()

#: Each table's rows as (paper id, value), and the view field holding them.
_TABLES = {
    "bookmarks": ("SELECT paper_id, added_at FROM bookmarks", "paper_id", "bookmarked_at"),
    "reads": ("SELECT paper_id, read_at FROM reads", "paper_id", "read_at"),
    "tags": ("SELECT paper_id, tag FROM tags", "paper_id", "tags"),
    "notes": ("SELECT paper_id, text FROM notes", "paper_id", "notes"),
    "papers": ("SELECT id, title FROM papers", "id", "titles"),
}
_CHUNK = 500  # ids per query, well under SQLite's limit on parameters


def read_view(
    db: sqlite3.Connection,
    base: LibraryView | None = None,
    touched: Iterable[Touch] = (),
) -> LibraryView:
    """Read the library from ``db`` in one read transaction (a consistent snapshot).

    With a ``base`` view, re-read only the ``touched`` rows (the ones this process just
    changed) and keep the rest of ``base``: the cost of a change is then proportional to the
    papers it touched, not to the size of the library.
    """
    wanted: dict[str, set[str] | None] = {}
    if base is None:
        wanted = dict.fromkeys([*_TABLES, "lists"])
    else:
        for table, paper_ids in touched:
            known = wanted.get(table, set())
            wanted[table] = None if paper_ids is None or known is None else known | set(paper_ids)
    changes: dict[str, Any] = {}
    db.execute("BEGIN")
    try:
        for table, ids in wanted.items():
            if table == "lists":
                changes["reading_lists"] = _read_lists(db)
                continue
            rows = _rows(db, table, ids)
            name = _TABLES[table][2]
            values: dict[str, Any] = {}
            if table == "tags":
                grouped: dict[str, list[str]] = {}
                for paper_id, tag in rows:
                    grouped.setdefault(paper_id, []).append(tag)
                values = {key: tuple(sorted(tags, key=fold)) for key, tags in grouped.items()}
            else:
                values = dict(rows)  # the columns are TEXT NOT NULL
            if base is not None and ids is not None:
                kept = dict(getattr(base, name))
                for paper_id in ids:
                    kept.pop(paper_id, None)
                kept.update(values)
                values = kept
            changes[name] = values
    finally:
        db.execute("COMMIT")
    return replace(base, **changes) if base is not None else LibraryView(**changes)


def _rows(db: sqlite3.Connection, table: str, ids: set[str] | None) -> list[tuple[str, str]]:
    sql, key, _ = _TABLES[table]
    if ids is None:
        return db.execute(sql).fetchall()
    found: list[tuple[str, str]] = []
    wanted = sorted(ids)
    for start in range(0, len(wanted), _CHUNK):
        part = wanted[start : start + _CHUNK]
        marks = ", ".join("?" * len(part))
        found += db.execute(f"{sql} WHERE {key} IN ({marks})", part).fetchall()
    return found


def _read_lists(db: sqlite3.Connection) -> tuple[ReadingList, ...]:
    members: dict[int, list[str]] = {}
    rows = db.execute("SELECT list_id, paper_id FROM list_items ORDER BY position, rowid")
    for list_id, paper_id in rows.fetchall():
        members.setdefault(list_id, []).append(paper_id)
    lists = [
        ReadingList(name, created, tuple(members.get(list_id, ())))
        for list_id, name, created in db.execute("SELECT id, name, created_at FROM lists")
    ]
    return tuple(sorted(lists, key=lambda item: fold(item.name)))
