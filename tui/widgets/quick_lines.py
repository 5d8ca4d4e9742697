"""Drawing a Line-API widget's content lines without Textual's per-line styling pass.

For every line it draws, Textual 8.2.8 looks up the widget's border, outline, padding,
tint and opacity, builds the border pieces again and runs the app's line filters over the
whole line: about 90 µs a line, more than the list spends building the row. A page of new
results is 37 such lines at 120x40: 3-4 ms of a frame.

A content line is always the same three parts: what lies left of the content (border,
padding), the content line the widget draws, and what lies right of it (the scrollbar's
column, padding, border). So each draw takes those outer parts from one line drawn the
usual way, checks that putting that line together from its parts gives the same cells,
and puts the other lines together the same way. If the check fails (a tint, an opacity,
a filter that is not per cell, a Textual that draws differently), every line is drawn the
usual way; so are all lines while the pointer is over a link (Textual highlights it after
drawing).
"""

from __future__ import annotations

from textual.geometry import Region
from textual.strip import Strip
from textual.timer import Timer
from textual.widget import Widget

DRAW_EARLY = 0.001
"""Seconds after a change that :meth:`QuickLines.draw_early` draws the lines."""

QUICK_AT_LEAST = 3
"""Fewer content lines than this are drawn the usual way (the check costs about two lines)."""


class QuickLines(Widget):
    """A widget whose content lines are put together from their parts (mix in before the
    widget class; the widget draws its content with ``render_line``)."""

    quick_misses = 0
    """How many draws found the parts did not add up to the usual line (and drew it so)."""

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        # line -> (its content strip, the other parts, the line put together)
        self._put_together: dict[int, tuple[Strip, tuple[object, ...], Strip]] = {}
        self._geometry: tuple[int, int] | None = None
        self._early: Timer | None = None
        self.drawing_early = False
        """True while :meth:`draw_early` draws (not a frame: nothing is on screen yet)."""

    def draw_early(self) -> None:
        """Draw the visible lines in a turn of the event loop of their own, a millisecond
        after the content changed: the next frame usually comes later and finds them drawn,
        a key pressed meanwhile is handled between the two, and neither stalls the screen for
        as long as both together. (A frame that comes first draws them itself; this then
        finds them drawn.)"""
        if self._early is None:
            self._early = self.set_timer(DRAW_EARLY, self._draw_early_now)

    def _draw_early_now(self) -> None:
        self._early = None
        if not (self.is_mounted and self.display and self.outer_size.area):
            return
        self.drawing_early = True
        try:
            self.render_lines(Region(0, 0, *self.outer_size))
        finally:
            self.drawing_early = False

    def line_geometry(self) -> tuple[int, int]:
        """The width of a content line and the first line scrolled into view (asking
        Textual costs about 10 µs, so it is asked once per draw)."""
        if self._geometry is not None:
            return self._geometry
        return self.scrollable_content_region.width, round(self.scroll_offset.y)

    def quick_line(self, y: int) -> bool:
        """Whether content line ``y`` may be drawn quickly (a line of real content)."""
        return True

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines of ``crop`` (widget coordinates, border included)."""
        self._geometry = self.line_geometry()
        try:
            return self._render_lines(crop)
        finally:
            self._geometry = None

    def _render_lines(self, crop: Region) -> list[Strip]:
        gutter = self.styles.gutter
        width, height = self.outer_size
        top, bottom = gutter.top, height - gutter.bottom
        quick = [top <= y < bottom and self.quick_line(y - top) for y in crop.line_range]
        if sum(quick) < QUICK_AT_LEAST or (self.auto_links and self.hover_style.link_id):
            return super().render_lines(crop)  # (Textual restyles a link under the pointer)
        usual = super().render_lines
        sample = crop.y + quick.index(True)
        drawn = usual(Region(0, sample, width, 1))[0]
        left = drawn.crop(0, gutter.left)
        inner, _ = self.line_geometry()
        right = drawn.crop(gutter.left + inner, width)
        _, background = self.background_colors
        filters = self.get_line_filters()

        parts = (left, right, background, *filters)
        kept = self._put_together

        def put_together(y: int) -> Strip:
            line = self.render_line(y - top)
            before = kept.get(y)
            if before is not None and before[0] is line and before[1] == parts:
                return before[2]  # the same line as last time (the widget kept its strip)
            filtered = line
            for line_filter in filters:
                filtered = filtered.apply_filter(line_filter, background)
            together = Strip.join((left, filtered.crop(0, inner), right))
            kept[y] = (line, parts, together)
            return together

        if put_together(sample) != drawn:
            self.quick_misses += 1
            return usual(crop)
        lines = [
            put_together(y) if is_quick else usual(Region(0, y, width, 1))[0]
            for y, is_quick in zip(crop.line_range, quick, strict=True)
        ]
        if crop.column_span != (0, width):
            lines = [line.crop(*crop.column_span) for line in lines]
        return lines
