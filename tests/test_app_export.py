"""The export dialog (``e``): what, format, file or clipboard, overwrite question, progress."""

from __future__ import annotations

import csv
import json
import os
import stat
import threading
from collections.abc import Callable, Iterator
from dataclasses import replace
from pathlib import Path
from typing import Any

import pytest
from app_support import main_screen, make_app, screen_text, settle
from textual.pilot import Pilot
from textual.widgets import Button, Input, OptionList, Static

import tui.screens.export_dialog as export_dialog
import tui.screens.main as main_module
from tui.app import PaperviewApp
from tui.data.export import ExportCancelled, ExportDocument, Format, Progress, render, utc_now
from tui.data.library import open_library
from tui.data.search import SearchIndex, SearchResult
from tui.screens.export_dialog import ExportDialog
from tui.screens.main import MainScreen

GNN = "Graph Neural Networks for Protein Folding"
TABLES = "Attention Is Not All You Need for Tables"
SURVEY = "A Survey of Diffusion Models"
LIST = "To [bold]read"
"""A list name that would be markup if the dialog parsed it."""


@pytest.fixture
def data_dir(tmp_path: Path, corpus: Path) -> Path:
    """A library with two bookmarks (GNN first) and a list (SURVEY, then TABLES)."""
    from tui.data.corpus import load_corpus

    papers = {paper.title: paper for paper in load_corpus([corpus]).papers}
    directory = tmp_path / "data"
    store, _ = open_library(directory)
    store.bookmark([papers[GNN]])
    store.bookmark([papers[TABLES]])
    store.add_to_list(LIST, [papers[SURVEY], papers[TABLES]], create=True)
    store.close()
    return directory


@pytest.fixture
def out(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    """The working directory, where default file names go."""
    directory = tmp_path / "out"
    directory.mkdir()
    monkeypatch.chdir(directory)
    return directory


def recorded_notices(app: PaperviewApp) -> list[str]:
    """Record the messages of the app's notifications from now on."""
    notices: list[str] = []
    notify = app.notify

    def record(message: str, **options: object) -> None:
        notices.append(message)
        notify(message, **options)  # type: ignore[arg-type]

    app.notify = record  # type: ignore[method-assign]
    return notices


async def ready(pilot: Pilot[None]) -> MainScreen:
    """The reader, loaded, with its library open."""
    screen = main_screen(pilot)
    for _ in range(400):
        await settle(pilot)
        if screen.library_view is not None:
            return screen
        await pilot.pause(0.01)
    raise AssertionError("the library never opened")


async def open_dialog(pilot: Pilot[None]) -> ExportDialog:
    await pilot.press("e")
    await pilot.pause()
    dialog = pilot.app.screen
    assert isinstance(dialog, ExportDialog)
    await finish(pilot)
    return dialog


async def finish(pilot: Pilot[None]) -> None:
    """Wait for the dialog's workers and the messages they posted."""
    for _ in range(400):
        await pilot.app.workers.wait_for_complete()
        await pilot.pause()
        if not any(w.is_running for w in pilot.app.workers if w.group.startswith("export")):
            await pilot.pause()
            return
    raise AssertionError("the export never finished")


async def choose(pilot: Pilot[None], dialog: ExportDialog, label: str) -> None:
    """Move the "what" list's highlight to the option starting with ``label``, by keys."""
    what = dialog.query_one("#export-what", OptionList)
    what.focus()
    for _ in range(what.option_count):
        index = what.highlighted
        if index is not None and str(what.get_option_at_index(index).prompt).startswith(label):
            return
        await pilot.press("down")
    raise AssertionError(f"no option {label!r}")


def status(dialog: ExportDialog) -> str:
    """The dialog's one-line message."""
    return str(dialog.query_one("#export-status", Static).visual)


async def set_path(pilot: Pilot[None], dialog: ExportDialog, path: Path) -> None:
    """Put ``path`` in the file box (as if typed)."""
    dialog.query_one("#export-path", Input).value = str(path)
    await pilot.pause()


def today() -> str:
    return utc_now().strftime("%Y-%m-%d")


async def test_e_then_enter_writes_the_bookmarks_to_the_default_file(
    corpus: Path, data_dir: Path, out: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    notices = recorded_notices(app)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        assert "Bookmarks (2 papers)" in screen_text(pilot)
        name = f"paperview-bookmarks-{today()}.md"
        assert dialog.query_one("#export-path", Input).value == name
        await pilot.click("#export-abstracts")
        await pilot.press("ctrl+s")
        await finish(pilot)
        assert isinstance(app.screen, MainScreen)
        text = (out / name).read_text(encoding="utf-8")
        assert text.startswith("# Bookmarks\n")
        assert text.index("Graph Neural Networks") < text.index("Attention Is Not All")
        assert "  > We fold proteins with graph neural networks\\." in text  # the abstract
        assert "Survey" not in text
        assert notices == [f"Exported 2 papers (bookmarks) to {out / name} as Markdown."]
        assert [p.name for p in out.iterdir()] == [name]  # no temporary file left


async def test_an_existing_file_is_kept_unless_the_user_says_replace(
    corpus: Path, data_dir: Path, tmp_path: Path
) -> None:
    target = tmp_path / "mine.md"
    target.write_bytes(b"my own notes\r\n\x00")
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        await set_path(pilot, dialog, target)
        await pilot.click("#export-save")
        await finish(pilot)
        question = dialog.query_one("#export-confirm-text", Static).visual
        assert str(question) == f"{target} already exists. Replace it?"
        assert app.focused is dialog.query_one("#export-keep")  # enter keeps the file
        await pilot.press("enter")
        await finish(pilot)
        assert target.read_bytes() == b"my own notes\r\n\x00"
        assert "Nothing was written" in screen_text(pilot)
        assert app.screen is dialog
        await pilot.press("ctrl+s")
        await finish(pilot)
        await pilot.click("#export-replace")
        await finish(pilot)
        assert target.read_text(encoding="utf-8").startswith("# Bookmarks\n")
        assert isinstance(app.screen, MainScreen)
        assert sorted(p.name for p in tmp_path.iterdir() if p.name.startswith(".")) == []


async def test_copy_puts_the_selected_paper_on_the_clipboard(
    corpus: Path, data_dir: Path, out: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    notices = recorded_notices(app)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await ready(pilot)
        assert screen.selected is not None and screen.selected.title == GNN
        dialog = await open_dialog(pilot)
        await choose(pilot, dialog, "Selected paper")
        assert dialog.query_one("#export-path", Input).value.startswith("paperview-paper-")
        await pilot.click("#export-format-bibtex")
        await pilot.press("ctrl+y")
        await finish(pilot)
        assert app.clipboard.startswith("% Paper: exported from paperview")
        assert "\n@misc{graph2024_f985,\n" in app.clipboard
        assert "Graph Neural Networks for Protein Folding" in app.clipboard
        assert app.clipboard.count("@misc") == 1
        assert notices == ["Copied 1 paper (paper) to the clipboard as BibTeX."]
        assert list(out.iterdir()) == []  # nothing written


async def test_the_arrows_pick_a_format_as_they_move(corpus: Path, data_dir: Path) -> None:
    """In the format row an arrow picks the next format (and the file name follows), as
    radio groups do; it does not only move a highlight that space must then pick."""
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        dialog.query_one("#export-format").focus()
        await pilot.pause()
        picked = []
        for keys in (["right"], ["down", "down"], ["left"]):
            await pilot.press(*keys)
            picked.append((dialog.format, dialog.query_one("#export-path", Input).value[-4:]))
        assert picked == [(Format.JSON, "json"), (Format.BIBTEX, ".bib"), (Format.CSV, ".csv")]


async def test_export_of_the_current_results_as_json(
    corpus: Path, data_dir: Path, tmp_path: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        await pilot.press("slash", *"graph", "enter")
        screen = await settle(pilot)
        found = [screen.papers[position].id for position in screen.paper_list.rows]
        assert len(found) == 2  # the GNN paper and the survey (graph structures)
        dialog = await open_dialog(pilot)
        assert "Search results for “graph” (2 papers)" in screen_text(pilot)  # the default
        await pilot.click("#export-format-json")
        name = dialog.query_one("#export-path", Input).value
        assert name == f"paperview-search-{today()}.json"
        await set_path(pilot, dialog, tmp_path / name)
        await pilot.press("ctrl+s")
        await finish(pilot)
        exported = json.loads((tmp_path / name).read_text(encoding="utf-8"))
        assert (exported["scope"], exported["name"]) == ("search", "graph")
        assert [paper["id"] for paper in exported["papers"]] == found


async def test_export_of_one_reading_list_keeps_its_order_and_shows_its_name_literally(
    corpus: Path, data_dir: Path, tmp_path: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        assert f"Reading list: {LIST} (2 papers)" in screen_text(pilot)
        await choose(pilot, dialog, "Reading list")
        assert (
            dialog.query_one("#export-path", Input).value
            == f"paperview-list-to-bold-read-{today()}.md"
        )
        await set_path(pilot, dialog, tmp_path / "list.csv")  # the extension picks the format
        assert dialog.format is Format.CSV
        await pilot.press("ctrl+s")
        await finish(pilot)
        with (tmp_path / "list.csv").open(encoding="utf-8-sig", newline="") as file:
            rows = list(csv.DictReader(file))
        assert [row["title"] for row in rows] == [SURVEY, TABLES]
        assert [row["lists"] for row in rows] == [LIST, LIST]


async def test_errors_are_one_line_in_the_dialog_and_nothing_is_written(
    corpus: Path, tmp_path: Path
) -> None:
    app = make_app(corpus, data_dir=tmp_path / "empty-library")
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        assert dialog.what == "results"  # nothing bookmarked: the papers shown
        await choose(pilot, dialog, "Bookmarks")
        await set_path(pilot, dialog, tmp_path / "out.md")
        await pilot.press("ctrl+s")
        await finish(pilot)
        assert status(dialog) == "No papers to export (bookmarks)."
        assert not (tmp_path / "out.md").exists()
        assert app.focused is dialog.query_one("#export-path")
        (tmp_path / "out.md").write_text("kept", encoding="utf-8")
        await pilot.press("ctrl+s")  # no question about a file it would not write
        await finish(pilot)
        assert status(dialog) == "No papers to export (bookmarks)."
        assert not dialog.query_one("#export-confirm").display
        (tmp_path / "out.md").unlink()
        await choose(pilot, dialog, "All papers")
        missing = tmp_path / "no-such-dir" / "out.md"
        await set_path(pilot, dialog, missing)
        await pilot.press("ctrl+s")
        await finish(pilot)
        assert status(dialog) == f"Couldn't write {missing}: no such file or directory."
        assert not missing.parent.exists()
        assert app.screen is dialog
        # The file box has the focus again: the name is fixed by typing, enter saves.
        await pilot.press("end", *["backspace"] * len("no-such-dir/out.md"), *"fixed.md", "enter")
        await finish(pilot)
        assert (tmp_path / "fixed.md").read_text(encoding="utf-8").startswith("# All papers")
        assert isinstance(app.screen, MainScreen)


async def test_a_fifo_or_a_device_is_never_replaced(
    corpus: Path, data_dir: Path, tmp_path: Path
) -> None:
    fifo, link = tmp_path / "fifo.md", tmp_path / "link.md"
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        for target in (fifo, link):
            await set_path(pilot, dialog, target)
            await pilot.press("ctrl+s")
            await finish(pilot)
            assert status(dialog) == f"{target}: not a regular file; not replaced."
            assert not dialog.query_one("#export-confirm").display  # no "Replace it?"
            assert app.focused is dialog.query_one("#export-path")
        assert stat.S_ISFIFO(fifo.lstat().st_mode) and link.is_symlink()


async def test_a_long_export_shows_progress_and_escape_stops_it_without_a_file(
    corpus: Path, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()

    def slow_render(
        *args: object, progress: Progress, cancelled: Callable[[], bool], **_: object
    ) -> bytes:
        progress(200, 1000)
        started.set()
        while not cancelled():  # until escape is pressed (bounded by the test's own timeout)
            threading.Event().wait(0.01)
        raise ExportCancelled

    monkeypatch.setattr(export_dialog, "render_bytes", slow_render)
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        await set_path(pilot, dialog, tmp_path / "big.md")
        await pilot.press("ctrl+s")
        for _ in range(400):
            await pilot.pause(0.01)
            if started.is_set() and "Exporting 200 of 1,000 papers" in screen_text(pilot):
                break
        else:
            raise AssertionError("no progress shown")
        assert dialog.query_one("#export-progress").display
        await pilot.press("escape")
        await finish(pilot)
        assert "Export stopped; nothing was written." in screen_text(pilot)
        assert not (tmp_path / "big.md").exists()
        assert app.screen is dialog  # escape stopped the export, not the dialog
        assert app.focused is dialog.query_one("#export-path")


async def test_escape_stops_an_export_while_the_papers_are_collected(
    corpus: Path, data_dir: Path, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started = threading.Event()
    from tui.data.export import bookmarks_document as real

    def slow_bookmarks(*args: Any) -> ExportDocument:
        """Collects the bookmarks as a million-paper corpus's results would: slowly."""
        started.set()
        while not args[-1]():  # the cancelled() callback (bounded by the test's own timeout)
            threading.Event().wait(0.01)
        return real(*args)

    monkeypatch.setattr(export_dialog, "bookmarks_document", slow_bookmarks)
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        await set_path(pilot, dialog, tmp_path / "big.md")
        await pilot.press("ctrl+s")
        for _ in range(400):
            await pilot.pause(0.01)
            if started.is_set():
                break
        assert started.is_set() and "Collecting the papers" in screen_text(pilot)
        await pilot.press("escape")
        await finish(pilot)
        assert status(dialog) == "Export stopped; nothing was written."
        assert not (tmp_path / "big.md").exists() and app.screen is dialog


def test_render_stops_when_asked(corpus: Path, data_dir: Path) -> None:
    from tui.data.corpus import load_corpus
    from tui.data.export import search_document

    papers = load_corpus([corpus]).papers
    document = search_document(papers, range(len(papers)), "", None)
    with pytest.raises(ExportCancelled):
        render(document, Format.JSON, every=1, cancelled=lambda: True)
    assert render(document, Format.JSON, every=1, cancelled=lambda: False).startswith("{")


async def test_a_directory_gets_the_default_name_and_the_format_follows_the_extension(
    corpus: Path, data_dir: Path, tmp_path: Path
) -> None:
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        await pilot.click("#export-format-csv")
        assert dialog.query_one("#export-path", Input).value.endswith(f"{today()}.csv")
        await set_path(pilot, dialog, tmp_path / "mine.bib")
        assert dialog.format is Format.BIBTEX
        await pilot.click("#export-format-json")
        assert dialog.query_one("#export-path", Input).value == str(tmp_path / "mine.json")
        await set_path(pilot, dialog, tmp_path)
        await pilot.press("ctrl+s")
        await finish(pilot)
        written = tmp_path / f"paperview-bookmarks-{today()}.json"
        assert json.loads(written.read_text(encoding="utf-8"))["count"] == 2


async def test_replace_only_overwrites_the_file_the_user_was_asked_about(
    corpus: Path, data_dir: Path, tmp_path: Path
) -> None:
    folder = tmp_path / "exports"
    folder.mkdir()
    markdown = folder / f"paperview-bookmarks-{today()}.md"
    data = folder / f"paperview-bookmarks-{today()}.json"
    markdown.write_text("my markdown", encoding="utf-8")
    data.write_text("my json", encoding="utf-8")
    app = make_app(corpus, data_dir=data_dir)
    async with app.run_test(size=(100, 40)) as pilot:
        await ready(pilot)
        dialog = await open_dialog(pilot)
        await set_path(pilot, dialog, folder)  # a directory: the default name goes in it
        await pilot.press("ctrl+s")
        await finish(pilot)
        question = dialog.query_one("#export-confirm")
        assert str(dialog.query_one("#export-confirm-text", Static).visual).startswith(
            f"{markdown} already exists"
        )
        await pilot.click("#export-format-json")  # now the default name is the .json one
        assert not question.display  # the question was about the .md file
        await pilot.press("ctrl+s")
        await finish(pilot)
        assert str(dialog.query_one("#export-confirm-text", Static).visual).startswith(
            f"{data} already exists"
        )
        await set_path(pilot, dialog, data)  # the same file, named
        await pilot.press("ctrl+s")
        await finish(pilot)
        assert question.display
        # Another program makes the .json a folder: replace must not write into it unasked.
        data.unlink()
        data.mkdir()
        inner = data / data.name
        inner.write_text("inner json", encoding="utf-8")
        await pilot.click("#export-replace")
        await finish(pilot)
        assert inner.read_text(encoding="utf-8") == "inner json"
        assert str(dialog.query_one("#export-confirm-text", Static).visual).startswith(
            f"{inner} already exists"
        )
        # Pressed, not clicked: a click sent the instant the question appears was now and
        # then lost in CI (a mouse test of the question is above). The Pressed message and
        # the export it starts come later: wait for the dialog to close, as it does once
        # the export is written.
        dialog.query_one("#export-replace", Button).press()
        for _ in range(200):
            await finish(pilot)
            if isinstance(app.screen, MainScreen):
                break
        assert json.loads(inner.read_text(encoding="utf-8"))["count"] == 2
        assert markdown.read_text(encoding="utf-8") == "my markdown"
        assert isinstance(app.screen, MainScreen)


async def test_e_during_a_search_never_exports_only_its_early_matches(
    corpus: Path, data_dir: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    release = threading.Event()
    stages = SearchIndex.search_stages

    def slow_stages(index: SearchIndex, query: str, **options: object) -> Iterator[SearchResult]:
        """For "graph": the first match at once, the complete result when released."""
        for result in stages(index, query, **options):  # type: ignore[arg-type]
            if query == "graph" and result.complete:
                yield replace(result, indices=result.indices[:1], complete=False)
                while not release.wait(0.01):  # (bounded by the test's own timeout)
                    pass
            yield result

    monkeypatch.setattr(SearchIndex, "search_stages", slow_stages)
    monkeypatch.setattr(
        main_module, "INLINE_PAPERS", 0
    )  # every stage in the worker, as in a big corpus
    app = make_app(corpus, data_dir=data_dir)
    notices = recorded_notices(app)
    async with app.run_test(size=(100, 40)) as pilot:
        screen = await ready(pilot)
        try:
            await pilot.press("slash", *"graph", "enter")
            for _ in range(400):
                await pilot.pause(0.01)
                if screen.result is not None and screen.result.query == "graph":
                    break
            assert len(screen.paper_list.rows) == 1  # only the early match so far
            await pilot.press("e")
            await pilot.pause()
            assert app.screen is screen  # no dialog offering 1 of the results
            assert notices[-1] == "Search still running; try again in a moment."
        finally:
            release.set()
        await settle(pilot)
        await open_dialog(pilot)
        assert "Search results for “graph” (2 papers)" in screen_text(pilot)
