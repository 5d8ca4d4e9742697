"""Reading a Markdown reading list back: checkboxes, ids, titles, tags and notes.

The file may have been edited by hand or by another program since paperview wrote it (a
checkbox ticked in a notes app, a note added in a git repository), so the reader is lenient
about layout and strict only about structure it can recognise unambiguously:

- the first level-1 heading says what the list is: ``# Bookmarks`` (each paper is
  bookmarked on import), ``# Reading list: NAME`` (each paper is added to the list NAME);
  anything else adds no bookmark and no list membership;
- each paper is a task-list item at the start of a line: ``- [ ]`` or ``- [x]`` (``*`` or
  ``+`` bullets, ``X`` too) followed by its title (bold or not);
- the item's following lines (indented, or lazily continued) may hold ``id`` and 16 hex
  digits, ``Tags:`` with space-separated tags, and ``Note:`` starting the note, which runs
  to the end of the item (blank lines separate its paragraphs) or to a ``>`` quote (the
  abstract, ignored).

Backslash escapes are removed from the text read, and a trailing backslash (a hard line
break) is dropped, so an exported file reads back to the words it renders to.
"""

from __future__ import annotations

import re
from collections.abc import Iterable, Iterator
from dataclasses import dataclass, field

from ..library import InvalidChange, list_name, tag_name
from .records import ImportEntry

_ITEM = re.compile(r"^ ?[-*+][ \t]+\[([ xX])\](?:[ \t]+(.*))?$")
_HEADING = re.compile(r"^ {0,3}(#{1,6})(?:[ \t]+(.*?))?(?:[ \t]+#+)?[ \t]*$")
_ID = re.compile(r"(?:^|[\s·|,;(])id:?[ \t]+([0-9a-f]{16})(?![0-9a-zA-Z])")
_ESCAPED = re.compile(r"\\([!-/:-@\[-`{-~])")
_LIST_HEADING = re.compile(r"^Reading list:[ \t]+(.+)$")
_BOOKMARKS_HEADING = "Bookmarks"


def unescape(text: str) -> str:
    """Remove CommonMark backslash escapes (``\\*`` -> ``*``)."""
    return _ESCAPED.sub(_escaped_char, text) if "\\" in text else text


def _escaped_char(match: re.Match[str]) -> str:
    return match.group(1)


def drop_break(line: str) -> str:
    """``line`` without a trailing hard line break (an unescaped backslash, or spaces)."""
    line = line.rstrip()
    trailing = len(line) - len(line.rstrip("\\"))
    return line[:-1].rstrip() if trailing % 2 else line


@dataclass
class _Item:
    line: int
    checked: bool
    first: str
    rest: list[str] = field(default_factory=list)


def read_markdown(source: str | Iterable[str]) -> tuple[tuple[ImportEntry, ...], tuple[str, ...]]:
    """The entries of a Markdown reading list (its text, or its lines), and problems with
    single entries. Each item is made an entry as soon as it ends, so only the entries are
    kept, not the file's lines.

    Text is split into lines on ``\\n``, ``\\r\\n`` and ``\\r`` only (never on the other
    characters ``str.splitlines`` treats as line breaks).
    """
    lines = re.split(r"\r\n|\r|\n", source) if isinstance(source, str) else source
    problems: list[str] = []
    scan = _Scan()
    entries: list[ImportEntry] = []
    kind: tuple[bool, tuple[str, ...]] | None = None
    for item in scan.items(lines):
        if kind is None:  # the heading comes before the first item, or not at all
            kind = _kind(scan.heading, problems)
        entries.append(_entry(item, *kind, problems))
    if kind is None:
        _kind(scan.heading, problems)
    return tuple(entries), tuple(problems)


class _Scan:
    """The task-list items of a file's lines, and its heading: the first level-1 heading
    before any item, as (line number, text)."""

    def __init__(self) -> None:
        self.heading: tuple[int, str] | None = None

    def items(self, lines: Iterable[str]) -> Iterator[_Item]:
        """Each item once it has ended."""
        current: _Item | None = None
        started = False
        blank_seen = False
        for number, line in enumerate(lines, start=1):
            item = _ITEM.match(line)
            if item:
                if current is not None:
                    yield current
                current = _Item(number, item.group(1) != " ", item.group(2) or "")
                started = True
                blank_seen = False
                continue
            head = _HEADING.match(line) if not line.startswith((" ", "\t")) else None
            if head:
                if self.heading is None and len(head.group(1)) == 1 and not started:
                    self.heading = (number, head.group(2) or "")
            elif current is None:
                continue
            elif not line.strip():
                blank_seen = True
                current.rest.append("")
                continue
            elif line.startswith((" ", "\t")) or not blank_seen:
                current.rest.append(line)
                continue
            if current is not None:  # a heading, or text outside any item, ends it
                yield current
                current = None
        if current is not None:
            yield current


def _kind(heading: tuple[int, str] | None, problems: list[str]) -> tuple[bool, tuple[str, ...]]:
    if heading is None:
        return False, ()
    number, raw = heading
    text = drop_break(raw)
    if unescape(text).strip() == _BOOKMARKS_HEADING:
        return True, ()
    found = _LIST_HEADING.match(text)
    if not found:
        return False, ()
    try:
        return False, (list_name(unescape(found.group(1))),)
    except InvalidChange as failure:
        problems.append(f"line {number}: {failure}; no list membership imported")
        return False, ()


def _entry(
    item: _Item, bookmarked: bool, lists: tuple[str, ...], problems: list[str]
) -> ImportEntry:
    title = drop_break(item.first).strip()
    if len(title) > 4 and title.startswith("**") and title.endswith("**"):
        title = title[2:-2]
    paper_id: str | None = None
    tags: list[str] = []
    note: list[str] | None = None
    in_abstract = False
    for offset, raw in enumerate(item.rest, start=1):
        line = drop_break(raw).strip()
        if line.startswith(">"):
            in_abstract = True
            continue
        if line.startswith("Tags:"):
            tags += _tags(line[len("Tags:") :], item.line + offset, problems)
        elif line.startswith("Note:"):
            note = [line[len("Note:") :].strip()]
            in_abstract = False
        elif note is not None and not in_abstract:
            note.append(line)
        elif paper_id is None and note is None:
            found = _ID.search(line)
            paper_id = found.group(1) if found else None
    return ImportEntry(
        where=f"line {item.line}",
        id=paper_id,
        title=" ".join(unescape(title).split()) or None,
        read=item.checked,
        note=_note_text(note),
        bookmarked=bookmarked,
        tags=tuple(dict.fromkeys(tags)),
        lists=lists,
    )


def _tags(text: str, number: int, problems: list[str]) -> list[str]:
    found: list[str] = []
    for word in text.split():
        try:
            found.append(tag_name(unescape(word)))
        except InvalidChange as failure:
            problems.append(f"line {number}: {failure}; tag skipped")
    return found


def _note_text(lines: list[str] | None) -> str | None:
    """The note's text: lines unescaped, one blank line between paragraphs; None if empty."""
    if lines is None:
        return None
    kept: list[str] = []
    for raw in lines:
        line = " ".join(unescape(raw).split())
        if line or (kept and kept[-1]):
            kept.append(line)
    while kept and not kept[-1]:
        kept.pop()
    return "\n".join(kept) or None
