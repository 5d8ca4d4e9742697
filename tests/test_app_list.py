"""PaperList: a virtual list that draws only visible rows, with a cursor, mouse and marks."""

from __future__ import annotations

import gc
import re
from collections.abc import Iterator, Sequence
from pathlib import PurePath
from typing import ClassVar, overload

import pytest
from hypothesis import given
from hypothesis import strategies as st
from textual import events, on
from textual.app import App, ComposeResult
from textual.content import Content
from textual.geometry import Region
from textual.message import Message
from textual.messages import Update
from textual.scrollbar import ScrollBarRender
from textual.strip import Strip
from textual.widget import Widget

from tui import display
from tui.app import style_sheets
from tui.data.models import Listed, Paper, PaperDate, SourceRef
from tui.display import RowMark
from tui.screens.idle import untie_drawn_lines
from tui.widgets import paper_list as paper_list_module
from tui.widgets.paper_list import PaperList
from tui.widgets.scrollbar import changed_rows, thumb


def make_paper(i: int) -> Paper:
    return Paper.model_construct(
        id=f"{i:016x}",
        title=f"Paper number {i}",
        abstract="",
        authors=1 + i % 5,
        date=PaperDate.model_construct(year=2024, month=1 + i % 12, day=1),
        upvotes=i % 100,
        sources=(SourceRef.model_construct(file="gen", line=i + 1),),
        urls=(),
    )


class CountingPapers(Sequence[Paper]):
    """A corpus of ``size`` papers that counts how many it was asked to build."""

    def __init__(self, size: int) -> None:
        self.size = size
        self.built: set[int] = set()

    def __len__(self) -> int:
        return self.size

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Paper]: ...
    def __getitem__(self, index: int | slice) -> Paper | Sequence[Paper]:
        assert isinstance(index, int), "the list never slices the corpus"
        self.built.add(index)
        return make_paper(index)

    def __iter__(self) -> Iterator[Paper]:
        raise AssertionError("the list never walks the corpus")


class ListApp(App[None]):
    """A bare host for the list (with the real styles), recording what it reports."""

    CSS_PATH: ClassVar[list[str | PurePath]] = style_sheets()

    def __init__(self, papers: Sequence[Paper], rows: Sequence[int]) -> None:
        super().__init__()
        self.papers = papers
        self.rows = rows
        self.highlighted: list[int | None] = []
        self.selected: list[int] = []

    def compose(self) -> ComposeResult:
        yield PaperList()

    def on_mount(self) -> None:
        self.query_one(PaperList).show(self.papers, self.rows)
        self.query_one(PaperList).focus()

    @on(PaperList.Highlighted)
    def _highlighted(self, message: PaperList.Highlighted) -> None:
        self.highlighted.append(message.position)

    @on(PaperList.Selected)
    def _selected(self, message: PaperList.Selected) -> None:
        self.selected.append(message.position)


def line_text(paper_list: PaperList, y: int) -> str:
    return paper_list.render_line(y).text


async def test_a_million_rows_build_only_the_visible_papers() -> None:
    papers = CountingPapers(1_000_000)
    app = ListApp(papers, range(1_000_000))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        assert paper_list.virtual_size.height == 1_000_000
        assert len(papers.built) <= 24
        await pilot.press("G")
        await pilot.pause()
        assert paper_list.position == 999_999
        assert "Paper number 999999" in line_text(paper_list, paper_list.size.height - 1)
        assert len(papers.built) <= 48


async def test_keys_move_the_cursor_and_report_it() -> None:
    app = ListApp([make_paper(i) for i in range(100)], list(range(100)))
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        height = paper_list.scrollable_content_region.height
        await pilot.press("j", "j", "down", "k")
        assert paper_list.cursor_row == 2
        await pilot.press("pagedown")
        assert paper_list.cursor_row == 2 + height
        assert paper_list.scroll_offset.y == height  # the cursor kept its place on screen
        await pilot.press("ctrl+u")
        assert paper_list.cursor_row == 2 + height - height // 2
        await pilot.press("G")
        assert paper_list.cursor_row == 99
        await pilot.press("j")  # stays on the last row
        assert paper_list.cursor_row == 99
        await pilot.press("g")
        assert paper_list.cursor_row == 0 and paper_list.scroll_offset.y == 0
        await pilot.press("end", "home", "enter")
        await pilot.pause()
        assert app.highlighted[-1] == 0
        assert app.selected == [0]


async def test_paging_shows_each_page_whole_with_the_cursor_in_place() -> None:
    """The rows drawn ahead of a page move are the ones that page shows, marks included."""
    app = ListApp([make_paper(i) for i in range(100)], list(range(100)))
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        height = paper_list.scrollable_content_region.height
        marked: set[int] = set()
        paper_list.set_marker(lambda paper: RowMark("★" if int(paper.id, 16) in marked else ""))
        cursor_style = list(paper_list.render_line(0))[-1].style
        for top in (height, 2 * height, height):
            await pilot.press("pagedown" if top > paper_list.scroll_offset.y else "pageup")
            await pilot.pause()
            await pilot.pause()  # rows are drawn ahead after the frame
            marked.add(top + 1)
            paper_list.refresh_paper(top + 1)
            for y in range(height):
                assert f"Paper number {top + y} " in line_text(paper_list, y)
            assert line_text(paper_list, 1).startswith("★")
            assert list(paper_list.render_line(0))[-1].style == cursor_style
            assert list(paper_list.render_line(1))[-1].style != cursor_style


async def test_rows_show_result_order_and_the_cursor_is_drawn_differently() -> None:
    papers = [make_paper(i) for i in range(10)]
    app = ListApp(papers, [7, 3, 5])
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        assert "Paper number 7" in line_text(paper_list, 0)
        assert "Paper number 3" in line_text(paper_list, 1)
        assert line_text(paper_list, 3).strip() == ""
        cursor_style = paper_list.render_line(0)._segments[0].style
        other_style = paper_list.render_line(1)._segments[0].style
        assert cursor_style != other_style


async def test_click_selects_and_double_click_reads() -> None:
    app = ListApp([make_paper(i) for i in range(20)], list(range(20)))
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        top = paper_list.content_region.y - paper_list.region.y
        await pilot.click(PaperList, offset=(5, top + 3))
        assert paper_list.cursor_row == 3
        assert app.selected == []
        await pilot.double_click(PaperList, offset=(5, top + 4))
        await pilot.pause()
        assert paper_list.cursor_row == 4
        assert app.selected == [4]


async def test_mouse_wheel_scrolls() -> None:
    app = ListApp([make_paper(i) for i in range(200)], list(range(200)))
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        for _ in range(3):
            paper_list.post_message(
                events.MouseScrollDown(paper_list, 2, 2, 0, 1, 0, False, False, False)
            )
        await pilot.pause(0.2)
        assert paper_list.scroll_offset.y > 0


async def test_empty_list_shows_its_placeholder() -> None:
    app = ListApp([make_paper(0)], [])
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        paper_list.set_placeholder(Content("No papers match “[/]”."))
        await pilot.pause()
        assert "No papers match “[/]”." in line_text(paper_list, 0)
        assert paper_list.position is None
        assert app.highlighted[-1] is None


async def test_marks_come_from_the_marker_and_one_row_can_be_refreshed() -> None:
    papers = [make_paper(i) for i in range(10)]
    app = ListApp(papers, list(range(10)))
    starred: set[str] = set()
    asked: list[str] = []

    def marker(paper: Listed) -> RowMark:
        asked.append(paper.id)
        return RowMark("★") if paper.id in starred else RowMark()

    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        paper_list.set_marker(marker)
        await pilot.pause()
        assert not line_text(paper_list, 2).startswith("★")
        asked.clear()
        starred.add(papers[2].id)
        paper_list.refresh_paper(2)
        await pilot.pause()
        assert line_text(paper_list, 2).startswith("★ Paper number 2")
        assert asked == [papers[2].id]  # only that row was drawn again


async def test_rows_of_a_replaced_result_are_freed_without_the_cycle_collector() -> None:
    """Drawn rows die by reference counting when the next result replaces them, so the
    garbage collector's full passes (which stall the screen) find little to do."""
    untie_drawn_lines()
    papers = [make_paper(i) for i in range(100)]
    app = ListApp(papers, list(range(50)))
    async with app.run_test(size=(80, 12)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        gc.collect()
        gc.disable()
        gc.set_debug(gc.DEBUG_SAVEALL)
        try:
            for first in (50, 60, 70, 80):  # new results, each drawn
                paper_list.show(papers, list(range(first, first + 10)))
                await pilot.pause()
                await pilot.press("j", "pagedown")
            gc.collect()
            left = [item for item in gc.garbage if isinstance(item, Strip)]
        finally:
            gc.set_debug(0)
            gc.garbage.clear()
            gc.enable()
        assert left == []


async def test_a_table_is_listed_without_building_its_papers(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """A row needs the title, date and counts: a table gives them without building the
    paper (which would read and scan its abstract, maybe from disk)."""
    from benchmarks.corpus import generate_table
    from tui.data.search.table import PaperTable

    table = generate_table(200)

    def built(self: PaperTable, index: int) -> Paper:
        raise AssertionError(f"the list built paper {index}")

    monkeypatch.setattr(PaperTable, "_paper", built)
    app = ListApp(table, range(200))
    async with app.run_test(size=(100, 12)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        assert table.titles[0][:40] in line_text(paper_list, 0)
        await pilot.press("pagedown")
        await pilot.pause()
        assert paper_list.position is not None
        assert table.titles[paper_list.position][:40] in line_text(
            paper_list, paper_list.cursor_row - round(paper_list.scroll_offset.y)
        )


def thumb_rows(paper_list: PaperList) -> list[int]:
    """The lines of the list's scrollbar where its thumb is drawn (the grab handle); the
    bar as shown (kept or repainted in part) is the bar Textual draws anew."""
    bar = paper_list.vertical_scrollbar
    whole = Region(0, 0, bar.size.width, bar.size.height)
    strips = bar.render_lines(whole)
    bar.refresh()
    assert Widget.render_lines(bar, whole) == strips
    return [
        y
        for y, strip in enumerate(strips)
        if any(s.style and s.style.meta.get("@mouse.down") == "grab" for s in strip)
    ]


async def test_the_scrollbar_thumb_follows_the_cursor_and_the_result() -> None:
    app = ListApp([make_paper(i) for i in range(2_000)], range(2_000))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        height = paper_list.vertical_scrollbar.size.height
        assert thumb_rows(paper_list) == [0]
        await pilot.press("G")
        await pilot.pause()
        assert thumb_rows(paper_list) == [height - 1]
        paper_list.show(app.papers, range(1_900))  # a smaller result: back to the top
        await pilot.pause()
        assert thumb_rows(paper_list) == [0]
        paper_list.show(app.papers, range(3 * height))  # a thumb a third of the bar
        await pilot.pause()
        assert thumb_rows(paper_list) == list(range(height // 3 + (height % 3 > 0)))
        paper_list.show(app.papers, range(5))  # everything fits: no thumb
        await pilot.pause()
        assert thumb_rows(paper_list) == []
        paper_list.show(app.papers, range(1_900))  # a bar drawn before (kept)
        await pilot.pause()
        assert thumb_rows(paper_list) == [0]
        for theme in ("textual-light", "ansi-dark"):  # new colours: drawn anew
            app.theme = theme
            await pilot.pause()
            assert thumb_rows(paper_list) == [0]
        bar = paper_list.vertical_scrollbar
        bar.styles.tint = "red 50%"
        bar.styles.text_opacity = 0.5
        await pilot.pause()
        assert thumb_rows(paper_list) == [0]


@given(
    size=st.integers(1, 60),
    virtual=st.integers(0, 5_000),
    window=st.integers(0, 80),
    position=st.integers(0, 40_000).map(lambda eighths: eighths / 8),
    other=st.tuples(st.integers(-3, 3), st.integers(-2, 2), st.integers(-9, 9)),
)
def test_the_scrollbar_repaints_exactly_when_its_cells_change(
    size: int, virtual: int, window: int, position: float, other: tuple[int, int, int]
) -> None:
    """``thumb`` (what decides a repaint) is equal exactly when Textual draws the same bar."""

    def drawn(virtual: int, window: int, position: float) -> tuple[tuple[int, ...], object]:
        position = min(position, max(0, virtual - window))  # as a scrolled widget keeps it
        cells = ScrollBarRender.render_bar(
            size=size,
            virtual_size=virtual,
            window_size=window if window < virtual else 0,
            position=position,
        )
        return thumb(size, virtual, window, position, len(ScrollBarRender.VERTICAL_BARS)), [
            (segment.text, segment.style) for segment in cells.segments
        ]

    first = drawn(virtual, window, position)
    # a nearby state: the pairs that draw the same thumb, or one step apart
    second = drawn(
        max(0, virtual + other[0]), max(0, window + other[1]), max(0.0, position + other[2] / 8)
    )
    assert (first[0] == second[0]) == (first[1] == second[1])


@given(
    size=st.integers(1, 60),
    states=st.lists(
        st.tuples(
            st.integers(0, 5_000), st.integers(0, 80), st.integers(0, 40_000).map(lambda e: e / 8)
        ),
        min_size=2,
        max_size=2,
    ),
)
def test_a_moved_thumb_repaints_every_cell_that_changes(
    size: int, states: list[tuple[int, int, float]]
) -> None:
    """When the thumb moves, only ``changed_rows`` are repainted: no other cell differs."""
    steps = len(ScrollBarRender.VERTICAL_BARS)
    drawn = []
    for virtual, window, position in states:
        position = min(position, max(0, virtual - window))
        cells = ScrollBarRender.render_bar(
            size=size,
            virtual_size=virtual,
            window_size=window if window < virtual else 0,
            position=position,
        ).segments
        drawn.append((thumb(size, virtual, window, position, steps), cells))
    (before, old_cells), (after, new_cells) = drawn
    rows = changed_rows(before, after, steps)
    pairs = zip(old_cells, new_cells, strict=True)
    differ = [y for y, (old, new) in enumerate(pairs) if old != new]
    if rows is not None:
        assert set(differ) <= set(rows)
        assert len(rows) <= size


async def test_rows_drawn_before_the_frame_are_the_rows_the_frame_shows() -> None:
    """A new result is drawn early (its own turn of the event loop); that is not a frame:
    work waiting for the list to be on screen still waits, and the frame shows the rows."""
    app = ListApp([make_paper(i) for i in range(500)], range(500))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        called: list[str] = []
        paper_list.show(app.papers, range(499, -1, -1))
        paper_list.call_after_drawn(lambda: called.append("after the frame"))
        paper_list._draw_early_now()
        assert not paper_list._drawn_due, "drawing early was taken for a frame"
        whole = Region(0, 0, *paper_list.outer_size)
        assert paper_list.render_lines(whole) == Widget.render_lines(paper_list, whole)
        assert "Paper number 499" in line_text(paper_list, 0)
        await pilot.pause()
        assert called == ["after the frame"]


async def test_a_page_of_new_rows_is_drawn_a_few_at_a_time_then_shown_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setattr(paper_list_module, "DRAW_FOR", 0.0)  # one row a turn
    app = ListApp([make_paper(i) for i in range(500)], range(500))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        rows_made: list[int] = []
        in_a_frame: list[int] = []
        make_row = display.list_row

        def counted(paper: Listed, *args: object, **kwargs: object) -> Content:
            rows_made.append(int(paper.title.split()[-1]))
            return make_row(paper, *args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(display, "list_row", counted)
        render_lines = paper_list.render_lines

        def frame_lines(crop: Region) -> list[Strip]:
            made = len(rows_made)
            lines = render_lines(crop)
            in_a_frame.extend(rows_made[made:])
            return lines

        monkeypatch.setattr(paper_list, "render_lines", frame_lines)
        made_when_shown: list[int] = []
        refresh = paper_list.refresh

        def noted(*args: object, **kwargs: object) -> object:
            made_when_shown.append(len(rows_made))
            return refresh(*args, **kwargs)  # type: ignore[arg-type]

        monkeypatch.setattr(paper_list, "refresh", noted)
        # a shorter result: the scrollbar's thumb changes too, and waits for the rows
        paper_list.show(app.papers, range(300, 400))
        drawn_when_called: list[int] = []
        paper_list.call_after_drawn(lambda: drawn_when_called.append(len(made_when_shown)))
        assert len(rows_made) == 1  # the rest in later turns: the screen goes on meanwhile
        await pilot.pause(0.2)
        height = paper_list.scrollable_content_region.height
        assert sorted(rows_made) == list(range(300, 300 + height))  # each visible row once
        assert not in_a_frame  # no frame drew them
        assert made_when_shown[0] == height  # shown once all were drawn
        assert drawn_when_called and drawn_when_called[0] >= 1  # after the frame that shows them
        assert "Paper number 300" in line_text(paper_list, 0)


async def test_a_cursor_move_while_new_rows_are_drawn_paints_none_of_them_early(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Two rows of the new result among the old ones, until the rest were drawn."""
    monkeypatch.setattr(paper_list_module, "DRAW_FOR", 0.0)  # one row a turn
    app = ListApp([make_paper(i) for i in range(500)], range(500))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        early: list[str] = []
        render_lines = paper_list.render_lines

        def frame_lines(crop: Region) -> list[Strip]:
            lines = render_lines(crop)
            if paper_list._new_rows:
                early.extend(strip.text for strip in lines)
            return lines

        monkeypatch.setattr(paper_list, "render_lines", frame_lines)
        paper_list.show(app.papers, range(300, 400))
        paper_list.action_cursor_down()
        await pilot.pause(0.2)
        assert not [line for line in early if re.search(r"Paper number 3\d\d", line)]
        assert paper_list.position == 301
        assert "Paper number 300" in line_text(paper_list, 0)


async def test_a_new_result_asks_the_screen_for_a_frame_at_once(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    """Not once the list is next idle: by then the frame that echoes the key has often been
    drawn, and the rows waited for the next one, 17-25 ms later."""
    monkeypatch.setattr(paper_list_module, "DRAW_FOR", 60.0)  # drawn in one turn, however slow
    app = ListApp([make_paper(i) for i in range(500)], range(500))
    async with app.run_test(size=(80, 24)) as pilot:
        await pilot.pause()
        paper_list = app.query_one(PaperList)
        posted: list[object] = []
        post = app.screen.post_message

        def noted(message: Message) -> bool:
            posted.append(message)
            return post(message)

        app.screen.post_message = noted  # type: ignore[method-assign]
        paper_list.show(app.papers, range(10, 500))
        assert any(isinstance(m, Update) and m.widget is paper_list for m in posted)
        await pilot.pause()
        assert "Paper number 10" in line_text(paper_list, 0)
