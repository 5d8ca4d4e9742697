"""Reading one structured input through the cache, and putting inputs' papers together.

:func:`read_structured` answers from the cache when the cache holds this version of the
file, and otherwise parses it (and caches the result). :func:`combine` puts the papers of
text captures and structured files into one :class:`ColumnTable`, merging papers that share
an id. A :class:`ColumnTable` is a :class:`~tui.data.search.table.PaperTable`, so the
search index reads its columns directly and never builds a million papers.
"""

from __future__ import annotations

import codecs
import itertools
import os
import tempfile
import zlib
from collections.abc import Callable, Sequence
from contextlib import AbstractContextManager, nullcontext
from dataclasses import dataclass
from pathlib import Path
from time import perf_counter
from typing import IO

from .cache import CorpusCache, Fingerprint
from .models import Paper, Problem, Severity, SourceRef
from .paper_columns import PaperColumns, paper_urls, split_authors
from .search.table import PaperTable
from .snapshot import (
    Cancelled,
    Progress,
    ReadResult,
    line_chunks,
    peek,
    read_document,
    read_failure,
    read_jsonl,
    wide_encoding,
)
from .sources import ReadOptions, decode, open_input, read_bytes
from .timings import Timings


@dataclass
class Reading:
    """What :func:`read_structured` needs besides the file."""

    options: ReadOptions
    cache: CorpusCache | None = None
    progress: Progress | None = None
    cancelled: Cancelled | None = None
    timings: Timings | None = None
    done: int = 0
    """Bytes of the inputs read before this file (for progress)."""
    total: int = 0
    """Bytes of all the inputs (for progress)."""

    def stage(self, name: str) -> AbstractContextManager[None]:
        """Time a stage when timings are wanted."""
        return self.timings.stage(name) if self.timings is not None else nullcontext()


def read_structured(path: Path, kind: str, reading: Reading) -> ReadResult:
    """Read ``path``, JSON Lines or JSON as ``kind`` says (see :func:`.snapshot.input_kind`),
    from the cache when it holds this version of the file."""
    name = str(path)
    handle, problem = open_input(path)
    if handle is None:
        assert problem is not None
        return ReadResult(PaperColumns(), [problem], 0, "unread")
    with handle:
        cache = reading.cache if reading.options.cache else None
        fingerprint = Fingerprint.of(path) if cache is not None else None
        if cache is not None and fingerprint is not None and cache.wants(fingerprint):
            start = perf_counter()
            cached = cache.load(fingerprint, name)
            if reading.timings is not None:
                what = "cache load" if cached is not None else "cache miss"
                reading.timings.add(f"{what}  {name}", perf_counter() - start)
            if cached is not None:
                return cached
        else:
            cache = None
        with reading.stage(f"read+parse  {name}"):
            encoding = wide_encoding(peek(handle, 4))
            if kind == "jsonl" and encoding is not None:
                result = _read_wide_lines(handle, encoding, name, reading)
            elif kind == "jsonl":
                result = _read_lines(handle, name, reading)
            else:
                data, problem = read_bytes(path, reading.options)
                if data is None:
                    assert problem is not None
                    return ReadResult(PaperColumns(), [problem], 0, "json")
                problems: list[Problem] = []
                if encoding is not None:  # UTF-16 or UTF-32: the parser reads UTF-8
                    text, problems = decode(path, data, reading.options)
                    if text is None:
                        return ReadResult(PaperColumns(), problems, 0, "json")
                    data = text.encode("utf-8")
                result = read_document(data, name)
                result.problems[:0] = problems
    if cache is not None and fingerprint is not None:
        with reading.stage(f"cache save  {name}") if not cache.defer else nullcontext():
            cache.save(fingerprint, result)
    return result


def _read_lines(raw: IO[bytes], name: str, reading: Reading, scale: float = 1.0) -> ReadResult:
    return read_jsonl(
        raw,
        name,
        total=reading.total,
        progress=_shifted(reading.progress, reading.done, scale),
        cancelled=reading.cancelled,
    )


def _read_wide_lines(raw: IO[bytes], encoding: str, name: str, reading: Reading) -> ReadResult:
    """Read JSON Lines in UTF-16 or UTF-32 through a UTF-8 copy in a temporary file."""
    try:
        with tempfile.TemporaryFile() as copy:
            ok, problems = _transcode(raw, copy, encoding, reading, name)
            if not ok:  # not valid text, or cancelled (no problem then)
                return ReadResult(PaperColumns(), problems, 0, "jsonl", complete=bool(problems))
            size = copy.tell()
            copy.seek(0)
            scale = os.fstat(raw.fileno()).st_size / size if size else 1.0  # progress in raw
            result = _read_lines(copy, name, reading, scale)
    except OSError as failure:  # no room for the copy
        reason = f"could not make a UTF-8 copy to read ({read_failure(failure)})"
        return ReadResult(PaperColumns(), [Problem(file=name, reason=reason)], 0, "jsonl")
    result.problems[:0] = problems
    return result


def _transcode(
    raw: IO[bytes], copy: IO[bytes], encoding: str, reading: Reading, name: str
) -> tuple[bool, list[Problem]]:
    """Copy the content of ``raw`` (plain or gzip, in ``encoding``: UTF-16 or UTF-32 with a
    byte-order mark) to ``copy`` in UTF-8, a block at a time, so that JSON Lines in those
    encodings are read like any other. Returns whether the copy is to be read (not when
    the text is not valid ``encoding`` without ``--errors replace``, or reading was
    cancelled) and the problems (characters replaced; a gzip file cut short, when what
    came before the cut is read)."""
    errors = "replace" if reading.options.errors == "replace" else "strict"
    decoder = codecs.getincrementaldecoder(encoding)(errors=errors)
    done = replaced = 0
    problems: list[Problem] = []
    try:
        for chunk in itertools.chain(line_chunks(raw), [None]):
            if reading.cancelled is not None and reading.cancelled():
                return False, []
            start = done - len(decoder.getstate()[0])  # where the bytes to decode begin
            try:
                text = decoder.decode(chunk or b"", final=chunk is None)
            except UnicodeDecodeError as failure:
                byte = failure.object[failure.start : failure.start + 1].hex().upper()
                reason = (
                    f"not valid {failure.encoding} (byte 0x{byte} at offset "
                    f"{start + failure.start}); use --errors replace"
                )
                return False, [Problem(file=name, reason=reason)]
            done += len(chunk or b"")
            replaced += text.count("\ufffd") if errors == "replace" else 0
            copy.write(text.encode("utf-8"))
    except (OSError, EOFError, zlib.error) as failure:
        reason = f"stopped reading after byte {done:,}: {read_failure(failure)}"
        problems.append(Problem(file=name, reason=reason))
    if replaced:
        reason = f"{replaced} undecodable character(s) replaced with U+FFFD"
        problems.insert(0, Problem(file=name, reason=reason, severity=Severity.WARNING))
    return True, problems


def _shifted(progress: Progress | None, done: int, scale: float = 1.0) -> Progress | None:
    if progress is None:
        return None
    report: Callable[[int, int], None] = progress
    return lambda position, total: report(done + round(position * scale), total)


def combine(papers: Sequence[Paper], results: Sequence[ReadResult]) -> ColumnTable:
    """One table of ``papers`` (from text captures) followed by the structured results'
    papers; a paper whose id is already in the table is merged into it (first copy kept,
    its place added to the sources)."""
    if not papers and len(results) == 1:
        return ColumnTable(results[0].columns)
    combined = PaperColumns()
    for paper in papers:
        combined.add_paper(paper)
    positions = {paper_id: n for n, paper_id in enumerate(combined.ids)}
    for result in results:
        columns = result.columns
        keep: list[int] = []
        for index, paper_id in enumerate(columns.ids):
            known = positions.get(paper_id)
            if known is None:
                positions[paper_id] = len(combined) + len(keep)
                keep.append(index)
                continue
            merged = combined.extra_sources.setdefault(known, [])
            merged.append(columns.source(index))
            merged.extend(columns.extra_sources.get(index, ()))
        combined.extend(columns, None if len(keep) == len(columns) else keep)
    return ColumnTable(combined)


class ColumnTable(PaperTable):
    """:class:`PaperColumns` as a ``Sequence[Paper]``; ``table[i]`` builds paper ``i``."""

    def __init__(self, columns: PaperColumns) -> None:
        super().__init__(
            ids=columns.ids,
            titles=columns.titles,
            abstracts=columns.abstracts,
            authors=columns.authors,
            upvotes=columns.upvotes,
            years=columns.years,
            months=columns.months,
            days=columns.days,
            author_names=columns.author_names,
            categories=columns.categories,
            title_keys=columns.title_keys,
        )
        self.columns = columns

    def _paper(self, index: int) -> Paper:
        columns = self.columns
        paper_id = columns.ids[index]
        abstract = columns.abstracts[index]
        file, line = columns.source(index)
        sources = [SourceRef.model_construct(file=file, line=line)]
        for other_file, other_line in columns.extra_sources.get(index, ()):
            sources.append(SourceRef.model_construct(file=other_file, line=other_line))
        return Paper.model_construct(
            id=paper_id,
            title=columns.titles[index],
            abstract=abstract,
            authors=columns.authors[index],
            date=self.date(index),
            upvotes=columns.upvotes[index],
            sources=tuple(sources),
            urls=paper_urls(paper_id, abstract),
            author_names=split_authors(columns.author_names[index]),
            categories=tuple(columns.categories[index].split()),
        )
