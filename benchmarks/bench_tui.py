"""Reader latency at 1k, 100k and 1M papers, in the real app running headless (``run_test``).

Prints, per corpus size:

* keystroke -> frame showing the new results: the time from a key press in the search bar
  (typing a query one character at a time, waiting for each result) to the end of the first
  frame that draws the list after the result was put in it; both for the first (progressive)
  result and for the complete one;
* cursor move and page scroll -> frame at 1M papers (the list action, then the next refresh);

The detail pane is drawn in the frame after the list's, and at most every 0.1 s while the
cursor moves or results stream in (it catches up 0.1 s after things rest), so back-to-back
keys measure the list.
* the longest event-loop stall while typing queries into 100k papers (a ticker on the event
  loop notes how late it wakes; a late wake-up is a frame the UI could not draw), and the UI
  thread's own work in each tick (its CPU time: what the reader did, without the time the
  machine gave to other processes or threads; maximum, p99 and p99.9 over the ticks);
* before any reader starts, the same ticker on an idle event loop for a few seconds: the
  machine's own lateness, below which no stall figure can go (on a shared virtual machine
  it wakes 10-25 ms late now and then with nothing running).

Measuring starts once the index has warmed up (its sort orders and typo word list, built in
the loading worker after the first results are on screen; the time is printed), or, with
``--during-warm-up``, as soon as the first results are on screen, as a user who starts
typing at once (the warm-up then competes with the searches). The corpus
is generated (``benchmarks.corpus.generate_table``) and handed to the reader in
place of the file loader, so the figures are the reader's, not the parser's. Headless means no
terminal drawing: add the terminal's own time (a few ms) for keystroke-to-photon.

Run from the repository root::

    python benchmarks/bench_tui.py [SIZES]      # e.g. 1000,100000,1000000 (the default)
    python benchmarks/bench_tui.py 100000 --why 14   # and what the UI did in stalls over 14 ms
    python benchmarks/bench_tui.py 1000000 --during-warm-up   # typing before the warm-up ends
"""

from __future__ import annotations

import argparse
import asyncio
import gc
import statistics
import sys
import threading
import time
import traceback
from collections import Counter
from collections.abc import Callable, Sequence
from dataclasses import dataclass, field
from functools import partial
from pathlib import Path
from typing import Any

from textual.pilot import Pilot
from textual.worker import WorkerCancelled

ROOT = Path(__file__).resolve().parent.parent
sys.path.insert(0, str(ROOT))

from benchmarks.corpus import generate_table  # noqa: E402
from tui.app import PaperviewApp  # noqa: E402
from tui.data import corpus as corpus_module  # noqa: E402
from tui.data.models import Corpus  # noqa: E402
from tui.screens.main import MainScreen  # noqa: E402
from tui.widgets.paper_list import PaperList  # noqa: E402

QUERIES = ("language model", "graph neural network", "diffusion transformers")
"""Typed one character at a time; common words first, so early keys match many papers."""

SIZE = (120, 40)
FLOOR_SECONDS = 10.0
"""How long the idle event loop is watched for the machine's own lateness."""
STACK_DEPTH = 7
"""Innermost frames of the UI thread shown for a stall (``--why``)."""
WHY_OVER: float | None = None
"""``--why MS``: print what the UI thread did during each stall over MS ms."""
DURING_WARM_UP = False
"""``--during-warm-up``: type from the first results on, not once the index has warmed up."""


@dataclass
class Probe:
    """Notes when a result reaches the screen: the end of the first frame that draws the
    list after ``PaperList.show`` (``PaperList.call_after_drawn``, a millisecond late at most)."""

    frames: list[tuple[float, str, bool]] = field(default_factory=list)

    def install(self) -> None:
        show = PaperList.show
        frames = self.frames

        def probed(
            widget: PaperList, papers: Sequence[Any], rows: Sequence[int], **kw: Any
        ) -> None:
            show(widget, papers, rows, **kw)
            screen = widget.screen
            if isinstance(screen, MainScreen) and screen.result is not None:
                query, complete = screen.result.query, screen.result.complete
                # after the frame that draws the list (which may draw its new rows first)
                widget.call_after_drawn(
                    lambda: frames.append((time.perf_counter(), query, complete))
                )

        PaperList.show = probed  # type: ignore[method-assign,assignment]

    def first(self, query: str, since: float) -> float | None:
        """When the first frame showing a result for ``query`` was drawn."""
        return next((t for t, q, _ in self.frames if q == query and t >= since), None)

    def is_complete(self, query: str, since: float) -> bool:
        """Whether the complete result for ``query`` has been drawn."""
        return self.complete(query, since) is not None

    def complete(self, query: str, since: float) -> float | None:
        """When the frame showing the complete result for ``query`` was drawn."""
        return next((t for t, q, c in self.frames if q == query and c and t >= since), None)


@dataclass
class Ticker:
    """Measures event-loop stalls: how late a 2 ms sleep wakes up.

    Also notes the cycle collector's full passes meanwhile (the reader runs them when the
    user is idle; a pause in the typing can let one in), so a stall can be told apart.
    """

    stalls: list[float] = field(default_factory=list)
    busy: list[float] = field(default_factory=list)
    """Per tick, the UI thread's CPU time (ms)."""
    full_collections: list[float] = field(default_factory=list)
    running: bool = True
    why_over: float | None = None
    """With a number of ms: explain each stall over it (:meth:`_sample`, :meth:`explain`)."""
    tick_started: float = 0.0
    samples: dict[float, list[tuple[str, ...]]] = field(default_factory=dict)
    explained: list[str] = field(default_factory=list)

    def _on_gc(self, phase: str, info: dict[str, int]) -> None:
        if info["generation"] != 2:
            return
        if phase == "start":
            self._gc_started = time.perf_counter()
        else:
            self.full_collections.append((time.perf_counter() - self._gc_started) * 1000)

    async def run(self) -> None:
        gc.callbacks.append(self._on_gc)
        if self.why_over is not None:
            ui = threading.get_ident()
            threading.Thread(target=self._sample, args=(ui,), daemon=True).start()
        try:
            while self.running:
                start = self.tick_started = time.perf_counter()
                cpu = time.thread_time()
                await asyncio.sleep(0.002)
                stall = (time.perf_counter() - start) * 1000 - 2
                self.stalls.append(stall)
                self.busy.append((time.thread_time() - cpu) * 1000)
                samples = self.samples.pop(start, [])
                if self.why_over is not None and stall > self.why_over:
                    self.explain(stall, samples)
        finally:
            self.running = False
            gc.callbacks.remove(self._on_gc)

    def _sample(self, ui: int) -> None:
        """In a thread: every millisecond that the loop is late, note the UI thread's stack
        (its innermost frames)."""
        while self.running:
            time.sleep(0.001)
            started = self.tick_started
            if time.perf_counter() - started < 0.004:
                continue
            frame = sys._current_frames().get(ui)
            if frame is None:
                continue
            stack = tuple(
                f"{Path(f.filename).name}:{f.lineno} {f.name}"
                for f in traceback.extract_stack(frame)[-STACK_DEPTH:]
            )
            self.samples.setdefault(started, []).append(stack)

    def explain(self, stall: float, samples: list[tuple[str, ...]]) -> None:
        """Note a stall with the stacks sampled during it, most frequent first."""
        lines = [f"  stall {stall:.1f} ms, {len(samples)} samples:"]
        for stack, count in Counter(samples).most_common(2):
            lines.append(f"    x{count}: " + " > ".join(stack))
        self.explained.append("\n".join(lines))


async def idle_floor(seconds: float) -> list[float]:
    """The stalls of a :class:`Ticker` on an event loop with nothing else to do."""
    ticker = Ticker()
    task = asyncio.create_task(ticker.run())
    await asyncio.sleep(seconds)
    ticker.running = False
    await task
    return ticker.stalls


def tail(values: Sequence[float]) -> str:
    """The maximum, p99 and p99.9 of ``values`` (ms)."""
    ordered = sorted(values)
    p99, p999 = (ordered[int(share * (len(ordered) - 1))] for share in (0.99, 0.999))
    return f"max {ordered[-1]:.1f} ms, p99 {p99:.1f} ms, p99.9 {p999:.1f} ms"


def use_corpus(papers: Sequence[Any]) -> None:
    """Make the reader's loader return ``papers`` (no parsing, no validation)."""

    def load(*_: object, **__: object) -> Corpus:
        return Corpus.model_construct(papers=papers, files=(), problems=())

    corpus_module.load_corpus = load


async def wait_for(predicate: Callable[[], bool], pilot: Pilot[None], timeout: float = 120) -> None:
    deadline = time.perf_counter() + timeout
    while not predicate():
        if time.perf_counter() > deadline:
            raise TimeoutError("the reader did not get there")
        await pilot.pause(0.005)


async def settled(app: PaperviewApp) -> None:
    """Wait for every worker to end (one a newer search cancelled ends too)."""
    while True:
        try:
            await app.workers.wait_for_complete()
            return
        except WorkerCancelled:
            continue


async def frame(app: PaperviewApp) -> None:
    """Wait for the next screen refresh."""
    done = asyncio.Event()
    app.call_after_refresh(done.set)
    await done.wait()


def summary(values: Sequence[float]) -> str:
    ordered = sorted(values)
    p95 = ordered[min(len(ordered) - 1, round(0.95 * (len(ordered) - 1)))]
    return (
        f"median {statistics.median(ordered):6.1f}  p95 {p95:6.1f}  max {ordered[-1]:6.1f} ms"
        f"  (n={len(ordered)})"
    )


async def measure(size: int, probe: Probe) -> dict[str, list[float]]:
    """Type the queries into a reader of ``size`` papers; time frames (and more at 1M)."""
    table = generate_table(size)
    use_corpus(table)
    app = PaperviewApp([ROOT / "seeds"])
    figures: dict[str, list[float]] = {"first": [], "complete": [], "stall": []}
    async with app.run_test(size=SIZE) as pilot:
        screen = app.screen
        assert isinstance(screen, MainScreen)
        await wait_for(lambda: screen.result is not None and screen.result.complete, pilot)
        started = time.perf_counter()
        if not DURING_WARM_UP:
            await settled(app)  # the index's warm-up (sort orders, word list)
            figures["warm-up"] = [(time.perf_counter() - started) * 1000]
            await pilot.pause(0.5)
        if size >= 1_000_000:
            paper_list = screen.paper_list
            paper_list.focus()
            await frame(app)
            for name, action in (
                ("cursor", paper_list.action_cursor_down),
                ("page", paper_list.action_page_down),
            ):
                times = []
                for _ in range(40):
                    start = time.perf_counter()
                    action()
                    await frame(app)
                    times.append((time.perf_counter() - start) * 1000)
                figures[name] = times[5:]  # the first moves warm the style caches
        ticker = Ticker(why_over=WHY_OVER)
        task = asyncio.create_task(ticker.run())
        await pilot.press("slash")
        for query in QUERIES:
            await pilot.press("ctrl+a", "ctrl+k")
            await wait_for(lambda: screen.result is not None and screen.result.query == "", pilot)
            typed = ""
            for char in query:
                typed += char
                start = time.perf_counter()
                await pilot.press("space" if char == " " else char)
                await wait_for(partial(probe.is_complete, typed, start), pilot)
                first = probe.first(typed, start)
                done = probe.complete(typed, start)
                assert first is not None and done is not None
                figures["first"].append((first - start) * 1000)
                figures["complete"].append((done - start) * 1000)
        ticker.running = False
        await task
        if DURING_WARM_UP:
            figures["typed"] = [(time.perf_counter() - started) * 1000]
            await settled(app)
            figures["warm-up"] = [(time.perf_counter() - started) * 1000]
        figures["stall"] = ticker.stalls
        figures["busy"] = ticker.busy
        figures["full-gc"] = ticker.full_collections
        for text in ticker.explained:
            print(text)
    return figures


async def main() -> None:
    """Run every size and print the figures with their targets."""
    global WHY_OVER, DURING_WARM_UP
    parser = argparse.ArgumentParser(description=__doc__.split("\n")[0] if __doc__ else None)
    parser.add_argument(
        "sizes", nargs="?", default="1000,100000,1000000", help="corpus sizes, comma-separated"
    )
    parser.add_argument(
        "--why",
        type=float,
        metavar="MS",
        help="print what the UI thread did in each stall over MS ms (the sampling thread "
        "this starts takes some time too: measure without it)",
    )
    parser.add_argument(
        "--during-warm-up",
        action="store_true",
        help="type as soon as the first results are shown, while the index warms up",
    )
    args = parser.parse_args()
    WHY_OVER = args.why
    DURING_WARM_UP = args.during_warm_up
    sizes = [int(s) for s in args.sizes.split(",")]
    probe = Probe()
    probe.install()
    targets = {1_000: 33, 100_000: 60, 1_000_000: 150}
    print(f"headless {SIZE[0]}x{SIZE[1]}; queries typed one key at a time: {', '.join(QUERIES)}")
    print(
        f"an idle event loop, before any reader ({FLOOR_SECONDS:.0f} s): wakes up late by "
        f"{tail(await idle_floor(FLOOR_SECONDS))} (the machine's floor)"
    )
    for size in sizes:
        started = time.perf_counter()
        figures = await measure(size, probe)
        target = targets.get(size)
        warm_up = f"index warm-up after the first results: {figures['warm-up'][0] / 1000:.1f} s"
        if DURING_WARM_UP:
            typed = figures["typed"][0] / 1000
            warm_up = f"typed from the first results on, for {typed:.1f} s; {warm_up}"
        print(f"\n{size:,} papers (measured in {time.perf_counter() - started:.0f} s; {warm_up})")
        print(
            f"  keystroke -> first results frame: {summary(figures['first'])}"
            + (f"   target {target} ms" if target else "")
        )
        print(f"  keystroke -> complete results frame: {summary(figures['complete'])}")
        if "cursor" in figures:
            print(f"  cursor move -> frame: {summary(figures['cursor'])}   target <= 20 ms")
            print(f"  page scroll -> frame: {summary(figures['page'])}   target <= 20 ms")
        collections = figures["full-gc"]
        print(
            f"  event-loop stall while typing: {tail(figures['stall'])}"
            + ("   target <= 16 ms" if size == 100_000 else "")
        )
        print(f"  the UI thread's own work in one tick (CPU time): {tail(figures['busy'])}")
        print(
            f"  full garbage collections meanwhile: {len(collections)}"
            + (f", longest {max(collections):.1f} ms" if collections else "")
        )


if __name__ == "__main__":
    asyncio.run(main())
