"""The status line: how many papers of how many, the order, filters, progress, problems."""

from __future__ import annotations

from dataclasses import dataclass
from typing import ClassVar

from textual import events
from textual.app import ComposeResult
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.widgets import Static

from .. import display


@dataclass(frozen=True)
class StatusState:
    """Everything the status line shows; the screen builds one and hands it over."""

    shown: int | None = None
    """Papers in the current result (None until the corpus has loaded)."""
    total: int = 0
    """Papers in the corpus."""
    order: str = "best match first"
    """The order in use, in words."""
    filters: tuple[str, ...] = ()
    """Active filters, in words (for the library: "bookmarked")."""
    activity: str = ""
    """What is in progress (loading, indexing, searching), empty when idle."""
    error: str = ""
    """Why the query could not be used as typed, empty when it could."""
    problems: int = 0
    """How many problems the inputs (and the library file) had."""
    unsaved: int = 0
    """How many library changes the disk refused, kept in memory until they can be saved."""
    save_key: str = "ctrl+s"
    """The key that saves them now."""


class StatusBar(Horizontal):
    """One line under the panes; click the problems count to see them."""

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "status-bar--activity",
        "status-bar--error",
        "status-bar--unsaved",
    }
    """
    | Class | Description |
    | :- | :- |
    | `status-bar--activity` | What is in progress. |
    | `status-bar--error` | Why the query cannot be run. |
    | `status-bar--unsaved` | Library changes not saved yet. |
    """

    class ProblemsClicked(Message):
        """The user clicked the problems count."""

    def compose(self) -> ComposeResult:
        """The line, and the problems count on the right (clickable)."""
        yield Static(id="status-text")
        yield Static(id="status-problems")

    def show(self, state: StatusState) -> None:
        """Display ``state``."""
        # the line's size never changes: repaint it without laying out the screen
        self.query_one("#status-text", Static).update(self._text(state), layout=False)
        problems = self.query_one("#status-problems", Static)
        count = state.problems
        plural = "s" if count != 1 else ""
        text = Content(f"⚠ {count:,} problem{plural} (!)") if count else Content()
        if text != problems.content:
            problems.update(text)
        problems.display = bool(count)

    def _text(self, state: StatusState) -> Content:
        if state.shown is None:
            parts = [Content("Loading papers…")]
        else:
            words = [f"{state.shown:,} of {state.total:,} papers", state.order]
            words += [f"filter: {name}" for name in state.filters]
            parts = [display.plain(" · ".join(words))]
        if state.activity:
            style = self.get_visual_style("status-bar--activity", partial=True)
            parts.append(display.plain(state.activity).stylize_before(style))
        if state.error:
            style = self.get_visual_style("status-bar--error", partial=True)
            parts.append(display.plain(state.error).stylize_before(style))
        if state.unsaved:
            count = state.unsaved
            changes = "1 change" if count == 1 else f"{count:,} changes"
            style = self.get_visual_style("status-bar--unsaved", partial=True)
            text = f"⚠ {changes} not saved yet ({state.save_key} retries)"
            parts.append(display.plain(text).stylize_before(style))
        return Content("  ").join(parts)

    def on_click(self, event: events.Click) -> None:
        """Clicking the problems count opens the problems view."""
        if event.widget is not None and event.widget.id == "status-problems":
            self.post_message(self.ProblemsClicked())
