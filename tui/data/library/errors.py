"""What can go wrong when changing the library, as exceptions with one-line messages."""

from __future__ import annotations


class LibraryError(Exception):
    """Base class: ``str(error)`` is a one-line message fit to show the user."""


class InvalidChange(LibraryError):
    """The change makes no sense: an empty or malformed tag or list name, no papers given."""


class NoSuchList(InvalidChange):
    """The reading list named does not exist."""


class ListExists(InvalidChange):
    """A reading list with that name (ignoring case) already exists."""


class StoreReadOnly(LibraryError):
    """The library was written by a newer paperview and is shown read-only; nothing was changed."""


class StoreUnavailable(LibraryError):
    """The change could not be saved (read-only or full disk, the file locked for too long).

    The change is *not* lost: it is applied to what the store shows and kept in memory, and
    :meth:`LibraryStore.retry_pending` (or the next change) saves it once the disk allows.
    ``pending`` is how many changes are waiting; ``reason`` is why the disk refused
    (``"database or disk is full"``, ``"attempt to write a readonly database"``...).
    """

    def __init__(self, message: str, pending: int, reason: str) -> None:
        super().__init__(message)
        self.pending = pending
        self.reason = reason
