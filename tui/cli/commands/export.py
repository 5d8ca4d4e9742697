"""``paperview export``: write bookmarks, a reading list, search results or one paper to a file.

``paperview export [--bookmarks | --list NAME | --query QUERY | --paper ID_OR_TITLE]
[--format md|json|csv|bibtex] (-o FILE | -o -) [--force] [--abstracts] [PATH ...]``

Bookmarks are exported when nothing else is chosen. Without ``--format`` the format comes
from the file's extension (``.md``, ``.json``, ``.csv``, ``.bib``), else Markdown. An
existing file is never replaced without ``--force``; ``-o -`` writes the export, exactly as
the file would hold it, to standard output. Nothing to export is a failure (exit 1,
"no papers to export"), so a script never gets an empty list by mistake.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ...data.atomic import write_atomic
from ...data.export import (
    ExportDocument,
    Format,
    bookmarks_document,
    list_document,
    paper_document,
    render,
    search_document,
)
from ...data.library import LibraryStore
from ...data.models import Corpus
from ...data.search import SearchIndex
from ..common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_corpus_arguments,
    load,
    lookup,
    write_lines,
)
from ..library_args import add_data_dir_argument, library

NAME = "export"
HELP = "export bookmarks, a reading list or search results as Markdown, JSON, CSV or BibTeX"
ORDER = 60

_BY_EXTENSION = {".md": Format.MARKDOWN, ".markdown": Format.MARKDOWN, ".json": Format.JSON}
_BY_EXTENSION.update({".csv": Format.CSV, ".bib": Format.BIBTEX, ".bibtex": Format.BIBTEX})


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    what = parser.add_mutually_exclusive_group()
    what.add_argument("--bookmarks", action="store_true", help="the bookmarks (the default)")
    what.add_argument("--list", metavar="NAME", help="the reading list NAME, in its order")
    what.add_argument(
        "--query", metavar="QUERY", help="the papers a search finds, best first (docs/search.md)"
    )
    what.add_argument("--paper", metavar="ID_OR_TITLE", help="one paper")
    parser.add_argument(
        "--format",
        type=Format,
        choices=list(Format),
        default=None,
        metavar="{" + ",".join(item.value for item in Format) + "}",
        help="md (a Markdown reading list), json (lossless; 'paperview import' reads it back), "
        "csv (for spreadsheets) or bibtex (default: from the file's extension, else md)",
    )
    parser.add_argument(
        "-o",
        "--output",
        required=True,
        metavar="FILE",
        help="the file to write; '-' for standard output",
    )
    parser.add_argument("--force", action="store_true", help="replace FILE if it exists")
    parser.add_argument(
        "--abstracts", action="store_true", help="include abstracts in a Markdown export"
    )
    add_corpus_arguments(parser)
    add_data_dir_argument(parser)
    parser.epilog = (
        "Exit status: 0 written, 1 nothing to export or the file exists (use --force) or "
        "cannot be written, 2 bad query or usage. Formats: docs/export.md."
    )


def run(args: argparse.Namespace) -> int:
    """Export the chosen papers."""
    to_stdout = args.output == "-"
    target = None if to_stdout else Path(args.output)
    format = args.format or _format_for(target)
    if target is not None and not args.force and target.exists():
        raise CommandError(f"{target} already exists; use --force to replace it", EXIT_FAILURE)
    corpus = load(args, report=bool(args.paths))
    with library(args) as store:
        document = _document(args, corpus, store)
    if not document.records:
        raise CommandError(f"no papers to export ({_what(document)})", EXIT_FAILURE)
    data = render(document, format, abstracts=args.abstracts).encode("utf-8")
    if target is None:
        _write_stdout(data)
        return EXIT_OK
    try:
        written = write_atomic(target, data, overwrite=args.force)
    except FileExistsError:
        raise CommandError(f"{target} already exists; use --force to replace it") from None
    except OSError as failure:
        reason = (failure.strerror or str(failure)).lower()
        raise CommandError(f"couldn't write {target}: {reason}") from None
    count = len(document.records)
    papers = "1 paper" if count == 1 else f"{count} papers"
    write_lines([f"exported {papers} ({_what(document)}) to {written} as {format.label}"])
    return EXIT_OK


def _format_for(target: Path | None) -> Format:
    if target is None:
        return Format.MARKDOWN
    return _BY_EXTENSION.get(target.suffix.lower(), Format.MARKDOWN)


def _document(args: argparse.Namespace, corpus: Corpus, store: LibraryStore) -> ExportDocument:
    if args.list is not None:
        return list_document(corpus.papers, store, args.list)
    if args.query is not None:
        result = SearchIndex(corpus.papers).search(args.query, library=store)
        if result.error is not None:
            raise CommandError(f"query: {result.error}", EXIT_USAGE)
        return search_document(corpus.papers, result.indices, args.query, store)
    if args.paper is not None:
        return paper_document(lookup(corpus, args.paper), store)
    return bookmarks_document(corpus.papers, store)


def _what(document: ExportDocument) -> str:
    return document.heading[0].lower() + document.heading[1:]


def _write_stdout(data: bytes) -> None:
    """The export's bytes, unchanged and unstyled, on standard output."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        buffer.write(data)
        buffer.flush()
    else:  # a text-only stream (some test harnesses)
        sys.stdout.write(data.decode("utf-8"))
