"""Frames first: the reader's background work gives way to the screen (tui/screens/frames.py
and the search index's pause points)."""

from __future__ import annotations

import random
import threading
import time
from collections.abc import Iterator, Mapping
from pathlib import Path

import pytest
from app_support import make_app, settle, titles_listed
from hypothesis import given
from hypothesis import strategies as st
from textual.color import Color
from textual.content import Content, Span
from textual.geometry import Region
from textual.style import Style as VisualStyle
from textual.widget import Widget

from benchmarks.corpus import generate_table
from tui.data.search import SearchIndex
from tui.data.search.columns import BLOCK
from tui.screens import frames
from tui.widgets.paper_detail import PaperDetail
from tui.widgets.segments import SegmentRenderer

QUERIES = ("language models", "lang", "atention", "trnsfrmr", "abstract:benchmark", "/mod.l/")


def test_searches_pause_between_blocks_of_work_and_find_the_same() -> None:
    table = generate_table(6 * BLOCK, seed=4)
    pauses: list[float] = []
    paused = SearchIndex(table, pause=lambda: pauses.append(time.monotonic()))
    plain = SearchIndex(table)
    assert paused.warm()
    assert len(pauses) >= 5, "building the abstract keys never paused"
    plain.warm()
    for query in QUERIES:
        pauses.clear()
        found = paused.search(query)
        assert list(found.indices) == list(plain.search(query).indices)
        assert len(pauses) >= 5, f"searching {query!r} over {len(table):,} papers never paused"


def test_background_work_waits_while_a_frame_is_composed(monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.setattr(frames, "STEP_ASIDE_AT_MOST", 10.0)
    order: list[str] = []
    waiting = threading.Event()

    def background() -> None:
        waiting.set()
        frames.step_aside()
        order.append("background step")

    with frames.composing():
        thread = threading.Thread(target=background)
        thread.start()
        assert waiting.wait(10)
        time.sleep(0.05)
        order.append("frame")
    thread.join(10)
    assert order == ["frame", "background step"]
    frames.step_aside()  # no frame: returns at once


async def test_a_small_corpus_shows_a_keys_first_results_without_the_worker(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """In a small corpus the first stage of a search is found with the key (the frame that
    shows the letter shows its results); a worker thread goes on with the later stages."""
    release = threading.Event()
    stages = SearchIndex.search_stages

    def stalled_off_the_ui_thread(self: SearchIndex, query: str, **options: object):  # type: ignore[no-untyped-def]
        if threading.current_thread() is not threading.main_thread():
            release.wait(10)  # a worker thread is stuck before finding anything
        yield from stages(self, query, **options)  # type: ignore[arg-type]

    monkeypatch.setattr(SearchIndex, "search_stages", stalled_off_the_ui_thread)
    app = make_app(corpus)
    try:
        async with app.run_test(size=(120, 40)) as pilot:
            screen = await settle(pilot)
            await pilot.press("slash", *"zebra")
            assert screen.result is not None and screen.result.query == "zebra"
            assert titles_listed(screen) == ["Zebra: Counting Stripes with Transformers"]
            release.set()
    finally:
        release.set()


async def test_changes_drawn_apart_draw_what_the_whole_box_would(corpus: Path) -> None:
    """The list (left) and the status line (bottom) changing together are drawn apart, not
    by redrawing every widget in the box around them; the screen gets the same cells."""
    from textual._compositor import ChopsUpdate, Compositor

    from tui.widgets.status_bar import StatusBar

    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"graph")
        screen = await settle(pilot)
        compositor = screen._compositor
        changed = {screen.paper_list, screen.query_one(StatusBar)}
        for widget in changed:
            widget.refresh()
        compositor.update_widgets(changed)
        regions = set(compositor._dirty_regions)
        assert len(regions) >= 2
        apart = Compositor.render_partial_update(compositor)
        compositor._dirty_regions.update(regions)
        whole = Compositor.render_partial_update.original(compositor)  # type: ignore[attr-defined]
        assert isinstance(apart, ChopsUpdate) and isinstance(whole, ChopsUpdate)
        assert apart.spans == whole.spans
        compared = 0
        for y, x1, x2 in whole.spans:
            for x, strip in whole.chops[y].items():
                if strip is not None and x1 <= x < x2:
                    drawn = apart.chops[y].get(x)
                    assert drawn is not None and drawn.text == strip.text, (y, x)
                    compared += 1
        assert compared >= 30


async def test_lines_put_together_are_the_lines_textual_draws(corpus: Path) -> None:
    """The list and the detail pane put their content lines together from parts
    (tui/widgets/quick_lines.py): cell for cell and style for style what Textual's own
    drawing gives, focused or not, in a dark, a light and an ANSI theme."""
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"graph")
        screen = await settle(pilot)
        assert len(screen.detail.lines) < screen.detail.size.height  # blank lines below too
        widgets = (screen.paper_list, screen.detail)
        checked = 0
        for theme in ("textual-dark", "textual-light", "ansi-dark"):
            app.theme = theme
            for focused in widgets:
                focused.focus()
                await pilot.press("j")
                await pilot.pause()
                for widget in widgets:
                    whole = Region(0, 0, *widget.outer_size)
                    quick = widget.render_lines(whole)
                    usual = Widget.render_lines(widget, whole)
                    assert quick == usual, (theme, type(widget).__name__)
                    checked += 1
        assert checked == 12
        assert screen.paper_list.quick_misses == screen.detail.quick_misses == 0
        screen.paper_list.focus()
        await pilot.press("home")  # the paper with a link in its abstract
        screen = await settle(pilot)
        detail = screen.detail
        [row, *_] = [y for y, line in enumerate(detail.lines) if "https://" in line.plain]
        x = detail.lines[row].plain.index("https://") + 3
        await pilot.hover(PaperDetail, offset=(x, row + 1))  # +1: the border
        await pilot.pause()
        assert detail.hover_style.link_id, "the pointer is not over the link"
        whole = Region(0, 0, *detail.outer_size)
        assert detail.render_lines(whole) == Widget.render_lines(detail, whole)
        await pilot.hover(PaperDetail, offset=(1, 0))  # off the link
        detail.styles.tint = "red 30%"  # parts that no longer add up
        await pilot.pause()
        assert detail.render_lines(whole) == Widget.render_lines(detail, whole)
        assert detail.quick_misses > 0


STYLES = (
    VisualStyle(bold=True),
    VisualStyle(foreground=Color.parse("red"), underline=True),
    VisualStyle(background=Color.parse("#203040"), italic=True),
    VisualStyle.from_meta({"@click": "app.open('https://arxiv.org')"}),
)


@given(
    text=st.text(alphabet="ab [/]é👤\t", max_size=30),
    spans=st.lists(
        st.tuples(st.integers(0, 30), st.integers(0, 30), st.sampled_from(STYLES)), max_size=6
    ),
    base=st.sampled_from((VisualStyle(), *STYLES)),
)
def test_segments_are_those_textual_renders(
    text: str, spans: list[tuple[int, int, VisualStyle]], base: VisualStyle
) -> None:
    renderer = SegmentRenderer()
    size = len(text)  # spans as the widgets make them: inside the text, start <= end
    content = Content(
        text, [Span(min(a, b, size), min(max(a, b), size), style) for a, b, style in spans]
    )
    assert renderer.render(content, base) == content.render_segments(base)
    assert renderer.render(content, base) == content.render_segments(base)  # from the cache


async def test_moving_the_focus_repaints_the_panes_that_change(corpus: Path) -> None:
    """The screen no longer repaints all of itself when the focus moves; the list's border,
    which changes colour, still reaches the terminal."""
    from textual._compositor import ChopsUpdate, LayoutUpdate

    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        paper_list = screen.paper_list
        paper_list.focus()
        await pilot.pause()
        corner = Region(0, 0, paper_list.outer_size.width, 1)
        focused_colour = Widget.render_lines(paper_list, corner)[0]._segments[0].style
        updates: list[object] = []  # what the screen sends to the terminal
        with pytest.MonkeyPatch.context() as patch:
            patch.setattr(app, "_display", lambda _screen, update: updates.append(update))
            await pilot.press("slash")
            await pilot.pause()
            await pilot.pause()
        x, y = paper_list.region.x, paper_list.region.y
        drawn = [
            strip
            for update in updates
            if isinstance(update, ChopsUpdate) and (strip := update.chops[y].get(x)) is not None
        ]
        assert not any(isinstance(update, LayoutUpdate) for update in updates)
        assert drawn, "the list's border was not repainted"
        blurred_colour = Widget.render_lines(paper_list, corner)[0]._segments[0].style
        assert blurred_colour != focused_colour
        assert drawn[-1]._segments[0].style == blurred_colour


async def test_a_region_is_drawn_from_the_widgets_it_shows_with_the_same_cells(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """The compositor renders only the widgets that show in a changed region (not the key
    bar, the search bar or the screen behind the list when the list changes), and sends
    the terminal the cells Textual's rendering of every widget sends: for random changed
    regions over the reader, over the reader with a notification, and under the help."""
    from textual._compositor import ChopsUpdate, Compositor

    from tui.widgets.key_bar import KeyBar
    from tui.widgets.search_bar import SearchBar

    rendered: list[Widget] = []
    render_lines = Widget.render_lines

    def noted(widget: Widget, crop: Region) -> list[object]:
        rendered.append(widget)
        return render_lines(widget, crop)  # type: ignore[return-value]

    def cells(update: ChopsUpdate) -> Mapping[tuple[int, int], tuple[str, object]]:
        sent = {}
        for y, x1, x2 in update.spans:
            for end, (x, strip) in zip(update.chop_ends[y], update.chops[y].items(), strict=True):
                if strip is None or x > x2 or end <= x1:
                    continue
                for segment in strip.crop(0, min(end, x2) - x):
                    for char in segment.text:
                        sent[x, y] = (char, segment.style)
                        x += 1
        return sent

    choose = random.Random(3)
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        await pilot.press("slash", *"graph", "escape", "down")
        screen = await settle(pilot)
        culled = Compositor._render_chops  # installed by the reader
        original = culled.original  # type: ignore[attr-defined]
        for state in ("reader", "notification", "help"):
            if state == "notification":
                app.notify("a notification " * 4, timeout=30)
            elif state == "help":
                await pilot.press("question_mark")
            await pilot.pause(0.3)
            compositor = app.screen._compositor
            width, height = compositor.size
            ends = [cuts[1:] for cuts in compositor.cuts]
            for _ in range(150):
                regions = []
                for _ in range(choose.randint(1, 3)):
                    x, y = choose.randrange(width), choose.randrange(height)
                    regions.append(
                        Region(x, y, choose.randint(1, width - x), choose.randint(1, height - y))
                    )
                crop = Region.from_union(regions)
                spans = list(compositor._regions_to_spans(regions))
                lines = {y for y, _, _ in spans}
                drawn = ChopsUpdate(culled(compositor, crop, lines.__contains__), spans, ends)
                whole = ChopsUpdate(original(compositor, crop, lines.__contains__), spans, ends)
                assert cells(drawn) == cells(whole), (state, regions)
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        await pilot.pause()
        with monkeypatch.context() as patch:
            patch.setattr(Widget, "render_lines", noted)
            region = screen.paper_list.region
            culled(screen._compositor, region, set(region.line_range).__contains__)
        assert screen.paper_list in rendered
        assert screen not in rendered  # behind the list
        assert not {type(widget) for widget in rendered} & {KeyBar, SearchBar}


async def test_background_work_waits_while_a_search_runs(
    corpus: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Writing the cache and building the index's keys wait, between their steps, while
    a search runs in its worker (however long it takes), not only just after a key."""
    from tui.data.search.result import SearchResult
    from tui.screens import main as main_module

    monkeypatch.setattr(main_module, "WARM_PAUSE", 0.05)
    app = make_app(corpus)
    async with app.run_test(size=(120, 40)) as pilot:
        screen = await settle(pilot)
        assert screen.index is not None
        release = threading.Event()

        def stages() -> Iterator[SearchResult]:
            release.wait(10)  # a long search
            yield SearchResult("q", complete=True, stage="title")

        steps: list[float] = []
        stopping = threading.Event()
        not_stopping = type("Worker", (), {"is_cancelled": False})()

        def background() -> None:  # a background job, step by step
            while not stopping.is_set():
                screen._warm_waits(not_stopping)
                steps.append(time.monotonic())
                time.sleep(0.01)

        screen._searched_at = 0.0
        thread = threading.Thread(target=background)
        thread.start()
        try:
            screen._run_search(screen.index, screen._generation, stages(), "q", 5, None, None)
            await pilot.pause(0.3)  # the worker has started and waits in the search
            assert screen._searching()
            paused = len(steps)
            await pilot.pause(0.5)  # ten times WARM_PAUSE
            assert len(steps) <= paused + 1, "the background job went on during the search"
            release.set()
            await app.workers.wait_for_complete()
            await pilot.pause(0.3)
            assert not screen._searching()
            assert len(steps) > paused + 2, "the background job did not resume"
        finally:
            release.set()
            stopping.set()
            thread.join(10)
