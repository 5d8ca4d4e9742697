"""The reader: search bar, results list, detail pane and status line.

The screen owns the state (the corpus, the index, the query, the order, the result) and the
workers: loading runs in a thread after the first frame, and every keystroke starts a
cancellable search worker whose progressive results replace each other on screen. Widgets
only display what they are given and report what the user did.
"""

from __future__ import annotations

import gc
from collections.abc import Mapping, Sequence
from dataclasses import dataclass
from functools import partial
from pathlib import Path
from time import monotonic
from typing import TYPE_CHECKING, ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.screen import Screen
from textual.timer import Timer
from textual.widgets import Footer, Input
from textual.worker import get_current_worker

from .. import display
from ..display import NO_SPANS, Spans
from ..widgets.paper_detail import PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.search_bar import SearchBar
from ..widgets.status_bar import StatusBar, StatusState
from .highlights import FieldSpans, Highlights
from .idle import IdleCollector, freeze_loaded

if TYPE_CHECKING:
    from ..data.models import Corpus, Paper
    from ..data.search import SearchIndex, SearchResult
    from ..data.sources import ReadOptions

NARROW_WIDTH = 100
"""Below this many columns the list and the detail pane stack instead of sitting side by side."""

SORT_CYCLE: tuple[str | None, ...] = (None, "date", "upvotes", "authors", "title")
"""The orders ``s`` steps through; None is relevance (the listing order for an empty query)."""

_ORDER_WORDS: dict[str | None, tuple[str, str]] = {
    None: ("best match first", "best match last"),
    "date": ("newest first", "oldest first"),
    "upvotes": ("most upvoted first", "least upvoted first"),
    "authors": ("most authors first", "fewest authors first"),
    "title": ("title A to Z", "title Z to A"),
}

DETAIL_QUIET = 0.1
"""Seconds between detail-pane redraws while the cursor moves or results stream in; the pane
catches up when things rest."""

HOLD_STAGE = 0.03
"""Seconds a first-stage result waits for the complete one before it is shown anyway."""

FIND_LIMIT = 10_000
"""How far down a new result to look for the selected paper when a later stage arrives."""


def order_words(sort: str | None, reverse: bool, *, query: str) -> str:
    """The order in words, for the status line."""
    if sort is None and not query.strip():
        return "listing order, reversed" if reverse else "listing order"
    return _ORDER_WORDS[sort][1 if reverse else 0]


def find_row(rows: Sequence[int], position: int, limit: int | None = None) -> int | None:
    """The row of ``position`` in ``rows`` (looking at the first ``limit`` rows), or None."""
    if isinstance(rows, range):
        return rows.index(position) if position in rows else None
    end = len(rows) if limit is None else min(limit, len(rows))
    try:
        return rows.index(position, 0, end)
    except ValueError:
        return None


class MainScreen(Screen[None]):
    """Find, read and move through the papers."""

    AUTO_FOCUS = "PaperList"

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("slash", "focus_search", "Search", id="search", tooltip="Go to the search bar"),
        Binding(
            "escape",
            "back",
            "Back",
            show=False,
            id="back",
            tooltip="Back to the list; in the list, clear the search",
        ),
        Binding(
            "tab",
            "app.focus_next",
            "Next pane",
            show=False,
            id="next-pane",
            tooltip="Next pane (search, list, paper)",
        ),
        Binding(
            "shift+tab",
            "app.focus_previous",
            "Previous pane",
            show=False,
            id="previous-pane",
            tooltip="Previous pane",
        ),
        Binding(
            "s",
            "cycle_sort",
            "Sort",
            id="sort",
            tooltip="Next order: relevance, date, upvotes, authors, title",
        ),
        Binding(
            "S",
            "reverse_sort",
            "Reverse sort",
            show=False,
            id="reverse-sort",
            tooltip="Reverse the order",
        ),
        Binding(
            "o",
            "open_paper",
            "Open",
            id="open",
            tooltip="Open the paper's link (or search the web for its title)",
        ),
        Binding("y", "copy_paper", "Copy", id="copy", tooltip="Copy the title and link"),
        Binding(
            "exclamation_mark",
            "show_problems",
            "Problems",
            show=False,
            id="problems",
            tooltip="Show the problems found in the inputs",
        ),
    ]

    # --- messages from the workers -----------------------------------------------------

    @dataclass
    class LoadProgressed(Message):
        """The loader moved on to another step."""

        activity: str

    @dataclass
    class CorpusRead(Message):
        """Every input has been read."""

        corpus: Corpus

    @dataclass
    class IndexReady(Message):
        """The search index is built; searching can start."""

        index: SearchIndex

    @dataclass
    class SearchProgressed(Message):
        """A search stage finished (each result replaces the previous one)."""

        generation: int
        result: SearchResult
        found: Mapping[int, FieldSpans]
        """Match spans of the first page of the result, explained in the worker."""

    @dataclass
    class MatchesExplained(Message):
        """The explain worker found where the query matched some papers."""

        generation: int
        found: Mapping[int, FieldSpans]

    def __init__(
        self,
        paths: Sequence[Path],
        read_options: ReadOptions | None = None,
        *,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self._paths = list(paths)
        self._read_options = read_options
        self.corpus: Corpus | None = None
        """The loaded corpus (None while loading)."""
        self.index: SearchIndex | None = None
        """The search index (None until built)."""
        self.result: SearchResult | None = None
        """The result on screen."""
        self.search_text = ""
        """The query in the search bar."""
        self.sort: str | None = None
        """The order (a :class:`~tui.data.sorting.SortKey` value), None for relevance."""
        self.reverse = False
        """Whether the order is reversed."""
        self.activity = ""
        """What is in progress, for the status line."""
        self._generation = 0
        self._highlights = Highlights()
        self._explain_scheduled = False
        self._held: Timer | None = None
        self._collector = IdleCollector(self, busy=self._searching)
        self._pending_position: int | None = None
        self._load_started = 0.0
        self._clock: Timer | None = None
        self._detail_timer: Timer | None = None
        self._detail_shown_at = 0.0

    def compose(self) -> ComposeResult:
        """Search bar on top, the two panes, the status line and the keys."""
        yield SearchBar(id="search")
        with Horizontal(id="panes"):
            yield PaperList(id="results")
            yield PaperDetail(id="detail")
        yield StatusBar(id="status")
        yield Footer()

    @property
    def papers(self) -> Sequence[Paper]:
        """The corpus papers (empty while loading)."""
        return self.corpus.papers if self.corpus is not None else ()

    @property
    def paper_list(self) -> PaperList:
        """The results list."""
        return self.query_one(PaperList)

    @property
    def detail(self) -> PaperDetail:
        """The detail pane."""
        return self.query_one(PaperDetail)

    @property
    def selected(self) -> Paper | None:
        """The paper under the list cursor."""
        position = self.paper_list.position
        return None if position is None else self.papers[position]

    # --- loading -------------------------------------------------------------------------

    def on_mount(self) -> None:
        """Show the empty frame first; start loading right after it is drawn."""
        self.paper_list.set_placeholder(display.list_placeholder(["Loading papers…"]))
        self.detail.set_placeholder(Content(""))
        self._update_layout()
        self._show_status()
        self.call_after_refresh(self._start_loading)

    def _start_loading(self) -> None:
        self._collector.start()
        self._load_started = monotonic()
        self._clock = self.set_interval(0.5, self._show_status, name="loading-clock")
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        """Read the inputs and build the index, off the UI thread."""
        worker = get_current_worker()
        self.post_message(self.LoadProgressed("reading the inputs"))
        from ..data.cache import CorpusCache
        from ..data.corpus import load_corpus  # deferred: the models import pydantic
        from ..data.sources import ReadOptions, expand_paths

        files, _ = expand_paths(self._paths)
        size = sum(_size(path) for path in files)
        plural = "s" if len(files) != 1 else ""
        reading = f"reading {len(files):,} file{plural} ({_megabytes(size)})"
        self.post_message(self.LoadProgressed(reading))
        shown = [0]

        def progress(done: int, total: int) -> None:
            percent = 100 * done // total if total else 100
            if percent != shown[0]:
                shown[0] = percent
                self.post_message(self.LoadProgressed(f"{reading} {percent}%"))

        options = self._read_options or ReadOptions()
        cache = CorpusCache(defer=True) if options.cache else None  # written once searchable
        # The corpus and its index are millions of objects that live as long as the app:
        # the cycle collector is off while they are built, then they are frozen out of its
        # sight (see idle.py).
        gc.disable()
        try:
            corpus = load_corpus(
                self._paths,
                options,
                cache=cache,
                progress=progress,
                cancelled=lambda: worker.is_cancelled,
            )
            if worker.is_cancelled:
                return
            self.post_message(self.CorpusRead(corpus))
            from ..data.search import SearchIndex

            index = SearchIndex(corpus.papers)
            if worker.is_cancelled:
                return
            self.post_message(self.IndexReady(index))
            if cache is not None:
                cache.flush(lambda: worker.is_cancelled)
            index.warm()
        finally:
            freeze_loaded()
            gc.enable()

    @on(LoadProgressed)
    def _load_progressed(self, message: LoadProgressed) -> None:
        self.activity = message.activity
        self._show_status()

    @on(CorpusRead)
    def _corpus_read(self, message: CorpusRead) -> None:
        self.corpus = corpus = message.corpus
        self.activity = f"indexing {len(corpus.papers):,} papers" if corpus.papers else ""
        self.paper_list.show(corpus.papers, range(len(corpus.papers)), placeholder=self._empty())
        self._show_status()
        if corpus.unreadable_inputs:
            count = len(corpus.unreadable_inputs)
            self.notify(
                display.notice(
                    f"{count} input{'s' if count != 1 else ''} could not be read.",
                    "Press ! to see the problems.",
                ),
                severity="warning",
                markup=False,
            )

    @on(IndexReady)
    def _index_ready(self, message: IndexReady) -> None:
        self.index = message.index
        self.activity = ""
        if self._clock is not None:
            self._clock.stop()
        self._search()

    # --- searching -----------------------------------------------------------------------

    @on(Input.Changed, "#search")
    def _query_changed(self, event: Input.Changed) -> None:
        self._collector.poke()
        self.search_text = event.value
        self._search()

    def _searching(self) -> bool:
        """Whether a search (or the explaining of its matches) is running."""
        return any(
            worker.is_running and worker.group in ("search", "explain")
            for worker in self.app.workers
        )

    def _search(self) -> None:
        """Start a search for the current query and order (cancelling any running one)."""
        if self.index is None:
            return
        self._generation += 1
        page = self.paper_list.scrollable_content_region.height + 1
        self._run_search(
            self.index, self._generation, self.search_text, self.sort, self.reverse, page
        )

    @work(thread=True, exclusive=True, group="search")
    def _run_search(
        self,
        index: SearchIndex,
        generation: int,
        query: str,
        sort: str | None,
        reverse: bool,
        page: int,
    ) -> None:
        """Post each stage of the search; stop as soon as a newer search starts.

        The complete result goes with the match spans of its first ``page`` papers, so the
        frame that shows it already shows the highlights (one repaint, not two). Earlier
        stages show the previous query's highlights until then.
        """
        from ..data.sorting import SortKey

        worker = get_current_worker()
        stages = index.search_stages(
            query,
            sort=None if sort is None else SortKey(sort),
            reverse=reverse,
            cancelled=lambda: worker.is_cancelled,
        )
        for result in stages:
            found: dict[int, FieldSpans] = {}
            if query.strip() and result.complete:  # (explaining earlier reruns the search)
                for position in result.indices[:page]:
                    if worker.is_cancelled:
                        return
                    match = index.explain(query, position)
                    found[position] = match.spans if match is not None else {}
            if worker.is_cancelled:
                return
            self.post_message(self.SearchProgressed(generation, result, found))

    @on(SearchProgressed)
    def _search_progressed(self, message: SearchProgressed) -> None:
        if message.generation != self._generation:
            return  # a newer search has started: this result is stale
        if self._held is not None:
            self._held.stop()
            self._held = None
        if not message.result.complete:
            # A first stage: show it only if the complete result is not right behind it,
            # so a fast search repaints the list once, not twice.
            self._held = self.set_timer(HOLD_STAGE, partial(self._apply_result, message))
            return
        self._apply_result(message)

    def _apply_result(self, message: SearchProgressed) -> None:
        self._held = None
        if message.generation != self._generation:
            return
        previous, result = self.result, message.result
        self.result = result
        self._collector.poke()
        self._highlights.add_for(result.query, message.found)
        self.activity = "" if result.complete else "searching"
        cursor = 0
        if self._pending_position is not None:
            row = find_row(result.indices, self._pending_position)
            if row is not None or result.complete:
                self._pending_position = None
            cursor = row or 0
        elif previous is not None and previous.query == result.query:
            selected = self.paper_list.position
            if selected is not None:
                limit = None if previous.sort != result.sort else FIND_LIMIT
                cursor = find_row(result.indices, selected, limit) or 0
        self.paper_list.show(
            self.papers,
            result.indices,
            spans=self._title_spans if result.query.strip() else None,
            cursor=cursor,
            placeholder=self._empty(),
        )
        self._follow_cursor()  # in this frame, unless results are arriving fast
        self._show_status()

    # --- match highlights (explained off the UI thread) --------------------------------

    def _title_spans(self, position: int) -> Spans:
        return self._field_spans(position).get("title", NO_SPANS)

    def _field_spans(self, position: int) -> FieldSpans:
        spans = self._highlights.spans(position)
        complete = self.result is not None and self.result.complete
        if complete and not self._highlights.known(position) and not self._explain_scheduled:
            self._explain_scheduled = True
            self.call_after_refresh(self._explain_pending)
        return spans

    def _explain_pending(self) -> None:
        self._explain_scheduled = False
        positions = self._highlights.take_pending()
        if positions and self.index is not None:
            highlights = self._highlights
            self._run_explain(self.index, highlights.query, highlights.generation, positions)

    @work(thread=True, group="explain")
    def _run_explain(
        self, index: SearchIndex, query: str, generation: int, positions: list[int]
    ) -> None:
        """Explain why each paper matches, for the rows on screen and the detail pane."""
        found: dict[int, FieldSpans] = {}
        for position in positions:
            if generation != self._highlights.generation:
                return  # the query changed: these spans are no longer wanted
            match = index.explain(query, position)
            found[position] = match.spans if match is not None else {}
        self.post_message(self.MatchesExplained(generation, found))

    @on(MatchesExplained)
    def _matches_explained(self, message: MatchesExplained) -> None:
        covered = set(self._highlights.add(message.generation, message.found))
        if not covered:
            return
        self.paper_list.refresh_papers(covered)
        if self.paper_list.position in covered:
            self._show_detail(self.paper_list.position)

    # --- what the widgets report ---------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, _: PaperList.Highlighted) -> None:
        self._collector.poke()
        self._follow_cursor()

    def _follow_cursor(self) -> None:
        """Show the paper under the cursor: now, or once the cursor rests.

        While the cursor moves fast (a held key, page after page, results arriving as the
        user types) the list is drawn at once and the paper when things settle for
        :data:`DETAIL_QUIET`, not one abstract per row passed or per keystroke.
        """
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if monotonic() - self._detail_shown_at >= DETAIL_QUIET:
            self._show_detail(self.paper_list.position)
        else:
            self._detail_timer = self.set_timer(DETAIL_QUIET, self._show_resting_detail)

    def _show_resting_detail(self) -> None:
        self._detail_timer = None
        self._show_detail(self.paper_list.position)

    def _show_detail(self, position: int | None) -> None:
        """Show the paper at ``position`` in the detail pane (unless it already is)."""
        self._detail_shown_at = monotonic()
        detail = self.detail
        if position is None:
            if detail.paper is not None:
                detail.show(None)
            return
        paper, spans = self.papers[position], self._field_spans(position)
        if detail.paper is not paper or detail.spans is not spans:
            detail.show(paper, spans)

    @on(PaperList.Selected)
    def _selected(self, _: PaperList.Selected) -> None:
        self.detail.focus()

    @on(Input.Submitted, "#search")
    def _submitted(self, _: Input.Submitted) -> None:
        self.paper_list.focus()

    @on(StatusBar.ProblemsClicked)
    def _problems_clicked(self) -> None:
        self.action_show_problems()

    # --- actions -------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """Put the cursor in the search bar."""
        self.query_one(SearchBar).focus()

    def action_focus_results(self) -> None:
        """Go to the results list."""
        self.paper_list.focus()

    def action_back(self) -> None:
        """Back out: leave the search bar or the detail pane; in the list, clear the search."""
        search = self.query_one(SearchBar)
        if self.focused is self.paper_list and search.value:
            search.value = ""
        else:
            self.paper_list.focus()

    def action_cycle_sort(self) -> None:
        """Step to the next order."""
        self.sort = SORT_CYCLE[(SORT_CYCLE.index(self.sort) + 1) % len(SORT_CYCLE)]
        self.reverse = False
        self._search()
        self._show_status()

    def action_reverse_sort(self) -> None:
        """Reverse the current order."""
        self.reverse = not self.reverse
        self._search()
        self._show_status()

    def action_open_paper(self) -> None:
        """Open the paper's link, or a web search for its title when it has none."""
        paper = self.selected
        if paper is None:
            self.notify("No paper selected.", severity="warning", markup=False)
            return
        self.action_open_link(display.open_target(paper))

    def action_open_link(self, url: str) -> None:
        """Open ``url`` in the browser (also run by clicking a link in the detail pane)."""
        self.app.open_url(url)
        self.notify(display.notice("Opening", url), markup=False)

    def action_copy_paper(self) -> None:
        """Copy the title and link of the selected paper."""
        paper = self.selected
        if paper is None:
            self.notify("No paper selected.", severity="warning", markup=False)
            return
        self.app.copy_to_clipboard(display.clipboard_text(paper))
        what = "title and link" if paper.link else "title"
        self.notify(display.notice(f"Copied the {what}:", paper.title), markup=False)

    def action_show_problems(self) -> None:
        """List the problems found in the inputs."""
        from .problems import ProblemsScreen

        if self.corpus is None:
            self.notify("Still loading.", markup=False)
            return
        self.app.push_screen(ProblemsScreen(self.corpus.problems))

    def goto_paper(self, position: int) -> None:
        """Put the cursor on the paper at ``position``, clearing the search if it hides it."""
        self.paper_list.focus()
        row = find_row(self.paper_list.rows, position)
        if row is not None:
            self.paper_list.move_cursor(row)
            return
        self._pending_position = position
        search = self.query_one(SearchBar)
        if search.value:
            search.value = ""  # the Changed handler starts the search
        else:
            self._search()

    # --- layout and status ---------------------------------------------------------------

    def on_resize(self) -> None:
        """Stack the panes on narrow terminals."""
        self._update_layout()

    def _update_layout(self) -> None:
        self.set_class(self.size.width < NARROW_WIDTH, "-narrow")

    def _show_status(self) -> None:
        activity = self.activity
        if activity and self._load_started and self.index is None:
            activity = f"{activity}… {monotonic() - self._load_started:.0f}s"
        elif activity:
            activity = f"{activity}…"
        result = self.result
        self.query_one(StatusBar).show(
            StatusState(
                shown=(
                    None
                    if self.corpus is None
                    else len(result.indices)
                    if result is not None
                    else len(self.papers)
                ),
                total=len(self.papers),
                order=order_words(self.sort, self.reverse, query=self.search_text),
                activity=activity,
                error=(result.error or "") if result is not None else "",
                problems=len(self.corpus.problems) if self.corpus is not None else 0,
            )
        )

    def _empty(self) -> Content:
        """What the list says when it has nothing to show."""
        corpus = self.corpus
        if corpus is None:
            return display.list_placeholder(["Loading papers…"])
        if not corpus.papers:
            lines = ["No papers were loaded."]
            if corpus.problems:
                lines.append("Press ! to see what went wrong with the inputs.")
            lines.append("Open corpus files or folders with: paperview PATH ...")
            return display.list_placeholder(lines)
        result = self.result
        if result is not None and result.error:
            return display.list_placeholder(
                [f"This search cannot be run: {result.error}", "Press escape to clear it."]
            )
        query = self.search_text.strip()
        return display.list_placeholder(
            [
                f"No papers match “{query}”.",
                "Try fewer or shorter words, or press escape to clear the search.",
            ]
        )


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:,.1f} MB"
