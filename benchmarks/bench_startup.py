"""Process start to first frame: paperview on the bundled corpus next to a bare Textual app.

Every run is a fresh interpreter. The parent notes ``time.monotonic()`` (a system-wide clock
on Linux) just before starting the child; the child prints the same clock when Textual sends
``Ready`` (the first frame has been drawn) and exits at once. Apps run headless at 120x40,
so the figures exclude the terminal's own drawing, equally for every row.

Rows:

* ``bare Textual app``: an ``App`` with one ``Static("hello")``.
* ``paperview app``: ``PaperviewApp()`` on the bundled corpus (imports ``tui.app`` only).
* ``paperview command``: what ``paperview`` does: ``tui.cli.main([])``, which imports the
  command-line package first, then the app (the terminal check and ``App.run`` are patched
  to run headless).
* ``... papers listed``: the same process, until the frame that shows the loaded, searched
  corpus (the list filled), for reference.

Run from the repository root::

    python benchmarks/bench_startup.py [RUNS]
"""

from __future__ import annotations

import os
import statistics
import subprocess
import sys
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
main([])
"""


def once(code: str) -> list[float]:
    """Milliseconds from process start to each time the child prints."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", code],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env={**os.environ, "PYTHONPATH": str(ROOT)},
    )
    return [(float(line) - started) * 1000 for line in done.stdout.split()]


def main() -> None:
    """Print the medians (and spread) of the start-up figures."""
    runs = int(sys.argv[1]) if len(sys.argv) > 1 else 21
    cases = {
        "bare Textual app (hello)": BARE,
        "paperview app (tui.app)": APP,
        "paperview command (tui.cli)": COMMAND.format(wait=False),
        "paperview command, papers listed": COMMAND.format(wait=True),
    }
    for code in cases.values():
        once(code)  # warm the OS file cache
    samples: dict[str, list[float]] = {name: [] for name in cases}
    for _ in range(runs):  # interleaved, so machine noise hits every case alike
        for name, code in cases.items():
            figures = once(code)
            samples[name].append(figures[-1])
    bare = statistics.median(samples["bare Textual app (hello)"])
    print(f"process start -> first frame, headless 120x40, {runs} fresh processes each")
    print(f"{'case':<36} {'median':>8} {'min':>8} {'max':>8} {'x bare':>7}")
    for name, values in samples.items():
        median = statistics.median(values)
        print(
            f"{name:<36} {median:8.1f} {min(values):8.1f} {max(values):8.1f} {median / bare:7.2f}"
        )
    print("targets: paperview median <= 350 ms and <= 1.25 x the bare app")


if __name__ == "__main__":
    main()
