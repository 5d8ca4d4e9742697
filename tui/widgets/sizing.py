"""Resizing a Line-API widget's scrollable area without laying out the whole screen."""

from __future__ import annotations

from textual.geometry import Size
from textual.scroll_view import ScrollView


def set_virtual_height(view: ScrollView, height: int, *, refresh: bool = True) -> None:
    """Set how many lines ``view`` scrolls over.

    Assigning ``virtual_size`` lays out the whole screen (the reactive has ``layout=True``),
    which repaints every widget: tens of milliseconds per keystroke. When the vertical
    scrollbar is always shown (``overflow-y: scroll`` in the styles), nothing around the
    widget moves, so updating the scrollbar and repainting the widget is enough
    (``refresh=False``: the caller does both when it is ready, with :func:`show_height`).
    """
    size = Size(0, height)
    if size == view.virtual_size:
        return
    if not _bar_always_shown(view):
        view.virtual_size = size
        return
    view.set_reactive(ScrollView.virtual_size, size)
    window = view.scrollable_content_region.height
    if view.scroll_offset.y > max(0, height - window):
        view.scroll_to(y=max(0, height - window), animate=False, immediate=True)
    if refresh:
        show_height(view)


def show_height(view: ScrollView) -> None:
    """Repaint ``view`` and its scrollbar's thumb for the height it scrolls over now."""
    if _bar_always_shown(view):
        bar = view.vertical_scrollbar
        bar.window_virtual_size = view.virtual_size.height
        bar.window_size = view.scrollable_content_region.height
    view.refresh()


def _bar_always_shown(view: ScrollView) -> bool:
    return view.is_mounted and view.styles.overflow_y == "scroll" and view.show_vertical_scrollbar
