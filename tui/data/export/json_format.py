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
from collections.abc import Callable, Iterator
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


def read_json(text: str, file: str) -> ImportDocument:
    """A paperview JSON export: its entries, problems with single entries, list order.

    Raises :class:`ImportFileError` when the text is not JSON, not a paperview export, or
    from a newer version of the format.
    """
    try:
        data = json.loads(text)
    except json.JSONDecodeError as failure:
        raise ImportFileError(file, f"not valid JSON: {failure.msg}", failure.lineno) from None
    except RecursionError:
        raise ImportFileError(file, "not valid JSON: nested too deeply") from None
    if not isinstance(data, dict) or data.get("format") != FORMAT_NAME:
        raise ImportFileError(file, f'not a paperview export (no "format": "{FORMAT_NAME}")')
    version = data.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version < 1:
        raise ImportFileError(file, f"unknown export version {version!r}")
    if version > FORMAT_VERSION:
        raise ImportFileError(
            file,
            f"written by a newer paperview (export version {version}; this one reads up to "
            f"{FORMAT_VERSION})",
        )
    papers = data.get("papers")
    if not isinstance(papers, list):
        raise ImportFileError(file, '"papers" is missing or not a list')
    entries: list[ImportEntry] = []
    problems: list[str] = []
    for index, raw in enumerate(papers):
        where = f"papers[{index}]"
        try:
            entry = _Entry.model_validate(raw)
        except ValidationError as failure:
            first = failure.errors()[0]
            location = ".".join(str(part) for part in first["loc"])
            problems.append(f"{where}: {location or 'entry'}: {first['msg']}; skipped")
            continue
        entries.append(
            ImportEntry(
                where=where,
                id=entry.id.strip().lower(),
                title=entry.title,
                read=entry.read,
                note=entry.note if entry.note.strip() else None,
                bookmarked=entry.bookmarked,
                tags=_checked(entry.tags, tag_name, where, "tag", problems),
                lists=_checked(entry.lists, list_name, where, "list", problems),
            )
        )
    order = _list_order(data.get("lists", []), problems)
    return ImportDocument(file, "json", tuple(entries), tuple(problems), order)


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
