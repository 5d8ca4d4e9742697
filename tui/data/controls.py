"""Control sequences out of corpus text: terminal escapes, control characters, bidi overrides.

Kept apart from :mod:`tui.data.text` (LaTeX, folding, ids), which re-exports these, so that
the reader's first frame, which sanitises what it shows, imports neither the hashing nor
the LaTeX patterns.
"""

from __future__ import annotations

import re

_ESCAPE_SEQUENCE = re.compile(
    r"\x1b\[[0-?]*[ -/]*[@-~]"  # CSI, 7-bit
    r"|\x9b[0-?]*[ -/]*[@-~]"  # CSI, 8-bit
    r"|\x1b\][^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC (titles, hyperlinks, clipboard)
    r"|\x9d[^\x07\x1b\x9c]*(?:\x07|\x1b\\|\x9c)?"  # OSC, 8-bit
    r"|\x1b[PX^_][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # DCS, SOS, PM, APC
    r"|[\x90\x98\x9e\x9f][^\x1b\x9c]*(?:\x1b\\|\x9c)?"  # the same, 8-bit
    r"|\x1b[ -/]*[0-~]"  # any other escape (charset switches, RIS, ...)
)

#: Controls that separate words: they become a space, so words never run together.
_SPACING = "\t\x0b\x0c\x1c\x1d\x1e\x1f\x85\u2028\u2029"
#: Bidi embeddings, overrides, isolates and marks (CVE-2021-42574, "Trojan Source").
_BIDI = "\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c"


def _build_table() -> dict[int, str | None]:
    table: dict[int, str | None] = {}
    for code in [*range(0x00, 0x20), 0x7F, *range(0x80, 0xA0)]:
        table[code] = None
    for char in _SPACING:
        table[ord(char)] = " "
    for char in _BIDI:
        table[ord(char)] = None
    return table


_TABLE_KEEP_NEWLINES = {**_build_table(), ord("\n"): "\n"}
_TABLE = {**_build_table(), ord("\n"): " ", ord("\r"): " "}


_ASCII_CONTROLS = bytes([*range(0x20), 0x7F])


def printable(text: str) -> bool:
    """``text.isprintable()``, about twice as fast on long ASCII text (an abstract), where
    only the ASCII control characters are not printable."""
    if len(text) > 200 and text.isascii():
        data = text.encode("ascii")
        return len(data.translate(None, _ASCII_CONTROLS)) == len(data)
    return text.isprintable()


def sanitize(text: str, *, keep_newlines: bool = False) -> str:
    """Remove terminal escape sequences, control characters and bidi overrides.

    Tabs and other spacing controls become one space each; line breaks become spaces
    unless ``keep_newlines``. Printable text, emoji (with ZWJ) and combining marks are kept.
    The function is idempotent.
    """
    if printable(text) and (keep_newlines or "\n" not in text):
        return text  # fast path: nothing to remove (the common case)
    if "\x1b" in text or not text.isascii():  # else no sequence can start
        text = _ESCAPE_SEQUENCE.sub("", text)
    return text.translate(_TABLE_KEEP_NEWLINES if keep_newlines else _TABLE)


def escaped(text: str) -> str:
    """``text`` safe to print on one line: each unprintable character (ESC and the other
    controls, line breaks, bidi overrides, undecodable bytes of a file name) written as its
    Python escape (``\\x1b``, ``\\n``), as problems quote what a file holds. For file names
    and other text that was never sanitised."""
    if text.isprintable():
        return text
    return "".join(char if char.isprintable() else repr(char)[1:-1] for char in text)
