"""The reader's link to the library: opened and written off the UI thread, one change at a time.

SQLite may wait up to its busy timeout for another process's lock, so nothing that touches
the file runs on the UI thread. Every job (opening, a change, undo, a retry, picking up other
processes' changes) goes into one queue that a thread worker drains in order, so a quick
``b`` then ``u`` are applied in the order they were pressed. Each job reports back with a
:class:`LibraryUpdated` message carrying the new snapshot; the screen reads only snapshots,
which never block.
"""

from __future__ import annotations

import threading
import time
from collections import deque
from collections.abc import Callable
from functools import partial
from pathlib import Path
from typing import TYPE_CHECKING

from textual.message import Message
from textual.notifications import SeverityLevel

from .. import display

if TYPE_CHECKING:
    from textual.dom import DOMNode

    from ..data.library import LibraryStore, LibraryView, StoreUnavailable

Change = Callable[["LibraryStore"], str | None]
"""A change to make: given the store, make it and return what to tell the user (or None)."""

CLOSE_WAIT = 3.0
"""Seconds quitting waits for the queued library jobs (one already writing may take up to
the store's busy timeout more)."""


class LibraryOpened(Message):
    """The library is open (``warnings``: a damaged file kept aside, a read-only one...)."""

    def __init__(self, view: LibraryView, warnings: list[str]) -> None:
        super().__init__()
        self.view = view
        self.warnings = warnings


class LibraryFailed(Message):
    """A job failed unexpectedly (``opening``: the library could not be opened at all)."""

    def __init__(self, notice: str, opening: bool) -> None:
        super().__init__()
        self.notice = notice
        """What went wrong, in a sentence."""
        self.opening = opening


class LibraryUpdated(Message):
    """A job finished: the snapshot to show from now on, and what to tell the user."""

    def __init__(
        self,
        view: LibraryView,
        notice: str,
        severity: SeverityLevel,
        positions: tuple[int, ...] | None,
        research: bool,
        pending: int,
    ) -> None:
        super().__init__()
        self.view = view
        self.notice = notice
        """What happened, in a sentence ("" when there is nothing to say)."""
        self.severity = severity
        self.positions = positions
        """The corpus positions whose rows may look different (None: any row)."""
        self.research = research
        """Whether a search that filters on the library should run again."""
        self.pending = pending
        """How many changes the disk refused, kept in memory until they can be saved."""


class LibraryLink:
    """Opens the library and applies changes in a worker, in the order they were asked for."""

    def __init__(self, owner: DOMNode, data_dir: Path | None) -> None:
        self._owner = owner
        self._data_dir = data_dir
        self.store: LibraryStore | None = None
        """The store, once open (read it for its ``path``; change it only through jobs)."""
        self._jobs: deque[Callable[[], None]] = deque()
        self._lock = threading.Lock()
        self._idle = threading.Condition(self._lock)
        self._draining = False
        self._running = False  # a job is running in the worker
        self._closed = False

    @property
    def busy(self) -> bool:
        """Whether jobs are queued or running."""
        with self._lock:
            return self._draining

    def open(self) -> None:
        """Open the library (the first job: every change waits for it)."""
        self._submit(self._open)

    def change(
        self,
        change: Change,
        *,
        positions: tuple[int, ...] | None = None,
        research: bool = True,
        quiet: bool = False,
    ) -> None:
        """Queue a change. ``quiet`` for automatic ones (marking a paper read on opening):
        a read-only library refuses them without a word, and a refused save is told once."""
        self._submit(partial(self._change, change, positions, research, quiet))

    def retry(self, *, asked: bool) -> None:
        """Try again to save the changes kept in memory (``asked``: the user asked, so say
        what happened even when nothing was waiting or the disk still refuses)."""
        self._submit(partial(self._retry, asked))

    def refresh(self) -> None:
        """Pick up other processes' changes (skipped while other jobs are running)."""
        if not self.busy:
            self._submit(self._refresh)

    def close(self, wait: float = CLOSE_WAIT) -> int:
        """Run the queued jobs (for ``wait`` seconds at most), then close the store (one last
        try to save); how many changes were lost (never saved, or never run)."""
        deadline = time.monotonic() + wait
        with self._lock:
            self._closed = True  # the worker stops after its job; the rest run here
            while self._running and (left := deadline - time.monotonic()) > 0:
                self._idle.wait(left)
            jobs = list(self._jobs)
            self._jobs.clear()
        skipped = 0
        for job in jobs:
            if time.monotonic() < deadline:
                self._run(job)
            elif isinstance(job, partial) and job.func == self._change:
                skipped += 1
        store, self.store = self.store, None
        return skipped + (store.close() if store is not None else 0)

    # --- the worker ------------------------------------------------------------------------

    def _submit(self, job: Callable[[], None]) -> None:
        with self._lock:
            if self._closed:
                return
            self._jobs.append(job)
            if self._draining:
                return
            self._draining = True
        self._owner.run_worker(self._drain, thread=True, group="library", name="library")

    def _drain(self) -> None:
        while True:
            with self._lock:
                self._running = False
                if not self._jobs or self._closed:
                    self._draining = False
                    self._idle.notify_all()
                    return
                job = self._jobs.popleft()
                self._running = True
            self._run(job)

    def _run(self, job: Callable[[], None]) -> None:
        """Run one job; a failure is told in a sentence and never stops the queue."""
        try:
            job()
        except Exception as failure:
            opening = job == self._open
            what = "couldn't open the library" if opening else "a library change failed"
            self._post(LibraryFailed(display.sentence(f"{what}: {_reason(failure)}"), opening))

    def _post(self, message: Message) -> None:
        self._owner.post_message(message)

    def _open(self) -> None:
        from ..data.library import open_library
        from ..data.locations import data_dir

        store, warnings = open_library(data_dir(self._data_dir))
        self.store = store
        self._post(LibraryOpened(store.view(), warnings))

    def _change(
        self, change: Change, positions: tuple[int, ...] | None, research: bool, quiet: bool
    ) -> None:
        from ..data.library import LibraryError, StoreReadOnly, StoreUnavailable

        store = self.store
        if store is None:
            return
        before = store.pending
        severity: SeverityLevel = "information"
        try:
            notice = change(store) or ""
        except StoreUnavailable as failure:
            notice = "" if quiet and before else _refused(failure)
            severity = "warning"
        except StoreReadOnly as failure:
            notice = "" if quiet else display.sentence(str(failure))
            severity = "error"
        except LibraryError as failure:
            notice, severity = display.sentence(str(failure)), "error"
        self._post(
            LibraryUpdated(store.view(), notice, severity, positions, research, store.pending)
        )

    def _retry(self, asked: bool) -> None:
        from ..data.library import LibraryError, StoreUnavailable

        store = self.store
        if store is None:
            return
        severity: SeverityLevel = "information"
        if not store.pending:
            notice = "Every library change is saved." if asked else ""
        else:
            try:
                saved = store.retry_pending()
                notice = f"Saved {count_changes(saved)} that had been kept in memory."
            except StoreUnavailable as failure:
                notice = _refused(failure) if asked else ""
                severity = "warning"
            except LibraryError as failure:  # read-only now, or a change that no longer fits
                notice, severity = display.sentence(str(failure)), "error"
        self._post(LibraryUpdated(store.view(), notice, severity, None, False, store.pending))

    def _refresh(self) -> None:
        store = self.store
        if store is not None and store.refresh():
            self._post(LibraryUpdated(store.view(), "", "information", None, True, store.pending))


def _refused(failure: StoreUnavailable) -> str:
    return (
        f"Couldn't save the library ({failure.reason}); {count_changes(failure.pending)} kept in "
        "memory, will retry."
    )


def _reason(failure: Exception) -> str:
    """A failure in a few words: the OS's reason for an OSError, else its message."""
    if isinstance(failure, OSError) and failure.strerror:
        where = f" ({failure.filename})" if failure.filename else ""
        return f"{failure.strerror.lower()}{where}"
    return str(failure) or type(failure).__name__


def count_changes(count: int) -> str:
    """``"1 change"``, ``"3 changes"``."""
    return "1 change" if count == 1 else f"{count:,} changes"
