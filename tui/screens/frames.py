"""Frames first: background threads step aside while the screen composes a frame.

Python runs one thread at a time. While a search thread computes, a frame the screen
composes (about 10 ms of Python at 120x40) only gets the interpreter every other time slice
and takes twice as long or more: the screen stalls for 30-50 ms just as results arrive. So
the screen says when it composes (:func:`composing`) and the search and explain threads,
between two small steps of their work, wait until it is done (:func:`step_aside`). The
interpreter's time slice is also shortened (:data:`SWITCH_INTERVAL`), so a frame that starts
while a thread runs gets the interpreter within a millisecond instead of five.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Callable, Iterator, Mapping, Sequence
from contextlib import contextmanager
from typing import TYPE_CHECKING, cast

if TYPE_CHECKING:
    from textual.strip import Strip

SWITCH_INTERVAL = 0.001
"""Seconds a thread waiting for the interpreter lets the running one go on (CPython: 0.005)."""

STEP_ASIDE_AT_MOST = 0.05
"""Seconds a background step waits for a frame at most (a frame is 5-15 ms)."""

_idle = threading.Event()
_idle.set()
_ui_thread = threading.main_thread()


def shorten_time_slices() -> None:
    """Let a waiting thread (the screen's) take the interpreter sooner."""
    sys.setswitchinterval(SWITCH_INTERVAL)


@contextmanager
def composing() -> Iterator[None]:
    """Around the composing of a frame, on the UI thread."""
    _idle.clear()
    try:
        yield
    finally:
        _idle.set()


def step_aside() -> None:
    """Between two steps of background work: wait while a frame is being composed (on the
    UI thread itself: return at once)."""
    if threading.current_thread() is not _ui_thread:
        _idle.wait(STEP_ASIDE_AT_MOST)


class RunningCount:
    """How many jobs are running (the user's searches), counted from any thread."""

    def __init__(self) -> None:
        self._count = 0
        self._lock = threading.Lock()

    @contextmanager
    def counted(self) -> Iterator[None]:
        """Around one job."""
        with self._lock:
            self._count += 1
        try:
            yield
        finally:
            with self._lock:
                self._count -= 1

    def __bool__(self) -> bool:
        """Whether a job is running."""
        return self._count > 0


def draw_changes_apart() -> None:
    """Make Textual's compositor draw each group of changed regions on its own.

    Textual (8.2.8) draws a frame's changes by rendering every widget inside the box around
    all of them: the results list (left) and the status line (bottom, full width) changing
    together redraw the detail pane and every scrollbar too, some 3 ms of a 10 ms frame.
    Drawn apart, only the widgets in each changed region render. Regions whose box adds
    nothing to their own areas (the rows of one widget) are still drawn together. Installed
    once; skipped if Textual's compositor no longer looks as expected.
    """
    from textual._compositor import ChopsUpdate, Compositor
    from textual.geometry import Region

    original = Compositor.render_partial_update
    if getattr(original, "apart", False) or not all(
        hasattr(Compositor, name) for name in ("_render_chops", "_regions_to_spans", "cuts")
    ):
        return

    def render_partial_update(self: Compositor) -> ChopsUpdate | None:
        dirty = getattr(self, "_dirty_regions", None)
        if not isinstance(dirty, set) or len(dirty) < 2:
            return original(self)
        groups = _groups(dirty)
        if len(groups) < 2:
            return original(self)
        screen = self.size.region
        regions = dirty.copy()
        dirty.clear()
        spans = list(self._regions_to_spans(regions))
        is_rendered_line = {y for y, _, _ in spans}.__contains__
        ends = [cuts[1:] for cuts in self.cuts]
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(cuts[:-1]) for cuts in self.cuts]
        for group in groups:
            crop = group.intersection(screen)
            if not crop:
                continue
            # a group's render is right within its own box only (a widget behind the
            # others, such as the screen, draws beyond it): take the chops that cross it
            drawn = self._render_chops(crop, is_rendered_line)
            left, right = crop.x, crop.right
            for y in crop.line_range:
                line = chops[y]
                for (x, strip), end in zip(drawn[y].items(), ends[y], strict=False):
                    if strip is not None and end > left and x < right and line.get(x) is None:
                        line[x] = strip
        return ChopsUpdate(chops, spans, ends)

    def _groups(regions: set[Region]) -> list[Region]:
        groups: list[Region] = []
        for region in sorted(regions, key=lambda region: (region.y, region.x)):
            for k, group in enumerate(groups):
                union = group.union(region)
                if union.area <= group.area + region.area:
                    groups[k] = union
                    break
            else:
                groups.append(region)
        return groups

    render_partial_update.apart = True  # type: ignore[attr-defined]
    render_partial_update.original = original  # type: ignore[attr-defined]
    Compositor.render_partial_update = render_partial_update  # type: ignore[method-assign]


def render_only_what_shows() -> None:
    """Make Textual's compositor render only the widgets, and the lines, a frame shows.

    To draw a region, Textual (8.2.8) renders every widget whose *container* overlaps it,
    all of each widget's lines, and cuts each line at the widgets' edges, though only the
    front-most widget's cells at each place are kept: a change in the results list also
    rendered and cut the search bar, the key bar, the detail pane and its scrollbar, and
    the screen and the panes behind the list. Here a widget is rendered only if it overlaps
    the region, only for the region's lines, and only if the widgets in front have not
    already covered every cell it would give there. The cells kept are the same; a frame
    while typing takes about half the time. Installed once; skipped if Textual's compositor
    no longer looks as expected.
    """
    from textual._compositor import Compositor
    from textual.geometry import Region

    original = Compositor._render_chops
    if getattr(original, "culled", False) or not all(
        hasattr(Compositor, name) for name in ("visible_widgets", "cuts")
    ):
        return

    def _render_chops(
        self: Compositor, crop: Region, is_rendered_line: Callable[[int], bool]
    ) -> Sequence[Mapping[int, Strip]]:
        cuts = self.cuts
        chops: list[dict[int, Strip | None]] = [dict.fromkeys(line[:-1]) for line in cuts]
        lines = [y for y in crop.line_range if is_rendered_line(y)]
        for widget, (region, clip) in self.visible_widgets.items() if lines else ():
            x, y, width, height = region.intersection(clip)
            start, end = max(x, crop.x), min(x + width, crop.right)
            wanted = [line for line in lines if y <= line < y + height]
            if start >= end or not wanted or _covered(chops, cuts, wanted, start, end):
                continue  # outside the region, or hidden there by the widgets in front
            first = wanted[0]
            strips = widget.render_lines(
                Region(x - region.x, first - region.y, width, wanted[-1] + 1 - first)
            )
            for line, strip in zip(range(first, wanted[-1] + 1), strips, strict=False):
                if not is_rendered_line(line):
                    continue
                line_chops = chops[line]
                widget_cuts = [cut for cut in cuts[line] if x <= cut <= x + width]
                pieces = strip.divide([cut - x for cut in widget_cuts[1:]])
                for cut, piece in zip(widget_cuts, pieces, strict=False):
                    if line_chops.get(cut) is None:  # front to back: the first one wins
                        line_chops[cut] = piece
        return cast("Sequence[Mapping[int, Strip]]", chops)

    _render_chops.culled = True  # type: ignore[attr-defined]
    _render_chops.original = original  # type: ignore[attr-defined]
    Compositor._render_chops = _render_chops  # type: ignore[method-assign]


def _covered(
    chops: list[dict[int, Strip | None]],
    cuts: list[list[int]],
    lines: list[int],
    start: int,
    end: int,
) -> bool:
    """Whether every cell from ``start`` to ``end`` on ``lines`` is drawn already."""
    return all(
        strip is not None
        for line in lines
        for (cut, strip), after in zip(chops[line].items(), cuts[line][1:], strict=True)
        if cut < end and after > start
    )
