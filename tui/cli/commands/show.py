"""``paperview show``: one paper, every field, the abstract exactly as read."""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..common import (
    add_corpus_arguments,
    add_json_argument,
    load,
    lookup,
    paper_json,
    write_json,
    write_lines,
)

if TYPE_CHECKING:
    from ...data.models import Paper

NAME = "show"
HELP = "show one paper by id, id prefix or title"
ORDER = 30


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument("paper", metavar="ID_OR_TITLE", help="the paper's id, id prefix or title")
    add_corpus_arguments(parser)
    add_json_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Print the paper."""
    corpus = load(args)
    paper = lookup(corpus, args.paper)
    if args.json:
        write_json(paper_json(paper))
    else:
        write_lines(paper_lines(paper))
    return 0


def paper_lines(paper: Paper) -> list[str]:
    """Every field of a paper as plain text; the abstract last and unchanged."""
    from ...data.controls import escaped

    unknown = "not given"
    lines = [
        paper.title,
        "",
        f"id:       {paper.id}",
        f"date:     {paper.date if paper.date else unknown}"
        + (" (year not given)" if paper.date and paper.date.year is None else ""),
        f"upvotes:  {unknown if paper.upvotes is None else paper.upvotes}",
        f"authors:  {unknown if paper.authors is None else paper.authors}",
    ]
    if paper.author_names:
        lines.append(f"by:       {', '.join(paper.author_names)}")
    if paper.categories:
        lines.append(f"category: {' '.join(paper.categories)}")
    lines.append("sources:  " + ", ".join(escaped(str(source)) for source in paper.sources))
    lines += [f"url:      {url}" for url in paper.urls]
    lines += ["", paper.abstract]
    return lines
