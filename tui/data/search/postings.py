"""Which papers hold which words: an inverted index over the folded titles and abstracts.

Scanning every abstract for a word costs about 1 ms per thousand papers (the text is about
1.3 KB a paper, searched at ~1.3 GB/s): a second at a million papers, on every keystroke that
brings a new word. The index answers the same question from the corpus's *distinct* words,
a hundred times less text.

A *word* here is a run of non-space characters of a title or abstract search key, exactly
as ``str.split()`` cuts it (punctuation included: ``models,`` and ``(llms)`` are words).
So a needle without whitespace occurs in a paper's keys exactly when it occurs inside one of
the paper's words: the papers holding it are those listed under the distinct words that
contain it. Finding those words is one ``str.find`` scan of the vocabulary (all distinct
words joined by newlines); their postings, stored per chunk of papers, give the papers.
The answer is exact, so search results are the same with or without the index; a needle
with whitespace (a phrase) is narrowed by each of its parts and then checked as before.

The index is built by :meth:`WordIndex.build` (``SearchIndex.warm``, in the reader's
background worker), a paper at a time (each step is a few C calls, so the interpreter lock
is never held long); until it is complete, searches scan as before. Memory: two bytes per
distinct word of each paper (about 150 words a paper here: ~310 bytes) plus the vocabulary.
"""

from __future__ import annotations

import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Sequence
from itertools import accumulate, count, repeat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .columns import Columns

MAX_WORDS = 20_000
"""A needle inside more distinct words than this (a letter or two: it is everywhere) is
looked for by scanning instead: the scan stops early in nearly every paper anyway."""
USE_FROM = 200
"""Candidate sets smaller than this are scanned directly (cheaper than the lookups). A set
smaller than the number of words holding the needle is scanned too: a lookup per word
costs about what checking one paper does."""
MAX_PAPERS = 250_000
"""Corpora bigger than this get no word index: it costs about 110 µs and 0.8 KB a paper to
build (two minutes of background work and 0.8 GB at a million papers, over the memory budget
of docs/big-corpora.md), so there searches keep scanning the abstracts."""
_FINALIZE_AT_ONCE = 2_000
_NEEDLES_KEPT = 256


class _Chunk:
    """One chunk's postings: the ids of its distinct words (ascending), and for the k-th
    of them the chunk-relative positions ``positions[offsets[k]:offsets[k + 1]]``."""

    __slots__ = ("offsets", "positions", "words")

    def __init__(self, words: array[int], offsets: array[int], positions: array[int]) -> None:
        self.words = words
        self.offsets = offsets
        self.positions = positions


class WordIndex:
    """Distinct words of the folded titles and abstracts, with the papers holding each."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._ids: defaultdict[str, int] | None = defaultdict(count().__next__)
        self._chunks: list[_Chunk] = []
        self._vocabulary = ""
        self._starts: array[int] = array("i")
        self._ready = False
        self._building = threading.Lock()
        self._lock = threading.Lock()
        self._needles: OrderedDict[str, array[int] | None] = OrderedDict()

    @property
    def ready(self) -> bool:
        """Whether the index is complete (searches use it only then)."""
        return self._ready

    def build(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Index every paper (resuming where a cancelled build stopped); False if
        ``cancelled()`` stopped it first."""
        with self._building:
            if self._ready:
                return True
            columns = self._columns
            if columns.size > MAX_PAPERS:
                return True
            for chunk in range(len(self._chunks), columns.chunks):
                if cancelled is not None and cancelled():
                    return False
                columns.ensure_abstracts(chunk)
                postings = self._index_chunk(chunk, cancelled)
                if postings is None:
                    return False
                self._chunks.append(postings)
            assert self._ids is not None
            words = list(self._ids)  # in id order: ids are given on first insertion
            self._vocabulary = "\n".join(words) + "\n"
            self._starts = array("i", accumulate((len(word) + 1 for word in words), initial=0))
            self._ids = None
            self._ready = True
            return True

    def _index_chunk(self, chunk: int, cancelled: Callable[[], bool] | None) -> _Chunk | None:
        columns = self._columns
        start, end = columns.bounds(chunk)
        titles, abstracts = columns.title_keys, columns.abstract_keys
        assert self._ids is not None
        word_id = self._ids.__getitem__
        lists: defaultdict[int, list[int]] = defaultdict(list)
        papers_of = lists.__getitem__
        append = list.append
        for position in range(start, end):
            words = set(titles[position].split())
            words.update(abstracts[position].split())
            # C-level loop: lists[word_id(word)].append(local position), for every word
            deque(map(append, map(papers_of, map(word_id, words)), repeat(position - start)), 0)
        if cancelled is not None and cancelled():
            return None
        ids = array("i", sorted(lists))
        offsets = array("i", [0])
        positions = array("H")
        for at in range(0, len(ids), _FINALIZE_AT_ONCE):  # short holds of the GIL
            for word in ids[at : at + _FINALIZE_AT_ONCE]:
                positions.extend(lists[word])
                offsets.append(len(positions))
        return _Chunk(ids, offsets, positions)

    def words_containing(self, needle: str) -> array[int] | None:
        """Ids (ascending) of the distinct words containing ``needle``; None if there are
        more than :data:`MAX_WORDS` (or the index is not ready)."""
        if not self._ready:
            return None
        with self._lock:
            if needle in self._needles:
                self._needles.move_to_end(needle)
                return self._needles[needle]
        vocabulary, starts = self._vocabulary, self._starts
        found: array[int] | None = array("i")
        find = vocabulary.find
        at = find(needle)
        while at >= 0:
            word = bisect_right(starts, at) - 1
            assert found is not None
            found.append(word)
            if len(found) > MAX_WORDS:
                found = None
                break
            at = find(needle, starts[word + 1])
        with self._lock:
            self._needles[needle] = found
            while len(self._needles) > _NEEDLES_KEPT:
                self._needles.popitem(last=False)
        return found

    def narrow(self, needle: str, candidates: Sequence[int]) -> list[int] | None:
        """The candidates (ascending positions, all in one chunk) whose title or abstract
        key contains ``needle``; for a needle with whitespace, a superset: those containing
        each of its parts. None when the index cannot help (not built, too few candidates,
        a needle inside too many words): then scan."""
        if not self._ready or len(candidates) < USE_FROM:
            return None
        parts = needle.split()
        if not parts:
            return None
        size = self._columns.chunk_size
        chunk = candidates[0] // size
        if candidates[-1] // size != chunk:
            return None
        postings = self._chunks[chunk]
        offset, end = self._columns.bounds(chunk)
        whole = end - offset
        narrowed: list[int] | None = None
        for part in sorted(parts, key=len, reverse=True):
            survivors = candidates if narrowed is None else narrowed
            words = self.words_containing(part)
            if words is None or len(words) > len(survivors):
                continue
            hits = _papers(postings, words)
            if len(survivors) == whole:  # the whole chunk: the hits are the answer
                narrowed = [local + offset for local in sorted(hits)]
            else:
                narrowed = [i for i in survivors if i - offset in hits]
            if not narrowed:
                break
        return narrowed


def _papers(postings: _Chunk, words: array[int]) -> set[int]:
    """Chunk-relative positions of the papers holding any of ``words``."""
    ids, offsets, positions = postings.words, postings.offsets, postings.positions
    hits: set[int] = set()
    size = len(ids)
    for word in words:
        k = bisect_left(ids, word)
        if k < size and ids[k] == word:
            hits.update(positions[offsets[k] : offsets[k + 1]])
    return hits
