"""``paperview`` starts the reader without loading the data layer first.

The reader draws its first frame before its loading worker imports pydantic, the search
(rapidfuzz) and the library (sqlite3). The command line in front of it must not import them
either, or every start pays for them before anything is shown (it cost about 190 ms, half
again the time a bare Textual app takes to draw). Each check runs in a fresh interpreter.
"""

from __future__ import annotations

import subprocess
import sys

import pytest

from tui.cli.common import DEFAULT_MAX_SIZE
from tui.data.sources import DEFAULT_MAX_SIZE as READER_MAX_SIZE

HEAVY = ("pydantic", "rapidfuzz", "sqlite3", "orjson", "tui.data.models", "tui.data.search")

REPORT = (
    "heavy = sorted(m for m in sys.modules if m.startswith({heavy!r}))\n"
    "print('loaded:', ' '.join(heavy) or '-')\n"
)


def loaded_after(code: str) -> str:
    """The heavy modules loaded once ``code`` has run (then REPORT), as printed."""
    script = "import sys\n" + code + REPORT.format(heavy=HEAVY)
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
