"""The user's regular expressions: compiled by the ``regex`` module, matched with time limits.

Python's own ``re`` holds the interpreter for the whole of a match and cannot stop one: a
pattern such as ``/(.|\\s)*q/`` backtracks for hours on a single abstract, which froze the
reader (its UI thread could not get the interpreter) and hung ``paperview search``. The
``regex`` module matches with the interpreter released (``concurrent=True``), gives up on a
match that runs past a timeout, and avoids most runaway backtracking by itself; it also ran
the benchmark's patterns 2-8 times faster than ``re`` over abstracts (benchmarks/README.md).
"""

from __future__ import annotations

import time

import regex

TEXT_SECONDS = 1.0
"""Most time one match may take on one text (a title or an abstract: never a second for a
pattern that is not running away)."""

SCAN_SECONDS = 60.0
"""Most time matching one regex may take in one pass over the papers."""

Pattern = regex.Pattern[str]


class RegexTooSlow(Exception):
    """Matching took too long; the message says which regex and says to simplify it."""


def compile_regex(raw: str) -> Pattern:
    """``raw`` compiled to ignore case; raises ``regex.error`` (or ``ValueError``,
    ``OverflowError``, ``RecursionError``) for a bad pattern."""
    return regex.compile(raw, regex.IGNORECASE)


class Matcher:
    """``matcher(text)``: whether ``pattern`` occurs in ``text``. Raises
    :class:`RegexTooSlow` when one match takes over :data:`TEXT_SECONDS`, or all of them
    together over ``seconds``."""

    def __init__(self, pattern: Pattern, seconds: float = SCAN_SECONDS) -> None:
        self._search = pattern.search
        self._raw = pattern.pattern
        self._left = seconds

    def __call__(self, text: str) -> bool:
        left = self._left
        start = time.perf_counter()
        try:
            found = self._search(text, concurrent=True, timeout=min(TEXT_SECONDS, left))
        except TimeoutError:
            limit = f"{TEXT_SECONDS:g} s on one paper" if left > TEXT_SECONDS else "too long"
            raise RegexTooSlow(f"regex /{self._raw}/ took {limit}; simplify it") from None
        self._left = left - (time.perf_counter() - start)
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
