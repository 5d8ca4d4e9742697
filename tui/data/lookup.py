"""Finding papers by id, and the one paper a user names by id, id prefix or title.

A columnar table (a big corpus) is searched through its ``ids`` and ``titles`` columns:
only the papers found are built.
"""

from __future__ import annotations

import re
from collections.abc import Iterator, Mapping, Sequence
from contextlib import suppress

from .models import Paper
from .text import normalise_title

MIN_ID_PREFIX = 4
_HEX = re.compile(r"[0-9a-f]+")
_ARXIV = re.compile(r"(?:arxiv:)?(\S+?)(?:v\d+)?", re.IGNORECASE)


def paper_ids(papers: Sequence[Paper]) -> Sequence[str]:
    """The papers' ids by position: a columnar table's ``ids`` column as it is (no paper is
    built), else each paper's id."""
    ids: Sequence[str] | None = getattr(papers, "ids", None)
    return ids if ids is not None else [paper.id for paper in papers]


class PapersById(Mapping[str, Paper]):
    """``papers`` keyed by id; a paper is built only when it is looked up.

    Making the index reads the ids only (about 0.1 s per million papers), where building a
    million papers from a columnar table takes most of a minute.
    """

    def __init__(self, papers: Sequence[Paper]) -> None:
        self.papers = papers
        self.positions = {paper_id: n for n, paper_id in enumerate(paper_ids(papers))}
        """Each id's position in ``papers``."""

    def __getitem__(self, paper_id: str) -> Paper:
        return self.papers[self.positions[paper_id]]

    def __contains__(self, paper_id: object) -> bool:
        return paper_id in self.positions

    def __iter__(self) -> Iterator[str]:
        return iter(self.positions)

    def __len__(self) -> int:
        return len(self.positions)


class LookupFailed(Exception):
    """No paper, or more than one, matches; ``candidates`` lists the near misses."""

    def __init__(self, message: str, candidates: Sequence[Paper] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


def find_paper(papers: Sequence[Paper], needle: str) -> Paper:
    """The paper ``needle`` names, tried in this order:

    1. its id (an arXiv id also as ``arXiv:2401.01234v2``), or an unambiguous id prefix of
       at least four hex digits;
    2. its title, ignoring case, accents, punctuation and spacing;
    3. an unambiguous part of its title, compared the same way.

    A columnar table (a big corpus) is searched column by column, without building papers.
    Raises :class:`LookupFailed` when nothing or several papers match.
    """
    text = needle.strip()
    lowered = text.lower()
    ids = paper_ids(papers)
    arxiv = _ARXIV.fullmatch(text)
    for wanted_id in (text, arxiv.group(1) if arxiv else None):
        if wanted_id:
            with suppress(ValueError):
                return papers[ids.index(wanted_id)]
    if len(lowered) >= MIN_ID_PREFIX and _HEX.fullmatch(lowered):
        by_id = [n for n, paper_id in enumerate(ids) if paper_id.startswith(lowered)]
        if len(by_id) == 1:
            return papers[by_id[0]]
    wanted = normalise_title(text)
    if not wanted:
        raise LookupFailed(f"no paper matches {needle!r}")
    titles = [normalise_title(title) for title in _titles(papers)]
    exact = [n for n, title in enumerate(titles) if title == wanted]
    partial = exact or [n for n, title in enumerate(titles) if wanted in title]
    if len(partial) == 1:
        return papers[partial[0]]
    if partial:
        raise LookupFailed(
            f"{needle!r} matches {len(partial)} papers; give more of the title or the id",
            [papers[n] for n in partial[:100]],
        )
    raise LookupFailed(f"no paper matches {needle!r}")


def _titles(papers: Sequence[Paper]) -> Sequence[str]:
    titles: Sequence[str] | None = getattr(papers, "titles", None)
    return titles if titles is not None else [paper.title for paper in papers]
