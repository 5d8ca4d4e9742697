"""A cache of parsed structured corpora, so that reopening a big file skips parsing.

One cache file per source file, in the user cache directory (``PAPERVIEW_CACHE_DIR`` when
set to an absolute path, else ``platformdirs.user_cache_path("paperview")``, e.g.
``~/.cache/paperview``), named after the source's resolved path. It is used only while the
source has the same size, modification time and inode, and only by the same cache format
and Python version; anything else (stale, truncated, corrupt, unreadable, from another
version) is ignored and rebuilt without a word. Deleting the directory is always safe.

Layout: the abstracts as UTF-8, back to back, and every other column, with the titles'
search keys, in :mod:`marshal` pieces (which load a million strings about as fast as the
disk gives them, several times faster than the keys are made), each piece of :data:`PIECE`
papers::

    MAGIC | piece | piece | ... | header (JSON) | header length (8 bytes, little-endian) | END

The header names the source fingerprint and where each piece lies, with its Adler-32
checksum (checked on load, about 0.1 s per million papers). A big corpus leaves its
abstracts in the file and decodes one when it is read (:class:`DiskStrings`); those are not
checked up front, and a damaged byte reads as U+FFFD. The directory is created private
(mode 0700).

A file is written to a temporary name and renamed into place, so a reader sees the old
cache or the new, never half of one; a crash mid-write leaves a temporary file that a later
write removes.
"""

from __future__ import annotations

import contextlib
import hashlib
import json
import marshal
import mmap
import os
import sys
import time
import zlib
from array import array
from collections.abc import Callable, Mapping
from dataclasses import dataclass
from pathlib import Path
from typing import IO, TYPE_CHECKING, Any

import platformdirs

from .vocabulary import Severity

if TYPE_CHECKING:
    from .models import Problem
    from .timings import Timings
from .paper_columns import LazyStrings, PaperColumns
from .snapshot import ReadResult

ENV_VAR = "PAPERVIEW_CACHE_DIR"
FORMAT = 4
"""Bump when the cache layout, the way records are read (or their problems summed up) or the
titles' search keys (:func:`~tui.data.search.keys.search_key`) change: old caches are
rebuilt."""
MAGIC = b"PVCACHE\n"
END = b"\nPVEND\n\n"
PIECE = 32_768
"""Values per marshal piece: small enough that no single step holds the GIL for long."""
MIN_SIZE = 1024 * 1024
"""Sources smaller than this (bytes) parse faster than a cache would load; not cached."""
LAZY_ABOVE = 250_000
"""From this many papers on, abstracts loaded from the cache stay on disk until read."""
STALE_TEMP_SECONDS = 3600
"""Temporary files older than this are left over from a crash, and removed."""


def cache_dir(
    explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The cache directory: ``explicit``, else ``$PAPERVIEW_CACHE_DIR`` (absolute), else
    the platform's user cache directory for paperview."""
    if explicit is not None and str(explicit).strip():
        return Path(explicit).expanduser().absolute()
    value = (os.environ if environ is None else environ).get(ENV_VAR, "")
    if value and Path(value).is_absolute():
        return Path(value)
    return platformdirs.user_cache_path("paperview", appauthor=False)


@dataclass(frozen=True)
class Fingerprint:
    """What identifies one version of a source file."""

    path: str
    size: int
    mtime_ns: int
    inode: int

    @classmethod
    def of(cls, path: Path) -> Fingerprint | None:
        """The fingerprint of ``path`` now (None if it cannot be read)."""
        try:
            resolved = path.resolve()
            info = resolved.stat()
        except (OSError, RuntimeError):
            return None
        return cls(str(resolved), info.st_size, info.st_mtime_ns, info.st_ino)

    def header(self) -> dict[str, Any]:
        """The fields a cache header must match."""
        return {
            "format": FORMAT,
            "python": list(sys.version_info[:2]),
            "marshal": marshal.version,
            "source": self.path,
            "size": self.size,
            "mtime_ns": self.mtime_ns,
            "inode": self.inode,
        }


class CorpusCache:
    """Parsed structured corpora on disk, keyed by their source file.

    ``min_size`` is the smallest source worth caching; for ``lazy_above`` see :meth:`load`.
    With ``defer=True``, :meth:`save` only queues the write and :meth:`flush` does it, so a
    caller can first make the corpus searchable and write the cache afterwards.
    """

    def __init__(
        self,
        directory: Path | None = None,
        *,
        min_size: int = MIN_SIZE,
        lazy_above: int = LAZY_ABOVE,
        defer: bool = False,
    ) -> None:
        self.directory = cache_dir(directory)
        self.min_size = min_size
        self.lazy_above = lazy_above
        self.defer = defer
        self._pending: list[tuple[Fingerprint, ReadResult]] = []

    def path_for(self, fingerprint: Fingerprint) -> Path:
        """The cache file for a source (one per resolved source path)."""
        digest = hashlib.sha256(fingerprint.path.encode("utf-8", "surrogateescape")).hexdigest()
        return self.directory / f"corpus-{digest[:24]}.pvcache"

    def wants(self, fingerprint: Fingerprint | None) -> bool:
        """Whether a source with this fingerprint is worth caching."""
        return fingerprint is not None and fingerprint.size >= self.min_size

    def load(self, fingerprint: Fingerprint, name: str) -> ReadResult | None:
        """The cached result for the source, its file shown as ``name``; None if there is no
        usable cache (missing, stale or damaged: it will simply be rebuilt).

        With :attr:`lazy_above` papers or more, the abstracts stay in the cache file and
        are read when needed (:class:`DiskStrings`); otherwise everything is in memory.
        """
        path = self.path_for(fingerprint)
        try:
            with path.open("rb") as handle:
                if os.fstat(handle.fileno()).st_size < len(MAGIC) + 8 + len(END):
                    return None
                mapping = mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ)
        except (OSError, ValueError):
            return None
        try:
            count = _count(mapping)
            return _decode(mapping, fingerprint, name, lazy=count >= self.lazy_above)
        except (ValueError, EOFError, TypeError, KeyError, IndexError, OverflowError):
            return None

    def save(self, fingerprint: Fingerprint, result: ReadResult) -> None:
        """Cache ``result`` (a complete read of the source with ``fingerprint``), now or at
        :meth:`flush` when deferred. Failures (read-only or full disk) are ignored."""
        if not result.complete:
            return
        if self.defer:
            self._pending.append((fingerprint, result))
        else:
            self._write(fingerprint, result)

    def pending(self) -> int:
        """How many papers the deferred caches hold (what :meth:`flush` will write)."""
        return sum(len(result.columns) for _, result in self._pending)

    def flush(
        self, cancelled: Callable[[], bool] | None = None, timings: Timings | None = None
    ) -> int:
        """Write the deferred caches; returns how many were written. When ``cancelled()``
        turns true (checked between pieces) the file being written is dropped. ``timings``
        gets a ``cache save`` stage for each."""
        written = 0
        while self._pending:
            fingerprint, result = self._pending.pop(0)
            name = result.columns.files[0] if result.columns.files else fingerprint.path
            with timings.stage(f"cache save  {name}") if timings else contextlib.nullcontext():
                written += self._write(fingerprint, result, cancelled)
        return written

    def _write(
        self,
        fingerprint: Fingerprint,
        result: ReadResult,
        cancelled: Callable[[], bool] | None = None,
    ) -> bool:
        if Fingerprint.of(Path(fingerprint.path)) != fingerprint:
            return False  # the source changed while it was read: the result may be mixed
        target = self.path_for(fingerprint)
        temp = target.with_name(f"{target.name}.{os.getpid()}-{time.monotonic_ns()}.tmp")
        try:
            self.directory.mkdir(parents=True, exist_ok=True, mode=0o700)
            _remove_stale_temps(self.directory)
            with temp.open("xb") as handle:
                _encode(handle, fingerprint, result, cancelled or (lambda: False))
            if Fingerprint.of(Path(fingerprint.path)) != fingerprint:
                raise _Stopped  # changed while abstracts were read from it: they may be wrong
            temp.replace(target)
        except BaseException as failure:  # Ctrl+C too: no half-written file is left
            with contextlib.suppress(OSError):
                temp.unlink()
            if isinstance(failure, (OSError, _Stopped)):
                return False
            raise
        return True


# --- the file format ---------------------------------------------------------------------


class _Stopped(Exception):
    """Writing a cache file was cancelled."""


def _encode(
    handle: IO[bytes], fingerprint: Fingerprint, result: ReadResult, cancelled: Callable[[], bool]
) -> None:
    columns = result.columns
    handle.write(MAGIC)
    offset = len(MAGIC)
    pieces: dict[str, list[list[int]]] = {}

    def put(name: str, blob: bytes) -> None:
        nonlocal offset
        if cancelled():
            raise _Stopped
        handle.write(blob)
        pieces.setdefault(name, []).append([offset, len(blob), zlib.adler32(blob)])
        offset += len(blob)

    ends = array("Q")
    end = 0
    for start in range(0, len(columns), PIECE):  # abstracts back to back, readable one by one
        encoded = [text.encode("utf-8") for text in columns.abstracts[start : start + PIECE]]
        for item in encoded:
            end += len(item)
            ends.append(end)
        put("abstracts", b"".join(encoded))
    put("abstract_ends", ends.tobytes())
    for name in PaperColumns.LISTS:
        if name == "abstracts":
            continue
        values = getattr(columns, name)
        for start in range(0, len(values), PIECE):
            put(name, marshal.dumps(values[start : start + PIECE]))
    keys = columns.title_keys() if callable(columns.title_keys) else columns.title_keys
    if keys is None or len(keys) != len(columns):
        from .search.keys import search_keys  # (the search package, only when writing)

        keys = search_keys(columns.titles)
    for start in range(0, len(keys), PIECE):  # the index takes them instead of making them
        put("title_keys", marshal.dumps(keys[start : start + PIECE]))
    put("lines", columns.lines.tobytes())
    extra = [(k, [tuple(s) for s in v]) for k, v in columns.extra_sources.items()]
    put("meta", marshal.dumps((columns.starts, extra, [_problem_row(p) for p in result.problems])))
    header = {
        **fingerprint.header(),
        "count": len(columns),
        "entries": result.entries,
        "kind": result.kind,
        "line_itemsize": columns.lines.itemsize,
        "abstract_piece": PIECE,
        "pieces": pieces,
        "end": offset,
    }
    blob = json.dumps(header).encode("utf-8")
    handle.write(blob)
    handle.write(len(blob).to_bytes(8, "little"))
    handle.write(END)


def _header(view: memoryview) -> tuple[dict[str, Any], int]:
    """The header of a cache file, and where it starts."""
    if bytes(view[: len(MAGIC)]) != MAGIC or bytes(view[-len(END) :]) != END:
        raise ValueError("not a complete cache file")
    size = int.from_bytes(view[-len(END) - 8 : -len(END)], "little")
    header_start = len(view) - len(END) - 8 - size
    if header_start < len(MAGIC):
        raise ValueError("bad header length")
    header = json.loads(bytes(view[header_start : header_start + size]))
    if not isinstance(header, dict):
        raise ValueError("bad header")
    return header, header_start


def _count(mapping: mmap.mmap) -> int:
    return int(_header(memoryview(mapping))[0]["count"])


def _decode(mapping: mmap.mmap, fingerprint: Fingerprint, name: str, lazy: bool) -> ReadResult:
    """The cached result; abstracts stay in the mapping (unchecked) when ``lazy``."""
    view = memoryview(mapping)
    header, header_start = _header(view)
    expected = fingerprint.header()
    if any(header.get(key) != value for key, value in expected.items()):
        raise ValueError("stale")
    if header["end"] != header_start:
        raise ValueError("bad header")
    pieces = header["pieces"]
    count = header["count"]
    columns = PaperColumns(files=[name])
    for column in PaperColumns.LISTS:
        if column == "abstracts":
            continue
        values = getattr(columns, column)
        for piece in pieces.get(column, []):
            values.extend(marshal.loads(_checked(view, piece)))
        if len(values) != count:
            raise ValueError(f"{column}: wrong length")
    columns.title_keys = _TitleKeys(view, pieces.get("title_keys", []), count)
    ends = _array("Q", view, pieces["abstract_ends"], count)
    blobs = pieces.get("abstracts", [])
    if count and ends[-1] != sum(length for _, length, _ in blobs):
        raise ValueError("abstracts: wrong length")
    if lazy:
        columns.abstracts = DiskStrings(view, blobs[0][0] if blobs else 0, ends)
    else:
        columns.abstracts = _strings(view, blobs, ends, header["abstract_piece"])
    columns.lines = _array("I", view, pieces["lines"], count)
    (piece,) = pieces["meta"]
    starts, extra, problems = marshal.loads(_checked(view, piece))
    columns.starts = list(starts)
    columns.extra_sources = {k: [(name, line) for _, line in v] for k, v in extra}
    return ReadResult(
        columns,
        [_problem(row, name) for row in problems],
        int(header["entries"]),
        str(header["kind"]),
    )


class _TitleKeys:
    """The titles' search keys in a cache file, read when the index asks for them: after
    the papers are listed, in less time than making them takes (about 0.2 s a million)."""

    def __init__(self, view: memoryview, pieces: list[list[int]], count: int) -> None:
        self._view: memoryview | None = view
        self._pieces = pieces
        self._count = count
        self._keys: list[str] | None = None

    def __call__(self) -> list[str] | None:
        """The keys (read once, then the file is let go); None when they cannot be read."""
        view, self._view = self._view, None
        if view is not None:
            keys: list[str] = []
            with contextlib.suppress(ValueError, EOFError, TypeError):
                for piece in self._pieces:
                    keys.extend(marshal.loads(_checked(view, piece)))
                self._keys = keys if len(keys) == self._count else None
        return self._keys


def _strings(
    view: memoryview, blobs: list[list[int]], ends: array[int], per_piece: int
) -> list[str]:
    """Every string of the back-to-back pieces, decoded a piece at a time."""
    out: list[str] = []
    for number, piece in enumerate(blobs):
        data = _checked(view, piece)
        first, last = number * per_piece, min((number + 1) * per_piece, len(ends))
        base = ends[first - 1] if first else 0
        text = str(data, "utf-8")
        if len(text) == len(data):  # ASCII: byte offsets are character offsets
            start = 0
            for end in ends[first:last]:
                out.append(text[start : end - base])
                start = end - base
        else:
            start = 0
            for end in ends[first:last]:
                out.append(str(data[start : end - base], "utf-8"))
                start = end - base
    if len(out) != len(ends):
        raise ValueError("abstracts: wrong count")
    return out


def _checked(view: memoryview, piece: list[int]) -> memoryview:
    """The bytes of one piece, after checking them against their checksum."""
    offset, length, checksum = piece
    data = view[offset : offset + length]
    if zlib.adler32(data) != checksum:
        raise ValueError("checksum mismatch")
    return data


def _array(code: str, view: memoryview, pieces: list[list[int]], count: int) -> array[Any]:
    (piece,) = pieces
    values = array(code)
    values.frombytes(_checked(view, piece))
    if len(values) != count:
        raise ValueError("array: wrong length")
    return values


class DiskStrings(LazyStrings):
    """Strings stored back to back in a mapped file, decoded only when read.

    ``ends[i]`` is where string ``i`` ends, counted from ``start``. The mapping stays open
    as long as this sequence lives; the cache file is only ever replaced by renaming, never
    changed in place, so deleting or rebuilding it meanwhile is safe.
    """

    def __init__(self, view: memoryview, start: int, ends: array[int]) -> None:
        self._view = view
        self._start = start
        self._ends = ends

    def __len__(self) -> int:
        return len(self._ends)

    def _read(self, start: int, stop: int) -> list[str]:
        ends, base, view = self._ends, self._start, self._view
        found: list[str] = []
        begin = base + (ends[start - 1] if start else 0)
        for index in range(start, stop):
            end = base + ends[index]
            found.append(str(view[begin:end], "utf-8", "replace"))
            begin = end
        return found


def _problem_row(problem: Problem) -> tuple[int | None, str, str]:
    return (problem.line, problem.reason, problem.severity.value)


def _problem(row: tuple[int | None, str, str], name: str) -> Problem:
    from .models import Problem  # not at the top: the reader imports this before pydantic

    line, reason, severity = row
    return Problem(file=name, line=line, reason=reason, severity=Severity(severity))


def _remove_stale_temps(directory: Path) -> None:
    cutoff = time.time() - STALE_TEMP_SECONDS
    for temp in directory.glob("corpus-*.tmp"):
        with contextlib.suppress(OSError):
            if temp.stat().st_mtime < cutoff:
                temp.unlink()
