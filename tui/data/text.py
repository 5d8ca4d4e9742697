"""Text hygiene for corpus fields: sanitising, LaTeX to Unicode, folding, ids and URLs.

Corpus text is data. At ingest every field goes through :func:`clean_field`, which removes
terminal control and escape sequences and bidi overrides, then turns the LaTeX escapes that
listings carry (``Aky\\"urek``, ``60\\%``) into the Unicode a person reads. Everything else,
brackets and backslashes included, is kept exactly.
"""

from __future__ import annotations

import hashlib
import re
import unicodedata

# --- control sequences -------------------------------------------------------------------

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


# --- LaTeX -------------------------------------------------------------------------------

_ACCENTED = r"""\\[`'^"~=.](?:\{[A-Za-z]\}|[A-Za-z])|\\[uvHckrbdt]\{[A-Za-z]\}"""
_LETTER = r"\\(?:ss|aa|AA|ae|AE|oe|OE|o|O|l|L|i|j)(?![A-Za-z])(?:\{\})?"
_LATEX_TOKEN = re.compile(rf"(\{{(?:{_ACCENTED}|{_LETTER})\}}|{_ACCENTED}|{_LETTER}|\\[%&$#_{{}}])")
"""One recognised command; the group makes :meth:`re.Pattern.split` keep the commands."""


class _LatexTokens(dict[str, str]):
    """The Unicode text of each LaTeX command met so far (few distinct ones: accented
    letters), converted by pylatexenc the first time."""

    def __missing__(self, token: str) -> str:
        from pylatexenc.latex2text import LatexNodes2Text  # imported only when text has LaTeX

        converted = str(LatexNodes2Text().latex_to_text(token))
        text = self[token] = unicodedata.normalize("NFC", converted) if converted else token
        return text


_LATEX_TEXT = _LatexTokens()


def latex_to_unicode(text: str) -> str:
    """Turn LaTeX accent and escape commands into Unicode: ``T\\"ULU`` -> ``TÜLU``.

    Only recognised commands are converted (accents, escaped specials such as ``\\%`` and
    ``\\&``, and letters such as ``\\ss``); the mapping comes from pylatexenc. Unknown
    macros (``{\\ours}``), math, braces and ``~`` are left exactly as written, so no word
    of the source is lost. (The text is split at the commands and each is looked up, all
    in C: a million author lists took a third less time than with a replacement function.)
    """
    if "\\" not in text:
        return text
    parts = _LATEX_TOKEN.split(text)
    if len(parts) > 1:
        parts[1::2] = map(_LATEX_TEXT.__getitem__, parts[1::2])
        return "".join(parts)
    return text


def clean_field(text: str, *, multiline: bool = False) -> str:
    """Sanitise one corpus field and convert its LaTeX; strip surrounding whitespace."""
    return latex_to_unicode(sanitize(text, keep_newlines=multiline)).strip()


# --- folding, ids, URLs ------------------------------------------------------------------

_NON_WORD = re.compile(r"[\W_]+")


def fold(text: str) -> str:
    """Case- and accent-insensitive form of ``text`` for matching: ``TÜLU`` -> ``tulu``.

    Characters keep their positions one-for-one when the text has no characters that
    decompose into several letters, so match spans can usually be mapped back directly.
    """
    if text.isascii():
        return text.lower()
    decomposed = unicodedata.normalize("NFKD", text)
    stripped = "".join(c for c in decomposed if not unicodedata.combining(c))
    return stripped.casefold()


def normalise_title(title: str) -> str:
    """The title reduced to lower-case words: accents, case and punctuation removed."""
    return " ".join(_NON_WORD.sub(" ", fold(title)).split())


def paper_id(title: str) -> str:
    """Stable id of a paper: 16 hex digits of SHA-256 over its normalised title.

    The title is normalised by :func:`normalise_title` after cleaning, so copies of a paper
    that differ only in case, accents, punctuation or spacing share an id, and the id is
    the same on every parse of every corpus that contains the paper.
    """
    digest = hashlib.sha256(normalise_title(title).encode("utf-8")).hexdigest()
    return digest[:16]


_URL = re.compile(r"""https?://[^\s<>"'`\\]+""", re.IGNORECASE)
_TRAILING = ".,;:!?*"
_PAIRS = {")": "(", "]": "[", "}": "{"}


def find_urls(text: str) -> tuple[str, ...]:
    """The http(s) URLs in ``text``, in order, without trailing punctuation."""
    found: list[str] = []
    for match in _URL.finditer(text):
        url = match.group(0)
        while url:
            last = url[-1]
            if last in _TRAILING or (last in _PAIRS and url.count(last) > url.count(_PAIRS[last])):
                url = url[:-1]
            else:
                break
        if "://" in url and len(url) > url.index("://") + 3 and url not in found:
            found.append(url)
    return tuple(found)
