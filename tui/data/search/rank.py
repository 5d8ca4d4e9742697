"""Relevance: the score of a match, and the order of a set of matches.

A result falls in one of five tiers, each a fifth of the 0-100 score:

====  ==========  ==========================================================
tier  score       how the paper matched
====  ==========  ==========================================================
0     80-100      every word exactly, in the title
1     60-80       every word exactly, some only in the abstract
2     40-60       with a typo allowed, every word in the title
3     20-40       with a typo allowed, some word only in the abstract
4     0-20        by the letters of its words in order, in the title
====  ==========  ==========================================================

Within a tier, the score grows with how well the words sit in the title
(:meth:`Scorer.similarity`): whole words beat word starts, which beat matches inside a
word; a title that is mostly the query beats a long one; words in the query's order beat
shuffled ones; a word found only in the abstract counts half. A query with no words to
compare (only filters or regexes) scores 100. Ties keep corpus order.

The scoring is a few ``str.find`` calls per word and paper (about 1-2 µs). A tier too big
to score on every keystroke (the query is still short; it shrinks as one types) is ranked
approximately, see :meth:`Scorer.rank`.
"""

from __future__ import annotations

from array import array
from collections.abc import Callable, Mapping, Sequence

from rapidfuzz import fuzz

RANK_CAP = 2_000
PARTIAL_CAP = 25_000
TIERS = 5
TIER_WIDTH = 100 / TIERS
ABSTRACT_TIERS = (1, 3)
"""Tiers whose papers may match some word only in the abstract (the others: titles only)."""
_WHOLE, _START, _INSIDE = 1.0, 0.85, 0.6
_ABSTRACT = 0.5
_TRIES = 4
_SCORED_AT_ONCE = 256
"""Papers scored between two pauses (about half a millisecond)."""
_BUCKETED_AT_ONCE = 4096


def band_score(tier: int, similarity: float) -> float:
    """The 0-100 score of a match in ``tier`` whose similarity is ``similarity`` (0-100)."""
    return round((TIERS - 1 - tier) * TIER_WIDTH + similarity / TIERS, 2)


class Scorer:
    """Scores papers against a query's positive words and phrases (folded keys)."""

    def __init__(self, words: Sequence[str], typos: Mapping[str, tuple[str, ...]]) -> None:
        self.words = tuple(dict.fromkeys(word for word in words if word))
        self.typos = typos

    def similarity(self, title: str, abstract: str, tier: int = 0) -> float:
        """0-100: how well the words match ``title`` (and ``abstract``), both keys.

        In the typo tiers a word absent from a field may count through its typo
        alternatives, graded by how close the corpus word is to the typed one; in the
        letters tier, by how tightly its letters sit in the title.
        """
        words = self.words
        if not words:
            return 100.0
        typo = tier in (2, 3)
        letters = tier == 4
        total = 0.0
        covered = 0
        found = 0
        in_order = 0
        last = -1
        size = len(title)
        for word in words:
            place = title.find(word)
            if place >= 0:
                end = place + len(word)
                if (place and title[place - 1].isalnum()) or (end < size and title[end].isalnum()):
                    quality, place = _quality(title, word, place)
                else:
                    quality = _WHOLE
                length = len(word)
            elif typo and word in self.typos:
                quality, place, length = self._typo(title, word)
            elif letters:
                quality, place, length = _letters(title, word)
            else:
                quality = 0.0
            if quality:
                covered += length
                found += 1
                in_order += place > last
                last = place
            elif abstract:
                hit = abstract.find(word)
                if hit >= 0:
                    quality = _ABSTRACT * _quality(abstract, word, hit)[0]
                elif typo and word in self.typos:
                    quality = _ABSTRACT * self._typo(abstract, word)[0]
            total += quality
        order = (in_order - 1) / (found - 1) if found > 1 else float(found)
        coverage = covered / size if covered < size else 1.0
        return 100 * (0.65 * total / len(words) + 0.2 * coverage + 0.15 * order)

    def _typo(self, key: str, word: str) -> tuple[float, int, int]:
        """(closeness, position, length) of the best typo alternative of ``word`` in ``key``."""
        best = (0.0, -1, 0)
        for alternative in self.typos.get(word, ()):
            place = key.find(alternative)
            if place >= 0:
                start, end = _word_around(key, place, place + len(alternative))
                closeness = fuzz.ratio(word, key[start:end]) / 100
                if closeness > best[0]:
                    best = (closeness, place, len(alternative))
        return best

    def rank(
        self,
        keys: tuple[Sequence[str], Sequence[str]],
        positions: Sequence[int],
        tier: int = 0,
        *,
        pause: Callable[[], object],
    ) -> Sequence[int]:
        """``positions`` best first.

        Up to :data:`RANK_CAP` papers are scored; of a larger set (up to
        :data:`PARTIAL_CAP`) the :data:`RANK_CAP` shortest titles are scored and put first,
        the rest follow shortest title first; a still larger set keeps corpus order.
        ``pause()`` is called between blocks of the work.
        """
        if not self.words or len(positions) > PARTIAL_CAP:
            return positions
        titles, abstracts = keys
        rest: list[int] = []
        if len(positions) > RANK_CAP:
            by_length = _by_length(title_lengths(titles), positions, pause)
            positions, rest = by_length[:RANK_CAP], by_length[RANK_CAP:]
        similarity = self.similarity
        scores: list[float] = []
        for at in range(0, len(positions), _SCORED_AT_ONCE):
            pause()
            block = positions[at : at + _SCORED_AT_ONCE]
            scores += [similarity(titles[p], abstracts[p], tier) for p in block]
        order = sorted(range(len(positions)), key=scores.__getitem__, reverse=True)
        ranked = [positions[k] for k in order]
        ranked += rest
        return ranked


def _by_length(
    lengths: array[int], positions: Sequence[int], pause: Callable[[], object]
) -> list[int]:
    """``positions`` by title length, shortest first (stable; a bucket pass, so the
    interpreter lock is never held long)."""
    buckets: dict[int, list[int]] = {}
    for k, position in enumerate(positions):
        if not k % _BUCKETED_AT_ONCE:
            pause()
        size = lengths[position]
        bucket = buckets.get(size)
        if bucket is None:
            buckets[size] = [position]
        else:
            bucket.append(position)
    ordered: list[int] = []
    for size in sorted(buckets):
        ordered += buckets[size]
    return ordered


_lengths: list[tuple[Sequence[str], array[int]]] = []


def title_lengths(titles: Sequence[str]) -> array[int]:
    """The length of every title key (cached for the last key list asked about)."""
    for known, found in _lengths:
        if known is titles and len(found) == len(titles):
            return found
    found = array("H")
    found.extend(min(len(title), 65_535) for title in titles)  # bytecode: lock released
    _lengths[:] = [(titles, found)]
    return found


def _quality(key: str, word: str, place: int) -> tuple[float, int]:
    """The best of the first occurrences of ``word`` in ``key`` from ``place``: whole word,
    word start or inside a word; and where it is."""
    best, best_place = 0.0, place
    tries = 0
    size = len(key)
    while place >= 0 and tries < _TRIES:
        starts = place == 0 or not key[place - 1].isalnum()
        end = place + len(word)
        ends = end == size or not key[end].isalnum()
        quality = _WHOLE if starts and ends else _START if starts else _INSIDE
        if quality > best:
            best, best_place = quality, place
            if quality == _WHOLE:
                break
        place = key.find(word, place + 1)
        tries += 1
    return best, best_place


def letter_places(key: str, word: str) -> list[int] | None:
    """Where the letters of ``word`` sit in ``key``, in order, as tightly as the first few
    starting points allow; None when they are not all there in order."""
    best: list[int] | None = None
    start = key.find(word[0]) if word else -1
    tries = 0
    while start >= 0 and tries < _TRIES:
        places = [start]
        at = start
        for char in word[1:]:
            at = key.find(char, at + 1)
            if at < 0:
                return best
            places.append(at)
        if best is None or places[-1] - places[0] < best[-1] - best[0]:
            best = places
        start = key.find(word[0], start + 1)
        tries += 1
    return best


def _letters(key: str, word: str) -> tuple[float, int, int]:
    """(tightness, position, span) of ``word``'s letters in order in ``key``."""
    places = letter_places(key, word)
    if places is None:
        return 0.0, -1, 0
    span = places[-1] - places[0] + 1
    return len(word) / span, places[0], span


def _word_around(key: str, start: int, end: int) -> tuple[int, int]:
    """The whole word of ``key`` containing ``key[start:end]``."""
    while start > 0 and key[start - 1].isalnum():
        start -= 1
    while end < len(key) and key[end].isalnum():
        end += 1
    return start, end
