"""Loading a corpus: read every input, parse it, and merge the copies of each paper.

Each input's kind is recognised from its content: a text capture (parsed here), or JSON
Lines / JSON (an arXiv metadata snapshot, paperview's own JSON: :mod:`.snapshot`, read
through the cache of :mod:`.cache` when one is given). Any input may be gzip-compressed.
"""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from contextlib import nullcontext
from dataclasses import dataclass, field
from pathlib import Path
from typing import TYPE_CHECKING

from .models import Corpus, FileReport, Paper, PaperDate, Problem, SourceRef
from .parse import Entry, parse_lines
from .snapshot import input_kind
from .sources import ReadOptions, expand_paths, read_lines
from .text import find_urls, paper_id

if TYPE_CHECKING:
    from .cache import CorpusCache
    from .snapshot import Cancelled, Progress, ReadResult
    from .timings import Timings


@dataclass
class _Merged:
    """The fields of one paper as the copies seen so far tell them."""

    id: str
    title: str
    abstract: str
    authors: int | None
    date: PaperDate | None
    upvotes: int | None
    sources: list[SourceRef] = field(default_factory=list)

    def absorb(self, entry: Entry, source: SourceRef) -> None:
        """Merge another copy: the longest abstract, the largest counts, a dated date."""
        if len(entry.abstract) > len(self.abstract):
            self.abstract = entry.abstract
        self.authors = _max_known(self.authors, entry.authors)
        self.upvotes = _max_known(self.upvotes, entry.upvotes)
        if entry.date is not None and (
            self.date is None or (self.date.year is None and entry.date.year is not None)
        ):
            self.date = entry.date
        if source not in self.sources:
            self.sources.append(source)

    def paper(self) -> Paper:
        return Paper(
            id=self.id,
            title=self.title,
            abstract=self.abstract,
            authors=self.authors,
            date=self.date,
            upvotes=self.upvotes,
            sources=tuple(self.sources),
            urls=find_urls(self.abstract),
        )


def _max_known(a: int | None, b: int | None) -> int | None:
    if a is None:
        return b
    return a if b is None else max(a, b)


def merge_entries(located: Iterable[tuple[Entry, SourceRef]]) -> list[Paper]:
    """Fold entries into papers by id, in order of first appearance.

    Merge rule: the first title seen, the longest abstract, the largest known author and
    upvote counts, the first date that gives a year (else the first date), every source.
    """
    merged: dict[str, _Merged] = {}
    for entry, source in located:
        key = paper_id(entry.title)
        existing = merged.get(key)
        if existing is None:
            merged[key] = _Merged(
                key,
                entry.title,
                entry.abstract,
                entry.authors,
                entry.date,
                entry.upvotes,
                [source],
            )
        else:
            existing.absorb(entry, source)
    return [item.paper() for item in merged.values()]


def load_corpus(
    paths: Sequence[Path],
    options: ReadOptions | None = None,
    *,
    cache: CorpusCache | None = None,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
    timings: Timings | None = None,
) -> Corpus:
    """Read and parse ``paths`` (files, or directories of corpus files) into a corpus.

    Never raises on bad input: every file that cannot be read and every entry that cannot
    be parsed is a problem in the result, and everything else loads. With structured
    inputs the papers are a columnar table (see :mod:`.paper_columns`), else a tuple.

    ``progress(done, total)`` is called with bytes of input read, between files and every
    few megabytes of JSON Lines; when ``cancelled()`` turns true, loading stops early and
    returns an incomplete corpus (to be discarded). ``timings`` collects per-stage times.
    """
    options = options or ReadOptions()
    files, problems = expand_paths(paths)
    reports: list[FileReport] = []
    located: list[tuple[Entry, SourceRef]] = []
    structured: list[ReadResult] = []
    sizes = [_size(path) for path in files]
    kinds = [input_kind(path) for path in files]
    done, total = 0, sum(sizes)
    for path, size, kind in zip(files, sizes, kinds, strict=True):
        if cancelled is not None and cancelled():
            break
        name = str(path)
        if kind != "text":
            from .structured import Reading, read_structured  # imports the search table

            reading = Reading(options, cache, progress, cancelled, timings, done, total)
            result = read_structured(path, kind, reading)
            problems.extend(result.problems)
            layout = result.kind if result.kind != "unread" else None
            reports.append(FileReport(file=name, layout=layout, entries=result.entries))
            if result.columns.ids:
                structured.append(result)
        else:
            with timings.stage(f"read+parse  {name}") if timings else nullcontext():
                located.extend(_read_text(path, options, problems, reports))
        done += size
        if progress is not None:
            progress(done, total)
    papers = merge_entries(located)
    if structured:
        from .structured import combine

        return Corpus(
            papers=combine(papers, structured), files=tuple(reports), problems=tuple(problems)
        )
    return Corpus(papers=tuple(papers), files=tuple(reports), problems=tuple(problems))


def _read_text(
    path: Path, options: ReadOptions, problems: list[Problem], reports: list[FileReport]
) -> list[tuple[Entry, SourceRef]]:
    name = str(path)
    lines, read_problems = read_lines(path, options)
    problems.extend(read_problems)
    if not lines and read_problems:
        reports.append(FileReport(file=name))
        return []
    result = parse_lines(lines, name)
    problems.extend(result.problems)
    reports.append(FileReport(file=name, layout=result.layout, entries=len(result.entries)))
    return [(entry, SourceRef(file=name, line=entry.line)) for entry in result.entries]


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0
