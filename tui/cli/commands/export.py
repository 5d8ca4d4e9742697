"""``paperview export``: write bookmarks, a reading list, search results or one paper to a file.

``paperview export [--bookmarks | --list NAME | --query QUERY | --paper ID_OR_TITLE]
[--format md|json|csv|bibtex] (-o FILE | -o -) [--force] [--abstracts] [PATH ...]``

Bookmarks are exported when nothing else is chosen. Without ``--format`` the format comes
from the file's extension (``.md``, ``.json``, ``.csv``, ``.bib``), else Markdown. An
existing file is never replaced without ``--force`` (a device or a FIFO never is), and a
directory (or a name ending in ``/``) gets the default file name in it, as in the reader's
export dialog; ``-o -`` writes the export, exactly as the file would hold it, to standard
output. Nothing to export is a failure (exit 1,
"no papers to export"), so a script never gets an empty list by mistake.
"""

from __future__ import annotations

import argparse
import os
import sys
from pathlib import Path
from typing import TYPE_CHECKING

from ..common import (
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_corpus_arguments,
    load,
    lookup,
    write_lines,
)
from ..library_args import add_data_dir_argument, library

if TYPE_CHECKING:  # the data layer is imported when the command runs (cheap discovery)
    from ...data.export import ExportDocument
    from ...data.library import LibraryStore
    from ...data.models import Corpus

NAME = "export"
HELP = "export bookmarks, a reading list or search results as Markdown, JSON, CSV or BibTeX"
ORDER = 60


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    from ...data.export import Format

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
        help="the file to write (a directory: a default name in it); '-' for standard output",
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
    from ...data.export import (
        ExportError,
        Format,
        check_papers,
        check_path,
        default_filename,
        format_for,
        render_bytes,
        save,
        summary,
    )

    output: str = args.output
    to_stdout = output == "-"
    into = output.endswith(("/", os.sep)) or (output not in ("", "-") and Path(output).is_dir())
    target = None if to_stdout or into else Path(output)
    format = args.format or (target and format_for(target)) or Format.MARKDOWN
    try:
        if target is not None:  # fail before the work
            check_path(target, overwrite=args.force)
        corpus = load(args, report=bool(args.paths))
        with library(args) as store:
            document = _document(args, corpus, store)
        check_papers(document)
        data = render_bytes(document, format, abstracts=args.abstracts)
        if to_stdout:
            _write_stdout(data)
            return EXIT_OK
        target = target or Path(output, default_filename(document, format))
        written = save(target, data, overwrite=args.force)
    except FileExistsError:
        raise CommandError(f"{target} already exists; use --force to replace it") from None
    except ExportError as failure:
        raise CommandError(str(failure)) from None
    from ...data.controls import escaped

    write_lines([summary(document, format, escaped(str(written)))])
    return EXIT_OK


def _document(args: argparse.Namespace, corpus: Corpus, store: LibraryStore) -> ExportDocument:
    from ...data.export import bookmarks_document, list_document, paper_document, search_document
    from ...data.search import SearchIndex

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


def _write_stdout(data: bytes) -> None:
    """The export's bytes, unchanged and unstyled, on standard output."""
    sys.stdout.flush()
    buffer = getattr(sys.stdout, "buffer", None)
    if buffer is not None:
        rest = memoryview(data)
        while rest:  # a pipe whose reader went away takes part of it (then fails)
            rest = rest[buffer.write(rest) :]
        buffer.flush()
    else:  # a text-only stream (some test harnesses)
        sys.stdout.write(data.decode("utf-8"))
