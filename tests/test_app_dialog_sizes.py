"""Every dialog is usable in a small terminal: at 80x24 its buttons are drawn whole, labels
and all, above the key bar; at 60x20 (the reader's narrow layout) tab reaches each button
and it is then drawn whole too. What does not fit scrolls instead of being cut off."""

from __future__ import annotations

from collections.abc import Sequence
from pathlib import Path

import pytest
from app_support import make_app
from library_support import GNN, dialog, select
from textual.errors import NoWidget
from textual.pilot import Pilot
from textual.screen import Screen
from textual.widget import Widget
from textual.widgets import Button, Static

from tui.data.corpus import load_corpus
from tui.data.library import open_library
from tui.data.models import Problem
from tui.screens.export_dialog import ExportDialog
from tui.screens.help import HelpScreen
from tui.screens.lists import ListsScreen
from tui.screens.note import DiscardScreen, NoteScreen
from tui.screens.problems import ProblemsScreen
from tui.screens.tags import TagsScreen
from tui.widgets.key_bar import KeyBar

SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((60, 20), id="60x20")]

DIALOGS = [
    pytest.param(("n",), NoteScreen, ("note-save", "note-cancel"), id="note"),
    pytest.param(
        ("n", "x", "escape"), DiscardScreen, ("discard-keep", "discard-yes"), id="discard"
    ),
    pytest.param(("t",), TagsScreen, ("tags-save", "tags-cancel"), id="tags"),
    pytest.param(
        ("l",),
        ListsScreen,
        (
            "lists-toggle",
            "lists-add-all",
            "lists-rename",
            "lists-delete",
            "lists-view",
            "lists-close",
        ),
        id="lists",
    ),
    pytest.param(
        ("e",), ExportDialog, ("export-save", "export-copy", "export-cancel"), id="export"
    ),
]
"""The keys that open each dialog with buttons on the selected paper, and its buttons."""


@pytest.fixture
def data_dir(tmp_path: Path, corpus: Path) -> Path:
    """A library where the selected paper is on three lists, with a note and tags (the
    dialogs as full as they get in use)."""
    gnn = next(paper for paper in load_corpus([corpus]).papers if paper.title == GNN)
    directory = tmp_path / "data"
    store, _ = open_library(directory)
    for name in ("To read", "Proteins", "Graph models"):
        store.add_to_list(name, [gnn], create=True)
    store.set_note(gnn, "Read the method section again.")
    store.add_tag("gnn", [gnn])
    store.bookmark([gnn])
    store.close()
    return directory


def shown_whole(widget: Widget) -> bool:
    """Whether ``widget`` is drawn whole: not scrolled or clipped out of view in any part,
    on the screen and above the key bar, and on top where it is drawn (a click there
    reaches it)."""
    screen = widget.screen
    try:
        geometry = screen.find_widget(widget)
    except NoWidget:  # scrolled right out of view
        return False
    region = geometry.region
    key_bar = screen.query_one(KeyBar).region
    return (
        bool(region)
        and geometry.visible_region == region
        and screen.region.contains_region(region)
        and region.bottom <= key_bar.y
        and all(
            _within(screen.get_widget_at(x, y)[0], widget)
            for x in (region.x, region.right - 1)
            for y in (region.y, region.bottom - 1)
        )
    )


def _within(found: Widget, widget: Widget) -> bool:
    return found is widget or widget in found.ancestors


def label_drawn(button: Button) -> bool:
    """Whether the screen as drawn has the button's label in its place (not only its edges)."""
    line = button.screen._compositor.render_strips()[button.content_region.y]
    return str(button.label) in line.crop(button.region.x, button.region.right).text


def problem(button: Button) -> str:
    return f"{button.id} at {button.region} is not drawn whole with its label"


async def open_on_paper(
    pilot: Pilot[None], keys: Sequence[str], kind: type[Screen[object]]
) -> None:
    """Select the paper, press ``keys``, wait for the dialog."""
    await select(pilot, GNN)
    await pilot.press(*keys)
    await dialog(pilot, kind)
    await pilot.wait_for_scheduled_animations()
    await pilot.pause()


@pytest.mark.parametrize(("keys", "kind", "buttons"), DIALOGS)
async def test_at_80x24_every_button_of_a_dialog_is_drawn_whole_when_it_opens(
    corpus: Path,
    data_dir: Path,
    keys: Sequence[str],
    kind: type[Screen[object]],
    buttons: Sequence[str],
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(80, 24)) as pilot:
        await open_on_paper(pilot, keys, kind)
        for button_id in buttons:
            button = app.screen.query_one(f"#{button_id}", Button)
            assert shown_whole(button) and label_drawn(button), problem(button)
        title = app.screen.query_one(".dialog-title, #export-title", Static)
        assert shown_whole(title)  # it opens at the top, not scrolled to the focused box


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(("keys", "kind", "buttons"), DIALOGS)
async def test_tab_reaches_every_button_of_a_dialog_and_shows_it_whole(
    corpus: Path,
    data_dir: Path,
    size: tuple[int, int],
    keys: Sequence[str],
    kind: type[Screen[object]],
    buttons: Sequence[str],
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=size) as pilot:
        await open_on_paper(pilot, keys, kind)
        for button_id in buttons:
            button = app.screen.query_one(f"#{button_id}", Button)
            for _ in range(20):
                if app.screen.focused is button:
                    break
                await pilot.press("tab")
            assert app.screen.focused is button, f"tab never reached {button_id}"
            await pilot.wait_for_scheduled_animations()
            await pilot.pause()
            assert shown_whole(button) and label_drawn(button), problem(button)


@pytest.mark.parametrize("size", SIZES)
@pytest.mark.parametrize(
    ("key", "kind", "frame", "hint"),
    [
        pytest.param("question_mark", HelpScreen, "#help-dialog", "#help-hint", id="help"),
        pytest.param(
            "exclamation_mark", ProblemsScreen, "#problems-dialog", "#problems-hint", id="problems"
        ),
    ],
)
async def test_the_help_and_problems_dialogs_fit_with_their_hint(
    corpus: Path, size: tuple[int, int], key: str, kind: type[Screen[object]], frame: str, hint: str
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=size) as pilot:
        await open_on_paper(pilot, (key,), kind)
        assert shown_whole(app.screen.query_one(frame))
        assert shown_whole(app.screen.query_one(hint))


@pytest.mark.parametrize("size", SIZES)
async def test_a_long_list_of_problems_scrolls_to_its_last_line_above_the_hint(
    corpus: Path, size: tuple[int, int]
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=size) as pilot:
        await select(pilot, GNN)
        problems = [Problem(file="a.txt", line=n, reason="bad entry") for n in range(1, 41)]
        await app.push_screen(ProblemsScreen(problems))
        await pilot.pause()
        listed = app.screen.query_one("#problems-list")
        assert shown_whole(listed)  # its scrolling reaches every line: none is cut off
        assert shown_whole(app.screen.query_one("#problems-hint"))
