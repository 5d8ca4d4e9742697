"""The JSON export: lossless (every paper field and every annotation), and read back on import.

Shape (version 1; documented in ``docs/export.md``)::

    {"format": "paperview-export", "version": 1,
     "generated_at": "2026-11-22T05:30:00Z", "scope": "bookmarks", "name": null, "count": 1,
     "lists": [{"name": "To read", "ids": ["…"]}],
     "papers": [{"id": "…", "title": "…", "paper": {…Paper…} | null,
                 "bookmarked": true, "bookmarked_at": "…", "read": false, "read_at": null,
                 "tags": ["llm"], "note": "", "lists": ["To read"]}]}

``paper`` is the corpus record exactly as ``paperview show --json`` prints it, or null for a
paper the library knows but the corpus lacks. ``lists`` gives the order of the exported
papers on each list they are on. Readers accept unknown extra fields (later
versions only add fields) and refuse a newer ``version``.
"""

from __future__ import annotations

import json
import re
from collections.abc import Callable, Iterable, Iterator
from itertools import count
from typing import Any

from pydantic import BaseModel, ConfigDict, Field, TypeAdapter, ValidationError

from ..library import InvalidChange, list_name, tag_name
from ..text import fold
from .records import ExportDocument, ExportRecord, ImportDocument, ImportEntry, ImportFileError

FORMAT_NAME = "paperview-export"
FORMAT_VERSION = 1


def record_json(record: ExportRecord) -> dict[str, Any]:
    """One paper of the export as a JSON object."""
    mark = record.annotation
    return {
        "id": record.id,
        "title": record.title,
        "paper": record.paper.model_dump(mode="json") if record.paper is not None else None,
        "bookmarked": mark.bookmarked,
        "bookmarked_at": mark.bookmarked_at,
        "read": mark.read,
        "read_at": mark.read_at,
        "tags": list(mark.tags),
        "note": mark.note,
        "lists": list(mark.lists),
    }


def write_json(document: ExportDocument) -> Iterator[str]:
    """The document as UTF-8 JSON text (indented): the header, then one chunk per paper."""
    header = {
        "format": FORMAT_NAME,
        "version": FORMAT_VERSION,
        "generated_at": document.generated_at.strftime("%Y-%m-%dT%H:%M:%SZ"),
        "scope": document.scope.value,
        "name": document.name,
        "count": len(document.records),
        "lists": [{"name": name, "ids": list(ids)} for name, ids in document.list_order],
    }
    opening = json.dumps(header, ensure_ascii=False, indent=2)[:-2]  # without "\n}"
    if not document.records:
        yield opening + ',\n  "papers": []\n}\n'
        return
    yield opening + ',\n  "papers": [\n'
    last = len(document.records) - 1
    for index, record in enumerate(document.records):
        text = json.dumps(record_json(record), ensure_ascii=False, indent=2)
        indented = "\n".join("    " + line for line in text.split("\n"))
        yield indented + (",\n" if index < last else "\n")
    yield "  ]\n}\n"


class _Entry(BaseModel):
    model_config = ConfigDict(extra="ignore")

    id: str = Field(min_length=1)
    title: str | None = None
    bookmarked: bool = False
    read: bool | None = None
    tags: list[str] = Field(default_factory=list)
    note: str = ""
    lists: list[str] = Field(default_factory=list)


class _ListOrder(BaseModel):
    model_config = ConfigDict(extra="ignore")

    name: str
    ids: list[str]


def read_json(source: str | Iterable[str], file: str) -> ImportDocument:
    """A paperview JSON export (its text, or the text in pieces): its entries, problems with
    single entries, list order.

    The papers are read one at a time, so only what the import needs of each is kept (not
    the paper record, with its abstract): memory grows with the number of papers, not with
    the size of the file. Raises :class:`ImportFileError` when the text is not JSON, not a
    paperview export (said as soon as its ``format`` is read), or from a newer version of
    the format.
    """
    text = _Text([source] if isinstance(source, str) else source, file)
    header: dict[str, object] = {}
    entries: list[ImportEntry] = []
    problems: list[str] = []
    text.expect("{", "Expecting value")
    if text.next() == "}":
        text.pos += 1
    else:
        while True:
            if text.next() != '"':
                raise text.error("Expecting property name enclosed in double quotes")
            key = text.value()
            text.expect(":", "Expecting ':' delimiter")
            if key == "papers" and text.next() == "[":
                entries, problems = _papers(text)  # a repeated key: the last one counts
                header[key] = []
            else:
                header[str(key)] = text.value()
                _check_header(header, file, str(key))
            if text.next() == "}":
                text.pos += 1
                break
            text.expect(",", "Expecting ',' delimiter")
    if text.next():
        raise text.error("Extra data")
    _check_header(header, file)
    if not isinstance(header.get("papers"), list):
        raise ImportFileError(file, '"papers" is missing or not a list')
    order = _list_order(header.get("lists", []), problems)
    return ImportDocument(file, "json", tuple(entries), tuple(problems), order)


def _check_header(header: dict[str, object], file: str, key: str | None = None) -> None:
    """Refuse a file that is not an export, or is from a newer version: once its ``format``
    (then its ``version``) is read, or at its end (``key`` None) if it has none."""
    if key in (None, "format") and header.get("format") != FORMAT_NAME:
        raise ImportFileError(file, f'not a paperview export (no "format": "{FORMAT_NAME}")')
    if key is not None and (key != "version" or "format" not in header):
        return
    version = header.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFileError(file, f"unknown export version {version!r}")
    if version > FORMAT_VERSION:
        raise ImportFileError(
            file,
            f"written by a newer paperview (export version {version}; this one reads up to "
            f"{FORMAT_VERSION})",
        )


def _papers(text: _Text) -> tuple[list[ImportEntry], list[str]]:
    """The entries of the ``"papers"`` array, read one at a time."""
    entries: list[ImportEntry] = []
    problems: list[str] = []
    text.expect("[", "Expecting value")
    if text.next() == "]":
        text.pos += 1
        return entries, problems
    for index in count():
        entry = _entry(text.value(), f"papers[{index}]", problems)
        if entry is not None:
            entries.append(entry)
        if text.next() == "]":
            break
        text.expect(",", "Expecting ',' delimiter")
    text.pos += 1
    return entries, problems


def _entry(raw: object, where: str, problems: list[str]) -> ImportEntry | None:
    try:
        entry = _Entry.model_validate(raw)
    except ValidationError as failure:
        first = failure.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        problems.append(f"{where}: {location or 'entry'}: {first['msg']}; skipped")
        return None
    return ImportEntry(
        where=where,
        id=entry.id.strip().lower(),
        title=entry.title,
        read=entry.read,
        note=entry.note if entry.note.strip() else None,
        bookmarked=entry.bookmarked,
        tags=_checked(entry.tags, tag_name, where, "tag", problems),
        lists=_checked(entry.lists, list_name, where, "list", problems),
    )


_NOT_SPACE = re.compile(r"[^ \t\n\r]")
_DECODER = json.JSONDecoder()
_MARGIN = 9
"""A value ending this close to the end of the text read may go on (``1`` of ``1.5``,
``Infinit``): the text is read on first."""


class _Text:
    """JSON text read piece by piece: the part read and not yet parsed, and a position."""

    def __init__(self, pieces: Iterable[str], file: str) -> None:
        self.pieces = iter(pieces)
        self.file = file
        self.text = ""
        self.pos = 0
        self.line = 1  # the line ``text`` starts on
        self.ended = False

    def read_on(self, least: int = 1) -> bool:
        """Drop what was parsed and read at least ``least`` more characters (fewer at the
        end); whether anything was read."""
        self.line += self.text.count("\n", 0, self.pos)
        parts = [self.text[self.pos :]]
        self.pos = 0
        got = 0
        while got < least and not self.ended:
            piece = next(self.pieces, None)
            if piece is None:
                self.ended = True
            else:
                parts.append(piece)
                got += len(piece)
        self.text = "".join(parts)
        return got > 0

    def next(self) -> str:
        """The next character that is not whitespace, left unparsed; "" at the end."""
        while True:
            found = _NOT_SPACE.search(self.text, self.pos)
            if found:
                self.pos = found.start()
                return self.text[self.pos]
            self.pos = len(self.text)
            if not self.read_on():
                return ""

    def expect(self, char: str, message: str) -> None:
        """Parse ``char`` (after any whitespace), else fail with json's ``message``."""
        if self.next() != char:
            raise self.error(message)
        self.pos += 1

    def value(self) -> object:
        """Parse the next JSON value, reading on as needed."""
        self.next()
        while True:
            try:
                value, end = _DECODER.raw_decode(self.text, self.pos)
            except json.JSONDecodeError as failure:
                cut = failure.msg.startswith("Unterminated string")
                if self.ended or not (cut or failure.pos >= len(self.text) - _MARGIN):
                    line = self.line + failure.lineno - 1
                    reason = f"not valid JSON: {failure.msg}"
                    raise ImportFileError(self.file, reason, line) from None
            except RecursionError:
                raise ImportFileError(self.file, "not valid JSON: nested too deeply") from None
            else:
                if self.ended or end < len(self.text) - _MARGIN:
                    self.pos = end
                    return value
            self.read_on(max(1, len(self.text) - self.pos))  # doubling: never quadratic

    def error(self, message: str) -> ImportFileError:
        """Invalid JSON at the position."""
        line = self.line + self.text.count("\n", 0, self.pos)
        return ImportFileError(self.file, f"not valid JSON: {message}", line)


def _list_order(raw: object, problems: list[str]) -> dict[str, tuple[str, ...]]:
    """Folded list name -> ids in list order; a malformed value is reported and ignored."""
    try:
        lists = TypeAdapter(list[_ListOrder]).validate_python(raw)
    except ValidationError as failure:
        first = failure.errors()[0]
        location = ".".join(str(part) for part in first["loc"])
        problems.append(f"lists.{location}: {first['msg']}; list order not imported")
        return {}
    return {fold(item.name): tuple(i.strip().lower() for i in item.ids) for item in lists}


def _checked(
    names: list[str], check: Callable[[str], str], where: str, kind: str, problems: list[str]
) -> tuple[str, ...]:
    kept: list[str] = []
    for name in names:
        try:
            kept.append(check(name))
        except InvalidChange as failure:
            problems.append(f"{where}: {failure}; {kind} skipped")
    return tuple(dict.fromkeys(kept))
