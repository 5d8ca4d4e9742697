"""The reader on an arXiv snapshot: names and categories shown, author:/cat: typed, progress
reported while loading, and the cache written once the corpus is searchable."""

from __future__ import annotations

import json
from pathlib import Path

import pytest
from app_support import main_screen, make_app, settle, titles_listed
from textual.message import Message

from tui.data import snapshot
from tui.screens import main
from tui.screens.main import MainScreen


def write_snapshot(path: Path, count: int) -> Path:
    lines = []
    for n in range(count):
        record = {
            "id": f"2401.{n:05d}",
            "title": f"Paper {n}: {'Deep Belief Nets' if n % 2 else 'Sparse Attention'}",
            "abstract": "  An abstract, hard-wrapped\nas arXiv does. " * 25,
            "authors": "G. E. Hinton and Y. Teh" if n % 2 else "Ada Lovelace",
            "categories": "cs.LG stat.ML" if n % 2 else "cs.CL",
            "versions": [{"version": "v1", "created": "Fri, 5 Jan 2024 10:00:00 GMT"}],
        }
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


async def test_the_reader_shows_names_and_categories_and_filters_on_them(
    tmp_path: Path,
) -> None:
    path = write_snapshot(tmp_path / "arxiv.jsonl", 6)
    app = make_app(path, data_dir=tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        detail = screen.detail.content.plain
        assert "\nAda Lovelace\ncs.CL\nid 2401.00000" in detail
        assert "https://arxiv.org/abs/2401.00000" in detail
        await pilot.press("slash", *"author:hinton", "space", *"cat:stat")
        screen = await settle(pilot)
        assert titles_listed(screen) == [f"Paper {n}: Deep Belief Nets" for n in (1, 3, 5)]


@pytest.mark.slow
async def test_loading_a_big_file_reports_progress_and_then_writes_the_cache(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    cache = tmp_path / "cache"
    monkeypatch.setenv("PAPERVIEW_CACHE_DIR", str(cache))
    path = write_snapshot(tmp_path / "arxiv.jsonl", 1200)  # over the 1 MB worth caching
    monkeypatch.setattr(snapshot, "CHUNK_BYTES", 64 * 1024)  # many progress reports
    monkeypatch.setattr(main, "PROGRESS_EVERY", 0)  # each one shown
    seen: list[str] = []
    original = MainScreen.post_message

    def record(self: MainScreen, message: Message) -> bool:
        if isinstance(message, MainScreen.LoadProgressed):
            seen.append(message.activity)
        return original(self, message)

    monkeypatch.setattr(MainScreen, "post_message", record)
    app = make_app(path, data_dir=tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert len(screen.papers) == 1200
        assert main_screen(pilot).index is not None
    percents = [int(a.rsplit(" ", 1)[1][:-1]) for a in seen if a.endswith("%")]
    assert len(percents) > 10 and percents == sorted(percents) and percents[-1] == 100
    assert len(list(cache.glob("*.pvcache"))) == 1


async def test_the_status_line_and_problems_view_count_the_problems_left_out(
    tmp_path: Path,
) -> None:
    """Past the listing's cap, the problems still count: 1,200 bad lines are 1,200."""
    path = write_snapshot(tmp_path / "arxiv.jsonl", 2)
    with path.open("a", encoding="utf-8") as out:
        out.write("{not json\n" * 1200)
    app = make_app(path, data_dir=tmp_path / "data")
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        status = str(screen.query_one("#status-problems").render())
        assert "1,200 problems" in status
        await pilot.press("exclamation_mark")
        await pilot.pause()
        title = str(app.screen.query_one("#problems-title").render())
        assert title.endswith(": 1,200 errors")
