"""What an export carries (papers with their annotations) and what an import file holds.

An :class:`ExportDocument` is built from the corpus and the library by :func:`collect` (or
the helpers for bookmarks, a reading list, search results and one paper) and handed to a
writer. Reading an import file gives an :class:`ImportDocument` of :class:`ImportEntry`
values, which :mod:`.merge` matches against the corpus and the library.
"""

from __future__ import annotations

from collections.abc import Callable, Iterable, Mapping, Sequence
from dataclasses import dataclass, field
from datetime import datetime, timezone
from enum import Enum

from ..library import Annotation, NoSuchList, Queries
from ..lookup import PapersById, paper_ids
from ..models import Paper

#: Papers collected between two asks of a ``cancelled()`` callback: building a paper from a
#: big corpus's table takes about 0.1 ms, so a stop is seen within a few tens of milliseconds.
EVERY = 200

#: Asked while a document is built or rendered; true stops it (:class:`ExportCancelled`).
Cancelled = Callable[[], bool]


class ExportCancelled(Exception):
    """Building or rendering an export stopped because its ``cancelled`` callback said so."""


class Scope(str, Enum):
    """What was exported."""

    BOOKMARKS = "bookmarks"
    LIST = "list"
    SEARCH = "search"
    PAPER = "paper"


@dataclass(frozen=True)
class ExportRecord:
    """One exported paper: the corpus record (``None`` for a paper the library knows but the
    corpus lacks) and everything the library holds about it."""

    id: str
    title: str
    paper: Paper | None
    annotation: Annotation

    @property
    def read(self) -> bool:
        """Whether the paper is marked read."""
        return self.annotation.read


@dataclass(frozen=True)
class ExportDocument:
    """A set of papers to write: what they are (``scope`` and ``name``: the list name or the
    query), when the export was made (UTC), and the records in order.

    ``list_order`` gives, for each reading list an exported paper is on, the exported papers'
    ids in that list's order (so a JSON import restores the order whatever the export's).
    """

    scope: Scope
    records: tuple[ExportRecord, ...]
    generated_at: datetime
    name: str | None = None
    list_order: tuple[tuple[str, tuple[str, ...]], ...] = ()

    @property
    def heading(self) -> str:
        """The title a person reads: ``Bookmarks``, ``Reading list: To read`` ..."""
        if self.scope is Scope.LIST:
            return f"Reading list: {self.name}"
        if self.scope is Scope.SEARCH:
            return f"Search results: {self.name}" if self.name else "All papers"
        return "Paper" if self.scope is Scope.PAPER else "Bookmarks"

    @property
    def what(self) -> str:
        """The heading as it reads inside a sentence: ``bookmarks``, ``reading list: To read``."""
        return self.heading[0].lower() + self.heading[1:]


def utc_now() -> datetime:
    """The current time in UTC, to the second (the default clock of an export)."""
    return datetime.now(timezone.utc).replace(microsecond=0)


def collect(
    ids: Iterable[str],
    paper_for: Callable[[str], Paper | None],
    library: Queries | None,
    cancelled: Cancelled | None = None,
) -> tuple[ExportRecord, ...]:
    """Records for ``ids`` in order (each id once), from the corpus (``paper_for(id)``, None
    when it lacks the paper) and the library; an id in neither gets a record with an unknown
    title. :class:`ExportCancelled` as soon as ``cancelled()`` (asked every :data:`EVERY`
    papers) returns True."""
    records: dict[str, ExportRecord] = {}
    for count, paper_id in enumerate(ids, 1):
        if cancelled is not None and count % EVERY == 0 and cancelled():
            raise ExportCancelled
        if paper_id in records:
            continue
        annotation = library.annotation(paper_id) if library is not None else Annotation(paper_id)
        paper = paper_for(paper_id)
        title = paper.title if paper is not None else (annotation.title or "")
        records[paper_id] = ExportRecord(paper_id, title, paper, annotation)
    return tuple(records.values())


def list_order(
    records: Iterable[ExportRecord], library: Queries | None
) -> tuple[tuple[str, tuple[str, ...]], ...]:
    """For each reading list the records are on: its name and their ids in list order."""
    records = tuple(records)
    exported = {record.id for record in records}
    names = dict.fromkeys(name for record in records for name in record.annotation.lists)
    found: list[tuple[str, tuple[str, ...]]] = []
    for name in names:
        reading = library.reading_list(name) if library is not None else None
        if reading is not None:
            found.append((reading.name, tuple(i for i in reading.ids if i in exported)))
    return tuple(found)


def _document(
    scope: Scope,
    records: tuple[ExportRecord, ...],
    library: Queries | None,
    now: datetime | None,
    name: str | None = None,
) -> ExportDocument:
    order = list_order(records, library)
    return ExportDocument(scope, records, now or utc_now(), name, order)


def by_id(papers: Sequence[Paper]) -> Mapping[str, Paper]:
    """The papers keyed by id (a paper is built only when looked up: a big corpus is a
    columnar table)."""
    return PapersById(papers)


def bookmarks_document(
    papers: Sequence[Paper],
    library: Queries,
    now: datetime | None = None,
    cancelled: Cancelled | None = None,
) -> ExportDocument:
    """The bookmarked papers, oldest bookmark first (papers missing from the corpus too).
    ``cancelled`` as for :func:`collect` (so for the other document builders)."""
    library = library.view()  # one consistent snapshot, read without locking per paper
    ids = [mark.id for mark in library.bookmarks()]
    records = collect(ids, by_id(papers).get, library, cancelled)
    return _document(Scope.BOOKMARKS, records, library, now)


def list_document(
    papers: Sequence[Paper],
    library: Queries,
    name: str,
    now: datetime | None = None,
    cancelled: Cancelled | None = None,
) -> ExportDocument:
    """The papers on the reading list ``name``, in list order; :class:`NoSuchList` if none."""
    library = library.view()
    found = library.reading_list(name)
    if found is None:
        raise NoSuchList(f"no reading list named {name!r}")
    records = collect(found.ids, by_id(papers).get, library, cancelled)
    return _document(Scope.LIST, records, library, now, found.name)


def search_document(
    papers: Sequence[Paper],
    positions: Iterable[int],
    query: str,
    library: Queries | None,
    now: datetime | None = None,
    cancelled: Cancelled | None = None,
) -> ExportDocument:
    """Search results: ``positions`` index ``papers`` (as ``SearchResult.indices`` do)."""
    library = library.view() if library is not None else None
    ids = paper_ids(papers)
    chosen = {ids[position]: position for position in positions}  # no paper built yet
    records = collect(chosen, lambda paper_id: papers[chosen[paper_id]], library, cancelled)
    return _document(Scope.SEARCH, records, library, now, query)


def paper_document(
    paper: Paper, library: Queries | None, now: datetime | None = None
) -> ExportDocument:
    """One paper (the one selected in the reader)."""
    library = library.view() if library is not None else None
    records = collect([paper.id], {paper.id: paper}.get, library)
    return _document(Scope.PAPER, records, library, now)


# --- import --------------------------------------------------------------------------------


@dataclass(frozen=True)
class ImportEntry:
    """One paper in an import file, as written there.

    ``where`` says where it is in the file for messages (``line 12``, ``papers[3]``).
    ``id`` and ``title`` identify it (either may be missing in a hand-written file).
    ``read`` is ``None`` when the file does not say; ``note`` is ``None`` when the file has
    no note for it. ``bookmarked``, ``tags`` and
    ``lists`` are only ever added to the library.
    """

    where: str
    id: str | None
    title: str | None
    read: bool | None = None
    note: str | None = None
    bookmarked: bool = False
    tags: tuple[str, ...] = ()
    lists: tuple[str, ...] = ()


@dataclass(frozen=True)
class ImportDocument:
    """An import file read: its format (``"json"`` or ``"markdown"``), its entries,
    problems with single entries (``where: reason``) that did not stop the rest, and (JSON)
    the order of the papers on each reading list, by list name."""

    file: str
    format: str
    entries: tuple[ImportEntry, ...]
    problems: tuple[str, ...] = ()
    list_order: Mapping[str, tuple[str, ...]] = field(default_factory=dict)


class ImportFileError(Exception):
    """The file cannot be imported at all; ``str()`` is one line: ``file[:line]: reason``."""

    def __init__(self, file: str, reason: str, line: int | None = None) -> None:
        where = file if line is None else f"{file}:{line}"
        super().__init__(f"{where}: {reason}")
        self.file = file
        self.line = line
        self.reason = reason
