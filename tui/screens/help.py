"""Help generated from the real key bindings (and the user's keymap), never written by hand.

:func:`key_sections` reads the ``BINDINGS`` of the app, the screens and the widgets; the help
screen, the command palette and ``docs/keys.md`` (:func:`keys_markdown`) are all built from
it, so none of them can drift from what the keys really do.
"""

from __future__ import annotations

from collections.abc import Mapping
from dataclasses import dataclass
from typing import TYPE_CHECKING, Any, ClassVar

from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen
from textual.widgets import Static

from ..resources import styles_dir
from ..widgets.key_bar import KeyBar
from ..widgets.paper_detail import PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.search_bar import SearchBar
from .export_dialog import ExportDialog
from .lists import ListsScreen
from .main import MainScreen
from .note import DiscardScreen, NoteScreen
from .problems import ProblemsScreen
from .tags import TagsScreen

if TYPE_CHECKING:
    from textual.app import App


@dataclass(frozen=True)
class KeyRow:
    """One command: the keys that run it, what it does, and its binding id."""

    keys: tuple[str, ...]
    description: str
    """The short name (as in the footer)."""
    binding_id: str
    action: str
    detail: str
    """What it does in a sentence (the binding's tooltip, or the short name)."""


@dataclass(frozen=True)
class KeySection:
    """The commands of one part of the interface."""

    title: str
    rows: tuple[KeyRow, ...]


def binding_owners(app_class: type[DOMNode]) -> tuple[tuple[str, type[DOMNode]], ...]:
    """The parts of the interface that have bindings, with the section title of each."""
    return (
        ("Anywhere", app_class),
        ("Reader", MainScreen),
        ("Results list", PaperList),
        ("Paper detail", PaperDetail),
        ("Search box", SearchBar),
        ("Help", HelpScreen),
        ("Problems view", ProblemsScreen),
        ("Note editor", NoteScreen),
        ("Discard question", DiscardScreen),
        ("Tags", TagsScreen),
        ("Reading lists", ListsScreen),
        ("Export dialog", ExportDialog),
    )


def key_sections(app: App[Any], keymap: Mapping[str, str] | None = None) -> list[KeySection]:
    """Every binding of the interface, grouped by part, with ``keymap`` overrides applied."""
    keymap = keymap or {}
    sections = []
    for title, owner in binding_owners(type(app)):
        rows: dict[str, KeyRow] = {}
        for binding in Binding.make_bindings(owner.__dict__.get("BINDINGS", [])):
            if not binding.id or not binding.description:
                continue
            keys = keymap.get(binding.id)
            key_list = keys.split(",") if keys else [binding.key]
            shown = tuple(app.get_key_display(binding.with_key(k.strip())) for k in key_list)
            row = rows.get(binding.id)
            if row is None:
                rows[binding.id] = KeyRow(
                    shown,
                    binding.description,
                    binding.id,
                    binding.action,
                    binding.tooltip or binding.description,
                )
            elif not keys:
                merged = row.keys + tuple(k for k in shown if k not in row.keys)
                rows[binding.id] = KeyRow(
                    merged, row.description, row.binding_id, row.action, row.detail
                )
        sections.append(KeySection(title, tuple(rows.values())))
    return sections


def keys_markdown(app: App[Any]) -> str:
    """``docs/keys.md``: the default keys as Markdown tables."""
    out = [
        "# Keys",
        "",
        "Generated from the bindings in the code (a test keeps this file in step with them).",
        "Press `?` in the reader for the same list with your own keys.",
        "",
        "Every binding has an id. To remap keys, name them by id in `settings.json` in the",
        "data directory (`~/.local/share/paperview` on Linux, or `$PAPERVIEW_DATA_DIR`),",
        "comma-separated; the theme you pick (`ctrl+p`, then theme) is kept there too:",
        "",
        "```json",
        '{"keys": {"search": "/,ctrl+f", "help": "f1"}, "theme": "catppuccin-latte"}',
        "```",
        "",
        "A settings file that cannot be read is reported when the reader starts, and left as",
        "it is.",
        "",
    ]
    for section in key_sections(app):
        out += [f"## {section.title}", "", "| Keys | Action | Binding id |", "| --- | --- | --- |"]
        for row in section.rows:
            keys = " ".join(f"`{_cell(key)}`" for key in row.keys)
            out.append(f"| {keys} | {_cell(row.detail)} | `{row.binding_id}` |")
        out.append("")
    return "\n".join(out)


def _cell(text: str) -> str:
    return text.replace("|", "\\|")


def help_content(sections: list[KeySection]) -> Content:
    """The key table as content: a heading per section, then keys and descriptions."""
    width = max((len(" ".join(row.keys)) for s in sections for row in s.rows), default=0)
    lines: list[Content] = []
    for section in sections:
        if not section.rows:
            continue
        if lines:
            lines.append(Content(""))
        lines.append(Content.styled(section.title, "bold"))
        for row in section.rows:
            keys = " ".join(row.keys)
            lines.append(Content.assemble(("  " + keys.ljust(width), "$accent"), "  ", row.detail))
    return Content("\n").join(lines)


class HelpScreen(ModalScreen[None]):
    """The keys, generated from the bindings; escape closes it."""

    CSS_PATH = styles_dir() / "dialogs.tcss"
    """Read when the screen is first pushed, not at start-up."""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("escape,q,question_mark", "dismiss", "Close this dialog", id="dialog.close"),
    ]

    def __init__(self, sections: list[KeySection]) -> None:
        super().__init__()
        self.sections = sections
        """What the screen lists."""

    def compose(self) -> ComposeResult:
        """A title, the key table, and how to close."""
        yield KeyBar()
        with Vertical(id="help-dialog"):
            yield Static(Content("Keys"), id="help-title")
            with VerticalScroll(id="help-keys"):
                yield Static(help_content(self.sections), id="help-table")
            yield Static(
                Content("Mouse: click a row to select it, double-click to read it; wheel scrolls."),
                id="help-mouse",
            )
            yield Static(Content("escape to close · ctrl+p for every command"), id="help-hint")
