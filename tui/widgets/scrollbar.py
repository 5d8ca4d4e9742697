"""A vertical scrollbar that repaints only when its thumb moves on screen.

Textual's ``ScrollBar`` repaints whenever the scrolled size, the window or the position
changes, though most changes do not move a cell: a result of 100,000 papers and one of
90,000 draw the same one-cell thumb at the top. Each repaint costs 3-4 ms on a 40-line
terminal, and it falls in the frame that shows the new result.
"""

from __future__ import annotations

from math import ceil

from textual.reactive import Reactive
from textual.scroll_view import ScrollView
from textual.scrollbar import ScrollBar


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


class SteadyScrollBar(ScrollBar):
    """A ``ScrollBar`` that repaints only when what it draws changes."""

    window_virtual_size: Reactive[int] = Reactive(100, repaint=False)
    window_size: Reactive[int] = Reactive(0, repaint=False)
    position: Reactive[float] = Reactive(0, repaint=False)

    _drawn: tuple[int, ...] | None = None

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
        if drawn != self._drawn:
            self._drawn = drawn
            self.refresh()

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
