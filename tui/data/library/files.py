"""The library file on disk: connecting, checking, creating, and setting damaged files aside.

The library is one SQLite database, ``library.sqlite3``, in the data directory, in WAL mode
with ``synchronous=FULL`` (a committed change survives a killed process and a power cut).
It is created whole: built and migrated under a temporary name, then hard-linked into place,
so a process killed while creating it leaves either nothing or a complete file. A file that
is damaged, or is not a paperview library, is renamed to ``<name>.corrupt-<UTC time>`` (its
``-wal`` and ``-shm`` with it) and never written again.
"""

from __future__ import annotations

import contextlib
import os
import sqlite3
import tempfile
import time
from datetime import datetime, timedelta, timezone
from enum import Enum
from pathlib import Path
from urllib.parse import quote

from . import schema

FILENAME = "library.sqlite3"
_HEADER = b"SQLite format 3\x00"
_SIDE_FILES = ("-wal", "-shm")
_STALE_TEMP_SECONDS = 60.0
_CORRUPT_CODES = (11, 26)  # SQLITE_CORRUPT, SQLITE_NOTADB


class Mode(Enum):
    """How a connection was opened: for writing, read-only, or read-only without locking."""

    WRITE = "rw"
    READ = "ro"
    IMMUTABLE = "immutable"


class Corrupt(Exception):
    """The file is damaged or not a paperview library; ``str()`` says why."""


def now() -> str:
    """The current UTC time as stored: ISO 8601 with milliseconds and a ``Z``."""
    return datetime.now(timezone.utc).isoformat(timespec="milliseconds").replace("+00:00", "Z")


def moments(count: int) -> list[str]:
    """``count`` times as stored, a millisecond apart from now: things dated with them in
    turn keep that order wherever the library sorts by time (oldest bookmark first)."""
    start = datetime.now(timezone.utc)
    return [
        (start + timedelta(milliseconds=n))
        .isoformat(timespec="milliseconds")
        .replace("+00:00", "Z")
        for n in range(count)
    ]


def is_corruption(error: sqlite3.Error) -> bool:
    """Whether an SQLite error means the file is damaged (rather than busy or unwritable)."""
    code = getattr(error, "sqlite_errorcode", None)  # Python 3.11+
    if code is not None:
        return code & 0xFF in _CORRUPT_CODES
    message = str(error).lower()
    return "malformed" in message or "not a database" in message


def reason(error: BaseException) -> str:
    """A short, lower-case reason for an OS or SQLite error."""
    if isinstance(error, OSError) and error.strerror:
        return error.strerror.lower()
    return str(error) or type(error).__name__


def connect(path: Path, mode: Mode, busy_timeout: float) -> sqlite3.Connection:
    """Open the database at ``path`` (which must exist) in autocommit mode.

    Raises ``sqlite3.Error`` when it cannot be opened or read.
    """
    parameter = "immutable=1" if mode is Mode.IMMUTABLE else f"mode={mode.value}"
    uri = f"file:{quote(str(path))}?{parameter}"
    db = sqlite3.connect(
        uri, uri=True, timeout=busy_timeout, isolation_level=None, check_same_thread=False
    )
    try:
        db.execute("PRAGMA synchronous = FULL")
        db.execute("SELECT count(*) FROM sqlite_master").fetchone()  # reads the file now
        if mode is not Mode.WRITE:
            db.execute("PRAGMA query_only = ON")
    except BaseException:
        db.close()
        raise
    return db


def open_checked(path: Path, busy_timeout: float) -> tuple[sqlite3.Connection, Mode, int]:
    """Open the library file after checking it; return the connection, its mode, the version.

    The check runs through a read-only connection, which never changes the file (nor deletes
    its ``-wal``) even when it is damaged. A file this paperview can write is then reopened
    for writing; when that is impossible (a read-only directory or file) the read-only
    connection is kept. Raises :class:`Corrupt`, or ``OSError``/``sqlite3.Error`` when the
    file cannot be read at all.
    """
    check_header(path)
    try:
        db, mode = connect(path, Mode.READ, busy_timeout), Mode.READ
    except sqlite3.Error as error:
        if is_corruption(error):
            raise Corrupt(reason(error)) from error
        # A read-only directory without -wal/-shm files can only be read without locking.
        db, mode = connect(path, Mode.IMMUTABLE, busy_timeout), Mode.IMMUTABLE
    try:
        version = check(db)
    except BaseException:
        db.close()
        raise
    if version > schema.SCHEMA_VERSION:
        return db, mode, version
    try:
        writer = connect(path, Mode.WRITE, busy_timeout)
    except sqlite3.Error:
        return db, mode, version
    db.close()
    return writer, Mode.WRITE, version


def check(db: sqlite3.Connection) -> int:
    """Check the file's integrity and identity; return its schema version.

    Raises :class:`Corrupt` when the file is damaged or belongs to another program.
    """
    try:
        problems = [str(row[0]) for row in db.execute("PRAGMA integrity_check(3)")]
        if problems != ["ok"]:
            raise Corrupt(f"integrity check failed: {problems[0]}")
        version = schema.version_of(db)
        owner = schema.application_id_of(db)
        tables = db.execute("SELECT count(*) FROM sqlite_master").fetchone()[0]
    except sqlite3.DatabaseError as error:
        if is_corruption(error):
            raise Corrupt(reason(error)) from error
        raise
    if owner not in (0, schema.APPLICATION_ID) or (version == 0 and tables):
        raise Corrupt("not a paperview library")
    return version


def check_header(path: Path) -> None:
    """Raise :class:`Corrupt` when the file is empty or is not an SQLite database."""
    with path.open("rb") as handle:
        header = handle.read(len(_HEADER))
    if not header:
        raise Corrupt("the file is empty")
    if header != _HEADER:
        raise Corrupt("not an SQLite database")


def set_aside(path: Path, label: str, inode: int | None = None) -> Path | None:
    """Rename ``path`` (and its ``-wal``/``-shm``) to ``<name>.<label>-<UTC time>``.

    The new name is unique; nothing is deleted. Returns the new path of the main file, or
    None when ``path`` is no longer the file ``inode`` names (another process already set it
    aside, and perhaps made a new one: that one must not be touched).
    """
    if inode is not None and path.stat().st_ino != inode:
        return None
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    base = path.with_name(f"{path.name}.{label}-{stamp}")
    target, number = base, 1
    while target.exists() or any(target.with_name(target.name + s).exists() for s in _SIDE_FILES):
        number += 1
        target = base.with_name(f"{base.name}-{number}")
    for suffix in _SIDE_FILES:  # side files first: the main file's name is what others look at
        side = path.with_name(path.name + suffix)
        with contextlib.suppress(FileNotFoundError):
            side.replace(target.with_name(target.name + suffix))
    path.replace(target)
    fsync_dir(path.parent)
    return target


def back_up(db: sqlite3.Connection, path: Path, version: int) -> Path:
    """Copy the database to ``<name>.v<version>.bak`` (unique) before migrating it."""
    stamp = datetime.now(timezone.utc).strftime("%Y%m%dT%H%M%SZ")
    target = path.with_name(f"{path.name}.v{version}-{stamp}.bak")
    copy = sqlite3.connect(target)
    try:
        db.backup(copy)
    finally:
        copy.close()
    return target


def ensure_dir(directory: Path) -> None:
    """Create ``directory`` and any missing parents with mode 0700."""
    missing: list[Path] = []
    current = directory
    while not current.exists():
        missing.append(current)
        current = current.parent
    for item in reversed(missing):
        with contextlib.suppress(FileExistsError):
            item.mkdir(mode=0o700)


def create(path: Path, busy_timeout: float) -> None:
    """Create the library at ``path`` atomically; do nothing if another process beat us.

    The new file is built under a temporary name (mode 0600), migrated to the current
    schema, switched to WAL mode, synced, then hard-linked to ``path``: the link fails
    rather than replace a file another process created meanwhile.
    """
    ensure_dir(path.parent)
    remove_stale_temps(path)
    handle, name = tempfile.mkstemp(dir=path.parent, prefix=f".{path.name}.", suffix=".tmp")
    os.close(handle)
    temp = Path(name)
    try:
        db = connect(temp, Mode.WRITE, busy_timeout)
        try:
            db.execute("PRAGMA journal_mode = WAL")
            schema.migrate(db)
        finally:
            db.close()  # checkpoints the WAL into the file and removes it
        fsync_file(temp)
        try:
            os.link(temp, path)
        except FileExistsError:
            return
        except OSError:  # a file system without hard links
            if path.exists():
                return
            temp.replace(path)
        fsync_dir(path.parent)
    finally:
        for leftover in (temp, *(temp.with_name(temp.name + s) for s in _SIDE_FILES)):
            with contextlib.suppress(FileNotFoundError):
                leftover.unlink()


def remove_stale_temps(path: Path) -> None:
    """Delete temporary files a killed process left while creating the library."""
    cutoff = time.time() - _STALE_TEMP_SECONDS
    with contextlib.suppress(OSError):
        for temp in path.parent.glob(f".{path.name}.*.tmp*"):
            with contextlib.suppress(OSError):
                if temp.stat().st_mtime < cutoff:
                    temp.unlink()


def fsync_file(path: Path) -> None:
    """Flush a file's contents to disk."""
    handle = os.open(path, os.O_RDONLY)
    try:
        os.fsync(handle)
    finally:
        os.close(handle)


def fsync_dir(directory: Path) -> None:
    """Flush a directory's entries to disk, where the platform allows it."""
    try:
        handle = os.open(directory, os.O_RDONLY)
    except OSError:
        return
    try:
        os.fsync(handle)
    except OSError:
        pass
    finally:
        os.close(handle)
