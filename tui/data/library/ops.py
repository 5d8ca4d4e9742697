"""Changes to the library as small operations, each of which knows how to undo itself.

:meth:`Op.apply` runs inside the caller's write transaction against the *current* database
state, as a set operation (insert what is missing, delete what is present), and returns the
operation that reverts exactly what it changed. Undo is therefore just another change through
the same safe write path, and redo is the inverse of the undo. Timestamps are fixed when an
operation is built, so a change retried later keeps the time the user made it.
"""

from __future__ import annotations

import sqlite3
from abc import ABC, abstractmethod
from dataclasses import dataclass
from enum import Enum

from ..text import fold
from .errors import ListExists, NoSuchList

Row = tuple[str, str]  # (paper id, timestamp)
Touch = tuple[str, tuple[str, ...] | None]  # (table, paper ids or None for all)


class Op(ABC):
    """One change. Operations are immutable values."""

    @abstractmethod
    def apply(self, db: sqlite3.Connection) -> Op:
        """Make the change in ``db`` (in the caller's transaction); return its inverse."""

    @abstractmethod
    def is_empty(self) -> bool:
        """Whether applying this changes nothing."""

    @abstractmethod
    def touched(self) -> tuple[Touch, ...]:
        """The tables and paper ids this may change (None: any row of the table)."""


@dataclass(frozen=True)
class Batch(Op):
    """Several operations applied in order as one change; the inverse runs them backwards."""

    ops: tuple[Op, ...] = ()

    def apply(self, db: sqlite3.Connection) -> Op:
        inverses = [op.apply(db) for op in self.ops]
        return Batch(tuple(op for op in reversed(inverses) if not op.is_empty()))

    def is_empty(self) -> bool:
        return all(op.is_empty() for op in self.ops)

    def touched(self) -> tuple[Touch, ...]:
        return tuple(item for op in self.ops for item in op.touched())


NOTHING = Batch()


@dataclass(frozen=True)
class RememberTitles(Op):
    """Record the titles of annotated papers, so papers absent from a later corpus still show.

    Titles are remembered, never forgotten: the inverse does nothing.
    """

    titles: tuple[tuple[str, str], ...]

    def apply(self, db: sqlite3.Connection) -> Op:
        db.executemany(
            "INSERT INTO papers (id, title) VALUES (?, ?) "
            "ON CONFLICT (id) DO UPDATE SET title = excluded.title",
            self.titles,
        )
        return NOTHING

    def is_empty(self) -> bool:
        return True  # no change a user would undo

    def touched(self) -> tuple[Touch, ...]:
        return (("papers", tuple(paper for paper, _ in self.titles)),)


class Mark(Enum):
    """A yes/no annotation: its table and timestamp column."""

    BOOKMARK = ("bookmarks", "added_at")
    READ = ("reads", "read_at")

    @property
    def table(self) -> str:
        return self.value[0]

    @property
    def column(self) -> str:
        return self.value[1]


@dataclass(frozen=True)
class PutMarks(Op):
    """Set a mark on papers that lack it (rows: paper id, when)."""

    mark: Mark
    rows: tuple[Row, ...]

    def apply(self, db: sqlite3.Connection) -> Op:
        sql = (
            f"INSERT OR IGNORE INTO {self.mark.table} (paper_id, {self.mark.column}) VALUES (?, ?)"
        )
        added = tuple(paper for paper, at in self.rows if db.execute(sql, (paper, at)).rowcount)
        return DropMarks(self.mark, added)

    def is_empty(self) -> bool:
        return not self.rows

    def touched(self) -> tuple[Touch, ...]:
        return ((self.mark.table, tuple(paper for paper, _ in self.rows)),)


@dataclass(frozen=True)
class DropMarks(Op):
    """Clear a mark from papers that have it; the inverse restores the original timestamps."""

    mark: Mark
    ids: tuple[str, ...]

    def apply(self, db: sqlite3.Connection) -> Op:
        table, column = self.mark.value
        removed: list[Row] = []
        for paper in self.ids:
            row = db.execute(
                f"SELECT {column} FROM {table} WHERE paper_id = ?", (paper,)
            ).fetchone()
            if row is not None:
                db.execute(f"DELETE FROM {table} WHERE paper_id = ?", (paper,))
                removed.append((paper, row[0]))
        return PutMarks(self.mark, tuple(removed))

    def is_empty(self) -> bool:
        return not self.ids

    def touched(self) -> tuple[Touch, ...]:
        return ((self.mark.table, self.ids),)


def _spelling(db: sqlite3.Connection, tag: str) -> str:
    """The spelling already used for ``tag`` (tags are the same ignoring case and accents)."""
    key = fold(tag)
    for (existing,) in db.execute("SELECT DISTINCT tag FROM tags"):
        if fold(existing) == key:
            return str(existing)
    return tag


@dataclass(frozen=True)
class PutTags(Op):
    """Tag papers (rows: paper id, when)."""

    tag: str
    rows: tuple[Row, ...]

    def apply(self, db: sqlite3.Connection) -> Op:
        tag = _spelling(db, self.tag)
        sql = "INSERT OR IGNORE INTO tags (paper_id, tag, added_at) VALUES (?, ?, ?)"
        added = tuple(
            paper for paper, at in self.rows if db.execute(sql, (paper, tag, at)).rowcount
        )
        return DropTags(tag, added)

    def is_empty(self) -> bool:
        return not self.rows

    def touched(self) -> tuple[Touch, ...]:
        return (("tags", tuple(paper for paper, _ in self.rows)),)


@dataclass(frozen=True)
class DropTags(Op):
    """Remove a tag (matched ignoring case and accents) from papers."""

    tag: str
    ids: tuple[str, ...]

    def apply(self, db: sqlite3.Connection) -> Op:
        key = fold(self.tag)
        removed: list[Row] = []
        spelling = self.tag
        for paper in self.ids:
            rows = db.execute("SELECT tag, added_at FROM tags WHERE paper_id = ?", (paper,))
            for tag, at in rows.fetchall():
                if fold(tag) == key:
                    db.execute("DELETE FROM tags WHERE paper_id = ? AND tag = ?", (paper, tag))
                    removed.append((paper, at))
                    spelling = tag
        return PutTags(spelling, tuple(removed))

    def is_empty(self) -> bool:
        return not self.ids

    def touched(self) -> tuple[Touch, ...]:
        return (("tags", self.ids),)


NOTE_SEPARATOR = "---- both versions kept: this note was saved in two places at once ----"
"""The line between two versions of a note saved at the same time (see :class:`SetNote`)."""


@dataclass(frozen=True)
class SetNote(Op):
    """Replace a paper's note; a blank text deletes it.

    ``base`` is the note the text was edited from (None: replace whatever is there). When the
    stored note has changed since (another window or process saved it), nothing is lost: the
    note becomes the stored text, :data:`NOTE_SEPARATOR` on a line, then ``text`` (a blank
    side is left out, so a deletion keeps the other's text). The inverse restores the note as
    it was, with the same protection against a note changed after this one.
    """

    paper: str
    text: str
    at: str
    base: str | None = None

    def apply(self, db: sqlite3.Connection) -> Op:
        row = db.execute(
            "SELECT text, updated_at FROM notes WHERE paper_id = ?", (self.paper,)
        ).fetchone()
        old_text, old_at = (str(row[0]), str(row[1])) if row else ("", self.at)
        text = self.text
        if self.base is not None and old_text not in (self.base, text) and old_text.strip():
            # saved elsewhere since this text was edited from base: keep both
            both = old_text.rstrip("\n") + f"\n\n{NOTE_SEPARATOR}\n\n" + text
            text = both if text.strip() else old_text
        if text == old_text or not (text.strip() or row):
            return NOTHING
        if text.strip():
            db.execute(
                "INSERT INTO notes (paper_id, text, updated_at) VALUES (?, ?, ?) ON CONFLICT "
                "(paper_id) DO UPDATE SET text = excluded.text, updated_at = excluded.updated_at",
                (self.paper, text, self.at),
            )
        else:
            db.execute("DELETE FROM notes WHERE paper_id = ?", (self.paper,))
            text = ""
        return SetNote(self.paper, old_text, old_at, base=text)

    def is_empty(self) -> bool:
        return False

    def touched(self) -> tuple[Touch, ...]:
        return (("notes", (self.paper,)),)


# --- reading lists -----------------------------------------------------------------------

ListItem = tuple[str, int, str]  # (paper id, position, added at)


def find_list(db: sqlite3.Connection, name: str) -> tuple[int, str, str]:
    """(row id, name as stored, created at) of the list called ``name``, ignoring case."""
    row = db.execute(
        "SELECT id, name, created_at FROM lists WHERE key = ?", (fold(name),)
    ).fetchone()
    if row is None:
        raise NoSuchList(f"no reading list named {name!r}")
    return int(row[0]), str(row[1]), str(row[2])


def _check_free(db: sqlite3.Connection, name: str) -> None:
    row = db.execute("SELECT name FROM lists WHERE key = ?", (fold(name),)).fetchone()
    if row is not None:
        raise ListExists(f"a reading list named {row[0]!r} already exists")


@dataclass(frozen=True)
class CreateList(Op):
    """Create a list, optionally with its papers (restoring a deleted list)."""

    name: str
    at: str
    items: tuple[ListItem, ...] = ()

    def apply(self, db: sqlite3.Connection) -> Op:
        _check_free(db, self.name)
        cursor = db.execute(
            "INSERT INTO lists (key, name, created_at) VALUES (?, ?, ?)",
            (fold(self.name), self.name, self.at),
        )
        db.executemany(
            "INSERT INTO list_items (list_id, paper_id, position, added_at) VALUES (?, ?, ?, ?)",
            [(cursor.lastrowid, *item) for item in self.items],
        )
        return DeleteList(self.name)

    def is_empty(self) -> bool:
        return False

    def touched(self) -> tuple[Touch, ...]:
        return (("lists", None),)


@dataclass(frozen=True)
class EnsureList(Op):
    """Create a list unless one with that name exists (the inverse deletes it only if made)."""

    name: str
    at: str

    def apply(self, db: sqlite3.Connection) -> Op:
        try:
            find_list(db, self.name)
        except NoSuchList:
            return CreateList(self.name, self.at).apply(db)
        return NOTHING

    def is_empty(self) -> bool:
        return False

    def touched(self) -> tuple[Touch, ...]:
        return (("lists", None),)


@dataclass(frozen=True)
class DeleteList(Op):
    """Delete a list and its membership records (the papers' other annotations stay)."""

    name: str

    def apply(self, db: sqlite3.Connection) -> Op:
        list_id, name, created_at = find_list(db, self.name)
        items = db.execute(
            "SELECT paper_id, position, added_at FROM list_items WHERE list_id = ? "
            "ORDER BY position, rowid",
            (list_id,),
        ).fetchall()
        db.execute("DELETE FROM list_items WHERE list_id = ?", (list_id,))
        db.execute("DELETE FROM lists WHERE id = ?", (list_id,))
        return CreateList(name, created_at, tuple((str(p), int(n), str(a)) for p, n, a in items))

    def is_empty(self) -> bool:
        return False

    def touched(self) -> tuple[Touch, ...]:
        return (("lists", None),)


@dataclass(frozen=True)
class RenameList(Op):
    """Rename a list (a change of case alone is allowed)."""

    old: str
    new: str

    def apply(self, db: sqlite3.Connection) -> Op:
        list_id, name, _ = find_list(db, self.old)
        if fold(self.new) != fold(name):
            _check_free(db, self.new)
        db.execute(
            "UPDATE lists SET key = ?, name = ? WHERE id = ?", (fold(self.new), self.new, list_id)
        )
        return RenameList(self.new, name)

    def is_empty(self) -> bool:
        return self.old == self.new

    def touched(self) -> tuple[Touch, ...]:
        return (("lists", None),)


@dataclass(frozen=True)
class PutListItems(Op):
    """Add papers to a list; a position of -1 appends."""

    name: str
    items: tuple[ListItem, ...]

    def apply(self, db: sqlite3.Connection) -> Op:
        list_id, _, _ = find_list(db, self.name)
        added: list[str] = []
        for paper, position, at in self.items:
            if position < 0:
                (last,) = db.execute(
                    "SELECT COALESCE(MAX(position), -1) FROM list_items WHERE list_id = ?",
                    (list_id,),
                ).fetchone()
                position = int(last) + 1
            cursor = db.execute(
                "INSERT OR IGNORE INTO list_items (list_id, paper_id, position, added_at) "
                "VALUES (?, ?, ?, ?)",
                (list_id, paper, position, at),
            )
            if cursor.rowcount:
                added.append(paper)
        return DropListItems(self.name, tuple(added))

    def is_empty(self) -> bool:
        return not self.items

    def touched(self) -> tuple[Touch, ...]:
        return (("lists", None),)


@dataclass(frozen=True)
class DropListItems(Op):
    """Remove papers from a list; the inverse puts them back where they were."""

    name: str
    ids: tuple[str, ...]

    def apply(self, db: sqlite3.Connection) -> Op:
        list_id, _, _ = find_list(db, self.name)
        removed: list[ListItem] = []
        for paper in self.ids:
            row = db.execute(
                "SELECT position, added_at FROM list_items WHERE list_id = ? AND paper_id = ?",
                (list_id, paper),
            ).fetchone()
            if row is not None:
                db.execute(
                    "DELETE FROM list_items WHERE list_id = ? AND paper_id = ?", (list_id, paper)
                )
                removed.append((paper, int(row[0]), str(row[1])))
        return PutListItems(self.name, tuple(removed))

    def is_empty(self) -> bool:
        return not self.ids

    def touched(self) -> tuple[Touch, ...]:
        return (("lists", None),)
