"""The export formats, rendering a document in one of them, and default file names."""

from __future__ import annotations

import re
from collections.abc import Callable, Iterator
from enum import Enum

from ..text import fold
from .bibtex import write_bibtex
from .csv_format import write_csv
from .json_format import write_json
from .markdown import write_markdown
from .records import ExportDocument, Scope

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
) -> str:
    """The whole export as text; ``progress(done, total)`` is called every ``every`` papers
    and at the end."""
    total = len(document.records)
    parts: list[str] = []
    for index, chunk in enumerate(chunks(document, format, abstracts=abstracts)):
        parts.append(chunk)
        done = min(index, total)  # the first chunk is the header
        if progress is not None and done and done % every == 0:
            progress(done, total)
    if progress is not None:
        progress(total, total)
    return "".join(parts)


def default_filename(document: ExportDocument, format: Format) -> str:
    """A file name saying what was exported and when: ``paperview-list-to-read-2026-11-22.md``."""
    date = document.generated_at.strftime("%Y-%m-%d")
    if document.scope is Scope.LIST and document.name:
        what = f"list-{_slug(document.name)}"
    elif document.scope is Scope.PAPER and document.records:
        what = f"paper-{document.records[0].id}"
    else:
        what = document.scope.value
    return f"paperview-{what.rstrip('-')}-{date}{format.extension}"


def _slug(text: str) -> str:
    words = re.findall(r"[a-z0-9]+", fold(text).encode("ascii", "ignore").decode())
    return "-".join(words)[:40].rstrip("-") or "untitled"
