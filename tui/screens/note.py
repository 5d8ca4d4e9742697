"""The note editor: one paper's note in a text area; ctrl+s saves, escape cancels (asking
first when the note was edited)."""

from __future__ import annotations

from typing import ClassVar

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Static, TextArea

from .. import display
from ..resources import styles_dir
from ..widgets.key_bar import KeyBar
from ..widgets.text_editor import TextEditor


class NoteScreen(ModalScreen[str | None]):
    """Edit the note of one paper. Dismissed with the new text, or None when cancelled."""

    CSS_PATH = styles_dir() / "library.tcss"
    """Read when the screen is first pushed, not at start-up."""

    AUTO_FOCUS = ""
    """No auto focus: :meth:`on_mount` focuses the text without scrolling. (Textual's
    scrolls the focused widget to the middle of a dialog too small to show whole, so it
    would open scrolled down, its title hidden.)"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("ctrl+s", "save", "Save", id="note.save", tooltip="Save the note"),
        Binding("escape", "cancel", "Cancel", id="note.cancel", tooltip="Close without saving"),
    ]

    def __init__(self, title: str, note: str) -> None:
        super().__init__()
        self.paper_title = title
        """The title of the paper the note is about."""
        self.note = note
        """The note as it was when the editor opened."""

    def compose(self) -> ComposeResult:
        """The paper's title, the text area, and Save / Cancel."""
        yield KeyBar()
        with Vertical(id="note-dialog", classes="library-dialog"):
            yield Static(
                Content.assemble("Note on ", display.plain(self.paper_title)),
                classes="dialog-title",
            )
            yield TextEditor(self.note, id="note-text", soft_wrap=True, tab_behavior="focus")
            yield Static(
                Content("ctrl+s saves · escape cancels · an empty note is deleted"),
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Save"), id="note-save", variant="primary")
                yield Button(Content("Cancel"), id="note-cancel")

    def on_mount(self) -> None:
        """Start typing at the end of the note."""
        text = self.query_one(TextArea)
        text.focus(scroll_visible=False)
        text.move_cursor(text.document.end)

    @on(Button.Pressed, "#note-save")
    def action_save(self) -> None:
        """Close, keeping the text as the paper's note."""
        self.dismiss(self.query_one(TextArea).text)

    @on(Button.Pressed, "#note-cancel")
    def action_cancel(self) -> None:
        """Close without changing the note (asking first when it was edited)."""
        if self.query_one(TextArea).text == self.note:
            self.dismiss(None)
        else:
            self.app.push_screen(DiscardScreen(), self._discard_answered)

    def _discard_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)

    def may_quit(self) -> bool:
        """Whether the app may quit now; else ask about the edited note first."""
        if self.query_one(TextArea).text == self.note:
            return True
        if not isinstance(self.app.screen, DiscardScreen):
            self.app.push_screen(DiscardScreen(), self._quit_answered)
        return False

    def _quit_answered(self, discard: bool | None) -> None:
        if discard:
            self.dismiss(None)
            self.app.call_later(self.app.run_action, "app.quit")


class DiscardScreen(ModalScreen[bool]):
    """Ask whether to throw away an edit (``what``: "The note was edited."): dismissed with
    True to discard it."""

    CSS_PATH = styles_dir() / "library.tcss"
    """Read when the screen is first pushed, not at start-up."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,n", "keep", "Keep editing", id="discard.keep"),
        Binding("y,d", "discard", "Discard", id="discard.yes"),
    ]

    def __init__(self, what: str = "The note was edited.") -> None:
        super().__init__()
        self.what = what

    def compose(self) -> ComposeResult:
        """The question, and Keep editing (focused) / Discard."""
        yield KeyBar()
        with Vertical(id="discard-dialog", classes="library-dialog"):
            yield Static(Content("Discard changes?"), classes="dialog-title")
            yield Static(
                Content(f"{self.what} y discards it · escape goes back to it"),
                classes="dialog-hint",
            )
            with Horizontal(classes="dialog-buttons"):
                yield Button(Content("Keep editing"), id="discard-keep", variant="primary")
                yield Button(Content("Discard"), id="discard-yes", variant="error")

    def on_mount(self) -> None:
        """Keeping the edit is the default: enter on the focused button keeps it."""
        self.query_one("#discard-keep").focus()

    @on(Button.Pressed, "#discard-keep")
    def action_keep(self) -> None:
        """Go back to the note."""
        self.dismiss(False)

    @on(Button.Pressed, "#discard-yes")
    def action_discard(self) -> None:
        """Throw the edit away."""
        self.dismiss(True)
