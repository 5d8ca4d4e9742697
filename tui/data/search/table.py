"""Papers stored column by column: a ``Sequence[Paper]`` for very large corpora.

A million pydantic :class:`~tui.data.models.Paper` objects cost seconds to build and
gigabytes of memory. :class:`PaperTable` keeps plain lists instead and builds a ``Paper``
only when one is read (the visible rows, the detail pane). :class:`SearchIndex` reads the
columns directly, so indexing a table never materialises a paper.
"""

from __future__ import annotations

from collections.abc import Callable, Iterator, Sequence
from typing import NamedTuple, overload

from ..models import Paper, PaperDate, SourceRef
from ..text import find_urls


class Listing(NamedTuple):
    """What the results list shows of a paper (a :class:`~tui.data.models.Listed`), read
    from the columns without building the paper (nor reading its abstract)."""

    id: str
    title: str
    date: PaperDate | None
    upvotes: int | None
    authors: int | None


class PaperTable(Sequence[Paper]):
    """Papers as parallel columns; ``table[i]`` builds paper ``i`` on demand.

    ``years`` holds ``None`` for a date without a year, ``months``/``days`` hold 0 for a
    paper without a date; ``authors``/``upvotes`` hold ``None`` when unknown. The values
    are trusted (no validation), so build a table only from data you generated or already
    validated. Each paper's source is ``source`` at line ``i + 1``. The optional
    ``author_names`` (names as written, comma-separated) and ``categories``
    (space-separated) columns feed the ``author:`` and ``cat:`` filters. ``title_keys``,
    when given, are the titles' search keys (:func:`~tui.data.search.keys.search_key`)
    made already, so that indexing does not make them again.
    """

    def __init__(
        self,
        *,
        ids: Sequence[str],
        titles: Sequence[str],
        abstracts: Sequence[str],
        authors: Sequence[int | None],
        upvotes: Sequence[int | None],
        years: Sequence[int | None],
        months: Sequence[int],
        days: Sequence[int],
        source: str = "<generated>",
        author_names: Sequence[str] | None = None,
        categories: Sequence[str] | None = None,
        title_keys: Sequence[str] | Callable[[], Sequence[str] | None] | None = None,
    ) -> None:
        size = len(ids)
        columns = (titles, abstracts, authors, upvotes, years, months, days)
        if any(len(column) != size for column in columns):
            raise ValueError("all columns of a PaperTable must have the same length")
        self.ids = ids
        self.titles = titles
        self.abstracts = abstracts
        self.authors = authors
        self.upvotes = upvotes
        self.years = years
        self.months = months
        self.days = days
        self.source = source
        self.author_names = author_names
        self.categories = categories
        self._title_keys = title_keys

    @property
    def title_keys(self) -> Sequence[str] | None:
        """The titles' search keys when they came with the columns (read from the cache on
        first use); None: the search makes them."""
        keys = self._title_keys
        if callable(keys):
            keys = self._title_keys = keys()
        return keys if keys is not None and len(keys) == len(self.ids) else None

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Paper: ...

    @overload
    def __getitem__(self, index: slice) -> Sequence[Paper]: ...

    def __getitem__(self, index: int | slice) -> Paper | Sequence[Paper]:
        if isinstance(index, slice):
            return [self._paper(i) for i in range(*index.indices(len(self)))]
        if index < 0:
            index += len(self)
        if not 0 <= index < len(self):
            raise IndexError("PaperTable index out of range")
        return self._paper(index)

    def __iter__(self) -> Iterator[Paper]:
        return (self._paper(i) for i in range(len(self)))

    def listing(self, index: int) -> Listing:
        """What the results list shows of paper ``index`` (cheaper than ``table[index]``)."""
        return Listing(
            self.ids[index],
            self.titles[index],
            self.date(index),
            self.upvotes[index],
            self.authors[index],
        )

    def date(self, index: int) -> PaperDate | None:
        """The date of paper ``index`` (``None`` when it has none)."""
        month = self.months[index]
        if not month:
            return None
        return PaperDate.model_construct(year=self.years[index], month=month, day=self.days[index])

    def _paper(self, index: int) -> Paper:
        abstract = self.abstracts[index]
        return Paper.model_construct(
            id=self.ids[index],
            title=self.titles[index],
            abstract=abstract,
            authors=self.authors[index],
            date=self.date(index),
            upvotes=self.upvotes[index],
            sources=(SourceRef.model_construct(file=self.source, line=index + 1),),
            urls=find_urls(abstract),
        )
