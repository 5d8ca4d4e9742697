"""Property: any sequence of changes, undos and redos keeps undo exact.

After every step the store equals the state the model expects (each undo returns to the state
before the change it undoes, each redo to the state after it), what is on disk equals what the
store shows, and undoing everything returns to the empty library.
"""

from __future__ import annotations

import itertools
import sqlite3
from pathlib import Path

import pytest
from hypothesis import settings
from hypothesis import strategies as st
from hypothesis.stateful import (
    RuleBasedStateMachine,
    invariant,
    precondition,
    rule,
    run_state_machine_as_test,
)

from tui.data.library import FILENAME, LibraryError, LibraryView, open_library
from tui.data.library.view import read_view

IDS = [f"{n:016x}" for n in range(6)]
ids = st.lists(st.sampled_from(IDS), min_size=1, max_size=4)
tags = st.sampled_from(["llm", "LLM", "vision", "Ünï"])
names = st.sampled_from(["To read", "to READ", "Done", "later"])
notes = st.sampled_from(["", "a note", "another\nnote [b]x[/b]", "  "])


@pytest.fixture(autouse=True)
def _data_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERVIEW_DATA_DIR", str(tmp_path / "env-data"))


def test_undo_and_redo_are_exact(tmp_path: Path) -> None:
    counter = itertools.count()

    class Library(RuleBasedStateMachine):
        def __init__(self) -> None:
            super().__init__()
            self.data_dir = tmp_path / f"run-{next(counter)}"
            self.store, _ = open_library(self.data_dir, refresh_interval=3600)
            self.undo_states: list[LibraryView] = []
            self.redo_states: list[LibraryView] = []

        def change(self, action: str, *args: object) -> None:
            before = self.store.view()
            try:
                getattr(self.store, action)(*args)
            except LibraryError:
                assert self.store.view() == before
                return
            if self.store.view() != before:
                self.undo_states.append(before)
                self.redo_states.clear()

        @rule(papers=ids)
        def bookmark(self, papers: list[str]) -> None:
            self.change("bookmark", papers)

        @rule(papers=ids)
        def unbookmark(self, papers: list[str]) -> None:
            self.change("unbookmark", papers)

        @rule(papers=ids)
        def mark_read(self, papers: list[str]) -> None:
            self.change("mark_read", papers)

        @rule(papers=ids)
        def mark_unread(self, papers: list[str]) -> None:
            self.change("mark_unread", papers)

        @rule(tag=tags, papers=ids)
        def add_tag(self, tag: str, papers: list[str]) -> None:
            self.change("add_tag", tag, papers)

        @rule(tag=tags, papers=ids)
        def remove_tag(self, tag: str, papers: list[str]) -> None:
            self.change("remove_tag", tag, papers)

        @rule(paper=st.sampled_from(IDS), text=notes)
        def set_note(self, paper: str, text: str) -> None:
            self.change("set_note", paper, text)

        @rule(name=names)
        def create_list(self, name: str) -> None:
            self.change("create_list", name)

        @rule(old=names, new=names)
        def rename_list(self, old: str, new: str) -> None:
            self.change("rename_list", old, new)

        @rule(name=names)
        def delete_list(self, name: str) -> None:
            self.change("delete_list", name)

        @rule(name=names, papers=ids, create=st.booleans())
        def add_to_list(self, name: str, papers: list[str], create: bool) -> None:
            before = self.store.view()
            try:
                self.store.add_to_list(name, papers, create=create)
            except LibraryError:
                assert self.store.view() == before
                return
            if self.store.view() != before:
                self.undo_states.append(before)
                self.redo_states.clear()

        @rule(name=names, papers=ids)
        def remove_from_list(self, name: str, papers: list[str]) -> None:
            self.change("remove_from_list", name, papers)

        @rule()
        def undo(self) -> None:
            current = self.store.view()
            message = self.store.undo()
            if not self.undo_states:
                assert message is None
                return
            assert message is not None and message.startswith("Undid: ")
            assert self.store.view() == self.undo_states.pop()
            self.redo_states.append(current)

        @precondition(lambda self: bool(self.redo_states))
        @rule()
        def redo(self) -> None:
            current = self.store.view()
            message = self.store.redo()
            assert message is not None and message.startswith("Redid: ")
            assert self.store.view() == self.redo_states.pop()
            self.undo_states.append(current)

        @invariant()
        def disk_matches_memory(self) -> None:
            assert self.store.pending == 0
            assert fresh_view(self.data_dir) == self.store.view()

        def teardown(self) -> None:
            while self.store.undo():
                pass
            assert self.store.view() == LibraryView()
            assert fresh_view(self.data_dir) == LibraryView()
            self.store.close()

    # Each step writes to disk; 60 runs of up to 50 steps take a few seconds.
    limit = settings(max_examples=min(settings().max_examples, 60), deadline=None)
    run_state_machine_as_test(Library, settings=limit)


def fresh_view(data_dir: Path) -> LibraryView:
    """What another process would read from the file."""
    path = data_dir / FILENAME
    if not path.exists():
        return LibraryView()
    db = sqlite3.connect(path, isolation_level=None)
    try:
        return read_view(db)
    finally:
        db.close()
