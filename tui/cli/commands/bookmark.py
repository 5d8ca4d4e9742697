"""``paperview bookmark add|remove ID_OR_TITLE [PATH ...]``: bookmark a paper, or unbookmark it."""

from __future__ import annotations

import argparse

from ..common import add_corpus_arguments, load, write_lines
from ..library_args import add_data_dir_argument, describe, library, resolve

NAME = "bookmark"
HELP = "bookmark a paper, or remove its bookmark"
ORDER = 50


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("action", choices=("add", "remove"), help="add or remove the bookmark")
    parser.add_argument(
        "paper",
        metavar="ID_OR_TITLE",
        help="the paper's id, id prefix or title (a bookmarked paper missing from the corpus "
        "can be named too)",
    )
    add_corpus_arguments(parser)
    add_data_dir_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Add or remove the bookmark; say what changed."""
    corpus = load(args, report=bool(args.paths))
    with library(args) as store:
        paper = resolve(corpus, store, args.paper)
        paper_id = paper if isinstance(paper, str) else paper.id
        was = store.is_bookmarked(paper_id)
        if args.action == "add":
            store.bookmark([paper])
            verb = "already bookmarked" if was else "bookmarked"
        else:
            store.unbookmark([paper])
            verb = "removed bookmark" if was else "not bookmarked"
        write_lines([f"{verb}: {describe(paper, store)}"])
    return 0
