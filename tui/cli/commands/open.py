"""``paperview [open] [PATH ...]``: the interactive reader.

Textual is imported only inside :func:`run`, so ``paperview --help`` and the plain commands
never load it; the data layer (pydantic, the search) is left to the reader, which imports it
in its loading worker after the first frame.
"""

from __future__ import annotations

import argparse
import sys
from pathlib import Path

from ..common import EXIT_OK, EXIT_USAGE, add_corpus_arguments, error, given_read_options

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
    # Textual reads keys from stdin and draws on stderr: both must be the terminal.
    if not (sys.stdin.isatty() and sys.stdout.isatty() and sys.stderr.isatty()):
        error("the reader needs a terminal; use 'paperview list' or 'paperview show' in scripts")
        return EXIT_USAGE
    from ...app import PaperviewApp  # deferred: Textual is only needed here

    # The library resolves a missing --data-dir ($PAPERVIEW_DATA_DIR, the default) itself.
    app = PaperviewApp(args.paths or [], given_read_options(args), args.data_dir)
    app.run()
    for line in app.farewell:  # library changes lost on the way out
        error(line)
    return app.return_code or EXIT_OK
