"""Reading input paths safely: which files to read, and their bytes decoded to lines.

Nothing here raises on bad input. Each input that cannot be read becomes one
:class:`~tui.data.models.Problem` naming the file and the reason; FIFOs and device files are
never opened, so nothing hangs.
"""

from __future__ import annotations

import os
import re
import stat
import sys
import zlib
from collections.abc import Iterable
from dataclasses import dataclass
from pathlib import Path
from typing import BinaryIO

from .models import Problem, Severity
from .vocabulary import BOMS, GZIP_MAGIC

DEFAULT_MAX_SIZE = 256 * 1024 * 1024
"""Files larger than this (bytes) are refused unless the caller raises the limit."""

BINARY_SNIFF = 8000
"""A NUL byte within this many leading bytes marks a file as binary (as git does)."""

CORPUS_SUFFIXES = (".txt", ".jsonl", ".json", ".txt.gz", ".jsonl.gz", ".json.gz")
"""Files with these suffixes are read when a directory is named."""

_SUFFIXES = ".txt, .jsonl, .json, each optionally .gz"

_LINE_BREAK = re.compile(r"\r\n|\r|\n")


@dataclass(frozen=True)
class ReadOptions:
    """How to read inputs: the size cap, the encoding to use when no BOM says, and whether
    big structured inputs may go through the cache (:mod:`.cache`)."""

    max_size: int = DEFAULT_MAX_SIZE
    encoding: str = "utf-8"
    errors: str = "strict"
    cache: bool = True


def expand_paths(paths: Iterable[Path]) -> tuple[list[Path], list[Problem]]:
    """Resolve inputs to files: a directory stands for the corpus files directly inside it.

    Returns the files to read, in a stable order and without repeats, and a problem for
    each input that is missing, unreadable, or a directory with no corpus files.
    """
    files: list[Path] = []
    problems: list[Problem] = []
    seen: set[Path] = set()

    def add(path: Path) -> None:
        try:
            key = path.resolve()
        except (OSError, RuntimeError):  # a symlink loop (RuntimeError before Python 3.13)
            key = path.absolute()  # kept: reading it reports the loop, in one line
        if key not in seen:
            seen.add(key)
            files.append(path)

    for path in paths:
        try:
            info = path.stat()
        except FileNotFoundError:
            problems.append(Problem(file=str(path), reason="no such file or directory"))
            continue
        except OSError as error:
            problems.append(Problem(file=str(path), reason=_os_reason(error)))
            continue
        if not stat.S_ISDIR(info.st_mode):
            add(path)
            continue
        try:
            children = sorted(
                child
                for child in path.iterdir()
                if child.name.lower().endswith(CORPUS_SUFFIXES) and not child.name.startswith(".")
            )
        except OSError as error:
            problems.append(Problem(file=str(path), reason=_os_reason(error)))
            continue
        if not children:
            problems.append(
                Problem(file=str(path), reason=f"directory has no corpus files ({_SUFFIXES})")
            )
        for child in children:
            add(child)
    return files, problems


def read_lines(path: Path, options: ReadOptions) -> tuple[list[str], list[Problem]]:
    """Read one file and split it into lines on real line breaks only.

    Line breaks are CRLF, lone CR and LF; form feeds, NEL and U+2028 stay inside their line
    (``str.splitlines`` would split on them). The encoding comes from a BOM when there is
    one (UTF-8, UTF-16, UTF-32), else ``options.encoding``. Returns no lines and one
    problem when the file cannot be read; with ``errors="replace"`` a warning counts the
    replaced characters.
    """
    data, problem = read_bytes(path, options)
    if problem is not None:
        return [], [problem]
    assert data is not None
    text, problems = decode(path, data, options)
    if text is None:
        return [], problems
    return _LINE_BREAK.split(text), problems


def open_input(path: Path) -> tuple[BinaryIO | None, Problem | None]:
    """Open one input for reading bytes; a problem instead for a directory, a FIFO, a
    device or a file that cannot be opened (never blocks)."""
    name = str(path)
    try:
        info = path.stat()
    except FileNotFoundError:
        return None, Problem(file=name, reason="no such file or directory")
    except OSError as error:
        return None, Problem(file=name, reason=_os_reason(error))
    if stat.S_ISDIR(info.st_mode):
        return None, Problem(file=name, reason="is a directory")
    if not stat.S_ISREG(info.st_mode):
        kind = "a FIFO" if stat.S_ISFIFO(info.st_mode) else "a device or special file"
        return None, Problem(file=name, reason=f"not a regular file ({kind}); not read")
    try:
        # O_NONBLOCK: if the path was swapped for a FIFO since stat(), open() still returns.
        fd = os.open(path, os.O_RDONLY | getattr(os, "O_NONBLOCK", 0))
        handle = os.fdopen(fd, "rb")
    except OSError as error:
        return None, Problem(file=name, reason=_os_reason(error))
    if not stat.S_ISREG(os.fstat(handle.fileno()).st_mode):
        handle.close()
        return None, Problem(file=name, reason="not a regular file; not read")
    return handle, None


def read_bytes(path: Path, options: ReadOptions) -> tuple[bytes | None, Problem | None]:
    """The content of one input, decompressed when it is gzip, within the size limit."""
    handle, problem = open_input(path)
    if handle is None:
        return None, problem
    name = str(path)
    limit = options.max_size
    with handle:
        size = os.fstat(handle.fileno()).st_size
        if size > limit:
            return None, _too_big(name, size, limit)
        try:
            data = _read_at_most(handle, size, limit)
        except OSError as error:
            return None, Problem(file=name, reason=_os_reason(error))
    if len(data) > limit:
        return None, Problem(file=name, reason="file grew past the size limit while read")
    if data.startswith(GZIP_MAGIC):
        return _gunzip(name, data, limit)
    return data, None


def _read_at_most(handle: BinaryIO, size: int, limit: int) -> bytes:
    """The file's bytes, up to one past ``limit``; ``size`` is what it held when opened, so
    a huge limit never sizes a read (only a file that grows meanwhile is read on, in
    pieces)."""
    parts = [handle.read(size + 1)]
    read = len(parts[0])
    while read > size and read <= limit:  # it grew while read
        parts.append(handle.read(min(limit + 1 - read, 2**24)))
        if not parts[-1]:
            break
        read += len(parts[-1])
    return parts[0] if len(parts) == 1 else b"".join(parts)


def _gunzip(name: str, data: bytes, limit: int) -> tuple[bytes | None, Problem | None]:
    out: list[bytes] = []
    size = 0
    try:
        while data:  # one gzip member at a time (concatenated files have several)
            inflater = zlib.decompressobj(wbits=31)
            out.append(inflater.decompress(data, min(limit + 1 - size, sys.maxsize)))
            size += len(out[-1])
            if size > limit:
                return None, _too_big(name, size, limit, decompressed=True)
            if not inflater.eof:
                return None, Problem(file=name, reason="gzip file is cut short; not read")
            data = inflater.unused_data
    except zlib.error as error:
        return None, Problem(file=name, reason=f"damaged gzip file ({error}); not read")
    return b"".join(out), None


def _too_big(name: str, size: int, limit: int, *, decompressed: bool = False) -> Problem:
    what = "decompresses to over" if decompressed else "is"
    shown, allowed = _size_text(size), _size_text(limit)
    if shown == allowed:  # "1.0 MB, over the 1.0 MB limit" says nothing: the bytes do
        shown, allowed = f"{size:,} bytes", f"{limit:,} bytes"
    if allowed.endswith(" bytes"):  # "the 100-byte limit"
        allowed = allowed.removesuffix(" bytes") + "-byte"
    return Problem(
        file=name,
        reason=f"file {what} {shown}, over the {allowed} limit (raise it with --max-size)",
    )


def decode(path: Path, data: bytes, options: ReadOptions) -> tuple[str | None, list[Problem]]:
    """``data`` as text (the BOM, else ``options``, says the encoding), or None and why not;
    with ``errors="replace"`` a warning counts the replaced characters."""
    name = str(path)
    encoding = options.encoding
    advice = "use --encoding (e.g. latin-1) or --errors replace"
    for bom, bom_encoding in BOMS:
        if data.startswith(bom):
            encoding = bom_encoding
            advice = "use --errors replace"  # the BOM decides, whatever --encoding says
            break
    else:
        nul = data.find(b"\0", 0, BINARY_SNIFF)
        if nul >= 0:
            return None, [
                Problem(file=name, reason=f"binary file (NUL byte at offset {nul}); not read")
            ]
        if encoding.lower().replace("_", "-") in ("utf-8", "utf8"):
            encoding = "utf-8-sig"
    try:
        text = data.decode(encoding, errors="strict")
    except UnicodeDecodeError as error:
        if options.errors != "replace":
            line = data.count(b"\n", 0, error.start) + 1
            byte = data[error.start : error.start + 1].hex().upper()
            return None, [
                Problem(
                    file=name,
                    line=line,
                    reason=(
                        f"not valid {error.encoding} (byte 0x{byte} at offset {error.start});"
                        f" {advice}"
                    ),
                )
            ]
        text = data.decode(encoding, errors="replace")
        count = text.count("\ufffd")
        return text, [
            Problem(
                file=name,
                reason=f"{count} undecodable character(s) replaced with U+FFFD",
                severity=Severity.WARNING,
            )
        ]
    except LookupError:
        return None, [Problem(file=name, reason=f"unknown encoding {encoding!r}")]
    return text, []


def _os_reason(error: OSError) -> str:
    return (error.strerror or str(error)).lower()


def _size_text(size: int) -> str:
    """``size`` bytes in the largest unit that keeps a digit before the point: ``512 bytes``,
    ``2.0 KB``, ``300.0 MB``."""
    if size < 1024:
        return f"{size:,} bytes"
    if size < 1024 * 1024:
        return f"{size / 1024:.1f} KB"
    return f"{size / (1024 * 1024):.1f} MB"
