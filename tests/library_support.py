"""Helpers for the reader's library tests: a corpus, a data dir, waiting for library jobs."""

from __future__ import annotations

from pathlib import Path
from typing import Any

from app_support import main_screen, settle
from textual.app import App
from textual.pilot import Pilot

from tui.data.library import LibraryStore, open_library
from tui.screens.main import MainScreen

GNN = "Graph Neural Networks for Protein Folding"
TABLES = "Attention Is Not All You Need for Tables"
SURVEY = "A Survey of Diffusion Models"
ZEBRA = "Zebra: Counting Stripes with Transformers"


async def settled(pilot: Pilot[None]) -> MainScreen:
    """Settle the reader after library jobs (and the searches they start) have finished."""
    screen = main_screen(pilot)
    for _ in range(400):
        await settle(pilot)
        if not screen.library.busy and screen.library_view is not None:
            await pilot.pause()
            return await settle(pilot)
        await pilot.pause(0.01)
    raise AssertionError("the library never finished its jobs")


def record_notices(app: App[None]) -> list[str]:
    """Every notification the app shows from now on (toasts wrap, so read them here)."""
    shown: list[str] = []
    real = app.notify

    def notify(message: str, **options: Any) -> None:
        shown.append(message)
        real(message, **options)

    app.notify = notify  # type: ignore[method-assign]
    return shown


def stored(data_dir: Path) -> LibraryStore:
    """The library as another process would read it from disk now."""
    store, _ = open_library(data_dir)
    return store


async def select(pilot: Pilot[None], title: str) -> MainScreen:
    """Put the list cursor on the paper titled ``title``."""
    screen = await settled(pilot)
    for row, position in enumerate(screen.paper_list.rows):
        if screen.papers[position].title == title:
            screen.paper_list.move_cursor(row)
            return await settled(pilot)
    raise AssertionError(f"{title!r} is not listed")


def row_text(screen: MainScreen, title: str) -> str:
    """The list row of ``title`` as drawn."""
    for y in range(screen.paper_list.scrollable_content_region.height):
        text = screen.paper_list.render_line(y).text
        if title[:20] in text:
            return text
    raise AssertionError(f"{title!r} is not on screen")


def title_is_bold(screen: MainScreen, title: str) -> bool:
    """Whether the title of ``title``'s row is drawn bold (unread papers stand out)."""
    for y in range(screen.paper_list.scrollable_content_region.height):
        strip = screen.paper_list.render_line(y)
        if title[:20] in strip.text:
            return any(title[:10] in s.text and s.style is not None and s.style.bold for s in strip)
    raise AssertionError(f"{title!r} is not on screen")


async def dialog(pilot: Pilot[None], kind: type[object]) -> None:
    """Wait (boundedly) until a screen of ``kind`` is on top, then let it settle."""
    for _ in range(100):
        if isinstance(pilot.app.screen, kind):
            await pilot.pause()
            return
        await pilot.pause(0.01)
    raise AssertionError(f"{kind.__name__} never opened")
