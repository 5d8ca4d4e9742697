"""Helpers for the reader's Pilot tests: corpora in tmp dirs, settling, reading the screen."""

from __future__ import annotations

import html
import re
from collections.abc import Sequence
from pathlib import Path

from corpus_text import Item, page
from textual.pilot import Pilot
from textual.worker import WorkerState

from tui.app import PaperviewApp
from tui.screens.main import MainScreen

_BUSY = (WorkerState.PENDING, WorkerState.RUNNING)

PAPERS = (
    Item(
        "Graph Neural Networks for Protein Folding",
        "We fold proteins with graph neural networks. Code: https://example.org/gnn-fold",
        authors=4,
        date="Jul 3, 2024",
        upvotes=12,
    ),
    Item(
        "Attention Is Not All You Need for Tables",
        "Tabular data still favours trees over attention.",
        authors=2,
        date="Mar 1, 2023",
        upvotes=40,
    ),
    Item(
        "A Survey of Diffusion Models",
        "Diffusion models generate images, audio and graph structures.",
        authors=7,
        date="Nov 11",
        upvotes=3,
    ),
    Item(
        "Zebra: Counting Stripes with Transformers",
        "We count stripes. No link here.",
        authors=1,
        date="Jan 5, 2022",
        upvotes=None,
    ),
)
"""A small corpus with known dates, votes and one link."""


def write_corpus(directory: Path, items: Sequence[Item] = PAPERS, name: str = "papers.txt") -> Path:
    """Write ``items`` as one seed-format file in ``directory``; return its path."""
    path = directory / name
    path.write_text(page(items), encoding="utf-8")
    return path


def make_app(*paths: Path, data_dir: Path | None = None) -> PaperviewApp:
    """The app on ``paths`` (never the bundled corpus or the real home)."""
    assert paths, "tests name their corpus"
    return PaperviewApp(list(paths), data_dir=data_dir)


def main_screen(pilot: Pilot[None]) -> MainScreen:
    """The reader screen (wherever the dialogs stack is)."""
    for screen in pilot.app.screen_stack:
        if isinstance(screen, MainScreen):
            return screen
    raise AssertionError("no MainScreen")


async def settle(pilot: Pilot[None], rounds: int = 400) -> MainScreen:
    """Wait until loading and every search has finished and the screen shows the result
    (the detail pane catches up with the cursor a moment after fast moves)."""
    screen = main_screen(pilot)
    for _ in range(rounds):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        busy = any(worker.state in _BUSY for worker in pilot.app.workers)
        result = screen.result
        selected, shown = screen.selected, screen.detail.paper
        if (
            not busy
            and result is not None
            and result.complete
            and result.query == screen.search_text
            and (selected.id if selected else None) == (shown.id if shown else None)
        ):
            await pilot.pause()
            return screen
        await pilot.pause(0.01)
    raise AssertionError("the reader did not settle")


def screen_text(pilot: Pilot[None]) -> str:
    """Everything on screen as plain text (from an SVG screenshot), one string."""
    svg = pilot.app.export_screenshot()
    lines = re.findall(r"<text[^>]*>(.*?)</text>", svg, flags=re.S)
    return html.unescape("".join(lines)).replace("\xa0", " ")


async def wait_for_text(pilot: Pilot[None], text: str, timeout: float = 5.0) -> None:
    """Wait (boundedly) until ``text`` is on screen, e.g. a command-palette hit."""
    for _ in range(int(timeout / 0.05)):
        if text in screen_text(pilot):
            return
        await pilot.pause(0.05)
    raise AssertionError(f"{text!r} never appeared")


def raw_screenshot(pilot: Pilot[None]) -> str:
    """The SVG screenshot as exported (to look for control characters)."""
    return pilot.app.export_screenshot()


def titles_listed(screen: MainScreen) -> list[str]:
    """The titles of the papers in the result, in display order."""
    return [screen.papers[position].title for position in screen.paper_list.rows]
