"""Big corpora: load time, time until searchable, memory per paper, first frame of the app.

Works on an arXiv-snapshot-format JSON Lines file of N generated papers (written once by
:mod:`benchmarks.make_snapshot` into the work directory). Every figure comes from a fresh
process, so caches, memory and imports do not leak between measurements:

* ``jsonl``: parse the file (no cache yet; this process and worker processes on every core),
  build the search index; then write the cache; ``jsonl (one process)`` does the same without
  worker processes, ``jsonl (one, orjson only)`` also without msgspec's decoder of snapshot
  records (every line a dict from orjson), ``jsonl (json module)`` with the standard
  library's parser instead. CPU is the busy time of the whole machine until searchable
  (``/proc/stat``), in brackets the part that is not this process: the workers, which come
  from a fork server and are not its children (so run it on an otherwise idle machine);
* ``--skip-json``, ``--skip-one``, ``--skip-memory``, ``--skip-app`` leave runs out, and
  ``--quick`` the first search and the abstract keys (minutes on a busy machine);
* ``cache``: load from the cache (big corpora keep abstracts on disk), build the index;
  ``cache, all in memory``: the same with every abstract loaded;
* memory: RSS growth (``/proc/self/status``) and ``tracemalloc`` per paper after loading
  from the cache and building the index, then after building every abstract search key;
* ``app``: the real app, headless at 120x40, on the file (first with the cache written by
  the runs above, then without): process start to the first frame, to the first progress
  report, to the papers listed, and to the index built (searchable); with
  ``--first-search QUERY``, then the time from pasting QUERY into the search bar to its
  complete result (the first search that reaches the abstracts builds their keys).

RSS is the growth of the process's resident memory; "anon" leaves out the pages of the
mapped cache file (the page cache's, reclaimable), which count in RSS once read.

Times are wall clock; "searchable" is from the start of loading (after imports) to the
index being built. Run from the repository root::

    python -m benchmarks.bench_load [--papers 1000000] [--workdir /tmp/paperview-bench]
"""

from __future__ import annotations

import argparse
import json
import os
import shutil
import subprocess
import sys
import tempfile
import time
from pathlib import Path
from typing import Any

from benchmarks.bench_startup import child_environment

ROOT = Path(__file__).resolve().parent.parent

CHILD = r"""
import gc, json, os, resource, sys, time, tracemalloc
from pathlib import Path
mode, path, cache_dir = sys.argv[1], Path(sys.argv[2]), Path(sys.argv[3])
quick = sys.argv[4] == "quick"

def rss(field="VmRSS:"):
    with open("/proc/self/status") as status:
        for line in status:
            if line.startswith(field):
                return int(line.split()[1]) * 1024
    return 0

from tui.data import snapshot
from tui.data.cache import CorpusCache
from tui.data.corpus import load_corpus
from tui.data.search import SearchIndex
if mode in ("jsonl-json", "jsonl-orjson"):
    snapshot._decode_record = None
if mode == "jsonl-json":
    snapshot._loads = json.loads
if mode in ("jsonl-one", "jsonl-orjson"):
    from tui.data import jsonl_workers
    jsonl_workers.worker_count = lambda: 1
lazy_above = 10**12 if mode in ("cache-eager", "memory-eager") else 0
cache = CorpusCache(cache_dir, lazy_above=lazy_above, defer=True)
traced = mode.startswith("memory")
gc.collect()
before, before_anon = rss(), rss("RssAnon:")
if traced:
    tracemalloc.start()
def cpu(who):
    usage = resource.getrusage(who)
    return usage.ru_utime + usage.ru_stime
def machine_cpu():
    # the workers are the fork server's children, not ours: count the whole machine's busy
    # time (user, nice, system, irq, softirq) instead; the rest of it is theirs when the
    # machine is otherwise idle
    try:
        fields = [int(v) for v in Path("/proc/stat").read_text().split("\n", 1)[0].split()[1:]]
    except (OSError, ValueError):
        return float("nan")
    return sum(fields[i] for i in (0, 1, 2, 5, 6)) / os.sysconf("SC_CLK_TCK")
cpu_before = cpu(resource.RUSAGE_SELF), machine_cpu()
start = time.perf_counter()
corpus = load_corpus([path], cache=cache)
loaded = time.perf_counter()
index = SearchIndex(corpus.papers)
indexed = time.perf_counter()
out = {"papers": len(corpus.papers), "load": loaded - start, "index": indexed - loaded}
out["cpu"] = cpu(resource.RUSAGE_SELF) - cpu_before[0]
out["cpu_workers"] = machine_cpu() - cpu_before[1] - out["cpu"]
if traced:
    gc.collect()
    out["traced"] = tracemalloc.get_traced_memory()[0]
    index.warm()
    gc.collect()
    out["traced_warm"] = tracemalloc.get_traced_memory()[0]
    tracemalloc.stop()
else:
    gc.collect()
    out["rss"] = rss() - before
    out["anon"] = rss("RssAnon:") - before_anon
    out["search"] = out["warm"] = float("nan")
    if not quick:
        search = time.perf_counter()
        out["hits"] = index.search("graph neural").total
        out["search"] = time.perf_counter() - search
        warm = time.perf_counter()
        index.warm()
        out["warm"] = time.perf_counter() - warm
        gc.collect()
    out["rss_warm"] = rss() - before
    out["anon_warm"] = rss("RssAnon:") - before_anon
    save = time.perf_counter()
    out["cache_written"] = cache.flush()
    out["save"] = time.perf_counter() - save
out["peak_rss"] = resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024
print(json.dumps(out), flush=True)
"""

APP = r"""
import os, sys, time
from pathlib import Path
started = float(sys.argv[2])
query = sys.argv[3]
from tui.app import PaperviewApp
marks = {}
def mark(name):
    marks.setdefault(name, time.monotonic() - started)
class Bench(PaperviewApp):
    searched = 0.0
    def on_ready(self) -> None:
        mark("first frame")
        self.set_interval(0.02, self.poll)
    def poll(self) -> None:
        screen = self.screen
        if getattr(screen, "activity", ""):
            mark("progress shown")
        if getattr(screen, "corpus", None) is not None:
            mark("papers listed")
        if getattr(screen, "index", None) is None:
            return
        mark("searchable")
        if query and not self.searched:
            self.searched = time.monotonic()
            screen.query_one("#search").value = query  # as if pasted
            return
        result = getattr(screen, "result", None)
        if query and not (result is not None and result.query == query and result.complete):
            return
        if query:
            marks[f"then {query!r} complete after"] = time.monotonic() - self.searched
        print(__import__("json").dumps(marks), flush=True)
        os._exit(0)
Bench([Path(sys.argv[1])]).run(headless=True, size=(120, 40))
"""


APP_TIMEOUT = 600
"""Seconds an app run may take (a search that never completes would hang the benchmark)."""

_ENV = {**os.environ, "PYTHONPATH": str(ROOT)}
"""The children's environment (:func:`main` adds a bytecode cache, as an installed program
has: compiling paperview's modules at each start added about 15 ms to the first frame)."""


def child(mode: str, path: Path, cache_dir: Path, quick: bool = False) -> dict[str, Any]:
    """Run one measurement in a fresh interpreter; its JSON result."""
    done = subprocess.run(
        [sys.executable, "-c", CHILD, mode, str(path), str(cache_dir), "quick" * quick],
        capture_output=True,
        text=True,
        check=True,
        cwd=ROOT,
        env=_ENV,
    )
    result: dict[str, Any] = json.loads(done.stdout.splitlines()[-1])
    return result


def app(path: Path, cache_dir: Path, query: str = "") -> dict[str, float]:
    """Seconds from process start to the first frame, progress, list and index; with a
    ``query``, then the seconds from pasting it into the search bar to its complete result."""
    started = time.monotonic()
    done = subprocess.run(
        [sys.executable, "-c", APP, str(path), repr(started), query],
        capture_output=True,
        text=True,
        check=True,
        timeout=APP_TIMEOUT,
        cwd=ROOT,
        env={**_ENV, "PAPERVIEW_CACHE_DIR": str(cache_dir)},
    )
    marks: dict[str, float] = json.loads(done.stdout.strip().splitlines()[-1])
    return marks


def mib(value: float) -> str:
    return f"{value / 2**20:8,.0f} MiB"


def main(argv: list[str] | None = None) -> int:
    """Generate the file if needed, run every measurement, print the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_load")
    parser.add_argument("--papers", type=int, default=1_000_000)
    parser.add_argument("--workdir", type=Path, default=Path("/tmp/paperview-bench"))
    parser.add_argument(
        "--skip-json", action="store_true", help="skip the orjson-only and json-module runs"
    )
    parser.add_argument("--skip-one", action="store_true", help="skip the one-process run")
    parser.add_argument("--skip-app", action="store_true", help="skip the app runs")
    parser.add_argument(
        "--quick", action="store_true", help="no first search nor abstract keys (minutes each)"
    )
    parser.add_argument(
        "--skip-memory", action="store_true", help="skip the tracemalloc runs (minutes)"
    )
    parser.add_argument(
        "--first-search",
        metavar="QUERY",
        default="",
        help="in the app runs, paste QUERY as soon as searchable and time its complete result",
    )
    args = parser.parse_args(argv)
    args.workdir.mkdir(parents=True, exist_ok=True)
    with tempfile.TemporaryDirectory(prefix="paperview-pycache-") as pycache:
        _ENV.clear()
        _ENV.update(child_environment(pycache))
        subprocess.run(  # compile once, as installing does
            [sys.executable, "-c", "import tui.app, tui.cli, tui.data.jsonl_workers"],
            check=True,
            cwd=ROOT,
            env=_ENV,
        )
        return _measure(args)


def _measure(args: argparse.Namespace) -> int:
    path = args.workdir / f"arxiv-{args.papers}.jsonl"
    if not path.exists():
        from benchmarks.make_snapshot import write_snapshot

        print(f"writing {path} ...", flush=True)
        write_snapshot(path, args.papers)
    n = args.papers
    size = path.stat().st_size
    print(f"{path}: {n:,} papers, {size / 2**20:,.0f} MiB; load average {os.getloadavg()[0]:.2f}")
    cache_dir = args.workdir / "cache"
    for old in cache_dir.glob("*"):
        old.unlink()

    rows: list[tuple[str, dict[str, Any]]] = []
    parsed = child("jsonl", path, cache_dir, args.quick)
    rows.append(("jsonl (workers)", parsed))
    scratch = args.workdir / "scratch-cache"  # its own cache, thrown away
    if not args.skip_one:
        rows.append(("jsonl (one process)", child("jsonl-one", path, scratch, args.quick)))
        shutil.rmtree(scratch, ignore_errors=True)
    if not args.skip_json:
        rows.append(("jsonl (one, orjson only)", child("jsonl-orjson", path, scratch, args.quick)))
        shutil.rmtree(scratch, ignore_errors=True)
        rows.append(("jsonl (json module)", child("jsonl-json", path, scratch, args.quick)))
        shutil.rmtree(scratch, ignore_errors=True)
    rows.append(("cache (abstracts on disk)", child("cache", path, cache_dir, args.quick)))
    rows.append(("cache (all in memory)", child("cache-eager", path, cache_dir, args.quick)))
    print(
        f"\n{'load path':<27}{'load':>8}{'index':>8}{'searchable':>11}{'CPU (workers)':>17}"
        f"{'1st search':>11}{'RSS (anon)/paper':>19}{'+ abstract keys':>19}"
    )
    for name, row in rows:
        print(
            f"{name:<27}{row['load']:7.2f}s{row['index']:7.2f}s{row['load'] + row['index']:10.2f}s"
            f"{row['cpu'] + row['cpu_workers']:8.1f}s ({row['cpu_workers']:5.1f}s)"
            f"{row['search']:10.2f}s{row['rss'] / n:10,.0f} ({row['anon'] / n:5,.0f}) B"
            f"{row['rss_warm'] / n:10,.0f} ({row['anon_warm'] / n:5,.0f}) B"
        )
    print(
        f"cache written after the first parse in {parsed['save']:.2f}s "
        f"({sum(p.stat().st_size for p in cache_dir.glob('*.pvcache')) / 2**20:,.0f} MiB); "
        f"building every abstract key (index.warm) {rows[-1][1]['warm']:.2f}s; "
        f"peak RSS of that run (parse, index, keys, cache) {mib(parsed['peak_rss'])}"
    )

    modes = (("memory", "abstracts on disk"), ("memory-eager", "all in memory"))
    if not args.skip_memory:
        print("\nmemory per paper after load + index (tracemalloc | RSS anon), with abstract keys")
    for mode, label in () if args.skip_memory else modes:
        traced = child(mode, path, cache_dir)
        rss = next(row for name, row in rows if label in name)
        print(
            f"  {label:<20} {traced['traced'] / n:7,.0f} B | {rss['anon'] / n:6,.0f} B    "
            f"+ abstract keys: {traced['traced_warm'] / n:7,.0f} B | {rss['anon_warm'] / n:6,.0f} B"
        )

    if not args.skip_app:
        print("\nthe app, headless 120x40, process start ->")
        for label in ("reopen (cache)", "first open (parse)"):
            if label.startswith("first"):
                for old in cache_dir.glob("*"):
                    old.unlink()
            marks = app(path, cache_dir, args.first_search)
            shown = "  ".join(f"{name} {seconds:.2f}s" for name, seconds in marks.items())
            print(f"  {label:<18} {shown}")
    print(f"\nload average now {os.getloadavg()[0]:.2f} (2 cores)")
    return 0


if __name__ == "__main__":
    sys.exit(main())
