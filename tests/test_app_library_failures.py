"""The library in the reader when things go wrong, and papers the corpus lacks."""

from __future__ import annotations

import contextlib
import sqlite3
from pathlib import Path

import pytest
from app_support import make_app, screen_text, wait_for_text
from library_support import GNN, TABLES, dialog, record_notices, row_text, select, settled, stored
from textual.widgets import Static

import tui.data.library.files as library_files
from tui.app import PaperviewApp
from tui.data.library import FILENAME, open_library
from tui.screens.help import HelpScreen
from tui.screens.lists import ListsScreen
from tui.screens.problems import ProblemsScreen

ABSENT = "00000000deadbeef"


async def test_a_damaged_library_is_kept_aside_reported_and_the_reader_works(
    corpus: Path, data_dir: Path
) -> None:
    data_dir.mkdir()
    (data_dir / FILENAME).write_bytes(b"this is not a database" * 100)
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await select(pilot, GNN)
        await wait_for_text(pilot, "was damaged")
        notices = [notice.message for notice in app._notifications]
        assert any(n.startswith(f"{FILENAME} was damaged") for n in notices)  # not "Library..."
        assert list(data_dir.glob(f"{FILENAME}.corrupt-*"))
        await pilot.press("b")
        await settled(pilot)
        assert row_text(screen, GNN).startswith("★")
        assert len(stored(data_dir).bookmarked_ids()) == 1
        await pilot.press("exclamation_mark")
        await dialog(pilot, ProblemsScreen)
        await pilot.pause()
        assert "library: warning: library.sqlite3 was damaged" in screen_text(pilot)


async def test_a_library_from_a_newer_paperview_is_shown_read_only(
    corpus: Path, data_dir: Path
) -> None:
    store, _ = open_library(data_dir)
    store.bookmark(["1" * 16])
    store.close()
    db = sqlite3.connect(data_dir / FILENAME)
    db.execute("PRAGMA user_version = 99")
    db.close()
    before = (data_dir / FILENAME).read_bytes()
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await select(pilot, TABLES)
        await wait_for_text(pilot, "newer paperview")
        await pilot.press("b")
        await settled(pilot)
        assert not row_text(screen, TABLES).startswith("★")
        assert "nothing was changed" in screen_text(pilot)
        await pilot.press("enter")  # reading is not recorded, and not complained about again
        await settled(pilot)
        assert screen.unsaved == 0
    assert (data_dir / FILENAME).read_bytes() == before


async def test_a_refused_save_is_kept_shown_and_retried(
    corpus: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """A read-only file, simulated so that it also refuses root: SQLite's query_only."""
    store, _ = open_library(data_dir)
    store.create_list("Kept")
    store.close()
    connections: list[sqlite3.Connection] = []
    real_connect = library_files.connect

    def read_only(path: Path, mode: library_files.Mode, busy_timeout: float) -> sqlite3.Connection:
        db = real_connect(path, mode, busy_timeout)
        db.execute("PRAGMA query_only = ON")
        connections.append(db)
        return db

    monkeypatch.setattr(library_files, "connect", read_only)
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        notices = record_notices(app)
        screen = await select(pilot, GNN)
        await pilot.press("b")
        await settled(pilot)
        assert row_text(screen, GNN).startswith("★")  # shown though not saved
        assert screen.unsaved == 1
        assert "kept in memory" in screen_text(pilot)
        status = screen.query_one("#status-text", Static).content
        assert "1 change not saved yet (ctrl+s retries)" in str(status)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert notices[-1] == (
            "Couldn't save the library (attempt to write a readonly database); "
            "1 change kept in memory, will retry."
        )
        assert stored(data_dir).bookmarked_ids() == set()
        for db in connections:  # the disk allows writes again
            with contextlib.suppress(sqlite3.ProgrammingError):
                db.execute("PRAGMA query_only = OFF")
        monkeypatch.undo()
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert notices[-1] == "Saved 1 change that had been kept in memory."
        assert screen.unsaved == 0
        assert len(stored(data_dir).bookmarked_ids()) == 1


async def test_annotations_of_papers_absent_from_the_corpus_are_kept_and_counted(
    corpus: Path, data_dir: Path
) -> None:
    store, _ = open_library(data_dir)
    store.bookmark([ABSENT])
    store.add_to_list("Old", [ABSENT], create=True)
    store.close()
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, GNN)
        assert screen.selected is not None
        gnn = screen.selected.id
        await pilot.press("b", "B")
        await settled(pilot)
        assert "filter: bookmarked (1 not in this corpus)" in screen_text(pilot)
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.pause()
        assert "Old  1 paper, 1 not in this corpus" in screen_text(pilot)
        await pilot.press("enter")
        await settled(pilot)
    kept = stored(data_dir)
    assert kept.bookmarked_ids() == {ABSENT, gnn}
    old = kept.reading_list("Old")
    assert old is not None and old.ids == (ABSENT, gnn)


async def test_every_library_key_is_in_the_help_and_the_palette(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settled(pilot)
        await pilot.press("question_mark")
        await dialog(pilot, HelpScreen)
        await pilot.pause()
        text = str(app.screen.query_one("#help-table", Static).content)  # the whole table
        for detail in (
            "Bookmark the paper, or remove its bookmark",
            "Show only bookmarked papers",
            "Mark the paper read or unread",
            "Edit the paper's tags",
            "Write a note on the paper",
            "Put the paper on reading lists",
            "Show only the papers of a reading list",
            "Undo the last library change",
            "Redo the library change just undone",
            "Save the note",
            "Add every paper listed in the reader to the list",
        ):
            assert detail in text, detail
        await pilot.press("escape")
        await pilot.press("ctrl+p", *"redo")
        await wait_for_text(pilot, "Redo the library change just undone (key: ^r)", timeout=30)


def test_library_bindings_have_ids_and_can_be_remapped(tmp_path: Path) -> None:
    from tui.screens.help import key_sections

    app = PaperviewApp([tmp_path / "a.txt"])
    rows = {row.binding_id: row for s in key_sections(app, {"bookmark": "f6"}) for row in s.rows}
    assert rows["bookmark"].keys == ("f6",)
    expected = {
        "bookmarks-view": ("B",),
        "read": ("m",),
        "tags": ("t",),
        "note": ("n",),
        "lists": ("l",),
        "list-view": ("L",),
        "undo": ("u",),
        "redo": ("^r",),
    }
    for binding_id, keys in expected.items():
        assert rows[binding_id].keys == keys, binding_id
