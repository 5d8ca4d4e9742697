"""The library file: damaged and foreign files are kept aside, newer files are never written,
older files are migrated (with a backup), symlinks are followed, leftovers are cleaned."""

from __future__ import annotations

import os
import sqlite3
import time
from pathlib import Path

import pytest

from tui.data.library import (
    FILENAME,
    LibraryStore,
    StoreReadOnly,
    StoreUnavailable,
    open_library,
    schema,
)
from tui.data.library import files as library_files

IDS = [f"{n:016x}" for n in range(300)]


@pytest.fixture(autouse=True)
def _data_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERVIEW_DATA_DIR", str(tmp_path / "env-data"))


def make_library(data_dir: Path, ids: list[str]) -> Path:
    store, _ = open_library(data_dir)
    for paper_id in ids:  # one change each: many pages, a realistic file
        store.bookmark([paper_id])
    store.close()
    return data_dir / FILENAME


def aside_files(data_dir: Path) -> list[Path]:
    found = data_dir.glob(f"{FILENAME}.corrupt-*")
    return sorted(path for path in found if not path.name.endswith(("-wal", "-shm")))


def truncated(data_dir: Path) -> bytes:
    path = make_library(data_dir, IDS)
    data = path.read_bytes()
    assert len(data) > 4 * 4096
    return data[: len(data) // 2]


def page_overwritten(data_dir: Path) -> bytes:
    data = bytearray(make_library(data_dir, IDS).read_bytes())
    data[2 * 4096 : 3 * 4096] = bytes(range(256)) * 16  # garbage over the third page
    return bytes(data)


def foreign_database(data_dir: Path) -> bytes:
    data_dir.mkdir(parents=True)
    other = data_dir / "other.db"
    db = sqlite3.connect(other)
    db.execute("CREATE TABLE accounts (name TEXT)")
    db.commit()
    db.close()
    return other.read_bytes()


DAMAGE = {
    "empty file": lambda data_dir: b"",
    "garbage": lambda data_dir: bytes(range(256)) * 8,
    "text file": lambda data_dir: b'{"schema_version": 1, "bookmarks": [',
    "header only": lambda data_dir: b"SQLite format 3\x00" + b"\xff" * 84,
    "truncated": truncated,
    "page overwritten": page_overwritten,
    "another program's database": foreign_database,
}


@pytest.mark.parametrize("damage", DAMAGE, ids=list(DAMAGE))
def test_a_damaged_file_is_kept_aside_and_reported(damage: str, data_dir: Path) -> None:
    content = DAMAGE[damage](data_dir)
    data_dir.mkdir(parents=True, exist_ok=True)
    path = data_dir / FILENAME
    path.write_bytes(content)
    (data_dir / f"{FILENAME}-wal").write_bytes(b"wal bytes")

    store, warnings = open_library(data_dir)

    (aside,) = aside_files(data_dir)
    assert aside.read_bytes() == content  # kept byte for byte
    assert aside.with_name(aside.name + "-wal").read_bytes() == b"wal bytes"
    (warning,) = warnings
    assert f"{FILENAME} was damaged (" in warning and f"kept aside as {aside}" in warning
    assert store.bookmarked_ids() == frozenset()
    assert not path.exists()  # nothing is written until the user changes something
    store.bookmark(["abcdabcdabcdabcd"])
    store.close()
    again, warnings = open_library(data_dir)
    assert warnings == [] and again.bookmarked_ids() == {"abcdabcdabcdabcd"}
    assert aside.read_bytes() == content


def test_two_damaged_files_in_one_second_get_distinct_names(data_dir: Path) -> None:
    data_dir.mkdir()
    for content in (b"first", b"second"):
        (data_dir / FILENAME).write_bytes(content)
        open_library(data_dir)
    assert sorted(path.read_bytes() for path in aside_files(data_dir)) == [b"first", b"second"]


def test_a_file_from_a_newer_paperview_is_shown_but_never_written(data_dir: Path) -> None:
    path = make_library(data_dir, IDS[:3])
    db = sqlite3.connect(path)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = path.read_bytes()

    store, warnings = open_library(data_dir)

    (warning,) = warnings
    assert "created by a newer paperview (schema 99" in warning and "read-only" in warning
    assert store.read_only and store.bookmarked_ids() == set(IDS[:3])
    with pytest.raises(StoreReadOnly, match="newer paperview"):
        store.bookmark(["ffffffffffffffff"])
    with pytest.raises(StoreReadOnly):
        store.create_list("L")
    assert store.undo() is None and store.pending == 0
    store.close()
    assert path.read_bytes() == before
    assert aside_files(data_dir) == []


def test_an_older_file_is_backed_up_then_migrated(
    data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = make_library(data_dir, IDS[:2])

    def add_column(db: sqlite3.Connection) -> None:
        db.execute("ALTER TABLE papers ADD COLUMN extra TEXT NOT NULL DEFAULT ''")

    monkeypatch.setattr(schema, "SCHEMA_VERSION", 2)
    monkeypatch.setitem(schema.MIGRATIONS, 1, add_column)

    store, warnings = open_library(data_dir)

    (warning,) = warnings
    (backup,) = data_dir.glob(f"{FILENAME}.v1-*.bak")
    assert f"upgraded {FILENAME} from schema 1 to 2; the old file is kept as {backup}" == warning
    assert store.bookmarked_ids() == set(IDS[:2])
    store.bookmark([IDS[2]])
    store.close()
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA user_version").fetchone() == (2,)
    assert db.execute("SELECT count(*) FROM papers WHERE extra = ''").fetchone() == (0,)
    db.close()
    old = sqlite3.connect(backup)
    assert old.execute("PRAGMA user_version").fetchone() == (1,)
    assert old.execute("SELECT count(*) FROM bookmarks").fetchone() == (2,)
    old.close()
    assert open_library(data_dir)[1] == []  # migrated once

    monkeypatch.setattr(schema, "SCHEMA_VERSION", 1)  # the older paperview again
    older, warnings = open_library(data_dir)
    assert older.read_only and "newer paperview (schema 2;" in warnings[0]


def test_an_empty_sqlite_file_is_set_up_in_place(data_dir: Path) -> None:
    data_dir.mkdir()
    db = sqlite3.connect(data_dir / FILENAME)
    db.execute("CREATE TABLE scratch (x)")
    db.execute("DROP TABLE scratch")
    db.close()
    store, warnings = open_library(data_dir)
    assert warnings == []
    store.bookmark(["abcdabcdabcdabcd"])
    assert aside_files(data_dir) == []


def test_an_unreadable_path_is_reported_and_changes_wait(data_dir: Path) -> None:
    (data_dir / FILENAME).mkdir(parents=True)  # a directory where the file should be
    store, warnings = open_library(data_dir)
    (warning,) = warnings
    assert warning.startswith(f"couldn't read {data_dir / FILENAME} (is a directory)")
    with pytest.raises(StoreUnavailable, match="is a directory"):
        store.bookmark(["abcdabcdabcdabcd"])
    assert store.is_bookmarked("abcdabcdabcdabcd") and store.pending == 1
    assert (data_dir / FILENAME).is_dir()


def test_a_symlinked_library_stays_a_symlink(tmp_path: Path, data_dir: Path) -> None:
    target = make_library(tmp_path / "dotfiles", IDS[:1])
    data_dir.mkdir()
    link = data_dir / FILENAME
    link.symlink_to(target)
    store, warnings = open_library(data_dir)
    assert warnings == [] and store.bookmarked_ids() == {IDS[0]}
    store.bookmark([IDS[1]])
    store.close()
    assert link.is_symlink()
    reader, _ = open_library(tmp_path / "dotfiles")
    assert reader.bookmarked_ids() == set(IDS[:2])


def test_creation_leftovers_are_cleaned_but_fresh_ones_kept(data_dir: Path) -> None:
    data_dir.mkdir()
    stale = data_dir / f".{FILENAME}.abc123.tmp"
    fresh = data_dir / f".{FILENAME}.def456.tmp"
    for leftover in (stale, fresh):
        leftover.write_bytes(b"half-built")
    old = time.time() - 3600
    os.utime(stale, (old, old))
    store, _ = open_library(data_dir)
    store.bookmark(["abcdabcdabcdabcd"])
    assert not stale.exists() and fresh.exists()  # another process may be building that one
    assert sorted(path.name for path in data_dir.iterdir()) == sorted(
        [FILENAME, f"{FILENAME}-wal", f"{FILENAME}-shm", fresh.name]
    )


def test_the_file_is_a_wal_database_with_its_version(data_dir: Path) -> None:
    path = make_library(data_dir, IDS[:1])
    db = sqlite3.connect(path)
    assert db.execute("PRAGMA journal_mode").fetchone() == ("wal",)
    assert db.execute("PRAGMA user_version").fetchone() == (schema.SCHEMA_VERSION,)
    assert db.execute("PRAGMA application_id").fetchone() == (schema.APPLICATION_ID,)
    db.close()


def test_a_store_opened_before_the_file_existed_sees_it(data_dir: Path) -> None:
    early: LibraryStore
    early, _ = open_library(data_dir, refresh_interval=3600)
    make_library(data_dir, IDS[:1])
    assert early.refresh() is True and early.bookmarked_ids() == {IDS[0]}
    early.bookmark([IDS[1]])  # writes into the file the other process created
    assert open_library(data_dir)[0].bookmarked_ids() == set(IDS[:2])


def test_a_file_another_process_already_replaced_is_not_set_aside(data_dir: Path) -> None:
    data_dir.mkdir()
    path = data_dir / FILENAME
    path.write_bytes(b"damaged")
    stale_inode = path.stat().st_ino
    path.rename(data_dir / "moved-by-the-other-process")
    path.write_bytes(b"the other process's new file")
    assert library_files.set_aside(path, "corrupt", stale_inode) is None
    assert path.read_bytes() == b"the other process's new file"
