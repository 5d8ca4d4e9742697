"""How paper fields look on screen: the only module that turns corpus text into ``Content``.

Corpus text is data, never markup. Everything here is built with ``Content(...)``,
``Content.assemble`` and explicit spans, after a second pass of
:func:`~tui.data.controls.sanitize` (the loader already cleaned every field; this guards every
other way text can arrive). Nothing here calls ``Content.from_markup``, so titles such as
``Fixing [/] in ViT`` or ``[@click=app.quit]`` show exactly as written.

Styles come in as :class:`~textual.style.Style` values taken from the widgets' component
classes, so the look stays in ``styles/*.tcss`` and follows the theme.
"""

from __future__ import annotations

from collections.abc import Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from typing import TYPE_CHECKING

from rich.cells import cell_len, set_cell_size
from textual.content import Content, Span
from textual.style import Style

from .data.controls import sanitize

if TYPE_CHECKING:  # the models import pydantic, which start-up does not wait for
    from .data.library import Annotation
    from .data.models import Listed, Paper, Problem

Spans = Sequence[tuple[int, int]]
"""Character ranges ``(start, end)`` into a displayed field, as search reports them."""

NO_SPANS: Spans = ()

SEARCH_URL = "https://duckduckgo.com/?q="
"""Where ``o`` sends a paper that has no link of its own: a web search for its title."""

ELLIPSIS = "…"


def plain(text: str) -> Content:
    """Corpus text as content, on one line: sanitised, never parsed as markup."""
    return Content(sanitize(text))


def highlighted(text: str, spans: Spans, style: Style) -> Content:
    """``text`` with the character ranges ``spans`` in ``style``.

    Spans index the text as stored; if sanitising had to change the text (it never does for
    text the loader produced), the spans no longer line up and are dropped.
    """
    clean = sanitize(text)
    if clean != text or not spans:
        return Content(clean)
    size = len(clean)
    marks = [
        Span(max(0, start), min(size, end), style)
        for start, end in spans
        if start < end and start < size and end > 0
    ]
    return Content(clean, marks)


# --- the results list ------------------------------------------------------------------


@dataclass(frozen=True)
class RowStyles:
    """Styles of the parts of a list row (from ``PaperList``'s component classes)."""

    match: Style
    """Characters that matched the query."""
    meta: Style
    """Date, upvotes and author count."""
    mark: Style
    """The mark column (a bookmark star, once the library provides marks)."""
    emphasis: Style
    """Titles the mark asks to stand out (for example unread papers)."""


@dataclass(frozen=True)
class RowMark:
    """What a screen adds to one row: a one-cell symbol and whether the title stands out."""

    symbol: str = ""
    emphasis: bool = False


NO_MARK = RowMark()

BOOKMARK_SYMBOL = "★"
"""The mark of a bookmarked paper in the results list."""


def library_mark(bookmarked: bool, read: bool) -> RowMark:
    """A row's mark: a star for a bookmark; the title stands out while the paper is unread."""
    return _LIBRARY_MARKS[bookmarked, read]


_LIBRARY_MARKS = {
    (bookmarked, read): RowMark(BOOKMARK_SYMBOL if bookmarked else "", emphasis=not read)
    for bookmarked in (False, True)
    for read in (False, True)
}

DATE_WIDTH = 13  # " Sep 30, 2024": a space keeps it off the title
UPVOTES_WIDTH = 6  # " 1234↑"
AUTHORS_WIDTH = 5  # " 12👤" (the emoji is two cells)


def date_text(paper: Listed) -> str:
    """The listing date as shown in the list (empty when not given)."""
    return str(paper.date) if paper.date is not None else ""


def list_row(
    paper: Listed,
    width: int,
    *,
    spans: Spans = NO_SPANS,
    mark: RowMark = NO_MARK,
    styles: RowStyles,
) -> Content:
    """One row of the results list, exactly ``width`` cells wide.

    Layout: mark, title (cut with an ellipsis), then the date, upvotes and author count on
    the right. Narrow rows drop the author count, then the upvotes, then the date, so the
    title always keeps at least half of the row; a paper with none of them known gives the
    title the whole row. Built as one ``Content`` with spans (this runs for every row drawn).
    """
    if width < 3:
        return Content(" " * max(0, width))
    meta = ""
    meta_cells = 0  # counted as the parts are added: the joined text is seldom seen twice
    for text, size in (
        (date_text(paper), DATE_WIDTH),
        ("" if paper.upvotes is None else f"{paper.upvotes}↑", UPVOTES_WIDTH),
        ("" if paper.authors is None else f"{paper.authors}👤", AUTHORS_WIDTH),
    ):
        if meta_cells + size > (width - 2) // 2:
            break
        cells = cell_len(text)
        meta += " " * (size - cells) + text
        meta_cells += max(size, cells)
    if not meta.strip():
        meta, meta_cells = "", 0  # nothing known: the title may use the whole row
    symbol = sanitize(mark.symbol)[:1]
    symbol = symbol if cell_len(symbol) == 1 else " "
    title = sanitize(paper.title)
    if title != paper.title:
        spans = NO_SPANS  # sanitising moved characters: the spans no longer line up
    title_width = max(0, width - 2 - meta_cells)
    shown = len(title)
    if cell_len(title) > title_width:
        cut = set_cell_size(title, max(0, title_width - 1))
        shown = len(cut)
        title = cut + ELLIPSIS if title_width else ""
    title = title + " " * (title_width - cell_len(title))
    marks = [Span(0, 1, styles.mark)]
    if mark.emphasis:
        marks.append(Span(2, 2 + shown, styles.emphasis))
    marks += [
        Span(2 + max(0, start), 2 + min(shown, end), styles.match)
        for start, end in spans
        if start < end and start < shown and end > 0
    ]
    if meta:
        marks.append(Span(2 + len(title), 2 + len(title) + len(meta), styles.meta))
    return Content(f"{symbol} {title}{meta}", marks, width, strip_control_codes=False)


def list_placeholder(lines: Iterable[str]) -> Content:
    """A message shown in place of the list (our own wording, with any user text quoted)."""
    return Content("\n").join(plain(line) for line in lines)


# --- the detail pane -------------------------------------------------------------------


@dataclass(frozen=True)
class DetailStyles:
    """Styles of the parts of the detail pane (from ``PaperDetail``'s component classes)."""

    title: Style
    facts: Style
    match: Style
    link: Style
    library: Style = field(default_factory=Style)
    """The user's annotations: bookmark, read status, tags, lists and note."""


def detail(
    paper: Paper,
    spans: Mapping[str, Spans],
    styles: DetailStyles,
    annotation: Annotation | None = None,
) -> Content:
    """The whole detail pane: title, the user's annotations (if any), facts, links, the
    abstract as read, then where the paper was read (last: on a small terminal the abstract
    comes first into view)."""
    parts = [
        detail_title(paper, spans.get("title", NO_SPANS), styles.match).stylize_before(
            styles.title
        ),
    ]
    if annotation:
        parts.append(detail_library(annotation).stylize_before(styles.library))
    parts.append(detail_meta(paper).stylize_before(styles.facts))
    if paper.urls:
        parts.append(detail_links(paper, styles.link))
    if paper.abstract:
        parts.append(
            detail_abstract(paper, spans.get("abstract", NO_SPANS), styles.match, styles.link)
        )
    parts.append(detail_sources(paper).stylize_before(styles.facts))
    return Content("\n\n").join(parts)


def detail_library(annotation: Annotation) -> Content:
    """What the user added to the paper: bookmark and read date, tags, lists, then the note."""
    first = ["★ bookmarked"] if annotation.bookmarked else []
    first.append(f"read {annotation.read_at[:10]}" if annotation.read_at else "unread")
    lines = [plain(" · ".join(first))]
    if annotation.tags:
        lines.append(plain("tags: " + " ".join(annotation.tags)))
    if annotation.lists:
        lines.append(plain("lists: " + ", ".join(annotation.lists)))
    if annotation.note.strip():
        lines += [Content("note:"), Content(sanitize(annotation.note, keep_newlines=True))]
    return Content("\n").join(lines)


def detail_title(paper: Paper, spans: Spans, match: Style) -> Content:
    """The title with the query's matches highlighted."""
    return highlighted(paper.title, spans, match)


def detail_meta(paper: Paper) -> Content:
    """Date, upvotes and author count on one line, the id on the next."""
    if paper.date is None:
        date = "date not given"
    elif paper.date.year is None:
        date = f"{paper.date} (year not given)"
    else:
        date = str(paper.date)
    upvotes = "upvotes not given" if paper.upvotes is None else _count(paper.upvotes, "upvote")
    authors = "authors not given" if paper.authors is None else _count(paper.authors, "author")
    more: list[str | Content] = []  # names and categories come from structured inputs
    if paper.author_names:
        names = ", ".join(paper.author_names[:MAX_NAMES])
        if len(paper.author_names) > MAX_NAMES:
            names += f" and {len(paper.author_names) - MAX_NAMES:,} more"
        more += ["\n", plain(names)]
    if paper.categories:
        more += ["\n", plain(" ".join(paper.categories))]
    return Content.assemble(
        date, " · ", upvotes, " · ", authors, *more, "\n", "id ", plain(paper.id)
    )


MAX_NAMES = 12
"""Author names shown in the detail pane; a collaboration's thousands are summed up."""


def _count(number: int, noun: str) -> str:
    return f"{number:,} {noun}" if number == 1 else f"{number:,} {noun}s"


def detail_sources(paper: Paper) -> Content:
    """Where the paper was read: ``file:line`` for each copy, one a line (the first
    :data:`MAX_SOURCES`, then how many more)."""
    names = [plain(str(source)) for source in paper.sources[:MAX_SOURCES]]
    if len(paper.sources) == 1:
        return Content.assemble("Source: ", names[0])
    more = len(paper.sources) - len(names)
    if more:
        names.append(Content(f"and {more:,} more"))
    return Content.assemble("Sources:\n", Content("\n").join(names))


MAX_SOURCES = 5
"""Sources listed in the detail pane: a paper merged from many listings keeps its abstract
in view."""


def link_style(url: str, style: Style) -> Style:
    """``style`` made clickable: a click runs the screen's ``open_link`` action with ``url``.

    The URL travels as an action argument in the style's meta data, never through an action
    string, so no text from the corpus is ever parsed.
    """
    return style + Style.from_meta({"@click": ("screen.open_link", (url,))})


def detail_links(paper: Paper, style: Style) -> Content:
    """The paper's links, one per line, each clickable."""
    lines = [Content.styled(sanitize(url), link_style(url, style)) for url in paper.urls]
    return Content("\n").join(lines)


def detail_abstract(paper: Paper, spans: Spans, match: Style, link: Style) -> Content:
    """The abstract exactly as read, matches highlighted and links clickable."""
    text = paper.abstract
    clean = sanitize(text, keep_newlines=True)
    if clean != text:
        return Content(clean)
    marks: list[Span] = []
    for url in paper.urls:
        start = text.find(url)
        while start != -1:
            marks.append(Span(start, start + len(url), link_style(url, link)))
            start = text.find(url, start + len(url))
    size = len(text)
    marks += [Span(max(0, s), min(size, e), match) for s, e in spans if s < e and s < size]
    return Content(text, marks)


# --- other surfaces --------------------------------------------------------------------


def problem_line(problem: Problem) -> Content:
    """One problem: ``file:line: severity: reason``."""
    return plain(str(problem))


def sentence(text: str) -> str:
    """``text`` with a capital first letter, unless its first word is a file name or a code
    (``library.sqlite3 was damaged``, ``/tmp/x.md: ...``): those are shown exactly."""
    first = text.split(" ", 1)[0]
    if not first[:1].isalpha() or any(char in first for char in "./\\_0123456789"):
        return text
    return text[:1].upper() + text[1:]


def notice(*parts: str) -> str:
    """Text for a notification (shown with ``markup=False``), sanitised and on one line."""
    return sanitize(" ".join(parts))


def clipboard_text(paper: Paper) -> str:
    """What ``y`` copies: the title, and the link on the next line when there is one."""
    title = sanitize(paper.title)
    return f"{title}\n{paper.link}" if paper.link else title


def open_target(paper: Paper) -> str:
    """What ``o`` opens: the paper's link, or a web search for its title."""
    from urllib.parse import quote_plus  # only needed when a paper is opened

    return paper.link or SEARCH_URL + quote_plus(sanitize(paper.title))


def palette_title(title: str, spans: Spans, match: Style) -> Content:
    """A paper title as a command-palette hit, the matches highlighted."""
    return highlighted(title, spans, match)
