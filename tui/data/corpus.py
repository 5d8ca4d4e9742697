"""Loading a corpus: read every input, parse it, and merge the copies of each paper."""

from __future__ import annotations

from collections.abc import Iterable, Sequence
from dataclasses import dataclass, field
from pathlib import Path

from .models import Corpus, FileReport, Paper, PaperDate, SourceRef
from .parse import Entry, parse_lines
from .sources import ReadOptions, expand_paths, read_lines
from .text import find_urls, paper_id


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


def load_corpus(paths: Sequence[Path], options: ReadOptions | None = None) -> Corpus:
    """Read and parse ``paths`` (files, or directories of corpus files) into a corpus.

    Never raises on bad input: every file that cannot be read and every entry that cannot
    be parsed is a problem in the result, and everything else loads.
    """
    options = options or ReadOptions()
    files, problems = expand_paths(paths)
    reports: list[FileReport] = []
    located: list[tuple[Entry, SourceRef]] = []
    for path in files:
        name = str(path)
        lines, read_problems = read_lines(path, options)
        problems.extend(read_problems)
        if not lines and read_problems:
            reports.append(FileReport(file=name))
            continue
        result = parse_lines(lines, name)
        problems.extend(result.problems)
        reports.append(FileReport(file=name, layout=result.layout, entries=len(result.entries)))
        located.extend((entry, SourceRef(file=name, line=entry.line)) for entry in result.entries)
    return Corpus(
        papers=tuple(merge_entries(located)), files=tuple(reports), problems=tuple(problems)
    )
