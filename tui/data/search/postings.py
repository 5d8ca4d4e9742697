"""Which papers hold which words: an inverted index over the folded titles and abstracts.

Scanning every abstract for a word costs about 1 ms per thousand papers (the text is about
1.3 KB a paper, searched at ~1.3 GB/s): a second at a million papers, on every keystroke that
brings a new word. The index answers the same question from the corpus's *distinct* words,
a hundred times less text.

A *word* here is a run of non-space characters of a title or abstract search key, exactly
as ``str.split()`` cuts it (punctuation included: ``models,`` and ``(llms)`` are words).
So a needle without whitespace occurs in a paper's keys exactly when it occurs inside one of
the paper's words: the papers holding it are those listed under the distinct words that
contain it. Finding those words is one ``bytes.find`` scan of the vocabulary (all distinct
words, UTF-8, each followed by a newline; kept in one block per chunk, of the words first
met there); their postings, stored per chunk of papers, give the papers. The answer is
exact, so search results are the same with or without the index; a needle with whitespace
(a phrase) is narrowed by each of its parts and then checked as before.

The index is built by :meth:`WordIndex.build` (``SearchIndex.warm``, in the reader's
background worker), a chunk at a time; searches use each chunk as soon as it is done and
scan the others. Per paper: a ``str.split()`` and a set of its words, then per distinct
word one look-up in the chunk's dictionary of word to positions and one ``array.append``
(a few C calls, so the interpreter lock is never held long). Per chunk: its distinct words
get global ids (one look-up each) and are sorted by id in pieces. About 80-100 µs of CPU a
paper on the 2-core reference VM (the earlier build, a global id look-up and a list append
per word of every paper, took 130-160 µs): 10 s per 100k papers, 1.5 minutes at a million
(4.4 minutes measured on the VM under a load of 6). Memory: two bytes per distinct word of
each paper (about 150 words a paper here: ~305 B), the chunks' word ids and offsets (~20 B)
and the vocabulary (~15 B at a million papers): about 350 B a paper; the resident set grows
by 0.45 KB a paper at a million papers (0.45 GB), 0.6 KB at 100k. The build's temporaries
are freed chunk by chunk, and the id dictionary a word at a time once the last chunk is done.
"""

from __future__ import annotations

import heapq
import threading
from array import array
from bisect import bisect_left, bisect_right
from collections import OrderedDict, defaultdict, deque
from collections.abc import Callable, Sequence
from functools import partial
from itertools import accumulate, count, repeat
from typing import TYPE_CHECKING

if TYPE_CHECKING:
    from .columns import Columns

MAX_WORDS = 20_000
"""A needle inside more distinct words than this (a letter or two: it is everywhere) is
looked for by scanning instead: the scan stops early in nearly every paper anyway."""
USE_FROM = 200
"""Candidate sets smaller than this are scanned directly (cheaper than the lookups)."""
WORD_COST = 4
"""A needle inside more than one word per this many candidates is looked for by scanning
the candidates instead: looking a word up in a chunk's postings and merging its papers
costs a few times what checking a paper does (and such a needle is found early in most)."""
_CHECK_EVERY = 1_024
"""Papers indexed between two checks of ``cancelled()``."""
_JOIN_AT_ONCE = 4_096
"""Words whose positions are joined by one C call (short holds of the interpreter lock)."""
_SORT_AT_ONCE = 4_096
_LOOKUPS_AT_ONCE = 4_096
_NEEDLES_KEPT = 256
_LOOKUPS_BETWEEN_PAUSES = 512
_UTF8 = ("utf-8", "surrogatepass")


class _Chunk:
    """One chunk's postings: the ids of its distinct words (ascending), and for the k-th
    of them the chunk-relative positions ``positions[offsets[k]:offsets[k + 1]]``
    (ascending) of the papers holding it."""

    __slots__ = ("offsets", "positions", "words")

    def __init__(self, words: array[int], offsets: array[int], positions: array[int]) -> None:
        self.words = words
        self.offsets = offsets
        self.positions = positions

    def papers(self, words: Sequence[int], pause: Callable[[], object]) -> Sequence[int]:
        """Chunk-relative positions (ascending) of the papers holding any of ``words``
        (ids); ``pause()`` is called between blocks of words."""
        ids, offsets, positions = self.words, self.offsets, self.positions
        size = len(ids)
        runs = []
        for n, word in enumerate(words):
            if not n % _LOOKUPS_BETWEEN_PAUSES:
                pause()
            k = bisect_left(ids, word)
            if k < size and ids[k] == word:
                runs.append(positions[offsets[k] : offsets[k + 1]])
        if len(runs) == 1:
            return runs[0]
        hits: set[int] = set()
        for n, run in enumerate(runs):
            if not n % _LOOKUPS_BETWEEN_PAUSES:
                pause()
            hits.update(run)
        return sorted(hits)


class _Block:
    """The words first met in one chunk (ids ``first``, ``first + 1``...): UTF-8, each
    followed by a newline, word ``first + k`` starting at ``starts[k]``."""

    __slots__ = ("first", "starts", "text")

    def __init__(self, first: int, text: bytes, starts: array[int]) -> None:
        self.first = first
        self.text = text
        self.starts = starts


class WordIndex:
    """Distinct words of the folded titles and abstracts, with the papers holding each."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._ids: dict[str, int] | None = {}  # while building
        self._blocks: list[_Block] = []  # the vocabulary, a block per chunk indexed
        self._chunks: list[_Chunk] = []  # chunks 0.. in order; appended as they are built
        self._lock = threading.Lock()
        self._needles: OrderedDict[str, tuple[int, array[int] | None]] = OrderedDict()

    @property
    def ready(self) -> bool:
        """Whether every chunk is indexed (until then, searches scan the others)."""
        return len(self._chunks) == self._columns.chunks

    def build(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Index every chunk (resuming after the last one a cancelled build finished);
        False if ``cancelled()`` stopped it first. Not to be run by two threads at once."""
        columns = self._columns
        for chunk in range(len(self._chunks), columns.chunks):
            if cancelled is not None and cancelled():
                return False
            columns.ensure_abstracts(chunk)
            if not self._index_chunk(chunk, cancelled):
                return False
        known, self._ids = self._ids, None  # only new chunks need it
        while known:  # freed a word at a time, not in one long C call
            known.popitem()
        return True

    def _index_chunk(self, chunk: int, cancelled: Callable[[], bool] | None) -> bool:
        columns = self._columns
        start, end = columns.bounds(chunk)
        titles = columns.title_keys[start:end]
        abstracts = columns.abstract_keys[start:end]
        # word -> positions of the papers holding it, words in order of first appearance
        lists: defaultdict[str, array[int]] = defaultdict(partial(array, "H"))
        papers_of = lists.__getitem__
        append = array.append
        for local in range(end - start):
            if local % _CHECK_EVERY == 0 and cancelled is not None and cancelled():
                return False
            held = set(titles[local].split())
            held.update(abstracts[local].split())
            # C-level loop: lists[word].append(local), for every distinct word
            deque(map(append, map(papers_of, held), repeat(local)), 0)
        del titles, abstracts
        known = self._ids
        assert known is not None
        first = len(known)
        words = list(lists)
        runs = list(lists.values())
        del lists
        # ids: the known words keep theirs; the new ones get the next, in order (so their
        # ids are ascending and above every known word's)
        fresh = [word for word in words if word not in known]
        ids = array("i")
        for at in range(0, len(words), _LOOKUPS_AT_ONCE):  # short holds of the lock
            known.update(zip(fresh[at : at + _LOOKUPS_AT_ONCE], count(first + at)))
        for at in range(0, len(words), _LOOKUPS_AT_ONCE):
            ids.extend(map(known.__getitem__, words[at : at + _LOOKUPS_AT_ONCE]))
        order = _ascending(ids, first)
        sorted_ids = array("i", map(ids.__getitem__, order))
        runs = list(map(runs.__getitem__, order))
        offsets = array("i", accumulate(map(len, runs), initial=0))
        positions = array("H")
        for at in range(0, len(runs), _JOIN_AT_ONCE):
            positions.frombytes(b"".join(runs[at : at + _JOIN_AT_ONCE]))
        text = "\n".join(fresh)
        if text.isascii():
            lengths = map(len, fresh)
        else:
            lengths = map(len, map(partial(str.encode, encoding=_UTF8[0], errors=_UTF8[1]), fresh))
        starts = array("i", accumulate(map((1).__add__, lengths), initial=0))
        self._blocks.append(_Block(first, (text + "\n").encode(*_UTF8), starts))
        self._chunks.append(_Chunk(sorted_ids, offsets, positions))
        return True

    def words_containing(self, needle: str) -> array[int] | None:
        """Ids (ascending) of the distinct words containing ``needle`` (in the chunks
        indexed so far); None if there are more than :data:`MAX_WORDS`."""
        blocks = self._blocks[:]
        with self._lock:
            done, known = self._needles.get(needle, (0, array("i")))
            if done:
                self._needles.move_to_end(needle)
        if known is None or done == len(blocks):
            return known
        # words of the blocks added since (ids above those already found): a copy, as
        # other threads may be reading the array cached
        found = _find(needle.encode(*_UTF8), blocks[done:], array("i", known), self._columns.pause)
        with self._lock:
            self._needles[needle] = (len(blocks), found)
            while len(self._needles) > _NEEDLES_KEPT:
                self._needles.popitem(last=False)
        return found

    def covers(self, candidates: Sequence[int]) -> bool:
        """Whether :meth:`narrow` may help with ``candidates``: enough of them, all in one
        chunk already indexed."""
        if len(candidates) < USE_FROM:
            return False
        size = self._columns.chunk_size
        chunk = candidates[0] // size
        return candidates[-1] // size == chunk and chunk < len(self._chunks)

    def narrow(self, needle: str, candidates: Sequence[int]) -> list[int] | None:
        """The candidates (ascending positions, all in one chunk) whose title or abstract
        key contains ``needle``; for a needle with whitespace, a superset: those containing
        each of its parts. None when the index cannot help (chunk not indexed yet, too few
        candidates, a needle inside too many words): then scan."""
        parts = needle.split()
        if not parts or not self.covers(candidates):
            return None
        chunk = candidates[0] // self._columns.chunk_size
        postings = self._chunks[chunk]
        offset, end = self._columns.bounds(chunk)
        whole = end - offset
        narrowed: list[int] | None = None
        for part in sorted(parts, key=len, reverse=True):
            survivors = candidates if narrowed is None else narrowed
            words = self.words_containing(part)
            if words is None or len(words) * WORD_COST > len(survivors):
                continue
            hits = postings.papers(words, self._columns.pause)
            if len(survivors) == whole:  # the whole chunk: the hits are the answer
                narrowed = list(map(offset.__add__, hits))
            else:
                found = set(map(offset.__add__, hits))
                narrowed = list(filter(found.__contains__, survivors))
            if not narrowed:
                break
        return narrowed


def _ascending(ids: array[int], first: int) -> list[int]:
    """The order (indices into ``ids``) that sorts ``ids``, whose values from ``first`` on
    are already ascending. Sorted in pieces and merged lazily: no long hold of the lock."""
    shift = len(ids).bit_length()
    mask = (1 << shift) - 1
    keyed = [(number << shift) | k for k, number in enumerate(ids) if number < first]
    pieces = [sorted(keyed[at : at + _SORT_AT_ONCE]) for at in range(0, len(keyed), _SORT_AT_ONCE)]
    order = [key & mask for key in heapq.merge(*pieces)]
    order += [k for k, number in enumerate(ids) if number >= first]
    return order


def _find(
    needle: bytes, blocks: Sequence[_Block], found: array[int], pause: Callable[[], object]
) -> array[int] | None:
    """``found`` extended with the ids of the words of ``blocks`` containing ``needle``;
    None if that makes more than :data:`MAX_WORDS`. ``pause()`` is called now and then."""
    if len(needle) <= 2 and sum(block.text.count(needle) for block in blocks) > MAX_WORDS:
        return None  # a letter or two: counted in C rather than found word by word
    for block in blocks:
        pause()
        text, starts, first = block.text, block.starts, block.first
        find = text.find
        at = find(needle)
        while at >= 0:
            word = bisect_right(starts, at) - 1
            found.append(first + word)
            if len(found) > MAX_WORDS:
                return None
            if not len(found) % _LOOKUPS_BETWEEN_PAUSES:
                pause()
            at = find(needle, starts[word + 1])
    return found
