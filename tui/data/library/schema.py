"""The database schema, its version, and the migrations that bring old files up to date.

The version lives in ``PRAGMA user_version``; ``PRAGMA application_id`` marks the file as a
paperview library. ``MIGRATIONS[n]`` turns a version-``n`` database into version ``n + 1``;
version 0 is an empty file. A file whose version is above :data:`SCHEMA_VERSION` was written
by a newer paperview and is never written by this one.

Every annotation is keyed by the paper's stable id (a hash of its normalised title), never by
a position in a corpus, so annotations survive re-parsing and corpus updates.
"""

from __future__ import annotations

import sqlite3
from collections.abc import Callable

#: The schema version this paperview writes.
SCHEMA_VERSION = 1
#: ``PRAGMA application_id`` of a paperview library ("pprv").
APPLICATION_ID = 0x70707276

_V1 = """
CREATE TABLE papers (       -- the title last seen for each annotated paper
    id TEXT PRIMARY KEY,
    title TEXT NOT NULL
);
CREATE TABLE bookmarks (
    paper_id TEXT PRIMARY KEY,
    added_at TEXT NOT NULL
);
CREATE TABLE reads (
    paper_id TEXT PRIMARY KEY,
    read_at TEXT NOT NULL
);
CREATE TABLE tags (
    paper_id TEXT NOT NULL,
    tag TEXT NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (paper_id, tag)
);
CREATE TABLE notes (
    paper_id TEXT PRIMARY KEY,
    text TEXT NOT NULL,
    updated_at TEXT NOT NULL
);
CREATE TABLE lists (
    id INTEGER PRIMARY KEY,
    key TEXT NOT NULL UNIQUE,   -- the folded name: list names are unique ignoring case
    name TEXT NOT NULL,
    created_at TEXT NOT NULL
);
CREATE TABLE list_items (
    list_id INTEGER NOT NULL REFERENCES lists(id),
    paper_id TEXT NOT NULL,
    position INTEGER NOT NULL,
    added_at TEXT NOT NULL,
    PRIMARY KEY (list_id, paper_id)
);
"""


def _create_v1(db: sqlite3.Connection) -> None:
    for statement in _V1.split(";"):
        if statement.strip():
            db.execute(statement)


#: ``MIGRATIONS[n]`` upgrades a version-``n`` database to ``n + 1`` inside the caller's
#: transaction. Add a step here (and bump :data:`SCHEMA_VERSION`) to change the schema.
MIGRATIONS: dict[int, Callable[[sqlite3.Connection], None]] = {0: _create_v1}


def version_of(db: sqlite3.Connection) -> int:
    """The schema version recorded in the file."""
    return int(db.execute("PRAGMA user_version").fetchone()[0])


def application_id_of(db: sqlite3.Connection) -> int:
    """The application id recorded in the file (0 when none)."""
    return int(db.execute("PRAGMA application_id").fetchone()[0])


def migrate(db: sqlite3.Connection, target: int | None = None) -> int:
    """Bring ``db`` up to ``target`` (default :data:`SCHEMA_VERSION`) in one transaction.

    Returns the version found before migrating. The caller has checked that the file is not
    newer than ``target``; the version is re-read under the write lock, so two processes
    migrating at once run each step once.
    """
    goal = SCHEMA_VERSION if target is None else target
    db.execute("BEGIN IMMEDIATE")
    try:
        found = version = version_of(db)
        while version < goal:
            MIGRATIONS[version](db)
            version += 1
        if found != version:
            db.execute(f"PRAGMA application_id = {APPLICATION_ID}")
            db.execute(f"PRAGMA user_version = {version}")
        db.execute("COMMIT")
    except BaseException:
        if db.in_transaction:
            db.execute("ROLLBACK")
        raise
    return found
