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
from textual.binding import Binding, BindingsMap, BindingType
from textual.containers import Vertical, VerticalScroll
from textual.content import Content
from textual.dom import DOMNode
from textual.screen import ModalScreen, Screen
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


Place = tuple[str, tuple[type[DOMNode], ...]]
"""Where keys are pressed: the part of the interface (its section title) and the classes
whose bindings a key goes through there, the focused widget's first, the app's last."""

Owned = tuple[type[DOMNode], Binding]
"""A binding and the class whose bindings it is among."""

Lost = tuple[str, str, str]
"""A key, the binding meant to have it and the binding that runs instead (by name)."""


def keymap_problems(app: App[Any], keymap: Mapping[str, str]) -> list[str]:
    """What is wrong with ``keymap`` (binding id -> keys, as in the settings), a line each:
    the ids no binding has, and each key it gives a binding that another binding in reach
    already has, with the binding the key runs now (as Textual decides: see
    :func:`_key_losses`). Imports every dialog: call it after start, off the UI thread."""
    owners = binding_owners(type(app))
    known = {
        binding.id
        for _, owner in owners
        for binding in Binding.make_bindings(owner.__dict__.get("BINDINGS", []))
    }
    problems = []
    unknown = [binding_id for binding_id in keymap if binding_id not in known]
    if unknown:
        ids = ", ".join(f'"{binding_id}"' for binding_id in unknown)
        problems.append(f"no binding has the id{'s' if len(unknown) > 1 else ''} {ids}; ignored")
    normal = app._normalize_keymap(dict(keymap))
    places = _places(owners)
    default, _ = _key_losses(places, {})
    lost, reach = _key_losses(places, normal)
    for (key, loser, winner), where in lost.items():
        new = [title for title in where if title not in default.get((key, loser, winner), [])]
        if not new:
            continue
        shown = app.get_key_display(Binding(key, ""))
        both = f"\"{shown}\" is both {loser}'s and {winner}'s key"
        if where == reach[key, loser]:
            told = f"{shown} now runs {winner}, not {loser}"
        else:
            part = _listed([title[:1].lower() + title[1:] for title in new])
            told = f"in the {part}, {shown} runs {winner}"
        problems.append(f"{both}; {told}")
    return problems


def _listed(items: list[str]) -> str:
    """``a``, ``a and b``, ``a, b and c``."""
    return items[0] if len(items) == 1 else f"{', '.join(items[:-1])} and {items[-1]}"


def _places(owners: tuple[tuple[str, type[DOMNode]], ...]) -> list[Place]:
    """Where keys are pressed: in each dialog (a modal screen), and in each full screen with
    nothing or one of the widgets focused (the widgets that have bindings are on the full
    screen: the reader's panes)."""
    app_class = owners[0][1]
    screens = [(title, owner) for title, owner in owners if issubclass(owner, Screen)]
    widgets = [
        (title, owner)
        for title, owner in owners
        if owner is not app_class and not issubclass(owner, Screen)
    ]
    places: list[Place] = []
    for title, screen in screens:
        places.append((title, (screen, app_class)))
        if not issubclass(screen, ModalScreen):
            places += [(name, (widget, screen, app_class)) for name, widget in widgets]
    return places


def _applied(owner: type[DOMNode], keymap: Mapping[str, str]) -> BindingsMap:
    """``owner``'s bindings (its own and those it inherits) with ``keymap`` applied by
    Textual."""
    merged = owner._merged_bindings
    bindings = BindingsMap() if merged is None else merged.copy()
    if keymap:
        bindings.apply_keymap(keymap)
    return bindings


def _meant(owner: type[DOMNode], keymap: Mapping[str, str]) -> list[tuple[str, Binding]]:
    """The keys ``owner``'s bindings are meant to have: the keymap's for those it names."""
    meant: list[tuple[str, Binding]] = []
    remapped = set()
    for key, binding in _applied(owner, {}):
        keys = keymap.get(binding.id) if binding.id else None
        if not keys:
            meant.append((key, binding))
        elif binding.id not in remapped:
            remapped.add(binding.id)
            meant += [(new_key, binding) for new_key in keys.split(",")]
    return meant


def _in_reach(owner: type[DOMNode], binding: Binding, chain: tuple[type[DOMNode], ...]) -> bool:
    """Whether a binding of ``owner`` can run where keys go through ``chain``: a priority
    binding anywhere on it, another only up to the first modal screen (the app's bindings
    do not run in a dialog)."""
    if owner not in chain:
        return False
    modal = next((i for i, node in enumerate(chain) if issubclass(node, ModalScreen)), None)
    return binding.priority or modal is None or chain.index(owner) <= modal


def _runs(
    key: str, chain: tuple[type[DOMNode], ...], applied: Mapping[type[DOMNode], BindingsMap]
) -> Owned | None:
    """The binding ``key`` runs where keys go through ``chain``, found as Textual's
    ``App._check_bindings`` finds it: a priority binding from the app down, else another
    from the focused widget up (up to the first modal screen)."""
    for owner in reversed(chain):
        for binding in applied[owner].key_to_bindings.get(key, ()):
            if binding.priority:
                return owner, binding
    for owner in chain:
        for binding in applied[owner].key_to_bindings.get(key, ()):
            if _in_reach(owner, binding, chain):
                return owner, binding
    return None


def _key_losses(
    places: list[Place], keymap: Mapping[str, str]
) -> tuple[dict[Lost, list[str]], dict[tuple[str, str], list[str]]]:
    """Under ``keymap``: for each key a binding is meant to have but another binding gets,
    the places (titles) where that happens; for each key a binding is meant to have, the
    places where the binding can run. Within one
    class's bindings Textual gives a key to the remapped binding (``BindingsMap.apply_keymap``
    drops the other one's), across classes to the binding :func:`_runs` finds."""
    applied = {owner: _applied(owner, keymap) for _, chain in places for owner in chain}
    lost: dict[Lost, list[str]] = {}
    reach: dict[tuple[str, str], list[str]] = {}
    for title, chain in places:
        for owner in chain:
            for key, binding in _meant(owner, keymap):
                if not _in_reach(owner, binding, chain):
                    continue
                name = _name(binding)
                reach.setdefault((key, name), []).append(title)
                winner = _runs(key, chain, applied)
                if winner is None:
                    continue
                won = _name(winner[1])
                if winner[0] is not owner or won != name:
                    lost.setdefault((key, name, won), []).append(title)
    return lost, reach


def _name(binding: Binding) -> str:
    """The binding's id; one of Textual's own (no id) is named by its action."""
    return binding.id or f"Textual's {binding.action}"


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
        "it is. So are ids in it that no binding has (they are ignored), and a key it gives a",
        "binding that another binding already has: the notice says which of them the key runs.",
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
