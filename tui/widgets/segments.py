"""``Content`` to segments, with the combined styles kept from one line to the next.

``Content.render_segments`` combines the styles of every run of text anew for each line and
converts them to Rich styles: about 50 µs of a list row's 90. The rows of a list use a
handful of combinations (row, match, meta, mark, cursor), so :class:`SegmentRenderer` keeps
them; the segments are the same as ``Content.render_segments`` gives (a test compares).
"""

from __future__ import annotations

from dataclasses import replace
from itertools import pairwise
from operator import itemgetter

from rich.segment import Segment
from rich.style import Style as RichStyle
from textual.color import Color
from textual.content import Content
from textual.style import Style
from textual.widget import Widget

STYLES_KEPT = 512
"""Combined styles kept; then the cache starts again (a theme change makes new ones)."""

_by_offset = itemgetter(0, 1)


def component_style(widget: Widget, name: str) -> Style:
    """The style of ``widget``'s component class ``name``, to draw over the widget's own.

    Textual's partial style (``get_visual_style(name, partial=True)``) picks an ``auto``
    colour (``$text``, ``$text-muted``) against a transparent background: near-white in every
    theme, so on a light one the text vanishes. Here it stays automatic, and drawing picks it
    against the background it lands on (the list's, the cursor row's).
    """
    style = widget.get_visual_style(name, partial=True)
    if widget.get_component_styles(name).auto_color and style.foreground is not None:
        style = replace(style, foreground=Color(0, 0, 0, style.foreground.a, auto=True))
    return style


class SegmentRenderer:
    """Renders ``Content`` to segments like ``Content.render_segments``, but keeps the
    combinations of styles it has converted (the last :data:`STYLES_KEPT`)."""

    def __init__(self) -> None:
        # keyed by the styles' ids; each entry holds its styles, so no id is reused meanwhile
        self._styles: dict[tuple[int, ...], tuple[RichStyle | None, tuple[Style, ...]]] = {}

    def _rich(self, styles: tuple[Style, ...]) -> RichStyle | None:
        key = tuple(map(id, styles))
        kept = self._styles.get(key)
        if kept is None:
            if len(self._styles) >= STYLES_KEPT:
                self._styles.clear()
            combined = Style.combine(styles)
            kept = self._styles[key] = (combined.rich_style if combined else None, styles)
        return kept[0]

    def render(self, content: Content, base: Style) -> list[Segment]:
        """The segments of ``content`` (one line) drawn over ``base``."""
        text = content.plain
        styles = [base]
        events = [(0, False, 0)]
        for index, span in enumerate(content.spans, 1):
            if not isinstance(span.style, Style):  # a style still to parse: Textual's way
                return content.render_segments(base)
            styles.append(span.style)
            events += ((span.start, False, index), (span.end, True, index))
        if len(styles) == 1:
            return content.render_segments(base)
        events.append((len(text), True, 0))
        events.sort(key=_by_offset)
        stack: list[int] = []
        segments = []
        for (offset, leaving, index), (next_offset, _, _) in pairwise(events):
            if leaving:
                stack.remove(index)
            else:
                stack.append(index)
            if next_offset > offset:
                active = tuple(styles[i] for i in sorted(stack))
                segments.append(Segment(text[offset:next_offset], self._rich(active)))
        return segments
