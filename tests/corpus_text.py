"""Builders of seed-format text for tests: the two layouts, from plain values."""

from __future__ import annotations

from collections.abc import Sequence
from dataclasses import dataclass

PAGE_HEADER = (
    "new\n\nGet trending papers in your email inbox!\n\nSubscribe\n\nDaily Papers\n\n"
    "byAK and the research community\n\nDec 10\n\n"
)
PAIRS_HEADER = "\n".join(
    [
        "Get trending papers in your email inbox once a day!",
        "Get trending papers in your email inbox!",
        "",
    ]
)


@dataclass(frozen=True)
class Item:
    """One paper as a test writes it."""

    title: str
    abstract: str
    authors: int = 3
    date: str = "Jul 3, 2024"
    upvotes: int | None = None


def page(items: Sequence[Item], *, header: bool = True) -> str:
    """A page capture with metadata blocks."""
    blocks = []
    for item in items:
        date = item.date if item.upvotes is None else f"{item.date} {item.upvotes}"
        noun = "author" if item.authors == 1 else "authors"
        blocks.append(f"{item.title}\n\n{item.abstract}\n\n  • {item.authors} {noun}\n·\n{date}")
    return (PAGE_HEADER if header else "") + "\n\n".join(blocks)


def pairs(items: Sequence[Item]) -> str:
    """The title/abstract pairs layout, first title glued to ``Subscribe``."""
    lines = []
    for item in items:
        lines += [item.title, item.abstract]
    return PAIRS_HEADER + "Subscribe" + "\n".join(lines)


ABSTRACT = "We study a problem that matters and show that our method works well in practice."
