"""The search box: typing searches as you type; the screen runs the search."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.geometry import Size
from textual.widget import Widget

from .keys_in_order import TextBox


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
            placeholder="Search titles and abstracts (press / to search, esc to leave)",
            id=id,
            select_on_focus=False,
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
