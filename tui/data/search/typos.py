"""Typo tolerance: which corpus words a mistyped query word probably meant.

A word list with counts is gathered from every title and from the abstracts of up to
:data:`ABSTRACT_SAMPLE` papers spread over the corpus (all of them in smaller corpora).
A query word of :data:`ONE_TYPO` or more letters may differ from a corpus word, or from the
start of one (the word still being typed), by one edit; from :data:`TWO_TYPOS` letters by
two. An edit is an insertion, deletion, substitution or swap of neighbours (optimal string
alignment). The closest, most frequent candidates are kept; searching them as substrings
then finds the papers, in titles and abstracts alike.
"""

from __future__ import annotations

import re
import threading
from collections import Counter
from collections.abc import Callable
from functools import lru_cache

from rapidfuzz import process
from rapidfuzz.distance import OSA

from .columns import Columns

ONE_TYPO = 5
TWO_TYPOS = 9
ABSTRACT_SAMPLE = 10_000
MAX_ALTERNATIVES = 5
_WORD = re.compile(r"[^\W_]+")
# Work per C call (each holds the interpreter lock): a few milliseconds at most.
_TITLES_AT_ONCE = 2_000
_ABSTRACTS_AT_ONCE = 100
_STARTS_AT_ONCE = 20_000
PREPARED_PAPERS = 10_000
"""Corpora of up to this many papers (the reader searches them on its UI thread, where
building one length's table of word starts when a query first needed it stalled that
keystroke's frame by 5-15 ms) get their tables of every length up to :data:`PREPARED_LENGTH`
built ahead (:meth:`Vocabulary.prepare`), in the background: 2.7 MiB and 0.1 s for 1k papers,
6.4 MiB and 0.35 s for 10k."""
PREPARED_WORDS = 50_000
"""Nor more words than this (about 20 MiB of tables at most)."""
PREPARED_LENGTH = 24


def allowed_typos(word: str) -> int:
    """How many edits ``word`` may be away from what it matches."""
    if len(word) >= TWO_TYPOS:
        return 2
    return 1 if len(word) >= ONE_TYPO else 0


class Vocabulary:
    """Corpus words with counts, and typo alternatives for query words."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._counts: dict[str, int] | None = None
        self._prefixes: dict[int, tuple[dict[str, int], list[str], list[int]]] = {}
        self._lock = threading.Lock()
        self.alternatives = lru_cache(maxsize=512)(self._alternatives)

    @property
    def ready(self) -> bool:
        """Whether the word list is built."""
        return self._counts is not None

    def build(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Gather the word list (once); False if ``cancelled()`` stopped it."""
        if self._counts is not None:
            return True
        columns = self._columns
        raw: Counter[str] = Counter()
        keys = columns.title_keys
        for start in range(0, columns.size, _TITLES_AT_ONCE):
            if cancelled is not None and cancelled():
                return False
            raw.update(" ".join(keys[start : start + _TITLES_AT_ONCE]).split())
        step = max(1, columns.size // ABSTRACT_SAMPLE)
        for chunk in range(columns.chunks):
            start, end = columns.bounds(chunk)
            first = -(-start // step) * step
            if step == 1:
                columns.ensure_abstracts(chunk)
            for part in range(first, end, step * _ABSTRACTS_AT_ONCE):
                if cancelled is not None and cancelled():
                    return False
                stop = min(end, part + step * _ABSTRACTS_AT_ONCE)
                texts = [_fold(columns, position) for position in range(part, stop, step)]
                raw.update(" ".join(texts).split())
        counts: Counter[str] = Counter()
        for token, count in raw.items():
            for word in _WORD.findall(token):
                counts[word] += count
        with self._lock:
            self._counts = dict(counts)
        return True

    def prepare(self, cancelled: Callable[[], bool] | None = None) -> bool:
        """Build the word starts of every length a typed word is likely to need, for a
        corpus of up to :data:`PREPARED_PAPERS` papers and :data:`PREPARED_WORDS` words
        (requires :meth:`build`); False if cancelled first."""
        counts = self._counts
        if counts is None or len(counts) > PREPARED_WORDS or self._columns.size > PREPARED_PAPERS:
            return True
        for length in range(1, PREPARED_LENGTH + 1):
            if cancelled is not None and cancelled():
                return False
            self._prefix_table(length)
        return True

    def knows(self, word: str) -> bool:
        """Whether ``word`` is a corpus word or the start of one (requires :meth:`build`)."""
        return word in self._prefix_table(len(word))[0]

    def _prefix_table(self, length: int) -> tuple[dict[str, int], list[str], list[int]]:
        """Distinct word starts of ``length`` letters, with how often each occurs."""
        table = self._prefixes.get(length)
        if table is None:
            totals: Counter[str] = Counter()
            for word, count in (self._counts or {}).items():
                if len(word) >= length:
                    totals[word[:length]] += count
            table = (dict(totals), list(totals), list(totals.values()))
            with self._lock:
                self._prefixes[length] = table
        return table

    def _alternatives(self, word: str) -> tuple[str, ...]:
        """Up to :data:`MAX_ALTERNATIVES` corpus word starts within the allowed typos of
        ``word``; closest and most frequent first, none containing another."""
        limit = allowed_typos(word)
        if not limit or not self.build():
            return ()
        found: list[tuple[int, int, str]] = []
        for length in range(max(3, len(word) - limit), len(word) + limit + 1):
            _, starts, counts = self._prefix_table(length)
            for offset in range(0, len(starts), _STARTS_AT_ONCE):  # short holds of the GIL
                piece = starts[offset : offset + _STARTS_AT_ONCE]
                for text, distance, at in process.extract(
                    word, piece, scorer=OSA.distance, score_cutoff=limit, limit=None
                ):
                    if text != word:
                        found.append((int(distance), -counts[offset + at], text))
        found.sort()
        chosen: list[str] = []
        for _, _, text in found:
            if word in text or any(other in text for other in chosen):
                continue  # matches nothing new: the exact word or a kept start covers it
            chosen = [other for other in chosen if text not in other]
            chosen.append(text)
            if len(chosen) == MAX_ALTERNATIVES:
                break
        return tuple(chosen)


def _fold(columns: Columns, position: int) -> str:
    key = columns.abstract_keys[position]
    if key or not columns.abstracts[position]:
        return key
    from .keys import search_key

    return search_key(columns.abstracts[position])
