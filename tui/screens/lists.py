"""The reading-lists dialog: put the paper on lists or take it off, create, rename, delete,
add every listed paper at once, or pick a list to view.

Managing a paper's lists, the dialog starts in the name box, so whatever is typed is a name
(never a command); down or tab goes to the lists, where the one-letter commands work.

The dialog changes nothing itself: it is dismissed with a :class:`ListAction` that the reader
applies (so every change goes through the same path, and ``u`` undoes it).
"""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass
from typing import ClassVar, Literal

from textual import on
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Button, Input, OptionList, Static
from textual.widgets.option_list import Option

from .. import display
from ..resources import styles_dir
from ..widgets.key_bar import KeyBar
from ..widgets.keys_in_order import TextBox

ActionKind = Literal["toggle", "add", "add_all", "rename", "delete", "view"]


@dataclass(frozen=True)
class ListSummary:
    """One reading list as the dialog shows it."""

    name: str
    count: int
    """Papers on the list."""
    absent: int | None
    """How many of them the current corpus lacks (None while not known)."""
    has_paper: bool = False
    """Whether the selected paper is on it."""


@dataclass(frozen=True)
class ListAction:
    """What the user chose: ``toggle`` the paper on ``name``, ``add`` it (creating the list
    if needed), ``add_all`` listed papers, ``rename`` to ``new_name``, ``delete``, ``view``."""

    kind: ActionKind
    name: str
    new_name: str = ""


def summary_line(item: ListSummary, *, checks: bool) -> Content:
    """A list's row: whether the paper is on it, its name, its size (and papers not here)."""
    size = "1 paper" if item.count == 1 else f"{item.count:,} papers"
    if item.absent:
        size += f", {item.absent:,} not in this corpus"
    check = ("✓ " if item.has_paper else "  ") if checks else ""
    return Content.assemble(check, display.plain(item.name), (f"  {size}", "dim"))


class ListsScreen(ModalScreen[ListAction | None]):
    """Manage reading lists for one paper (``paper_title`` given), or pick one to view."""

    CSS_PATH = styles_dir() / "library.tcss"
    """Read when the screen is first pushed, not at start-up."""

    AUTO_FOCUS = ""
    """No auto focus: :meth:`on_mount` focuses the name box (or the lists) without
    scrolling. (Textual's scrolls the focused widget to the middle of a dialog too small to
    show whole, so it would open scrolled down, its title hidden.)"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape", "close", "Close", id="lists.close", tooltip="Close (or stop renaming)"),
        Binding(
            "down",
            "to_lists",
            "Lists",
            id="lists.to-lists",
            tooltip="From the name box, go to the lists (tab too)",
        ),
        Binding("v", "view", "View", id="lists.view", tooltip="Show the list's papers"),
        Binding("n", "new", "New", id="lists.new", tooltip="Back to the name box: type a name"),
        Binding("r", "rename", "Rename", id="lists.rename", tooltip="Rename the list"),
        Binding("d,delete", "delete", "Delete", id="lists.delete", tooltip="Delete the list"),
        Binding(
            "a",
            "add_all",
            "Add all",
            id="lists.add-all",
            tooltip="Add every paper listed in the reader to the list",
        ),
    ]

    def __init__(
        self, lists: Sequence[ListSummary], paper_title: str | None = None, listed: int = 0
    ) -> None:
        super().__init__()
        self.lists = tuple(lists)
        """The lists shown, in order."""
        self.paper_title = paper_title
        """The selected paper (None: the dialog only picks a list to view)."""
        self.listed = listed
        """How many papers the reader lists (for "add all")."""
        self._renaming: str | None = None

    @property
    def managing(self) -> bool:
        """Whether the dialog is about a paper (rather than picking a list to view)."""
        return self.paper_title is not None

    def compose(self) -> ComposeResult:
        """The title, the lists, the name box and the buttons."""
        yield KeyBar()
        with Vertical(id="lists-dialog", classes="library-dialog"):
            if self.paper_title is not None:
                title = Content.assemble("Reading lists for ", display.plain(self.paper_title))
            else:
                title = Content("View a reading list")
            yield Static(title, classes="dialog-title")
            if self.managing:
                yield Static(Content("New list:"), id="lists-name-label")
                yield TextBox(
                    placeholder="type a list's name; enter puts the paper on it", id="lists-name"
                )
            options = [
                Option(summary_line(item, checks=self.managing), id=str(index))
                for index, item in enumerate(self.lists)
            ]
            yield OptionList(*options, id="lists-options")
            if not self.lists:
                yield Static(Content(self._empty()), classes="dialog-hint")
            yield Static(id="lists-error", classes="dialog-error")
            yield Static(Content(self._hint()), classes="dialog-hint")
            with Horizontal(classes="dialog-buttons"):
                if self.managing:
                    yield Button(Content("Add / remove"), id="lists-toggle", variant="primary")
                    yield Button(Content(f"Add all {self.listed:,}"), id="lists-add-all")
                    yield Button(Content("Rename"), id="lists-rename")
                    yield Button(Content("Delete"), id="lists-delete")
                yield Button(Content("View"), id="lists-view")
                yield Button(Content("Close"), id="lists-close")

    def _empty(self) -> str:
        if self.managing:
            return "No reading lists yet: type a name above to make one with this paper on it."
        return "No reading lists yet: press l on a paper to make one."

    def _hint(self) -> str:
        if self.managing:
            return (
                "In the lists (down or tab): enter adds or removes the paper · r rename · "
                "d delete · a add all listed papers · v view · n back to the name · escape close"
            )
        return "enter or v: view the list · escape close"

    def on_mount(self) -> None:
        """Start in the name box (in the lists when only picking one to view)."""
        self.query_one("#lists-error").display = False
        if self.managing:
            self.query_one(Input).focus(scroll_visible=False)
        else:
            self.query_one(OptionList).focus(scroll_visible=False)

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Only viewing makes sense when the dialog is not about a paper."""
        return self.managing or action not in ("new", "rename", "delete", "add_all", "to_lists")

    # --- choosing ---------------------------------------------------------------------

    def _highlighted(self) -> ListSummary | None:
        index = self.query_one(OptionList).highlighted
        if index is None or not self.lists:
            self._error("There are no reading lists yet." if not self.lists else "Pick a list.")
            return None
        return self.lists[index]

    def _choose(self, kind: ActionKind) -> None:
        item = self._highlighted()
        if item is not None:
            self.dismiss(ListAction(kind, item.name))

    def _error(self, text: str) -> None:
        error = self.query_one("#lists-error", Static)
        error.update(display.plain(text))
        error.display = True

    @on(OptionList.OptionSelected)
    def _selected(self) -> None:
        self._choose("toggle" if self.managing else "view")

    @on(Button.Pressed, "#lists-toggle")
    def _toggle_pressed(self) -> None:
        self._choose("toggle")

    @on(Button.Pressed, "#lists-view")
    def action_view(self) -> None:
        """View the highlighted list."""
        self._choose("view")

    @on(Button.Pressed, "#lists-add-all")
    def action_add_all(self) -> None:
        """Add every listed paper to the highlighted list."""
        self._choose("add_all")

    @on(Button.Pressed, "#lists-delete")
    def action_delete(self) -> None:
        """Delete the highlighted list (u in the reader brings it back)."""
        self._choose("delete")

    def action_to_lists(self) -> None:
        """Go to the lists (from the name box)."""
        self.query_one(OptionList).focus()

    def action_new(self) -> None:
        """Type the name of a new list (or of one to put the paper on)."""
        self._renaming = None
        self.query_one("#lists-name-label", Static).update(Content("New list:"))
        self.query_one(Input).focus()

    @on(Button.Pressed, "#lists-rename")
    def action_rename(self) -> None:
        """Type a new name for the highlighted list."""
        item = self._highlighted()
        if item is None:
            return
        self._renaming = item.name
        label = Content.assemble("Rename “", display.plain(item.name), "” to:")
        self.query_one("#lists-name-label", Static).update(label)
        box = self.query_one(Input)
        box.value = item.name
        box.focus()

    @on(Input.Submitted, "#lists-name")
    def _name_submitted(self, event: Input.Submitted) -> None:
        from ..data.library import InvalidChange, list_name

        if self._renaming is None and not event.value.strip() and self.lists:
            self._choose("toggle")  # nothing typed: the highlighted list, as in the lists
            return
        try:
            name = list_name(event.value)
        except InvalidChange as problem:
            self._error(str(problem))
            return
        if self._renaming is not None:
            self.dismiss(ListAction("rename", self._renaming, name))
        else:
            self.dismiss(ListAction("add", name))

    @on(Button.Pressed, "#lists-close")
    def action_close(self) -> None:
        """Close, or stop renaming."""
        if self._renaming is not None:
            self.action_new()
            self.query_one(Input).value = ""
            self.query_one(OptionList).focus()
            return
        self.dismiss(None)
