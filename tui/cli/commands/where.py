"""``paperview where [--json]``: where the library is kept, and why there."""

from __future__ import annotations

import argparse

from ..common import add_json_argument, write_json, write_lines
from ..library_args import add_data_dir_argument

NAME = "where"
HELP = "show where bookmarks, tags, notes and lists are kept"
ORDER = 90


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments."""
    add_data_dir_argument(parser)
    add_json_argument(parser)


def run(args: argparse.Namespace) -> int:
    """Print the data directory and the library file."""
    from ...data.controls import escaped
    from ...data.library import FILENAME
    from ...data.locations import locate_data_dir

    directory, source = locate_data_dir(args.data_dir)
    path = directory / FILENAME
    if args.json:
        write_json(
            {
                "data_dir": str(directory),
                "source": source,
                "library": str(path),
                "exists": path.exists(),
            }
        )
    else:
        state = "exists" if path.exists() else "not created yet"
        write_lines(
            [
                f"data dir: {escaped(str(directory))}  (from {source})",
                f"library:  {escaped(str(path))}  ({state})",
            ]
        )
    return 0
