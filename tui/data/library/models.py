"""The values the library hands out: annotation records, reading lists, and ``Complement``."""

from __future__ import annotations

from collections.abc import Iterable, Iterator, Set
from dataclasses import dataclass
from typing import Any, Protocol


class PaperLike(Protocol):
    """Anything with a stable ``id`` and a ``title``: a :class:`tui.data.models.Paper`."""

    @property
    def id(self) -> str: ...

    @property
    def title(self) -> str: ...


#: How a change names a paper: a :class:`PaperLike` (its title is remembered, so the paper can
#: be shown by title when a later corpus lacks it) or a bare id (the title stays as known).
Target = PaperLike | str


@dataclass(frozen=True)
class Annotation:
    """Everything the library holds about one paper.

    ``title`` is the title remembered when the paper was annotated (``None`` if only its id
    was ever given). Timestamps are UTC, ISO 8601 with milliseconds and a ``Z``. A paper the
    library knows nothing about has an annotation with every field empty (``bool(a)`` is
    false).
    """

    id: str
    title: str | None = None
    bookmarked_at: str | None = None
    read_at: str | None = None
    tags: tuple[str, ...] = ()
    note: str = ""
    lists: tuple[str, ...] = ()

    @property
    def bookmarked(self) -> bool:
        """Whether the paper is bookmarked."""
        return self.bookmarked_at is not None

    @property
    def read(self) -> bool:
        """Whether the paper is marked read."""
        return self.read_at is not None

    def __bool__(self) -> bool:
        return bool(self.bookmarked_at or self.read_at or self.tags or self.note or self.lists)


@dataclass(frozen=True)
class ReadingList:
    """A named reading list: its papers' ids in the order they were added."""

    name: str
    created_at: str
    ids: tuple[str, ...]

    def __len__(self) -> int:
        return len(self.ids)


class Complement(Set[str]):
    """Every paper id *except* ``excluded``: the answer to ``is:unread``.

    The library does not know the corpus, so it cannot list the unread papers; it knows the
    read ones. Membership is exact (``paper.id in unread``), and intersecting with a finite set
    works in either order (``ids & unread``, ``unread & ids``, ``ids - unread``) and returns a
    plain ``frozenset``. Anything that would need the whole universe (iterating, ``len``,
    ``|``) raises ``TypeError`` instead of answering wrongly; :meth:`within` gives the members
    of a known universe.
    """

    __slots__ = ("excluded",)

    def __init__(self, excluded: Iterable[str]) -> None:
        self.excluded = frozenset(excluded)

    def __contains__(self, item: object) -> bool:
        return item not in self.excluded

    def __iter__(self) -> Iterator[str]:
        raise TypeError("a Complement cannot be enumerated; test membership or use within()")

    def __len__(self) -> int:
        raise TypeError("a Complement has no length; use within()")

    def __bool__(self) -> bool:
        return True

    def __eq__(self, other: object) -> bool:
        return isinstance(other, Complement) and other.excluded == self.excluded

    def __hash__(self) -> int:
        return hash((Complement, self.excluded))

    def __repr__(self) -> str:
        return f"Complement({sorted(self.excluded)!r})"

    @classmethod
    def _from_iterable(cls, it: Iterable[Any]) -> frozenset[Any]:
        return frozenset(it)

    def within(self, universe: Iterable[str]) -> frozenset[str]:
        """The members of ``universe`` that are in this set."""
        return frozenset(item for item in universe if item not in self.excluded)
