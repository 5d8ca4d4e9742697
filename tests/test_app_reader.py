"""The reader, driven as a user would: load, search, move, read, sort, open, copy, quit."""

from __future__ import annotations

import json
import os
import threading
from pathlib import Path

import pytest
from app_support import (
    PAPERS,
    main_screen,
    make_app,
    screen_text,
    settle,
    titles_listed,
    wait_for_text,
    write_corpus,
)
from corpus_text import Item
from textual.app import App
from textual.widget import Widget
from textual.widgets import Input

from tui.app import PaperviewApp
from tui.screens.help import HelpScreen
from tui.screens.main import MainScreen
from tui.screens.problems import ProblemsScreen
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.paper_list import PaperList
from tui.widgets.search_bar import SearchBar


def focused(app: App[None]) -> Widget | None:
    """The focused widget (a function, so type checkers do not narrow it between keys)."""
    return app.focused


def detail_text(screen: MainScreen) -> str:
    return screen.query_one(PaperDetail).content.plain


def detail_line(screen: MainScreen, text: str) -> int:
    """The line of the detail pane (as drawn, from its content's top) that shows ``text``."""
    detail = screen.query_one(PaperDetail)
    for y in range(detail.scrollable_content_region.height):
        if text in detail.render_line(y).text:
            return y
    raise AssertionError(f"{text!r} is not in the detail pane")


async def test_first_frame_comes_before_the_corpus_and_says_it_is_loading(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.data.corpus as corpus_module

    release = threading.Event()
    real_load = corpus_module.load_corpus

    def slow_load(*args: object, **kwargs: object) -> object:
        release.wait(10)
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_module, "load_corpus", slow_load)
    app = make_app(corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_text(pilot, "reading 1 file")  # the loader is stuck in slow_load
        screen = main_screen(pilot)
        assert screen.corpus is None
        assert "Loading papers…" in screen_text(pilot)
        release.set()
        await settle(pilot)
        assert "4 of 4 papers" in screen_text(pilot)


@pytest.mark.usefixtures("split")
async def test_a_big_file_starts_being_parsed_before_the_loader_asks_for_it(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.data import jsonl_workers

    path = tmp_path / "big.jsonl"
    records = ({"id": f"2401.{n:05d}", "title": f"Paper {n}", "abstract": "A."} for n in range(60))
    path.write_text("\n".join(json.dumps(record) for record in records))
    taken: list[object] = []
    take = jsonl_workers._take_early

    def noted(info: os.stat_result | None = None) -> object:
        taken.append(take(info))
        return taken[-1]

    monkeypatch.setattr(jsonl_workers, "_take_early", noted)
    async with make_app(path).run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert "60 of 60 papers" in screen_text(pilot)
    assert taken and taken[0] is not None  # the workers' reading was begun early, then taken
    assert jsonl_workers._early is None


async def test_a_burst_of_progress_reports_is_shown_sparingly_and_ends_at_100(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    import tui.data.corpus as corpus_module

    release = threading.Event()
    real_load = corpus_module.load_corpus

    def reporting_load(*args: object, **kwargs: object) -> object:
        progress = kwargs["progress"]
        assert callable(progress)
        for percent in range(101):  # a hundred reports in a millisecond or so
            progress(percent, 100)
        release.wait(10)
        return real_load(*args, **kwargs)  # type: ignore[arg-type]

    monkeypatch.setattr(corpus_module, "load_corpus", reporting_load)
    shown: list[str] = []
    real_init = MainScreen.LoadProgressed.__init__

    def recording_init(message: MainScreen.LoadProgressed, activity: str) -> None:
        shown.append(activity)
        real_init(message, activity)

    monkeypatch.setattr(MainScreen.LoadProgressed, "__init__", recording_init)
    app = make_app(corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        await wait_for_text(pilot, "100%")
        release.set()
        await settle(pilot)
    reports = [text for text in shown if text.endswith("%")]
    assert reports[-1].endswith(" 100%") and len(reports) <= 3


async def test_loaded_corpus_is_listed_and_the_first_paper_is_shown(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert sorted(titles_listed(screen)) == sorted(item.title for item in PAPERS)
        assert focused(app) is screen.paper_list
        selected = screen.selected
        assert selected is not None
        text = detail_text(screen)
        assert selected.title in text and selected.abstract in text
        assert "4 of 4 papers" in screen_text(pilot)


async def test_a_runaway_regex_is_stopped_and_said_so(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.data.search import regexes

    monkeypatch.setattr(regexes, "TEXT_SECONDS", 0.2)
    runaway = Item("Runaway Backtracking", "q" + " word" * 60, authors=1)  # 2**60 ways to match
    app = make_app(write_corpus(tmp_path, (*PAPERS, runaway)))
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        screen.query_one(SearchBar).value = "/(.|\\s)*q/"  # froze the reader for good before
        await wait_for_text(pilot, "This search cannot be run: regex /(.|\\s)*q/ took 0.2 s")
        await pilot.press("escape", "escape")
        await settle(pilot)
        assert len(titles_listed(screen)) == len(PAPERS) + 1


async def test_typing_searches_as_you_type_and_highlights_matches(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash")
        assert isinstance(focused(app), Input)
        await pilot.press(*"graph")
        await settle(pilot)
        listed = titles_listed(screen)
        assert listed[0] == "Graph Neural Networks for Protein Folding"
        assert "Zebra: Counting Stripes with Transformers" not in listed
        assert f"{len(listed)} of 4 papers" in screen_text(pilot)
        # the matched characters of the visible row are drawn in the match style
        strip = screen.paper_list.render_line(0)
        styled = [seg.text for seg in strip if seg.style and seg.style.underline]
        assert "Graph" in styled
        # the detail pane gets its highlights a moment later, from the explaining worker
        for _ in range(200):
            body = screen.query_one(PaperDetail).content
            if any(body.plain[s.start : s.end] == "Graph" for s in body.spans):
                break
            await pilot.pause(0.05)
        else:
            raise AssertionError("the detail pane never highlighted 'Graph'")
        await pilot.press("enter")
        assert focused(app) is screen.paper_list


async def test_keys_move_through_the_list_and_the_detail_follows(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        first = titles_listed(screen)
        await pilot.press("j")
        assert screen.selected is not None and screen.selected.title == first[1]
        await pilot.press("G")
        await settle(pilot)  # the detail pane catches up once the cursor rests
        assert screen.selected is not None and screen.selected.title == first[-1]
        assert first[-1] in detail_text(screen)
        await pilot.press("k", "g")
        await settle(pilot)
        assert screen.selected is not None and screen.selected.title == first[0]
        assert detail_text(screen).startswith(first[0])


async def test_fast_moves_redraw_the_list_at_once_and_the_paper_when_the_cursor_rests(
    corpus: Path,
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        first = titles_listed(screen)
        screen.paper_list.action_cursor_down()
        screen.paper_list.action_cursor_down()
        await pilot.pause()
        assert screen.selected is not None and screen.selected.title == first[2]
        await settle(pilot)
        assert detail_text(screen).startswith(first[2])


async def test_enter_reads_tab_moves_between_panes_and_escape_goes_back(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("enter")
        assert isinstance(focused(app), PaperDetail)
        await pilot.press("escape")
        assert focused(app) is screen.paper_list
        await pilot.press("tab")
        assert isinstance(focused(app), PaperDetail)
        await pilot.press("shift+tab", "shift+tab")
        assert isinstance(focused(app), Input)
        await pilot.press("escape")
        assert focused(app) is screen.paper_list


async def test_escape_in_the_list_clears_the_search(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"zebra", "enter")
        await settle(pilot)
        assert len(titles_listed(screen)) == 1
        await pilot.press("escape")
        await settle(pilot)
        assert screen.search_text == ""
        assert len(titles_listed(screen)) == 4


async def test_sort_cycles_and_reverses(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("s")
        await settle(pilot)
        assert screen.sort == "date"
        by_date = titles_listed(screen)
        assert by_date[0] == "Graph Neural Networks for Protein Folding"  # Jul 3, 2024
        assert "newest first" in screen_text(pilot)
        await pilot.press("S")
        await settle(pilot)
        assert "oldest first" in screen_text(pilot)
        reversed_dates = titles_listed(screen)
        assert reversed_dates[0] == "Zebra: Counting Stripes with Transformers"  # Jan 5, 2022
        await pilot.press("s")
        await settle(pilot)
        assert screen.sort == "upvotes"
        assert titles_listed(screen)[0] == "Attention Is Not All You Need for Tables"  # 40
        assert "most upvoted first" in screen_text(pilot)
        await pilot.press("s", "s", "s")
        await settle(pilot)
        assert screen.sort is None


async def test_sort_keeps_the_selected_paper(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("j", "j")
        chosen = screen.selected
        await pilot.press("s")
        await settle(pilot)
        assert screen.selected == chosen


def record_opened(app: PaperviewApp) -> list[str]:
    """The links ``app`` is asked to open (none is opened)."""
    opened: list[str] = []

    def record(url: str, new_tab: bool = True) -> None:
        opened.append(url)

    app.open_url = record  # type: ignore[method-assign]
    return opened


async def test_o_opens_the_link_or_searches_the_web_for_the_title(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.screens.main.has_browser", lambda: True)
    app = make_app(corpus)
    opened = record_opened(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"protein", "enter")
        await settle(pilot)
        await pilot.press("o")
        assert opened == ["https://example.org/gnn-fold"]
        await pilot.press("slash", "ctrl+a", "ctrl+k", *"zebra", "enter")
        await settle(pilot)
        assert titles_listed(screen) == ["Zebra: Counting Stripes with Transformers"]
        await pilot.press("o")
        assert opened[-1] == (
            "https://duckduckgo.com/?q=Zebra%3A+Counting+Stripes+with+Transformers"
        )


async def test_o_without_a_browser_says_so_and_shows_the_link(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.screens.main.has_browser", lambda: False)
    app = make_app(corpus)
    opened = record_opened(app)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"protein", "enter")
        await settle(pilot)
        await pilot.press("o")
        await wait_for_text(pilot, "No web browser found to")
        notices = [notice.message for notice in app._notifications]
        assert notices == ["No web browser found to open https://example.org/gnn-fold"]
        assert opened == []


async def test_clicking_a_link_in_the_detail_pane_opens_it(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr("tui.screens.main.has_browser", lambda: True)
    app = make_app(corpus)
    opened = record_opened(app)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"protein", "enter")
        await settle(pilot)
        detail = screen.query_one(PaperDetail)
        line = detail_line(screen, "https://example.org/gnn-fold")
        top = detail.content_region.y - detail.region.y
        left = detail.content_region.x - detail.region.x
        await pilot.click(PaperDetail, offset=(left + 3, top + line))
        assert opened == ["https://example.org/gnn-fold"]
        assert screen.selected is not None


async def test_y_copies_title_and_link_and_says_so(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"protein", "enter")
        await settle(pilot)
        await pilot.press("y")
        await pilot.pause()
        assert app.clipboard == (
            "Graph Neural Networks for Protein Folding\nhttps://example.org/gnn-fold"
        )
        assert "Copied the title and link" in screen_text(pilot)


async def test_help_is_generated_from_the_bindings_and_follows_the_keymap(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        await settle(pilot)
        app.set_keymap({"sort": "f5"})
        await pilot.press("question_mark")
        await pilot.pause()
        assert isinstance(app.screen, HelpScreen)
        text = str(app.screen.query_one("#help-table").render())  # the table scrolls
        assert "Reverse the order" in text and "Page down" in text and "jump to a paper" in text
        assert "f5" in text
        await pilot.press("escape")
        assert isinstance(app.screen, MainScreen)
        await pilot.press("f5")
        await settle(pilot)
        assert main_screen(pilot).sort == "date"


async def test_q_quits(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("q")
        await pilot.pause()
    assert app.return_code == 0


async def test_q_in_the_search_bar_is_typed_not_quit(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", "q", "s", "y", "o")
        await settle(pilot)
        assert screen.search_text == "qsyo" and app.is_running


async def test_problems_are_listed_not_hidden(tmp_path: Path) -> None:
    good = write_corpus(tmp_path)
    binary = tmp_path / "binary.txt"
    binary.write_bytes(b"\x00\x01\x02 not text")
    missing = tmp_path / "missing.txt"
    app = make_app(good, binary, missing)
    async with app.run_test(size=(120, 40), notifications=True) as pilot:
        await settle(pilot)
        assert "2 inputs could not be read" in screen_text(pilot)  # the notification
        app.clear_notifications()
        await pilot.pause()
        assert "⚠ 2 problems (!)" in screen_text(pilot)
        await pilot.click("#status-problems")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)
        text = screen_text(pilot)
        assert "missing.txt" in text and "binary.txt" in text
        await pilot.press("escape")
        await pilot.press("exclamation_mark")
        await pilot.pause()
        assert isinstance(app.screen, ProblemsScreen)


async def test_an_empty_corpus_says_what_to_do(tmp_path: Path) -> None:
    app = make_app(tmp_path / "nothing-here.txt")
    async with app.run_test(size=(200, 30)) as pilot:
        await settle(pilot)
        text = screen_text(pilot)
        assert "No papers were loaded." in text
        assert "Press ! to see what went wrong" in text
        assert "paperview PATH" in text


async def test_no_results_say_what_to_do(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"xylophonequartz")
        await settle(pilot)
        assert screen.paper_list.rows == [] or len(screen.paper_list.rows) == 0
        text = screen_text(pilot)
        assert "No papers match “xylophonequartz”." in text
        assert "0 of 4 papers" in text
        assert "twice to clear the search" in text
        await pilot.press("escape", "escape")  # as it says, from the search bar
        await settle(pilot)
        assert screen.query_one(SearchBar).value == "" and "4 of 4 papers" in screen_text(pilot)


async def test_stale_search_results_are_dropped(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        assert screen.index is not None
        stale = screen.index.search("zebra")
        screen.post_message(MainScreen.SearchProgressed(-1, stale))
        await pilot.pause()
        assert len(titles_listed(screen)) == 4


async def test_narrow_terminals_stack_the_panes_and_resizing_restores_them(
    corpus: Path,
) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        paper_list, detail = screen.paper_list, screen.query_one(PaperDetail)
        assert screen.has_class("-narrow")
        assert paper_list.region.bottom <= detail.region.y
        assert paper_list.region.width == detail.region.width
        await pilot.resize_terminal(140, 40)
        await pilot.pause()
        assert not screen.has_class("-narrow")
        assert paper_list.region.right <= detail.region.x
        assert paper_list.region.y == detail.region.y
        await pilot.resize_terminal(60, 16)
        await pilot.pause()
        assert screen.has_class("-narrow")
        assert paper_list.region.height >= 3 and detail.region.height >= 3


async def test_a_long_status_line_ends_in_an_ellipsis_apart_from_the_problems(
    corpus: Path, tmp_path: Path
) -> None:
    # It wrapped, so a second line was cut away mid-phrase ("... (did") and the problems
    # count ran into it.
    app = PaperviewApp([corpus, tmp_path / "gone.txt"], data_dir=tmp_path / "data")
    async with app.run_test(size=(80, 24)) as pilot:
        await settle(pilot)
        await pilot.press("slash", *"autor:x")
        await settle(pilot)
        status = next(line for line in screen_text(pilot).split("\n") if "of 4 papers" in line)
        words, _, problems = status.partition("⚠")
        assert words.rstrip().endswith("…") and problems.strip() == "1 problem (!)"
        text, count = app.screen.query_one("#status-text"), app.screen.query_one("#status-problems")
        assert count.region.x >= text.region.right + 2  # a gap between the two


async def test_the_whole_reader_works_at_80x24(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        text = screen_text(pilot)
        for word in ("4 of 4 papers", "Search", "Quit", "Help", PAPERS[0].title):
            assert word in text
        await pilot.press("j", "enter", "j")
        assert isinstance(focused(app), PaperDetail)
        assert screen.selected is not None and screen.selected.title in screen_text(pilot)


async def test_mouse_click_selects_and_double_click_reads(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        top = screen.paper_list.content_region.y - screen.paper_list.region.y
        await pilot.click(PaperList, offset=(4, top + 2))
        assert screen.paper_list.cursor_row == 2
        await pilot.double_click(PaperList, offset=(4, top + 1))
        await pilot.pause()
        assert isinstance(focused(app), PaperDetail)
        assert screen.paper_list.cursor_row == 1


async def test_long_abstracts_scroll_in_the_detail_pane(tmp_path: Path) -> None:
    long_abstract = " ".join(f"Sentence number {i} of a very long abstract." for i in range(200))
    path = write_corpus(tmp_path, [Item("A Long Paper", long_abstract)])
    app = make_app(path)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        detail = screen.query_one(PaperDetail)
        await pilot.press("enter", "pagedown", "j")
        await pilot.pause()
        assert detail.scroll_offset.y > 0
        await pilot.press("g")
        await pilot.pause()
        assert detail.scroll_offset.y == 0


async def test_palette_runs_commands_and_jumps_to_a_paper_by_title(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"attention", "enter")
        await settle(pilot)
        await pilot.press("ctrl+p", *"zebra")
        await wait_for_text(pilot, "Zebra: Counting Stripes with Transformers")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.selected is not None
        assert screen.selected.title == "Zebra: Counting Stripes with Transformers"
        await pilot.press("ctrl+p", *"reverse sort")
        await wait_for_text(pilot, "Reverse the order (key: S)")
        await pilot.press("enter")
        await settle(pilot)
        assert screen.reverse is True


async def test_theme_changes_keep_the_reader_drawable(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        for theme in ("textual-light", "nord", "textual-dark"):
            app.theme = theme
            await pilot.pause()
            assert screen.paper_list.render_line(0).text.strip()


def test_the_app_takes_its_inputs_from_the_constructor(tmp_path: Path) -> None:
    app = PaperviewApp([tmp_path / "a.txt"], data_dir=tmp_path / "data")
    assert app.paths == [tmp_path / "a.txt"]
    assert app.data_dir == tmp_path / "data"


async def test_a_query_longer_than_the_search_bar_scrolls_to_show_the_end(corpus: Path) -> None:
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"abcdefghij" * 9, "x", "y", "z")
        await pilot.pause()
        bar = screen.query_one(SearchBar)
        assert bar.value.endswith("xyz")
        assert "hijxyz" in bar.render_line(0).text
        assert bar.scroll_offset.x > 0


async def test_the_index_build_waits_while_the_user_searches_and_stops_on_quit(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The background build (abstract keys, word index: minutes at a million papers) gives
    way to searches, and closing the reader stops it instead of waiting for it."""
    import time

    from tui.data.search import SearchIndex
    from tui.screens import main as main_module

    steps: list[float] = []
    stopped = threading.Event()

    def slow_warm(self: SearchIndex, cancelled: object = None) -> bool:
        assert callable(cancelled)
        while not cancelled():
            steps.append(time.monotonic())
            time.sleep(0.01)
        stopped.set()
        return False

    monkeypatch.setattr(SearchIndex, "warm", slow_warm)
    monkeypatch.setattr(main_module, "WARM_PAUSE", 3.0)
    app = make_app(corpus)
    async with app.run_test(size=(80, 24)) as pilot:
        for _ in range(200):
            if len(steps) > 3:
                break
            await pilot.pause(0.05)
        assert len(steps) > 3, "the build never started"
        await pilot.press("slash", "g")
        await pilot.pause(0.3)
        before = len(steps)
        await pilot.pause(0.5)
        assert len(steps) == before, "the build went on while the user searched"
        await pilot.press("escape", "q")
    assert stopped.wait(10), "the build did not stop when the reader closed"
