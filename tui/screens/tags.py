"""The tags dialog: a paper's tags as words in one box; enter saves, escape cancels."""

from __future__ import annotations

import re
from collections.abc import Mapping, Sequence
from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, Static

from .. import display
from ..data.library.names import tag_name
from ..data.text import fold
from ..resources import styles_dir
from ..widgets.key_bar import KeyBar
from ..widgets.keys_in_order import TextBox

_SEPARATORS = re.compile(r"[\s,]+")

SHOWN_TAGS = 40
"""How many of the tags in use the dialog lists as a reminder."""


def parse_tags(text: str) -> tuple[str, ...]:
    """The tags typed (separated by spaces or commas), each checked, repeats dropped.

    Raises :class:`~tui.data.library.InvalidChange` with a one-line message for a bad tag.
    """
    tags: dict[str, str] = {}
    for word in _SEPARATORS.split(text):
        if word:
            name = tag_name(word)
            tags.setdefault(fold(name), name)
    return tuple(tags.values())


class TagsScreen(ModalScreen[tuple[str, ...] | None]):
    """Edit one paper's tags. Dismissed with the tags wanted, or None when cancelled."""

    CSS_PATH = styles_dir() / "library.tcss"
    """Read when the screen is first pushed, not at start-up."""

    AUTO_FOCUS = ""
    """No auto focus: :meth:`on_mount` focuses the tags box without scrolling. (Textual's
    scrolls the focused widget to the middle of a dialog too small to show whole, so it
    would open scrolled down, its title hidden.)"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="tags.save", tooltip="Save the tags (enter too)"),
        Binding("escape", "cancel", "Cancel", id="tags.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, title: str, tags: Sequence[str], in_use: Mapping[str, int]) -> None:
        super().__init__()
        self.paper_title = title
        """The title of the paper being tagged."""
        self.tags = tuple(tags)
        """The paper's tags when the dialog opened."""
        self.in_use = dict(in_use)
        """Every tag in the library and how many papers carry it."""

    def compose(self) -> ComposeResult:
        """The title, the tags box, the tags in use, and Save / Cancel."""
        yield KeyBar()
        with Vertical(id="tags-dialog", classes="library-dialog"):
            yield Static(
                Content.assemble("Tags of ", display.plain(self.paper_title)),
                classes="dialog-title",
            )
            yield TextBox(
                " ".join(self.tags),
                placeholder="one word per tag, separated by spaces",
                id="tags-input",
                select_on_focus=False,
            )
            yield Static(id="tags-error", classes="dialog-error")
            yield Static(self._in_use(), id="tags-in-use", classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Save"), id="tags-save", variant="primary")
                yield Button(Content("Cancel"), id="tags-cancel")

    def _in_use(self) -> Content:
        if not self.in_use:
            return Content("No tags yet. Find tagged papers with tag:NAME in the search bar.")
        shown = [f"{name} ({count:,})" for name, count in list(self.in_use.items())[:SHOWN_TAGS]]
        more = len(self.in_use) - SHOWN_TAGS
        if more > 0:
            shown.append(f"and {more:,} more")
        return Content.assemble("In use: ", display.plain(" · ".join(shown)))

    def on_mount(self) -> None:
        """Start typing after the tags already there."""
        self.query_one(Input).focus(scroll_visible=False)
        self.query_one("#tags-error").display = False

    @on(Input.Submitted)
    @on(Button.Pressed, "#tags-save")
    def action_save(self) -> None:
        """Close with the tags typed, or say what is wrong with them."""
        from ..data.library import InvalidChange

        try:
            tags = parse_tags(self.query_one(Input).value)
        except InvalidChange as problem:
            error = self.query_one("#tags-error", Static)
            error.update(display.plain(str(problem)))
            error.display = True
            return
        self.dismiss(tags)

    @on(Button.Pressed, "#tags-cancel")
    def action_cancel(self) -> None:
        """Close without changing the tags."""
        self.dismiss(None)

    def may_quit(self) -> bool:
        """Whether the app may quit now; else ask about the edited tags first."""
        from .note import DiscardScreen

        if self.query_one(Input).value.split() == list(self.tags):
            return True
        if not isinstance(self.app.screen, DiscardScreen):
            self.app.push_screen(DiscardScreen("The tags were edited."), self._quit_answered)
        return False

    def _quit_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)
            self.app.call_later(self.app.run_action, "app.quit")
