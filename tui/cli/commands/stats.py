"""``paperview stats``: what was read, what was merged, and every problem found."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..common import (
    add_corpus_arguments,
    add_json_argument,
    add_timings_argument,
    load,
    status,
    timings,
    write_json,
    write_lines,
)

if TYPE_CHECKING:
    from ...data.models import Corpus

NAME = "stats"
HELP = "count files, entries and papers, and list the problems found"
ORDER = 10


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    add_corpus_arguments(parser)
    add_json_argument(parser)
    add_timings_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Print the statistics of the corpus."""
    collected = timings(args)
    corpus = load(args, report=False, timings=collected)
    code = status(corpus)
    if args.json:
        write_json(stats_json(corpus))
    else:
        write_lines(stats_lines(corpus))
    return code


def stats_json(corpus: Corpus) -> dict[str, object]:
    """The statistics in the documented JSON shape."""
    return {
        "files": [report.model_dump(mode="json") for report in corpus.files],
        "files_read": len(corpus.files),
        "entries": corpus.entries_read,
        "papers": len(corpus.papers),
        "duplicates_merged": corpus.duplicates_merged,
        **problem_counts(corpus),
        "problems": [problem.model_dump(mode="json") for problem in corpus.problems],
    }


def problem_counts(corpus: Corpus) -> dict[str, int]:
    """``errors`` and ``warnings``: how many there were, those left out of ``problems`` (after
    :data:`~tui.data.snapshot.MAX_PROBLEMS` in a file) included."""
    from ...data.snapshot import problem_counts

    errors, warnings = problem_counts(corpus.problems)
    return {"errors": errors, "warnings": warnings}


def stats_lines(corpus: Corpus) -> list[str]:
    """The statistics as plain text lines (file names escaped)."""
    from ...data.controls import escaped

    errors, warnings = problem_counts(corpus).values()
    lines = [f"files read:        {len(corpus.files):,}"]
    for report in corpus.files:
        layout = report.layout or "unread"
        lines.append(f"  {report.entries:9,d} entries  ({layout})  {escaped(report.file)}")
    lines += [
        f"entries read:      {corpus.entries_read:,}",
        f"unique papers:     {len(corpus.papers):,}",
        f"duplicates merged: {corpus.duplicates_merged:,}",
        f"problems:          {errors + warnings:,}  ({errors:,} error(s), {warnings:,} warning(s))",
    ]
    lines += [f"  {escaped(str(problem))}" for problem in corpus.problems]
    return lines
