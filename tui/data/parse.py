"""Parsing the two layouts of Hugging Face "Daily Papers" captures into entries.

The layout of a file is recognised from its content, never its name:

``page``
    A page capture: blank-line separated title and abstract lines, each paper closed by a
    metadata block (``  • N authors`` / ``·`` / ``Jul 3, 2024 3``). Page chrome (``new``,
    ``Subscribe``, ``Daily Papers``, the page date, ...) is skipped wherever it appears, so
    concatenated captures parse too. An entry with no metadata block (a truncated capture)
    is kept without metadata and reported as a warning.
``pairs``
    Strictly alternating title and abstract lines with no metadata, the first title glued
    to ``Subscribe``. That prefix is removed in this layout only.

A parser never raises on content: whatever it cannot read becomes a
:class:`~tui.data.models.Problem` with the file and line, and parsing carries on.
"""

from __future__ import annotations

import re
from dataclasses import dataclass
from itertools import pairwise

from pydantic import ValidationError

from .models import MONTHS, PaperDate, Problem, Severity
from .text import clean_field

CHROME = frozenset(
    {
        "new",
        "Get trending papers in your email inbox!",
        "Get trending papers in your email inbox once a day!",
        "Subscribe",
        "Daily Papers",
        "byAK and the research community",
    }
)
"""Lines of Hugging Face page furniture that are never part of a paper."""

SUBSCRIBE = "Subscribe"
MAX_TITLE = 500
"""A title longer than this in the ``pairs`` layout means the file is out of step."""

_AUTHORS = re.compile(r"•\s*(\d{1,3}(?:,\d{3})*|\d+)\s+authors?")
_AUTHORS_LOOSE = re.compile(r"(?:[^\w\s]\s*)?\d[\d,]*\s+authors?", re.IGNORECASE)
_SEPARATOR = "·"
_PROSE_WORDS = 8
_MONTH = "|".join(MONTHS)
_DATE_LINE = re.compile(rf"({_MONTH})\s+(\d{{1,2}})(?:,\s*(\d{{4}}))?(?:\s+(.*))?")
_DATE_ONLY = re.compile(rf"(?:{_MONTH})\s+\d{{1,2}}(?:,\s*\d{{4}})?")
_UPVOTES = re.compile(r"\d{1,3}(?:,\d{3})*|\d+")


@dataclass(frozen=True)
class Entry:
    """One paper as read from one place in one file, before duplicates are merged."""

    title: str
    abstract: str
    line: int
    authors: int | None = None
    date: PaperDate | None = None
    upvotes: int | None = None


@dataclass
class ParseResult:
    """The entries of one file, the layout recognised, and the problems met."""

    layout: str | None
    entries: list[Entry]
    problems: list[Problem]


@dataclass(frozen=True)
class _Meta:
    authors: int | None
    date: PaperDate | None
    upvotes: int


def detect_layout(lines: list[str]) -> str | None:
    """``"page"``, ``"pairs"``, or ``None`` when the lines hold no content at all."""
    content = [(n, line.strip()) for n, line in enumerate(lines) if line.strip()]
    content = [(n, t) for n, t in content if t not in CHROME and not _DATE_ONLY.fullmatch(t)]
    if not content:
        return None
    if any(_is_authors_line(text) for _, text in content):
        return "page"
    gaps = any(b - a > 1 for (a, _), (b, _) in pairwise(content))
    return "page" if gaps else "pairs"


def parse_lines(lines: list[str], file: str) -> ParseResult:
    """Parse the lines of one file into entries, recognising its layout."""
    layout = detect_layout(lines)
    if layout is None:
        return ParseResult(None, [], [Problem(file=file, reason="no papers found in file")])
    parser = _PageParser(file) if layout == "page" else _PairsParser(file)
    entries = parser.parse(lines)
    problems = parser.problems
    if not entries and not any(p.severity is Severity.ERROR for p in problems):
        problems.append(Problem(file=file, reason="no papers found in file"))
    return ParseResult(layout, entries, problems)


class _Parser:
    def __init__(self, file: str) -> None:
        self.file = file
        self.problems: list[Problem] = []

    def problem(self, line: int | None, reason: str, *, warning: bool = False) -> None:
        severity = Severity.WARNING if warning else Severity.ERROR
        self.problems.append(Problem(file=self.file, line=line, reason=reason, severity=severity))

    def entry(
        self, title_at: tuple[int, str], abstract_at: tuple[int, str], meta: _Meta | None
    ) -> Entry | None:
        line, raw_title = title_at
        title = clean_field(raw_title)
        if not title:
            self.problem(line, "empty title; entry skipped")
            return None
        abstract = clean_field(abstract_at[1], multiline=True)
        if meta is None:
            return Entry(title=title, abstract=abstract, line=line)
        return Entry(title, abstract, line, meta.authors, meta.date, meta.upvotes)


class _PageParser(_Parser):
    def parse(self, lines: list[str]) -> list[Entry]:
        items = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
        entries: list[Entry] = []
        pending: list[tuple[int, str]] = []
        after_chrome = False
        i = 0
        while i < len(items):
            number, text = items[i]
            i += 1
            if text in CHROME:
                after_chrome = True
                continue
            if after_chrome and not pending and _DATE_ONLY.fullmatch(text):
                after_chrome = False  # the page's own date, under the header
                continue
            after_chrome = False
            if _is_authors_line(text):
                meta, i = self._metadata(items, i - 1)
                entries.extend(self._flush(pending, meta, number))
                pending = []
            elif text == _SEPARATOR:
                self.problem(
                    number, "separator '·' outside a metadata block; ignored", warning=True
                )
            else:
                pending.append((number, text))
        entries.extend(self._flush(pending, None, None))
        return entries

    def _metadata(self, items: list[tuple[int, str]], at: int) -> tuple[_Meta, int]:
        """Read the metadata block starting at ``items[at]``; return it and the next index."""
        number, text = items[at]
        authors: int | None = None
        match = _AUTHORS.fullmatch(text)
        if match:
            authors = int(match.group(1).replace(",", ""))
        else:
            self.problem(
                number, f"bad author count {text!r} (expected '• N authors')", warning=True
            )
        at += 1
        if at < len(items) and items[at][1] == _SEPARATOR:
            at += 1
        if at < len(items) and _DATE_LINE.fullmatch(items[at][1]):
            date, upvotes = self._date_line(*items[at])
            return _Meta(authors, date, upvotes), at + 1
        self.problem(number, "metadata block has no date line", warning=True)
        return _Meta(authors, None, 0), at

    def _date_line(self, number: int, text: str) -> tuple[PaperDate | None, int]:
        match = _DATE_LINE.fullmatch(text)
        assert match is not None
        month_name, day, year, rest = match.groups()
        date: PaperDate | None = None
        try:
            date = PaperDate(
                year=int(year) if year else None, month=MONTHS.index(month_name) + 1, day=int(day)
            )
        except ValidationError as error:
            reason = error.errors()[0]["msg"].removeprefix("Value error, ")
            self.problem(number, f"bad date {text!r}: {reason}", warning=True)
        upvotes = 0
        if rest is not None:
            if _UPVOTES.fullmatch(rest):
                upvotes = int(rest.replace(",", ""))
            else:
                self.problem(number, f"unexpected text after the date: {rest!r}", warning=True)
        return date, upvotes

    def _flush(
        self, pending: list[tuple[int, str]], meta: _Meta | None, meta_line: int | None
    ) -> list[Entry]:
        """Entries from the lines before a metadata block (or the end of the file)."""
        if meta is not None and len(pending) < 2:
            what = "no title or abstract" if not pending else "a title but no abstract"
            self.problem(meta_line, f"metadata block with {what} before it; skipped")
            return []
        complete = pending[-2:] if meta is not None else []
        loose = pending[:-2] if meta is not None else pending
        entries: list[Entry] = []
        if len(loose) % 2:
            number, text = loose[0]
            self.problem(number, f"line {_preview(text)} is not part of an entry; skipped")
            loose = loose[1:]
        for k in range(0, len(loose), 2):
            self.problem(loose[k][0], "entry has no metadata block (truncated?)", warning=True)
            entry = self.entry(loose[k], loose[k + 1], None)
            if entry:
                entries.append(entry)
        if complete:
            entry = self.entry(complete[0], complete[1], meta)
            if entry:
                entries.append(entry)
        return entries


class _PairsParser(_Parser):
    def parse(self, lines: list[str]) -> list[Entry]:
        items = [(n, line.strip()) for n, line in enumerate(lines, start=1) if line.strip()]
        while items and items[0][1] in CHROME:
            items.pop(0)
        if items and items[0][1].startswith(SUBSCRIBE) and len(items[0][1]) > len(SUBSCRIBE):
            items[0] = (items[0][0], items[0][1][len(SUBSCRIBE) :])
        if not _looks_like_pairs(items):
            self.problem(
                None,
                "unrecognised layout: neither a Daily Papers page capture"
                " nor alternating title and abstract lines",
            )
            return []
        entries: list[Entry] = []
        i = 0
        while i < len(items):
            number, title = items[i]
            if len(title) > MAX_TITLE:
                self.problem(number, "a title was expected here, not a long text; skipped")
                i += 1
                continue
            if i + 1 >= len(items):
                self.problem(number, "title with no abstract at the end of the file; skipped")
                break
            entry = self.entry(items[i], items[i + 1], None)
            if entry:
                entries.append(entry)
            i += 2
        return entries


def _is_authors_line(text: str) -> bool:
    return bool(_AUTHORS.fullmatch(text) or _AUTHORS_LOOSE.fullmatch(text))


def _looks_like_pairs(items: list[tuple[int, str]]) -> bool:
    """Whether the lines read as title/abstract pairs: about every other line is prose."""
    prose = sum(1 for _, text in items if len(text.split()) >= _PROSE_WORDS)
    return len(items) >= 2 and prose * 3 >= len(items)


def _preview(text: str, width: int = 40) -> str:
    return repr(text if len(text) <= width else text[: width - 1] + "…")
