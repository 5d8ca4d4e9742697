"""``paperview`` starts the reader without loading the data layer or the dialogs' styles first.

The reader draws its first frame before its loading worker imports pydantic, the search
(rapidfuzz) and the library (sqlite3). The command line in front of it must not import them
either, or every start pays for them before anything is shown (it cost about 190 ms, half
again the time a bare Textual app takes to draw). Each of these checks runs in a fresh
interpreter.

The first frame also parses only the reader's own style sheets: each dialog reads its sheet
when it is first opened (parsing every sheet at start took about 7 ms more). Start-up runs
with the cycle collector off, and it must be back on afterwards.
"""

from __future__ import annotations

import gc
import subprocess
import sys
from collections.abc import Callable
from pathlib import Path

import pytest
from app_support import write_corpus
from library_support import settled
from textual import events
from textual.app import App
from textual.screen import Screen
from textual.widget import Widget

from tui.app import READER_SHEETS, PaperviewApp
from tui.cli import main
from tui.cli.common import DEFAULT_MAX_SIZE, EXIT_USAGE
from tui.data.sources import DEFAULT_MAX_SIZE as READER_MAX_SIZE
from tui.resources import styles_dir
from tui.screens.export_dialog import ExportDialog
from tui.screens.help import HelpScreen
from tui.screens.lists import ListsScreen
from tui.screens.main import MainScreen
from tui.screens.note import DiscardScreen, NoteScreen
from tui.screens.problems import ProblemsScreen
from tui.screens.tags import TagsScreen

HEAVY = (
    "pydantic",
    "rapidfuzz",
    "sqlite3",
    "orjson",
    "tui.data.models",
    "tui.data.search",
    "textual.widgets._text_area",  # the note editor's (about 10 ms): imported when first opened
    "tui.data.text",  # LaTeX patterns and hashing (about 3 ms): the first frame needs controls
)

REPORT = (
    "heavy = sorted(m for m in sys.modules if m.startswith({heavy!r}))\n"
    "print('loaded:', ' '.join(heavy) or '-')\n"
)


def loaded_after(code: str, modules: tuple[str, ...] = HEAVY) -> str:
    """Those of ``modules`` loaded once ``code`` has run (then REPORT), as printed."""
    script = "import sys\n" + code + REPORT.format(heavy=modules)
    done = subprocess.run(
        [sys.executable, "-c", script], capture_output=True, text=True, check=False
    )
    assert done.returncode == 0, done.stderr
    return done.stdout.strip().splitlines()[-1]


@pytest.mark.slow
def test_paperview_hands_over_to_the_reader_before_loading_the_data_layer() -> None:
    # What `paperview` does with no arguments, up to the moment the reader starts.
    code = (
        "for stream in (sys.stdin, sys.stdout, sys.stderr):\n"
        "    stream.isatty = lambda: True\n"
        "from tui.app import PaperviewApp\n"
        "started = []\n"
        "PaperviewApp.run = lambda self: started.append(self)\n"
        "from tui.cli import main\n"
        "assert main([]) == 0 and len(started) == 1\n"
    )
    assert loaded_after(code) == "loaded: -"
    # nor the argument parser: ``paperview`` alone has nothing to parse (about 8 ms)
    assert loaded_after(code, ("argparse", "tui.cli.parser")) == "loaded: -"


@pytest.mark.slow
def test_help_loads_no_data_layer() -> None:
    code = (
        "import contextlib, io\n"
        "from tui.cli import main\n"
        "with contextlib.redirect_stdout(io.StringIO()), contextlib.suppress(SystemExit):\n"
        "    main(['--help'])\n"
    )
    assert loaded_after(code) == "loaded: -"


@pytest.mark.slow
def test_the_check_sees_a_command_that_loads_the_data_layer() -> None:
    # The same check after a plain command: it does see what that command imports.
    code = "from tui.cli import main\nmain(['stats', '--json'])\n"
    assert "pydantic" in loaded_after(code)


def test_max_size_default_is_the_readers() -> None:
    # Repeated in the command line so that parsing options needs no data layer.
    assert DEFAULT_MAX_SIZE == READER_MAX_SIZE


def sheets_read(app: App[None]) -> set[str]:
    """The names of the ``styles/`` files the app has read so far."""
    return {
        Path(path).name for path, _ in app.stylesheet.source if Path(path).parent == styles_dir()
    }


def is_framed(widget: Widget, width: int) -> bool:
    """Whether ``widget`` is drawn as a dialog: ``width`` cells wide, in a rounded border."""
    return widget.region.width == width and widget.styles.border_top[0] == "round"


DIALOGS = [
    pytest.param(lambda: HelpScreen([]), "#help-dialog", 100, id="help"),
    pytest.param(lambda: ProblemsScreen([]), "#problems-dialog", 100, id="problems"),
    pytest.param(lambda: NoteScreen("A paper", "a note"), "#note-dialog", 90, id="note"),
    pytest.param(DiscardScreen, "#discard-dialog", 50, id="discard"),
    pytest.param(lambda: TagsScreen("A paper", ["gnn"], {"gnn": 1}), "#tags-dialog", 90, id="tags"),
    pytest.param(lambda: ListsScreen([]), ".library-dialog", 90, id="lists"),
]
"""Each dialog that needs no library, its frame and the frame's width at 120 columns."""


@pytest.mark.parametrize(("make", "frame", "width"), DIALOGS)
async def test_a_dialog_is_styled_by_its_own_sheet(
    make: Callable[[], Screen[object]], frame: str, width: int
) -> None:
    app: App[None] = App()  # no style sheets of its own: the dialog must bring its sheet
    async with app.run_test(size=(120, 40)) as pilot:
        dialog = make()
        await app.push_screen(dialog)
        await pilot.pause()
        assert is_framed(dialog.query_one(frame), width)


async def test_the_first_frame_reads_the_readers_sheets_and_export_its_own(
    tmp_path: Path,
) -> None:
    app = PaperviewApp([write_corpus(tmp_path)], data_dir=tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        assert sheets_read(app) == set(READER_SHEETS)
        await settled(pilot)  # export needs the library
        await pilot.press("e")
        await pilot.pause()
        export = app.screen
        assert isinstance(export, ExportDialog)
        assert is_framed(export.query_one("#export-dialog"), 90)
        assert not export.query_one("#export-confirm").display  # hidden until asked
        assert sheets_read(app) == {*READER_SHEETS, "export.tcss"}


class FrameOnly(PaperviewApp):
    """The app with an empty screen: no loading worker (which pauses the collector too)."""

    def get_default_screen(self) -> Screen[None]:
        return Screen()


async def test_the_cycle_collector_is_back_on_once_the_first_frame_is_drawn() -> None:
    # Start-up runs with it off; left off, every cycle the reader makes would stay in memory.
    app = FrameOnly()
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            await pilot.pause()
            assert gc.isenabled()
    finally:
        gc.enable()


def test_the_cycle_collector_is_back_on_when_the_reader_cannot_start(
    capsys: pytest.CaptureFixture[str],
) -> None:
    assert main([]) == EXIT_USAGE  # no terminal here: the reader refuses to start
    assert "needs a terminal" in capsys.readouterr().err
    assert gc.isenabled()


def styled(app: App[None]) -> dict[str, tuple[str, dict[str, str]]]:
    """Every widget's styles on the screen, with its component classes' styles."""
    return {
        repr(node): (
            node.styles.css,
            {name: styles.css for name, styles in node._component_styles.items()},
        )
        for node in app.screen.walk_children(with_self=True)
    }


@pytest.mark.parametrize("size", [(120, 40), (80, 24)])
async def test_the_first_frame_is_styled_as_a_full_restyle_would_style_it(
    tmp_path: Path, size: tuple[int, int]
) -> None:
    # The reader's start skips Textual's second styling of every widget (on the screen's
    # first resume): the styles must be those that styling would give.
    app = PaperviewApp([write_corpus(tmp_path)], data_dir=tmp_path / "data")
    async with app.run_test(size=size) as pilot:
        await pilot.pause()
        first = styled(app)
        app.update_styles(app.screen)
        assert styled(app) == first


async def test_the_screen_resumes_once_at_start_and_after_a_dialog(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    # Textual's own resume (layout, focus, bindings) runs once per resume, not again
    # from the reader's first-resume override.
    resumed: list[bool] = []  # the reader's resumes (not the dialog's): their restyling
    resume = Screen._on_screen_resume

    def counted(screen: Screen[object], event: events.ScreenResume) -> None:
        if isinstance(screen, MainScreen):
            resumed.append(event.refresh_styles)
        resume(screen, event)

    monkeypatch.setattr(Screen, "_on_screen_resume", counted)
    app = PaperviewApp([write_corpus(tmp_path)], data_dir=tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        await pilot.pause()
        assert resumed == [False]  # the start: no second styling of every widget
        await pilot.press("question_mark")
        await pilot.pause()
        await pilot.press("escape")
        await pilot.pause()
        assert isinstance(app.screen, MainScreen) and len(resumed) == 2
