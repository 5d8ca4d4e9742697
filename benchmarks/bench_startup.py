"""Process start to first frame: paperview on the bundled corpus next to a bare Textual app.

Every run is a fresh interpreter. The parent notes ``time.monotonic()`` (a system-wide clock
on Linux) just before starting the child; the child prints the same clock when Textual sends
``Ready`` (the first frame has been drawn) and exits at once. Apps run headless at 120x40,
so the figures exclude the terminal's own drawing, equally for every row.

Every row runs with bytecode, as an installed program does (pip compiles a wheel's modules
when it installs them). The children run with ``PYTHONDONTWRITEBYTECODE`` removed from their
environment and ``PYTHONPYCACHEPREFIX`` set to a fresh temporary directory, so Python reads
and writes the ``.pyc`` files of every module (Textual's, ours, the standard library's) there
and leaves the checkout and the venv alone. One warm-up run of each row, before the timed
runs, writes that cache; the timed runs then load compiled code only, for the bare app and
paperview alike. The temporary directory is deleted at the end.

Rows:

* ``bare Textual app``: an ``App`` with one ``Static("hello")``.
* ``paperview app``: ``PaperviewApp()`` on the bundled corpus (imports ``tui.app`` only).
* ``paperview command``: what ``paperview`` does: ``tui.cli.main([])``, which imports the
  command-line package first, then (in the ``open`` command) the app. The terminal check is
  patched, and ``App.run`` to run headless, where the command imports the app, so the
  command line's hand-over happens as it does in ``paperview``.
* ``... papers listed``: the same process, until the frame that shows the loaded, searched
  corpus (the list filled), for reference.

With ``--instructions``, each row but the last also runs once under valgrind's callgrind,
which counts the instructions executed up to the first frame: the same count on every run,
however busy the machine, so it compares two versions where the milliseconds (which vary by
half on a shared machine) cannot. Valgrind makes the run some 50 times slower.

Run from the repository root::

    python benchmarks/bench_startup.py [RUNS] [--instructions]
"""

from __future__ import annotations

import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import time
from pathlib import Path

ROOT = Path(__file__).resolve().parent.parent

BARE = r"""
import os, time
from textual.app import App, ComposeResult
from textual.widgets import Static
class Hello(App[None]):
    def compose(self) -> ComposeResult:
        yield Static("hello")
    def on_ready(self) -> None:
        print(time.monotonic(), flush=True)
        os._exit(0)
Hello().run(headless=True, size=(120, 40))
"""

APP = r"""
import os, time
from tui.app import PaperviewApp
def ready(self) -> None:
    print(time.monotonic(), flush=True)
    os._exit(0)
PaperviewApp.on_ready = ready
PaperviewApp().run(headless=True, size=(120, 40))
"""

COMMAND = r"""
import os, sys, time
WAIT_FOR_LIST = {wait}
sys.stdin.isatty = lambda: True
sys.stdout.isatty = lambda: True
sys.stderr.isatty = lambda: True
from tui.cli import main
import tui.cli.commands.open as open_command
open_reader = open_command.open_reader
def open_headless(*args):
    # The app is patched where the command imports it: after the hand-over, as in paperview.
    import tui.app
    from tui.widgets.paper_list import PaperList
    App = tui.app.PaperviewApp
    run = App.run
    def ready(self) -> None:
        print(time.monotonic(), flush=True)
        if not WAIT_FOR_LIST:
            os._exit(0)
    show = PaperList.show
    def listed(self, papers, rows, **kwargs) -> None:
        show(self, papers, rows, **kwargs)
        screen = self.screen
        if screen.result is not None and screen.result.complete:
            def done() -> None:
                print(time.monotonic(), flush=True)
                os._exit(0)
            self.app.call_after_refresh(done)
    App.on_ready = ready
    App.run = lambda self: run(self, headless=True, size=(120, 40))
    PaperList.show = listed
    return open_reader(*args)
open_command.open_reader = open_headless
main([])
"""


PYTHON = (sys.executable, "-c")
"""How a child runs its code."""


def child_environment(pycache: str) -> dict[str, str]:
    """The children's environment: the checkout on the path, bytecode read and written in
    ``pycache`` (never in the checkout or the venv)."""
    env = {name: value for name, value in os.environ.items() if name != "PYTHONDONTWRITEBYTECODE"}
    return {**env, "PYTHONPATH": str(ROOT), "PYTHONPYCACHEPREFIX": pycache}


def once(code: str, env: dict[str, str]) -> list[float]:
    """Milliseconds from process start to each time the child prints."""
    started = time.monotonic()
    done = subprocess.run(
        [*PYTHON, code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    return [(float(line) - started) * 1000 for line in done.stdout.split()]


def instructions(code: str, env: dict[str, str]) -> int:
    """Instructions the child executes (callgrind's count), start to exit."""
    done = subprocess.run(
        ["valgrind", "--tool=callgrind", "--callgrind-out-file=/dev/null", *PYTHON, code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=env,
    )
    found = re.search(r"Collected : (\d+)", done.stderr)
    if found is None:
        raise SystemExit(f"no instruction count from valgrind:\n{done.stderr[-2000:]}")
    return int(found.group(1))


def main() -> None:
    """Print the medians (and spread) of the start-up figures."""
    arguments = [argument for argument in sys.argv[1:] if argument != "--instructions"]
    count = "--instructions" in sys.argv[1:]
    if count and shutil.which("valgrind") is None:
        raise SystemExit("--instructions needs valgrind")
    runs = int(arguments[0]) if arguments else 21
    cases = {
        "bare Textual app (hello)": BARE,
        "paperview app (tui.app)": APP,
        "paperview command (tui.cli)": COMMAND.format(wait=False),
        "paperview command, papers listed": COMMAND.format(wait=True),
    }
    samples: dict[str, list[float]] = {name: [] for name in cases}
    load_before = os.getloadavg()[0]
    with tempfile.TemporaryDirectory(prefix="paperview-pycache-") as pycache:
        env = child_environment(pycache)
        for code in cases.values():
            once(code, env)  # writes the bytecode cache, warms the OS file cache
        for _ in range(runs):  # interleaved, so machine noise hits every case alike
            for name, code in cases.items():
                figures = once(code, env)
                samples[name].append(figures[-1])
        counted = {
            name: instructions(code, env)
            for name, code in cases.items()
            if count and "listed" not in name
        }
    bare = statistics.median(samples["bare Textual app (hello)"])
    print(
        f"process start -> first frame, headless 120x40, with bytecode, {runs} fresh processes"
        f" each (load average {load_before:.2f} before, {os.getloadavg()[0]:.2f} after)"
    )
    print(f"{'case':<36} {'median':>8} {'min':>8} {'max':>8} {'x bare':>7}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(
            f"{name:<36} {median:8.1f} {min(values):8.1f} {max(values):8.1f} {median / bare:7.2f}"
        )
    print("targets: paperview median <= 350 ms and <= 1.25 x the bare app")
    if counted:
        print("instructions to the first frame (callgrind, one run each)")
        base = counted["bare Textual app (hello)"]
        for name, value in counted.items():
            print(f"{name:<36} {value / 1e6:9.1f} M {value / base:7.3f} x bare")


if __name__ == "__main__":
    main()
