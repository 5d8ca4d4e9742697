"""The hard cases, with real processes where it matters: two writers at once, a writer killed
mid-write, a read-only data directory, a full disk, a file locked by someone else."""

from __future__ import annotations

import contextlib
import os
import shutil
import signal
import sqlite3
import subprocess
import sys
import tempfile
import textwrap
import time
from collections.abc import Iterator, Sequence
from pathlib import Path

import pytest

import tui
from tui.data.library import FILENAME, LibraryStore, StoreUnavailable, open_library
from tui.data.library import files as library_files

ROOT = Path(tui.__file__).resolve().parent.parent
A, B, C = "a" * 16, "b" * 16, "c" * 16


@pytest.fixture(autouse=True)
def _data_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERVIEW_DATA_DIR", str(tmp_path / "env-data"))


def python(script: str, *args: str, launcher: Sequence[str] = ()) -> subprocess.Popen[str]:
    env = {**os.environ, "PYTHONPATH": str(ROOT), "PYTHONDONTWRITEBYTECODE": "1"}
    return subprocess.Popen(
        [*launcher, sys.executable, "-c", textwrap.dedent(script), *args],
        stdin=subprocess.DEVNULL,
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
        env=env,
        cwd=ROOT,
    )


def integrity(path: Path) -> str:
    db = sqlite3.connect(path)
    try:
        return str(db.execute("PRAGMA integrity_check").fetchone()[0])
    finally:
        db.close()


WRITER = """
    import sys, time
    from pathlib import Path
    from tui.data.library import open_library

    data_dir, prefix, go = Path(sys.argv[1]), sys.argv[2], Path(sys.argv[3])
    store, warnings = open_library(data_dir)
    assert not warnings, warnings
    print("ready", flush=True)
    while not go.exists():
        time.sleep(0.001)
    for n in range(300):
        store.bookmark([f"{prefix}{n:015x}"])  # 300 separate changes
    assert store.close() == 0
"""


@pytest.mark.slow
def test_two_processes_adding_300_bookmarks_each_keep_all_600(data_dir: Path) -> None:
    go = data_dir.parent / "go"
    writers = [python(WRITER, str(data_dir), prefix, str(go)) for prefix in "ab"]
    for writer in writers:  # both have opened the (not yet existing) library
        assert writer.stdout is not None and writer.stdout.readline() == "ready\n"
    go.touch()
    for writer in writers:
        _, errors = writer.communicate(timeout=60)
        assert writer.returncode == 0, errors

    store, warnings = open_library(data_dir)
    assert warnings == [] and integrity(store.path) == "ok"
    marks = store.bookmarks()
    assert len(marks) == 600
    assert {mark.id[0] for mark in marks} == {"a", "b"}
    # The writers really ran at the same time: their bookmarks interleave in time.
    times = {prefix: [m.bookmarked_at or "" for m in marks if m.id[0] == prefix] for prefix in "ab"}
    assert min(times["a"]) < max(times["b"]) and min(times["b"]) < max(times["a"])


LOOPER = """
    import sys
    from pathlib import Path
    from tui.data.library import open_library

    store, _ = open_library(Path(sys.argv[1]))
    start = int(sys.argv[2])
    for n in range(start, start + 100000):
        store.bookmark([f"{n:04x}{k:012x}" for k in range(50)])  # one change of 50 papers
        print(n - start + 1, flush=True)
"""


@pytest.mark.slow
@pytest.mark.skipif(not hasattr(signal, "SIGKILL"), reason="needs SIGKILL")
def test_a_process_killed_mid_write_leaves_a_valid_store(data_dir: Path) -> None:
    expected = 0
    for round_number, kill_after in enumerate((15, 40)):
        looper = python(LOOPER, str(data_dir), str(round_number * 1000))
        assert looper.stdout is not None
        while int(looper.stdout.readline()) < kill_after:
            pass
        looper.send_signal(signal.SIGKILL)  # while it is writing its next change
        rest, _ = looper.communicate(timeout=30)
        confirmed = int(rest.split()[-1]) if rest.split() else kill_after

        store, warnings = open_library(data_dir)
        assert warnings == [] and integrity(store.path) == "ok"
        count = len(store.bookmarked_ids())
        assert count % 50 == 0  # a change is all or nothing
        # Every confirmed change is there; at most the one in flight is lost.
        assert expected + confirmed <= count // 50 <= expected + confirmed + 1
        expected = count // 50
        store.bookmark([A])  # and the store is writable again
        store.unbookmark([A])
        store.close()


READ_ONLY_SCENARIO = """
    import sys
    from pathlib import Path
    from tui.data.library import FILENAME, StoreUnavailable, open_library

    data_dir = Path(sys.argv[1])
    store, _ = open_library(data_dir)
    store.bookmark(["a" * 16])
    store.close()
    before = (data_dir / FILENAME).read_bytes()
    data_dir.chmod(0o500)
    try:
        store, warnings = open_library(data_dir)
        assert store.is_bookmarked("a" * 16), "existing annotations are readable"
        assert any("can only be read" in warning for warning in warnings), warnings
        try:
            store.bookmark(["b" * 16])
        except StoreUnavailable as failure:
            assert "kept in memory" in str(failure) and "\\n" not in str(failure), failure
            print("message:", failure)
        else:
            raise AssertionError("the write should have failed")
        assert store.is_bookmarked("b" * 16) and store.pending == 1, "kept and shown"
        assert (data_dir / FILENAME).read_bytes() == before, "file untouched"
    finally:
        data_dir.chmod(0o700)
    assert store.retry_pending() == 1 and store.pending == 0
    store.close()
    again, _ = open_library(data_dir)
    assert again.bookmarked_ids() == {"a" * 16, "b" * 16}
    print("ok")
"""


@pytest.fixture
def unprivileged_dir(tmp_path: Path) -> Iterator[tuple[Path, list[str]]]:
    """A data dir, and how to start a process that the dir's permissions bind.

    Root ignores permissions, so as root the process runs as ``nobody`` (through
    ``setpriv``) in a directory of its own under the system temporary directory, since
    nobody cannot reach tmp_path.
    """
    if os.name != "posix":
        pytest.skip("POSIX permissions")
    if os.geteuid() != 0:
        yield tmp_path / "data", []
        return
    setpriv = shutil.which("setpriv")
    if setpriv is None:
        pytest.skip("running as root without setpriv: see test_a_read_only_file_simulated")
    base = Path(tempfile.mkdtemp(prefix="paperview-ro-"))
    try:
        base.chmod(0o755)
        data = base / "data"
        data.mkdir(mode=0o700)
        os.chown(data, 65534, 65534)
        yield data, [setpriv, "--reuid=65534", "--regid=65534", "--clear-groups"]
    finally:
        shutil.rmtree(base, ignore_errors=True)


@pytest.mark.slow
def test_a_read_only_data_dir_keeps_changes_in_memory(
    unprivileged_dir: tuple[Path, list[str]],
) -> None:
    data, launcher = unprivileged_dir
    process = python(READ_ONLY_SCENARIO, str(data), launcher=launcher)
    out, errors = process.communicate(timeout=60)
    assert process.returncode == 0, errors
    assert out.endswith("ok\n")
    assert "message: couldn't save to " in out


class Disk:
    """Every library connection's file is unable to grow (SQLite's own "database or disk is
    full") until :meth:`free` is called."""

    def __init__(self) -> None:
        self.full = True
        self.connections: list[sqlite3.Connection] = []

    def free(self) -> None:
        self.full = False
        for db in self.connections:
            with contextlib.suppress(sqlite3.ProgrammingError):  # closed since
                db.execute("PRAGMA max_page_count = 1000000000")


@pytest.fixture
def disk(monkeypatch: pytest.MonkeyPatch) -> Disk:
    state = Disk()
    real_connect = library_files.connect

    def connect(path: Path, mode: library_files.Mode, busy_timeout: float) -> sqlite3.Connection:
        db = real_connect(path, mode, busy_timeout)
        if state.full:
            pages = db.execute("PRAGMA page_count").fetchone()[0]
            db.execute(f"PRAGMA max_page_count = {pages}")
            state.connections.append(db)
        return db

    monkeypatch.setattr(library_files, "connect", connect)
    return state


def test_a_full_disk_keeps_changes_pending_then_saves_them(data_dir: Path, disk: Disk) -> None:
    store, _ = open_library(data_dir)
    store.bookmark([A])  # the new, empty file had room for one
    many = [f"{n:016x}" for n in range(400)]
    with pytest.raises(StoreUnavailable, match=r"\(database or disk is full\); 1 change kept") as e:
        store.bookmark(many)
    assert e.value.pending == 1 and e.value.reason == "database or disk is full"
    assert store.is_bookmarked(many[-1]) and store.pending == 1  # shown meanwhile
    with pytest.raises(StoreUnavailable, match="2 changes kept"):
        store.add_to_list("L", [B], create=True)
    assert store.reading_list("L") is not None
    assert store.undo() == "Undid: add 1 paper to 'L'"  # never written: simply dropped
    assert store.reading_list("L") is None and store.pending == 1
    with pytest.raises(StoreUnavailable):
        store.retry_pending()
    assert open_library(data_dir)[0].bookmarked_ids() == {A}  # the file is still consistent

    disk.free()
    assert store.retry_pending() == 1 and store.pending == 0
    assert store.undo() == "Undid: bookmark 400 papers"
    assert store.redo() == "Redid: bookmark 400 papers"
    assert open_library(data_dir)[0].bookmarked_ids() == {A, *many}


def test_a_read_only_file_simulated(data_dir: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    """Like a read-only directory, also when the tests run as root: SQLite refuses writes."""
    store, _ = open_library(data_dir)
    store.bookmark([A])
    real_connect = library_files.connect

    def read_only(path: Path, mode: library_files.Mode, busy_timeout: float) -> sqlite3.Connection:
        db = real_connect(path, mode, busy_timeout)
        db.execute("PRAGMA query_only = ON")
        return db

    monkeypatch.setattr(library_files, "connect", read_only)
    store, _ = open_library(data_dir)
    with pytest.raises(StoreUnavailable, match="attempt to write a readonly database"):
        store.mark_read([A])
    assert store.is_read(A) and store.close() == 1  # close reports the change it could not save
    monkeypatch.undo()
    assert not open_library(data_dir)[0].is_read(A)


def test_a_file_locked_too_long_keeps_the_change_and_retries(data_dir: Path) -> None:
    store: LibraryStore
    store, _ = open_library(data_dir, busy_timeout=0.1)
    store.bookmark([A])
    other = sqlite3.connect(data_dir / FILENAME, isolation_level=None)
    other.execute("BEGIN IMMEDIATE")  # another program holds the write lock
    started = time.monotonic()
    with pytest.raises(StoreUnavailable, match="database is locked"):
        store.bookmark([B])
    assert time.monotonic() - started < 5
    assert store.is_bookmarked(B)
    other.execute("COMMIT")
    other.close()
    store.bookmark([C])  # the next change saves the waiting one first
    assert store.pending == 0
    assert open_library(data_dir)[0].bookmarked_ids() == {A, B, C}
