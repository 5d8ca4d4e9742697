"""The command line's parser: the command modules found, and the arguments parsed.

Imported only when ``paperview`` is given arguments: ``paperview`` alone opens the reader
with every option at its default and builds no parser (argparse and the parser cost some
8 ms of the reader's first frame).
"""

from __future__ import annotations

import argparse
import importlib
import os
import pkgutil
import sys
from collections.abc import Sequence
from types import ModuleType
from typing import Any

from .. import __version__
from . import commands as commands_package
from .common import EXIT_USAGE, error, reader_gone

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


def parse(args_list: list[str]) -> argparse.Namespace | int:
    """The parsed arguments of ``paperview ARGS...`` (the reader when the first is no
    command's name), or the exit status of a mistyped command. ``--help``, ``--version``
    and usage errors exit (``SystemExit``) once what argparse wrote is out."""
    commands = discover()
    if DEFAULT_COMMAND in commands and not _names_command(args_list, commands):
        typo = _mistyped_command(args_list, commands)
        if typo is not None:
            error(typo)
            return EXIT_USAGE
        args_list = [DEFAULT_COMMAND, *args_list]
    parser = build_parser(commands, configured=args_list[:1])
    try:
        args = parser.parse_args(args_list)
    except SystemExit:  # --help, --version or a usage error: written out, or dropped
        _flush_written()
        raise
    if getattr(args, "run", None) is None:
        parser.print_help()
        return EXIT_USAGE
    return args


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
