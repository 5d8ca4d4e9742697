"""Ordering papers by date, upvotes, author count or title.

Each key has a natural direction (newest, most upvoted, most authors first; titles A to Z)
that ``reverse`` flips. Papers with the value unknown always come last, in either direction:
a paper whose date has no year sorts after every paper with a full date, and papers with
no date at all after those, each group in corpus order.
"""

from __future__ import annotations

from collections.abc import Callable, Sequence
from enum import Enum
from typing import TypeVar

from .models import Paper
from .text import fold

T = TypeVar("T")


class SortKey(str, Enum):
    """The orders a listing can be shown in."""

    DATE = "date"
    UPVOTES = "upvotes"
    AUTHORS = "authors"
    TITLE = "title"


_Key = tuple[int, tuple[object, ...]]


def _date(paper: Paper) -> _Key:
    if paper.date is None:
        return (2, ())
    if paper.date.year is None:
        return (1, (-paper.date.month, -paper.date.day))
    return (0, (-paper.date.year, -paper.date.month, -paper.date.day))


def _upvotes(paper: Paper) -> _Key:
    return (1, ()) if paper.upvotes is None else (0, (-paper.upvotes,))


def _authors(paper: Paper) -> _Key:
    return (1, ()) if paper.authors is None else (0, (-paper.authors,))


def _title(paper: Paper) -> _Key:
    return (0, (fold(paper.title),))


_KEYS: dict[SortKey, Callable[[Paper], _Key]] = {
    SortKey.DATE: _date,
    SortKey.UPVOTES: _upvotes,
    SortKey.AUTHORS: _authors,
    SortKey.TITLE: _title,
}


def sort_papers(
    items: Sequence[T], key: SortKey, *, reverse: bool = False, paper: Callable[[T], Paper]
) -> list[T]:
    """``items`` ordered by ``key`` of ``paper(item)``; stable, unknown values last."""
    known_key = _KEYS[key]
    keyed = [(known_key(paper(item)), index, item) for index, item in enumerate(items)]
    groups: dict[int, list[tuple[tuple[object, ...], int, T]]] = {}
    for (group, value), index, item in keyed:
        groups.setdefault(group, []).append((value, index, item))
    ordered: list[T] = []
    for group in sorted(groups):
        members = groups[group]
        members.sort(key=lambda member: member[0], reverse=reverse)
        ordered.extend(item for _, _, item in members)
    return ordered


def sort_paper_list(papers: Sequence[Paper], key: SortKey, *, reverse: bool = False) -> list[Paper]:
    """Papers ordered by ``key`` (see :func:`sort_papers`)."""
    return sort_papers(papers, key, reverse=reverse, paper=lambda p: p)
