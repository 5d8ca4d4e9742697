"""Corpus text is never markup and never reaches the terminal raw, on every surface.

Each case is pushed through the list, the detail pane, the status line, notifications, the
command palette, the help screen and the problems view, with notifications enabled (a
markup crash in a toast only shows then).
"""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import (
    main_screen,
    make_app,
    raw_screenshot,
    screen_text,
    settle,
    titles_listed,
    wait_for_text,
)
from corpus_text import Item, page
from textual.pilot import Pilot

from tui.screens.help import HelpScreen
from tui.screens.problems import ProblemsScreen
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList

NASTY_TITLES = (
    "Fixing [/] in ViT",
    "Tagged [bold]x[/blue] Title",
    "Clicking [@click=app.quit] Title",
    "Regression Results [von Oswald et al., 2022] Revisited",
    "Dollar $title and [/ unclosed",
)
ESCAPED_TITLE = "Escape \x1b]0;PWNED\x07Sequences \x1b[31mIn Red\x1b[0m Title\x1b[2J"
ESCAPED_SHOWN = "Escape Sequences In Red Title"


def toast_texts(pilot: Pilot[None]) -> list[str]:
    """The text of the notifications on screen, as their widgets render it."""
    from textual.widgets._toast import Toast  # no public way to read a toast's text

    return [toast.render().plain for toast in pilot.app.screen.query(Toast)]


@pytest.fixture
def nasty_corpus(tmp_path: Path) -> Path:
    items = [
        Item(title, f"Abstract about {title} with [/] and [b]bold[/b] text.", upvotes=i)
        for i, title in enumerate(NASTY_TITLES)
    ]
    items.append(Item(ESCAPED_TITLE, "An abstract with \x1b[31mred\x1b[0m and \x1b]0;OWNED\x07."))
    path = tmp_path / "nasty.txt"
    path.write_text(page(items), encoding="utf-8")
    return path


async def test_titles_and_abstracts_show_literally_in_the_list_and_detail(
    nasty_corpus: Path,
) -> None:
    app = make_app(nasty_corpus)
    async with app.run_test(size=(220, 50), notifications=True) as pilot:
        screen = await settle(pilot)
        listed = titles_listed(screen)
        assert sorted(listed) == sorted([*NASTY_TITLES, ESCAPED_SHOWN])
        paper_list = screen.query_one(PaperList)
        lines = [paper_list.render_line(y).text for y in range(len(listed))]
        for title in listed:
            assert any(title in line for line in lines), title
        for row, title in enumerate(listed):
            paper_list.move_cursor(row)
            await settle(pilot)  # the detail pane follows once the cursor rests
            assert screen.query_one(PaperDetail).content.plain.startswith(title + "\n")
            text = screen_text(pilot)
            assert title in text
            assert screen.selected is not None
            assert screen.selected.abstract in text.replace("\n", "")
        assert app.is_running


async def test_escape_sequences_never_reach_the_screen(nasty_corpus: Path) -> None:
    app = make_app(nasty_corpus)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await settle(pilot)
        row = titles_listed(screen).index(ESCAPED_SHOWN)
        screen.paper_list.move_cursor(row)
        await pilot.press("y")
        await pilot.pause()
        svg = raw_screenshot(pilot)
        assert "\x1b" not in svg and "\x9b" not in svg and "\x07" not in svg
        assert "PWNED" not in svg and "OWNED" not in svg
        assert ESCAPED_SHOWN in screen_text(pilot)
        assert "\x1b" not in app.clipboard


async def test_notifications_show_titles_literally(nasty_corpus: Path) -> None:
    app = make_app(nasty_corpus)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await settle(pilot)
        for title in NASTY_TITLES:
            app.clear_notifications()
            screen.paper_list.move_cursor(titles_listed(screen).index(title))
            await pilot.press("y")
            await pilot.pause()
            assert f"Copied the title: {title}" in toast_texts(pilot)
            assert app.is_running


async def test_the_status_line_and_empty_state_show_queries_literally(nasty_corpus: Path) -> None:
    app = make_app(nasty_corpus)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await settle(pilot)
        for query in ("[bold]zzqq[/blue]", "[@click=app.quit]zzqq", "[/zzqq"):
            await pilot.press("slash", "ctrl+a", "ctrl+k", *query)
            await settle(pilot)
            text = screen_text(pilot)
            assert query in text  # the search bar
            if not screen.paper_list.rows:
                if screen.result is not None and screen.result.error:
                    assert screen.result.error in text
                else:
                    assert f"No papers match “{query}”." in text
            assert app.is_running


async def test_the_palette_shows_titles_literally_and_jumps(nasty_corpus: Path) -> None:
    app = make_app(nasty_corpus)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await settle(pilot)
        for title, query in (
            ("Fixing [/] in ViT", "fixing"),
            ("Tagged [bold]x[/blue] Title", "tagged"),
            ("Clicking [@click=app.quit] Title", "clicking"),
        ):
            await pilot.press("ctrl+p", *query)
            await wait_for_text(pilot, title)
            await pilot.press("enter")
            await settle(pilot)
            assert screen.selected is not None and screen.selected.title == title
        assert app.is_running


async def test_clicking_a_title_that_looks_like_an_action_does_nothing_but_select(
    nasty_corpus: Path,
) -> None:
    app = make_app(nasty_corpus)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        screen = await settle(pilot)
        row = titles_listed(screen).index("Clicking [@click=app.quit] Title")
        top = screen.paper_list.content_region.y - screen.paper_list.region.y
        await pilot.click(PaperList, offset=(12, top + row))
        detail = screen.query_one(PaperDetail)
        top = detail.content_region.y - detail.region.y
        left = detail.content_region.x - detail.region.x
        await pilot.click(PaperDetail, offset=(left + 12, top))
        await pilot.pause()
        assert app.is_running
        assert screen.selected is not None
        assert screen.selected.title == "Clicking [@click=app.quit] Title"


async def test_help_and_problems_show_keys_and_file_names_literally(
    nasty_corpus: Path, tmp_path: Path
) -> None:
    missing = tmp_path / "[bold]gone[/blue].txt"
    app = make_app(nasty_corpus, missing)
    async with app.run_test(size=(160, 50), notifications=True) as pilot:
        await settle(pilot)
        app.set_keymap({"sort": "left_square_bracket", "copy": "right_square_bracket"})
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = screen_text(pilot)
        assert "[  " in text or "[ " in text
        await pilot.press("escape")
        app.clear_notifications()
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        assert "[bold]gone[/blue].txt" in screen_text(pilot)
        await pilot.press("escape")
        await pilot.press("left_square_bracket")
        await settle(pilot)
        assert main_screen(pilot).sort == "date"
