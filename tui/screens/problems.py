"""The problems view: every input that could not be read, and every entry that was damaged."""

from __future__ import annotations

from collections.abc import Sequence
from typing import TYPE_CHECKING, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.screen import ModalScreen
from textual.widgets import Static

from .. import display
from ..resources import styles_dir
from ..widgets.key_bar import KeyBar

if TYPE_CHECKING:
    from ..data.models import Problem


class ProblemsScreen(ModalScreen[None]):
    """A scrollable list of problems, worst first; escape closes it."""

    CSS_PATH = styles_dir() / "dialogs.tcss"
    """Read when the screen is first pushed, not at start-up."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,exclamation_mark", "dismiss", "Close", id="problems.close"),
    ]

    def __init__(self, problems: Sequence[Problem]) -> None:
        super().__init__()
        self.problems = tuple(problems)
        """The problems shown, in the order the loader found them."""

    def compose(self) -> ComposeResult:
        """A title, the problems, and how to close."""
        from ..data.snapshot import problem_counts  # those left out of a long list too

        errors = [p for p in self.problems if p.severity.value == "error"]
        warnings = [p for p in self.problems if p.severity.value != "error"]
        title = _title(*problem_counts(self.problems))
        yield KeyBar()
        with Vertical(id="problems-dialog"):
            yield Static(Content(title), id="problems-title")
            with VerticalScroll(id="problems-list"):
                yield Static(_lines([*errors, *warnings]), id="problems-lines")
            yield Static(Content("escape to close"), id="problems-hint")


SHOWN = 5_000
"""At most this many problems are listed (``paperview stats`` prints them all)."""


def _lines(problems: Sequence[Problem]) -> Content:
    if not problems:
        return Content("Every input was read without a problem.")
    lines = [display.problem_line(problem) for problem in problems[:SHOWN]]
    if len(problems) > SHOWN:
        more = len(problems) - SHOWN
        lines.append(Content(f"… and {more:,} more; 'paperview stats' prints them all."))
    return Content("\n").join(lines)


def _title(errors: int, warnings: int) -> str:
    if not errors and not warnings:
        return "No problems"
    parts = []
    if errors:
        parts.append(f"{errors:,} error{'s' if errors != 1 else ''}")
    if warnings:
        parts.append(f"{warnings:,} warning{'s' if warnings != 1 else ''}")
    return "Problems found while reading: " + ", ".join(parts)
