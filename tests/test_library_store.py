"""The library store: each annotation, reading lists, the search filters, undo and redo, and
two stores sharing one file."""

from __future__ import annotations

import re
from pathlib import Path

import pytest

from tui.data.library import (
    Complement,
    InvalidChange,
    LibraryStore,
    ListExists,
    NoSuchList,
    ReadingList,
    list_name,
    open_library,
    tag_name,
)
from tui.data.library.ops import NOTE_SEPARATOR
from tui.data.models import Paper, SourceRef
from tui.data.text import paper_id

STAMP = re.compile(r"\d{4}-\d\d-\d\dT\d\d:\d\d:\d\d\.\d{3}Z")


@pytest.fixture(autouse=True)
def _data_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setenv("PAPERVIEW_DATA_DIR", str(tmp_path / "env-data"))


@pytest.fixture
def store(data_dir: Path) -> LibraryStore:
    opened, warnings = open_library(data_dir, refresh_interval=3600)
    assert warnings == []
    return opened


def paper(title: str) -> Paper:
    return Paper(
        id=paper_id(title), title=title, abstract="", sources=(SourceRef(file="f", line=1),)
    )


A, B, C, D = (paper(title) for title in ("Alpha net", "Beta [bold]x[/]", "Gamma", "Delta"))


def reopen(data_dir: Path) -> LibraryStore:
    again, warnings = open_library(data_dir)
    assert warnings == []
    return again


def test_opening_creates_nothing_until_the_first_change(data_dir: Path) -> None:
    store, warnings = open_library(data_dir)
    assert warnings == [] and not data_dir.exists()
    assert store.bookmarked_ids() == frozenset() and store.lists() == ()
    assert store.undo() is None and store.redo() is None
    store.close()
    assert not data_dir.exists()
    store, _ = open_library(data_dir)
    store.bookmark([A])
    assert (data_dir.stat().st_mode & 0o777) == 0o700
    assert (store.path.stat().st_mode & 0o777) == 0o600


def test_bookmarks_persist_with_time_and_title(store: LibraryStore, data_dir: Path) -> None:
    assert store.bookmark([A, B]) == "bookmark 2 papers"
    assert store.is_bookmarked(A.id) and not store.is_bookmarked(C.id)
    assert store.toggle_bookmark(C) is True
    assert store.toggle_bookmark(A) is False
    again = reopen(data_dir)
    assert again.bookmarked_ids() == {B.id, C.id}
    records = again.bookmarks()
    assert [record.id for record in records] == [B.id, C.id]  # oldest first
    assert records[0].title == "Beta [bold]x[/]"  # kept exactly, markup and all
    assert all(record.bookmarked_at and STAMP.fullmatch(record.bookmarked_at) for record in records)


def test_bare_ids_and_duplicates_in_one_change(store: LibraryStore) -> None:
    assert store.bookmark([A.id, A, A.id]) == "bookmark 1 paper"
    assert store.bookmarked_ids() == {A.id}
    assert store.title(A.id) == A.title
    with pytest.raises(InvalidChange, match="no papers"):
        store.bookmark([])
    with pytest.raises(InvalidChange, match="not a paper id"):
        store.bookmark([""])


def test_read_status_keeps_the_first_read_time(store: LibraryStore) -> None:
    store.mark_read([A])
    first = store.annotation(A.id).read_at
    store.mark_read([A, B])
    assert store.annotation(A.id).read_at == first
    assert store.read_ids() == {A.id, B.id}
    assert store.toggle_read(A) is False and store.toggle_read(C) is True
    assert store.read_ids() == {B.id, C.id}
    store.mark_unread([B, C])
    assert store.read_ids() == frozenset()


def test_tags_ignore_case_and_keep_the_first_spelling(store: LibraryStore) -> None:
    store.add_tag("LLM", [A])
    store.add_tag("llm", [B])
    store.add_tag("vision", [B])
    assert store.tags_of(B.id) == ("LLM", "vision")
    assert store.all_tags() == {"LLM": 2, "vision": 1}
    assert store.ids("tag", "Llm") == {A.id, B.id}
    assert store.ids("tag", "nothing") is None
    store.remove_tag("lLm", [A, B])
    assert store.all_tags() == {"vision": 1} and store.tags_of(A.id) == ()


@pytest.mark.parametrize("bad", ["", "   ", "two words", "tab\there", "x" * 65, "nul\x00"])
def test_malformed_tags_are_refused(store: LibraryStore, bad: str) -> None:
    with pytest.raises(InvalidChange):
        store.add_tag(bad, [A])
    assert store.annotated_ids() == frozenset()


def test_notes_are_kept_exactly_and_blank_deletes(store: LibraryStore, data_dir: Path) -> None:
    text = "Line one [red]not red[/]\n\n  indented, ${x} {0} %s \\"
    assert store.set_note(A, text) == "edit note"
    assert reopen(data_dir).note(A.id) == text
    store.set_note(A, "  \n")
    assert store.note(A.id) == "" and A.id not in store.annotated_ids()


def test_reading_lists(store: LibraryStore, data_dir: Path) -> None:
    store.create_list("To read")
    with pytest.raises(ListExists, match="'To read' already exists"):
        store.create_list("to READ")
    store.add_to_list("to read", [C, A])
    store.add_to_list("To read", [B, A])  # A stays where it was
    assert store.reading_list("TO READ") == ReadingList(
        "To read", store.lists()[0].created_at, (C.id, A.id, B.id)
    )
    store.remove_from_list("To read", [A])
    store.rename_list("to read", "Later")
    store.rename_list("later", "LATER")  # a change of case is a rename
    store.add_to_list("Done", [A], create=True)
    assert [(item.name, item.ids) for item in store.lists()] == [
        ("Done", (A.id,)),
        ("LATER", (C.id, B.id)),
    ]
    assert store.lists_of(A.id) == ("Done",) and store.ids("list", "later") == {B.id, C.id}
    with pytest.raises(ListExists):
        store.rename_list("Done", "later")
    with pytest.raises(NoSuchList, match="no reading list named 'nope'"):
        store.add_to_list("nope", [A])
    with pytest.raises(NoSuchList):
        store.delete_list("nope")
    store.delete_list("later")
    assert [item.name for item in reopen(data_dir).lists()] == ["Done"]
    assert store.ids("list", "later") is None


def test_lists_are_found_by_any_spacing_of_their_name(store: LibraryStore) -> None:
    store.add_to_list("To\t read\x85", [A], create=True)
    for typed in ("to read", "TO  READ", " to\u2003read\n"):
        found = store.reading_list(typed)
        assert found is not None and found.name == "To read"
        assert store.ids("list", typed) == {A.id}  # what list:"to  read" finds
    store.add_to_list("to\nread", [B])
    store.rename_list("to  read", "Later")
    assert [(item.name, len(item)) for item in store.lists()] == [("Later", 2)]


def test_name_rules() -> None:
    assert list_name("  To   read ") == "To read"
    assert tag_name(" llm ") == "llm"
    for bad in ("", "  ", "bell\x07"):
        with pytest.raises(InvalidChange):
            list_name(bad)


def test_annotations_of_papers_absent_from_the_corpus_are_kept(store: LibraryStore) -> None:
    store.bookmark([A])
    store.add_tag("x", [B])
    store.add_to_list("L", [C], create=True)
    store.set_note(D, "n")
    store.mark_read(["0123456789abcdef"])  # an id alone: no title known
    assert store.annotated_ids() == {A.id, B.id, C.id, D.id, "0123456789abcdef"}
    record = store.annotation(C.id)
    assert record.title == "Gamma" and record.lists == ("L",) and bool(record)
    assert store.annotation("0123456789abcdef").title is None
    assert not store.annotation("ffffffffffffffff")


def test_search_filters(store: LibraryStore) -> None:
    store.bookmark([A, B])
    store.mark_read([B])
    assert store.ids("is", "bookmarked") == {A.id, B.id}
    assert store.ids("is", "READ") == {B.id}
    unread = store.ids("is", "unread")
    assert isinstance(unread, Complement)
    assert A.id in unread and B.id not in unread
    assert store.ids("is", "nonsense") is None and store.ids("year", "2024") is None


def test_complement_is_exact_or_refuses() -> None:
    unread = Complement({"r1", "r2"})
    candidates = frozenset({"r1", "u1", "u2"})
    assert candidates & unread == {"u1", "u2"} == unread & candidates
    assert candidates - unread == {"r1"}
    assert unread.within(["r2", "u3"]) == {"u3"}
    assert isinstance(unread & candidates, frozenset)
    with pytest.raises(TypeError):
        list(unread)
    with pytest.raises(TypeError):
        len(unread)


def test_undo_and_redo_every_kind_of_change(store: LibraryStore, data_dir: Path) -> None:
    store.add_to_list("L", [A, B, C], create=True)
    store.bookmark([A, B, C])
    store.add_tag("t", [A])
    store.set_note(A, "first")
    store.set_note(A, "second")
    store.remove_from_list("L", [B])
    store.rename_list("L", "M")
    store.delete_list("M")
    full = store.view()
    assert store.undo() == "Undid: delete list 'M'"
    assert store.reading_list("M") is not None
    assert store.undo() == "Undid: rename list 'L' to 'M'"
    assert store.undo() == "Undid: remove 1 paper from 'L'"
    assert store.reading_list("L") == ReadingList("L", full_created(store), (A.id, B.id, C.id))
    assert store.undo() == "Undid: edit note" and store.note(A.id) == "first"
    assert store.undo() == "Undid: edit note" and store.note(A.id) == ""
    assert store.undo() == "Undid: tag 1 paper 't'"
    assert store.undo() == "Undid: bookmark 3 papers" and store.bookmarked_ids() == frozenset()
    assert store.undo() == "Undid: add 3 papers to 'L'" and store.lists() == ()
    assert store.undo() is None
    assert reopen(data_dir).annotated_ids() == frozenset()
    while store.redo():
        pass
    assert store.view() == full == reopen(data_dir).view()


def full_created(store: LibraryStore) -> str:
    (only,) = store.lists()
    return only.created_at


def test_a_change_that_changes_nothing_is_not_an_undo_step(store: LibraryStore) -> None:
    store.bookmark([A])
    store.bookmark([A])
    store.unbookmark([B])
    assert store.undo() == "Undid: bookmark 1 paper"
    assert store.undo() is None


def test_an_automatic_read_mark_is_not_an_undo_step(store: LibraryStore) -> None:
    store.bookmark([A])
    store.undo()
    store.mark_read([A], undoable=False)  # the reader opened the paper
    assert store.is_read(A.id) and store.can_redo  # the user's redo history survives
    store.redo()
    assert store.undo() == "Undid: bookmark 1 paper"
    assert store.is_read(A.id) and store.undo() is None


def test_a_new_change_clears_redo(store: LibraryStore) -> None:
    store.bookmark([A])
    store.undo()
    assert store.can_redo
    store.bookmark([B])
    assert not store.can_redo and store.redo() is None


def test_undo_restores_original_times_and_positions(store: LibraryStore) -> None:
    store.bookmark([A])
    store.add_to_list("L", [A, B, C], create=True)
    before = store.view()
    store.unbookmark([A])
    store.remove_from_list("L", [A, C])
    store.delete_list("L")
    store.undo()
    store.undo()
    store.undo()
    assert store.view() == before


def test_two_stores_on_one_file_never_lose_changes(data_dir: Path) -> None:
    first, _ = open_library(data_dir, refresh_interval=3600)
    second, _ = open_library(data_dir, refresh_interval=3600)
    first.bookmark([A])
    assert not second.is_bookmarked(A.id)  # not refreshed yet
    version = second.version
    assert second.refresh() is True and second.is_bookmarked(A.id)
    assert second.version > version and second.refresh() is False
    first.add_to_list("L", [A], create=True)
    second.bookmark([B])  # written against the file as it is now, not a stale snapshot
    second.add_to_list("l", [B], create=True)  # the list the other process made
    first.refresh()
    assert first.bookmarked_ids() == second.bookmarked_ids() == {A.id, B.id}
    assert first.reading_list("L") == second.reading_list("L")
    assert first.ids("list", "L") == {A.id, B.id}
    second.unbookmark([A])
    assert reopen(data_dir).bookmarked_ids() == {B.id}


def test_a_note_saved_in_two_windows_keeps_both_versions(data_dir: Path) -> None:
    first, _ = open_library(data_dir, refresh_interval=3600)
    second, _ = open_library(data_dir, refresh_interval=3600)
    first.set_note(A, "note from A", base="")
    second.set_note(A, "note from B", base="")  # its editor opened when the note was empty
    both = "note from A\n\n" + NOTE_SEPARATOR + "\n\nnote from B"
    first.refresh()
    assert first.note(A.id) == second.note(A.id) == reopen(data_dir).note(A.id) == both
    assert second.undo() == "Undid: edit note"  # back to what was there before its save
    assert reopen(data_dir).note(A.id) == "note from A"
    assert second.redo() == "Redid: edit note" and reopen(data_dir).note(A.id) == both
    second.set_note(A, "B edited both", base=both)  # edited from what is stored: replaces
    assert reopen(data_dir).note(A.id) == "B edited both"


def test_a_stale_note_save_never_deletes_or_duplicates(data_dir: Path) -> None:
    first, _ = open_library(data_dir, refresh_interval=3600)
    second, _ = open_library(data_dir, refresh_interval=3600)
    first.set_note(A, "old")
    first.set_note(A, "newer", base="old")
    second.set_note(A, "", base="old")  # deleting the note it saw keeps the newer one
    assert reopen(data_dir).note(A.id) == "newer" and not second.can_undo
    second.set_note(A, "newer", base="old")  # the same text: nothing to keep twice
    assert reopen(data_dir).note(A.id) == "newer"
    first.set_note(A, "", base="newer")
    second.set_note(A, "mine", base="newer")  # the other deleted it: nothing else to keep
    assert reopen(data_dir).note(A.id) == "mine"
    second.refresh()
    first.set_note(A, "first again", base="mine")
    assert second.undo() == "Undid: edit note"  # undo never drops the later save either
    assert reopen(data_dir).note(A.id) == "first again"


def test_queries_pick_up_other_processes_changes_after_the_interval(data_dir: Path) -> None:
    watcher, _ = open_library(data_dir, refresh_interval=0)
    writer, _ = open_library(data_dir)
    writer.bookmark([A])  # the file did not exist when the watcher opened
    assert watcher.is_bookmarked(A.id)
    writer.mark_read([A])
    assert watcher.is_read(A.id)


def test_titles_with_control_characters_are_sanitised(store: LibraryStore) -> None:
    store.bookmark([paper("Evil\x1b]0;PWNED\x07 title")])
    (record,) = store.bookmarks()
    assert record.title == "Evil title"


def test_close_reports_nothing_lost_and_context_manager(data_dir: Path) -> None:
    store, _ = open_library(data_dir)
    with store:
        store.bookmark([A])
    assert store.close() == 0
    assert reopen(data_dir).is_bookmarked(A.id)
