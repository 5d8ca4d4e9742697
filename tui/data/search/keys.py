"""Search keys, and mapping spans in a key back to the displayed text.

:func:`fold_key` gives exactly :func:`tui.data.text.fold` (case and accents removed), but
does most of its work in C: ``fold`` walks the text character by character in Python, which
costs about 130 µs for a typical non-ASCII abstract (20 s for a million abstracts).

:func:`search_key` is what search compares: the folded text without hyphens, so that
``multitask``, ``multi-task`` and ``Multi-Task`` are the same word, and ``self supervised``
finds ``Self-Supervised``. Queries are keyed the same way.

The cache stores the titles' keys (:mod:`tui.data.cache`): a change to :func:`search_key`
must bump its ``FORMAT``.

Keys are not always length-preserving (``ß`` -> ``ss``, ``ﬁ`` -> ``fi``, a combining accent
or a hyphen -> nothing), so spans found in a key are mapped back with :func:`display_span`.
"""

from __future__ import annotations

import re
import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

_NON_ASCII = re.compile(r"[^\x00-\x7f]+")


@lru_cache(maxsize=8192)
def _without_marks(run: str) -> str:
    return "".join(char for char in run if not unicodedata.combining(char))


def _strip_marks(match: re.Match[str]) -> str:
    return _without_marks(match.group())


def fold_key(text: str) -> str:
    """``text`` without case and accents; equal to :func:`tui.data.text.fold`."""
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    return _NON_ASCII.sub(_strip_marks, decomposed).casefold()


HYPHENS = "-\u2010"
"""Characters left out of search keys (the hyphen-minus and the Unicode hyphen)."""


def search_key(text: str) -> str:
    """The key search matches against: :func:`fold_key` without hyphens."""
    key = fold_key(text)
    if "-" in key:
        key = key.replace("-", "")
    if "\u2010" in key:
        key = key.replace("\u2010", "")
    return key


def search_keys(texts: Iterable[str]) -> list[str]:
    """:func:`search_key` of each of ``texts``, about twice as fast on many: ASCII text
    (nearly every title, most abstracts) is keyed inline, without two calls a text."""
    key = search_key
    return [text.lower().replace("-", "") if text.isascii() else key(text) for text in texts]


@lru_cache(maxsize=4096)
def _key_width(char: str) -> int:
    return len(search_key(char))


def fold_offsets(text: str) -> list[int] | None:
    """Where each character of ``text`` starts in its search key.

    ``None`` when the key has the same length and positions as the text (ASCII text
    without hyphens); otherwise a list of ``len(text) + 1`` offsets, the last one the
    key's length.
    """
    if text.isascii():
        if "-" not in text:
            return None
        widths: Iterable[int] = text.encode("ascii").translate(_ASCII_WIDTHS)
    else:
        widths = map(_key_width, text)
    return [0, *accumulate(widths)]


_ASCII_WIDTHS = bytes(0 if code == ord("-") else 1 for code in range(256))
"""The length of each ASCII character's key, by its code."""


def display_span(starts: list[int] | None, start: int, end: int) -> tuple[int, int]:
    """The characters of the displayed text that fold to key[start:end].

    Spans are widened to whole characters, and to the accents that follow them.
    """
    if starts is None:
        return start, end
    first = bisect_right(starts, start) - 1
    last = bisect_left(starts, end, lo=first)
    size = len(starts) - 1
    while last < size and starts[last + 1] == starts[last]:  # folds to nothing: an accent
        last += 1
    return max(first, 0), min(max(last, first), size)
