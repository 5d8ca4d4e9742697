"""Snapshots of the reader's main states at 80x24 (stacked panes) and 120x40.

Regenerate after an intended change with ``pytest tests/test_app_snapshots.py
--snapshot-update`` and look at the SVGs before keeping them. The corpus is the bundled one,
copied and opened by a relative path so the source file names shown do not depend on where
the checkout lives.
"""

from __future__ import annotations

import shutil
from collections.abc import Awaitable, Callable, Iterable
from pathlib import Path

import pytest
from app_support import settle
from textual.pilot import Pilot
from textual.widgets import Input

import tui.data.library.files as library_files
from tui.app import PaperviewApp
from tui.resources import seeds_dir
from tui.screens.main import MainScreen

pytest.importorskip("pytest_textual_snapshot")

SnapCompare = Callable[..., bool]
SIZES = [pytest.param((80, 24), id="80x24"), pytest.param((120, 40), id="120x40")]


@pytest.fixture
def app(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> PaperviewApp:
    shutil.copytree(seeds_dir(), tmp_path / "seeds")
    monkeypatch.chdir(tmp_path)
    # reading a paper records when: a fixed time keeps the detail pane the same every day
    monkeypatch.setattr(library_files, "now", lambda: "2026-01-02T03:04:05.678Z")
    return PaperviewApp([Path("seeds")], data_dir=tmp_path / "data")


def steady(*keys: str) -> Callable[[Pilot[None]], Awaitable[None]]:
    """Settle, press ``keys`` (settling after each), stop the cursor blinking."""

    async def run_before(pilot: Pilot[None]) -> None:
        await settle(pilot)
        for key in keys:
            await pilot.press(key)
            await pilot.pause()
            if isinstance(pilot.app.screen, MainScreen):
                await settle(pilot)
        for box in pilot.app.query(Input):
            box.cursor_blink = False
        await pilot.pause()

    return run_before


def typed(text: str) -> Iterable[str]:
    return ["slash", *("space" if c == " " else c for c in text)]


@pytest.mark.parametrize("size", SIZES)
def test_loaded(snap_compare: SnapCompare, app: PaperviewApp, size: tuple[int, int]) -> None:
    """The bundled corpus listed, the first paper in the detail pane."""
    assert snap_compare(app, terminal_size=size, run_before=steady("j"))


@pytest.mark.parametrize("size", SIZES)
def test_search_results(
    snap_compare: SnapCompare, app: PaperviewApp, size: tuple[int, int]
) -> None:
    """Results for "graph neural" with the matched characters highlighted."""
    assert snap_compare(app, terminal_size=size, run_before=steady(*typed("graph neural")))


@pytest.mark.parametrize("size", SIZES)
def test_no_results(snap_compare: SnapCompare, app: PaperviewApp, size: tuple[int, int]) -> None:
    """A query nothing matches: the list says what to do."""
    assert snap_compare(app, terminal_size=size, run_before=steady(*typed("xyzzyplugh")))


@pytest.mark.parametrize("size", SIZES)
def test_help(snap_compare: SnapCompare, app: PaperviewApp, size: tuple[int, int]) -> None:
    """The help screen, generated from the bindings."""
    assert snap_compare(app, terminal_size=size, run_before=steady("question_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_problems(snap_compare: SnapCompare, app: PaperviewApp, size: tuple[int, int]) -> None:
    """The problems view (the bundled corpus has one truncated entry)."""
    assert snap_compare(app, terminal_size=size, run_before=steady("exclamation_mark"))


@pytest.mark.parametrize("size", SIZES)
def test_reading_sorted_by_date(
    snap_compare: SnapCompare, app: PaperviewApp, size: tuple[int, int]
) -> None:
    """Sorted by date, the detail pane focused."""
    assert snap_compare(app, terminal_size=size, run_before=steady("s", "enter"))
