"""The library store: reads answer from memory, every change is one short safe transaction.

A change is applied in its own ``BEGIN IMMEDIATE`` transaction as a set operation against the
database as it is *now* (never by writing back a stale snapshot), so two paperview processes
never lose each other's changes. When the disk refuses a write, the change stays queued in
memory (and visible), and is written by :meth:`LibraryStore.retry_pending` or the next change.
"""

from __future__ import annotations

import contextlib
import sqlite3
import threading
import time
from collections.abc import Iterable, Iterator
from dataclasses import dataclass
from enum import Enum
from pathlib import Path
from types import TracebackType

from ..text import sanitize
from . import files, schema
from .errors import InvalidChange, LibraryError, StoreReadOnly, StoreUnavailable
from .files import Corrupt, Mode
from .models import Target
from .names import list_name, tag_name
from .ops import (
    Batch,
    CreateList,
    DeleteList,
    DropListItems,
    DropMarks,
    DropTags,
    EnsureList,
    Mark,
    Op,
    PutListItems,
    PutMarks,
    PutTags,
    RememberTitles,
    RenameList,
    SetNote,
    Touch,
)
from .undo import History, Step
from .view import EMPTY, LibraryView, Queries, read_view

DEFAULT_BUSY_TIMEOUT = 5.0
DEFAULT_REFRESH_INTERVAL = 1.0


class _Direction(Enum):
    DO = "do"
    UNDO = "undo"


@dataclass(eq=False)
class _Job:
    """A change waiting to be written: a step's forward (DO) or backward (UNDO) operation."""

    op: Op
    step: Step
    direction: _Direction


class _Unwritable(Exception):
    """The disk refused a write; ``str()`` is the reason."""


def open_library(
    data_dir: Path,
    *,
    busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
    refresh_interval: float = DEFAULT_REFRESH_INTERVAL,
) -> tuple[LibraryStore, list[str]]:
    """Open the library in ``data_dir``; never raises for a bad or unreadable file.

    Returns the store and the warnings to show the user (a damaged file kept aside, a file
    from a newer paperview shown read-only, a directory that cannot be written). Nothing is
    written until the first change; the directory (mode 0700) and file are created then.
    """
    store = LibraryStore(data_dir, busy_timeout=busy_timeout, refresh_interval=refresh_interval)
    with store._lock:
        store._attach()
        store._rebuild()
    return store, list(store.warnings)


class LibraryStore(Queries):
    """The user's annotations, shared safely with other paperview processes.

    Build it with :func:`open_library`. Queries (inherited from :class:`Queries`) answer from
    an in-memory snapshot, re-read at most every ``refresh_interval`` seconds when another
    process has written (a cheap ``PRAGMA data_version`` check), or at once by
    :meth:`refresh`. Changes return a short description; each is one undoable step. A change
    raises :class:`StoreUnavailable` when it could not be saved (it is kept and shown, see
    :meth:`retry_pending`), :class:`StoreReadOnly` when the file is from a newer paperview,
    and :class:`InvalidChange` (or :class:`NoSuchList`, :class:`ListExists`) when it makes no
    sense. The store is safe to use from several threads.
    """

    def __init__(
        self,
        data_dir: Path,
        *,
        busy_timeout: float = DEFAULT_BUSY_TIMEOUT,
        refresh_interval: float = DEFAULT_REFRESH_INTERVAL,
    ) -> None:
        self.data_dir = Path(data_dir)
        self.path = self.data_dir / files.FILENAME
        #: Messages for the user about the file, oldest first.
        self.warnings: list[str] = []
        #: True when the file was written by a newer paperview: it is never written.
        self.read_only = False
        #: Increases whenever what the queries answer changes (here or in another process).
        self.version = 0
        self._busy_timeout = busy_timeout
        self._refresh_interval = refresh_interval
        self._lock = threading.RLock()
        self._db: sqlite3.Connection | None = None
        self._mode: Mode | None = None
        self._failed_stat: tuple[int, int, int] | None = None
        self._problem: str | None = None  # why the file could not be opened for writing
        self._data_version: int | None = None
        self._current = False  # whether the view is the file's content as of _data_version
        self._touched: list[Touch] = []  # what this process wrote since the view was read
        self._checked_at = time.monotonic()
        self._view = EMPTY
        self._pending: list[_Job] = []
        self._history = History()
        self._batch: list[Op] | None = None  # the changes batch() is collecting

    # --- queries ---------------------------------------------------------------------

    def view(self) -> LibraryView:
        """The current snapshot, re-read first if it is older than ``refresh_interval`` and
        another process wrote since. Never waits: while another thread is writing, the
        snapshot from before that change is returned."""
        due = time.monotonic() - self._checked_at >= self._refresh_interval
        if due and self._lock.acquire(blocking=False):
            try:
                self.refresh()
            finally:
                self._lock.release()
        return self._view

    def refresh(self) -> bool:
        """Pick up changes other processes made; True when the snapshot changed."""
        with self._lock:
            self._checked_at = time.monotonic()
            before = self.version
            if self._db is None:
                if self._new_file_appeared():
                    self._attach()
                    self._rebuild()
            else:
                try:
                    changed = self._read_data_version() != self._data_version
                except sqlite3.Error:
                    changed = False
                if changed:
                    self._rebuild()
            return self.version != before

    @property
    def pending(self) -> int:
        """How many changes are waiting to be saved."""
        return len(self._pending)

    @property
    def can_undo(self) -> bool:
        """Whether :meth:`undo` has something to undo."""
        return bool(self._history.undo_stack)

    @property
    def can_redo(self) -> bool:
        """Whether :meth:`redo` has something to redo."""
        return bool(self._history.redo_stack)

    # --- changes -----------------------------------------------------------------------

    def bookmark(self, papers: Iterable[Target], *, in_order: bool = False) -> str:
        """Bookmark papers (one undoable change however many); ``in_order`` dates them a
        millisecond apart, so that they list (oldest bookmark first) in the order given."""
        ids, titles = _targets(papers)
        times = files.moments(len(ids)) if in_order else [files.now()] * len(ids)
        op = PutMarks(Mark.BOOKMARK, tuple(zip(ids, times, strict=True)))
        return self._change(_with_titles(titles, op), f"bookmark {_papers(ids)}")

    def unbookmark(self, papers: Iterable[Target]) -> str:
        """Remove the bookmarks of papers."""
        ids, _ = _targets(papers)
        return self._change(DropMarks(Mark.BOOKMARK, ids), f"remove bookmark from {_papers(ids)}")

    def toggle_bookmark(self, paper: Target) -> bool:
        """Bookmark the paper, or remove its bookmark; True when it is now bookmarked."""
        with self._lock:
            self.refresh()
            if self.is_bookmarked(_id_of(paper)):
                self.unbookmark([paper])
                return False
            self.bookmark([paper])
            return True

    def mark_read(
        self, papers: Iterable[Target], *, undoable: bool = True, when: str | None = None
    ) -> str:
        """Mark papers read (already-read papers keep the time they were first read).

        Pass ``undoable=False`` for the automatic mark when a paper is opened, so that it
        does not become the step ``undo`` reverts instead of the user's last change.
        ``when`` dates the marks (a time as stored, see ``files.now``) instead of now: for
        putting back a read mark as it was (``paperview import --undo``).
        """
        ids, titles = _targets(papers)
        at = files.now() if when is None else when
        op = PutMarks(Mark.READ, tuple((paper, at) for paper in ids))
        description = f"mark {_papers(ids)} read"
        return self._change(_with_titles(titles, op), description, undoable=undoable)

    def mark_unread(self, papers: Iterable[Target]) -> str:
        """Mark papers unread."""
        ids, _ = _targets(papers)
        return self._change(DropMarks(Mark.READ, ids), f"mark {_papers(ids)} unread")

    def toggle_read(self, paper: Target) -> bool:
        """Flip the paper's read status; True when it is now read."""
        with self._lock:
            self.refresh()
            if self.is_read(_id_of(paper)):
                self.mark_unread([paper])
                return False
            self.mark_read([paper])
            return True

    def add_tag(self, tag: str, papers: Iterable[Target]) -> str:
        """Tag papers. Tags are one word; ``LLM`` and ``llm`` are the same tag (the first
        spelling used is kept)."""
        name = tag_name(tag)
        ids, titles = _targets(papers)
        at = files.now()
        op = PutTags(name, tuple((paper, at) for paper in ids))
        return self._change(_with_titles(titles, op), f"tag {_papers(ids)} {name!r}")

    def remove_tag(self, tag: str, papers: Iterable[Target]) -> str:
        """Remove a tag from papers."""
        name = tag_name(tag)
        ids, _ = _targets(papers)
        return self._change(DropTags(name, ids), f"remove tag {name!r} from {_papers(ids)}")

    def set_note(self, paper: Target, text: str, *, base: str | None = None) -> str:
        """Replace the paper's note with ``text`` (kept exactly); a blank text deletes it.

        ``base`` is the note ``text`` was edited from: if the note was saved elsewhere since,
        both versions are kept (see :class:`SetNote`), so ``note()`` then differs from
        ``text``. Without ``base`` the note is replaced whatever it is now.
        """
        ids, titles = _targets([paper])
        op = SetNote(ids[0], text, files.now(), base)
        return self._change(
            _with_titles(titles, op), "edit note" if text.strip() else "delete note"
        )

    def create_list(self, name: str) -> str:
        """Create an empty reading list; :class:`ListExists` if the name is taken."""
        clean = list_name(name)
        return self._change(CreateList(clean, files.now()), f"create list {clean!r}")

    def rename_list(self, old: str, new: str) -> str:
        """Rename a reading list."""
        old_name, new_name = list_name(old), list_name(new)
        op = RenameList(old_name, new_name)
        return self._change(op, f"rename list {old_name!r} to {new_name!r}")

    def delete_list(self, name: str) -> str:
        """Delete a reading list (undo restores it with its papers in order)."""
        clean = list_name(name)
        return self._change(DeleteList(clean), f"delete list {clean!r}")

    def add_to_list(self, name: str, papers: Iterable[Target], *, create: bool = False) -> str:
        """Append papers to a list (those already on it stay where they are); with
        ``create``, make the list first if there is none of that name."""
        clean = list_name(name)
        ids, titles = _targets(papers)
        at = files.now()
        op: Op = PutListItems(clean, tuple((paper, -1, at) for paper in ids))
        if create:
            op = Batch((EnsureList(clean, at), op))
        return self._change(_with_titles(titles, op), f"add {_papers(ids)} to {clean!r}")

    def remove_from_list(self, name: str, papers: Iterable[Target]) -> str:
        """Remove papers from a list."""
        clean = list_name(name)
        ids, _ = _targets(papers)
        return self._change(DropListItems(clean, ids), f"remove {_papers(ids)} from {clean!r}")

    # --- undo, redo, retry, close ------------------------------------------------------

    def undo(self) -> str | None:
        """Undo the latest change of this session: ``"Undid: bookmark 3 papers"``, or None.

        Like any change, it may raise :class:`StoreUnavailable` (the undo is then shown and
        kept for a retry).
        """
        with self._lock:
            if not self._history.undo_stack:
                return None
            step = self._history.undo_stack.pop()
            self._history.redo_stack.append(step)
            queued = self._queued(step, _Direction.DO)
            if queued is not None:  # never written: just drop it
                self._pending.remove(queued)
                self._rebuild()
            else:
                assert step.backward is not None
                self._pending.append(_Job(step.backward, step, _Direction.UNDO))
                self._save()
            return f"Undid: {step.description}"

    def redo(self) -> str | None:
        """Redo the latest undone change: ``"Redid: bookmark 3 papers"``, or None."""
        with self._lock:
            if not self._history.redo_stack:
                return None
            step = self._history.redo_stack.pop()
            self._history.undo_stack.append(step)
            queued = self._queued(step, _Direction.UNDO)
            if queued is not None:
                self._pending.remove(queued)
                self._rebuild()
            else:
                self._pending.append(_Job(step.forward, step, _Direction.DO))
                self._save()
            return f"Redid: {step.description}"

    def retry_pending(self) -> int:
        """Try again to save the changes the disk refused; returns how many were saved.

        Raises :class:`StoreUnavailable` if the disk still refuses.
        """
        with self._lock:
            before = len(self._pending)
            if before:
                self._save()
            return before - len(self._pending)

    def close(self) -> int:
        """Try once more to save pending changes, then close; returns how many were lost."""
        with self._lock:
            if self._pending:
                with contextlib.suppress(LibraryError):
                    self._save()
            lost = len(self._pending)
            if self._db is not None:
                self._db.close()
                self._db = None
            return lost

    def __enter__(self) -> LibraryStore:
        return self

    def __exit__(
        self,
        kind: type[BaseException] | None,
        error: BaseException | None,
        traceback: TracebackType | None,
    ) -> None:
        self.close()

    # --- grouping changes (added for ``paperview import``, tui/data/export/merge.py) -------

    @contextlib.contextmanager
    def batch(self, description: str) -> Iterator[None]:
        """Make the changes called inside the block one undoable step, ``description``.

        Inside the block the change methods check their arguments and collect the change
        (returning their usual description) but write nothing, and the queries do not see
        it yet. When the block ends, everything is written in one transaction, all or
        nothing, exactly like a single change (same errors). If the block raises, nothing
        is changed. A batch that changes nothing leaves no undo step. Batches do not nest.
        """
        with self._lock:
            if self._batch is not None:
                raise InvalidChange("a batch of changes cannot contain another batch")
            self._batch = []
            try:
                yield
                ops = tuple(self._batch)
            finally:
                self._batch = None
            if ops:
                self._change(Batch(ops), description)

    # --- internals -------------------------------------------------------------------------

    def _change(self, op: Op, description: str, *, undoable: bool = True) -> str:
        with self._lock:
            if self._batch is not None:  # inside batch(): collect, write at the end
                self._batch.append(op)
                return description
            if self.read_only:
                raise StoreReadOnly(
                    f"{self.path.name} was created by a newer paperview; it is read-only here "
                    "and nothing was changed"
                )
            if self._pending:
                self._overlay(extra=op)  # raises if the change makes no sense
            step = Step(description, op)
            if undoable:
                self._history.record(step)
            self._pending.append(_Job(op, step, _Direction.DO))
            self._save()
            return description

    def _queued(self, step: Step, direction: _Direction) -> _Job | None:
        for job in self._pending:
            if job.step is step and job.direction is direction:
                return job
        return None

    def _save(self) -> None:
        """Write the pending changes in order; rebuild the snapshot whatever happens."""
        try:
            while self._pending:
                job = self._pending[0]
                try:
                    inverse = self._write(job.op)
                except LibraryError:
                    self._pending.pop(0)
                    self._history.discard(job.step)
                    raise
                self._pending.pop(0)
                self._touched += job.op.touched()
                if job.direction is _Direction.DO:
                    job.step.backward = inverse
                    if inverse.is_empty():
                        self._history.discard(job.step)  # nothing changed: nothing to undo
                else:
                    job.step.forward = inverse
        except _Unwritable as failure:
            count = len(self._pending)
            changes = "1 change" if count == 1 else f"{count} changes"
            raise StoreUnavailable(
                f"couldn't save to {self.path} ({failure}); {changes} kept in memory, will retry",
                count,
                str(failure),
            ) from None
        finally:
            self._rebuild()

    def _write(self, op: Op) -> Op:
        db = self._writable()
        try:
            db.execute("BEGIN IMMEDIATE")
            try:
                inverse = op.apply(db)
                db.execute("COMMIT")
            except BaseException:
                if db.in_transaction:
                    with contextlib.suppress(sqlite3.Error):
                        db.execute("ROLLBACK")
                raise
        except sqlite3.DatabaseError as error:
            if files.is_corruption(error):  # damaged under us: re-check (and set aside) next time
                db.close()
                self._db, self._mode = None, None
            elif not isinstance(error, sqlite3.OperationalError):
                raise  # a constraint violation is a bug, not a full disk
            raise _Unwritable(files.reason(error)) from error
        return inverse

    def _writable(self) -> sqlite3.Connection:
        if self._db is not None and self._mode is Mode.WRITE:
            return self._db
        try:
            if not self.path.exists():
                files.create(self.path, self._busy_timeout)
            self._attach()
            if self._db is None and not self.path.exists():  # it was damaged and set aside
                files.create(self.path, self._busy_timeout)
                self._attach()
        except (OSError, sqlite3.Error) as error:
            raise _Unwritable(files.reason(error)) from error
        if self.read_only:
            raise StoreReadOnly(f"{self.path.name} was created by a newer paperview; read-only")
        if self._db is None or self._mode is not Mode.WRITE:
            raise _Unwritable(self._problem or "the file or its directory is read-only")
        return self._db

    def _attach(self) -> None:
        """(Re)open the file, checking it; set damaged files aside; migrate old ones."""
        self._current = False
        if self._db is not None:
            self._db.close()
            self._db, self._mode = None, None
        if not self.path.exists():
            return
        inode = self.path.stat().st_ino if self.path.exists() else None
        try:
            db, mode, version = files.open_checked(self.path, self._busy_timeout)
        except Corrupt as problem:
            if self._set_aside(str(problem), inode) is None:
                self._attach()  # another process set it aside first: look again
            return
        except (OSError, sqlite3.Error) as error:
            self._failed_stat, self._problem = self._stat(), files.reason(error)
            self._warn(
                f"couldn't read {self.path} ({self._problem}); annotations are "
                "unavailable until it can be read"
            )
            return
        if version > schema.SCHEMA_VERSION:
            self._open_newer(version)
        elif version < schema.SCHEMA_VERSION:
            self._upgrade(db, mode, version)
        elif mode is Mode.WRITE:
            self._ensure_wal(db)
        self._problem = None
        if mode is not Mode.WRITE and not self.read_only:
            self._problem = "the file or its directory is read-only"
            self._warn(f"{self.path} can only be read; changes will be kept in memory and retried")
        self._db, self._mode, self._failed_stat = db, mode, None

    def _warn(self, message: str) -> None:
        if message not in self.warnings:
            self.warnings.append(message)

    def _set_aside(self, why: str, inode: int | None) -> Path | None:
        try:
            aside = files.set_aside(self.path, "corrupt", inode)
        except FileNotFoundError:
            return None
        except OSError as error:
            self._failed_stat = self._stat()
            self._warn(
                f"{self.path} is damaged ({why}) and couldn't be moved aside "
                f"({files.reason(error)}); annotations are unavailable"
            )
            return self.path
        if aside is None:
            return None
        self._warn(
            f"{self.path.name} was damaged ({why}); kept aside as {aside}; "
            "starting with an empty library"
        )
        return aside

    def _open_newer(self, version: int) -> None:
        self.read_only = True
        self._warn(
            f"{self.path.name} was created by a newer paperview (schema {version}; this one "
            f"knows up to {schema.SCHEMA_VERSION}); shown read-only, changes will not be saved"
        )

    def _upgrade(self, db: sqlite3.Connection, mode: Mode, version: int) -> None:
        if mode is not Mode.WRITE:
            return  # read what can be read; the upgrade waits for a writable disk
        try:
            if version > 0:
                backup = files.back_up(db, self.path, version)
                self._warn(
                    f"upgraded {self.path.name} from schema {version} to "
                    f"{schema.SCHEMA_VERSION}; the old file is kept as {backup}"
                )
            schema.migrate(db)
            self._ensure_wal(db)
        except (OSError, sqlite3.Error) as error:
            self._warn(f"couldn't upgrade {self.path} ({files.reason(error)})")

    @staticmethod
    def _ensure_wal(db: sqlite3.Connection) -> None:
        try:
            if db.execute("PRAGMA journal_mode").fetchone()[0] != "wal":
                db.execute("PRAGMA journal_mode = WAL")
        except sqlite3.Error:
            pass  # another process is using it in rollback mode; harmless

    def _stat(self) -> tuple[int, int, int] | None:
        try:
            info = self.path.stat()
        except OSError:
            return None
        return (info.st_ino, info.st_size, info.st_mtime_ns)

    def _new_file_appeared(self) -> bool:
        stat = self._stat()
        return stat is not None and stat != self._failed_stat

    def _read_data_version(self) -> int | None:
        if self._db is None:
            return None
        return int(self._db.execute("PRAGMA data_version").fetchone()[0])

    def _rebuild(self) -> None:
        """Re-read the snapshot: the file, plus the changes still waiting to be written.

        When only this process wrote since the last read (``data_version`` unchanged), only
        the rows its changes touched are re-read.
        """
        touched, self._touched = self._touched, []
        current = self._current
        self._current = False
        try:
            data_version = self._read_data_version()
            if self._pending:
                view = self._overlay()
            elif self._db is None:
                view = EMPTY
            elif current and data_version == self._data_version:
                view = read_view(self._db, self._view, touched) if touched else self._view
            else:
                view = read_view(self._db)
        except sqlite3.Error as error:
            if self.read_only and self._view is EMPTY:
                self._warn(f"couldn't read the newer file ({files.reason(error)})")
            return  # keep showing what we had
        self._data_version = data_version
        self._current = not self._pending and self._db is not None
        if view is not self._view and (touched or view != self._view):
            self.version += 1
        self._view = view

    def _overlay(self, extra: Op | None = None) -> LibraryView:
        """The file's content with the pending changes (and ``extra``) applied, in memory.

        Raises the :class:`LibraryError` of ``extra`` when it makes no sense; pending changes
        that no longer apply are skipped here (they fail, and are dropped, when written).
        """
        memory = sqlite3.connect(":memory:", isolation_level=None)
        try:
            if self._db is not None:
                self._db.backup(memory)
            else:
                schema.migrate(memory)
            memory.execute("BEGIN")
            for op in [job.op for job in self._pending]:
                memory.execute("SAVEPOINT job")
                try:
                    op.apply(memory)
                except LibraryError:
                    memory.execute("ROLLBACK TO job")
                memory.execute("RELEASE job")
            if extra is not None:
                extra.apply(memory)
            memory.execute("COMMIT")
            return read_view(memory)
        finally:
            memory.close()


# --- argument helpers --------------------------------------------------------------------


def _id_of(paper: Target) -> str:
    return paper if isinstance(paper, str) else paper.id


def _targets(papers: Iterable[Target]) -> tuple[tuple[str, ...], tuple[tuple[str, str], ...]]:
    """The distinct ids named, in order, and the titles given with them."""
    ids: dict[str, None] = {}
    titles: dict[str, str] = {}
    for paper in papers:
        paper_id = _id_of(paper)
        if not paper_id or not paper_id.isprintable() or paper_id != paper_id.strip():
            raise InvalidChange(f"not a paper id: {paper_id!r}")
        ids[paper_id] = None
        if not isinstance(paper, str):
            title = sanitize(paper.title).strip()
            if title:
                titles[paper_id] = title
    if not ids:
        raise InvalidChange("no papers given")
    return tuple(ids), tuple(titles.items())


def _with_titles(titles: tuple[tuple[str, str], ...], op: Op) -> Op:
    return Batch((RememberTitles(titles), op)) if titles else op


def _papers(ids: tuple[str, ...]) -> str:
    return "1 paper" if len(ids) == 1 else f"{len(ids)} papers"
