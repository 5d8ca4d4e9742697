"""Reading a big JSON Lines file in worker processes gives exactly what one process reads:
the same papers in the same order, duplicates merged across ranges, problems with their
line numbers, progress and cancellation."""

from __future__ import annotations

import errno
import json
import multiprocessing
import os
import signal
import subprocess
import sys
import tempfile
from pathlib import Path
from typing import Any

import pytest

from tui.data import jsonl_workers, snapshot
from tui.data.cache import CorpusCache, Fingerprint
from tui.data.search.keys import search_key
from tui.data.snapshot import ReadResult, read_jsonl

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers open the file through /proc: Linux only"
)


def tricky_lines(copies: int) -> list[str]:
    """Records that exercise every cleaning step and every kind of bad line, ``copies``
    times over (ids repeat across copies, so later copies are duplicates)."""
    lines: list[str] = []
    for copy in range(copies):
        for n in range(12):
            number = copy * 7 + n  # overlapping ids: some repeat in later copies
            lines.append(
                json.dumps(
                    {
                        "id": f"2401.{number:05d}v{copy + 1}",
                        "title": f'T{n} Sch\\"odinger\n  wrapped \x1b[31mred\u202e {copy}',
                        "abstract": f"  First\nline \\'e \x7f.\n  Second\tpara \x85{n}.\n",
                        "authors": 'A. M{\\"u}ller, B. \u00c7elik and C. Kim (MIT)',
                        "authors_parsed": [["M\u00fcller", "A."], ["Celik", "B."], ["Kim", "C."]],
                        "categories": "cs.LG stat.ML" if n % 2 else ["hep-th", "\u202ehep-ph"],
                        "versions": [{"created": f"Mon, {n + 1} Apr 2007 19:18:42 GMT"}]
                        if n != 5
                        else [],
                        "update_date": "2023-02-30" if n == 5 else "2008-11-13",
                    },
                    ensure_ascii=n % 3 == 0,
                )
            )
        lines.append('{"title": "cut off')  # not JSON
        lines.append('{"id": "2401.99999", "abstract": "no title"}')
        lines.append("")  # blank
        lines.append('["not", "an", "object"]')
        lines.append(json.dumps({"title": f"No arXiv id {copy % 2}", "abstract": "same title"}))
        lines.append(json.dumps({"title": "crlf line", "id": f"hep-th/{copy:07d}"}) + "\r")
        # the same paper in every copy, with a bad date: one process warns of the first only
        lines.append(
            json.dumps({"id": "2402.00001", "title": "Again", "update_date": "2020-13-01"})
        )
    return lines


def write(path: Path, lines: list[str], *, bom: bool = True, last_break: bool = False) -> Path:
    text = "\n".join(lines) + ("\n" if last_break else "")
    path.write_bytes((b"\xef\xbb\xbf" if bom else b"") + text.encode("utf-8"))
    return path


def read(path: Path, **options: Any) -> ReadResult:
    with path.open("rb") as handle:
        return read_jsonl(handle, str(path), total=path.stat().st_size, **options)


def in_one_process(path: Path, monkeypatch: pytest.MonkeyPatch) -> ReadResult:
    with monkeypatch.context() as patch:
        patch.setattr(jsonl_workers, "worker_count", lambda: 1)
        return read(path)


def assert_same(result: ReadResult, expected: ReadResult) -> None:
    for name in expected.columns.LISTS:
        assert list(getattr(result.columns, name)) == list(getattr(expected.columns, name)), name
    assert result.columns.lines == expected.columns.lines
    assert result.columns.extra_sources == expected.columns.extra_sources
    assert (result.columns.files, result.columns.starts) == (
        expected.columns.files,
        expected.columns.starts,
    )
    assert result.problems == expected.problems
    assert (result.entries, result.kind, result.complete) == (
        expected.entries,
        expected.kind,
        expected.complete,
    )


@pytest.mark.usefixtures("split")
@pytest.mark.parametrize("last_break", [True, False])
def test_workers_read_exactly_what_one_process_reads(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, last_break: bool
) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(6), last_break=last_break)
    expected = in_one_process(path, monkeypatch)
    assert len(expected.columns) > 20 and expected.columns.extra_sources
    assert {p.reason.split(" (")[0] for p in expected.problems} >= {
        "not valid JSON",
        "record has no title; skipped",
        "not a JSON object; skipped",
        "bad date 2023-02-30; date left out",
    }
    assert [p.line for p in expected.problems if "2020-13-01" in p.reason] == [19]
    result = read(path)
    assert_same(result, expected)
    assert "\x1b" not in "".join(result.columns.titles)
    # the titles' search keys were made while the workers parsed: the index uses them
    assert result.columns.title_keys == [search_key(title) for title in expected.columns.titles]


@pytest.mark.usefixtures("split")
@pytest.mark.parametrize("cap", [2, 7])
def test_the_cap_on_listed_problems_counts_across_ranges(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, cap: int
) -> None:
    # cap 2: ranges leave errors out themselves; 7: the merge leaves them out
    monkeypatch.setattr(snapshot, "MAX_PROBLEMS", cap)
    path = write(tmp_path / "a.jsonl", tricky_lines(8), bom=False)
    expected = in_one_process(path, monkeypatch)
    result = read(path)
    assert_same(result, expected)
    errors, warnings = result.problems[-2:]
    assert errors.severity.value == "error" and errors.reason.endswith(
        "more error(s) not listed, from this line on"
    )
    assert warnings.severity.value == "warning" and warnings.line is None
    assert warnings.reason.endswith("more warning(s) not listed")
    monkeypatch.setattr(snapshot, "MAX_PROBLEMS", 1000)
    every = in_one_process(path, monkeypatch).problems
    for summary in (errors, warnings):  # each counts what it stands for
        kind = [p for p in every[cap:] if p.severity is summary.severity]
        assert summary.reason.startswith(f"{len(kind)} more ")
    assert errors.line == next(p.line for p in every[cap:] if p.severity is errors.severity)


@pytest.mark.usefixtures("split")
def test_progress_rises_to_the_file_size_and_cancelling_stops_early(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(6))
    size = path.stat().st_size
    seen: list[int] = []
    result = read(path, progress=lambda done, total: seen.append(done))
    assert len(seen) > 5 and seen == sorted(seen) and seen[-1] == size
    stopped = read(path, progress=lambda done, total: seen.append(done), cancelled=lambda: True)
    assert not stopped.complete
    # how much was read before the first check depends on how fast the workers start
    assert len(stopped.columns) < len(result.columns)


@pytest.mark.usefixtures("split")
def test_a_paperview_export_on_the_first_line_is_read_as_a_document(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    header = {"format": "paperview-export", "version": 1, "papers": [{"title": "Kept"}]}
    path = write(tmp_path / "a.jsonl", [json.dumps(header), *tricky_lines(3)])
    expected = in_one_process(path, monkeypatch)
    result = read(path)
    assert_same(result, expected)
    assert result.kind == "json" and result.columns.titles == ["Kept"]


def test_small_or_compressed_files_are_read_in_this_process(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(1))
    with path.open("rb") as handle:
        assert jsonl_workers.read_in_workers(handle, str(path)) is None


@pytest.mark.usefixtures("split")
def test_a_killed_worker_does_not_hang_loading_the_file_is_read_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(6))
    expected = in_one_process(path, monkeypatch)
    killed: list[int] = []

    def kill_the_workers(done: int, total: int) -> None:  # as the OOM killer would
        for child in multiprocessing.active_children():
            if child.pid is not None and not killed:
                os.kill(child.pid, signal.SIGKILL)
                killed.append(child.pid)

    assert_same(read(path, progress=kill_the_workers), expected)
    assert killed


@pytest.mark.usefixtures("split")
def test_no_room_for_the_workers_files_reads_the_file_in_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(6))
    expected = in_one_process(path, monkeypatch)

    def full(*args: object, **kwargs: object) -> str:
        raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(tempfile, "mkdtemp", full)
    assert_same(read(path), expected)


@pytest.mark.usefixtures("split")
def test_workers_that_cannot_start_leave_the_file_to_this_process(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(6))
    expected = in_one_process(path, monkeypatch)

    def no_fork(*args: object) -> None:
        raise OSError(errno.EAGAIN, "Resource temporarily unavailable")

    for kind in ("ForkProcess", "ForkServerProcess", "SpawnProcess"):
        monkeypatch.setattr(getattr(multiprocessing.context, kind), "_Popen", no_fork)
    assert_same(read(path), expected)


CAPTURED_STDERR = """
import sys
from pathlib import Path
from tui.data import jsonl_workers


class PrintCapture:  # what Textual puts in sys.stderr while the reader runs
    def write(self, text: str) -> int:
        return len(text)

    def flush(self) -> None:
        pass

    def fileno(self) -> int:
        return -1


jsonl_workers.SPLIT_FROM = 0
jsonl_workers.RANGE_BYTES = 1500
jsonl_workers.worker_count = lambda: 2
sys.stderr = PrintCapture()
with Path(sys.argv[1]).open("rb") as handle:
    result = jsonl_workers.read_in_workers(handle, sys.argv[1])
print("workers" if result is not None else "one process", len(result.columns) if result else 0)
"""


@pytest.mark.slow
def test_workers_start_inside_the_reader_whose_stderr_has_no_file_descriptor(
    tmp_path: Path,
) -> None:
    # Textual's print capture returns -1 from fileno(); multiprocessing's resource tracker
    # then failed to start ("bad value(s) in fds_to_keep") and the reader crashed.
    path = write(tmp_path / "a.jsonl", tricky_lines(6))
    done = subprocess.run(
        [sys.executable, "-c", CAPTURED_STDERR, str(path)],
        capture_output=True,
        text=True,
        timeout=120,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert done.stdout.split()[0] == "workers", done.stdout


def test_the_workers_module_imports_no_pydantic() -> None:
    """The fork server imports it before the first range: pydantic would cost 0.2 s."""
    code = "import sys, tui.data.jsonl_workers; print('pydantic' in sys.modules)"
    done = subprocess.run([sys.executable, "-c", code], capture_output=True, text=True, check=True)
    assert done.stdout.strip() == "False"


def test_parsing_starts_early_only_for_a_file_the_workers_will_parse(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    started: list[str] = []

    class Reading:  # stands in for the pool of workers
        def __init__(self, fd: int, *, owned: bool) -> None:
            started.append(str(Path(f"/proc/self/fd/{fd}").readlink()))
            os.close(fd)

        def submit(self) -> None:
            pass

        def close(self) -> None:
            pass

    monkeypatch.setattr(jsonl_workers, "_Reading", Reading)
    monkeypatch.setattr(jsonl_workers, "worker_count", lambda: 2)
    monkeypatch.setattr(jsonl_workers, "SPLIT_FROM", 100)
    small = write(tmp_path / "small.jsonl", ['{"title": "a"}'])
    packed = tmp_path / "big.jsonl.gz"
    packed.write_bytes(b"\x1f\x8b" + b"\0" * 200)
    text = tmp_path / "big.txt"
    text.write_text("Some Paper Title\n" * 20)
    fifo = tmp_path / "fifo"
    os.mkfifo(fifo)
    others = [small, packed, text, fifo, tmp_path, tmp_path / "missing"]
    jsonl_workers.start_early(others, None)
    assert not started
    big = write(tmp_path / "big.jsonl", tricky_lines(1))
    cache = CorpusCache(tmp_path / "cache")
    fingerprint = Fingerprint.of(big)
    assert fingerprint is not None
    cache.path_for(fingerprint).parent.mkdir()
    cache.path_for(fingerprint).write_bytes(b"a cache written after the file")
    jsonl_workers.start_early([small, big], cache)  # reopened: the cache is read instead
    assert not started
    jsonl_workers.start_early([small, big, big], None)
    jsonl_workers.drop_early()
    assert started == [str(big)]


@pytest.mark.usefixtures("split")
def test_a_reading_started_early_is_taken_over_with_the_same_result(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(6))
    expected = in_one_process(path, monkeypatch)
    jsonl_workers.start_early([path], None)
    early = jsonl_workers._early
    assert early is not None and early.waiting  # the first ranges are being parsed
    seen: list[int] = []
    assert_same(read(path, progress=lambda done, total: seen.append(done)), expected)
    assert jsonl_workers._early is None and not early.folder.exists()
    assert seen[-1] == path.stat().st_size
    descriptor = Path(f"/proc/self/fd/{early.fd}")  # its own one was closed (or is another file)
    assert not descriptor.exists() or descriptor.resolve() != path.resolve()


@pytest.mark.usefixtures("split")
def test_a_file_changed_after_the_early_start_is_read_as_it_is_now(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(3))
    jsonl_workers.start_early([path], None)
    early = jsonl_workers._early
    assert early is not None
    write(path, tricky_lines(6))  # rewritten in place: another size
    expected = in_one_process(path, monkeypatch)
    assert_same(read(path), expected)
    assert jsonl_workers._early is None and not early.folder.exists()


@pytest.mark.usefixtures("split")
def test_a_reading_started_early_waits_while_another_big_file_is_read_first(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    """As when a folder listed first holds a big file too: the early start is kept for the
    file it began, not closed when the folder's file is read."""
    (tmp_path / "folder").mkdir()
    first = write(tmp_path / "folder" / "first.jsonl", tricky_lines(3))
    later = write(tmp_path / "later.jsonl", tricky_lines(6))
    expected_first = in_one_process(first, monkeypatch)
    expected_later = in_one_process(later, monkeypatch)
    jsonl_workers.start_early([tmp_path / "folder", later], None)
    early = jsonl_workers._early
    assert early is not None
    assert_same(read(first), expected_first)
    assert jsonl_workers._early is early and early.folder.exists()
    assert_same(read(later), expected_later)
    assert jsonl_workers._early is None and not early.folder.exists()


@pytest.mark.usefixtures("split")
def test_a_reading_started_early_that_nobody_takes_is_dropped(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(3))
    jsonl_workers.start_early([path], None)
    early = jsonl_workers._early
    assert early is not None
    jsonl_workers.drop_early()
    assert jsonl_workers._early is None and not early.folder.exists()
    assert all(future.done() for future in early.waiting)
    jsonl_workers.drop_early()  # nothing left to drop


@pytest.mark.usefixtures("split")
def test_an_early_start_that_fails_leaves_nothing_behind(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.jsonl", tricky_lines(3))
    made: list[jsonl_workers._Reading] = []
    real_init = jsonl_workers._Reading.__init__

    def noted(reading: jsonl_workers._Reading, fd: int, *, owned: bool = False) -> None:
        real_init(reading, fd, owned=owned)
        made.append(reading)

    def dying(reading: jsonl_workers._Reading) -> None:
        raise EOFError("the fork server went away")

    monkeypatch.setattr(jsonl_workers._Reading, "__init__", noted)
    monkeypatch.setattr(jsonl_workers._Reading, "submit", dying)
    jsonl_workers.start_early([path], None)  # quietly: the reader tries again
    (reading,) = made
    assert jsonl_workers._early is None and not reading.folder.exists() and not reading.owned
