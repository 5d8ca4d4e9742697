"""What the command-line commands share: options, corpus loading, output, paper lookup.

Output is plain text written with ``sys.stdout.write``: corpus text never passes through
Rich markup, which silently deletes text such as ``[von Oswald et al., 2022]``.
"""

from __future__ import annotations

import contextlib
import math
import os
import sys
from collections.abc import Iterable
from pathlib import Path
from typing import TYPE_CHECKING, Any, TextIO

from ..resources import seeds_dir

if TYPE_CHECKING:  # the data layer is imported where it is used, not by ``paperview``'s start
    import argparse

    from ..data.cache import CorpusCache
    from ..data.models import Corpus, Paper
    from ..data.sources import ReadOptions
    from ..data.timings import Timings

EXIT_OK = 0
EXIT_FAILURE = 1
EXIT_USAGE = 2

DEFAULT_MAX_SIZE = 256 * 2**20
"""The default of ``--max-size``: :data:`tui.data.sources.DEFAULT_MAX_SIZE` (a test checks),
repeated so that parsing the options needs no data layer."""

_READING_DEFAULTS: dict[str, object] = {
    "encoding": "utf-8",
    "errors": "strict",
    "max_size": DEFAULT_MAX_SIZE,
    "no_cache": False,
}


class CommandError(Exception):
    """A failure to report as one line on stderr; ``code`` is the exit status."""

    def __init__(self, message: str, code: int = EXIT_FAILURE) -> None:
        super().__init__(message)
        self.code = code


def _text_encoding(name: str) -> str:
    """``--encoding``: a text encoding Python knows (``latin-1``, ``utf-16``), else a usage
    error; not a binary codec (``base64``) nor ``undefined``, which only raise."""
    import codecs
    from argparse import ArgumentTypeError

    try:
        info = codecs.lookup(name)
    except LookupError:
        raise ArgumentTypeError(f"unknown encoding {name!r}") from None
    if not getattr(info, "_is_text_encoding", True) or info.name == "undefined":
        raise ArgumentTypeError(f"{name!r} is not a text encoding")
    return name


def add_corpus_arguments(parser: argparse.ArgumentParser, *, paths_as_option: bool = False) -> None:
    """Options for choosing and reading the corpus. The corpus paths are positional
    (``PATH ...``), or a repeatable ``--corpus PATH`` for commands whose positional
    arguments are something else."""
    if paths_as_option:
        parser.add_argument(
            "--corpus",
            dest="paths",
            action="append",
            type=Path,
            default=None,
            metavar="PATH",
            help="corpus file or directory to find papers in"
            " (repeatable; default: the bundled one)",
        )
    else:
        parser.add_argument(
            "paths",
            nargs="*",
            type=Path,
            default=[],  # else argparse names PATH among the missing arguments of a usage error
            metavar="PATH",
            help="corpus files or directories (default: the bundled corpus)",
        )
    group = parser.add_argument_group("reading")
    group.add_argument(
        "--encoding",
        type=_text_encoding,
        default=_READING_DEFAULTS["encoding"],
        help="encoding of files without a byte-order mark (default: utf-8)",
    )
    group.add_argument(
        "--errors",
        choices=("strict", "replace"),
        default=_READING_DEFAULTS["errors"],
        help="on undecodable bytes: skip the file (strict, default) or replace them",
    )
    group.add_argument(
        "--max-size",
        type=_megabytes,
        default=DEFAULT_MAX_SIZE,
        metavar="MB",
        help=f"refuse files larger than this (default: {DEFAULT_MAX_SIZE // 2**20} MB;"
        " JSON Lines files are streamed and never refused)",
    )
    group.add_argument(
        "--no-cache",
        action="store_true",
        help="parse big JSON inputs again instead of using (and writing) the cache in"
        " $PAPERVIEW_CACHE_DIR or the user cache directory",
    )


def add_timings_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--timings`` switch: how long each stage took, on stderr."""
    parser.add_argument(
        "--timings", action="store_true", help="print how long each stage took to stderr"
    )


def timings(args: argparse.Namespace) -> Timings | None:
    """A collector of stage timings when ``--timings`` was given, printed to stderr by
    :func:`finish` once it has written the caches (so that writing them is among the
    stages), even when the command stopped early (its reader went away)."""
    if not getattr(args, "timings", False):
        return None
    from ..data.timings import Timings

    collected = Timings()
    _TIMINGS.append(collected)
    return collected


_UNWRITTEN: list[CorpusCache] = []
"""Caches :func:`load` put off writing until the command has answered."""
_TIMINGS: list[Timings] = []
"""Stage timings to print once those caches are written."""


SAVING_NOTICE_FROM = 100_000
"""Papers from which writing the caches after the answer (about 2 s for 100k papers, 20 s
for a million) is announced on a terminal, so that the wait is not taken for a hang."""


def _is_terminal(stream: TextIO | None) -> bool:
    if stream is None:  # started with standard error closed
        return False
    try:
        return stream.isatty()
    except (OSError, ValueError):
        return False


def finish(*, write: bool = True) -> None:
    """After a command: write the caches :func:`load` put off, then print the timings; with
    ``write=False`` (interrupted), forget them. Nothing is left for the next command.

    The answer is out first: a big file's cache can take longer to write (every abstract is
    read back from the file) than the answer took to find."""
    try:
        if not write:
            return
        with contextlib.suppress(OSError, ValueError):
            sys.stdout.flush()
        timed = _TIMINGS[0] if _TIMINGS else None
        waiting = sum(cache.pending() for cache in _UNWRITTEN)
        if waiting >= SAVING_NOTICE_FROM and _is_terminal(sys.stderr):
            with contextlib.suppress(OSError, ValueError):  # a terminal hung up: no notice
                sys.stderr.write(
                    f"paperview: saving the cache of {waiting:,} papers, so that the next "
                    "command starts sooner (Ctrl+C skips it)\n"
                )
                sys.stderr.flush()
        for cache in _UNWRITTEN:
            cache.flush(timings=timed)
        from ..data.controls import escaped  # the stages name the files read

        for collected in _TIMINGS:
            write_lines(map(escaped, collected.lines()), sys.stderr)
    finally:
        _UNWRITTEN.clear()
        _TIMINGS.clear()


def add_json_argument(parser: argparse.ArgumentParser) -> None:
    """The ``--json`` switch (documented shapes in docs/json.md)."""
    parser.add_argument("--json", action="store_true", help="print JSON instead of text")


def _megabytes(text: str) -> int:
    from argparse import ArgumentTypeError

    try:
        value = float(text)
    except ValueError:
        raise ArgumentTypeError(f"not a number of megabytes: {text!r}") from None
    if not (math.isfinite(value) and value > 0):
        raise ArgumentTypeError("the size limit must be a positive number of megabytes")
    return int(value * 2**20)


def read_options(args: argparse.Namespace) -> ReadOptions:
    """The reading options given on the command line."""
    from ..data.sources import ReadOptions

    return ReadOptions(
        max_size=args.max_size,
        encoding=args.encoding,
        errors=args.errors,
        cache=not getattr(args, "no_cache", False),
    )


def given_read_options(args: argparse.Namespace) -> ReadOptions | None:
    """The reading options, or None when every one is at its default (the reader then
    uses its defaults, and the data layer is not imported before its first frame)."""
    if all(getattr(args, name) == value for name, value in _READING_DEFAULTS.items()):
        return None
    return read_options(args)


def corpus_paths(args: argparse.Namespace) -> list[Path]:
    """The paths named, or the bundled corpus when none are."""
    paths: list[Path] = list(getattr(args, "paths", None) or [])
    return paths or [seeds_dir()]


def load(
    args: argparse.Namespace, *, report: bool = True, timings: Timings | None = None
) -> Corpus:
    """Load the corpus the arguments name (big JSON inputs through the cache).

    With ``report``, errors (data that could not be read) go to stderr one per line, and
    warnings (entries kept incomplete) are summed up in one line pointing to ``stats``.
    """
    from ..data.cache import CorpusCache
    from ..data.controls import escaped
    from ..data.corpus import load_corpus
    from ..data.models import Severity
    from ..data.snapshot import problem_counts

    options = read_options(args)
    cache = CorpusCache(defer=True) if options.cache else None  # written by finish()
    corpus = load_corpus(corpus_paths(args), options, cache=cache, timings=timings)
    if cache is not None:
        _UNWRITTEN.append(cache)
    if report:
        for problem in corpus.problems:
            if problem.severity is Severity.ERROR:
                error(escaped(str(problem)))
        _, warnings = problem_counts(corpus.problems)
        if warnings:
            error(f"{warnings:,} warning(s) while reading; 'paperview stats' lists them")
    return corpus


_SETTLED = [EXIT_OK]
"""The exit status the command settled on before writing its answer (:func:`settle`)."""


def settle(code: int) -> int:
    """Note ``code`` as the command's exit status before its answer is written, so that it
    stands if the reader goes away meanwhile (see :func:`settled`); returns it."""
    _SETTLED[0] = code
    return code


def settled(code: int) -> int:
    """The status of a command whose reader went away: the worse of ``code`` (what it
    returned, if it did) and what it settled on before writing (:func:`settle`)."""
    return max(code, _SETTLED[0])


def status(corpus: Corpus, code: int = EXIT_OK) -> int:
    """Exit status of a command on ``corpus``: failure when an input was unreadable or
    nothing loaded (settled at once: call it before writing the answer)."""
    if corpus.unreadable_inputs or not corpus.papers:
        return settle(EXIT_FAILURE)
    return settle(code)


def lookup(corpus: Corpus, needle: str) -> Paper:
    """The one paper ``needle`` names (id, id prefix or title), or a CommandError."""
    from ..data.lookup import LookupFailed, find_paper

    try:
        return find_paper(corpus.papers, needle)
    except LookupFailed as failure:
        lines = [str(failure)]
        lines += [f"  {paper.id}  {paper.title}" for paper in failure.candidates[:10]]
        raise CommandError("\n".join(lines)) from None


def error(message: str, stream: TextIO | None = None) -> None:
    """Write ``paperview: message`` to stderr, each of its lines escaped (a file name in it
    never reaches the terminal raw)."""
    from ..data.controls import escaped

    lines = "\n".join(escaped(line) for line in message.split("\n"))
    out = stream or sys.stderr
    try:
        out.write(f"paperview: {lines}\n")
    except BrokenPipeError:  # nobody reads them (``2>&1 | head -1``): the command goes on
        reader_gone(out)


def reader_gone(stream: TextIO) -> None:
    """The reader of ``stream`` went away (``paperview list | head -1``): what is left to
    write there goes to the null device, so that nothing fails again (not even the flush at
    exit) and no "Broken pipe" is printed.

    ``paperview`` then ends with the status the command settled on before writing (see
    :func:`settle`: 1 for an unreadable input), else 0: the reader had what it wanted, and a
    ``set -o pipefail`` script (or a ``search``, whose 1 means "no match") must not take the
    early close for a failure."""
    with contextlib.suppress(OSError, ValueError):  # no file behind the stream (tests)
        devnull = os.open(os.devnull, os.O_WRONLY)
        try:
            os.dup2(devnull, stream.fileno())
        finally:
            os.close(devnull)


def _takes_unicode(stream: TextIO) -> bool:
    """Whether ``stream``'s encoding can write every character (a UTF encoding)."""
    import codecs

    try:
        return codecs.lookup(getattr(stream, "encoding", None) or "utf-8").name.startswith("utf")
    except LookupError:
        return False


def write_lines(lines: Iterable[str], stream: TextIO | None = None) -> None:
    """Write plain text lines to stdout."""
    out = stream or sys.stdout
    for line in lines:
        out.write(line)
        out.write("\n")


_JSON_UNSAFE = "[\x80-\x9f\u061c\u200b-\u200f\u2028-\u202e\u2060-\u206f\ufeff\ud800-\udfff]"
"""What JSON may hold raw but a terminal must not get: C1 controls, bidi and other format
characters, the undecodable bytes of a file name (JSON escapes the C0 controls itself)."""


def write_json(value: Any, stream: TextIO | None = None) -> None:
    """Write ``value`` as indented JSON to stdout: UTF-8 text with the characters of
    :data:`_JSON_UNSAFE` as ``\\u`` escapes; all ASCII when the stream cannot take UTF-8."""
    import json
    import re

    out = stream or sys.stdout
    unsafe = re.compile(_JSON_UNSAFE)
    encoder = json.JSONEncoder(ensure_ascii=not _takes_unicode(out), indent=2)
    for chunk in encoder.iterencode(value):  # a string is one chunk, never split
        if not chunk.isascii():
            chunk = unsafe.sub(lambda found: f"\\u{ord(found.group()):04x}", chunk)
        out.write(chunk)
    out.write("\n")


def paper_json(paper: Paper) -> dict[str, Any]:
    """A paper in the documented JSON shape."""
    return paper.model_dump(mode="json")
