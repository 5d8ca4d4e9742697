"""The BibTeX export: one ``@misc`` entry per paper with a stable key.

Key rule (documented in ``docs/export.md``): the first word of the title that is not a
short function word, folded to ASCII letters and digits and lower-cased (at most 24
characters; ``paper`` when there is none), then the year (``nd`` when unknown), ``_``, and
the first 4 hex digits of the paper id: ``tulu2024_2e73``. The key depends only on the
paper, so it is the same in every export; in the rare case two papers of one file get the
same key, the later one takes more digits of its id until it is unique.

Text fields are converted from Unicode to LaTeX with ``pylatexenc`` (``Ü`` -> ``{\\"U}``,
``&`` -> ``{\\&}``, ``%`` -> ``{\\%}``), so every field has balanced braces and no character
that BibTeX or LaTeX would read as syntax. The title is wrapped in an extra pair of braces
to keep its capitalisation.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from functools import lru_cache

from pylatexenc.latexencode import UnicodeToLatexEncoder

from ..models import MONTHS
from ..text import fold, sanitize
from .markdown import count, safe_url
from .records import ExportDocument, ExportRecord

_STOP_WORDS = frozenset(
    (
        *("a", "an", "and", "are", "as", "at", "by", "do", "does", "for", "from", "how"),
        *("in", "is", "of", "on", "or", "the", "to", "towards", "via", "what", "when"),
        *("where", "which", "who", "why", "with"),
    )
)
_KEY_WORD_LENGTH = 24
_WORD = re.compile(r"[a-z0-9]+")


@lru_cache(maxsize=1)
def _encoder() -> UnicodeToLatexEncoder:
    return UnicodeToLatexEncoder(
        non_ascii_only=False,
        replacement_latex_protection="braces-all",
        unknown_char_policy="keep",
        unknown_char_warning=False,
    )


#: The ASCII characters pylatexenc rewrites; text without them (or non-ASCII) is kept as is.
_LATEX_SPECIAL = re.compile(r'[^ -~]|["#$%&<>\\^_{}~]')


def latex(text: str) -> str:
    """``text`` on one line, as LaTeX (special characters escaped, accents as commands)."""
    line = " ".join(sanitize(text).split())
    if not _LATEX_SPECIAL.search(line):
        return line  # the common case, and pylatexenc is slow (it works per character)
    return str(_encoder().unicode_to_latex(line))


def key_stem(record: ExportRecord) -> str:
    """The key without the id digits: first significant title word and year."""
    words = _WORD.findall(fold(record.title).encode("ascii", "ignore").decode())
    word = next((w for w in words if w not in _STOP_WORDS), words[0] if words else "paper")
    paper = record.paper
    year = paper.date.year if paper is not None and paper.date is not None else None
    return f"{word[:_KEY_WORD_LENGTH]}{year if year is not None else 'nd'}"


def keys(records: tuple[ExportRecord, ...]) -> list[str]:
    """The citation keys of ``records``, in order, unique within the list."""
    used: set[str] = set()
    found: list[str] = []
    for record in records:
        stem = key_stem(record)
        digits = 4
        key = f"{stem}_{record.id[:digits]}"
        while key in used and digits < len(record.id):
            digits += 2
            key = f"{stem}_{record.id[:digits]}"
        suffix = 2
        while key in used:  # only for ids that are prefixes of one another
            key, suffix = f"{stem}_{record.id}_{suffix}", suffix + 1
        used.add(key)
        found.append(key)
    return found


def entry(record: ExportRecord, key: str) -> str:
    """One ``@misc`` entry."""
    paper, mark = record.paper, record.annotation
    fields = [("title", "{" + latex(record.title) + "}")]
    if paper is not None and paper.date is not None:
        if paper.date.year is not None:
            fields.append(("year", str(paper.date.year)))
        fields.append(("month", MONTHS[paper.date.month - 1].lower()))
    url = safe_url(paper.link) if paper is not None and paper.link else None
    if url is not None:
        fields += [("url", url), ("howpublished", f"\\url{{{url}}}")]
    facts: list[str] = []
    if paper is not None and paper.authors is not None:
        facts.append(count(paper.authors, "author"))
    if paper is not None and paper.upvotes is not None:
        facts.append(count(paper.upvotes, "upvote"))
    facts.append(f"paperview id {record.id}")
    if mark.tags:
        facts.append("tags: " + " ".join(mark.tags))
    if mark.note.strip():
        facts.append("note: " + mark.note)
    fields.append(("note", latex("; ".join(facts))))
    lines = [f"@misc{{{key},"]
    for name, value in fields:
        if name == "month":
            lines.append(f"  {name} = {value},")
        else:
            lines.append(f"  {name} = {{{value}}},")
    lines.append("}")
    return "\n".join(lines) + "\n"


def write_bibtex(document: ExportDocument) -> Iterator[str]:
    """The document as BibTeX: a comment naming the export, then one entry per paper."""
    generated = document.generated_at.strftime("%Y-%m-%d %H:%M UTC")
    # BibTeX ignores text outside entries; "@" is kept out of it so it starts none.
    title = " ".join(sanitize(document.heading).replace("@", "(at)").split())
    yield f"% {title}: exported from paperview on {generated}\n"
    for record, key in zip(document.records, keys(document.records), strict=True):
        yield "\n" + entry(record, key)
