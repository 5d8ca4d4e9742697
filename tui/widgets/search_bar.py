"""The search box: typing searches as you type; the screen runs the search."""

from __future__ import annotations

from typing import ClassVar

from textual.binding import Binding, BindingType
from textual.widgets import Input


class SearchBar(Input):
    """A one-line query box. ``Input.Changed`` drives the search, ``enter`` goes to results."""

    HELP = """
## Search

Type to search titles and abstracts; results update as you type. Several words must all
match. Press **enter** or **down** to go to the results, **escape** to leave the box.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "down",
            "screen.focus_results",
            "Results",
            id="search.to-results",
            tooltip="Go to the results (enter does too)",
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
