"""A vertical scrollbar that repaints only when its thumb moves on screen.

Textual's ``ScrollBar`` repaints whenever the scrolled size, the window or the position
changes, though most changes do not move a cell: a result of 100,000 papers and one of
90,000 draw the same one-cell thumb at the top. Each repaint costs 3-4 ms on a 40-line
terminal, and it falls in the frame that shows the new result. When the thumb does move,
only the cells between its old and new places are repainted (:func:`changed_rows`).
"""

from __future__ import annotations

from collections.abc import Hashable
from math import ceil

from textual.geometry import Region
from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar
from textual.strip import Strip

KEPT_BARS = 4
"""Bars drawn lately that a scrollbar keeps, to draw again as they were (see ``render_lines``)."""


def thumb(size: int, virtual: float, window: float, position: float, steps: int) -> tuple[int, ...]:
    """What a bar of ``size`` cells draws: its size and the thumb's ends in ``steps`` of a
    cell, computed as ``ScrollBar`` and ``ScrollBarRender.render_bar`` do; the size alone
    when there is no thumb. Equal results draw the same cells."""
    virtual_cells = ceil(virtual)
    window_cells = ceil(window if window < virtual else 0)
    if not (window_cells and size and virtual_cells and size != virtual_cells):
        return (size,)
    length = max(1, window_cells / (virtual_cells / size))
    start = int((size - length) * (position / (virtual_cells - window_cells)) * steps)
    return (size, start, start + ceil(length * steps))


def changed_rows(before: tuple[int, ...], after: tuple[int, ...], steps: int) -> range | None:
    """The cells of a vertical bar that may differ between two :func:`thumb` results in
    ``steps`` of a cell (None: any may). Above both thumbs and below both, a bar draws the
    same cells."""
    if len(before) != 3 or len(after) != 3 or before[0] != after[0]:
        return None
    size, start, end = before
    _, new_start, new_end = after
    first = min(start, new_start) // steps
    return range(max(0, first), min(size, max(end, new_end) // steps + 1))


class SteadyScrollBar(ScrollBar):
    """A ``ScrollBar`` that repaints only when what it draws changes."""

    window_virtual_size: Reactive[int] = Reactive(100, repaint=False)
    window_size: Reactive[int] = Reactive(0, repaint=False)
    position: Reactive[float] = Reactive(0, repaint=False)

    _drawn: tuple[int, ...] | None = None
    _kept: dict[Hashable, list[Strip]]

    def __init__(
        self, vertical: bool = True, name: str | None = None, *, thickness: int = 1
    ) -> None:
        self._kept = {}
        super().__init__(vertical, name, thickness=thickness)

    def render_lines(self, crop: Region) -> list[Strip]:
        """The bar's lines, drawn anew only for a bar not drawn lately.

        Searching as you type makes the bar go back and forth between a few looks (no
        thumb while a first, short result is shown; a one-cell thumb at the top for a long
        one), and each full repaint costs 1.5-3 ms. A bar is kept with everything its
        lines depend on: the thumb, the size, the colours (its own tint and opacities too)
        and the app's line filters.
        """
        colours = self.render()
        key = (
            self.thumb(),
            self.size,
            getattr(colours, "style", colours),
            self.background_colors,
            self.opacity,
            self.styles.tint,
            self.styles.text_opacity,
            self.styles.hatch,
            tuple(self.get_line_filters()),
            self.app.ansi_theme,
            self.app.native_ansi_color,
            self.screen.styles.scrollbar_color.a == 0,  # (then Textual draws no thumb)
        )
        whole = self._kept.get(key)
        if whole is None:
            whole = super().render_lines(Region(0, 0, *self.size))
            if len(self._kept) >= KEPT_BARS:
                del self._kept[next(iter(self._kept))]
            self._kept[key] = whole
        lines = whole[crop.y : crop.bottom]
        if crop.column_span != (0, self.size.width):
            lines = [line.crop(*crop.column_span) for line in lines]
        return lines

    def thumb(self) -> tuple[int, ...]:
        """What the bar draws now (see :func:`thumb`)."""
        bars = self.renderer.VERTICAL_BARS if self.vertical else self.renderer.HORIZONTAL_BARS
        return thumb(
            self.size.height if self.vertical else self.size.width,
            self.window_virtual_size,
            self.window_size,
            self.position,
            len(bars),
        )

    def _repaint_if_moved(self) -> None:
        drawn = self.thumb()
        if drawn == self._drawn:
            return
        steps = len(self.renderer.VERTICAL_BARS)
        rows = changed_rows(self._drawn, drawn, steps) if self._drawn and self.vertical else None
        self._drawn = drawn
        if rows is None:
            self.refresh()
        elif rows:
            self.refresh(Region(0, rows.start, self.size.width, len(rows)))

    # the reactives repaint nothing themselves: each change repaints if the thumb moved
    watch_window_virtual_size = watch_window_size = watch_position = _repaint_if_moved

    def on_resize(self) -> None:
        """A new length is drawn anew."""
        self._drawn = None
        self._repaint_if_moved()


class SteadyScrollView(ScrollView):
    """A ``ScrollView`` whose vertical scrollbar is a :class:`SteadyScrollBar`."""

    @property
    def vertical_scrollbar(self) -> ScrollBar:
        """The vertical scrollbar (created on first use, as Textual's own)."""
        if self._vertical_scrollbar is None:
            bar = SteadyScrollBar(
                vertical=True, name="vertical", thickness=self.scrollbar_size_vertical
            )
            bar.display = False
            self._vertical_scrollbar = bar
            self.app._start_widget(self, bar)
        return self._vertical_scrollbar
