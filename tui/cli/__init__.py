"""The ``paperview`` command line.

``paperview [PATH ...]`` opens the interactive reader; ``paperview COMMAND ...`` runs one of
the commands in :mod:`tui.cli.commands` (each module there is one command). Exit status:
0 success, 1 failure (an input unreadable, nothing found), 2 usage error. A reader that
stops reading early (``paperview list | head -1``) ends the command quietly, with status 0.

Start-up is kept light: the command modules import the data layer (pydantic, the search)
only inside their functions, and only the command being run gets its options, so
``paperview`` reaches the reader's first frame without loading what the reader loads later
in a worker (``tests/test_startup_imports.py`` checks this). ``paperview`` alone imports no
other command, and the reader starts with the cycle collector off.
"""

from __future__ import annotations

import argparse
import gc
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from .. import __version__
from . import commands as commands_package
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

DEFAULT_COMMAND = "open"


def discover(only: str | None = None) -> dict[str, ModuleType]:
    """The command modules, by command name, in the order their ``ORDER`` gives: all of
    them, or only the module named ``only``."""
    found = [
        importlib.import_module(f"{commands_package.__name__}.{info.name}")
        for info in pkgutil.iter_modules(commands_package.__path__)
        if not info.name.startswith("_") and only in (None, info.name)
    ]
    found.sort(key=lambda module: (getattr(module, "ORDER", 100), module.NAME))
    return {module.NAME: module for module in found}


class CommandParser(argparse.ArgumentParser):
    """A command's parser: its options may come before, between and after its positional
    arguments (``paperview search QUERY --json PATH``: the plain parser matches ``QUERY``
    and an empty ``PATH ...`` at once, then finds ``PATH`` unrecognised), and what it does
    not recognise is reported with its own usage.

    The options are parsed first, then the positional arguments, as
    :meth:`~argparse.ArgumentParser.parse_known_intermixed_args` does, except that all
    that follows ``--`` stays positional (that method drops the ``--`` in its first pass,
    and then takes the query ``-survey`` for an option). A parser with sub-actions
    (``lists``) parses as usual, and its sub-actions' parsers mix.
    """

    def parse_known_args(  # type: ignore[override]
        self, args: Sequence[str] | None = None, namespace: argparse.Namespace | None = None
    ) -> tuple[argparse.Namespace, list[str]]:
        """Parse ``args``; exits with status 2 and this command's usage on anything left."""
        args = list(sys.argv[1:] if args is None else args)
        if self._subparsers is not None:
            parsed, extras = super().parse_known_args(args, namespace)
        else:
            parsed, extras = self._parse_mixed(args, namespace)
        if extras:
            self.error(f"unrecognized arguments: {' '.join(extras)}")
        return parsed, extras

    def _parse_mixed(
        self, args: list[str], namespace: argparse.Namespace | None
    ) -> tuple[argparse.Namespace, list[str]]:
        cut = args.index("--") if "--" in args else len(args)
        positionals = self._get_positional_actions()
        optionals: list[Any] = [*self._get_optional_actions(), *self._mutually_exclusive_groups]
        saved = [(action, action.nargs, action.default) for action in positionals]
        required = [(item, item.required) for item in optionals]
        usage = self.usage
        self.usage = usage or self.format_usage().removeprefix("usage: ")  # all of it
        try:
            for action in positionals:  # first the options (and that they are given)
                action.nargs = action.default = argparse.SUPPRESS
            parsed, rest = super().parse_known_args(args[:cut], namespace)
            unknown = [arg for arg in rest if self._parse_optional(arg) is not None]
            if unknown:  # reported alone (the positional arguments would be misplaced)
                return parsed, unknown
            for action, nargs, default in saved:
                action.nargs, action.default = nargs, default
            for item, _ in required:  # then the positional arguments
                item.required = False
            return super().parse_known_args(rest + args[cut:], parsed)
        finally:
            for action, nargs, default in saved:
                action.nargs, action.default = nargs, default
            for item, was in required:
                item.required = was
            self.usage = usage


def build_parser(
    commands: dict[str, ModuleType], configured: Sequence[str] | None = None
) -> argparse.ArgumentParser:
    """The argument parser, with one sub-parser per command. Only the commands named in
    ``configured`` (all when None) get their options: the others are listed by name and
    help, which is all ``paperview --help`` shows."""
    parser = argparse.ArgumentParser(
        prog="paperview",
        description=(
            "A keyboard-driven reader for research-paper listings. With no command, opens "
            "the interactive reader on the named files (default: the bundled corpus)."
        ),
        epilog="Run 'paperview COMMAND --help' for a command's options.",
    )
    parser.add_argument("--version", action="version", version=f"paperview {__version__}")
    sub = parser.add_subparsers(
        dest="command", metavar="COMMAND", title="commands", parser_class=CommandParser
    )
    for name, module in commands.items():
        command = sub.add_parser(name, help=module.HELP, description=module.HELP)
        if configured is None or name in configured:
            module.configure(command)
        command.set_defaults(run=module.run)
    return parser


def main(argv: Sequence[str] | None = None) -> int:
    """Run the command line; returns the exit status."""
    for stream in (sys.stdout, sys.stderr):
        # What the encoding cannot write (``↑`` in ASCII, a file name's undecodable bytes)
        # is written as ``\\u2191``, never a UnicodeEncodeError halfway through the output.
        if getattr(stream, "errors", None) == "strict" and hasattr(stream, "reconfigure"):
            stream.reconfigure(errors="backslashreplace")
    args_list = list(sys.argv[1:] if argv is None else argv)
    # ``paperview`` alone opens the reader: it needs only that command (importing and
    # configuring the others took about 10 ms of every start).
    commands = discover() if args_list else discover(only=DEFAULT_COMMAND)
    if DEFAULT_COMMAND in commands and not _names_command(args_list, commands):
        typo = _mistyped_command(args_list, commands)
        if typo is not None:
            error(typo)
            return EXIT_USAGE
        args_list.insert(0, DEFAULT_COMMAND)
    parser = build_parser(commands, configured=args_list[:1])
    try:
        args = parser.parse_args(args_list)
    except SystemExit:  # --help, --version or a usage error: written out, or dropped
        _flush_written()
        raise
    if getattr(args, "run", None) is None:
        parser.print_help()
        return EXIT_USAGE
    # The reader imports Textual with the cycle collector off (its start-up allocates tens
    # of thousands of long-lived objects, walked some eighty times otherwise); the app turns
    # it back on once its first frame is drawn (see tui/app.py).
    reader = args.command == DEFAULT_COMMAND and gc.isenabled()
    if reader:
        gc.disable()
    finish(write=False)  # nothing an earlier, crashed command left (tests run many)
    settle(EXIT_OK)
    code = EXIT_OK
    try:
        try:
            code = args.run(args)
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


def _flush_written() -> None:
    """Write out what argparse printed (it is buffered), or drop it if its reader is gone
    (``paperview --help | head -1``): else the flush at exit fails, with status 120."""
    for stream in (sys.stdout, sys.stderr):
        try:
            stream.flush()
        except BrokenPipeError:
            reader_gone(stream)


def _names_command(args: list[str], commands: dict[str, ModuleType]) -> bool:
    if not args:
        return False
    first = args[0]
    return first in commands or first in ("-h", "--help", "--version")


def _mistyped_command(args: list[str], commands: dict[str, ModuleType]) -> str | None:
    """Why ``paperview serach foo`` is refused: the first word is no file and is close to a
    command's name (else it would open the reader on files named "serach" and "foo")."""
    if not args or args[0].startswith("-") or os.path.lexists(args[0]):
        return None
    from difflib import get_close_matches

    close = get_close_matches(args[0], list(commands), n=1, cutoff=0.75)
    if not close:
        return None
    return f"no command or file {args[0]!r} (did you mean {close[0]!r}?)"


def entry_point() -> None:
    """Console-script entry: exit with :func:`main`'s status."""
    sys.exit(main())


__all__ = ["EXIT_FAILURE", "EXIT_USAGE", "entry_point", "main"]
