"""Markdown export: every title, tag and note renders (CommonMark) to exactly its words, and
links are safe. Section C rows 43-45 of the reliability notes are pinned as examples."""

from __future__ import annotations

import string
from dataclasses import dataclass, field
from datetime import datetime, timezone

import pytest
from hypothesis import example, given
from hypothesis import strategies as st
from markdown_it import MarkdownIt
from markdown_it.token import Token

from tui.data.export import ExportDocument, ExportRecord, Scope, render
from tui.data.export.formats import Format
from tui.data.export.markdown import md_inline, note_lines, safe_url, search_url
from tui.data.library import Annotation
from tui.data.models import Paper, PaperDate, SourceRef
from tui.data.text import paper_id, sanitize

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
MD = MarkdownIt("commonmark")

TRICKY_TITLES = [
    "*Attention* Is All You Need",
    "__init__ considered harmful",
    "a|b|c and [RFC] a|b",
    "`code` in ``titles``",
    "# H",
    "1. x",
    "- dash",
    "> q",
    "<script>alert(1)</script>",
    "A & B &amp; C &#x41;",
    "[x](y)",
    "![img](x) and <https://x.y>",
    "Paths in C:\\",
    "===",
    "~~~ fenced",
    "    four leading spaces",
    "a title\nwith a newline\n\n# and a heading",
    "Tab\tand\rCR",
    "**bold** _em_ ~~strike~~",
    "$name {0} %s",
    "TÜLU 3 👩‍💻 中文 combining e\u0301",
    "ends with an escape \\*",
    "\\",
]


def make_paper(
    title: str,
    *,
    abstract: str = "An abstract.",
    urls: tuple[str, ...] = (),
    date: PaperDate | None = None,
    upvotes: int | None = 3,
    authors: int | None = 5,
) -> Paper:
    return Paper(
        id=paper_id(title) if paper_id(title) else "0" * 16,
        title=title,
        abstract=abstract,
        authors=authors,
        date=date or PaperDate(year=2024, month=7, day=3),
        upvotes=upvotes,
        sources=(SourceRef(file="t.txt", line=1),),
        urls=urls,
    )


def record(
    paper: Paper, *, read: bool = False, tags: tuple[str, ...] = (), note: str = ""
) -> ExportRecord:
    annotation = Annotation(
        id=paper.id,
        title=paper.title,
        read_at="2026-01-01T00:00:00.000Z" if read else None,
        tags=tags,
        note=note,
    )
    return ExportRecord(paper.id, paper.title, paper, annotation)


def markdown(*records: ExportRecord, abstracts: bool = False, name: str | None = None) -> str:
    scope = Scope.LIST if name is not None else Scope.BOOKMARKS
    document = ExportDocument(scope, records, NOW, name)
    return render(document, Format.MARKDOWN, abstracts=abstracts)


# --- reading the rendered document -----------------------------------------------------------


@dataclass
class Item:
    """One rendered list item: its paragraphs' plain text and every inline token type."""

    texts: list[str] = field(default_factory=list)
    kinds: list[str] = field(default_factory=list)
    title: str = ""
    box: str = ""
    hrefs: list[str] = field(default_factory=list)
    blocks: list[str] = field(default_factory=list)


def plain(children: list[Token]) -> str:
    parts = []
    for child in children:
        if child.type == "text":
            parts.append(child.content)
        elif child.type in ("softbreak", "hardbreak"):
            parts.append("\n")
    return "".join(parts)


def items(source: str) -> list[Item]:
    tokens = MD.parse(source)
    found: list[Item] = []
    depth = 0
    for token in tokens:
        if token.type == "list_item_open":
            depth += 1
            if depth == 1:
                found.append(Item())
            continue
        if token.type == "list_item_close":
            depth -= 1
            continue
        if not depth:
            continue
        item = found[-1]
        item.blocks.append(token.type)
        if token.type != "inline":
            continue
        children = token.children or []
        item.kinds += [child.type for child in children]
        item.hrefs += [str(c.attrs.get("href")) for c in children if c.type == "link_open"]
        item.texts.append(plain(children))
        if len(item.texts) == 1:
            kinds = [child.type for child in children]
            start, end = kinds.index("strong_open"), kinds.index("strong_close")
            item.box = plain(children[:start])
            item.title = plain(children[start + 1 : end])
    return found


def expected(text: str) -> str:
    return " ".join(sanitize(text).split())


ALLOWED_INLINE = {"text", "softbreak", "hardbreak", "strong_open", "strong_close"}
ALLOWED_INLINE |= {"link_open", "link_close"}


def check_title_renders(title: str) -> None:
    source = markdown(record(make_paper(title)))
    (item,) = items(source)
    assert item.title == expected(title)
    assert item.box == "[ ] "
    assert set(item.kinds) <= ALLOWED_INLINE
    assert item.kinds.count("strong_open") == 1 and item.kinds.count("link_open") == 1
    assert set(item.blocks) <= {"paragraph_open", "paragraph_close", "inline"}
    html = MD.render(source)
    assert html.count("<h1>") == 1 and "<em>" not in html and "<code>" not in html
    assert "<script" not in html and "<pre>" not in html


@pytest.mark.parametrize("title", TRICKY_TITLES)
def test_tricky_titles_render_to_exactly_their_words(title: str) -> None:
    check_title_renders(title)


TITLE_TEXT = st.text(
    alphabet=st.one_of(
        st.sampled_from(string.punctuation + " \t\n\r\\"),
        st.characters(blacklist_categories=["Cs"]),
    ),
    min_size=1,
    max_size=60,
).filter(lambda text: bool(expected(text)))


@given(TITLE_TEXT)
@example("*Attention*")
@example("__init__")
@example("a|b")
@example("`x`")
@example("# H")
@example("1. x")
@example("> q")
@example("<script>")
@example("&amp;")
@example("[x](y)")
@example("ends in \\")
@example("line\n    four spaces")
def test_any_title_renders_to_its_normalised_text(title: str) -> None:
    check_title_renders(title)


@given(st.text(max_size=80))
@example("\\")
@example("*a* `b` <c> [d](e)")
def test_md_inline_escapes_every_ascii_punctuation_character(text: str) -> None:
    escaped = md_inline(text)
    assert "\n" not in escaped
    unescaped = iter(escaped)
    for char in unescaped:  # every punctuation character comes right after a backslash
        if char in string.punctuation:
            assert char == "\\" and next(unescaped) in string.punctuation


def test_checkboxes_follow_read_status_and_the_heading_names_list_and_date() -> None:
    read, unread = make_paper("Read one"), make_paper("Unread one")
    source = markdown(record(read, read=True), record(unread), name="My *list* #1")
    first, second = items(source)
    assert (first.box, second.box) == ("[x] ", "[ ] ")
    tokens = MD.parse(source)
    assert tokens[0].type == "heading_open" and tokens[1].content
    assert plain(tokens[1].children or []) == "Reading list: My *list* #1"
    assert "Exported from paperview on 2026-01-02 03:04 UTC: 2 papers, 1 read." in source
    assert source.startswith("# Reading list: My \\*list\\* \\#1\n")


def test_facts_line_has_date_upvotes_authors_link_and_id() -> None:
    paper = make_paper("Facts", urls=("https://example.org/paper",), upvotes=1, authors=1)
    (item,) = items(markdown(record(paper)))
    facts = item.texts[0].split("\n")[1]
    assert facts == f"Jul 3, 2024 · 1 upvote · 1 author · link · id {paper.id}"
    assert item.hrefs == ["https://example.org/paper"]


def test_unknown_metadata_is_left_out_and_missing_urls_become_a_web_search() -> None:
    paper = make_paper("No metadata here", upvotes=None, authors=None)
    paper = paper.model_copy(update={"date": None})
    (item,) = items(markdown(record(paper)))
    assert item.texts[0].split("\n")[1] == f"web search · id {paper.id}"
    assert item.hrefs == ["https://duckduckgo.com/?q=%22No%20metadata%20here%22"]


@pytest.mark.parametrize(
    ("url", "href"),
    [
        ("https://x.org/a b", "https://x.org/a%20b"),
        ("https://x.org/f(1)<2>", "https://x.org/f%281%29%3C2%3E"),
        ("https://x.org/back\\slash", "https://x.org/back%5Cslash"),
        ("http://x.org/é", "http://x.org/%C3%A9"),
    ],
)
def test_urls_with_spaces_and_brackets_are_percent_encoded(url: str, href: str) -> None:
    assert safe_url(url) == href
    (item,) = items(markdown(record(make_paper("Link", urls=(url,)))))
    assert item.hrefs == [href]


@pytest.mark.parametrize(
    "url",
    [
        "javascript:alert(1)",
        "JavaScript:alert(1)",
        "file:///etc/passwd",
        "data:text/html,x",
        "https://",
        "ftp://x.org/",
        "//x.org/a",
    ],
)
def test_unsafe_links_are_never_emitted(url: str) -> None:
    assert safe_url(url) is None
    source = markdown(record(make_paper("Unsafe", urls=(url,))))
    (item,) = items(source)
    assert item.hrefs == [search_url("Unsafe")]  # falls back to the web search
    assert "javascript" not in source.lower() and "file:" not in source and "data:" not in source


def test_tags_and_multi_paragraph_notes_render_exactly() -> None:
    note = "First *line* of [the] note\nsecond line: `x`\n\n\n  # third para <b>\n"
    paper = make_paper("Annotated")
    source = markdown(record(paper, tags=("llm", "c++", "a_b*"), note=note))
    (item,) = items(source)
    assert set(item.kinds) <= ALLOWED_INLINE
    lines = item.texts[0].split("\n")
    assert lines[2:] == [
        "Tags: llm c++ a_b*",
        "Note: First *line* of [the] note",
        "second line: `x`",
    ]
    assert item.texts[1:] == ["# third para <b>"]
    assert note_lines(note) == [
        "First *line* of [the] note",
        "second line: `x`",
        "",
        "# third para <b>",
    ]


def test_abstracts_are_optional_quoted_paragraphs_never_code_blocks() -> None:
    abstract = "    Indented first paragraph with *stars*.\n\n# Second\n\n\n1. third"
    paper = make_paper("With abstract", abstract=abstract)
    assert "Indented" not in markdown(record(paper))
    source = markdown(record(paper), abstracts=True)
    (item,) = items(source)
    assert item.texts[1:] == ["Indented first paragraph with *stars*.", "# Second", "1. third"]
    assert "code_block" not in item.blocks and "heading_open" not in item.blocks
    assert item.blocks.count("blockquote_open") == 1


def test_control_sequences_never_reach_the_file() -> None:
    title = "Evil \x1b]0;PWNED\x07title \x1b[31mred\x1b[0m \u202eabc"
    source = markdown(record(make_paper(title), note="\x1b[2Jnote\x07"))
    assert "\x1b" not in source and "\x07" not in source and "\u202e" not in source
    (item,) = items(source)
    assert item.title == "Evil title red abc"


def test_empty_export_is_a_valid_document_saying_so() -> None:
    source = markdown()
    assert "no papers" in source and "No papers." in source
    assert items(source) == []


def test_a_paper_missing_from_the_corpus_is_exported_by_id_and_title() -> None:
    annotation = Annotation(id="0123456789abcdef", title="Gone *paper*", bookmarked_at="x")
    gone = ExportRecord("0123456789abcdef", "Gone *paper*", None, annotation)
    (item,) = items(markdown(gone, abstracts=True))
    assert item.title == "Gone *paper*"
    assert item.texts == ["[ ] Gone *paper*\nnot in the corpus · web search · id 0123456789abcdef"]


def test_huge_titles_and_abstracts_are_exported_whole() -> None:
    title = "Long *title* " * 400  # 5,200 characters
    abstract = "A sentence with [brackets] and (parens). " * 6_000  # about 250 KB
    source = markdown(record(make_paper(title, abstract=abstract)), abstracts=True)
    (item,) = items(source)
    assert item.title == expected(title)
    assert item.texts[1] == expected(abstract)
