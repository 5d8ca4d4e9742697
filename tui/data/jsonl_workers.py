"""Parsing a big JSON Lines file on every core: worker processes read byte ranges.

A plain (not compressed) file of :data:`SPLIT_FROM` bytes or more is cut into ranges of
about :data:`RANGE_BYTES`, each ending at a line break. Worker processes (forked from a
``forkserver`` process, never from this one, which may be running other threads) parse one
range at a time with the same :class:`~tui.data.snapshot.LineReader` as the single-process
path, numbering lines from the range's start, and write its columns as one :mod:`marshal`
blob to a file in a private temporary directory (in memory, ``/dev/shm``, when there is
one): handing 20 MB over a pipe cost the calling process six times the CPU of reading a
file. Abstracts are left in the file (:mod:`.line_abstracts`): a worker sends where each
paper's line lies, and an abstract is read from its line when it is shown or searched.
The calling process puts the ranges together in file order: it shifts line numbers
and positions, merges an arXiv id seen in an earlier range into its first paper, and
leaves out the warnings of a paper seen in an earlier range (one process never gets that
far with a repeat) and applies the cap on listed problems, so the result is exactly the one
reading the file in one process gives (``tests/test_snapshot_workers.py`` compares them).
When the workers cannot start (no room for the temporary folder, no memory to fork) or one
dies (the OOM killer), the file is read in one process instead, from the start.
"""

from __future__ import annotations

import contextlib
import marshal
import mmap
import multiprocessing
import os
import shutil
import signal
import stat
import sys
import tempfile
import threading
import time
from array import array
from collections import deque
from collections.abc import Iterable, Iterator
from concurrent.futures import Future, ProcessPoolExecutor, wait
from concurrent.futures.process import BrokenProcessPool
from functools import partial
from itertools import islice
from multiprocessing import forkserver, resource_tracker
from multiprocessing.context import BaseContext
from pathlib import Path
from typing import IO, TYPE_CHECKING

from . import snapshot
from .line_abstracts import LineAbstracts, LineSpans, read_at
from .paper_columns import PaperColumns
from .snapshot import Cancelled, LineReader, Progress, ReadResult, _Problems, is_gzip
from .vocabulary import Severity

if TYPE_CHECKING:
    from .cache import CorpusCache

SPLIT_FROM = 64 * 2**20
"""Plain files from this many bytes on are parsed by worker processes."""
RANGE_BYTES = 8 * 2**20
"""Bytes of one range, the unit of work (and of progress and cancellation checks)."""
MAX_WORKERS = 4
TEMP_PREFIX = "paperview-ranges-"

_SCAN = 64 * 1024


def worker_count() -> int:
    """How many worker processes to use: the cores this process may run on (at most
    :data:`MAX_WORKERS`); 1 means parse in this process."""
    if not sys.platform.startswith("linux"):  # workers open the file through /proc
        return 1
    return min(len(os.sched_getaffinity(0)), MAX_WORKERS)


def start_early(paths: Iterable[Path], cache: CorpusCache | None) -> None:
    """Start parsing the first of ``paths`` that the workers will parse (plain JSON Lines of
    :data:`SPLIT_FROM` bytes or more, with no ``cache`` file newer than it), so that its
    first ranges are being parsed while the caller imports the rest of the reader (0.2-0.3
    s). :func:`read_in_workers` takes that reading over when it is asked for the same file,
    unchanged; :func:`drop_early` ends one nobody took. Inputs that cannot be read are left
    to the reader."""
    if worker_count() < 2 or _early is not None:
        return
    for path in paths:
        try:
            info = path.stat()
            if not stat.S_ISREG(info.st_mode) or info.st_size < SPLIT_FROM:
                continue  # (opening a FIFO could wait for a writer)
            if cache is not None and _cached(cache, path, info.st_mtime_ns):
                continue
            with path.open("rb") as handle:
                head = handle.read(4)
                if is_gzip(head) or snapshot.wide_encoding(head):
                    continue  # gzip: read in one process; UTF-16: a UTF-8 copy is, later
                handle.seek(0)
                if snapshot.sniff(snapshot.peek(handle)) != "jsonl":
                    continue
            fd = os.open(path, os.O_RDONLY)
        except (OSError, ValueError):
            continue
        with contextlib.suppress(Exception):  # the reader tries again, and says what fails
            _put_early(_started(fd))
        return


def _started(fd: int) -> _Reading:
    """A reading of the file open as ``fd`` (which it owns from now on, closed if the
    reading cannot start) with its first ranges submitted."""
    try:
        reading = _Reading(fd, owned=True)
    except BaseException:
        os.close(fd)
        raise
    try:
        reading.submit()
    except BaseException:
        reading.close()
        raise
    return reading


def drop_early() -> None:
    """Stop the reading :func:`start_early` began if :func:`read_in_workers` did not take
    it (the file changed, or was read from the cache after all)."""
    reading = _take_early()
    if reading is not None:
        reading.close()


def _cached(cache: CorpusCache, path: Path, mtime_ns: int) -> bool:
    """Whether ``cache`` has a file for ``path`` written after it last changed (most likely
    the one the reader will load instead of parsing)."""
    from .cache import Fingerprint

    fingerprint = Fingerprint.of(path)
    if fingerprint is None:
        return False
    try:
        return cache.path_for(fingerprint).stat().st_mtime_ns > mtime_ns
    except OSError:
        return False


def read_in_workers(
    raw: IO[bytes],
    file: str,
    *,
    total: int = 0,
    progress: Progress | None = None,
    cancelled: Cancelled | None = None,
) -> ReadResult | None:
    """The result of reading ``raw`` with worker processes; None when that is not worth it
    (small, compressed or not a real file, one core), the file is a paperview export, or
    the workers cannot start or one dies (killed for memory, say): the caller then reads
    it itself. Arguments as for :func:`.snapshot.read_jsonl`."""
    try:
        fd = raw.fileno()
        info = os.fstat(fd)
        if info.st_size < SPLIT_FROM or worker_count() < 2 or is_gzip(os.pread(fd, 2, 0)):
            return None
        reading = _take_early(info)
        if reading is None:
            reading = _Reading(fd)
    except (OSError, AttributeError, ValueError, BrokenProcessPool):
        return None
    try:
        return _merged(reading, _Merger(file, reading.fd), total, progress, cancelled)
    except (OSError, ValueError, BrokenProcessPool):  # no fork, no memory, a worker killed
        return None
    finally:
        reading.close()


class _Reading:
    """The ranges of the file open as ``fd``, parsed by a pool of workers, a few ahead of
    the merge; ``owned``: the descriptor is closed with the reading."""

    def __init__(self, fd: int, *, owned: bool = False) -> None:
        self.fd = fd
        self.owned = owned
        self.info = os.fstat(fd)
        self.ranges = list(_ranges(fd, self.info.st_size, RANGE_BYTES))
        self.count = min(worker_count(), len(self.ranges))
        self.cap = snapshot.MAX_PROBLEMS
        shm = Path("/dev/shm")
        base = shm if shm.is_dir() else Path(tempfile.gettempdir())
        _remove_stale(base)
        self.folder = Path(tempfile.mkdtemp(prefix=TEMP_PREFIX, dir=base))
        try:
            self.pool = ProcessPoolExecutor(
                self.count,
                mp_context=_context(),
                initializer=_start,
                initargs=(f"/proc/{os.getpid()}/fd/{fd}",),
            )
        except BaseException:
            shutil.rmtree(self.folder, ignore_errors=True)
            raise
        self.task = partial(_parse_range, self.folder, self.cap)
        self.todo = iter(self.ranges)
        self.waiting: deque[Future[str | bytes | None]] = deque()

    def reads(self, info: os.stat_result) -> bool:
        """Whether this reads the file ``info`` describes, as it is now."""
        mine = self.info
        return (mine.st_dev, mine.st_ino, mine.st_size, mine.st_mtime_ns, self.cap) == (
            info.st_dev,
            info.st_ino,
            info.st_size,
            info.st_mtime_ns,
            snapshot.MAX_PROBLEMS,
        )

    def reads_file(self, info: os.stat_result) -> bool:
        """Whether this reads the file ``info`` describes, changed or not."""
        return (self.info.st_dev, self.info.st_ino) == (info.st_dev, info.st_ino)

    def submit(self) -> None:
        """Keep two ranges a worker submitted ahead of the merge."""
        ahead = 2 * self.count - len(self.waiting)
        self.waiting.extend(self.pool.submit(self.task, span) for span in islice(self.todo, ahead))

    def close(self) -> None:
        """Stop the workers (a range being parsed is finished first) and remove their
        files."""
        self.pool.shutdown(cancel_futures=True)
        shutil.rmtree(self.folder, ignore_errors=True)
        if self.owned:
            os.close(self.fd)
            self.owned = False


_early: _Reading | None = None
"""The reading :func:`start_early` began, until it is taken."""
_early_lock = threading.Lock()


def _put_early(reading: _Reading) -> None:
    global _early
    with _early_lock:
        before, _early = _early, reading
    if before is not None:  # (two loaders at once: the later one wins)
        before.close()


def _take_early(info: os.stat_result | None = None) -> _Reading | None:
    """Take the reading :func:`start_early` began: any, or the one of the file ``info``
    describes as it is now. One of another file is left for when that file is read (a
    folder listed before it may hold a big file too); one of this file before it changed
    is closed."""
    global _early
    stale = None
    with _early_lock:
        reading = _early
        if reading is None:
            return None
        if info is not None and not reading.reads(info):
            if not reading.reads_file(info):
                return None
            reading, stale = None, reading
        _early = None
    if stale is not None:
        stale.close()
    return reading


def _context() -> BaseContext:
    """Workers forked from a server process started afresh: forking this process, which
    may be running other threads, could leave a child waiting on a lock copied held."""
    context = multiprocessing.get_context("forkserver")
    context.set_forkserver_preload([__name__])
    _start_servers()
    return context


def _start_servers() -> None:
    """Start multiprocessing's resource tracker and fork server if they are not running.

    The resource tracker is handed ``sys.stderr.fileno()``; inside the reader that is
    Textual's print capture, whose ``fileno()`` is -1, and starting it fails ("bad value(s)
    in fds_to_keep"). So they start with the process's own standard error (or /dev/null)."""
    captured = sys.stderr
    stream = sys.__stderr__
    try:
        usable = stream is not None and stream.fileno() >= 0
    except (OSError, ValueError):
        usable = False
    with contextlib.ExitStack() as stack:
        if not usable:
            stream = stack.enter_context(Path(os.devnull).open("w"))
        sys.stderr = stream
        try:
            resource_tracker.ensure_running()
            forkserver.ensure_running()
        finally:
            sys.stderr = captured


Found = tuple[int | None, str, str]
"""A problem of a range: its line in the range, reason and severity."""
Part = tuple[
    int,
    int,
    list[list[object]],
    bytes,
    tuple[bytes, bytes],
    list[tuple[int, list[int]]],
    list[Found],
    tuple[int, int | None],
]
"""A range read: its lines, entries, columns (:data:`SENT`), line numbers, where the papers'
lines lie, duplicates, problems, and the errors left out and the first one's line (see
:meth:`_Merger.add`)."""
SENT = tuple(name for name in PaperColumns.LISTS if name != "abstracts")
"""The columns a worker sends (abstracts stay in the file)."""
_TITLES = SENT.index("titles")


def _merged(
    reading: _Reading,
    merger: _Merger,
    total: int,
    progress: Progress | None,
    cancelled: Cancelled | None,
) -> ReadResult | None:
    """Merge the ranges of ``reading`` in order as the workers parse them; see
    :func:`read_in_workers`. A range that cannot be read ends the reading there."""
    for _, end in reading.ranges:
        reading.submit()
        future = reading.waiting.popleft()
        while not wait([future], timeout=0.2).done:
            if cancelled is not None and cancelled():
                return merger.result(complete=False)
        try:
            part = future.result()
        except OSError as failure:
            merger.stopped(failure)
            break
        if part is None:  # the first line is a paperview export's header
            return None
        merger.add(_take(part))
        if progress is not None:
            progress(end, total)
        if cancelled is not None and cancelled():
            return merger.result(complete=False)
    return merger.result()


def _remove_stale(base: Path) -> None:
    """Remove the temporary folders of readings killed more than an hour ago."""
    cutoff = time.time() - 3600
    for folder in base.glob(f"{TEMP_PREFIX}*"):
        with contextlib.suppress(OSError):
            if folder.stat().st_mtime < cutoff:
                shutil.rmtree(folder, ignore_errors=True)


def _take(part: str | bytes) -> object:
    """The value a worker wrote to the file ``part`` (which is removed), or sent."""
    if isinstance(part, bytes):
        return marshal.loads(part)
    path = part
    with Path(path).open("rb") as handle:
        Path(path).unlink()
        with mmap.mmap(handle.fileno(), 0, access=mmap.ACCESS_READ) as mapped:
            return marshal.loads(mapped)


_fd = -1  # in a worker: the file being read


def _start(path: str) -> None:
    """In a worker: open the file (``/proc/<parent>/fd/<n>``: the one the parent has open)
    and leave Ctrl+C to the parent."""
    global _fd
    signal.signal(signal.SIGINT, signal.SIG_IGN)
    try:
        _fd = os.open(path, os.O_RDONLY)
    except OSError:
        os._exit(1)  # quietly: the parent finds its pool broken and reads the file itself


def _ranges(fd: int, size: int, step: int) -> Iterator[tuple[int, int]]:
    """Byte ranges of about ``step`` bytes covering the file, each ending after a ``\\n``
    (or at the end of the file)."""
    start = 0
    while start < size:
        end = start + step
        while end < size:  # move the end past the next line break
            block = os.pread(fd, _SCAN, end - 1)
            found = block.find(b"\n")
            if found >= 0:
                end += found
                break
            if not block:
                end = size
            end += len(block)
        end = min(end, size)
        yield start, end
        start = end


def _range_part(fd: int, cap: int, span: tuple[int, int]) -> Part | None:
    """Parse the lines of one byte range of the file open as ``fd`` (see
    :meth:`_Merger.add`); None when the first line is a paperview export's header.
    ``cap``: :data:`.snapshot.MAX_PROBLEMS` of the calling process. (What it sends names
    no file: the calling process adds the name.)"""
    start, end = span
    reader = LineReader("", first=start == 0, in_file=True, offset=start)
    problems = reader.problems = _RangeProblems("", cap)
    if reader.read(read_at(fd, start, end)) is not None:
        return None
    columns = reader.builder.columns
    return (
        reader.number,
        reader.entries,
        [getattr(columns, name) for name in SENT],
        columns.lines.tobytes(),
        reader.builder.spans.to_bytes(),
        [(k, [line for _, line in v]) for k, v in columns.extra_sources.items()],
        problems.found,
        (problems.dropped_errors, problems.first_dropped),
    )


def _parse_range(folder: Path, cap: int, span: tuple[int, int]) -> str | bytes | None:
    """In a worker: parse the lines of one byte range into a file of ``folder`` (see
    :func:`_range_part`) and return its path (or the blob itself when the file cannot be
    written: a full ``/dev/shm``); None when the first line is a paperview export's
    header."""
    part = _range_part(_fd, cap, span)
    if part is None:
        return None
    blob = marshal.dumps(part)
    path = folder / f"{span[0]}.marshal"
    try:
        with path.open("xb") as handle:
            handle.write(blob)
    except OSError:
        with contextlib.suppress(OSError):
            path.unlink()
        return blob
    return str(path)


class _RangeProblems(_Problems):
    """A range's problems as the merge needs them: (line, reason, severity) of every
    warning, as the merge leaves out those of papers an earlier range holds, and of the
    first ``cap`` errors (the rest counted): enough to list the first ``cap`` of the file."""

    def __init__(self, file: str, cap: int) -> None:
        super().__init__(file)
        self.cap = cap
        self.errors = 0
        self.found: list[Found] = []

    def add(self, line: int | None, reason: str, severity: Severity = Severity.ERROR) -> None:
        if severity is Severity.ERROR:
            self.errors += 1
            if self.errors > self.cap:
                self.drop_errors(1, line)
                return
        self.found.append((line, reason, severity.value))


class _Merger:
    """Puts the ranges' columns together in file order, as one reader would have."""

    def __init__(self, file: str, fd: int) -> None:
        self.file = file
        self.fd = fd
        self.columns = PaperColumns(files=[file], starts=[0])
        self.spans = LineSpans()
        from .search.keys import search_key, search_keys  # here: workers do without pydantic

        self.search_key = search_key
        self.search_keys = search_keys
        self.title_keys: list[str] = []  # made while the workers parse the next ranges
        self.seen: set[str] = set()
        self.positions: dict[str, int] | None = None  # made at the first id read twice
        self.problems = _Problems(file)  # capped as one reader caps them
        self.lines = 0  # lines of the file before the next range
        self.entries = 0

    def add(self, part: object) -> None:
        """Append one range's papers and problems (as :func:`_parse_range` wrote them)."""
        assert isinstance(part, tuple)
        count, entries, lists, line_bytes, span_bytes, extra, problems, (dropped, first) = part
        base, file, columns = self.lines, self.file, self.columns
        self.lines += count
        self.entries += entries
        lines = array("I")
        lines.frombytes(line_bytes)
        spans = LineSpans.from_bytes(*span_bytes)
        ids = lists[0]
        positions = self.positions
        if positions is None:  # one pass over a set while no id repeats (the common case)
            before = len(self.seen)
            self.seen.update(ids)
            if len(self.seen) - before != len(ids):
                positions = self.positions = {key: n for n, key in enumerate(columns.ids)}
                self.seen = set()
        repeats = (  # lines of papers seen before: one process warns of nothing there
            set()
            if positions is None
            else {lines[n] for n, paper_id in enumerate(ids) if paper_id in positions}
        )
        for line, reason, severity in problems:
            if line not in repeats or severity != Severity.WARNING.value:
                self.problems.add(None if line is None else line + base, reason, Severity(severity))
        # The range's errors past the cap come after every one it sent: after all of these.
        self.problems.drop_errors(dropped, None if first is None else first + base)
        offset = len(columns)
        if not repeats:
            if positions is not None:
                positions.update(zip(ids, range(offset, offset + len(ids)), strict=True))
            for name, values in zip(SENT, lists, strict=True):
                getattr(columns, name).extend(values)
            self.title_keys.extend(self.search_keys(lists[_TITLES]))
            columns.lines.extend(array("I", [line + base for line in lines]))
            self.spans.extend(spans)
            for position, more in extra:
                columns.extra_sources[position + offset] = [(file, n + base) for n in more]
            return
        assert positions is not None
        merged = dict(extra)  # an id of this range seen in an earlier one: row by row
        for index, paper_id in enumerate(ids):
            sources = [(file, n + base) for n in merged.get(index, ())]
            known = positions.get(paper_id)
            if known is not None:
                self.columns.extra_sources.setdefault(known, []).extend(
                    [(file, lines[index] + base), *sources]
                )
                continue
            positions[paper_id] = len(columns)
            if sources:
                columns.extra_sources[len(columns)] = sources
            for name, values in zip(SENT, lists, strict=True):
                getattr(columns, name).append(values[index])
            self.title_keys.append(self.search_key(lists[_TITLES][index]))
            columns.lines.append(lines[index] + base)
            self.spans.add(spans.starts[index], spans.starts[index] + spans.lengths[index])

    def stopped(self, failure: OSError) -> None:
        """Reading a range failed: keep what came before, say where reading stopped."""
        reason = f"stopped reading after line {self.lines:,}: {snapshot.read_failure(failure)}"
        self.problems.add(None, reason)

    def result(self, complete: bool = True) -> ReadResult:
        """Everything put together (``complete=False``: reading was cancelled)."""
        reader = LineReader(self.file)  # for its problem list's summary and the empty case
        self.columns.abstracts = LineAbstracts(os.dup(self.fd), self.spans, snapshot.line_abstract)
        self.columns.title_keys = self.title_keys
        reader.builder.columns = self.columns
        reader.problems = self.problems
        reader.entries = self.entries
        return reader.result(complete)
