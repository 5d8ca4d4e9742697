"""The detail pane: one paper's title, facts, sources, links and abstract, scrollable.

Like the results list it is a Line-API widget: the paper is wrapped to the pane's width once,
and only the lines on screen are drawn. Showing another paper repaints the pane alone; it
never makes the whole screen lay itself out again.
"""

from __future__ import annotations

from collections.abc import Mapping
from typing import TYPE_CHECKING, ClassVar

from textual.binding import Binding, BindingType
from textual.content import Content
from textual.geometry import Region, Size
from textual.strip import Strip

from .. import display
from ..display import DetailStyles, Spans
from .quick_lines import QuickLines
from .scrollbar import SteadyScrollView
from .segments import SegmentRenderer, component_style
from .sizing import set_virtual_height

if TYPE_CHECKING:
    from textual.style import Style as VisualStyle

    from ..data.library import Annotation
    from ..data.models import Paper


class PaperDetail(QuickLines, SteadyScrollView, can_focus=True, inherit_bindings=False):
    """Everything about the selected paper; the abstract exactly as read."""

    HELP = """
## Paper

The selected paper: title, your bookmark, read status, tags, lists and note, then date,
upvotes, author count, where it was read, its links and the abstract. Query matches are
highlighted. Click a link to open it, or press **o** to open the paper's link.
"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("down,j", "scroll_down", "Scroll down", show=False, id="detail.down"),
        Binding("up,k", "scroll_up", "Scroll up", show=False, id="detail.up"),
        Binding("pagedown,space", "page_down", "Page down", show=False, id="detail.page-down"),
        Binding("pageup", "page_up", "Page up", show=False, id="detail.page-up"),
        Binding("home,g", "scroll_home", "Top", show=False, id="detail.top"),
        Binding("end,G", "scroll_end", "Bottom", show=False, id="detail.bottom"),
    ]

    COMPONENT_CLASSES: ClassVar[set[str]] = {
        "paper-detail--title",
        "paper-detail--facts",
        "paper-detail--match",
        "paper-detail--link",
        "paper-detail--library",
    }
    """
    | Class | Description |
    | :- | :- |
    | `paper-detail--title` | The title. |
    | `paper-detail--facts` | Date, upvotes, authors, id and sources. |
    | `paper-detail--match` | Characters that matched the query. |
    | `paper-detail--link` | Clickable links. |
    | `paper-detail--library` | Bookmark, read status, tags, lists and note. |
    """

    def __init__(self, *, id: str | None = None, classes: str | None = None) -> None:
        super().__init__(id=id, classes=classes)
        self.paper: Paper | None = None
        """The paper shown, if any."""
        self._spans: Mapping[str, Spans] = {}
        self.annotation: Annotation | None = None
        """What the library holds about the paper shown (None: nothing, or not known yet)."""
        self._placeholder = Content("")
        self._content = Content("")
        self._lines: list[Content] = []
        self._wrapped_width = -1
        self._styles: DetailStyles | None = None
        """The styles ``_content`` was built with."""
        self._restyled = False
        self._segments = SegmentRenderer()
        self._strips: dict[tuple[int, int, VisualStyle], Strip] = {}
        """Lines drawn from ``_lines`` (at a width, over a style), kept for redrawing."""

    @property
    def spans(self) -> Mapping[str, Spans]:
        """The match ranges shown."""
        return self._spans

    @property
    def content(self) -> Content:
        """Everything the pane shows, before wrapping."""
        self._check_styles()
        return self._content

    @property
    def lines(self) -> list[Content]:
        """The content wrapped to the pane's width."""
        self._check_styles()
        self._wrap()
        return self._lines

    def show(
        self,
        paper: Paper | None,
        spans: Mapping[str, Spans] | None = None,
        annotation: Annotation | None = None,
    ) -> None:
        """Show ``paper`` with the query's match ranges per field (``title``, ``abstract``)
        and what the library holds about it."""
        same = paper is not None and self.paper is not None and paper.id == self.paper.id
        self.paper = paper
        self._spans = spans if spans is not None else {}
        self.annotation = annotation
        self._rebuild()
        if not same:
            self.scroll_to(y=0, animate=False, immediate=True)

    def set_placeholder(self, placeholder: Content) -> None:
        """What to show when no paper is selected."""
        self._placeholder = placeholder
        if self.paper is None:
            self._rebuild()

    def notify_style_update(self) -> None:
        """The theme, the CSS or the focus changed: the paper is built again with the new
        styles when next drawn (Textual updates the component classes' styles only after
        this call, so they are not ready now)."""
        super().notify_style_update()
        self._restyled = True

    def _check_styles(self) -> None:
        if self._restyled and self.is_mounted:
            self._restyled = False
            if self.paper is not None and self._detail_styles() != self._styles:
                self._build()

    def on_resize(self) -> None:
        """Wrap again for the new width."""
        self._wrapped_width = -1
        self._wrap()

    def _detail_styles(self) -> DetailStyles:
        return DetailStyles(
            title=component_style(self, "paper-detail--title"),
            facts=component_style(self, "paper-detail--facts"),
            match=component_style(self, "paper-detail--match"),
            link=component_style(self, "paper-detail--link"),
            library=component_style(self, "paper-detail--library"),
        )

    def _build(self) -> None:
        if self.paper is None:
            self._content = self._placeholder
        else:
            self._styles = self._detail_styles()
            self._content = display.detail(self.paper, self._spans, self._styles, self.annotation)
        self._wrapped_width = -1
        self._wrap()

    def _rebuild(self) -> None:
        self._build()
        self.refresh()
        self.draw_early()

    def _wrap(self) -> None:
        width, _ = self.line_geometry()
        if width <= 0 or width == self._wrapped_width:
            return
        self._wrapped_width = width
        self._lines = self._content.wrap(width) if self._content else []
        self._strips = {}
        set_virtual_height(self, len(self._lines))

    def quick_line(self, y: int) -> bool:
        """Every line is drawn quickly (:mod:`.quick_lines`), the blank ones below a short
        paper too (``render_line`` draws them)."""
        return True

    def render_lines(self, crop: Region) -> list[Strip]:
        """Draw the lines of ``crop``, with the paper built for the styles of now."""
        self._check_styles()
        return super().render_lines(crop)

    def render_line(self, y: int) -> Strip:
        """Draw one visible line of the wrapped paper."""
        self._wrap()
        width, top = self.line_geometry()
        style = self.visual_style
        row = top + y
        if row >= len(self._lines):
            return Strip.blank(width, style.rich_style)
        key = (row, width, style)
        strip = self._strips.get(key)
        if strip is None:
            line = self._lines[row]
            strip = Strip(self._segments.render(line, style), line.cell_length)
            strip = strip.extend_cell_length(width, style.rich_style).crop(0, width)
            self._strips[key] = strip
        return strip

    def get_content_height(self, container: Size, viewport: Size, width: int) -> int:
        """As tall as the wrapped paper (the pane usually fixes its own height)."""
        return len(self._content.wrap(width)) if self._content else 0
