"""``paperview [open] [PATH ...]``: the interactive reader.

Textual is imported only inside :func:`open_reader`, so ``paperview --help`` and the plain commands
never load it; the data layer (pydantic, the search) is left to the reader, which imports it
in its loading worker after the first frame.
"""

from __future__ import annotations

import sys
from collections.abc import Sequence
from pathlib import Path
from typing import TYPE_CHECKING

from ..common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    add_corpus_arguments,
    error,
    given_read_options,
)

if TYPE_CHECKING:  # ``paperview`` alone builds no parser (see run_with_defaults)
    import argparse

    from ...data.sources import ReadOptions

NAME = "open"
HELP = "open the interactive reader (the default command)"
ORDER = 0


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    add_corpus_arguments(parser)
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=None,
        metavar="DIR",
        help="where bookmarks and notes are kept (default: $PAPERVIEW_DATA_DIR or the "
        "platform's user data directory)",
    )


def run(args: argparse.Namespace) -> int:
    """Run the reader until the user quits."""
    # The library resolves a missing --data-dir ($PAPERVIEW_DATA_DIR, the default) itself.
    return open_reader(args.paths or [], given_read_options(args), args.data_dir)


def run_with_defaults() -> int:
    """``paperview`` alone: what :func:`run` does with every option at its default (a test
    checks that the parser's defaults are these), without building the parser."""
    return open_reader([], None, None)


def open_reader(paths: Sequence[Path], options: ReadOptions | None, data_dir: Path | None) -> int:
    """Run the reader on ``paths`` (the bundled corpus when empty) until the user quits.
    Status 1 when an input could not be read or library changes were lost (told on stderr
    once the reader has closed), as the other commands."""
    # Textual reads keys from stdin and draws on stderr: both must be the terminal.
    if not (sys.stdin.isatty() and sys.stdout.isatty() and sys.stderr.isatty()):
        error("the reader needs a terminal; use 'paperview list' or 'paperview show' in scripts")
        return EXIT_USAGE
    from ...app import PaperviewApp  # deferred: Textual is only needed here

    app = PaperviewApp(paths, options, data_dir)
    app.run()
    for line in app.farewell:  # unreadable inputs, library changes lost on the way out
        error(line)
    return app.return_code or (EXIT_FAILURE if app.farewell else EXIT_OK)
