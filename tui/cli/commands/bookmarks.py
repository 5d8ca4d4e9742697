"""``paperview bookmarks [--json] [PATH ...]``: the bookmarked papers, oldest bookmark first."""

from __future__ import annotations

import argparse

from ..common import add_corpus_arguments, add_json_argument, error, load, write_json, write_lines
from ..library_args import add_data_dir_argument, annotation_json, library, paper_line

NAME = "bookmarks"
HELP = "list the bookmarked papers (marking those missing from the corpus)"
ORDER = 51


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    add_corpus_arguments(parser)
    add_data_dir_argument(parser)
    add_json_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Print the bookmarks."""
    from ...data.lookup import PapersById

    corpus = load(args, report=bool(args.paths))
    papers = PapersById(corpus.papers)
    with library(args) as store:
        marks = store.bookmarks()
        if args.json:
            write_json([annotation_json(mark, papers.get(mark.id)) for mark in marks])
        elif marks:
            write_lines(paper_line(mark.id, papers, store) for mark in marks)
        else:
            error("no bookmarks yet; add one with 'paperview bookmark add ID_OR_TITLE'")
    return 0
