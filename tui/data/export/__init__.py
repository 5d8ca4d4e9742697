"""Exporting papers with their annotations, and importing reading lists back.

Pure Python (no Textual); the ``export`` and ``import`` commands and the reader's export
dialog use the same functions. Formats, the BibTeX key rule, the JSON schema and the import
rules are documented for users in ``docs/export.md``.

Export::

    from tui.data.export import Format, bookmarks_document, default_filename, render
    from tui.data.atomic import write_atomic

    document = bookmarks_document(corpus.papers, store)          # or list_document(...,
    text = render(document, Format.MARKDOWN, abstracts=False,    #   name), search_document(
                  progress=lambda done, total: ...)              #   papers, result.indices,
    write_atomic(path, text.encode("utf-8"))                     #   query, store),
    # FileExistsError unless overwrite=True                      #   paper_document(paper, store)

``render`` calls ``progress(done, total)`` every 200 papers; ``chunks(document, format)``
gives the text piece by piece (a header, then one piece per paper) for a worker that wants
to check for cancellation. ``default_filename(document, format)`` is a name such as
``paperview-list-to-read-2026-11-22.md``. Pass ``now=`` (a UTC ``datetime``) to the
document builders for a fixed generation time.

Import::

    from tui.data.export import read_import, plan_import, apply_import, ImportFileError

    document = read_import(path)               # ImportFileError: one line, "file:line: reason"
    plan = plan_import(document, corpus.papers, store)
    for line in plan.report(dry_run=True): ... # "would bookmark 3 papers", "could not match ..."
    apply_import(plan, store)                  # one undoable change (store.batch); None if no-op
"""

from __future__ import annotations

from .formats import Format, Progress, chunks, default_filename, render
from .markdown import md_inline, md_link, safe_url, search_url
from .merge import ImportPlan, ImportUndo, apply_import, plan_import, save_undo
from .reader import read_import
from .records import (
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

__all__ = [
    "ExportDocument",
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
    "chunks",
    "collect",
    "default_filename",
    "list_document",
    "md_inline",
    "md_link",
    "paper_document",
    "plan_import",
    "read_import",
    "render",
    "safe_url",
    "save_undo",
    "search_document",
    "search_url",
    "utc_now",
]
