"""Command palette: every reader command (from the bindings) and "jump to a paper".

Paper hits come from the same :class:`~tui.data.search.SearchIndex` as the search bar, run in
a thread so a million titles never block the palette. Titles are shown as ``Content`` with
the highlight built from the search's match spans; no paper text is ever handed to
``Matcher.highlight`` or to a hit's ``help`` (both parse markup).
"""

from __future__ import annotations

import asyncio
import threading
from collections.abc import Iterator
from functools import partial
from typing import TYPE_CHECKING

from textual.command import Hit, Hits, Provider
from textual.markup import escape
from textual.style import Style

from . import display

if TYPE_CHECKING:
    from textual.app import SystemCommand

    from .data.search import SearchIndex
    from .screens.main import MainScreen

PAPER_HITS = 20
"""How many papers the palette offers for a query."""

PAPER_SCORE = 0.9
"""The best paper hit's score; commands that match well rank above papers."""

COMMAND_SECTIONS = ("Anywhere", "Reader", "Results list")
"""Whose bindings become palette commands (movement keys within panes are left out)."""

SKIPPED_ACTIONS = {"cursor_down", "cursor_up", "app.focus_next", "app.focus_previous", "back"}


def reader_commands(screen: MainScreen) -> Iterator[SystemCommand]:
    """A palette command for every binding of the reader, with its keys as help."""
    from textual.app import SystemCommand

    from .screens.help import key_sections

    app = screen.app
    keymap = getattr(app, "keymap_overrides", {})
    for section in key_sections(app, keymap):
        if section.title not in COMMAND_SECTIONS:
            continue
        target = screen.paper_list if section.title == "Results list" else screen
        for row in section.rows:
            if row.action in SKIPPED_ACTIONS or row.action == "command_palette":
                continue
            namespace = app if section.title == "Anywhere" else target
            yield SystemCommand(
                row.description,
                escape(f"{row.detail} (key: {' '.join(row.keys)})"),
                partial(namespace.run_action, row.action),
            )


class PaperCommands(Provider):
    """'Jump to a paper': the papers that match what is typed, best first."""

    def _main(self) -> MainScreen | None:
        from .screens.main import MainScreen  # deferred: the screen imports this module's users

        return self.screen if isinstance(self.screen, MainScreen) else None

    async def search(self, query: str) -> Hits:
        """Search the corpus in a thread; offer the best papers by title."""
        main = self._main()
        if main is None or main.index is None or not query.strip():
            return
        index = main.index
        stop = threading.Event()
        try:
            positions = await asyncio.to_thread(_best, index, query, stop)
        except asyncio.CancelledError:
            stop.set()
            raise
        match_style = self.match_style or Style(bold=True, underline=True)
        for rank, position in enumerate(positions):
            paper = index.papers[position]
            explained = index.explain(query, position)
            spans = explained.spans.get("title", ()) if explained is not None else ()
            yield Hit(
                PAPER_SCORE * (1 - rank / (2 * PAPER_HITS)),
                display.palette_title(paper.title, spans, match_style),
                partial(main.goto_paper, position),
                text=paper.title,
                help=escape(_facts(paper.date, paper.upvotes)),
            )


def _best(index: SearchIndex, query: str, stop: threading.Event) -> list[int]:
    result = index.search(query, cancelled=stop.is_set)
    return list(result.indices[:PAPER_HITS])


def _facts(date: object, upvotes: int | None) -> str:
    parts = ["jump to paper"]
    if date is not None:
        parts.append(str(date))
    if upvotes is not None:
        parts.append(f"{upvotes:,} upvotes")
    return " · ".join(parts)
