"""The user's library: bookmarks, read status, tags, notes and named reading lists.

Pure Python (no Textual). One SQLite database, ``library.sqlite3``, in the data directory
(see :mod:`tui.data.locations`), in WAL mode with a schema version and migrations. Every
annotation is keyed by the stable paper id, so it survives re-parsing and corpus updates; the
title is remembered too, so papers missing from the current corpus can still be shown.

Opening::

    from tui.data.library import open_library
    from tui.data.locations import data_dir

    store, warnings = open_library(data_dir(args.data_dir))  # never raises for a bad file
    # (keyword options: busy_timeout=5.0 seconds to wait for another writer's lock,
    #  refresh_interval=1.0 second between checks for other processes' changes)
    for message in warnings:             # e.g. "library.sqlite3 was damaged (...); kept
        notify(message, markup=False)    # aside as .../library.sqlite3.corrupt-2026...Z"

Queries answer from an immutable in-memory snapshot (cheap enough to call per row, never
blocking, safe from worker threads) and pick up other processes' changes within
``refresh_interval`` seconds; call ``store.refresh()`` on a timer (say every 2 s) and redraw
when it returns True (``store.version`` also increases on every change). ``store.view()``
returns the snapshot itself (a :class:`LibraryView`, with the same query methods)::

    store.is_bookmarked(paper.id)        store.is_read(paper.id)
    store.bookmarked_ids()               store.read_ids()          # frozensets
    store.bookmarks()                    # Annotation records, oldest bookmark first
    store.tags_of(paper.id)              store.all_tags()          # {tag: paper count}
    store.note(paper.id)                 store.lists()             # ReadingList records
    store.reading_list("To read")        store.lists_of(paper.id)
    store.annotation(paper.id)           # Annotation(id, title, bookmarked_at, read_at, ...)
    store.annotated_ids()                # includes papers absent from the current corpus
    store.title(paper_id)                # the title remembered for an absent paper
    store.ids("tag", "llm")              # the search filters; see Queries.ids

Changes take papers (anything with ``.id`` and ``.title``, such as ``Paper``) or bare ids,
singly or many at once; each call is one undoable step and returns a short description::

    store.toggle_bookmark(paper) -> bool     store.bookmark(papers)   store.unbookmark(papers)
    store.toggle_read(paper) -> bool         store.mark_read(papers)  store.mark_unread(papers)
    store.mark_read([paper], undoable=False)  # the automatic mark on opening: not an undo step
    store.add_tag("llm", papers)             store.remove_tag("llm", papers)
    store.set_note(paper, text, base=old)    # "" deletes; saved since base: both kept
    store.create_list(name)   store.rename_list(old, new)   store.delete_list(name)
    store.add_to_list(name, papers, create=False)            store.remove_from_list(name, papers)
    store.undo() -> "Undid: bookmark 3 papers" | None        store.redo() -> "Redid: ..." | None

Errors (all :class:`LibraryError`, with one-line messages):

- :class:`StoreUnavailable`: the disk refused the write (read-only, full, locked too long).
  The change is kept in memory and shown; ``store.pending`` counts waiting changes;
  ``store.retry_pending()`` (call it on a timer while ``pending``) or the next change saves
  them. ``store.close()`` tries once more and returns how many were lost.
- :class:`StoreReadOnly`: the file was written by a newer paperview; nothing is changed.
- :class:`InvalidChange`, :class:`NoSuchList`, :class:`ListExists`: the change makes no sense.
  ``tag_name(text)`` and ``list_name(text)`` check (and tidy) a name before you use it.

Search: ``store.ids(kind, value)`` returns the ids for ``is:bookmarked``, ``is:read``,
``tag:NAME`` and ``list:NAME`` as a frozenset (None for an unknown tag or list), and for
``is:unread`` a :class:`Complement` of the read ids: exact for ``paper.id in ...`` and
intersection with a finite set, never enumerable.
"""

from __future__ import annotations

from . import schema
from .errors import (
    InvalidChange,
    LibraryError,
    ListExists,
    NoSuchList,
    StoreReadOnly,
    StoreUnavailable,
)
from .files import FILENAME
from .models import Annotation, Complement, PaperLike, ReadingList, Target
from .names import list_name, tag_name
from .store import LibraryStore, open_library
from .view import LibraryView, Queries

__all__ = [
    "FILENAME",
    "Annotation",
    "Complement",
    "InvalidChange",
    "LibraryError",
    "LibraryStore",
    "LibraryView",
    "ListExists",
    "NoSuchList",
    "PaperLike",
    "Queries",
    "ReadingList",
    "StoreReadOnly",
    "StoreUnavailable",
    "Target",
    "list_name",
    "open_library",
    "schema",
    "tag_name",
]
