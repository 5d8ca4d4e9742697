"""The library dialogs in the reader: tags, note and reading lists, by keys and by mouse."""

from __future__ import annotations

from pathlib import Path

from app_support import make_app, screen_text, titles_listed
from library_support import (
    GNN,
    SURVEY,
    TABLES,
    ZEBRA,
    dialog,
    record_notices,
    select,
    settled,
    stored,
)
from textual import events
from textual.pilot import Pilot
from textual.widgets import Input, TextArea

from tui.data.library.ops import NOTE_SEPARATOR
from tui.screens.lists import ListsScreen
from tui.screens.main import MainScreen
from tui.screens.note import DiscardScreen, NoteScreen
from tui.screens.tags import TagsScreen, parse_tags


def paper_id(screen: MainScreen) -> str:
    assert screen.selected is not None
    return screen.selected.id


async def test_t_edits_tags_and_tag_search_finds_them(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await select(pilot, GNN)
        await pilot.press("t")
        await dialog(pilot, TagsScreen)
        await pilot.press(*"llm", "space", *"Proteins,", "enter")
        await settled(pilot)
        assert isinstance(app.screen, MainScreen)
        assert stored(data_dir).tags_of(paper_id(screen)) == ("llm", "Proteins")
        assert "tags: llm Proteins" in screen.detail.content.plain
        await pilot.press("t")  # the box starts with the tags; take one away
        await dialog(pilot, TagsScreen)
        assert app.screen.query_one(Input).value == "llm Proteins"
        assert "llm (1)" in screen_text(pilot)
        await pilot.press(*["backspace"] * len("Proteins"), "enter")
        await settled(pilot)
        assert stored(data_dir).tags_of(paper_id(screen)) == ("llm",)
        await pilot.press("u")  # one undo step restores the removed tag
        await settled(pilot)
        assert stored(data_dir).tags_of(paper_id(screen)) == ("llm", "Proteins")
        await pilot.press("slash", *"tag:proteins", "enter")
        await settled(pilot)
        assert titles_listed(screen) == [GNN]


async def test_a_bad_tag_is_explained_and_escape_cancels(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        await select(pilot, GNN)
        await pilot.press("t")
        await dialog(pilot, TagsScreen)
        app.screen.query_one(Input).value = "x" * 70
        await pilot.press("enter")
        await pilot.pause()
        assert isinstance(app.screen, TagsScreen)
        assert "a tag has at most 64 characters" in screen_text(pilot)
        await pilot.press("escape")
        await settled(pilot)
        assert isinstance(app.screen, MainScreen)
        assert stored(data_dir).all_tags() == {}


def test_tags_are_split_on_spaces_and_commas_and_repeats_dropped() -> None:
    assert parse_tags(" llm, rl  LLM,,vision ") == ("llm", "rl", "vision")
    assert parse_tags("") == ()


async def test_tags_dialog_works_with_the_mouse(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, ZEBRA)
        await pilot.press("t")
        await dialog(pilot, TagsScreen)
        await pilot.press(*"stripes")
        await pilot.click("#tags-save")
        await settled(pilot)
        assert stored(data_dir).tags_of(paper_id(screen)) == ("stripes",)
        await pilot.press("t")
        await dialog(pilot, TagsScreen)
        await pilot.press("space", *"more")
        await pilot.click("#tags-cancel")
        await settled(pilot)
        assert stored(data_dir).tags_of(paper_id(screen)) == ("stripes",)


async def test_a_note_typed_in_a_burst_keeps_the_order_of_the_keys(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, SURVEY)
        await pilot.press("n")
        await dialog(pilot, NoteScreen)
        keys = [("a", "a"), ("b", "b"), ("backspace", "\x7f"), ("c", "c"), ("home", None)]
        for key, character in [*keys, ("x", "x")]:  # all at once, as a fast typist's
            app.post_message(events.Key(key, character))
        await settled(pilot)
        assert app.screen.query_one(TextArea).text == "xac"
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert stored(data_dir).note(paper_id(screen)) == "xac"


async def test_n_writes_a_note_kept_exactly_and_shown_literally(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await select(pilot, SURVEY)
        await pilot.press("n")
        await dialog(pilot, NoteScreen)
        text = "Read [bold]this[/] first\nthen section 3"
        app.screen.query_one(TextArea).text = text
        await pilot.press("ctrl+s")
        await settled(pilot)
        assert stored(data_dir).note(paper_id(screen)) == text
        assert "Read [bold]this[/] first" in screen.detail.content.plain
        assert "Note saved." in screen_text(pilot)
        await pilot.press("n")  # escape leaves it as it was
        await dialog(pilot, NoteScreen)
        assert app.screen.query_one(TextArea).text == text
        await pilot.press("x", "escape")
        await dialog(pilot, DiscardScreen)  # edited: asks first
        await pilot.press("y")
        await settled(pilot)
        assert stored(data_dir).note(paper_id(screen)) == text
        await pilot.press("n")  # an emptied note is deleted, by clicking Save
        await dialog(pilot, NoteScreen)
        app.screen.query_one(TextArea).text = ""
        await pilot.click("#note-save")
        await settled(pilot)
        assert stored(data_dir).note(paper_id(screen)) == ""
        await pilot.press("u")
        await settled(pilot)
        assert stored(data_dir).note(paper_id(screen)) == text


async def test_a_note_saved_meanwhile_in_another_window_is_kept(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        notices = record_notices(app)
        screen = await select(pilot, SURVEY)
        await pilot.press("n")
        await dialog(pilot, NoteScreen)
        other = stored(data_dir)  # another window saves first, while this editor is open
        other.set_note(paper_id(screen), "note from A", base="")
        await pilot.press(*"B's", "ctrl+s")
        await settled(pilot)
        both = "note from A\n\n" + NOTE_SEPARATOR + "\n\nB's"
        assert stored(data_dir).note(paper_id(screen)) == both
        assert "both versions are kept" in notices[-1]
        assert "note from A" in screen.detail.content.plain
        await pilot.press("u")  # undo restores what was there before this save
        await settled(pilot)
        assert stored(data_dir).note(paper_id(screen)) == "note from A"


async def test_l_creates_a_list_toggles_the_paper_and_L_views_it(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await select(pilot, TABLES)
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.press(*"To read", "enter")  # no lists yet: the name box has focus
        await settled(pilot)
        found = stored(data_dir).reading_list("to read")
        assert found is not None and found.ids == (paper_id(screen),)
        assert "lists: To read" in screen.detail.content.plain
        await select(pilot, ZEBRA)
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        assert "To read  1 paper" in screen_text(pilot)
        await pilot.press("enter")  # the highlighted list: put the paper on it
        await settled(pilot)
        found = stored(data_dir).reading_list("To read")
        assert found is not None and len(found) == 2
        await pilot.press("L")
        await dialog(pilot, ListsScreen)
        await pilot.press("enter")
        await settled(pilot)
        assert screen.search_text == 'list:"To read"'
        assert sorted(titles_listed(screen)) == sorted([TABLES, ZEBRA])
        await pilot.press("l")  # the paper is on it: enter takes it off (and out of the view)
        await dialog(pilot, ListsScreen)
        assert "✓ To read" in screen_text(pilot)
        await pilot.press("enter")
        await settled(pilot)
        assert len(titles_listed(screen)) == 1


async def test_lists_rename_delete_and_undo(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await select(pilot, GNN)
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.press(*"Later", "enter")
        await settled(pilot)
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.press("down", "r")  # the commands work in the lists
        assert app.screen.query_one(Input).value == "Later"
        app.screen.query_one(Input).value = "Someday"
        await pilot.press("enter")
        await settled(pilot)
        assert [item.name for item in stored(data_dir).lists()] == ["Someday"]
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.press("tab", "d")
        await settled(pilot)
        assert stored(data_dir).lists() == ()
        assert "u brings it back" in screen_text(pilot)
        await pilot.press("u")
        await settled(pilot)
        restored = stored(data_dir).reading_list("Someday")
        assert restored is not None and len(restored) == 1


async def test_a_name_typed_with_lists_made_is_a_name_not_commands(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        gnn = paper_id(await select(pilot, GNN))
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.press(*"Later", "enter")
        await settled(pilot)
        screen = await select(pilot, ZEBRA)
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        assert "down or tab" in screen_text(pilot)  # where the one-letter commands are
        await pilot.press(*"data to view later", "enter")  # d, a, v, t, n, r: all typed
        await settled(pilot)
        assert isinstance(app.screen, MainScreen)
        assert [(item.name, len(item)) for item in stored(data_dir).lists()] == [
            ("data to view later", 1),
            ("Later", 1),
        ]
        assert "lists: data to view later" in screen.detail.content.plain
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.press(*"later", "enter")  # an existing list's name: the paper goes on it
        await settled(pilot)
        later = stored(data_dir).reading_list("Later")
        assert later is not None and later.ids == (gnn, paper_id(screen))


async def test_renaming_the_list_viewed_keeps_viewing_it(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await put_on_a_new_list(pilot, ZEBRA, "Reading queue")
        await pilot.press("enter")
        await settled(pilot)
        assert screen.search_text == 'list:"Reading queue"'
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.press("down", "r", "ctrl+a", "ctrl+k", *"Later", "enter")
        await settled(pilot)
        assert screen.search_text == 'list:"Later"'
        assert screen.query_one("#search", Input).value == 'list:"Later"'
        assert titles_listed(screen) == [ZEBRA]
        await pilot.press("u")  # undone, the search follows the list back
        await settled(pilot)
        assert screen.search_text == 'list:"Reading queue"'
        assert titles_listed(screen) == [ZEBRA]


async def test_add_all_listed_papers_is_one_undoable_step(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await select(pilot, GNN)
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.press(*"Pile", "enter")
        await settled(pilot)
        await pilot.press("slash", *"with", "enter")  # two of the four titles
        await settled(pilot)
        listed = titles_listed(screen)
        assert 1 < len(listed) < 4
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.click("#lists-add-all")
        await settled(pilot)
        pile = stored(data_dir).reading_list("Pile")
        assert pile is not None and len(pile) == len({GNN, *listed})
        await pilot.press("u")
        await settled(pilot)
        pile = stored(data_dir).reading_list("Pile")
        assert pile is not None and len(pile) == 1


async def test_lists_dialog_works_with_the_mouse(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await select(pilot, SURVEY)
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.press(*"Mine", "enter")
        await settled(pilot)
        await select(pilot, ZEBRA)
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.click("#lists-toggle")
        await settled(pilot)
        mine = stored(data_dir).reading_list("Mine")
        assert mine is not None and paper_id(screen) in mine.ids
        await pilot.press("L")
        await dialog(pilot, ListsScreen)
        await pilot.click("#lists-view")
        await settled(pilot)
        assert sorted(titles_listed(screen)) == sorted([SURVEY, ZEBRA])
        await pilot.press("l")
        await dialog(pilot, ListsScreen)
        await pilot.click("#lists-close")
        await settled(pilot)
        assert isinstance(app.screen, MainScreen)


async def put_on_a_new_list(pilot: Pilot[None], title: str, name: str) -> MainScreen:
    """Put the paper titled ``title`` on a new list called ``name``; open the list picker."""
    screen = await select(pilot, title)
    await pilot.press("l")
    await dialog(pilot, ListsScreen)
    pilot.app.screen.query_one(Input).value = name
    await pilot.press("enter")
    await settled(pilot)
    await pilot.press("L")
    await dialog(pilot, ListsScreen)
    return screen


async def test_a_list_whose_name_has_quotes_and_backslashes_can_be_viewed(
    corpus: Path, data_dir: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await put_on_a_new_list(pilot, ZEBRA, 'The "best" \\ of C:\\')
        await pilot.press("enter")
        await settled(pilot)
        assert screen.search_text == 'list:"The \\"best\\" \\\\ of C:\\\\"'
        assert titles_listed(screen) == [ZEBRA]


async def test_list_names_show_literally(corpus: Path, data_dir: Path) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await put_on_a_new_list(pilot, SURVEY, "[b]bold[/b] [@click=app.quit]")
        assert "[b]bold[/b] [@click=app.quit]" in screen_text(pilot)
