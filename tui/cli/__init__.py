"""The ``paperview`` command line.

``paperview [PATH ...]`` opens the interactive reader; ``paperview COMMAND ...`` runs one of
the commands in :mod:`tui.cli.commands` (each module there is one command). Exit status:
0 success, 1 failure (an input unreadable, nothing found), 2 usage error. A reader that
stops reading early (``paperview list | head -1``) ends the command quietly, with status 0.

Start-up is kept light: the command modules import the data layer (pydantic, the search)
only inside their functions, and only the command being run gets its options, so
``paperview`` reaches the reader's first frame without loading what the reader loads later
in a worker (``tests/test_startup_imports.py`` checks this). ``paperview`` alone imports no
other command and builds no parser (:mod:`tui.cli.parser`), and the reader starts with the
cycle collector off.
"""

from __future__ import annotations

import gc
import sys
from collections.abc import Callable, Sequence
from functools import partial

from .commands import open as reader_command
from .common import (
    EXIT_FAILURE,
    EXIT_OK,
    EXIT_USAGE,
    CommandError,
    error,
    finish,
    reader_gone,
    settle,
    settled,
)


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        # What the encoding cannot write (``↑`` in ASCII, a file name's undecodable bytes)
        # is written as ``\\u2191``, never a UnicodeEncodeError halfway through the output.
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args_list = list(sys.argv[1:] if argv is None else argv)
    run: Callable[[], int]
    if args_list:
        from .parser import parse

        args = parse(args_list)
        if isinstance(args, int):
            return args
        run, reading = partial(args.run, args), args.command == reader_command.NAME
    else:  # ``paperview`` alone: the reader with every option at its default, no parser
        run, reading = reader_command.run_with_defaults, True
    # The reader imports Textual with the cycle collector off (its start-up allocates tens
    # of thousands of long-lived objects, walked some eighty times otherwise); the app turns
    # it back on once its first frame is drawn (see tui/app.py).
    reader = reading and gc.isenabled()
    if reader:
        gc.disable()
    finish(write=False)  # nothing an earlier, crashed command left (tests run many)
    settle(EXIT_OK)
    code = EXIT_OK
    try:
        try:
            code = run()
        except CommandError as failure:
            code = failure.code
            error(str(failure))
        sys.stdout.flush()  # a reader gone is noticed here, not by the flush at exit
    except KeyboardInterrupt:
        finish(write=False)
        return 130
    except BrokenPipeError:  # the reader went away (``paperview list | head -1``)
        reader_gone(sys.stdout)
        code = settled(code)
    finally:
        if reader:
            gc.enable()
    try:
        finish()  # the caches put off until the answer was out, then the timings
    except KeyboardInterrupt:
        return 130
    except BrokenPipeError:  # standard error's reader went away (``2>&1 | head``)
        reader_gone(sys.stderr)
    return code


def entry_point() -> None:
    """Console-script entry: exit with :func:`main`'s status."""
    sys.exit(main())


__all__ = ["EXIT_FAILURE", "EXIT_USAGE", "entry_point", "main"]
