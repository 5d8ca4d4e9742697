"""Exporting papers with their annotations, and importing reading lists back.

Pure Python (no Textual); the ``export`` and ``import`` commands and the reader's export
dialog use the same functions. Formats, the BibTeX key rule, the JSON schema and the import
rules are documented for users in ``docs/export.md``.

Export::

    from tui.data.export import Format, bookmarks_document, check_papers, render, save, summary

    document = bookmarks_document(corpus.papers, store)  # or list_document(papers, store,
    #   name), search_document(papers, result.indices, query, store), paper_document(paper, store)
    check_papers(document)                     # ExportError: "no papers to export (bookmarks)"
    check_path(path)                           # before the work: save's refusals, early
    text = render(document, Format.MARKDOWN, abstracts=False,
                  progress=lambda done, total: ..., cancelled=lambda: worker.is_cancelled)
    save(path, text.encode("utf-8"))           # atomic; FileExistsError unless overwrite=True,
                                               # ExportError "couldn't write PATH: reason"
    summary(document, Format.MARKDOWN, str(path))  # "exported 3 papers (bookmarks) to ..."

``render`` calls ``progress(done, total)`` every 200 papers and raises ``ExportCancelled``
when ``cancelled()`` says so; the document builders take ``cancelled=`` too (collecting a
million-paper corpus's search results takes seconds). ``render_bytes`` (same arguments) gives
the UTF-8 bytes, encoded piece by piece: a worker encoding a 200 MB string at once would hold
the interpreter lock, and freeze the UI, for seconds. ``chunks(document, format)`` gives the
text piece by piece (a header, then one piece per paper). ``default_filename(document,
format)`` is a name such as ``paperview-list-to-read-2026-11-22.md`` (``default_name`` gives
it before the document is built); ``format_for(path)`` is the format a file name's extension
asks for.
Pass ``now=`` (a UTC ``datetime``) to the document builders for a fixed generation time.

Import::

    from tui.data.export import read_import, plan_import, apply_import, ImportFileError

    document = read_import(path)               # ImportFileError: one line, "file:line: reason"
    plan = plan_import(document, corpus.papers, store)
    for line in plan.report(dry_run=True): ... # "would bookmark 3 papers", "could not match ..."
    apply_import(plan, store)                  # one undoable change (store.batch); None if no-op
"""

from __future__ import annotations

from .formats import (
    Format,
    Progress,
    chunks,
    default_filename,
    default_name,
    format_for,
    render,
    render_bytes,
)
from .markdown import md_inline, md_link, safe_url, search_url
from .merge import ImportPlan, ImportUndo, apply_import, plan_import, save_undo
from .reader import read_import
from .records import (
    ExportCancelled,
    ExportDocument,
    ExportRecord,
    ImportDocument,
    ImportEntry,
    ImportFileError,
    Scope,
    bookmarks_document,
    collect,
    list_document,
    paper_document,
    search_document,
    utc_now,
)
from .saving import ExportError, check_papers, check_path, papers, save, summary

__all__ = [
    "ExportCancelled",
    "ExportDocument",
    "ExportError",
    "ExportRecord",
    "Format",
    "ImportDocument",
    "ImportEntry",
    "ImportFileError",
    "ImportPlan",
    "ImportUndo",
    "Progress",
    "Scope",
    "apply_import",
    "bookmarks_document",
    "check_papers",
    "check_path",
    "chunks",
    "collect",
    "default_filename",
    "default_name",
    "format_for",
    "list_document",
    "md_inline",
    "md_link",
    "paper_document",
    "papers",
    "plan_import",
    "read_import",
    "render",
    "render_bytes",
    "safe_url",
    "save",
    "save_undo",
    "search_document",
    "search_url",
    "summary",
    "utc_now",
]
