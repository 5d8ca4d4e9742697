"""Evaluating a query tree over the corpus, chunk by chunk, narrowing from cached results.

A query is evaluated in one of five *modes*:

``title``       positive words, phrases and regexes are looked for in titles only;
``full``        ... in titles and abstracts;
``typo_title``  ``title``, and the words being corrected also match their alternatives;
``typo_full``   ``full``, likewise;
``letters``     positive words of three or more letters match titles holding their letters
                in order (``trnsfrmr`` in *Transformer*, ``catastrophicforgetting``), like
                fzf; the last resort, tried only when nothing else matched.

Negated terms are always looked for everywhere and never with typos, so a mode's result
contains those of the modes it extends (``full`` and ``typo_title`` contain ``title``'s,
``typo_full`` contains all four, ``letters`` contains ``title``'s): the stages add results
without ever taking one back.

Results are cached per chunk of :data:`~tui.data.search.columns.CHUNK` papers, keyed by the
query's top-level conjuncts. A new query starts each chunk from the smallest cached result
whose conjuncts its own imply (``graph neu`` is implied by ``graph neur``: every paper
containing ``neur`` contains ``neu``) and only evaluates the conjuncts that changed, like
fzf's chunk cache. Work per keystroke is thus proportional to the previous survivors.
"""

from __future__ import annotations

import threading
from array import array
from collections import OrderedDict
from collections.abc import Callable, Iterator, Mapping, Sequence, Set
from dataclasses import dataclass, field

from .columns import UNKNOWN, Columns, in_blocks
from .query import And, Compare, Facet, InLibrary, Node, Not, Or, Text, leaves
from .regexes import Matcher

Cancelled = Callable[[], bool]
Typos = Mapping[str, tuple[str, ...]]

LETTERS_FROM = 3
"""Words at least this long may match by their letters in order (``letters`` mode)."""
_MAX_ENTRIES = 64
_NO_HIGH = 2**31 - 1


class Evaluator:
    """Evaluates trees in one mode; ``sets`` are the resolved library filters."""

    def __init__(
        self,
        columns: Columns,
        mode: str,
        sets: Mapping[tuple[str, str], Set[str]],
        typos: Typos,
    ) -> None:
        self.columns = columns
        self.abstracts = mode in ("full", "typo_full")
        self.letters = mode == "letters"
        self.typos: Typos = typos if mode.startswith("typo") else {}
        self.sets = sets

    def filter(self, node: Node, candidates: Sequence[int], positive: bool = True) -> list[int]:
        """The candidates (ascending positions) that match ``node``; ascending."""
        if not candidates:
            return []
        if isinstance(node, Text):
            return self._text(node, candidates, positive)
        if isinstance(node, Compare):
            return self._compare(node, candidates)
        if isinstance(node, InLibrary):
            wanted = self.sets.get((node.kind, node.value), frozenset())
            ids = self.columns.ids
            return [i for i in candidates if ids[i] in wanted]
        if isinstance(node, Facet):
            keys = self.columns.facet_keys(node.field)
            needle = node.value if node.field == "author" else " " + node.value
            return [i for i in candidates if needle in keys[i]]
        if isinstance(node, Not):
            excluded = set(self.filter(node.child, candidates, not positive))
            return [i for i in candidates if i not in excluded]
        if isinstance(node, And):
            survivors = list(candidates)
            for child in sorted(node.children, key=cost):
                survivors = self.filter(child, survivors, positive)
                if not survivors:
                    break
            return survivors
        found: set[int] = set()
        rest: Sequence[int] = candidates
        for child in node.children:
            found.update(self.filter(child, rest, positive))
            rest = [i for i in rest if i not in found]
            if not rest:
                break
        return sorted(found)

    def fingerprint(self, node: Node) -> str:
        """What, besides its key, ``node``'s result depends on: the library sets it reads
        (they change as the user bookmarks and tags) and the typo alternatives inside it."""
        parts = []
        for leaf, positive in leaves(node):
            if isinstance(leaf, InLibrary):
                parts.append(str(hash(self.sets.get((leaf.kind, leaf.value), frozenset()))))
            elif isinstance(leaf, Text) and positive and leaf.value in self.typos:
                parts.append("|".join(self.typos[leaf.value]))
        return "#" + "#".join(parts) if parts else ""

    def searches_abstract(self, leaf: Text, positive: bool) -> bool:
        """Whether ``leaf`` is looked for in abstracts in this mode."""
        if leaf.scope == "title":
            return False
        return leaf.scope == "abstract" or self.abstracts or not positive

    def searches_title(self, leaf: Text) -> bool:
        """Whether ``leaf`` is looked for in titles."""
        return leaf.scope != "abstract"

    def spelled(self, leaf: Text, positive: bool) -> bool:
        """Whether ``leaf`` matches by its letters in order (titles only) in this mode."""
        return (
            self.letters
            and positive
            and leaf.kind == "word"
            and leaf.scope != "abstract"
            and len(leaf.value) >= LETTERS_FROM
        )

    def needles(self, leaf: Text, positive: bool) -> tuple[str, ...]:
        """The strings that count as ``leaf`` (the word, then its typo alternatives)."""
        if positive and leaf.kind == "word":
            return (leaf.value, *self.typos.get(leaf.value, ()))
        return (leaf.value,)

    def _text(self, leaf: Text, candidates: Sequence[int], positive: bool) -> list[int]:
        columns = self.columns
        in_title = self.searches_title(leaf)
        in_abstract = self.searches_abstract(leaf, positive)
        pause = columns.pause
        if leaf.pattern is not None:
            search = Matcher(leaf.pattern)
            titles, abstracts = columns.titles, columns.abstracts
            if in_title and in_abstract:
                return in_blocks(
                    candidates,
                    lambda block: [i for i in block if search(titles[i]) or search(abstracts[i])],
                    pause,
                )
            texts = titles if in_title else abstracts
            return in_blocks(
                candidates, lambda block: [i for i in block if search(texts[i])], pause
            )
        if self.spelled(leaf, positive):
            keys = columns.title_keys
            value = leaf.value
            return in_blocks(
                candidates, lambda block: [i for i in block if in_order(value, keys[i])], pause
            )
        needles = self.needles(leaf, positive)
        if len(needles) == 1:
            return _scan(columns, needles[0], candidates, in_title, in_abstract)
        if in_abstract and columns.words.covers(candidates):
            # the word index finds each needle's papers at once: no common core to scan for
            # first, and no need to leave out the papers already found
            indexed: set[int] = set()
            for needle in needles:
                indexed.update(_scan(columns, needle, candidates, in_title, in_abstract))
            return sorted(indexed)
        core = common_core(needles)  # one scan for what every needle contains
        if core:
            candidates = _scan(columns, core, candidates, in_title, in_abstract)
        found: set[int] = set()
        rest: Sequence[int] = candidates
        for needle in needles:
            hits = _scan(columns, needle, rest, in_title, in_abstract)
            if hits:
                found.update(hits)
                rest = [i for i in rest if i not in found]
        return sorted(found)

    def _compare(self, node: Compare, candidates: Sequence[int]) -> list[int]:
        column = self.columns.number(node.field)
        low = 0 if node.low is None else node.low
        high = _NO_HIGH if node.high is None else node.high
        if low <= UNKNOWN:
            return [i for i in candidates if column[i] != UNKNOWN and low <= column[i] <= high]
        return [i for i in candidates if low <= column[i] <= high]


def _scan(
    columns: Columns, needle: str, candidates: Sequence[int], in_title: bool, in_abstract: bool
) -> list[int]:
    """The candidates whose title and/or abstract key contains ``needle``.

    Where the abstracts are searched, the word index (when built) narrows the candidates
    first; its answer is exact for a needle without whitespace in titles and abstracts.
    """
    tk, ak = columns.title_keys, columns.abstract_keys
    if in_abstract:
        narrowed = columns.words.narrow(needle, candidates)
        if narrowed is not None:
            if in_title and needle.split() == [needle]:
                return narrowed
            candidates = narrowed
    if in_title and in_abstract:
        return in_blocks(
            candidates,
            lambda block: [i for i in block if needle in tk[i] or needle in ak[i]],
            columns.pause,
        )
    if in_title:
        return in_blocks(
            candidates, lambda block: [i for i in block if needle in tk[i]], columns.pause
        )
    return in_blocks(candidates, lambda block: [i for i in block if needle in ak[i]], columns.pause)


def in_order(word: str, text: str) -> bool:
    """Whether the letters of ``word`` appear in ``text`` in order (gaps allowed)."""
    find = text.find
    at = -1
    for char in word:
        at = find(char, at + 1)
        if at < 0:
            return False
    return True


def common_core(needles: Sequence[str], shortest: int = 3) -> str:
    """The longest string (of ``shortest`` or more characters) inside every needle, or ""."""
    first = min(needles, key=len)
    for size in range(len(first), shortest - 1, -1):
        for start in range(len(first) - size + 1):
            piece = first[start : start + size]
            if all(piece in needle for needle in needles):
                return piece
    return ""


def cost(node: Node) -> tuple[int, int]:
    """Evaluation order inside an AND: cheap and selective first."""
    if isinstance(node, Compare | InLibrary | Facet):
        return (0, 0)
    if isinstance(node, Text):
        return (3, 0) if node.kind == "regex" else (1, -len(node.value))
    if isinstance(node, Or):
        return (2, 0)
    return (4, 0)


def conjuncts(node: Node) -> tuple[Node, ...]:
    """The top-level AND terms of ``node``."""
    return node.children if isinstance(node, And) else (node,)


@dataclass(frozen=True)
class Term:
    """A top-level conjunct as evaluated in one mode: its cache key, and for a word or
    phrase the strings that count as it (the typo alternatives included)."""

    node: Node
    key: str
    needles: tuple[str, ...] | None = None
    scope: str = ""
    spelled: bool = False  # matched by its letters in order (``letters`` mode)


def terms(node: Node, evaluator: Evaluator) -> tuple[Term, ...]:
    """The top-level conjuncts of ``node`` as evaluated by ``evaluator``."""
    out = []
    for part in conjuncts(node):
        if isinstance(part, Text) and part.kind != "regex":
            needles = evaluator.needles(part, True)
            key = part.key if len(needles) == 1 else part.key + "~" + "|".join(needles)
            spelled = evaluator.spelled(part, True)
            if spelled:
                key += "~letters"
            out.append(Term(part, key, needles, part.scope, spelled))
        else:
            out.append(Term(part, part.key + evaluator.fingerprint(part)))
    return tuple(out)


def implies(new: Term, old: Term) -> bool:
    """Whether every paper matching ``new`` matches ``old`` (same mode, top level).

    True for equal terms, and for words whose every string contains one of the old
    word's strings (``neur`` implies ``neu``; typo alternatives likewise; letters in order
    too, but not an exact short word: ``lea`` spelled out does not imply ``le`` exactly).
    """
    if new.key == old.key:
        return True
    if new.needles is None or old.needles is None or new.scope != old.scope:
        return False
    if new.spelled and not old.spelled:
        return False
    return all(any(before in now for before in old.needles) for now in new.needles)


@dataclass
class _Entry:
    terms: tuple[Term, ...]
    results: list[array[int] | None]
    stored: int = 0
    keys: frozenset[str] = field(default_factory=frozenset)


class ChunkCache:
    """Per-chunk results of recent queries, per mode (least recently used dropped)."""

    def __init__(self, columns: Columns) -> None:
        self._columns = columns
        self._entries: OrderedDict[tuple[str, frozenset[str]], _Entry] = OrderedDict()
        self._stored = 0
        self._budget = 4 * columns.size + 100_000
        self._lock = threading.Lock()

    def evaluate(
        self,
        node: Node,
        evaluator: Evaluator,
        mode: str,
        cancelled: Cancelled | None = None,
    ) -> list[array[int]] | None:
        """Positions matching ``node`` in ``mode``, per chunk (ascending); None if cancelled.

        Results are ``array("i")``: unlike lists of ints, arrays are not tracked by the
        garbage collector, whose passes over millions of list items would otherwise stop
        every thread for a tenth of a second on big corpora.
        """
        matches: list[array[int]] = []
        for part in self.chunks(node, evaluator, mode, cancelled):
            if part is None:
                return None
            matches.append(part)
        return matches

    def chunks(
        self,
        node: Node,
        evaluator: Evaluator,
        mode: str,
        cancelled: Cancelled | None = None,
    ) -> Iterator[array[int] | None]:
        """Like :meth:`evaluate`, one chunk at a time; a final None means cancelled."""
        columns = self._columns
        wanted = terms(node, evaluator)
        key = (mode, frozenset(term.key for term in wanted))
        with self._lock:
            own = self._entries.get(key)
            if own is None:
                own = _Entry(wanted, [None] * columns.chunks, keys=key[1])
                self._entries[key] = own
            self._entries.move_to_end(key)
            usable = [
                (entry, [term for term in wanted if term.key not in entry.keys])
                for (entry_mode, _), entry in self._entries.items()
                if entry_mode == mode
                and all(any(implies(t, old) for t in wanted) for old in entry.terms)
            ]
        for chunk in range(columns.chunks):
            done = own.results[chunk]
            if done is None:
                if cancelled is not None and cancelled():
                    yield None
                    return
                done = self._chunk(chunk, wanted, usable, evaluator)
                own.results[chunk] = done
                self._account(own, len(done))
            yield done

    def _chunk(
        self,
        chunk: int,
        wanted: tuple[Term, ...],
        usable: list[tuple[_Entry, list[Term]]],
        evaluator: Evaluator,
    ) -> array[int]:
        start, end = self._columns.bounds(chunk)
        base: Sequence[int] = range(start, end)
        todo: Sequence[Term] = wanted
        for entry, remaining in usable:
            cached = entry.results[chunk]
            if cached is None or len(cached) > len(base):
                continue
            if len(cached) < len(base) or len(remaining) < len(todo):
                base, todo = cached, remaining
        if any(_needs_abstracts(term.node, evaluator.abstracts) for term in todo):
            self._columns.ensure_abstracts(chunk)
        survivors: Sequence[int] = base
        for term in sorted(todo, key=lambda term: cost(term.node)):
            survivors = evaluator.filter(term.node, survivors)
            if not survivors:
                return array("i")
        return survivors if isinstance(survivors, array) else array("i", survivors)

    def _account(self, entry: _Entry, added: int) -> None:
        with self._lock:
            entry.stored += added
            self._stored += added
            while len(self._entries) > 1 and (
                self._stored > self._budget or len(self._entries) > _MAX_ENTRIES
            ):
                _, dropped = self._entries.popitem(last=False)
                self._stored -= dropped.stored
                if dropped is entry:
                    break


def _needs_abstracts(node: Node, abstracts: bool, positive: bool = True) -> bool:
    """Whether evaluating ``node`` reads abstract keys (negated words always do)."""
    if isinstance(node, Text):
        if node.kind == "regex" or node.scope == "title":
            return False
        return node.scope == "abstract" or abstracts or not positive
    if isinstance(node, Not):
        return _needs_abstracts(node.child, abstracts, not positive)
    if isinstance(node, And | Or):
        return any(_needs_abstracts(child, abstracts, positive) for child in node.children)
    return False
