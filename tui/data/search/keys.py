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

import unicodedata
from bisect import bisect_left, bisect_right
from collections.abc import Iterable
from functools import lru_cache
from itertools import accumulate

_ASCII = bytes(range(128))
_FEW = 8
"""Most distinct non-ASCII characters a text may hold to be folded one character at a time."""
_CHARS_KEPT = 100_000
"""Most distinct characters :data:`_FOLDED` remembers."""


def _fold_whole(text: str) -> str:
    decomposed = unicodedata.normalize("NFKD", text)
    return "".join(c for c in decomposed if not unicodedata.combining(c)).casefold()


class _FoldedChars(dict[str, str | None]):
    """The folded form of each non-ASCII character met so far; None for one whose folded
    form holds a character that folds further (none does in Python 3.11's Unicode 14)."""

    def __missing__(self, char: str) -> str | None:
        folded = _fold_whole(char)
        stable = all(c.isascii() or _fold_whole(c) == c for c in folded)
        if len(self) < _CHARS_KEPT:
            self[char] = folded if stable else None
        return folded if stable else None


_FOLDED = _FoldedChars()


def fold_key(text: str) -> str:
    """``text`` without case and accents; equal to :func:`tui.data.text.fold`.

    Folding is done character by character (decompose, drop the accents, case-fold: none of
    it looks at the neighbours), so a text with a few distinct non-ASCII characters (most
    abstracts that are not plain ASCII) has its ASCII letters lowered as bytes and each of
    those characters replaced by its folded form, several times faster than normalising
    all of it. Any other text is normalised whole.
    """
    if text.isascii():
        return text.lower()
    data = text.encode("utf-8", "surrogatepass")
    chars = set(data.translate(None, _ASCII).decode("utf-8", "surrogatepass"))
    if len(chars) > _FEW:
        return _fold_whole(text)
    key = data.lower().decode("utf-8", "surrogatepass")  # bytes.lower: ASCII letters only
    for char in chars:
        folded = _FOLDED[char]
        if folded is None:
            return _fold_whole(text)
        if folded != char:
            key = key.replace(char, folded)
    return key


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
