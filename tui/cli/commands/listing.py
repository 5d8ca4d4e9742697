"""``paperview list``: the papers of the corpus in a chosen order."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..common import (
    add_corpus_arguments,
    add_json_argument,
    load,
    paper_json,
    status,
    write_json,
    write_lines,
)

if TYPE_CHECKING:
    from ...data.models import Paper
    from ...data.sorting import SortKey

NAME = "list"
HELP = "list the papers, one per line"
ORDER = 20


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    from ...data.sorting import SortKey

    add_corpus_arguments(parser)
    add_sort_arguments(parser, default=SortKey.DATE)
    add_limit_argument(parser)
    add_json_argument(parser)


def add_sort_arguments(parser: argparse.ArgumentParser, *, default: SortKey | None) -> None:
    """``--sort KEY`` and ``--reverse``."""
    from ...data.sorting import SortKey

    keys = [key.value for key in SortKey]
    parser.add_argument(
        "--sort",
        type=SortKey,
        choices=list(SortKey),
        default=default,
        metavar="{" + ",".join(keys) + "}",
        help=(
            "order: date (newest first), upvotes or authors (most first), title (A-Z); "
            "unknown values always last" + (f" (default: {default.value})" if default else "")
        ),
    )
    parser.add_argument("--reverse", action="store_true", help="reverse the order")


def add_limit_argument(parser: argparse.ArgumentParser) -> None:
    """``--limit N``."""
    parser.add_argument(
        "--limit", type=_positive, default=None, metavar="N", help="show at most N papers"
    )


def _positive(text: str) -> int:
    try:
        value = int(text)
    except ValueError:
        raise argparse.ArgumentTypeError(f"not a whole number: {text!r}") from None
    if value < 0:
        raise argparse.ArgumentTypeError("must be 0 or more")
    return value


def run(args: argparse.Namespace) -> int:
    """Print the papers."""
    from ...data.search import SearchIndex

    corpus = load(args)
    code = status(corpus)
    # The search's sort orders read the columns: only the papers printed are built.
    order = SearchIndex(corpus.papers).search("", sort=args.sort, reverse=args.reverse).indices
    papers = (corpus.papers[position] for position in order[: args.limit])
    if args.json:
        write_json([paper_json(paper) for paper in papers])
    else:
        write_lines(paper_row(paper) for paper in papers)
    return code


def paper_row(paper: Paper) -> str:
    """One paper as a line: id, date, upvotes, author count, title."""
    date = paper.date.iso() if paper.date else "-"
    upvotes = "-" if paper.upvotes is None else str(paper.upvotes)
    authors = "-" if paper.authors is None else str(paper.authors)
    # ids padded to a title id's 16 characters: arXiv ids (2401.01234) line up with them
    return f"{paper.id:<16}  {date:>10}  {upvotes:>4}↑  {authors:>3}👤  {paper.title}"
