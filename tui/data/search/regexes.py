"""The user's regular expressions: compiled by the ``regex`` module, matched with time limits.

Python's own ``re`` holds the interpreter for the whole of a match and cannot stop one: a
pattern such as ``/(.|\\s)*q/`` backtracks for hours on a single abstract, which froze the
reader (its UI thread could not get the interpreter) and hung ``paperview search``. The
``regex`` module matches with the interpreter released (``concurrent=True``), gives up on a
match that runs past a timeout, and avoids most runaway backtracking by itself; it also ran
the benchmark's patterns 2-8 times faster than ``re`` over abstracts (benchmarks/README.md).
"""

from __future__ import annotations

import threading
import time
from collections.abc import Iterator
from contextlib import contextmanager

import regex

from ..text import escaped

TEXT_SECONDS = 1.0
"""Most time one match may take on one text (a title or an abstract: never a second for a
pattern that is not running away)."""

SCAN_SECONDS = 60.0
"""Most time one search may take once it matches regexes (every stage, every chunk)."""

Pattern = regex.Pattern[str]


class RegexTooSlow(Exception):
    """Matching took too long; the message says which regex and says to simplify it."""


def compile_regex(raw: str) -> Pattern:
    """``raw`` compiled to ignore case; raises ``regex.error`` (or ``ValueError``,
    ``OverflowError``, ``RecursionError``) for a bad pattern."""
    return regex.compile(raw, regex.IGNORECASE)


def short(text: str, width: int = 24) -> str:
    """``text`` for a one-line message: cut to ``width``, unprintables escaped (``\\n``)."""
    return escaped(text if len(text) <= width else text[: width - 1] + "…")


_limits = threading.local()


@contextmanager
def scan_limit(seconds: float = SCAN_SECONDS) -> Iterator[None]:
    """Within it, the matching done on this thread (one search: every stage, every chunk)
    shares one deadline, ``seconds`` from now."""
    previous = getattr(_limits, "deadline", None)
    _limits.deadline = time.monotonic() + seconds
    try:
        yield
    finally:
        _limits.deadline = previous


class Matcher:
    """``matcher(text)``: whether ``pattern`` occurs in ``text``. Raises
    :class:`RegexTooSlow` when one match takes over :data:`TEXT_SECONDS`, or when the
    deadline of the :func:`scan_limit` around it has passed."""

    def __init__(self, pattern: Pattern) -> None:
        self._search = pattern.search
        self._raw = pattern.pattern

    def __call__(self, text: str) -> bool:
        deadline: float | None = getattr(_limits, "deadline", None)
        limit = TEXT_SECONDS
        if deadline is not None:
            left = deadline - time.monotonic()
            if left <= 0:
                raise RegexTooSlow(f"regex /{short(self._raw)}/ took too long; simplify it")
            limit = min(limit, left)
        try:
            # (a limit of 0 or less would mean none at all to the regex module)
            found = self._search(text, concurrent=True, timeout=max(limit, 0.001))
        except TimeoutError:
            took = f"{TEXT_SECONDS:g} s on one paper" if limit == TEXT_SECONDS else "too long"
            raise RegexTooSlow(f"regex /{short(self._raw)}/ took {took}; simplify it") from None
        return found is not None


def match_spans(pattern: Pattern, text: str) -> list[tuple[int, int]]:
    """Where ``pattern`` matches in ``text`` (non-empty matches), for highlighting; none
    when matching takes over :data:`TEXT_SECONDS`."""
    try:
        return [
            m.span()
            for m in pattern.finditer(text, concurrent=True, timeout=TEXT_SECONDS)
            if m.end() > m.start()
        ]
    except TimeoutError:
        return []
