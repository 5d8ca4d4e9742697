"""The search box: typing searches as you type; the screen runs the search."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.dom import DOMNode
from textual.geometry import Size
from textual.screen import Screen
from textual.widget import Widget

from .keys_in_order import TextBox

SEARCH_BINDING = "search"
"""The id of the binding (the reader's) that puts the focus in the search bar."""

LEAVE_BINDING = "search.back"
"""The id of the search bar's own binding that leaves it."""


def bound_keys(node: DOMNode, binding_id: str) -> list[str]:
    """The keys that run the binding ``binding_id`` of ``node`` or of the first of its
    parents that has it, after the app's keymap (applied as Textual applies it, so a key
    another remapped binding took is not among them), as Textual shows them (``/``, ``^f``)."""
    app = node.app
    for owner in node.ancestors_with_self:
        if not any(binding.id == binding_id for _, binding in owner._bindings):
            continue
        bindings = owner._bindings.copy()
        if app._keymap:
            bindings.apply_keymap(app._keymap)
        shown = [
            app.get_key_display(binding) for _, binding in bindings if binding.id == binding_id
        ]
        return list(dict.fromkeys(shown))
    return []


def search_hint(search_keys: list[str], leave_keys: list[str]) -> str:
    """The search bar's placeholder, naming the keys that go to it and leave it."""
    how = []
    if search_keys:
        how.append(f"press {' or '.join(search_keys)} to search")
    if leave_keys:
        how.append(f"{' or '.join(leave_keys)} to leave")
    return "Search titles and abstracts" + (f" ({', '.join(how)})" if how else "")


class SearchBar(TextBox):
    """A one-line query box. ``Input.Changed`` drives the search, ``enter`` goes to results.

    Keys take effect in the order typed (:mod:`.keys_in_order`)."""

    HELP = """
## Search

Type to search titles and abstracts; results update as you type. Several words must all
match. Press **enter** or **down** to go to the results, **escape** to leave the box.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down,enter",
            "screen.focus_results",
            "Results",
            id="search.to-results",
            tooltip="Go to the results",
        ),
        Binding(
            "escape",
            "screen.back",
            "Back",
            id="search.back",
            tooltip="Leave the search bar, keeping the search",
        ),
    ]

    def __init__(self, *, id: str | None = None) -> None:
        super().__init__(
            placeholder=search_hint([], []),  # the keys are named once mounted
            id=id,
            select_on_focus=False,
        )
        self._named_for: dict[str, str] | None = None  # the keymap the placeholder names

    def on_mount(self) -> None:
        """Name the keys in the placeholder, and again whenever the bindings change (a keymap
        set later refreshes them)."""
        self.screen.bindings_updated_signal.subscribe(self, self._name_keys)
        self._name_keys(self.screen)

    def _name_keys(self, _screen: Screen[object]) -> None:
        # The bindings are updated at every focus move; the keys named change with the keymap.
        keymap = dict(self.app._keymap)
        if keymap == self._named_for:
            return
        self._named_for = keymap
        self.placeholder = search_hint(
            bound_keys(self, SEARCH_BINDING), bound_keys(self, LEAVE_BINDING)
        )

    def _watch_value(self, value: str) -> None:
        """Keep Input's per-keystroke virtual-size change from laying out the whole screen.

        Input sets its virtual size (the text's width) on every change, and that reactive
        lays out the screen, which repaints every widget: a few milliseconds per key. The
        bar's own size never depends on its text (the styles fix its width and height), so
        setting the size quietly first makes Input's assignment a no-op; the bar still
        repaints, and its horizontal scrolling reads the new size.
        """
        self.set_reactive(Widget.virtual_size, Size(self.content_width, 1))
        super()._watch_value(value)
