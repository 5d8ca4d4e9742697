"""The reader never loses library work silently: edited notes, quitting, failing jobs."""

from __future__ import annotations

import sqlite3
import threading
import time
from pathlib import Path

import pytest
from app_support import make_app, screen_text, settle
from library_support import (
    GNN,
    SURVEY,
    TABLES,
    dialog,
    record_notices,
    row_text,
    select,
    settled,
    stored,
)
from textual.widgets import Input, TextArea

import tui.data.library
import tui.data.library.files as library_files
import tui.screens.main
from tui.data.library import LibraryStore, StoreReadOnly
from tui.screens.main import MainScreen
from tui.screens.note import DiscardScreen, NoteScreen
from tui.screens.problems import ProblemsScreen
from tui.screens.tags import TagsScreen


def paper_id(screen: MainScreen, title: str) -> str:
    return next(paper.id for paper in screen.papers if paper.title == title)


def refuse_writes(monkeypatch: pytest.MonkeyPatch) -> None:
    """Make the library file refuse writes (even to root): SQLite's query_only."""
    real_connect = library_files.connect

    def read_only(path: Path, mode: library_files.Mode, busy_timeout: float) -> sqlite3.Connection:
        db = real_connect(path, mode, busy_timeout)
        db.execute("PRAGMA query_only = ON")
        return db

    monkeypatch.setattr(library_files, "connect", read_only)


async def test_an_edited_note_is_discarded_only_when_the_user_says_so(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, SURVEY)
        await pilot.press("n")
        await dialog(pilot, NoteScreen)
        await pilot.press("escape")  # nothing typed: closes at once
        await settled(pilot)
        assert isinstance(app.screen, MainScreen)
        await pilot.press("n")
        await dialog(pilot, NoteScreen)
        await pilot.press(*"keep me", "escape")
        await dialog(pilot, DiscardScreen)
        assert "Discard changes?" in screen_text(pilot)
        await pilot.press("enter")  # the focused default keeps the edit
        await dialog(pilot, NoteScreen)
        assert app.screen.query_one(TextArea).text == "keep me"
        await pilot.press("escape")
        await dialog(pilot, DiscardScreen)
        await pilot.click("#discard-keep")
        await dialog(pilot, NoteScreen)
        assert app.screen.query_one(TextArea).text == "keep me"
        await pilot.press("escape")
        await dialog(pilot, DiscardScreen)
        await pilot.click("#discard-yes")
        await settled(pilot)
        assert isinstance(app.screen, MainScreen)
        assert stored(data_dir).note(paper_id(screen, SURVEY)) == ""


async def test_quitting_from_an_edited_note_asks_first(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(pilot, SURVEY)
        await pilot.press("n")
        await dialog(pilot, NoteScreen)
        await pilot.press(*"draft", "ctrl+q")
        await dialog(pilot, DiscardScreen)
        await pilot.press("escape")  # back to the note: the app keeps running
        await dialog(pilot, NoteScreen)
        assert app.return_code is None
        assert app.screen.query_one(TextArea).text == "draft"
        await pilot.press("ctrl+q")
        await dialog(pilot, DiscardScreen)
        await pilot.press("y")
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause(0.01)
    assert app.return_code == 0


async def test_quitting_from_edited_tags_asks_first(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(pilot, SURVEY)
        await pilot.press("t")
        await dialog(pilot, TagsScreen)
        await pilot.press(*"later", "ctrl+q")
        await dialog(pilot, DiscardScreen)
        assert "The tags were edited." in screen_text(pilot)
        await pilot.press("escape")  # back to the tags: the app keeps running
        await dialog(pilot, TagsScreen)
        assert app.return_code is None and app.screen.query_one(Input).value == "later"
        await pilot.press("ctrl+u", "ctrl+q")  # as it was: quits without asking
        for _ in range(100):
            if app.return_code is not None:
                break
            await pilot.pause(0.01)
    assert app.return_code == 0


async def test_a_change_queued_just_before_quitting_is_saved(
    corpus: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    real = LibraryStore.toggle_read

    def slow_toggle_read(self: LibraryStore, paper: object) -> bool:
        time.sleep(0.3)  # the worker is busy when q arrives
        return real(self, paper)  # type: ignore[arg-type]

    monkeypatch.setattr(LibraryStore, "toggle_read", slow_toggle_read)
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, GNN)
        gnn = paper_id(screen, GNN)
        await pilot.press("m", "b", "q")
    library = stored(data_dir)
    assert library.bookmarked_ids() == {gnn}
    assert library.is_read(gnn)
    assert app.farewell == []


async def test_quitting_with_unsaved_changes_warns_once_then_says_what_was_lost(
    corpus: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored(data_dir).close()  # the file exists, and will refuse writes
    refuse_writes(monkeypatch)
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        notices = record_notices(app)
        screen = await select(pilot, GNN)
        await pilot.press("b")
        await settled(pilot)
        assert screen.unsaved == 1
        await pilot.press("q")
        await pilot.pause()
        assert app.return_code is None  # still running
        assert "press q again to quit and lose them" in notices[-1]
        await pilot.press("q")
    assert app.return_code == 0
    assert app.farewell == ["lost 1 change to the library that couldn't be saved"]


async def test_a_failing_library_job_is_reported_and_the_next_one_runs(
    corpus: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def broken(self: LibraryStore, paper: object) -> bool:
        raise RuntimeError("disk gremlins")

    monkeypatch.setattr(LibraryStore, "toggle_bookmark", broken)
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        notices = record_notices(app)
        screen = await select(pilot, GNN)
        await pilot.press("b")
        await settled(pilot)
        assert notices[-1] == "A library change failed: disk gremlins"
        await pilot.press("m")
        await settled(pilot)
        assert stored(data_dir).is_read(paper_id(screen, GNN))


async def test_a_refusal_other_than_the_disk_on_retry_is_reported(
    corpus: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    stored(data_dir).close()
    refuse_writes(monkeypatch)

    def newer(self: LibraryStore) -> int:
        raise StoreReadOnly("library.sqlite3 was created by a newer paperview; read-only")

    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        notices = record_notices(app)
        screen = await select(pilot, GNN)
        await pilot.press("b")
        await settled(pilot)
        assert screen.unsaved == 1
        monkeypatch.setattr(LibraryStore, "retry_pending", newer)
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert notices[-1] == "library.sqlite3 was created by a newer paperview; read-only"


async def test_an_unopenable_library_leaves_the_reader_working_and_keys_say_why(
    corpus: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    def untraversable(data_dir: Path) -> object:
        raise PermissionError(13, "Permission denied", str(data_dir))

    monkeypatch.setattr(tui.data.library, "open_library", untraversable)
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        notices = record_notices(app)
        screen = await settle(pilot)
        for _ in range(100):
            if screen.library_problem is not None:
                break
            await pilot.pause(0.01)
        assert screen.library_problem == (
            f"Couldn't open the library: permission denied ({data_dir})"
        )
        await pilot.press("b")
        await pilot.pause()
        assert notices[-1] == f"The library is unavailable. {screen.library_problem}"
        await pilot.press("slash", *"zebra", "enter")
        await settle(pilot)
        assert len(screen.paper_list.rows) == 1
        await pilot.press("exclamation_mark")
        await dialog(pilot, ProblemsScreen)
        assert "library: warning: Couldn't open the library" in screen_text(pilot)


async def test_retries_do_not_pile_up_while_a_job_waits(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settled(pilot)
        release = threading.Event()

        def waiting(store: LibraryStore) -> None:  # a job waiting for another process's lock
            release.wait(5)

        screen.library.change(waiting)
        for _ in range(100):  # until the worker has taken the job
            if not screen.library._jobs:
                break
            await pilot.pause(0.01)
        screen.unsaved = 1  # as if the disk had refused a change
        for _ in range(3):  # three ticks of the library clock while the job waits on a lock
            screen._look_at_library()
        queued = len(screen.library._jobs)
        release.set()
        screen.unsaved = 0
        await settled(pilot)
        assert queued == 0


async def test_another_process_s_changes_picked_up_by_a_change_are_drawn(
    corpus: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(tui.screens.main, "LIBRARY_EVERY", 3600.0)  # no refresh in between
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, TABLES)
        assert not row_text(screen, GNN).startswith("★")
        other = stored(data_dir)
        other.bookmark([paper_id(screen, GNN)])
        other.close()
        await pilot.press("b")
        await settled(pilot)
        assert row_text(screen, TABLES).startswith("★")
        assert row_text(screen, GNN).startswith("★")


async def test_changing_only_the_case_of_a_tag_says_it_is_unchanged(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        notices = record_notices(app)
        screen = await select(pilot, GNN)
        await pilot.press("t")
        await dialog(pilot, TagsScreen)
        await pilot.press(*"llm", "enter")
        await settled(pilot)
        await pilot.press("t")
        await dialog(pilot, TagsScreen)
        app.screen.query_one(Input).value = "LLM"
        await pilot.press("enter")
        await settled(pilot)
        assert notices[-1] == "Tags unchanged (tags ignore case)."
        assert stored(data_dir).tags_of(paper_id(screen, GNN)) == ("llm",)
