"""Saving an export: the checks and one-line messages the ``export`` command and the reader's
export dialog share, so both refuse the same things in the same words."""

from __future__ import annotations

from pathlib import Path

from ..atomic import NotRegularFileError, check_target, write_atomic
from .formats import Format
from .records import ExportDocument


class ExportError(Exception):
    """An export that cannot be made; ``str()`` is one line for the user."""


def check_papers(document: ExportDocument) -> None:
    """:class:`ExportError` ``no papers to export (bookmarks)`` for an empty document: an
    export never ships an empty list by mistake."""
    if not document.records:
        raise ExportError(f"no papers to export ({document.what})")


def save(path: Path, data: bytes, *, overwrite: bool = False) -> Path:
    """Write ``data`` to ``path`` atomically (:func:`~tui.data.atomic.write_atomic`); returns
    the path written.

    :class:`FileExistsError` when ``path`` exists and ``overwrite`` is false (the caller
    asks); :class:`ExportError` ``couldn't write PATH: reason`` when the disk refuses
    (no such directory, permission denied, no space left, a directory of that name), or
    ``PATH: not a regular file; not replaced`` (a device or a FIFO, even with ``overwrite``).
    """
    try:
        return write_atomic(path, data, overwrite=overwrite)
    except OSError as failure:
        raise _refusal(path, failure) from None


def check_path(path: Path, *, overwrite: bool = False) -> None:
    """Refuse ``path``, before any work is done, as :func:`save` would (it checks again)."""
    try:
        check_target(path, overwrite=overwrite)
    except OSError as failure:
        raise _refusal(path, failure) from None


def _refusal(path: Path, failure: OSError) -> OSError | ExportError:
    if isinstance(failure, FileExistsError):
        return failure
    if isinstance(failure, NotRegularFileError):
        return ExportError(f"{path}: not a regular file; not replaced")
    reason = (failure.strerror or str(failure)).lower()
    return ExportError(f"couldn't write {path}: {reason}")


def papers(count: int) -> str:
    """``1 paper``, ``2,500 papers``."""
    return "1 paper" if count == 1 else f"{count:,} papers"


def summary(document: ExportDocument, format: Format, where: str) -> str:
    """What was done: ``exported 3 papers (bookmarks) to /tmp/b.md as Markdown``."""
    count = papers(len(document.records))
    return f"exported {count} ({document.what}) to {where} as {format.label}"
