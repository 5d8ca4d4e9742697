"""Finding the one paper a user names by id, id prefix or title."""

from __future__ import annotations

import re
from collections.abc import Sequence

from .models import Paper
from .text import normalise_title

MIN_ID_PREFIX = 4
_HEX = re.compile(r"[0-9a-f]+")


class LookupFailed(Exception):
    """No paper, or more than one, matches; ``candidates`` lists the near misses."""

    def __init__(self, message: str, candidates: Sequence[Paper] = ()) -> None:
        super().__init__(message)
        self.candidates = tuple(candidates)


def find_paper(papers: Sequence[Paper], needle: str) -> Paper:
    """The paper ``needle`` names, tried in this order:

    1. its id, or an unambiguous id prefix of at least four hex digits;
    2. its title, ignoring case, accents, punctuation and spacing;
    3. an unambiguous part of its title, compared the same way.

    Raises :class:`LookupFailed` when nothing or several papers match.
    """
    text = needle.strip()
    lowered = text.lower()
    if len(lowered) >= MIN_ID_PREFIX and _HEX.fullmatch(lowered):
        by_id = [paper for paper in papers if paper.id.startswith(lowered)]
        if len(by_id) == 1:
            return by_id[0]
    wanted = normalise_title(text)
    if not wanted:
        raise LookupFailed(f"no paper matches {needle!r}")
    exact = [paper for paper in papers if normalise_title(paper.title) == wanted]
    if len(exact) == 1:
        return exact[0]
    partial = exact or [paper for paper in papers if wanted in normalise_title(paper.title)]
    if len(partial) == 1:
        return partial[0]
    if partial:
        raise LookupFailed(
            f"{needle!r} matches {len(partial)} papers; give more of the title or the id", partial
        )
    raise LookupFailed(f"no paper matches {needle!r}")
