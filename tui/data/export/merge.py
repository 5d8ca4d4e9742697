"""Merging an import file into the library: matching its papers, planning, applying, undoing.

Rules (documented in ``docs/export.md``):

- A paper is matched by its id (when the paper is in the corpus or the library), else by
  its title: the id is derived from the normalised title, so a hand-written ``- [ ] Title``
  matches whatever the case, accents or punctuation. Anything else is reported, not guessed.
- Bookmarks, tags and list membership are only ever *added*; read status is set to what the
  file says (ticked or not); a note is set when the file has one for the paper (a paper
  without a note in the file keeps its note). Import never deletes anything else.
- The whole import is one change: one undoable step in the reader (``store.batch``), and
  from the command line it is recorded so ``paperview import --undo`` reverts it, with what
  the import left, so that what the user changed since is kept (:class:`ImportUndo`).
- Importing the same file again changes nothing.
"""

from __future__ import annotations

import json
from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import Any

from ..atomic import write_atomic
from ..library import LibraryStore, LibraryView, Queries, ReadingList, Target
from ..lookup import PapersById
from ..models import Paper
from ..text import fold, paper_id
from .markdown import note_lines
from .records import ImportDocument, ImportEntry

UNDO_FILENAME = "last-import.json"


@dataclass(frozen=True)
class ImportPlan:
    """What importing a file would change, and what could not be matched.

    Every change names papers as targets (a :class:`Named` id and title when the corpus has
    the paper, so its title is remembered, else the bare id).
    """

    file: str
    matched: int
    bookmark: tuple[Target, ...] = ()
    mark_read: tuple[Target, ...] = ()
    mark_unread: tuple[Target, ...] = ()
    tags: tuple[tuple[str, tuple[Target, ...]], ...] = ()
    notes: tuple[tuple[Target, str, str], ...] = ()  # (paper, new text, old text)
    lists: tuple[tuple[str, tuple[Target, ...], bool], ...] = ()  # (name, papers, new list)
    read_before: tuple[tuple[str, str], ...] = ()  # (paper, when read) of each in mark_unread
    unmatched: tuple[str, ...] = ()
    problems: tuple[str, ...] = ()

    @property
    def changes(self) -> int:
        """How many papers' annotations change, counted per kind of change."""
        return (
            len(self.bookmark)
            + len(self.mark_read)
            + len(self.mark_unread)
            + sum(len(papers) for _, papers in self.tags)
            + len(self.notes)
            + sum(len(papers) for _, papers, _ in self.lists)
        )

    @property
    def found_nothing(self) -> bool:
        """Whether the file had entries (or damaged ones) but none matched a paper."""
        return not self.matched and bool(self.unmatched or self.problems)

    def report(self, *, dry_run: bool = False) -> list[str]:
        """One line per kind of change, then one per paper not matched and per problem."""
        verb = (lambda text: f"would {text}") if dry_run else _past
        lines: list[str] = []
        if self.bookmark:
            lines.append(verb(f"bookmark {_papers(self.bookmark)}"))
        if self.mark_read:
            lines.append(verb(f"mark {_papers(self.mark_read)} read"))
        if self.mark_unread:
            lines.append(verb(f"mark {_papers(self.mark_unread)} unread"))
        for tag, papers in self.tags:
            lines.append(verb(f"tag {_papers(papers)} {tag!r}"))
        if self.notes:
            lines.append(verb(f"set the note of {_papers(self.notes)}"))
        for name, papers, new in self.lists:
            extra = " (a new list)" if new else ""
            lines.append(verb(f"add {_papers(papers)} to {name!r}{extra}"))
        if self.found_nothing:
            done = "nothing to import" if dry_run else "nothing imported"
            where = "the corpus or the library"
            lines.append(f"{done}: no paper of {self.file} was found in {where}")
        elif not lines:
            lines.append(f"nothing to change: the library already matches {self.file}")
        lines += [f"could not match {item}" for item in self.unmatched]
        lines += self.problems
        return lines


def _past(text: str) -> str:
    verb, _, rest = text.partition(" ")
    done = {"bookmark": "bookmarked", "mark": "marked", "tag": "tagged", "set": "set"}
    return f"{done.get(verb, verb + 'ed')} {rest}"


def _papers(items: Sequence[object]) -> str:
    return "1 paper" if len(items) == 1 else f"{len(items)} papers"


@dataclass(frozen=True, slots=True)
class Named:
    """A corpus paper as a change names it: its id and title (building the whole paper from
    a big corpus's table reads its abstract from disk, about 60 µs a paper)."""

    id: str
    title: str


def plan_import(document: ImportDocument, papers: Sequence[Paper], library: Queries) -> ImportPlan:
    """Match the document's entries and work out what importing it would change."""
    library = library.view()  # one consistent snapshot
    corpus = PapersById(papers)
    titles: Sequence[str] | None = getattr(papers, "titles", None)  # a table's column
    known = library.annotated_ids()
    seen: dict[str, str] = {}
    unmatched: list[str] = []
    problems = list(document.problems)
    matches: list[tuple[ImportEntry, str]] = []
    for entry in document.entries:
        found = _match(entry, corpus, known)
        if found is None:
            unmatched.append(_describe(entry))
        elif found in seen:
            problems.append(f"{entry.where}: the same paper as {seen[found]}; ignored")
        else:
            seen[found] = entry.where
            matches.append((entry, found))

    named: dict[str, Target] = {}

    def target(paper: str) -> Target:
        found = named.get(paper)
        if found is None:
            position = corpus.positions.get(paper)
            if position is None:
                found = paper
            else:
                title = titles[position] if titles is not None else papers[position].title
                found = Named(paper, title)
            named[paper] = found
        return found

    bookmark, mark_read, mark_unread = [], [], []
    read_before: list[tuple[str, str]] = []
    tags: dict[str, tuple[str, list[Target]]] = {}
    notes: list[tuple[Target, str, str]] = []
    lists: dict[str, tuple[str, list[Target], bool]] = {}
    for entry, found in matches:
        if entry.bookmarked and not library.is_bookmarked(found):
            bookmark.append(target(found))
        if entry.read is True and not library.is_read(found):
            mark_read.append(target(found))
        elif entry.read is False and library.is_read(found):
            mark_unread.append(target(found))
            read_before.append((found, library.read_at[found]))
        has = {fold(tag) for tag in library.tags_of(found)}
        for tag in entry.tags:
            if fold(tag) not in has:
                tags.setdefault(fold(tag), (tag, []))[1].append(target(found))
        old_note = library.note(found)
        if entry.note is not None and note_lines(entry.note) != note_lines(old_note):
            notes.append((target(found), entry.note, old_note))
        for name in entry.lists:
            existing = library.reading_list(name)
            if existing is None or found not in existing.ids:
                key = fold(name)
                spelled = existing.name if existing is not None else name
                lists.setdefault(key, (spelled, [], existing is None))[1].append(target(found))
    for key, (_, items, _) in lists.items():  # a JSON export gives each list's order
        _sort_by(items, document.list_order.get(key, ()))
    return ImportPlan(
        file=document.file,
        matched=len(matches),
        bookmark=tuple(bookmark),
        mark_read=tuple(mark_read),
        mark_unread=tuple(mark_unread),
        tags=tuple((tag, tuple(items)) for tag, items in tags.values()),
        notes=tuple(notes),
        lists=tuple((name, tuple(items), new) for name, items, new in lists.values()),
        read_before=tuple(read_before),
        unmatched=tuple(unmatched),
        problems=tuple(problems),
    )


def _sort_by(items: list[Target], order: Sequence[str]) -> None:
    """Sort ``items`` (in place, stably) by their ids' positions in ``order``; others last."""
    position = {paper: index for index, paper in enumerate(order)}
    items.sort(key=lambda item: position.get(_ids([item])[0], len(position)))


def _match(entry: ImportEntry, corpus: Mapping[str, Paper], known: frozenset[str]) -> str | None:
    if entry.id and (entry.id in corpus or entry.id in known):
        return entry.id
    if entry.title:
        derived = paper_id(entry.title)
        if derived in corpus or derived in known:
            return derived
    return None


def _describe(entry: ImportEntry) -> str:
    title = repr(_short(entry.title)) if entry.title else "(no title)"
    named = f"id {entry.id} or title {title}" if entry.id else f"title {title}"
    return f"{entry.where}: no paper with {named} in the corpus or the library"


def _short(text: str, width: int = 80) -> str:
    return text if len(text) <= width else text[: width - 1] + "…"


def apply_import(plan: ImportPlan, store: LibraryStore) -> str | None:
    """Make the planned changes as one undoable change; returns its description, or None
    when there was nothing to change. Raises the store's ``LibraryError`` on failure (then
    nothing was changed)."""
    if not plan.changes:
        return None
    description = f"import {Path(plan.file).name}"
    with store.batch(description):
        if plan.bookmark:
            store.bookmark(plan.bookmark, in_order=True)  # the file's order
        if plan.mark_read:
            store.mark_read(plan.mark_read)
        if plan.mark_unread:
            store.mark_unread(plan.mark_unread)
        for tag, papers in plan.tags:
            store.add_tag(tag, papers)
        for paper, text, old in plan.notes:
            store.set_note(paper, text, base=old)  # a note saved meanwhile is kept too
        for name, papers, _ in plan.lists:
            store.add_to_list(name, papers, create=True)
    return description


# --- undoing an import made from the command line -------------------------------------------


def _ids(targets: Iterable[Target]) -> list[str]:
    return [item if isinstance(item, str) else item.id for item in targets]


UNDO_FORMAT = "paperview-import-undo"
UNDO_VERSION = 2
"""The undo record's version. Version 1 (the first release) lacked what the import left."""

Marked = tuple[str, str | None]  # (paper, the mark's time; None: not recorded)


@dataclass(frozen=True)
class ImportUndo:
    """How to revert an applied import: the reverse of each change it made, with what the
    import left, so that a change the user made since is kept rather than reverted.

    ``None`` for what the import left means the record does not say (a version-1 record):
    bookmarks, read marks and lists are then reverted whatever their time, a list is found by
    its name only, and a note is treated as edited since the import unless it is blank or the
    note from before it. A paper the import marked unread is marked read again with the time
    it was read before, or (not recorded) now.
    """

    file: str
    unbookmark: tuple[Marked, ...] = ()  # bookmarks the import made, with their time
    mark_unread: tuple[Marked, ...] = ()  # papers it marked read, with the time
    mark_read: tuple[Marked, ...] = ()  # papers it marked unread, with when they were read
    untag: tuple[tuple[str, tuple[str, ...]], ...] = ()
    notes: tuple[tuple[str, str, str | None], ...] = ()  # (paper, before, after; "" no note)
    unlist: tuple[tuple[str, tuple[str, ...], bool, str | None], ...] = ()
    # (name, ids added, list was new, the list's creation time)

    @classmethod
    def of(cls, plan: ImportPlan, library: Queries) -> ImportUndo:
        """The undo of ``plan``, read from ``library`` just after the plan was applied."""
        view = library.view()
        read = dict(plan.read_before)
        return cls(
            file=plan.file,
            unbookmark=_marks(plan.bookmark, view.bookmarked_at),
            mark_unread=_marks(plan.mark_read, view.read_at),
            mark_read=tuple((paper, read.get(paper)) for paper in _ids(plan.mark_unread)),
            untag=tuple((tag, tuple(_ids(papers))) for tag, papers in plan.tags),
            notes=tuple(
                (_ids([paper])[0], old, text if text.strip() else "")  # as set_note keeps it
                for paper, text, old in plan.notes
            ),
            unlist=tuple(
                (name, tuple(_ids(papers)), new, found.created_at)
                for name, papers, new in plan.lists
                if (found := view.reading_list(name)) is not None
            ),
        )

    def to_json(self) -> str:
        """The record as JSON text."""
        return json.dumps(
            {
                "format": UNDO_FORMAT,
                "version": UNDO_VERSION,
                "file": self.file,
                "unbookmark": [list(item) for item in self.unbookmark],
                "mark_unread": [list(item) for item in self.mark_unread],
                "mark_read": [list(item) for item in self.mark_read],
                "untag": [[tag, list(ids)] for tag, ids in self.untag],
                "notes": [list(item) for item in self.notes],
                "unlist": [
                    [name, list(ids), new, created] for name, ids, new, created in self.unlist
                ],
            },
            ensure_ascii=False,
            indent=2,
        )

    @classmethod
    def from_json(cls, text: str) -> ImportUndo:
        """Read a record (this version or version 1); ``ValueError`` (one line) when it is
        not one, or is from a newer paperview."""
        try:
            data = json.loads(text)
            version = data.get("version") if data.get("format") == UNDO_FORMAT else None
        except (AttributeError, ValueError) as failure:
            raise ValueError(f"damaged undo record ({failure})") from None
        if type(version) is int and version > UNDO_VERSION:
            raise ValueError(
                f"written by a newer paperview (undo record version {version}; this one reads "
                f"up to {UNDO_VERSION}); nothing was changed"
            )
        try:
            if version not in (1, UNDO_VERSION) or type(version) is not int:
                raise ValueError("not an import undo record")
            if version == 1:
                return cls._from_v1(data)
            return cls(
                file=_text(data["file"]),
                unbookmark=tuple((_text(p), _text(at)) for p, at in data["unbookmark"]),
                mark_unread=tuple((_text(p), _text(at)) for p, at in data["mark_unread"]),
                mark_read=tuple(map(_was_read, data["mark_read"])),
                untag=tuple((_text(tag), tuple(map(_text, ids))) for tag, ids in data["untag"]),
                notes=tuple(
                    (_text(paper), _text(before), _text(after))
                    for paper, before, after in data["notes"]
                ),
                unlist=tuple(
                    (_text(name), tuple(map(_text, ids)), bool(new), _text(created))
                    for name, ids, new, created in data["unlist"]
                ),
            )
        except (AttributeError, KeyError, TypeError, ValueError) as failure:
            raise ValueError(f"damaged undo record ({failure})") from None

    @classmethod
    def _from_v1(cls, data: Mapping[str, Any]) -> ImportUndo:
        """A version-1 record: the same reverse changes, without what the import left."""
        return cls(
            file=str(data["file"]),
            unbookmark=tuple((str(paper), None) for paper in data["unbookmark"]),
            mark_unread=tuple((str(paper), None) for paper in data["mark_unread"]),
            mark_read=tuple((str(paper), None) for paper in data["mark_read"]),
            untag=tuple((str(tag), tuple(map(str, ids))) for tag, ids in data["untag"]),
            notes=tuple((str(paper), str(text), None) for paper, text in data["notes"]),
            unlist=tuple(
                (str(name), tuple(map(str, ids)), bool(new), None)
                for name, ids, new in data["unlist"]
            ),
        )

    def apply(self, store: LibraryStore) -> list[str]:
        """Revert what of the import is still as the import left it, as one undoable change.

        Returns one line per kind of change kept because it was changed since the import
        (``kept 2 notes edited since the import``). A note is never replaced unless it is
        what the import wrote (or blank): one edited since keeps its text, and gets the
        note from before the import added below a line, as when a note is saved in two
        places at once (see ``SetNote``); nothing typed is lost.
        """
        view = store.view()
        kept: list[str] = []
        with store.batch(f"undo import of {Path(self.file).name}"):
            bookmarks, remade = _still(self.unbookmark, view.bookmarked_at)
            if bookmarks:
                store.unbookmark(bookmarks)
            if remade:
                kept.append(f"kept {_count(remade, 'bookmark')} made again since the import")
            read, reread = _still(self.mark_unread, view.read_at)
            if read:
                store.mark_unread(read)
            if reread:
                kept.append(f"kept {_count(reread, 'paper')} marked read again since the import")
            read_at: dict[str | None, list[str]] = {}
            for paper, at in self.mark_read:
                read_at.setdefault(at, []).append(paper)
            for at, papers in read_at.items():
                store.mark_read(papers, when=at)  # when read before the import (None: now)
            for tag, ids in self.untag:
                store.remove_tag(tag, ids)
            kept += self._restore_notes(store, view)
            kept += self._revert_lists(store, view)
        return kept

    def _revert_lists(self, store: LibraryStore, view: LibraryView) -> list[str]:
        """Take the import's papers off each list it made or added to, under the list's name
        now; one line on the lists kept or not found."""
        recreated = unfound = 0
        for (name, ids, created, at), found in zip(
            self.unlist, _lists_now(self.unlist, view), strict=True
        ):
            if found is None:
                if at is None:
                    unfound += 1  # renamed or deleted since: a version-1 record cannot tell
                elif view.reading_list(name) is not None:
                    recreated += 1  # another list of that name: the user's
                continue  # else deleted since: nothing of the import to remove
            if created and set(found.ids) <= set(ids):
                store.delete_list(found.name)  # the import made it; nothing else is on it
            else:
                store.remove_from_list(found.name, ids)
        lines = []
        if recreated:
            made = "that was deleted and made again since the import"
            lines.append(f"kept {_count(recreated, 'list')} {made}")
        if unfound:
            left = "it is" if unfound == 1 else "they are"
            lines.append(
                f"left {_count(unfound, 'list')} as {left}: not found by name (an undo record "
                "from an older paperview cannot follow a renamed list)"
            )
        return lines

    def _restore_notes(self, store: LibraryStore, view: LibraryView) -> list[str]:
        """Put back each note the import set, unless edited since; one line on those kept."""
        edited = both = 0
        unknown = any(after is None for _, _, after in self.notes)  # a version-1 record
        for paper, before, after in self.notes:
            base = before if after is None else after  # not recorded: assume edited
            now = view.notes.get(paper, "")
            if now.strip() and now not in (base, before):
                edited += 1
                both += bool(before.strip())
            store.set_note(paper, before, base=base)  # not base: keeps both, now's text first
        if not edited:
            return []
        since = "that may have been edited" if unknown else "edited"
        line = f"kept {_count(edited, 'note')} {since} since the import"
        if both:
            if edited == 1 or both == edited:
                line += ", followed by its" if edited == 1 else ", each followed by its"
            else:
                line += f"; {both} of them followed by {'its' if both == 1 else 'their'}"
            line += " text from before the import"
        if unknown:
            line += " (an undo record from an older paperview does not say what the import wrote)"
        return [line]


def _text(value: object) -> str:
    if not isinstance(value, str):
        raise TypeError(f"{value!r} is not a text")
    return value


def _lists_now(
    unlist: Sequence[tuple[str, tuple[str, ...], bool, str | None]], view: LibraryView
) -> list[ReadingList | None]:
    """Each list of ``unlist`` as it is now, or None (gone, or not found by name).

    A list is found by its name when its creation time is the recorded one (or none was
    recorded), else, renamed since, by its creation time, which a rename keeps (as
    ``library/follow.py`` follows renames): of the lists not found by name that were made at
    that moment (the lists an import makes may share a millisecond), the one holding the
    most of the import's papers."""
    found: list[ReadingList | None] = []
    for name, _, _, at in unlist:
        item = view.reading_list(name)
        found.append(item if item is not None and at in (None, item.created_at) else None)
    taken = {item.name for item in found if item is not None}
    for index, (_, ids, _, at) in enumerate(unlist):
        if found[index] is not None or at is None:
            continue
        made = [item for item in view.lists() if item.created_at == at and item.name not in taken]
        if made:
            best = max(made, key=lambda item: len(set(item.ids) & set(ids)))
            found[index] = best
            taken.add(best.name)
    return found


def _was_read(item: Any) -> Marked:
    """A paper the import marked unread, with when it was read before; a bare id (as the
    first version-2 records have it) says not when."""
    if isinstance(item, str):
        return item, None
    paper, at = item
    return _text(paper), None if at is None else _text(at)


def _marks(targets: Iterable[Target], marked: Mapping[str, str]) -> tuple[Marked, ...]:
    """Each paper with the time of its mark, for the papers that have it."""
    return tuple((paper, marked[paper]) for paper in _ids(targets) if paper in marked)


def _still(marks: Iterable[Marked], marked: Mapping[str, str]) -> tuple[list[str], int]:
    """The papers whose mark is still the import's (or, not recorded, any), and how many
    have a mark made again since."""
    ids = [paper for paper, at in marks if paper in marked and at in (None, marked[paper])]
    again = sum(1 for paper, at in marks if paper in marked and at not in (None, marked[paper]))
    return ids, again


def _count(number: int, noun: str) -> str:
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def save_undo(undo: ImportUndo, data_dir: Path) -> Path:
    """Keep ``undo`` as the data directory's last-import record (replacing any older one)."""
    data_dir.mkdir(parents=True, exist_ok=True, mode=0o700)
    data = undo.to_json().encode("utf-8")  # notes and all: private, like the library
    return write_atomic(data_dir / UNDO_FILENAME, data, overwrite=True, private=True)
