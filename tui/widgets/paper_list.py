"""The results list: a Line-API scrolling widget that renders only the rows on screen.

It holds a reference to the corpus and to the current result (a sequence of paper
positions, best first) and draws a row only when the row is visible, so swapping a million
results or moving the cursor costs one frame whatever the corpus size. It knows nothing of
search or storage: the screen tells it what to show and listens to what it reports.
"""

from __future__ import annotations

from collections.abc import Callable, Collection, Sequence
from dataclasses import replace
from functools import partial
from time import perf_counter
from typing import TYPE_CHECKING, ClassVar, TypeVar

from textual import events
from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import clamp
from textual.message import Message
from textual.strip import Strip
from textual.timer import Timer

from .. import display
from ..display import NO_MARK, NO_SPANS, RowMark, RowStyles, Spans
from .quick_lines import QuickLines
from .scrollbar import SteadyScrollView
from .segments import SegmentRenderer, component_style
from .sizing import set_virtual_height, show_height

if TYPE_CHECKING:
    from textual.style import Style as VisualStyle

    from ..data.models import Listed, Paper

_K = TypeVar("_K")
_V = TypeVar("_V")

SpanSource = Callable[[int], Spans]
"""Title match ranges for the paper at a position (called for visible rows only)."""

Marker = Callable[["Listed"], RowMark]
"""The seam for per-row marks (bookmarks, unread): a paper -> its :class:`RowMark`."""


ROWS_KEPT = 256
"""Drawn rows kept for redrawing (cursor moves, scrolling back); then they are dropped.
A few screens' worth: each row is some twenty objects the cycle collector walks (see
screens/idle.py), and drawing one again takes a fraction of a millisecond."""

AFTER_FRAME = 0.001
"""Seconds after a frame that draws the list its :meth:`PaperList.call_after_drawn` work runs:
not in the same turn of the event loop, so a key pressed meanwhile is handled first."""

DRAWN_WAIT = 0.1
"""Seconds :meth:`PaperList.call_after_drawn` waits for a frame before calling anyway."""

DRAW_FOR = 0.002
"""Seconds a turn of drawing a new result's rows lasts at most (see :meth:`PaperList.show`)."""
DRAW_NEXT = 0.0005
"""Seconds between two such turns: the screen and the keys get the event loop between."""


def _no_spans(_position: int) -> Spans:
    return NO_SPANS


def _keep(cache: dict[_K, _V], key: _K, value: _V, limit: int) -> _V:
    """Put ``value`` in ``cache``, emptying it first when it holds ``limit`` entries.

    A plain dict, not Textual's ``LRUCache``: clearing that leaves its ring of links as
    garbage only the cycle collector frees (with every strip it held), and a full
    collection then stalls the screen for tens of milliseconds.
    """
    if len(cache) >= limit:
        cache.clear()
    cache[key] = value
    return value


class PaperList(QuickLines, SteadyScrollView, can_focus=True, inherit_bindings=False):
    """The papers of the current result, one line each, with a cursor."""

    HELP = """
## Results

The papers that match the search, best first (or in the chosen sort order).
Matched characters are highlighted. Press **enter** (or double-click) to read one.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "cursor_down", "Down", show=False, id="list.down"),
        Binding("up,k", "cursor_up", "Up", show=False, id="list.up"),
        Binding("pagedown", "page_down", "Page down", show=False, id="list.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="list.page-up"),
        Binding("ctrl+d", "half_page_down", "Half page down", show=False, id="list.half-down"),
        Binding("ctrl+u", "half_page_up", "Half page up", show=False, id="list.half-up"),
        Binding("home,g", "first", "First paper", show=False, id="list.first"),
        Binding("end,G", "last", "Last paper", show=False, id="list.last"),
        Binding(
            "enter", "select", "Read", id="list.read", tooltip="Read the paper in the detail pane"
        ),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-list--cursor",
        "paper-list--match",
        "paper-list--meta",
        "paper-list--mark",
        "paper-list--emphasis",
        "paper-list--placeholder",
    }
    """
    | Class | Description |
    | :- | :- |
    | `paper-list--cursor` | The row under the cursor. |
    | `paper-list--match` | Characters that matched the query. |
    | `paper-list--meta` | Date, upvotes and author count. |
    | `paper-list--mark` | The mark column (bookmarks). |
    | `paper-list--emphasis` | Titles a mark asks to stand out. |
    | `paper-list--placeholder` | The message shown when there is nothing to list. |
    """

    class Highlighted(Message):
        """The cursor moved to another paper (``position`` is None when the list is empty)."""

        def __init__(self, paper_list: PaperList, position: int | None) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.position = position

        def can_replace(self, message: Message) -> bool:
            """Only the latest cursor position matters when several are queued."""
            return isinstance(message, PaperList.Highlighted)

    class Selected(Message):
        """The user chose a paper to read (enter or double click)."""

        def __init__(self, paper_list: PaperList, position: int) -> None:
            super().__init__()
            self.paper_list = paper_list
            self.position = position

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self._segments = SegmentRenderer()
        self._papers: Sequence[Paper] = ()
        self._rows: Sequence[int] = ()
        self._spans: SpanSource = _no_spans
        self._marker: Marker | None = None
        self._cursor = 0
        self._generation = 0
        self._cache: dict[tuple[int, VisualStyle | None, int, int, int, Spans], Strip] = {}
        self._looks: tuple[VisualStyle, RowStyles] | None = None
        self._restyled = True
        self._versions: dict[int, int] = {}  # bumped by refresh_paper: a new cache key
        self._placeholder: Content = Content("")
        self._styles: tuple[RowStyles, RowStyles] | None = None  # (other rows, cursor row)
        self._listed: Callable[[int], Listed] = self._papers.__getitem__
        self._after_drawn: list[Callable[[], object]] = []
        self._drawn_timer: Timer | None = None
        self._drawn_due = False
        self._drawing_ahead = False
        self._drawing = 0  # bumped by each change to draw: an older drawing stops
        self._when_drawn: list[Callable[[], object]] = []

    # --- what the screen tells it --------------------------------------------------------

    def show(
        self,
        papers: Sequence[Paper],
        rows: Sequence[int],
        *,
        spans: SpanSource | None = None,
        cursor: int = 0,
        placeholder: Content | None = None,
    ) -> None:
        """Show ``rows`` (positions into ``papers``); O(1) whatever their number.

        Args:
            papers: The whole corpus.
            rows: Positions of the papers to list, in display order.
            spans: Title match ranges for a position (asked for visible rows only).
            cursor: The row to put the cursor on.
            placeholder: What to say when ``rows`` is empty.
        """
        if papers is not self._papers:
            self._invalidate()
            # a table reads a row's fields without building the paper
            self._listed = getattr(papers, "listing", papers.__getitem__)
        self._papers = papers
        self._rows = rows
        self._spans = spans or _no_spans
        if placeholder is not None:
            self._placeholder = placeholder
        set_virtual_height(self, len(rows), refresh=False)
        self._cursor = clamp(cursor, 0, max(0, len(rows) - 1))
        if cursor == 0:
            self.scroll_to(y=0, animate=False, immediate=True)
        self._scroll_to_cursor()
        self._draw_then(self._show_drawn)
        self.post_message(self.Highlighted(self, self.position))

    def _draw_then(self, show: Callable[[], object]) -> None:
        """Draw the visible rows that are new (a new result, new match highlights) before
        ``show`` repaints them: for at most :data:`DRAW_FOR` at a time, going on in later
        turns of the event loop.

        A page of new rows costs 5-10 ms: drawn in a frame, with the rest of the screen,
        it made that frame the longest stall while typing. (A frame that comes meanwhile
        for another reason draws what is left itself.)"""
        self._when_drawn.append(show)
        self._drawing += 1
        self._draw_rows(self._drawing, 0)

    def _draw_rows(self, drawing: int, done: int) -> None:
        """Go on drawing after the first ``done`` visible rows."""
        if drawing != self._drawing:
            return  # something newer is being drawn (its drawing shows this too)
        width, top = self.scrollable_content_region.width, round(self.scroll_offset.y)
        end = min(len(self._rows), top + self.scrollable_content_region.height)
        if self.is_mounted and width > 0:
            if self._restyled:
                self._check_looks()
            stop = perf_counter() + DRAW_FOR
            for row in range(top + done, end):
                self._row_strip(row, width)  # (kept: drawn rows cost next to nothing)
                if perf_counter() > stop and row + 1 < end:
                    self.set_timer(DRAW_NEXT, partial(self._draw_rows, drawing, row + 1 - top))
                    return
        shows, self._when_drawn = self._when_drawn, []
        for show in shows:
            show()

    @property
    def _new_rows(self) -> bool:
        """Whether a new result's rows are being drawn (the screen shows the old ones)."""
        return self._show_drawn in self._when_drawn

    def _show_drawn(self) -> None:
        show_height(self)  # the scrollbar too: a thumb repainted earlier repaints the rows
        self._repaint_next_frame()
        self.draw_early()

    def _repaint_next_frame(self) -> None:
        """Tell the screen now that the list needs repainting.

        Textual (8.2.8) tells it once the widget is next idle, which often comes just after
        the frame that echoes the key (the screen's frames are 1/60 s apart): the new rows
        then waited 17-25 ms for the next one. (Harmless if Textual changes.)"""
        check_refresh = getattr(self, "_check_refresh", None)
        if callable(check_refresh):
            check_refresh()

    def set_placeholder(self, placeholder: Content) -> None:
        """Change the message shown when there are no rows."""
        self._placeholder = placeholder
        if not self._rows:
            self.refresh()

    def set_marker(self, marker: Marker | None) -> None:
        """Install the per-row mark source (the library's bookmarks and read state)."""
        self._marker = marker
        self._invalidate()
        self.refresh()

    def refresh_paper(self, position: int) -> None:
        """Redraw the row of the paper at ``position`` if it is on screen (e.g. new mark)."""
        self.refresh_papers((position,))

    def refresh_papers(self, positions: Collection[int]) -> None:
        """Redraw the rows of the papers at ``positions`` that are on screen."""
        for position in positions:
            self._versions[position] = self._versions.get(position, 0) + 1
        self._draw_then(partial(self._show_papers, positions))

    def _show_papers(self, positions: Collection[int]) -> None:
        first = round(self.scroll_offset.y)
        height = self.scrollable_content_region.height
        for row in range(first, min(len(self._rows), first + height)):
            if self._rows[row] in positions:
                self.refresh_line(row)

    def call_after_drawn(self, callback: Callable[[], object]) -> None:
        """Call ``callback`` right after the next frame that draws the list (or in
        :data:`DRAWN_WAIT` seconds if none does), so other work waits for that frame.

        (Textual's ``call_after_refresh`` can run before a refresh the list has asked for
        but the screen has not heard of yet.)
        """
        self._after_drawn.append(callback)
        if self._drawn_timer is None:
            self._drawn_timer = self.set_timer(DRAWN_WAIT, self._drawn)

    def _drawn(self) -> None:
        self._drawn_due = False
        if self._drawn_timer is not None:
            self._drawn_timer.stop()
            self._drawn_timer = None
        callbacks, self._after_drawn = self._after_drawn, []
        for callback in callbacks:
            callback()

    # --- what the screen can ask ---------------------------------------------------------

    @property
    def rows(self) -> Sequence[int]:
        """The positions listed, in display order."""
        return self._rows

    @property
    def cursor_row(self) -> int:
        """The row the cursor is on."""
        return self._cursor

    @property
    def position(self) -> int | None:
        """The corpus position of the paper under the cursor, or None when empty."""
        return self._rows[self._cursor] if self._rows else None

    def move_cursor(self, row: int) -> None:
        """Put the cursor on ``row`` (clamped) and bring it into view."""
        if not self._rows:
            return
        row = clamp(row, 0, len(self._rows) - 1)
        if row == self._cursor:
            return
        old = self._cursor
        self._cursor = row
        if not self._new_rows:  # else all rows repaint once drawn, not two amid the old ones
            self.refresh_line(old)
            self.refresh_line(row)
        self._scroll_to_cursor()
        self.post_message(self.Highlighted(self, self.position))

    # --- actions -------------------------------------------------------------------------

    def action_cursor_down(self) -> None:
        """Move to the next paper."""
        self.move_cursor(self._cursor + 1)

    def action_cursor_up(self) -> None:
        """Move to the previous paper."""
        self.move_cursor(self._cursor - 1)

    def action_page_down(self) -> None:
        """Move one page down."""
        self._page(self.scrollable_content_region.height)

    def action_page_up(self) -> None:
        """Move one page up."""
        self._page(-self.scrollable_content_region.height)

    def action_half_page_down(self) -> None:
        """Move half a page down."""
        self._page(max(1, self.scrollable_content_region.height // 2))

    def action_half_page_up(self) -> None:
        """Move half a page up."""
        self._page(-max(1, self.scrollable_content_region.height // 2))

    def action_first(self) -> None:
        """Move to the first paper."""
        self.move_cursor(0)

    def action_last(self) -> None:
        """Move to the last paper."""
        self.move_cursor(len(self._rows) - 1)

    def action_select(self) -> None:
        """Open the paper under the cursor."""
        if (position := self.position) is not None:
            self.post_message(self.Selected(self, position))

    def _page(self, delta: int) -> None:
        """Scroll and move the cursor together, so it keeps its place on screen."""
        if not self._rows:
            return
        self.scroll_to(y=self.scroll_offset.y + delta, animate=False, immediate=True)
        self.move_cursor(self._cursor + delta)
        if not self._drawing_ahead:
            self._drawing_ahead = True
            self.call_after_drawn(lambda: self._draw_ahead(delta))

    def _draw_ahead(self, delta: int) -> None:
        """Draw the rows the next move by ``delta`` will show, while the user reads this
        page, so that page's frame finds them drawn (each new row costs a fraction of a
        millisecond: a page of them, built when the key is pressed, overruns a frame)."""
        self._drawing_ahead = False
        width = self.scrollable_content_region.width
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        start = max(0, top + delta)
        for row in range(start, min(len(self._rows), start + height)):
            if row != self._cursor:
                self._row_strip(row, width)

    def _scroll_to_cursor(self) -> None:
        height = self.scrollable_content_region.height
        top = round(self.scroll_offset.y)
        if height <= 0:
            return
        if self._cursor < top:
            self.scroll_to(y=self._cursor, animate=False, immediate=True)
        elif self._cursor >= top + height:
            self.scroll_to(y=self._cursor - height + 1, animate=False, immediate=True)

    # --- mouse ---------------------------------------------------------------------------

    def on_click(self, event: events.Click) -> None:
        """A click moves the cursor to the row; a double click opens the paper."""
        offset = event.get_content_offset(self)
        if offset is None:
            return
        row = round(self.scroll_offset.y) + offset.y
        if 0 <= row < len(self._rows):
            self.move_cursor(row)
            if event.chain >= 2:
                self.action_select()

    # --- rendering -----------------------------------------------------------------------

    def _invalidate(self) -> None:
        self._generation += 1
        self._cache.clear()
        self._styles = None

    def notify_style_update(self) -> None:
        """The theme, the CSS or the focus changed: styles are baked into cached rows, so
        they are dropped if the styles rows are drawn with changed (the cursor row's style
        is part of its cache key: focus alone redraws that row only)."""
        super().notify_style_update()
        self._styles = None
        self._restyled = True  # compared when next drawn (the styles may not be ready now)

    def _check_looks(self) -> None:
        self._restyled = False
        looks = (self.visual_style, self._row_styles())
        if looks != self._looks:
            self._looks = looks
            self._invalidate()

    def on_focus(self) -> None:
        """The cursor row looks different when the list has focus."""
        self.refresh()

    def on_blur(self) -> None:
        """The cursor row looks different when the list has focus."""
        self.refresh()

    def _row_styles(self, cursor: bool = False) -> RowStyles:
        """The styles of a row's parts; on the cursor row, the meta columns take the
        cursor's colour (a muted colour on the cursor's background may not read)."""
        if self._styles is None:
            styles = RowStyles(
                match=component_style(self, "paper-list--match"),
                meta=component_style(self, "paper-list--meta"),
                mark=component_style(self, "paper-list--mark"),
                emphasis=component_style(self, "paper-list--emphasis"),
            )
            self._styles = styles, replace(styles, meta=replace(styles.meta, foreground=None))
        return self._styles[cursor]

    def quick_line(self, y: int) -> bool:
        """Rows are drawn quickly (:mod:`.quick_lines`); the placeholder the usual way."""
        return self.line_geometry()[1] + y < len(self._rows)

    def render_line(self, y: int) -> Strip:
        """Draw one visible line: a row of the result, or a line of the placeholder."""
        if (  # (not a frame that comes while new rows are being drawn: they are not shown)
            self._after_drawn
            and not self._drawn_due
            and not self.drawing_early
            and not self._when_drawn
        ):
            self._drawn_due = True
            # once this frame is out, behind what already waits (a key, the screen's timers)
            if self._drawn_timer is not None:
                self._drawn_timer.stop()
            self._drawn_timer = self.set_timer(AFTER_FRAME, self._drawn)
        if self._restyled:
            self._check_looks()
        width, top = self.line_geometry()
        row = top + y
        if not self._rows:
            return self._placeholder_line(y, width)
        if row >= len(self._rows):
            return Strip.blank(width, self.visual_style.rich_style)
        return self._row_strip(row, width)

    def _row_strip(self, row: int, width: int) -> Strip:
        """Row ``row`` of the result drawn ``width`` cells wide (kept for redrawing)."""
        position = self._rows[row]
        cursor = self.get_visual_style("paper-list--cursor") if row == self._cursor else None
        spans = tuple(self._spans(position))  # a row shown again with the same spans is kept
        key = (position, cursor, width, self._generation, self._versions.get(position, 0), spans)
        strip = self._cache.get(key)
        if strip is None:
            paper = self._listed(position)
            mark = self._marker(paper) if self._marker is not None else NO_MARK
            content = display.list_row(
                paper, width, spans=spans, mark=mark, styles=self._row_styles(cursor is not None)
            )
            base = cursor or self.visual_style
            strip = Strip(self._segments.render(content, base), content.cell_length)
            strip = strip.extend_cell_length(width, base.rich_style).crop(0, width)
            _keep(self._cache, key, strip, ROWS_KEPT)
        return strip

    def _placeholder_line(self, y: int, width: int) -> Strip:
        style = self.get_visual_style("paper-list--placeholder")
        lines = self._placeholder.wrap(max(1, width - 2)) if self._placeholder else []
        if y >= len(lines):
            return Strip.blank(width, style.rich_style)
        line = Content.assemble(" ", lines[y])
        strip = Strip(line.render_segments(style), line.cell_length)
        return strip.extend_cell_length(width, style.rich_style).crop(0, width)
