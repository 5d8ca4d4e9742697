"""``paperview import FILE``: merge a JSON export or a Markdown reading list into the library.

Bookmarks, tags and list membership are added, read status and notes are set as the file
says (rules in ``docs/export.md``). One line is printed per kind of change and per paper
that could not be matched. ``--dry-run`` prints the same report and changes nothing;
``paperview import --undo`` reverts the last import made from the command line, except what
was changed again since (a line per kind says what was kept). Exit status:
0 imported (or nothing to change), 1 the file cannot be read or no paper in it matched,
2 usage.
"""

from __future__ import annotations

import argparse
import contextlib
from pathlib import Path

from ..common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    add_corpus_arguments,
    error,
    load,
    write_lines,
)
from ..library_args import add_data_dir_argument, library

NAME = "import"
HELP = "merge a paperview JSON export or a Markdown reading list into the library"
ORDER = 61


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    parser.add_argument(
        "file", nargs="?", type=Path, metavar="FILE", help="the JSON or Markdown file to import"
    )
    parser.add_argument(
        "--dry-run", action="store_true", help="report what would change; change nothing"
    )
    parser.add_argument(
        "--undo", action="store_true", help="revert the last import made from the command line"
    )
    add_corpus_arguments(parser, paths_as_option=True)
    add_data_dir_argument(parser)
    parser.epilog = (
        "FILE (plain or gzip) is read piece by piece, whatever its size; the reading options "
        "are for the --corpus files. Rules: docs/export.md."
    )


def run(args: argparse.Namespace) -> int:
    """Import the file (or undo the last import)."""
    from ...data.controls import escaped
    from ...data.export import ImportFileError, ImportUndo, apply_import, plan_import, read_import
    from ...data.export.merge import save_undo

    if args.undo:
        if args.file is not None or args.dry_run:
            raise CommandError("--undo takes no FILE and no --dry-run", EXIT_USAGE)
        return _undo(args)
    if args.file is None:
        raise CommandError("name the FILE to import (or use --undo)", EXIT_USAGE)
    try:
        document = read_import(args.file)
    except ImportFileError as failure:
        raise CommandError(str(failure), EXIT_FAILURE) from None
    corpus = load(args, report=bool(args.paths))
    with library(args) as store:
        plan = plan_import(document, corpus.papers, store)
        if not args.dry_run and apply_import(plan, store) is not None:
            try:
                save_undo(ImportUndo.of(plan, store), store.data_dir)
            except OSError as failure:
                reason = (failure.strerror or str(failure)).lower()
                error(f"couldn't keep the record for 'import --undo' ({reason})")
    lines = plan.report(dry_run=args.dry_run)
    if plan.changes and not args.dry_run:
        lines.append("to revert this import: paperview import --undo")
    write_lines(escaped(line) for line in lines)  # the file's name, its entries' words
    if plan.found_nothing:
        return EXIT_FAILURE
    return EXIT_OK


def _undo(args: argparse.Namespace) -> int:
    from ...data.controls import escaped
    from ...data.export import ImportUndo
    from ...data.export.merge import UNDO_FILENAME
    from ...data.locations import data_dir

    record = data_dir(args.data_dir) / UNDO_FILENAME
    try:
        undo = ImportUndo.from_json(record.read_text(encoding="utf-8"))
    except FileNotFoundError:
        raise CommandError("no import to undo", EXIT_FAILURE) from None
    except (OSError, UnicodeDecodeError, ValueError) as failure:
        raise CommandError(f"{record}: {failure}", EXIT_FAILURE) from None
    with library(args) as store:
        kept = undo.apply(store)
    with contextlib.suppress(FileNotFoundError):
        record.unlink()
    write_lines(escaped(line) for line in [f"reverted the import of {undo.file}", *kept])
    return EXIT_OK
