"""The CSV export: one row per paper, made to open right in a spreadsheet.

- UTF-8 *with* a byte-order mark: Excel reads a BOM-less file as the local 8-bit code page
  and garbles accents; LibreOffice, Google Sheets, Numbers and Python's ``utf-8-sig``
  accept the BOM.
- RFC 4180: comma-separated, fields quoted when needed, ``CRLF`` between rows; a multi-line
  note stays one (quoted) cell.
- Formula injection (OWASP "CSV Injection"): a text cell that starts with ``=``, ``+``,
  ``-``, ``@``, a tab or a carriage return (after any leading spaces) gets a leading
  apostrophe, so a spreadsheet shows it as text instead of running it. The apostrophe is
  visible in other programs; CSV is an output for people and spreadsheets, so paperview
  does not import CSV.
"""

from __future__ import annotations

import csv
import io
from collections.abc import Iterator

from ..text import sanitize
from .records import ExportDocument, ExportRecord

BOM = "\ufeff"
COLUMNS = (
    "id",
    "title",
    "date",
    "upvotes",
    "authors",
    "link",
    "read",
    "bookmarked",
    "tags",
    "lists",
    "note",
    "abstract",
)
_FORMULA_START = ("=", "+", "-", "@", "\t", "\r")


def cell(text: str) -> str:
    """A text cell: control characters removed (line breaks kept), formulas defused (also
    behind leading whitespace, which some spreadsheets skip)."""
    clean = sanitize(text, keep_newlines=True)
    risky = clean.startswith(_FORMULA_START) or clean.lstrip().startswith(_FORMULA_START)
    return "'" + clean if risky else clean


def row(record: ExportRecord) -> list[str]:
    """The cells of one paper, in :data:`COLUMNS` order."""
    paper, mark = record.paper, record.annotation
    return [
        record.id,
        cell(record.title),
        cell(paper.date.iso()) if paper is not None and paper.date is not None else "",
        _number(paper.upvotes if paper is not None else None),
        _number(paper.authors if paper is not None else None),
        cell(paper.link or "") if paper is not None else "",
        "yes" if mark.read else "no",
        "yes" if mark.bookmarked else "no",
        cell(" ".join(mark.tags)),
        cell("; ".join(mark.lists)),
        cell(mark.note),
        cell(paper.abstract) if paper is not None else "",
    ]


def _number(value: int | None) -> str:
    return "" if value is None else str(value)


def write_csv(document: ExportDocument) -> Iterator[str]:
    """The document as CSV text (starting with the BOM): the header, then one row per paper."""
    buffer = io.StringIO(newline="")
    writer = csv.writer(buffer, lineterminator="\r\n")

    def take() -> str:
        text = buffer.getvalue()
        buffer.seek(0)
        buffer.truncate()
        return text

    writer.writerow(COLUMNS)
    yield BOM + take()
    for record in document.records:
        writer.writerow(row(record))
        yield take()
