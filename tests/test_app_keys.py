"""Key bindings: every one has an id, the docs and help come from them, the CLI opens the app."""

from __future__ import annotations

import subprocess
import sys
from pathlib import Path

import pytest
from app_support import make_app, settle, write_corpus
from rich.cells import cell_len
from textual import events
from textual.binding import Binding
from textual.command import CommandPalette
from textual.geometry import Region
from textual.pilot import Pilot

from tui.app import PaperviewApp
from tui.cli import main
from tui.screens.help import HelpScreen, binding_owners, key_sections, keys_markdown
from tui.screens.main import MainScreen
from tui.screens.note import DiscardScreen, NoteScreen
from tui.widgets.key_bar import KeyBar
from tui.widgets.search_bar import SearchBar

KEYS_DOC = Path(__file__).resolve().parent.parent / "docs" / "keys.md"


def test_every_binding_has_a_unique_id() -> None:
    seen: dict[str, str] = {}
    for title, owner in binding_owners(PaperviewApp):
        for binding in owner.__dict__.get("BINDINGS", []):
            assert isinstance(binding, Binding), f"{title}: use Binding(...) with an id"
            assert binding.id, f"{title}: {binding.key} -> {binding.action} has no id"
            assert binding.id not in seen, f"{binding.id} is used by {seen[binding.id]} too"
            seen[binding.id] = title


def test_the_issue_keys_are_bound() -> None:
    rows = {row.binding_id: row for s in key_sections(PaperviewApp()) for row in s.rows}
    expected = {
        "search": ("/",),
        "back": ("esc",),
        "next-pane": ("tab",),
        "open": ("o",),
        "copy": ("y",),
        "help": ("?",),
        "command-palette": ("^p",),
        "quit": ("q",),
        "list.first": ("home", "g"),
        "list.last": ("end", "G"),
        "list.read": ("⏎",),
        "sort": ("s",),
        "reverse-sort": ("S",),
    }
    for binding_id, keys in expected.items():
        assert rows[binding_id].keys == keys, binding_id
    assert set(rows["list.down"].keys) == {"↓", "j"}
    assert {"pgdn", "pgup"} <= {k for r in rows.values() for k in r.keys}


def test_docs_keys_md_is_generated_from_the_bindings() -> None:
    expected = keys_markdown(PaperviewApp())
    assert KEYS_DOC.read_text(encoding="utf-8") == expected, (
        "docs/keys.md is out of date; regenerate it with:\n"
        "  python -c 'from tui.app import PaperviewApp; from tui.screens.help import "
        'keys_markdown; print(keys_markdown(PaperviewApp()), end="")\' > docs/keys.md'
    )


def test_a_keymap_changes_what_help_lists() -> None:
    app = PaperviewApp()
    sections = key_sections(app, {"open": "f2,x"})
    [row] = [row for s in sections for row in s.rows if row.binding_id == "open"]
    assert row.keys == ("f2", "x")


def test_open_refuses_to_run_without_a_terminal(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["open", "nothing.txt"]) == 2
    assert "needs a terminal" in capsys.readouterr().err


def test_open_passes_paths_options_and_data_dir_to_the_app(
    monkeypatch: pytest.MonkeyPatch, tmp_path: Path
) -> None:
    made: list[PaperviewApp] = []

    def fake_run(self: PaperviewApp) -> None:
        made.append(self)

    monkeypatch.setattr(sys.stdin, "isatty", lambda: True)
    monkeypatch.setattr(sys.stdout, "isatty", lambda: True)
    monkeypatch.setattr(sys.stderr, "isatty", lambda: True)
    monkeypatch.setattr(PaperviewApp, "run", fake_run)
    corpus = tmp_path / "a.txt"
    assert main([str(corpus), "--max-size", "5", "--data-dir", str(tmp_path / "d")]) == 0
    [app] = made
    assert app.paths == [corpus]
    assert app.read_options is not None and app.read_options.max_size == 5 * 2**20
    assert app.data_dir == tmp_path / "d"


@pytest.mark.slow
def test_help_and_plain_commands_never_import_textual() -> None:
    code = (
        "import sys, contextlib, io\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()):\n"
        "    try:\n"
        "        main(['--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "    try:\n"
        "        main(['open', '--help'])\n"
        "    except SystemExit:\n"
        "        pass\n"
        "assert 'textual' not in sys.modules, 'textual was imported'\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


@pytest.mark.slow
def test_the_app_module_defers_the_data_layer_to_the_loading_worker() -> None:
    code = (
        "import sys\n"
        "import tui.app\n"
        "heavy = [m for m in ('pydantic', 'rapidfuzz', 'tui.data.models') if m in sys.modules]\n"
        "assert not heavy, heavy\n"
    )
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=False)
    assert done.returncode == 0, done.stderr


def key_bar_line(app: PaperviewApp) -> str:
    """The key bar as drawn (its repaint included)."""
    bar = app.screen.query_one(KeyBar)
    return bar.render_lines(Region(0, 0, *bar.outer_size))[0].text


def key_offset(app: PaperviewApp, label: str) -> tuple[int, int]:
    line = key_bar_line(app)
    return (cell_len(line[: line.index(label)]) + 1, 0)


async def list_focused(pilot: Pilot[None]) -> MainScreen:
    """The loaded reader, with the focus on the results list."""
    screen = await settle(pilot)
    screen.paper_list.focus()
    await pilot.pause()
    return screen


async def test_the_key_bar_follows_the_focus_and_a_click_presses_a_key(tmp_path: Path) -> None:
    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await list_focused(pilot)
        assert "⏎ Read" in key_bar_line(app)
        assert key_bar_line(app).rstrip().endswith("^p Commands")
        assert "/ Search" in key_bar_line(app)
        await pilot.press("slash")
        await pilot.pause()
        assert "esc Back" in key_bar_line(app)
        assert "⏎ Read" not in key_bar_line(app)
        assert "/ Search" not in key_bar_line(app)  # here / is typed into the query
        await pilot.press("a", "slash")
        await pilot.pause()
        assert screen.query_one(SearchBar).value == "a/"
        await pilot.hover(KeyBar, offset=key_offset(app, "esc Back"))
        assert app.screen.query_one(KeyBar).tooltip
        await pilot.click(KeyBar, offset=key_offset(app, "esc Back"))
        await pilot.pause()
        assert app.focused is screen.paper_list
        await pilot.click(KeyBar, offset=key_offset(app, "? Help"))
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)


async def test_a_dialog_has_its_own_key_bar_and_a_click_on_it_presses_the_key(
    tmp_path: Path,
) -> None:
    """Under a dialog the bar shows the dialog's keys, not the reader's, and works."""
    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await list_focused(pilot)
        await pilot.press("n")
        await pilot.pause()
        assert isinstance(app.screen, NoteScreen)
        line = key_bar_line(app)
        assert "^s Save" in line and "esc Cancel" in line
        assert "/ Search" not in line
        await pilot.press("x")
        await pilot.click(KeyBar, offset=key_offset(app, "esc Cancel"))
        await pilot.pause()
        assert isinstance(app.screen, DiscardScreen)  # the note was edited: it asks
        assert "y Discard" in key_bar_line(app)
        await pilot.click(KeyBar, offset=key_offset(app, "y Discard"))
        await pilot.pause()
        assert isinstance(app.screen, MainScreen)
        assert "/ Search" in key_bar_line(app)


async def test_the_key_bar_shows_remapped_keys(tmp_path: Path) -> None:
    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        app.update_keymap({"help": "f1"})
        await pilot.pause()
        assert "f1 Help" in key_bar_line(app)
        assert "? Help" not in key_bar_line(app)


async def test_a_narrow_key_bar_keeps_the_palette_key_and_whole_keys(tmp_path: Path) -> None:
    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(60, 24)) as pilot:
        await list_focused(pilot)
        line = key_bar_line(app)
        assert len(line) == 60 and line.endswith("▏^p Commands ")
        assert "? Help" not in line and "q Quit" not in line  # no room: left out whole
        await pilot.click(KeyBar, offset=(line.index("^p") + 1, 0))
        await pilot.pause()
        assert isinstance(app.screen, CommandPalette)  # not the hidden Quit underneath


def burst(app: PaperviewApp, *keys: tuple[str, str | None]) -> None:
    """Keys (name, character) that arrive together, as a terminal sends a fast typist's
    keys or a paste of keys: posted at once, none handled before the next arrives."""
    for key, character in keys:
        app.post_message(events.Key(key, character))


async def test_keys_typed_in_a_burst_edit_the_search_in_the_order_typed(tmp_path: Path) -> None:
    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash")
        bar = screen.query_one(SearchBar)
        burst(app, ("z", "z"), ("e", "e"), ("backspace", "\x7f"), ("b", "b"))
        await settle(pilot)
        assert bar.value == "zb"  # the backspace took the e, not the b typed after it
        assert screen.result is not None and screen.result.query == "zb"
        burst(app, ("ctrl+a", "\x01"), ("ctrl+k", "\x0b"), ("g", "g"), ("n", "n"))
        await settle(pilot)
        assert bar.value == "gn"  # home, cut the rest, then type: not "" (typed, then cut)
        burst(app, ("left", None), ("left", None), ("a", "a"), ("end", None), ("n", "n"))
        await settle(pilot)
        assert (bar.value, bar.cursor_position) == ("agnn", 4)
        assert screen.result is not None and screen.result.query == "agnn"


async def test_keys_after_enter_or_escape_in_a_burst_go_to_the_results(tmp_path: Path) -> None:
    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash")
        bar = screen.query_one(SearchBar)
        burst(app, ("enter", "\r"), ("j", "j"), ("j", "j"))
        await settle(pilot)
        assert bar.value == ""  # not "jj": the j keys moved the cursor in the results
        assert app.focused is screen.paper_list and screen.paper_list.cursor_row == 2
        await pilot.press("slash")
        burst(app, ("t", "t"), ("escape", "\x1b"), ("k", "k"))
        await settle(pilot)
        assert bar.value == "t" and app.focused is screen.paper_list  # not "tk"


async def test_keys_before_a_screen_opens_in_the_same_burst_act_on_the_reader(
    tmp_path: Path,
) -> None:
    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash")
        bar = screen.query_one(SearchBar)
        burst(app, ("enter", "\r"), ("j", "j"), ("j", "j"), ("ctrl+p", None))
        for _ in range(50):
            await pilot.pause(0.02)
        assert isinstance(app.screen, CommandPalette)  # ctrl+p came last
        assert bar.value == "" and screen.paper_list.cursor_row == 2
        assert screen.focused is screen.paper_list
