"""Search speed while typing, at several corpus sizes, against ``fzf --filter``.

For each size (default 1k, 100k and 1M generated papers, see :mod:`benchmarks.corpus`):

1. builds the :class:`~tui.data.search.SearchIndex` and warms it (abstract keys, then typo
   word list and word index in a worker thread with the garbage collector off, as the
   reader does, with the longest stall of the main thread, see 3.), printing the times and
   the memory per paper (resident set growth; every size runs in a fresh process, so memory
   freed by a smaller size does not hide a bigger one's);
2. types each benchmark query one character at a time and times every keystroke:
   ``first`` = until the first (ranked) result of ``search_stages``, ``complete`` = until
   the last (abstract and typo matches included); each keystroke runs to completion, as
   if typed slowly (in the reader a new keystroke cancels the unfinished stages); then
   times each whole query searched at once with nothing cached (pasted, or typed fast);
3. types the queries again (nothing cached) in a worker thread while the main thread ticks
   every 1 ms, three times, and prints the longest gap of each run: how long the search
   held the interpreter lock; next to it the same for a plain Python loop running as long,
   the floor on this machine (the 5 ms switch interval plus the wait for a free CPU);
4. runs ``fzf --filter PREFIX`` on the same corpus for every keystroke and prints the
   ratios of the medians and 95th percentiles. fzf gets the titles, one per line (the way
   people use it on a listing); ``--fzf-abstracts`` gives it ``title<TAB>abstract`` lines
   instead, as paperview searches both, but fzf then needs seconds per call from 100k
   papers (9.3 s median measured at 100k), so that is only practical for small sizes.
   fzf is compiled and multi-threaded but starts afresh and reads the corpus on every
   call, which its times include. Skipped (with a note) when fzf is not installed.

The process calls ``gc.freeze()`` once the corpus and index are built, as the reader
should: a full garbage collection over a million papers pauses everything for ~0.2 s and
has nothing to do with search. Figures are medians and 95th percentiles over all
keystrokes of all queries. Run from the repository root::

    python -m benchmarks.bench_search                       # 1k, 100k, 1M (minutes)
    python -m benchmarks.bench_search --sizes 1000,100000   # quicker
"""

from __future__ import annotations

import argparse
import gc
import os
import re
import shutil
import statistics
import subprocess
import sys
import tempfile
import threading
import time
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path

from benchmarks.corpus import generate_table
from tui.data.search import SearchIndex
from tui.data.search.table import PaperTable

QUERIES = (
    "large language models",
    "linear attention",
    "in-context learning",
    "catastrofic forgeting",
    "{acronym}",
)
"""Typed one character at a time; ``{acronym}`` is an acronym found only in one paper's
abstract (lower-cased), picked from the generated corpus."""


@dataclass
class Timings:
    """Per-keystroke timings of one run of typing."""

    first: list[float] = field(default_factory=list)
    complete: list[float] = field(default_factory=list)
    fzf: list[float] = field(default_factory=list)


def percentile(values: Sequence[float], fraction: float) -> float:
    """The ``fraction`` quantile (nearest rank)."""
    ordered = sorted(values)
    return ordered[min(len(ordered) - 1, max(0, round(fraction * (len(ordered) - 1))))]


def resident_bytes() -> int:
    """Current resident set size (Linux), else the peak."""
    try:
        pages = int(Path("/proc/self/statm").read_text().split()[1])
        return pages * os.sysconf("SC_PAGE_SIZE")
    except (OSError, ValueError, IndexError):
        import resource

        return resource.getrusage(resource.RUSAGE_SELF).ru_maxrss * 1024


def pick_acronym(table: PaperTable) -> str:
    """An upper-case acronym from an abstract, not in that paper's title, lower-cased."""
    middle = len(table) // 2
    for position in [*range(middle, len(table)), *range(middle)]:
        title = table.titles[position]
        for word in re.findall(r"\b[A-Z]{4,5}\b", table.abstracts[position]):
            if word not in title:
                return str(word).lower()
    return "transformer"


def type_queries(index: SearchIndex, queries: Sequence[str], timings: Timings) -> None:
    """Type every query one character at a time, timing each keystroke."""
    clock = time.perf_counter
    for query in queries:
        for end in range(1, len(query) + 1):
            start = clock()
            stages = index.search_stages(query[:end])
            next(stages)
            timings.first.append((clock() - start) * 1000)
            for _ in stages:
                pass
            timings.complete.append((clock() - start) * 1000)


def longest_stall(work: Callable[[], object]) -> tuple[float, float]:
    """Run ``work`` in a thread while this one ticks every 1 ms: (duration, longest gap) ms.

    The gap includes the interpreter's 5 ms switch interval and the time the operating
    system leaves either thread waiting for a CPU (see :func:`busy_loop`).
    """
    done = threading.Event()

    def run() -> None:
        work()
        done.set()

    worker = threading.Thread(target=run)
    gaps: list[float] = []
    start = last = time.perf_counter()
    worker.start()
    while not done.is_set():
        time.sleep(0.001)
        now = time.perf_counter()
        gaps.append(now - last)
        last = now
    worker.join()
    return (time.perf_counter() - start) * 1000, max(gaps, default=0.0) * 1000


def busy_loop(milliseconds: float) -> Callable[[], None]:
    """Plain Python work lasting about ``milliseconds``: the stall baseline on this machine."""

    def work() -> None:
        deadline = time.perf_counter() + milliseconds / 1000
        total = 0
        while time.perf_counter() < deadline:
            for number in range(1000):
                total += number

    return work


def fzf_times(
    fzf: str, table: PaperTable, queries: Sequence[str], timings: Timings, abstracts: bool
) -> None:
    """Time ``fzf --filter`` for every prefix of every query on the same corpus."""
    with tempfile.TemporaryDirectory() as folder:
        path = Path(folder) / "corpus.tsv"
        with path.open("w", encoding="utf-8") as out:
            for title, abstract in zip(table.titles, table.abstracts, strict=True):
                out.write(f"{title}\t{abstract}\n" if abstracts else f"{title}\n")
        command = [fzf, "--filter", "", "--delimiter", "\t", "--nth", "1.."]
        for query in queries:
            for end in range(1, len(query) + 1):
                command[2] = query[:end]
                with path.open("rb") as source:
                    start = time.perf_counter()
                    subprocess.run(command, stdin=source, stdout=subprocess.DEVNULL, check=False)
                    timings.fzf.append((time.perf_counter() - start) * 1000)


def summary(values: Sequence[float]) -> str:
    """``median / p95 / max`` in ms."""
    if not values:
        return "-"
    return (
        f"{statistics.median(values):7.1f} / {percentile(values, 0.95):7.1f} / {max(values):7.1f}"
    )


def bench_size(
    size: int, seed: int, fzf: str | None, fzf_abstracts: bool = False, asked: bool = True
) -> None:
    """Build, type, measure and print the figures for one corpus size."""
    generate_table(1, seed)  # load the generator's model of the seeds outside the measure
    gc.collect()
    before = resident_bytes()
    start = time.perf_counter()
    table = generate_table(size, seed)
    generated = time.perf_counter() - start
    gc.collect()
    with_corpus = resident_bytes()
    start = time.perf_counter()
    index = SearchIndex(table)
    built = time.perf_counter() - start
    start = time.perf_counter()
    index.columns.warm()
    keyed = time.perf_counter() - start
    gc.collect()
    with_keys = resident_bytes()
    gc.disable()  # as the reader does while it loads and warms: no collections meanwhile
    warmed, warm_stall = longest_stall(index.warm)  # in a thread, as the reader does
    warmed /= 1000
    gc.enable()
    gc.collect()
    with_index = resident_bytes()
    gc.freeze()
    print(
        f"\nN={size:,}  generated in {generated:.1f} s; index built in {built * 1000:.0f} ms, "
        f"warmed in {(keyed + warmed) * 1000:.0f} ms (abstract keys {keyed * 1000:.0f} ms, "
        f"then typo word list and word index {warmed * 1000:.0f} ms, in a thread: longest "
        f"main-thread stall {warm_stall:.1f} ms)"
    )
    print(
        f"  memory (resident set growth): corpus {(with_corpus - before) / size:,.0f} B/paper, "
        f"index {(with_index - with_corpus) / size:,.0f} B/paper (of which typo word list "
        f"and word index {(with_index - with_keys) / size:,.0f} B/paper)"
    )
    queries = [q.replace("{acronym}", pick_acronym(table)) for q in QUERIES]
    print(f"  queries: {', '.join(repr(q) for q in queries)}")
    per_query: list[tuple[str, Timings]] = []
    overall = Timings()
    for query in queries:
        timings = Timings()
        type_queries(index, [query], timings)
        per_query.append((query, timings))
        overall.first += timings.first
        overall.complete += timings.complete
    print(
        f"  {'per keystroke, ms':28s} {'first: median / p95 / max':>27s}   "
        f"{'complete: median / p95 / max':>30s}"
    )
    for query, timings in per_query:
        print(f"  {query!r:28s} {summary(timings.first):>27s}   {summary(timings.complete):>30s}")
    print(
        f"  {'all ' + str(len(overall.first)) + ' keystrokes':28s} "
        f"{summary(overall.first):>27s}   {summary(overall.complete):>30s}"
    )
    cold = []
    for query in queries:
        index.clear_cache()
        start = time.perf_counter()
        index.search(query)
        cold.append(f"{query!r} {(time.perf_counter() - start) * 1000:.0f}")
    print(f"  whole query at once, nothing cached, complete (ms): {', '.join(cold)}")
    stalls, baseline = [], []
    for _ in range(3):
        index.clear_cache()  # the same work again, from nothing cached
        duration, stall = longest_stall(partial(type_queries, index, queries, Timings()))
        stalls.append(stall)
        baseline.append(longest_stall(busy_loop(duration))[1])
    print(
        f"  interpreter lock: typing all queries in a thread ({duration:.0f} ms), longest "
        f"main-thread stall per run: {', '.join(f'{s:.1f}' for s in stalls)} ms; "
        f"a plain Python loop as long: {', '.join(f'{s:.1f}' for s in baseline)} ms"
    )
    if fzf is None:
        print("  fzf: " + ("not installed, comparison skipped" if asked else "not used"))
    else:
        fzf_times(fzf, table, queries, overall, fzf_abstracts)
        first_ratio = statistics.median(overall.first) / statistics.median(overall.fzf)
        complete_ratio = statistics.median(overall.complete) / statistics.median(overall.fzf)
        p95_ratio = percentile(overall.first, 0.95) / percentile(overall.fzf, 0.95)
        what = "titles and abstracts" if fzf_abstracts else "titles"
        print(
            f"  fzf --filter on the {what}, per keystroke (median / p95 / max): "
            f"{summary(overall.fzf)}"
        )
        print(
            f"  ratio paperview/fzf: first median {first_ratio:.2f}, first p95 {p95_ratio:.2f}, "
            f"complete median {complete_ratio:.2f}  (below 1 = paperview faster)"
        )
    gc.unfreeze()


def main(argv: Sequence[str] | None = None) -> int:
    """Run the benchmark and print the figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_search")
    parser.add_argument("--sizes", default="1000,100000,1000000", help="comma-separated")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--no-fzf", action="store_true", help="skip the fzf comparison")
    parser.add_argument(
        "--fzf-abstracts", action="store_true", help="give fzf titles and abstracts (slow)"
    )
    parser.add_argument("--child", action="store_true", help=argparse.SUPPRESS)
    args = parser.parse_args(argv)
    sizes = [int(text) for text in args.sizes.split(",")]
    if args.child:
        fzf = None if args.no_fzf else shutil.which("fzf")
        bench_size(sizes[0], args.seed, fzf, args.fzf_abstracts, asked=not args.no_fzf)
        return 0
    fzf = None if args.no_fzf else shutil.which("fzf")
    print(
        f"search benchmark: python {sys.version.split()[0]}, {os.cpu_count()} CPUs, "
        f"fzf {'at ' + fzf if fzf else 'not used'}"
    )
    for size in sizes:  # each in a fresh process
        command = [sys.executable, "-m", "benchmarks.bench_search", "--child"]
        command += ["--sizes", str(size), "--seed", str(args.seed)]
        command += ["--no-fzf"] * args.no_fzf + ["--fzf-abstracts"] * args.fzf_abstracts
        subprocess.run(command, check=False)
    return 0


if __name__ == "__main__":
    sys.exit(main())
