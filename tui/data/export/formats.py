"""The export formats, rendering a document in one of them, and default file names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from datetime import datetime
from enum import Enum
from pathlib import PurePath

from ..text import fold
from .bibtex import write_bibtex
from .csv_format import write_csv
from .json_format import write_json
from .markdown import write_markdown
from .records import Cancelled, ExportCancelled, ExportDocument, Scope

#: Called as ``progress(done, total)`` while a long export is rendered.
Progress = Callable[[int, int], None]


class Format(str, Enum):
    """An export format; the value is the ``--format`` name."""

    MARKDOWN = "md"
    JSON = "json"
    CSV = "csv"
    BIBTEX = "bibtex"

    @property
    def extension(self) -> str:
        """The file name extension, with its dot."""
        return ".bib" if self is Format.BIBTEX else f".{self.value}"

    @property
    def label(self) -> str:
        """The name a person knows the format by."""
        return {"md": "Markdown", "json": "JSON", "csv": "CSV", "bibtex": "BibTeX"}[self.value]


_BY_EXTENSION = {".md": Format.MARKDOWN, ".markdown": Format.MARKDOWN, ".json": Format.JSON}
_BY_EXTENSION.update({".csv": Format.CSV, ".bib": Format.BIBTEX, ".bibtex": Format.BIBTEX})


def format_for(path: str | PurePath) -> Format | None:
    """The format a file name's extension asks for (``.md``, ``.json``, ``.csv``, ``.bib``),
    or None for any other name."""
    return _BY_EXTENSION.get(PurePath(path).suffix.lower())


def chunks(document: ExportDocument, format: Format, *, abstracts: bool = False) -> Iterator[str]:
    """The document in ``format``: a header chunk, then one chunk per paper (then a footer).

    ``abstracts`` adds each paper's abstract to a Markdown export (the other formats always
    carry it, BibTeX never).
    """
    if format is Format.MARKDOWN:
        return write_markdown(document, abstracts=abstracts)
    if format is Format.JSON:
        return write_json(document)
    if format is Format.CSV:
        return write_csv(document)
    return write_bibtex(document)


def render(
    document: ExportDocument,
    format: Format,
    *,
    abstracts: bool = False,
    progress: Progress | None = None,
    every: int = 200,
    cancelled: Cancelled | None = None,
) -> str:
    """The whole export as text; ``progress(done, total)`` is called every ``every`` papers
    and at the end. :class:`ExportCancelled` is raised as soon as ``cancelled()`` (asked
    every ``every`` papers) returns True."""
    return "".join(_pieces(document, format, abstracts, progress, every, cancelled))


def render_bytes(
    document: ExportDocument,
    format: Format,
    *,
    abstracts: bool = False,
    progress: Progress | None = None,
    every: int = 200,
    cancelled: Cancelled | None = None,
) -> bytes:
    """:func:`render` encoded in UTF-8, exactly what a file holds. Each piece is encoded as it
    is made, so a worker never holds the interpreter lock to encode hundreds of megabytes at
    once (the UI thread would freeze meanwhile)."""
    pieces = _pieces(document, format, abstracts, progress, every, cancelled)
    return b"".join(piece.encode("utf-8") for piece in pieces)


def _pieces(
    document: ExportDocument,
    format: Format,
    abstracts: bool,
    progress: Progress | None,
    every: int,
    cancelled: Cancelled | None,
) -> Iterator[str]:
    total = len(document.records)
    for index, chunk in enumerate(chunks(document, format, abstracts=abstracts)):
        yield chunk
        done = min(index, total)  # the first chunk is the header
        if done and done % every == 0:
            if cancelled is not None and cancelled():
                raise ExportCancelled
            if progress is not None:
                progress(done, total)
    if progress is not None:
        progress(total, total)


def default_filename(document: ExportDocument, format: Format) -> str:
    """A file name saying what was exported and when: ``paperview-list-to-read-2026-11-22.md``."""
    paper_id = document.records[0].id if document.records else None
    return default_name(document.scope, format, document.generated_at, document.name, paper_id)


def default_name(
    scope: Scope,
    format: Format,
    when: datetime,
    name: str | None = None,
    paper_id: str | None = None,
) -> str:
    """:func:`default_filename` before the document is built (the list's ``name``, the
    exported paper's id)."""
    date = when.strftime("%Y-%m-%d")
    if scope is Scope.LIST and name:
        what = f"list-{_slug(name)}"
    elif scope is Scope.PAPER and paper_id:
        what = f"paper-{paper_id}"
    else:
        what = scope.value
    return f"paperview-{what.rstrip('-')}-{date}{format.extension}"


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text).encode("ascii", "ignore").decode())
    return "-".join(words)[:40].rstrip("-") or "untitled"
