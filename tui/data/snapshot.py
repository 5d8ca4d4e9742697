"""Reading structured corpora: arXiv metadata snapshots and paperview's own JSON.

Two kinds of structured input are recognised by content (:func:`sniff`), never by name,
plain or gzip-compressed (by the gzip magic bytes):

``jsonl``
    JSON Lines, one paper per line: the arXiv metadata snapshot
    (``arxiv-metadata-oai-snapshot.json``), or papers as ``paperview show --json`` prints
    them. Streamed in chunks with progress and cancellation; never limited in size.
``json``
    One JSON document: paperview's export (``{"format": "paperview-export", ...}``) or a
    list of papers (``paperview list --json``). Read whole, so the size limit applies.

How a record becomes a paper (documented for users in ``docs/big-corpora.md``):

* ``id``: an arXiv id (``2401.01234``, ``hep-th/9901001``; a ``vN`` suffix is dropped) is
  the paper id, and ``https://arxiv.org/abs/<id>`` its link. Any other record gets the
  usual id from its title (16 hex digits), so the two kinds never collide: arXiv ids always
  contain ``.`` or ``/``.
* ``title`` (required) and ``abstract``: cleaned like every corpus field; arXiv's hard line
  wraps are undone: a title becomes one line, an abstract's wrapped lines are joined into
  paragraphs (an indented line or a blank line starts a new paragraph, kept as ``\\n``).
* ``authors``: the ``"A. One, B. Two and C. Three"`` string is kept as written (cleaned);
  the count is the length of ``authors_parsed`` when present, else the number of names in
  the string. paperview's JSON gives ``authors`` as a count and ``author_names`` as a list.
* ``categories``: ``"cs.LG stat.ML"`` (or a list).
* date: the first version's ``created`` date (when the paper was submitted), else
  ``update_date``, else paperview's ``date`` object. ``upvotes`` when given (paperview).

A bad record (not JSON, not an object, no title) is a :class:`~tui.data.models.Problem`
with the file and line, and is skipped; everything else loads. After
:data:`MAX_PROBLEMS` problems in one file the rest are counted: one summary problem for the
errors left out, one for the warnings (:func:`problem_count` counts them in).
"""

from __future__ import annotations

import calendar
import codecs
import json
import re
import zlib
from collections.abc import Callable, Iterable, Iterator
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import msgspec
import orjson

from .line_abstracts import LineSpans
from .paper_columns import PaperColumns, split_authors
from .text import latex_to_unicode, paper_id, sanitize
from .vocabulary import BOMS, GZIP_MAGIC, MONTHS, Severity

if TYPE_CHECKING:
    from .models import Problem

#: orjson parses arXiv records about three times faster than the json module (4.6 against 13.2 µs
#: a record, benchmarks/bench_load.py); the benchmark swaps this for json.loads to compare.
_loads: Callable[[bytes], Any] = orjson.loads


class _Version(msgspec.Struct, forbid_unknown_fields=True, gc=False):
    """One of a snapshot record's ``versions``."""

    version: str | None = None
    created: str | None = None


class _Record(
    msgspec.Struct,
    forbid_unknown_fields=True,
    gc=False,
    rename={"journal_ref": "journal-ref", "report_no": "report-no"},
):
    """An arXiv metadata snapshot record: its fourteen fields, typed as the snapshot has them.

    msgspec decodes a line into this a little faster than orjson builds a dict, and the
    fields need no type checks: a snapshot line costs about 11% fewer instructions to read
    (benchmarks/README.md). Every field is decoded and checked, so a line decodes
    here only when orjson would read it too (an unknown field, a number or a value of
    another type fails, and such a line is read the general way, with orjson).
    """

    id: str | None = None
    submitter: str | None = None
    authors: str | None = None
    title: str | None = None
    comments: str | None = None
    journal_ref: str | None = None
    doi: str | None = None
    report_no: str | None = None
    categories: str | None = None
    license: str | None = None
    abstract: str | None = None
    versions: list[_Version] | None = None
    update_date: str | None = None
    authors_parsed: list[list[str]] | None = None


#: Decodes a snapshot record (raises :class:`msgspec.DecodeError` for any other line); None
#: reads every line with :data:`_loads` (the benchmark compares the two).
_decode_record: Callable[[bytes | memoryview], _Record] | None = msgspec.json.Decoder(
    _Record
).decode

Progress = Callable[[int, int], None]
"""``progress(done, total)``: bytes of input read so far, out of the total."""
Cancelled = Callable[[], bool]
"""Returns true when the caller wants loading to stop."""

CHUNK_BYTES = 4 * 2**20
"""Bytes of lines read between progress reports and cancellation checks."""
MAX_PROBLEMS = 1000
"""Problems reported one by one per file; the rest are summed up in one problem."""
SNIFF_BYTES = 64 * 1024

_ARXIV_ID = re.compile(r"(\d{4}\.\d{4,5}|[a-z]+(?:-[a-z]+)*(?:\.[A-Z]{2})?/\d{7})(?:v\d+)?")
_PARAGRAPH = re.compile(r"\n[ \t]*\n\s*|\n[ \t]+")
_NEW_PARAGRAPH = re.compile(r"\n[\t\n ]")
"""Matches where :data:`_PARAGRAPH` does, about half as costly to look for."""
_LIST_START = re.compile(rb"\[\s*[{\]]")
_MONTH_NUMBERS = {name: number for number, name in enumerate(MONTHS, start=1)}


@dataclass
class ReadResult:
    """What one structured file gave: its papers, problems, entries read and its kind.

    ``entries`` counts the records read as papers (duplicates included); ``complete`` is
    false when reading was cancelled.
    """

    columns: PaperColumns
    problems: list[Problem]
    entries: int
    kind: str
    complete: bool = True


# --- recognising and opening ----------------------------------------------------------


def is_gzip(head: bytes) -> bool:
    """Whether ``head`` (the first bytes of a file) starts a gzip stream."""
    return head[:2] == GZIP_MAGIC


def line_chunks(raw: IO[bytes]) -> Iterator[bytes]:
    """The lines of ``raw`` (an open binary file, plain or gzip), a few megabytes at a time:
    blocks of whole lines (only the file's last line may lack its line break).

    A gzip file is decompressed here, member after member, so that a file cut short still
    gives every line before the cut; then :class:`EOFError` is raised, after the last
    lines. Damaged compressed data raises :class:`zlib.error`.
    """
    gz = is_gzip(raw.read(2))
    raw.seek(0)
    rest = b""
    for data in _decompressed(raw) if gz else iter(lambda: raw.read(CHUNK_BYTES), b""):
        cut = data.rfind(b"\n") + 1
        if not cut:  # inside a long line: nothing to read, but progress is reported
            rest += data
            yield b""
            continue
        block, rest = rest + data[:cut] if rest else data[:cut], data[cut:]
        yield block
    if rest:
        yield rest


def _decompressed(raw: IO[bytes]) -> Iterator[bytes]:
    inflater = zlib.decompressobj(wbits=31)
    while block := raw.read(CHUNK_BYTES // 4):
        while block:
            data = inflater.decompress(block, CHUNK_BYTES)  # bounded: no zip bombs
            if data:
                yield data
            if inflater.eof:  # another gzip member may follow (or zero padding)
                block = inflater.unused_data
                if block.strip(b"\0"):
                    inflater = zlib.decompressobj(wbits=31)
                else:
                    block = b""
            else:
                block = inflater.unconsumed_tail
    if not inflater.eof:
        yield inflater.flush()
        raise EOFError("the compressed file is cut short")


def peek(raw: IO[bytes], size: int = SNIFF_BYTES) -> bytes:
    """Up to ``size`` leading bytes of the content of ``raw`` (decompressed if gzip).

    Leaves ``raw`` at the start; a damaged gzip stream gives what could be decompressed.
    """
    data = raw.read(size)
    if not is_gzip(data):
        raw.seek(0)
        return data
    out = b""
    inflater = zlib.decompressobj(wbits=31)
    try:
        while data and len(out) < size:
            out += inflater.decompress(data, size - len(out))
            data = inflater.unconsumed_tail or raw.read(SNIFF_BYTES)
            if inflater.eof:
                break
    except zlib.error:
        pass
    raw.seek(0)
    return out


def wide_encoding(head: bytes) -> str | None:
    """``"utf-32"`` or ``"utf-16"`` when ``head`` starts with that byte-order mark (what
    Windows PowerShell 5's ``>`` writes), else None (UTF-8 or no mark)."""
    for bom, encoding in BOMS:
        if head.startswith(bom):
            return None if encoding == "utf-8-sig" else encoding
    return None


def sniff(head: bytes) -> str:
    """``"jsonl"``, ``"json"`` or ``"text"``: the kind of a file that starts with ``head``.

    JSON is recognised by its first non-blank characters (``{``, or ``[`` then ``{`` or
    ``]``, after any byte-order mark; a title such as ``[Re] ...`` is text). A ``{``
    alone on the first line starts one pretty-printed document; otherwise the file is JSON
    Lines when its first or second line is a JSON object (a bad first record does not turn
    the file into text). A UTF-16 or UTF-32 ``head`` is decoded first.
    """
    encoding = wide_encoding(head)
    if encoding is not None:
        decoder = codecs.getincrementaldecoder(encoding)(errors="replace")
        head = decoder.decode(head).encode("utf-8")  # a code unit cut at the end is left out
    text = head.removeprefix(b"\xef\xbb\xbf").lstrip()
    if _LIST_START.match(text):
        return "json"
    if text[:1] != b"{":
        return "text"
    lines = [line for line in text.split(b"\n", 2)[:2] if line.strip()]
    if lines[0].strip() == b"{":
        return "json"
    if any(_is_object(line) for line in lines):
        return "jsonl"
    return "jsonl" if len(lines[0]) >= len(text) else "text"  # one long (partial) line


def input_kind(path: Path) -> str:
    """:func:`sniff` of the file at ``path`` (``"text"`` when it cannot be opened: the text
    reader then reports why)."""
    from .sources import open_input  # imports pydantic, which worker processes do without

    handle, _ = open_input(path)
    if handle is None:
        return "text"
    with handle:
        try:
            return sniff(peek(handle))
        except OSError:
            return "text"


def _is_object(line: bytes) -> bool:
    try:
        return isinstance(_loads(line), dict)
    except (ValueError, RecursionError):
        return False


# --- records ----------------------------------------------------------------------------


class _Builder:
    """Appends records to columns; remembers ids to merge duplicates.

    With ``in_file``, abstracts are not kept: :attr:`spans` gets where each paper's line
    lies in the file instead (the reader sets :attr:`span` before each record), for
    :class:`~tui.data.line_abstracts.LineAbstracts` to read it on demand.
    """

    def __init__(self, columns: PaperColumns | None = None, *, in_file: bool = False) -> None:
        self.columns = columns if columns is not None else PaperColumns()
        abstracts = self.columns.abstracts
        assert isinstance(abstracts, list)
        self.abstracts: list[str] | None = None if in_file else abstracts
        self.spans = LineSpans()
        self.span = (0, 0)
        self.positions: dict[str, int] = {i: n for n, i in enumerate(self.columns.ids)}
        self.categories: dict[str, str] = {}
        self.numbers: dict[int, int] = {}  # one int object per year value: 8 bytes a paper
        self.warning: str | None = None

    def add(self, record: object, file: str, line: int) -> str | None:
        """Append one record; the reason it was skipped, or None. Sets :attr:`warning`."""
        self.warning = None
        if not isinstance(record, dict):
            return "not a JSON object; skipped"
        raw_title = record.get("title")
        if not isinstance(raw_title, str):
            if raw_title is None:
                return "record has no title; skipped"
            return "title is not a string; skipped"
        title = one_line(raw_title)
        if not title:
            return "empty title; skipped"
        key = self._new_key(record.get("id"), title, file, line)
        if key is None:
            return None
        abstract = record.get("abstract")
        text = record.get("authors")
        if isinstance(text, str):  # the arXiv snapshot's authors string: the common case
            names = one_line(text)
            parsed = record.get("authors_parsed")
            if isinstance(parsed, list) and parsed:
                count: int | None = len(parsed)
            else:
                count = len(split_authors(names)) if names else None
        else:
            names, count = self._authors(record)
        created = None
        versions = record.get("versions")
        if isinstance(versions, list) and versions and isinstance(versions[0], dict):
            created = versions[0].get("created")
        year, month, day = self._date(created, record.get("update_date"), record.get("date"))
        upvotes = record.get("upvotes")
        if not isinstance(upvotes, int) or isinstance(upvotes, bool) or upvotes < 0:
            upvotes = None
        categories = self._categories(record.get("categories"))
        date = (year, month, day)
        self._append(key, title, abstract, count, names, categories, upvotes, date, line)
        return None

    def add_record(self, record: _Record, file: str, line: int) -> str | None:
        """:meth:`add` for a snapshot record decoded by msgspec: the same result, without
        the checks of types that the decoder has made. A million of these make most of the
        time a big file takes to read, so the date and categories seen before are looked up
        here rather than in a call (about 4% fewer instructions a record), and the columns
        are appended here as :meth:`_append` does (3% fewer)."""
        self.warning = None
        raw_title = record.title
        if raw_title is None:
            return "record has no title; skipped"
        title = one_line(raw_title)
        if not title:
            return "empty title; skipped"
        key = self._new_key(record.id, title, file, line)
        if key is None:
            return None
        parsed = record.authors_parsed
        text = record.authors
        if text is not None:
            names = one_line(text)
            if parsed:
                count: int | None = len(parsed)
            else:
                count = len(split_authors(names)) if names else None
        elif parsed:
            names, count = ", ".join(_parsed_name(item) for item in parsed), len(parsed)
        else:
            names, count = "", None
        versions = record.versions
        created = versions[0].created if versions else None
        known = None
        if created is not None:  # the date of a day seen before (see _date)
            cut = created.find(" ", 12)
            known = _DAYS.get(created[:cut] if cut > 0 else created)
        if known is not None:
            year, month, day, self.warning = known
        else:
            year, month, day = self._date(created, record.update_date, None)
        raw = record.categories
        categories = self.categories.get(raw) if raw is not None else None
        if categories is None:
            categories = self._categories(raw)
        columns = self.columns
        columns.ids.append(key)
        columns.titles.append(title)
        abstracts = self.abstracts
        if abstracts is None:
            start, end = self.span
            self.spans.starts.append(start)
            self.spans.lengths.append(end - start)
        else:
            abstract = record.abstract
            abstracts.append("" if abstract is None else paragraphs(abstract))
        columns.authors.append(count)
        columns.author_names.append(names)
        columns.categories.append(categories)
        columns.upvotes.append(None)
        columns.years.append(year)
        columns.months.append(month)
        columns.days.append(day)
        columns.lines.append(line)
        return None

    def _new_key(self, raw_id: object, title: str, file: str, line: int) -> str | None:
        """The key of a new paper (its arXiv id, else one made from the title); None when
        an earlier record had it (this line is then one more source of that paper)."""
        if (  # a new-style id without a version (the common case), checked quicker
            isinstance(raw_id, str)
            and len(raw_id) in (9, 10)
            and raw_id[4] == "."
            and raw_id[:4].isdecimal()
            and raw_id[5:].isdecimal()
        ):
            key = raw_id
        elif isinstance(raw_id, str) and (match := _ARXIV_ID.fullmatch(raw_id)) is not None:
            key = raw_id if match.end(1) == len(raw_id) else match.group(1)
        else:
            key = paper_id(title)
        known = self.positions.get(key)
        if known is not None:
            self.columns.extra_sources.setdefault(known, []).append((file, line))
            return None
        self.positions[key] = len(self.columns.ids)
        return key

    def _append(
        self,
        key: str,
        title: str,
        abstract: object,
        count: int | None,
        names: str,
        categories: str,
        upvotes: int | None,
        date: tuple[int | None, int, int],
        line: int,
    ) -> None:
        """Add a new paper's values to the columns (``abstract`` as the record has it)."""
        columns = self.columns
        columns.ids.append(key)
        columns.titles.append(title)
        if self.abstracts is None:
            self.spans.add(*self.span)
        else:
            self.abstracts.append(paragraphs(abstract) if isinstance(abstract, str) else "")
        columns.authors.append(count)
        columns.author_names.append(names)
        columns.categories.append(categories)
        columns.upvotes.append(upvotes)
        columns.years.append(date[0])
        columns.months.append(date[1])
        columns.days.append(date[2])
        columns.lines.append(line)

    def _authors(self, record: dict[str, Any]) -> tuple[str, int | None]:
        text = record.get("authors")
        parsed = record.get("authors_parsed")
        count: int | None = len(parsed) if isinstance(parsed, list) and parsed else None
        if isinstance(text, str):
            names = one_line(text)
            if count is None:
                count = len(split_authors(names)) if names else None
            return names, count
        listed = record.get("author_names")
        if isinstance(listed, list) and listed:
            names = ", ".join(one_line(name) for name in listed if isinstance(name, str))
        elif count is not None:
            assert isinstance(parsed, list)
            names = ", ".join(_parsed_name(item) for item in parsed)
        else:
            names = ""
        if isinstance(text, int) and not isinstance(text, bool) and text >= 0:
            count = text
        elif count is None and names:
            count = len(split_authors(names))
        return names, count

    def _categories(self, raw: object) -> str:
        if isinstance(raw, list):
            raw = " ".join(item for item in raw if isinstance(item, str))
        if not isinstance(raw, str):
            return ""
        shared = self.categories.get(raw)
        if shared is None:
            shared = self.categories[raw] = " ".join(one_line(raw).split())
        return shared

    def _date(self, created: object, update: object, date: object) -> tuple[int | None, int, int]:
        """The date of a record: the first version's ``created``, else ``update_date``,
        else paperview's ``date`` object."""
        if isinstance(created, str):
            # "Mon, 2 Apr 2007 19:18:42 GMT": a few thousand distinct days, so the
            # dates of the text before the time are remembered
            cut = created.find(" ", 12)
            day_text = created[:cut] if cut > 0 else created
            known = _DAYS.get(day_text)
            if known is None:
                found = _created_date(day_text)
                if found is None:  # not "day month year" before the time
                    found = _created_date(created)
                    return self._checked(found) if found else self._other_date(update, date)
                if len(_DAYS) > 100_000:
                    _DAYS.clear()
                known = _DAYS[day_text] = (*self._checked(found), self.warning)
            year, month, day, self.warning = known
            return year, month, day
        return self._other_date(update, date)

    def _other_date(self, update: object, date: object) -> tuple[int | None, int, int]:
        found: tuple[int | None, int, int] | None = _iso_date(update)
        if found is None:
            found = _object_date(date)
        if found is None:
            return None, 0, 0
        return self._checked(found)

    def _checked(self, found: tuple[int | None, int, int]) -> tuple[int | None, int, int]:
        """The date if it exists, else none and a warning (:attr:`warning`)."""
        year, month, day = found
        leap = 2000 if year is None else year  # without a year, Feb 29 exists in some year
        if not (1900 <= leap <= 2999 and 1 <= month <= 12 and 1 <= day <= 31) or (
            day > 28 and day > calendar.monthrange(leap, month)[1]
        ):
            shown = "--" if year is None else f"{year:04d}"
            self.warning = f"bad date {shown}-{month:02d}-{day:02d}; date left out"
            return None, 0, 0
        return None if year is None else self.numbers.setdefault(year, year), month, day


def _parsed_name(item: object) -> str:
    if isinstance(item, list):  # [last, first, suffix, ...affiliations]
        parts = [item[1] if len(item) > 1 else "", item[0] if item else "", *item[2:3]]
        return one_line(" ".join(p for p in parts if isinstance(p, str) and p))
    return one_line(item) if isinstance(item, str) else ""


_DAYS: dict[str, tuple[int | None, int, int, str | None]] = {}
"""Dates (and warnings) of the ``created`` texts seen, up to the time of day."""


def _created_date(value: str) -> tuple[int, int, int] | None:
    # "Mon, 2 Apr 2007 19:18:42 GMT"
    parts = value.split(None, 4)
    if len(parts) >= 4 and parts[2] in _MONTH_NUMBERS:
        try:
            return int(parts[3]), _MONTH_NUMBERS[parts[2]], int(parts[1])
        except ValueError:
            return None
    return None


def _iso_date(value: object) -> tuple[int, int, int] | None:
    # "2023-05-01"
    if not isinstance(value, str):
        return None
    parts = value.strip().split("-")
    if len(parts) != 3 or not all(part.isdigit() for part in parts):
        return None
    return int(parts[0]), int(parts[1]), int(parts[2])


def _object_date(value: object) -> tuple[int | None, int, int] | None:
    # paperview's {"year": 2024 | null, "month": 7, "day": 3}
    if not isinstance(value, dict):
        return None
    year, month, day = (value.get(key) for key in ("year", "month", "day"))
    if not all(_is_int(n) for n in (month, day)) or not (year is None or _is_int(year)):
        return None
    assert isinstance(month, int) and isinstance(day, int)
    return (year if isinstance(year, int) else None), month, day


def _is_int(value: object) -> bool:
    return isinstance(value, int) and not isinstance(value, bool)


def one_line(text: str) -> str:
    """A title-like field on one line: sanitised, LaTeX converted, wrapped lines joined,
    runs of whitespace collapsed.

    Text that is printable once its line breaks are spaces (the common case) holds nothing
    :func:`~tui.data.controls.sanitize` would change but those breaks, which are joined here
    anyway: sanitising it is skipped.
    """
    # (str.isprintable: controls.printable gains only on long text)
    if not text.isprintable() and not text.replace("\n", " ").isprintable():
        text = sanitize(text)
    text = " ".join(text.split()) if "\n" in text or "  " in text else text.strip()
    return latex_to_unicode(text) if "\\" in text else text


def paragraphs(text: str) -> str:
    """An abstract with its hard wraps undone: paragraphs joined by ``\\n``.

    A line that starts with a space or tab, or follows a blank line, starts a paragraph;
    any other line break was a wrap and becomes a space. Each paragraph is sanitised.
    """
    text = text.strip()
    if "\n" in text:
        if _NEW_PARAGRAPH.search(text) is None:
            text = text.replace("\n", " ")
        else:
            parts = [sanitize(part.replace("\n", " ")) for part in _PARAGRAPH.split(text)]
            return latex_to_unicode("\n".join([kept for part in parts if (kept := part.strip())]))
    text = sanitize(text).strip()
    return latex_to_unicode(text) if "\\" in text else text


class _Abstract(msgspec.Struct, gc=False):
    """The abstract of a record, its other fields skipped."""

    abstract: str | None = None


_decode_abstract = msgspec.json.Decoder(_Abstract).decode


def line_abstract(line: bytes) -> str:
    """The abstract of the paper on ``line`` (a JSON Lines record), as reading the line
    gives it; ``""`` when the line has none or is no longer a record.

    msgspec reads the abstract alone, about twice as fast as orjson reads the record; a
    line it refuses (an abstract that is not a string) is read the general way."""
    try:
        abstract: object = _decode_abstract(line).abstract
    except (msgspec.DecodeError, RecursionError):  # msgspec nests less deep than orjson
        try:
            record = _loads(line)
        except (ValueError, RecursionError):
            return ""
        abstract = record.get("abstract") if isinstance(record, dict) else None
    return paragraphs(abstract) if isinstance(abstract, str) else ""


# --- reading files ------------------------------------------------------------------------


class _Problems:
    """Problems of one file, capped at :data:`MAX_PROBLEMS`; the rest are counted, errors
    apart from warnings, and summed up in one problem of each severity. The errors' one
    names the line of the first error left out (a file with many bad lines is still not an
    unreadable input)."""

    def __init__(self, file: str) -> None:
        self.file = file
        self.items: list[Problem] = []
        self.dropped_errors = 0
        self.dropped_warnings = 0
        self.first_dropped: int | None = None  # the line of the first error left out

    def add(self, line: int | None, reason: str, severity: Severity = Severity.ERROR) -> None:
        from .models import Problem  # not at the top: worker processes do without pydantic

        if len(self.items) < MAX_PROBLEMS:
            self.items.append(Problem(file=self.file, line=line, reason=reason, severity=severity))
        elif severity is Severity.ERROR:
            self.drop_errors(1, line)
        else:
            self.dropped_warnings += 1

    def drop_errors(self, count: int, first: int | None) -> None:
        """Count ``count`` errors left out, the first of them on line ``first``."""
        if count and not self.dropped_errors:
            self.first_dropped = first
        self.dropped_errors += count

    def done(self) -> list[Problem]:
        from .models import Problem

        if self.dropped_errors:
            reason = f"{self.dropped_errors:,} more error(s) not listed"
            reason += "" if self.first_dropped is None else ", from this line on"
            self.items.append(Problem(file=self.file, line=self.first_dropped, reason=reason))
        if self.dropped_warnings:
            reason = f"{self.dropped_warnings:,} more warning(s) not listed"
            self.items.append(Problem(file=self.file, reason=reason, severity=Severity.WARNING))
        return self.items


_LEFT_OUT = re.compile(r"([\d,]+) more (error|warning)\(s\) not listed(?:, from this line on)?")
"""The reason of a summary :meth:`_Problems.done` makes (kept in the cache as it is)."""


def problem_count(problems: Iterable[Problem]) -> int:
    """How many problems ``problems`` stand for: one each, but a summary of those left out
    after :data:`MAX_PROBLEMS` in a file for as many as it says."""
    count = 0
    for problem in problems:
        found = _LEFT_OUT.fullmatch(problem.reason)
        if found is not None and found[2] == problem.severity.value:
            count += int(found[1].replace(",", ""))
        else:
            count += 1
    return count


def problem_counts(problems: Iterable[Problem]) -> tuple[int, int]:
    """How many errors and how many warnings ``problems`` stand for (:func:`problem_count`)."""
    listed = list(problems)
    errors = problem_count(p for p in listed if p.severity is Severity.ERROR)
    return errors, problem_count(listed) - errors


class LineReader:
    """Reads JSON Lines into columns, a block of lines at a time, numbering the lines.

    ``first`` says the lines start the file: then a byte-order mark is skipped and a first
    record holding ``"format"`` is taken for a paperview export (see :meth:`read`). With
    ``in_file``, abstracts are left in the file: the builder's ``spans`` say where each
    paper's line lies, counted from ``offset``, the position of the first block read.
    """

    def __init__(
        self, file: str, *, first: bool = True, in_file: bool = False, offset: int = 0
    ) -> None:
        self.file = file
        self.first = first
        self.builder = _Builder(PaperColumns(files=[file], starts=[0]), in_file=in_file)
        self.problems = _Problems(file)
        self.number = 0
        self.entries = 0
        self.offset = offset

    def read(self, data: bytes) -> dict[str, Any] | None:
        """Read the lines of ``data`` (whole lines; the last may lack its line break); the
        first record when it is a paperview export's header (then nothing is read: the
        caller reads the document).

        Lines are decoded from slices of ``data`` (no copies), snapshot records by msgspec
        (:class:`_Record`), any other line by orjson."""
        number = self.number
        first = self.first and number == 0
        base = self.offset
        if first and data.startswith(b"\xef\xbb\xbf"):
            data = data[3:]
            base += 3
        self.offset = base + len(data)
        builder, problems, file, loads = self.builder, self.problems, self.file, _loads
        add, add_record = builder.add, builder.add_record
        decode = _decode_record
        spans = builder.abstracts is None
        view = memoryview(data)
        find = data.find
        start, size = 0, len(data)
        entries = 0
        while start < size:
            at = start
            start = find(b"\n", at)
            if start < 0:
                start = size
            number += 1
            if spans:
                builder.span = (base + at, base + start)
            decoded: _Record | None = None
            if decode is not None:
                try:
                    decoded = decode(view[at:start])
                except msgspec.DecodeError:  # not a snapshot record: read the general way
                    decoded = None
            if decoded is not None:
                reason = add_record(decoded, file, number)
                start += 1
            else:
                line = data[at:start]
                start += 1
                if not line or line.isspace():
                    continue
                try:
                    record = loads(line)
                except (ValueError, RecursionError):
                    problems.add(number, f"not valid JSON ({_json_error(line)}); skipped")
                    continue
                if first and number == 1 and isinstance(record, dict) and "format" in record:
                    return record
                reason = add(record, file, number)
            if reason is not None:
                problems.add(number, reason)
                continue
            entries += 1
            if builder.warning is not None:
                problems.add(number, builder.warning, Severity.WARNING)
        self.number = number
        self.entries += entries
        return None

    def result(self, complete: bool = True) -> ReadResult:
        """What was read so far (``complete=False``: reading was cancelled)."""
        problems = self.problems
        if complete and not self.builder.columns.ids and not problems.items:
            problems.add(None, "no papers found in file")
        return ReadResult(self.builder.columns, problems.done(), self.entries, "jsonl", complete)


def read_jsonl(
    raw: IO[bytes],
    file: str,
    *,
    total: int = 0,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ReadResult:
    """Stream JSON Lines from ``raw`` (an open binary file, plain or gzip) into columns.

    After every chunk of about :data:`CHUNK_BYTES`, reports ``progress(position, total)``
    with the position in ``raw`` (in the compressed file for gzip). When ``cancelled()``
    turns true, reading stops and the result has ``complete=False``. A big plain file is
    parsed by worker processes when the machine has several cores
    (:mod:`.jsonl_workers`); the result is the same.
    """
    from .jsonl_workers import read_in_workers  # imports this module

    done = read_in_workers(raw, file, total=total, progress=progress, cancelled=cancelled)
    if done is not None:
        return done
    reader = LineReader(file)
    chunks = line_chunks(raw)
    while True:
        try:
            chunk = next(chunks, None)
        except (OSError, EOFError, zlib.error) as failure:
            reason = f"stopped reading after line {reader.number:,}: {read_failure(failure)}"
            reader.problems.add(None, reason)
            break
        if chunk is None:
            break
        header = reader.read(chunk)
        if header is not None:
            return _document_result(header, file, reader.problems)
        if progress is not None:
            progress(raw.tell(), total)
        if cancelled is not None and cancelled():
            return reader.result(complete=False)
    return reader.result()


def read_document(data: bytes, file: str) -> ReadResult:
    """Read one JSON document: a paperview export, or a list of papers."""
    problems = _Problems(file)
    try:
        document = _loads(data.removeprefix(b"\xef\xbb\xbf"))
    except (ValueError, RecursionError) as failure:
        problems.add(None, f"not valid JSON ({_json_reason(failure)})")
        return ReadResult(PaperColumns(), problems.done(), 0, "json")
    return _document_result(document, file, problems, text=data)


def _document_result(
    document: object, file: str, problems: _Problems, *, text: bytes = b""
) -> ReadResult:
    columns = PaperColumns(files=[file], starts=[0])
    records = _document_records(document, problems)
    if records is None:
        return ReadResult(columns, problems.done(), 0, "json")
    builder = _Builder(columns)
    lines = _record_lines(text, records)
    entries = 0
    for index, (record, line) in enumerate(zip(records, lines, strict=True)):
        reason = builder.add(record, file, line)
        if reason is not None:
            problems.add(None, f"papers[{index}]: {reason}")
            continue
        entries += 1
        if builder.warning is not None:
            problems.add(None, f"papers[{index}]: {builder.warning}", Severity.WARNING)
    if not columns.ids and not problems.items:
        problems.add(None, "no papers found in file")
    return ReadResult(columns, problems.done(), entries, "json")


def _document_records(document: object, problems: _Problems) -> list[object] | None:
    """The paper records of a JSON document (export entries use their ``paper``)."""
    from .export.json_format import FORMAT_NAME, FORMAT_VERSION

    if isinstance(document, list):
        return document
    if not isinstance(document, dict):
        problems.add(None, "not a list of papers or a paperview export")
        return None
    if document.get("format") != FORMAT_NAME:
        problems.add(None, f'not a paperview export (no "format": "{FORMAT_NAME}")')
        return None
    version = document.get("version")
    if not isinstance(version, int) or isinstance(version, bool) or version > FORMAT_VERSION:
        problems.add(None, f"export version {version!r} is not one this paperview reads")
        return None
    papers = document.get("papers")
    if not isinstance(papers, list):
        problems.add(None, '"papers" is missing or not a list')
        return None
    return [entry.get("paper") or entry if isinstance(entry, dict) else entry for entry in papers]


def _record_lines(text: bytes, records: Iterable[object]) -> list[int]:
    """The line of each record's title in ``text`` (1 when it cannot be found)."""
    lines: list[int] = []
    at = 0
    line = 1
    for record in records:
        title = record.get("title") if isinstance(record, dict) else None
        found = -1
        if isinstance(title, str) and title:
            needle = json.dumps(title, ensure_ascii=False).encode("utf-8")
            found = text.find(needle, at)
        if found < 0:
            lines.append(line if at else 1)
            continue
        line += text.count(b"\n", at, found)
        at = found
        lines.append(line)
    return lines


def _json_error(line: bytes) -> str:
    """Why ``line`` is not JSON, in a few words (the parser's message)."""
    try:
        _loads(line.rstrip())  # without the line break: a cut-off line ends "unexpectedly"
    except (ValueError, RecursionError) as failure:
        return _json_reason(failure)
    return "not one JSON value"


def _json_reason(failure: BaseException) -> str:
    if isinstance(failure, RecursionError):
        return "nested too deeply"
    message = getattr(failure, "msg", None) or str(failure)
    return str(message).split(": line ")[0]


def read_failure(failure: BaseException) -> str:
    """Why reading a file stopped, in a few words."""
    if isinstance(failure, EOFError):
        return "the compressed file is cut short"
    if isinstance(failure, zlib.error):
        return f"damaged compressed data ({failure})"
    if isinstance(failure, OSError) and failure.strerror:
        return failure.strerror.lower()
    return str(failure) or type(failure).__name__
