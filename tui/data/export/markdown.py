"""Markdown reading lists: escaping corpus text so it renders to exactly its words, and the writer.

Every ASCII punctuation character of corpus text (titles, tags, notes, abstracts, the list
name) is backslash-escaped (CommonMark 0.31.2 §2.4) and runs of whitespace are collapsed, so
the text can never start emphasis, a link, a heading, a list, a table, a code span or HTML.
The structure the writer adds (``- [x]``, ``**``, ``Tags:``, ``Note:``, ``>``) uses
*unescaped* punctuation, which corpus text can therefore never imitate: this is what lets
:mod:`.markdown_reader` read an edited file back unambiguously.

Layout of one paper (the abstract only on request)::

    - [x] **Title**\\
      Nov 22, 2024 · 3 upvotes · 23 authors · [link](<https://…>) · id 2e7309db092d80df\\
      Tags: llm rlhf\\
      Note: first line of the note\\
      second line

      > First paragraph of the abstract
"""

from __future__ import annotations

import re
import string
from collections.abc import Iterator
from urllib.parse import quote, urlsplit

from ..text import sanitize
from .records import ExportDocument, ExportRecord

_ESCAPES = str.maketrans({char: "\\" + char for char in string.punctuation})
_PARAGRAPH_BREAK = re.compile(r"\n[ \t\f\v\r]*\n")
#: What is percent-encoded in a link destination: controls, space, non-ASCII and these.
_URL_UNSAFE = re.compile(r'[^!-~]|[<>\\()"`{}|^]')
SAFE_SCHEMES = ("http", "https")
#: Where a paper without a URL of its own is looked up (the title, quoted, is appended).
WEB_SEARCH = "https://duckduckgo.com/?q="
_SEPARATOR = " · "
_BREAK = "\\"  # a backslash at the end of a line: a hard line break


def md_inline(text: str) -> str:
    """``text`` on one line with every ASCII punctuation character backslash-escaped.

    Control characters are removed and whitespace runs (newlines included) become one space,
    so the result renders (CommonMark) to exactly ``" ".join(text.split())``.
    """
    return " ".join(sanitize(text).split()).translate(_ESCAPES)


def paragraphs(text: str) -> list[str]:
    """The paragraphs of ``text`` (split on blank lines), each collapsed to one line."""
    found = (
        " ".join(part.split())
        for part in _PARAGRAPH_BREAK.split(sanitize(text, keep_newlines=True))
    )
    return [part for part in found if part]


def note_lines(text: str) -> list[str]:
    """A note as the writer lays it out: its lines with whitespace collapsed, blank lines
    (at most one in a row, never first or last) marking paragraphs."""
    lines: list[str] = []
    for raw in sanitize(text.replace("\r\n", "\n"), keep_newlines=True).split("\n"):
        line = " ".join(raw.split())
        if line or (lines and lines[-1]):
            lines.append(line)
    while lines and not lines[-1]:
        lines.pop()
    return lines


def safe_url(url: str) -> str | None:
    """``url`` fit for a Markdown link destination, or None when it is not http(s).

    Spaces, angle brackets, parentheses, backslashes, quotes, controls and non-ASCII
    characters are percent-encoded (UTF-8); ``javascript:``, ``file:``, ``data:`` and
    anything else without an http(s) scheme and a host is refused.
    """
    url = url.strip()
    try:
        parts = urlsplit(url)
    except ValueError:
        return None
    if parts.scheme.lower() not in SAFE_SCHEMES or not parts.netloc:
        return None
    return _URL_UNSAFE.sub(_percent_encoded, url)


def _percent_encoded(match: re.Match[str]) -> str:
    return quote(match.group(0), safe="", errors="replace")


def search_url(title: str) -> str:
    """A web search for the exact title."""
    phrase = '"' + " ".join(sanitize(title).split()) + '"'
    return WEB_SEARCH + quote(phrase, safe="")


def md_link(text: str, url: str) -> str | None:
    """``[text](<url>)`` with the text escaped, or None when the URL is not http(s)."""
    destination = safe_url(url)
    if destination is None:
        return None
    return f"[{md_inline(text)}](<{destination}>)"


def count(number: int, noun: str) -> str:
    """``1 upvote``, ``3 upvotes``."""
    return f"{number} {noun}" if number == 1 else f"{number} {noun}s"


def write_markdown(document: ExportDocument, *, abstracts: bool = False) -> Iterator[str]:
    """The document as a Markdown reading list: the header, then one chunk per paper."""
    generated = document.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    records = document.records
    read = sum(1 for record in records if record.read)
    heading = document.heading
    if document.name:  # "Reading list: NAME": the name is corpus-like text
        label, _, _ = heading.partition(": ")
        heading = f"{label}: {md_inline(document.name)}"
    summary = f"{count(len(records), 'paper')}, {read} read" if records else "no papers"
    yield f"# {heading}\n\nExported from paperview on {generated}: {summary}.\n"
    if not records:
        yield "\nNo papers.\n"
    for record in records:
        yield "\n" + "\n".join(paper_lines(record, abstracts=abstracts)) + "\n"


def paper_lines(record: ExportRecord, *, abstracts: bool = False) -> list[str]:
    """One paper as the lines of a task-list item (see the module docstring)."""
    box = "[x]" if record.read else "[ ]"
    title = md_inline(record.title) or "(untitled)"
    header = [f"- {box} **{title}**", "  " + _SEPARATOR.join(_facts(record))]
    if record.annotation.tags:
        header.append("  Tags: " + " ".join(md_inline(tag) for tag in record.annotation.tags))
    note = note_lines(record.annotation.note)
    body: list[str] = []
    if note:
        header.append("  Note: " + md_inline(note[0]))
        for line in note[1:]:
            if line:
                (body if body else header).append("  " + md_inline(line))
            else:
                body.append("")  # a new paragraph of the note
    lines = [line + _BREAK for line in header[:-1]] + header[-1:]
    lines += _join_paragraph_lines(body)
    if abstracts and record.paper is not None:
        quoted = [f"  > {md_inline(part)}" for part in paragraphs(record.paper.abstract)]
        if quoted:
            lines.append("")
            lines += _interleave(quoted, "  >")
    return lines


def _facts(record: ExportRecord) -> list[str]:
    paper = record.paper
    facts: list[str] = []
    if paper is None:
        facts.append("not in the corpus")
    else:
        if paper.date is not None:
            facts.append(str(paper.date))
        if paper.upvotes is not None:
            facts.append(count(paper.upvotes, "upvote"))
        if paper.authors is not None:
            facts.append(count(paper.authors, "author"))
    link = md_link("link", paper.link) if paper is not None and paper.link else None
    if link is None and record.title:
        link = md_link("web search", search_url(record.title))
    if link is not None:
        facts.append(link)
    facts.append(f"id {md_inline(record.id)}")
    return facts


def _join_paragraph_lines(body: list[str]) -> list[str]:
    """Note paragraphs after the first: a blank line before each, hard breaks inside."""
    lines: list[str] = []
    for index, line in enumerate(body):
        following = body[index + 1] if index + 1 < len(body) else ""
        if not line:
            lines.append("")
        else:
            lines.append(line + _BREAK if following else line)
    return lines


def _interleave(items: list[str], separator: str) -> list[str]:
    lines: list[str] = []
    for item in items:
        if lines:
            lines.append(separator)
        lines.append(item)
    return lines
