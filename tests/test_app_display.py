"""tui.display: corpus text becomes Content literally, highlighted where the search says."""

from __future__ import annotations

from pathlib import Path

import pytest
from app_support import PAPERS, make_app, settle, titles_listed, write_corpus
from rich.cells import cell_len
from rich.style import Style as RichStyle
from textual._compositor import LayoutUpdate
from textual.app import App
from textual.color import Color
from textual.content import Content
from textual.geometry import Region
from textual.style import Style

from tui import display
from tui.data.models import Paper, PaperDate, SourceRef
from tui.display import RowMark, RowStyles
from tui.widgets.search_bar import SearchBar

MATCH = Style(bold=True)
STYLES = RowStyles(match=MATCH, meta=Style(dim=True), mark=Style(italic=True), emphasis=Style())

NASTY = [
    "Fixing [/] in ViT",
    "[bold]x[/blue]",
    "[@click=app.quit]quit[/]",
    "objective [von Oswald et al., 2022]. However",
    "ends in a backslash \\",
    "$variable and [/",
]


def paper(title: str = "A Title", abstract: str = "An abstract.", **fields: object) -> Paper:
    values: dict[str, object] = {
        "id": "0123456789abcdef",
        "title": title,
        "abstract": abstract,
        "authors": 3,
        "date": PaperDate(year=2024, month=7, day=3),
        "upvotes": 12,
        "sources": (SourceRef(file="a.txt", line=1),),
        "urls": (),
    }
    values.update(fields)
    # model_construct: build papers the loader would never produce (raw escape bytes)
    return Paper.model_construct(**values)  # type: ignore[arg-type]


@pytest.mark.parametrize("text", NASTY)
def test_markup_like_text_is_kept_literally(text: str) -> None:
    assert display.plain(text).plain == text
    assert display.highlighted(text, [(0, 3)], MATCH).plain == text
    row = display.list_row(paper(text), 200, styles=STYLES)
    assert text in row.plain
    assert display.detail_title(paper(text), (), MATCH).plain == text
    assert display.detail_abstract(paper(abstract=text), (), MATCH, MATCH).plain == text


def test_escape_sequences_never_survive() -> None:
    payload = "A\x1b]0;PWNED\x07 \x1b[31mred\x1b[0m \x1b[2J title\x9b1m"
    for content in (
        display.plain(payload),
        display.list_row(paper(payload), 120, styles=STYLES),
        display.detail_title(paper(payload), [(0, 1)], MATCH),
        display.detail_abstract(paper(abstract=payload), [(0, 1)], MATCH, MATCH),
    ):
        assert "\x1b" not in content.plain and "\x9b" not in content.plain
        assert "red" in content.plain and "PWNED" not in content.plain
    assert "\x1b" not in display.notice("Copied:", payload)
    assert "\x1b" not in display.clipboard_text(paper(payload))


def test_spans_highlight_exactly_the_matched_characters() -> None:
    content = display.highlighted("graph neural networks", [(0, 5), (6, 12)], MATCH)
    marked = [content.plain[span.start : span.end] for span in content.spans]
    assert marked == ["graph", "neural"]


def test_spans_out_of_range_are_clipped_not_fatal() -> None:
    content = display.highlighted("short", [(3, 99), (50, 60)], MATCH)
    assert [(s.start, s.end) for s in content.spans] == [(3, 5)]


@pytest.mark.parametrize("width", [20, 40, 60, 80, 120])
def test_list_row_is_exactly_the_width_and_keeps_the_title_start(width: int) -> None:
    row = display.list_row(
        paper("Graph Neural Networks for Protein Folding " * 3), width, styles=STYLES
    )
    assert row.cell_length == width
    assert row.plain.startswith("  Graph Neural")


def test_list_row_shows_date_votes_and_authors_when_wide() -> None:
    row = display.list_row(paper(), 80, styles=STYLES).plain
    assert "Jul 3, 2024" in row and "12↑" in row and "3👤" in row


def test_list_row_drops_metadata_before_the_title_when_narrow() -> None:
    row = display.list_row(paper("Tiny"), 24, styles=STYLES).plain
    assert "Tiny" in row and "👤" not in row


def test_list_row_unknown_values_are_blank() -> None:
    row = display.list_row(paper(date=None, upvotes=None, authors=None), 80, styles=STYLES)
    assert row.plain.strip() == "A Title"


def test_list_row_mark_and_emphasis() -> None:
    row = display.list_row(paper(), 80, mark=RowMark("★", emphasis=True), styles=STYLES)
    assert row.plain.startswith("★ A Title")
    assert any(span.style == STYLES.mark for span in row.spans)


def test_detail_meta_says_what_is_not_given() -> None:
    unknown = display.detail_meta(paper(date=None, upvotes=None, authors=None)).plain
    assert "date not given" in unknown and "upvotes not given" in unknown
    no_year = display.detail_meta(paper(date=PaperDate(year=None, month=11, day=11))).plain
    assert "Nov 11 (year not given)" in no_year
    assert "1 author ·" not in display.detail_meta(paper(authors=3)).plain
    assert "1 author" in display.detail_meta(paper(authors=1)).plain


def test_detail_sources_one_on_the_label_line_several_one_a_line() -> None:
    one = display.detail_sources(paper()).plain
    assert one == "Source: a.txt:1"
    copies = (SourceRef(file="a [b].txt", line=3), SourceRef(file="c.txt", line=9))
    assert display.detail_sources(paper(sources=copies)).plain == "Sources:\na [b].txt:3\nc.txt:9"
    many = tuple(SourceRef(file="d.txt", line=n) for n in range(1, 26))
    shown = display.detail_sources(paper(sources=many)).plain.split("\n")
    assert shown == ["Sources:", *(f"d.txt:{n}" for n in range(1, 6)), "and 20 more"]


def test_detail_pane_reads_title_facts_abstract_then_sources() -> None:
    styles = display.DetailStyles(title=Style(), facts=Style(), match=MATCH, link=Style())
    shown = display.detail(paper(abstract="What the paper does."), {}, styles).plain
    title, facts = shown.index("A Title"), shown.index("upvote")
    abstract, sources = shown.index("What the paper does."), shown.index("Source: a.txt:1")
    assert title < facts < abstract < sources  # on a small terminal the abstract shows first


def test_links_are_clickable_through_action_arguments_not_markup() -> None:
    url = "https://example.org/a?b=c&d='x'"
    content = display.detail_abstract(
        paper(abstract=f"See {url} now.", urls=(url,)), (), MATCH, Style(underline=True)
    )
    [span] = content.spans
    assert content.plain[span.start : span.end] == url
    assert isinstance(span.style, Style)
    assert span.style.meta["@click"] == ("screen.open_link", (url,))


def test_open_target_is_the_link_or_a_web_search_for_the_title() -> None:
    assert display.open_target(paper(urls=("https://x.org/p",))) == "https://x.org/p"
    target = display.open_target(paper("Fixing [/] in ViT & more"))
    assert target == display.SEARCH_URL + "Fixing+%5B%2F%5D+in+ViT+%26+more"


def test_clipboard_text_is_title_then_link() -> None:
    assert display.clipboard_text(paper(urls=("https://x.org/p",))) == "A Title\nhttps://x.org/p"
    assert display.clipboard_text(paper()) == "A Title"


def test_list_placeholder_is_plain_lines() -> None:
    content = display.list_placeholder(["No papers match “[/]”.", "second"])
    assert isinstance(content, Content)
    assert content.plain == "No papers match “[/]”.\nsecond"


@pytest.mark.parametrize("width", [0, 1, 2, 3, 5])
def test_tiny_rows_are_still_exactly_the_width(width: int) -> None:
    assert display.list_row(paper(), width, styles=STYLES).cell_length == width


def test_wide_characters_are_cut_by_cells_not_characters() -> None:
    row = display.list_row(
        paper("数据集分析" * 10, date=None, upvotes=None, authors=None), 21, styles=STYLES
    )
    assert row.cell_length == 21
    assert row.plain.endswith("…") or row.plain.endswith("… ")


def test_list_row_highlights_only_the_visible_part_of_a_cut_title() -> None:
    title = "Graph Neural Networks for Protein Folding"
    row = display.list_row(paper(title), 30, spans=[(0, 5), (35, 41)], styles=STYLES)
    matched = [row.plain[s.start : s.end] for s in row.spans if s.style == MATCH]
    assert matched == ["Graph"]


# --- every theme, light and dark --------------------------------------------------------

Cells = list[tuple[str, RichStyle]]


def drawn_lines(app: App[None], region: Region) -> list[Cells]:
    """The characters the screen draws in ``region`` (screen coordinates), with their styles."""
    update = app.screen._compositor.render_update(full=True)
    assert isinstance(update, LayoutUpdate)
    lines = []
    for y in region.line_range:
        cells: Cells = []
        x = 0
        for strip in update.strips[y]:
            for segment in strip:
                for character in segment.text:
                    if region.x <= x < region.right and segment.style is not None:
                        cells.append((character, segment.style))
                    x += cell_len(character)
        lines.append(cells)
    return lines


def styles_of(lines: list[Cells], text: str) -> list[RichStyle]:
    """The styles of the characters of ``text`` (but spaces) where ``lines`` first show it."""
    for cells in lines:
        start = "".join(character for character, _ in cells).find(text)
        if start >= 0:
            shown = cells[start : start + len(text)]
            return [style for character, style in shown if character != " "]
    raise AssertionError(f"{text!r} is not drawn")


def contrast(style: RichStyle) -> float | None:
    """The WCAG contrast ratio of a cell's text to its background (None with ANSI colours:
    the terminal chooses those)."""
    assert style.color is not None and style.bgcolor is not None
    colors = [Color.from_rich_color(style.color), Color.from_rich_color(style.bgcolor)]
    if any(color.ansi is not None for color in colors):
        return None

    def luminance(color: Color) -> float:
        r, g, b = (
            c / 255 / 12.92 if c <= 10 else ((c / 255 + 0.055) / 1.055) ** 2.4 for c in color.rgb
        )
        return 0.2126 * r + 0.7152 * g + 0.0722 * b

    light, dark = sorted(map(luminance, colors), reverse=True)
    return (light + 0.05) / (dark + 0.05)


async def test_every_theme_draws_titles_and_metadata_readably(tmp_path: Path) -> None:
    """Light themes drew the list's dates and the paper's title near-white on near-white."""
    app = make_app(write_corpus(tmp_path))
    dates = {item.title: item.date for item in PAPERS}
    async with app.run_test(size=(120, 30)) as pilot:
        screen = await settle(pilot)
        shown = [(title.split()[0], dates[title]) for title in titles_listed(screen)]
        selected = screen.detail.paper
        assert selected is not None and screen.paper_list.cursor_row == 0
        for theme in sorted(app.available_themes):
            for focused in (screen.query_one(SearchBar), screen.paper_list):
                app.theme = theme
                focused.focus()
                await pilot.pause()
                where = f"{theme}, {type(focused).__name__} focused"
                rows = drawn_lines(app, screen.paper_list.content_region)
                detail = drawn_lines(app, screen.detail.content_region)
                texts = [
                    *(
                        styles_of([row], word) + styles_of([row], date)
                        for row, (word, date) in zip(rows[1 : len(shown)], shown[1:], strict=True)
                    ),
                    styles_of(detail[:1], selected.title[:20]),
                    styles_of(detail, "upvotes"),
                    styles_of(detail, "https://"),  # (the selected paper has a link)
                ]
                for styles in texts:
                    ratios = [r for r in map(contrast, styles) if r is not None]
                    assert all(r >= 3 for r in ratios), (where, min(ratios))
                # the cursor row is drawn in the theme's cursor colour, dates and all
                word, date = shown[0]
                colors = {style.color for style in styles_of(rows[:1], word + " ")}
                assert {style.color for style in styles_of(rows[:1], date)} == colors, where


async def test_a_notification_leaves_the_status_line_visible(tmp_path: Path) -> None:
    from textual.widgets._toast import Toast

    from tui.widgets.status_bar import StatusBar

    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        screen = await settle(pilot)
        app.notify("A notice that would cover the count")
        await pilot.pause(0.3)
        toast = app.screen.query(Toast).first().region
        assert not toast.overlaps(screen.query_one(StatusBar).region)
