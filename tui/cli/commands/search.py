"""``paperview search QUERY [PATH ...]``: the papers matching a query, best first.

The query language is documented in ``docs/search.md``. Exit status: 0 when papers
matched, 1 when none did (like grep) or an input was unreadable, 2 for a bad query
(reported as ``paperview: query: <message>``).
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator
from contextlib import contextmanager, nullcontext
from functools import partial
from typing import TYPE_CHECKING, Any

from ..common import (
    EXIT_FAILURE,
    EXIT_USAGE,
    CommandError,
    add_corpus_arguments,
    add_json_argument,
    add_timings_argument,
    load,
    paper_json,
    settle,
    status,
    timings,
    write_json,
    write_lines,
)
from ..library_args import add_data_dir_argument, library
from .listing import add_limit_argument, add_sort_arguments, paper_row

if TYPE_CHECKING:
    from ...data.models import Paper
    from ...data.search import Library, Match

NAME = "search"
HELP = 'search the papers: fuzzy words, "phrases", -exclude, OR, /regex/, field:filters'
ORDER = 25


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "query",
        metavar="QUERY",
        help="the query, e.g. 'trasnformers \"in-context\" -survey year:2023..2024' "
        "(see docs/search.md)",
    )
    add_corpus_arguments(parser)
    add_sort_arguments(parser, default=None)
    add_limit_argument(parser)
    add_data_dir_argument(parser)
    add_json_argument(parser)
    add_timings_argument(parser)
    parser.epilog = (
        "Without --sort, results are ranked by relevance. Exit status: 0 papers matched, "
        "1 none matched, 2 bad query."
    )


def run(args: argparse.Namespace) -> int:
    """Print the matching papers."""
    from ...data.search import SearchIndex, parse
    from ...data.search.query import InLibrary, QueryError, leaves

    try:
        needs_library = any(isinstance(leaf, InLibrary) for leaf, _ in leaves(parse(args.query)))
    except QueryError as failure:
        raise CommandError(f"query: {failure}", EXIT_USAGE) from None
    collected = timings(args)
    corpus = load(args, timings=collected)
    with collected.stage("index") if collected else nullcontext():
        index = SearchIndex(corpus.papers)
    with _library(args, needs_library) as store:
        with collected.stage("search") if collected else nullcontext():
            result = index.search(args.query, sort=args.sort, reverse=args.reverse, library=store)
        if result.error is not None:
            raise CommandError(f"query: {result.error}", EXIT_USAGE)
        shown = list(result.indices if args.limit is None else result.indices[: args.limit])
        with collected.stage("explain") if collected else nullcontext():  # scores, fields
            explain = partial(index.explain, args.query, library=store, spans=args.json)
            matches = [(corpus.papers[p], explain(p)) for p in shown]
    code = status(corpus) if result.total else settle(EXIT_FAILURE)
    if args.json:
        write_json(
            {
                "query": args.query,
                "total": result.total,
                "results": [result_json(paper, match) for paper, match in matches],
            }
        )
    else:
        write_lines(result_row(paper, match) for paper, match in matches)
    return code


@contextmanager
def _library(args: argparse.Namespace, needed: bool) -> Iterator[Library | None]:
    """The library, opened only when the query filters on it."""
    if not needed:
        with nullcontext(None) as nothing:
            yield nothing
        return
    with library(args) as store:
        yield store


def result_row(paper: Paper, match: Match | None) -> str:
    """One result as a line: the paper's row, then its score and the fields that matched."""
    score = f"{match.score:5.1f}" if match else "    -"
    fields = ",".join(match.fields) if match and match.fields else "-"
    return f"{score}  {fields:<14}  {paper_row(paper)}"


def result_json(paper: Paper, match: Match | None) -> dict[str, Any]:
    """One result in the documented JSON shape (docs/search.md)."""
    data = paper_json(paper)
    out: dict[str, Any] = {
        "id": data.pop("id"),
        "title": data.pop("title"),
        "score": match.score if match else None,
        "matched": list(match.fields) if match else [],
        "spans": {name: [list(span) for span in spans] for name, spans in match.spans.items()}
        if match
        else {},
        "corrections": [list(pair) for pair in match.corrections] if match else [],
    }
    out.update(data)
    return out
