"""Search over a corpus: a one-line query language, staged and cancellable, 10 to 1M papers.

Pure data layer (never imports Textual); the ``paperview search`` command and the
interactive reader use the same :class:`SearchIndex`. The query language, ranking and sort
rules are documented for users in ``docs/search.md``.

API
---
::

    from tui.data.search import SearchIndex, SearchResult, Match, Library

    index = SearchIndex(papers)      # Sequence[Paper]; positions in it identify results
    index.papers                     # the sequence it was built from
    index.warm(cancelled=None)       # optional, in a worker: build the lazy parts now
    index.clear_cache()              # optional: drop the results kept for narrowing

    result = index.search(query, sort=None, reverse=False, library=None, cancelled=None)
    for partial in index.search_stages(query, sort=..., reverse=..., library=..., cancelled=...):
        ...                          # each SearchResult supersedes the previous one;
                                     # the last has complete=True

    index.explain(query, position, library=None) -> Match | None   # only for visible rows

``SearchIndex(papers)``
    Folds every title into a search key (case, accents and hyphens removed): about 0.5 s
    per million papers. Abstract keys (ten times the work), the typo word list, numeric
    columns and sort orders are built lazily, a chunk at a time, when a search first needs
    them; ``warm()`` builds keys and word list ahead (for a corpus of up to 10k papers, the
    word list's starts of every length too: it is searched on the UI thread), then the word
    index (which papers
    hold which words, :mod:`.postings`; about 10 s of CPU and 45 MB per 100k papers), and returns
    False if ``cancelled()`` stopped it (calling it again resumes). Until a chunk of the
    word index is built, searches scan that chunk's abstracts (same results, slower). A
    :class:`PaperTable` (papers stored as columns) is read without building any ``Paper``.

``search(query, *, sort=None, reverse=False, library=None, cancelled=None) -> SearchResult``
    Runs every stage and returns the complete result. If ``cancelled()`` turns true it stops
    between chunks and returns the last stage it finished, with ``complete=False``.

``search_stages(query, ...same keyword arguments...) -> Iterator[SearchResult]``
    Progressive search for the interactive screen: yields the title matches first, then
    with abstract matches added, then with typo matches added (a stage that changes nothing
    is not yielded). Every yielded result is an ordered result that replaces the previous
    one and only adds to it; the last has ``complete=True``. On a big corpus, a title scan
    that takes long and has already found too many matches to rank (they will be listed in
    corpus order) first yields the matches found so far: a prefix of the title stage.
    ``cancelled()`` (e.g. ``lambda: worker.is_cancelled``) is checked between chunks of
    16,384 papers; once it returns true nothing more is yielded. A query with a syntax error
    yields exactly one result carrying ``error``. Safe in a thread worker: the scans and the
    scoring are Python loops, which let other threads run at every switch interval, and no
    single C call holds the interpreter lock for more than a few milliseconds.

``SearchResult`` (frozen)
    ``query: str`` the query as given.
    ``indices: Sequence[int]`` paper positions, best first (or in ``sort`` order): an
    ``array("i")``; for the empty query every paper in the chosen order as a ``range`` or a
    cached ``array("i")``, never a million objects. Treat it as read-only.
    ``total: int`` == ``len(indices)``.
    ``error: str | None`` a short message naming the problem in a bad query (``unknown field
    "autor:" (did you mean authors:?)``, ``unexpected ")"``, ``is:read needs the library``
    ...); then ``indices`` is empty.
    ``complete: bool`` false for an intermediate stage or a cancelled search.
    ``sort: SortKey | None`` the order used; ``None`` means relevance.
    ``reverse: bool`` whether the order is reversed.
    ``stage: str`` which stage produced it: ``"title"``, ``"abstract"``, ``"typo"`` or
    ``"done"`` (the final result, also of queries that need one stage only).

``explain(query, position, *, library=None) -> Match | None``
    Why paper ``position`` matches ``query`` (``None`` if it does not, or the query is bad).
    Computed on demand, microseconds to a millisecond: for the visible rows and the detail
    pane (a query never searched before is searched first).

``Match`` (frozen)
    ``score: float`` 0-100, the score the ranking used, in four bands: 75-100 every word
    exactly in the title, 50-75 some word only in the abstract, 25-50 with a typo allowed
    but in the title, 0-25 with a typo and the abstract; within a band, a closer title
    scores higher. 100 for a query of filters only.
    ``fields: tuple[str, ...]`` the fields that matched, in the order ``"title"``,
    ``"abstract"``, ``"authors"``, ``"upvotes"``, ``"year"``, ``"library"``.
    ``spans: Mapping[str, tuple[tuple[int, int], ...]]`` per text field (``"title"``,
    ``"abstract"``), sorted, non-overlapping, half-open character offsets into the
    displayed strings ``paper.title`` / ``paper.abstract`` (mapped back through folding,
    so ``paper.title[start:end]`` is the text to highlight).
    ``corrections: tuple[tuple[str, str], ...]`` typo matches as (word typed, word found).

``Library`` (Protocol, implemented by the annotation store)
    ``ids(kind, value) -> AbstractSet[str] | None``: for ``kind`` ``"is"`` (value
    ``"bookmarked"``, ``"read"`` or ``"unread"``), ``"tag"`` or ``"list"`` (value: a name),
    the ids of the matching papers, or ``None`` when the value is unknown (the query then
    fails with a message naming it). With ``library=None``, ``is:``/``tag:``/``list:``
    fail with ``is:bookmarked needs the library``. Searches notice changed sets.

Also exported: :func:`parse` (the syntax tree, or :class:`QueryError`) and :func:`check`
(the error message of a query, or ``None``), for validating a query as it is typed.

Threads: ``search``/``search_stages`` may run in a worker thread while ``explain`` runs on
the UI thread.
"""

from __future__ import annotations

from .index import SearchIndex
from .query import QueryError, check, parse
from .result import Library, Match, SearchResult
from .table import PaperTable

__all__ = [
    "Library",
    "Match",
    "PaperTable",
    "QueryError",
    "SearchIndex",
    "SearchResult",
    "check",
    "parse",
]
