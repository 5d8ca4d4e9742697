"""The search index: staged, cancellable search and on-demand explanations.

Stages of one query (each result supersedes the previous; see :mod:`.evaluate` for the
modes and :mod:`.rank` for the tiers):

1. ``title``: papers whose titles hold every word (ranked) - fast, shown first;
2. ``abstract``: plus papers where some word is only in the abstract;
3. ``typo``: when fewer than :data:`TYPO_BELOW` papers match exactly, the words of five
   or more letters that are not corpus words (nor the start of one) also match close
   corpus words; when nothing matches exactly, every such word does (a typo can make
   another real word). Titles first, then abstracts;
4. letters in order: when nothing at all matched, words of three or more letters match
   titles holding their letters in order (the result is yielded as ``done``).

Stages that cannot change anything are skipped, and a stage that changed nothing is not
yielded; the last result is marked complete.
"""

from __future__ import annotations

import threading
import time
from array import array
from collections import OrderedDict
from collections.abc import Callable, Generator, Iterator, Sequence, Set
from dataclasses import dataclass, field
from functools import lru_cache
from itertools import filterfalse

from ..models import Paper
from ..sorting import SortKey
from .columns import CHUNK, Columns
from .evaluate import LETTERS_FROM, Cancelled, ChunkCache, Evaluator, Typos
from .explain import describe
from .orders import Orders
from .query import InLibrary, Node, QueryError, Text, leaves, parse
from .rank import ABSTRACT_TIERS, PARTIAL_CAP, Scorer, band_score
from .regexes import RegexTooSlow, scan_limit
from .result import Library, Match, SearchResult
from .typos import Vocabulary

TYPO_BELOW = 20
"""Typo matching is tried when fewer papers than this match exactly."""

EARLY_AFTER = 0.03
"""Seconds into a long title scan after which matches found so far are shown (when they
are already too many to rank, so that they are a prefix of the full title result)."""

_PLANS = 256


class _Blank(Sequence[str]):
    """Empty strings at every position: the abstracts, for tiers ranked on titles alone."""

    def __len__(self) -> int:
        return 2**31 - 1

    def __getitem__(self, position: int) -> str:  # type: ignore[override]
        return ""


_NO_ABSTRACTS: Sequence[str] = _Blank()


@dataclass
class _Plan:
    """A parsed query, ready to run."""

    node: Node | None
    sets: dict[tuple[str, str], Set[str]] = field(default_factory=dict)
    words: tuple[str, ...] = ()  # the positive words and phrases, for ranking
    staged: bool = False  # has positive words that may also match abstracts
    spelled: bool = False  # has positive words that may match by their letters in order
    eligible: tuple[str, ...] = ()  # positive words that may match with typos
    typos: Typos | None = None  # decided after the exact stages; {} = no typo stage
    letters: bool | None = None  # whether the letters stage ran (nothing else matched)


class SearchIndex:
    """Search over ``papers`` (positions in ``papers`` identify results).

    See the package docstring (:mod:`tui.data.search`) for the API contract.
    ``chunk_size`` (papers per unit of caching and cancellation) is for tests.
    """

    def __init__(
        self,
        papers: Sequence[Paper],
        *,
        chunk_size: int = CHUNK,
        pause: Callable[[], object] | None = None,
    ) -> None:
        """``pause`` is called between blocks of a millisecond or less of work (searching,
        ranking, building keys): a program that runs them in a background thread may use it
        to let its UI thread go first."""
        self.papers = papers
        self._columns = Columns(papers, chunk_size)
        if pause is not None:
            self._columns.pause = pause
        self._orders = Orders(self._columns)
        self._vocabulary = Vocabulary(self._columns)
        self._cache = ChunkCache(self._columns)
        self._plans: OrderedDict[tuple[str, tuple[int, ...]], _Plan] = OrderedDict()
        self._lock = threading.Lock()

    def __len__(self) -> int:
        return self._columns.size

    def warm(self, cancelled: Cancelled | None = None) -> bool:
        """Build the lazy parts now (abstract keys, typo word list and, for a small corpus,
        its word starts, word index); False if cancelled."""
        return (
            self._columns.warm(cancelled)
            and self._vocabulary.build(cancelled)
            and self._vocabulary.prepare(cancelled)
            and self._columns.words.build(cancelled)
        )

    def clear_cache(self) -> None:
        """Forget the results kept for narrowing later queries (to free their memory, or to
        measure a query from scratch); keys and word list stay."""
        self._cache = ChunkCache(self._columns)
        with self._lock:
            self._plans.clear()

    # --- searching ---------------------------------------------------------------------

    def search(
        self,
        query: str,
        *,
        sort: SortKey | None = None,
        reverse: bool = False,
        library: Library | None = None,
        cancelled: Cancelled | None = None,
    ) -> SearchResult:
        """The complete result of ``query`` (``complete=False`` if cancelled first)."""
        stages = self.search_stages(
            query, sort=sort, reverse=reverse, library=library, cancelled=cancelled
        )
        result = SearchResult(query, complete=False, sort=sort, reverse=reverse, stage="title")
        for result in stages:  # noqa: B007 - the last one is the answer
            pass
        return result

    def search_stages(
        self,
        query: str,
        *,
        sort: SortKey | None = None,
        reverse: bool = False,
        library: Library | None = None,
        cancelled: Cancelled | None = None,
    ) -> Iterator[SearchResult]:
        """Progressive results of ``query``; see the package docstring."""
        sort = SortKey(sort) if sort is not None else None
        try:
            plan = self._plan(query, library)
        except QueryError as failure:
            yield SearchResult(query, error=str(failure), sort=sort, reverse=reverse)
            return
        if plan.node is None:
            yield SearchResult(query, self._everything(sort, reverse), sort=sort, reverse=reverse)
            return
        try:
            with scan_limit():
                yield from _Run(self, plan, query, sort, reverse, cancelled).stages()
        except RegexTooSlow as failure:
            yield SearchResult(query, error=str(failure), sort=sort, reverse=reverse)

    def _everything(self, sort: SortKey | None, reverse: bool) -> Sequence[int]:
        size = self._columns.size
        if sort is None:
            return range(size - 1, -1, -1) if reverse else range(size)
        return self._orders.order(sort, reverse)

    def _plan(self, query: str, library: Library | None) -> _Plan:
        """The plan of ``query``, cached while the library sets it reads stay the same."""
        node = _parse(query)
        sets = {
            (leaf.kind, leaf.value): _library_set(library, leaf)
            for leaf, _ in leaves(node)
            if isinstance(leaf, InLibrary)
        }
        key = (query, tuple(hash(found) for found in sets.values()))
        with self._lock:
            plan = self._plans.get(key)
            if plan is not None:
                self._plans.move_to_end(key)
                return plan
        plan = _Plan(node, sets)
        words: list[str] = []
        eligible: list[str] = []
        for leaf, positive in leaves(node):
            if isinstance(leaf, Text) and positive and leaf.kind != "regex":
                words.append(leaf.value)
                if leaf.typo_eligible:
                    eligible.append(leaf.value)
            if isinstance(leaf, Text) and positive and leaf.scope == "any":
                plan.staged = True
            if (
                isinstance(leaf, Text)
                and positive
                and leaf.kind == "word"
                and leaf.scope != "abstract"
                and len(leaf.value) >= LETTERS_FROM
            ):
                plan.spelled = True
        plan.words = tuple(words)
        plan.eligible = tuple(dict.fromkeys(eligible))
        with self._lock:
            self._plans[key] = plan
            while len(self._plans) > _PLANS:
                self._plans.popitem(last=False)
        return plan

    def evaluate(
        self, plan: _Plan, mode: str, cancelled: Cancelled | None
    ) -> list[array[int]] | None:
        """Positions matching ``plan`` in ``mode``, per chunk, ascending; None if cancelled."""
        assert plan.node is not None
        evaluator = Evaluator(self._columns, mode, plan.sets, plan.typos or {})
        return self._cache.evaluate(plan.node, evaluator, mode, cancelled)

    def chunks(
        self, plan: _Plan, mode: str, cancelled: Cancelled | None
    ) -> Iterator[array[int] | None]:
        """Like :meth:`evaluate`, one chunk at a time (a final None: cancelled)."""
        assert plan.node is not None
        evaluator = Evaluator(self._columns, mode, plan.sets, plan.typos or {})
        return self._cache.chunks(plan.node, evaluator, mode, cancelled)

    def decide_typos(self, plan: _Plan, exact: int, cancelled: Cancelled | None) -> bool:
        """Choose the words to correct (``plan.typos``); False if cancelled meanwhile."""
        if plan.typos is not None:
            return True
        if exact >= TYPO_BELOW or not plan.eligible:
            plan.typos = {}
            return True
        vocabulary = self._vocabulary
        if not vocabulary.build(cancelled):
            return False
        unknown = [word for word in plan.eligible if not vocabulary.knows(word)]
        chosen = unknown or (list(plan.eligible) if not exact else [])
        typos = {word: vocabulary.alternatives(word) for word in chosen}
        plan.typos = {word: alts for word, alts in typos.items() if alts}
        return True

    def arrange(self, positions: Sequence[int], sort: SortKey, reverse: bool) -> array[int]:
        """``positions`` in ``sort`` order."""
        return self._orders.arrange(positions, sort, reverse)

    @property
    def columns(self) -> Columns:
        """The per-paper columns the index reads."""
        return self._columns

    # --- explaining --------------------------------------------------------------------

    def explain(
        self, query: str, position: int, *, library: Library | None = None, spans: bool = True
    ) -> Match | None:
        """Why paper ``position`` matches ``query``; None if it does not or the query is bad.
        With ``spans=False``, the score and fields alone (no spans nor corrections), a few
        times faster."""
        try:
            plan = self._plan(query, library)
        except QueryError:
            return None
        if not 0 <= position < self._columns.size:
            return None
        node = plan.node
        if node is None:
            return Match(score=100.0)
        if plan.typos is None or plan.letters is None:
            self.search(query, library=library)  # decides whether typos and letters apply
        columns = self._columns
        columns.ensure_abstracts(position // columns.chunk_size)
        for mode, tier in _steps(plan):
            if (tier in (2, 3) and not plan.typos) or (tier == 4 and not plan.letters):
                continue
            evaluator = Evaluator(columns, mode, plan.sets, plan.typos or {})
            try:
                matches = evaluator.filter(node, [position])
            except RegexTooSlow:
                return None
            if matches:
                fields, found, corrections = describe(
                    columns, node, evaluator, position, spans=spans
                )
                similarity = _scorer(plan).similarity(
                    columns.title_keys[position],
                    columns.abstract_keys[position] if tier in ABSTRACT_TIERS else "",
                    tier,
                )
                return Match(band_score(tier, similarity), fields, found, corrections)
        return None


def _steps(plan: _Plan) -> list[tuple[str, int]]:
    """The evaluation modes of ``plan`` with the tier each one's new matches fall in (the
    typo and letters modes whether or not they turn out to be needed)."""
    steps = [("title", 0), ("full", 1)] if plan.staged else [("full", 0)]
    steps += [("typo_title", 2), ("typo_full", 3)] if plan.staged else [("typo_full", 2)]
    if plan.spelled:
        steps.append(("letters", 4))
    return steps


def _joined(parts: list[array[int]]) -> array[int]:
    """The per-chunk arrays end to end (a copy per chunk: no long hold of the GIL)."""
    out = array("i")
    for part in parts:
        out.extend(part)
    return out


def _difference(new: Sequence[int], old: Sequence[int], superset: bool) -> Sequence[int]:
    """``new`` minus ``old``, both ascending (``superset``: ``old`` is inside ``new``)."""
    if not old:
        return new
    if superset and len(new) == len(old):
        return ()
    return array("i", filterfalse(set(old).__contains__, new))


@lru_cache(maxsize=512)
def _parse(query: str) -> Node | None:
    return parse(query)


def _scorer(plan: _Plan) -> Scorer:
    return Scorer(plan.words, plan.typos or {})


def _library_set(library: Library | None, leaf: InLibrary) -> Set[str]:
    name = f"{leaf.kind}:{leaf.value}"
    if library is None:
        raise QueryError(f"{name} needs the library")
    found = library.ids(leaf.kind, leaf.value)
    if found is None:
        what = {"is": "status", "tag": "tag", "list": "list"}.get(leaf.kind, leaf.kind)
        raise QueryError(f'unknown {what} "{leaf.value}"')
    return found


class _Run:
    """One progressive search: runs the stages and assembles the ordered results.

    Stage results arrive per chunk; each stage's new matches (those no earlier stage had)
    form its tier. Set work is done chunk by chunk and skipped where nothing changed.
    """

    def __init__(
        self,
        index: SearchIndex,
        plan: _Plan,
        query: str,
        sort: SortKey | None,
        reverse: bool,
        cancelled: Cancelled | None,
    ) -> None:
        self.index = index
        self.plan = plan
        self.query = query
        self.sort = sort
        self.reverse = reverse
        self.cancelled = cancelled
        self.tiers: dict[int, array[int]] = {}  # tier -> positions, ranked; disjoint
        self.matched: list[array[int]] | None = None  # per chunk, ascending

    def stages(self) -> Iterator[SearchResult]:
        plan, index, cancelled = self.plan, self.index, self.cancelled
        if plan.staged:
            found = yield from self.scan_titles()
            if found is None:
                return
            self.add(found, 0, superset=True)
            yield self.result("title")
        found = index.evaluate(plan, "full", cancelled)
        if found is None:
            return
        changed = self.add(found, 1 if plan.staged else 0, superset=True)
        if not index.decide_typos(plan, self.count(), cancelled):
            return
        if plan.typos:
            if changed or not plan.staged:
                yield self.result("abstract")
            if plan.staged:
                found = index.evaluate(plan, "typo_title", cancelled)
                if found is None:
                    return
                if self.add(found, 2, superset=False):
                    yield self.result("typo")
            found = index.evaluate(plan, "typo_full", cancelled)
            if found is None:
                return
            self.add(found, 3 if plan.staged else 2, superset=True)
        if plan.letters is None:
            plan.letters = plan.spelled and not self.count()
        if plan.letters and not self.count():
            found = index.evaluate(plan, "letters", cancelled)
            if found is None:
                return
            self.add(found, 4, superset=False)
        if cancelled is not None and cancelled():
            return
        yield self.result("done", complete=True)

    def scan_titles(self) -> Generator[SearchResult, None, list[array[int]] | None]:
        """The title stage, chunk by chunk. When its matches are already too many to rank
        (so they will be listed in corpus order) and the scan is taking long, yields what
        it has found so far: a prefix of the title stage's result, like fzf's streaming."""
        found: list[array[int]] = []
        streaming = self.sort is None and not self.reverse
        count = 0
        started = time.perf_counter()
        for part in self.index.chunks(self.plan, "title", self.cancelled):
            if part is None:
                return None
            found.append(part)
            count += len(part)
            if (
                streaming
                and count > PARTIAL_CAP
                and time.perf_counter() - started > EARLY_AFTER
                and len(found) < self.index.columns.chunks
            ):
                streaming = False  # once
                early = _joined(found)
                yield SearchResult(self.query, early, complete=False, stage="title")
        return found

    def count(self) -> int:
        """How many papers matched so far."""
        return sum(len(part) for part in self.matched or ())

    def add(self, found: list[array[int]], tier: int, *, superset: bool) -> bool:
        """Add a stage's new matches as ``tier``; whether there were any.

        ``superset``: the stage's matches include every earlier match.
        """
        previous = self.matched
        if previous is None:
            fresh = _joined(found)
            self.matched = found
        else:
            fresh = array("i")
            merged: list[array[int]] = []
            pause = self.index.columns.pause
            for new, old in zip(found, previous, strict=True):
                pause()
                extra = _difference(new, old, superset)
                if extra:
                    fresh.extend(extra)
                    merged.append(new if superset else array("i", sorted([*old, *extra])))
                else:
                    merged.append(old)
            self.matched = merged
        if not fresh:
            return False
        if self.sort is None:
            columns = self.index.columns
            abstracts = columns.abstract_keys if tier in ABSTRACT_TIERS else _NO_ABSTRACTS
            ranked = _scorer(self.plan).rank(
                (columns.title_keys, abstracts), fresh, tier, pause=columns.pause
            )
            fresh = ranked if isinstance(ranked, array) else array("i", ranked)
        self.tiers[tier] = fresh
        return True

    def result(self, stage: str, *, complete: bool = False) -> SearchResult:
        """The matches so far, in the requested order."""
        indices = array("i")
        if self.sort is None:
            for tier in sorted(self.tiers):
                indices.extend(self.tiers[tier])
            if self.reverse:
                indices.reverse()
        else:
            for part in self.matched or ():
                indices.extend(part)
            indices = self.index.arrange(indices, self.sort, self.reverse)
        return SearchResult(
            self.query,
            indices,
            complete=complete,
            sort=self.sort,
            reverse=self.reverse,
            stage=stage,
        )
