"""The reader: search bar, results list, detail pane and status line.

The screen owns the state (the corpus, the index, the query, the order, the result) and the
workers: loading runs in a thread after the first frame, and every keystroke starts a
cancellable search worker whose progressive results replace each other on screen. Widgets
only display what they are given and report what the user did.
"""

from __future__ import annotations

import gc
import threading
from collections.abc import Callable, Collection, Iterator, Mapping, Sequence
from functools import partial
from pathlib import Path
from time import monotonic, sleep
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal
from textual.content import Content
from textual.message import Message
from textual.reactive import Reactive
from textual.screen import Screen
from textual.timer import Timer
from textual.widget import Widget
from textual.widgets import Input
from textual.worker import Worker, get_current_worker

from .. import display
from ..data.controls import escaped
from ..display import NO_SPANS, Spans
from ..widgets.key_bar import KeyBar
from ..widgets.paper_detail import PaperDetail
from ..widgets.paper_list import PaperList
from ..widgets.search_bar import SearchBar
from ..widgets.status_bar import StatusBar, StatusState
from . import frames
from .highlights import FieldSpans, Highlights
from .idle import IdleCollector, freeze_loaded
from .library import (
    Change,
    LibraryFailed,
    LibraryLink,
    LibraryOpened,
    LibraryUpdated,
    count_changes,
)

if TYPE_CHECKING:
    from ..data.cache import CorpusCache
    from ..data.library import Annotation, LibraryStore, LibraryView
    from ..data.models import Corpus, Listed, Paper, Problem
    from ..data.search import SearchIndex, SearchResult
    from ..data.sources import ReadOptions
    from .lists import ListAction, ListSummary

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

DRAW_WAIT = 0.25
"""At most this many seconds the search worker waits for its result to be drawn before it
explains the matches of the first page."""

PROGRESS_EVERY = 0.25
"""Seconds between two reports of loading progress at least (each one draws a frame)."""

WARM_PAUSE = 0.5
"""Seconds after a search starts during which the index's background build waits: both
need the interpreter lock, and the search is what the user is waiting for."""

INLINE_PAPERS = 10_000
"""In a corpus of at most this many papers, once its index is built, the first search stage
runs on the UI thread (a millisecond or two), so a key's result is drawn in the same frame
as the key."""

INLINE_TIME = 0.003
"""Later stages run on the UI thread too while the search has taken less than this many
seconds (the complete result of a small corpus is drawn with the key); a worker runs the rest."""

FIND_LIMIT = 10_000
"""How far down a new result to look for the selected paper when a later stage arrives."""

LIBRARY_EVERY = 2.0
"""Seconds between looks at the library file: other processes' changes, and another try to
save the changes the disk refused."""

BULK_LIMIT = 10_000
"""At most this many listed papers are added to a list at once ("add all")."""


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


def has_browser() -> bool:
    """Whether Python's ``webbrowser`` can open a link here (on a server over SSH it usually
    finds none, and opening would silently do nothing)."""
    import webbrowser  # only when a link is opened

    try:
        webbrowser.get()
    except webbrowser.Error:
        return False
    return True


class MainScreen(Screen[None]):
    """Find, read and move through the papers."""

    AUTO_FOCUS = "PaperList"

    focused: Reactive[Widget | None] = Reactive(None, repaint=False)
    """The focused widget. Textual's screen repaints all of itself when the focus moves, a
    10-15 ms frame; the widgets that look different with focus repaint themselves."""

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
        Binding(
            "b",
            "toggle_bookmark",
            "Bookmark",
            show=False,  # the footer must keep q and ? at 80 columns
            id="bookmark",
            tooltip="Bookmark the paper, or remove its bookmark",
        ),
        Binding(
            "B",
            "view_bookmarks",
            "Bookmarks",
            show=False,
            id="bookmarks-view",
            tooltip="Show only bookmarked papers (press again to show all)",
        ),
        Binding(
            "m",
            "toggle_read",
            "Read/unread",
            show=False,
            id="read",
            tooltip="Mark the paper read or unread (opening it marks it read)",
        ),
        Binding("t", "edit_tags", "Tags", show=False, id="tags", tooltip="Edit the paper's tags"),
        Binding(
            "n", "edit_note", "Note", show=False, id="note", tooltip="Write a note on the paper"
        ),
        Binding(
            "l",
            "manage_lists",
            "Lists",
            show=False,
            id="lists",
            tooltip="Put the paper on reading lists; create, rename, delete lists",
        ),
        Binding(
            "L",
            "view_list",
            "View list",
            show=False,
            id="list-view",
            tooltip="Show only the papers of a reading list",
        ),
        Binding("u", "undo", "Undo", show=False, id="undo", tooltip="Undo the last library change"),
        Binding(
            "ctrl+r",
            "redo",
            "Redo",
            show=False,
            id="redo",
            tooltip="Redo the library change just undone",
        ),
        Binding(
            "ctrl+s",
            "save_library",
            "Save library",
            show=False,
            id="library-save",
            tooltip="Save library changes the disk refused (also retried every few seconds)",
        ),
        Binding(
            "e",
            "export",
            "Export",
            show=False,  # the footer is full at 80 columns; ? and ctrl+p list it
            id="export",
            tooltip="Export bookmarks, a list, the results or the paper (file or clipboard)",
        ),
    ]

    # --- messages from the workers -----------------------------------------------------
    # (plain classes: a dataclass costs the first frame some 0.4 ms to create)

    class LoadProgressed(Message):
        """The loader moved on to another step."""

        def __init__(self, activity: str) -> None:
            super().__init__()
            self.activity = activity

    class CorpusRead(Message):
        """Every input has been read."""

        def __init__(self, corpus: Corpus) -> None:
            super().__init__()
            self.corpus = corpus

    class IndexReady(Message):
        """The search index is built; searching can start."""

        def __init__(self, index: SearchIndex) -> None:
            super().__init__()
            self.index = index

    class SearchProgressed(Message):
        """A search stage finished (each result replaces the previous one)."""

        def __init__(
            self, generation: int, result: SearchResult, explaining: Sequence[int] = ()
        ) -> None:
            super().__init__()
            self.generation = generation
            self.result = result
            self.explaining = explaining
            """The positions whose matches the worker explains next (the first page)."""
            self.drawn = threading.Event()
            """Set once the result is on screen (or dropped): the worker then explains."""

    class SearchExplained(Message):
        """The search worker found where the query matched the first page of its result."""

        def __init__(self, generation: int, query: str, found: Mapping[int, FieldSpans]) -> None:
            super().__init__()
            self.generation = generation
            self.query = query
            self.found = found

    class MatchesExplained(Message):
        """The explain worker found where the query matched some papers."""

        def __init__(self, generation: int, found: Mapping[int, FieldSpans]) -> None:
            super().__init__()
            self.generation = generation
            self.found = found

    class CorpusIdsKnown(Message):
        """The set of the corpus's paper ids is built (to tell which annotated papers it lacks)."""

        def __init__(self, ids: frozenset[str]) -> None:
            super().__init__()
            self.ids = ids

    def __init__(
        self,
        paths: Sequence[Path],
        read_options: ReadOptions | None = None,
        *,
        data_dir: Path | None = None,
        name: str | None = None,
    ) -> None:
        super().__init__(name=name)
        self._paths = list(paths)
        self._read_options = read_options
        self.library = LibraryLink(self, data_dir)
        """The user's library (opened and written in a worker)."""
        self.library_view: LibraryView | None = None
        """The library snapshot on screen (None until the library is open)."""
        self.library_warnings: list[str] = []
        """What the library said about its file (damaged, read-only...), for the problems view."""
        self.unsaved = 0
        """Library changes the disk refused, kept in memory until they can be saved."""
        self.library_problem: str | None = None
        """Why the library could not be opened (None: it is open, or opening)."""
        self._quit_warned = False
        self.corpus_ids: frozenset[str] | None = None
        """The ids of the corpus's papers (None until known)."""
        self._bookmarked: frozenset[str] = frozenset()
        self._read: frozenset[str] = frozenset()
        self._keep_row: int | None = None
        self.corpus: Corpus | None = None
        """The loaded corpus (None while loading)."""
        self._corpus_problems = 0
        """How many problems reading the corpus met (those left out of a long list too)."""
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
        self._collector = IdleCollector(self, busy=self._searching)
        self._pending_position: int | None = None
        self._load_started = 0.0
        self._clock: Timer | None = None
        self._detail_timer: Timer | None = None
        self._detail_due = False
        self._detail_shown_at = 0.0
        self._searched_at = 0.0
        self._resumed = False
        self._user_work = frames.RunningCount()
        """Searches and explanations running in worker threads (the background work waits)."""

    def compose(self) -> ComposeResult:
        """Search bar on top, the two panes, the status line and the keys."""
        yield SearchBar(id="search")
        with Horizontal(id="panes"):
            yield PaperList(id="results")
            yield PaperDetail(id="detail")
        yield StatusBar(id="status")
        yield KeyBar(id="keys")

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
        """Show the empty frame first; open the library and start loading right after it is
        drawn (their threads would hold the interpreter lock while the frame is built)."""
        self._collector.start()  # before the first frame, which a full pass would delay
        frames.shorten_time_slices()
        frames.draw_changes_apart()
        frames.render_only_what_shows()
        self.paper_list.set_placeholder(display.list_placeholder(["Loading papers…"]))
        self.detail.set_placeholder(Content(""))
        self._update_layout()
        self._show_status()
        self.set_interval(LIBRARY_EVERY, self._look_at_library, name="library-clock")
        self.call_after_refresh(self._start_loading)

    def _on_screen_resume(self, event: events.ScreenResume) -> None:
        """On the first resume (the reader's start), Textual styles every widget again, as
        each was styled when it mounted a moment before: some 4 ms of the first frame, for
        the same styles. Later resumes (a dialog closed) restyle as Textual decides.

        Textual calls this, then ``Screen._on_screen_resume`` (each class's own handler,
        subclass first), which does the resuming."""
        if not self._resumed:
            self._resumed = True
            event.refresh_styles = False

    def _on_timer_update(self) -> None:
        """Compose a frame (Textual's screen update) with the background threads aside."""
        with frames.composing():
            super()._on_timer_update()

    def on_unmount(self) -> None:
        """Close the library: the queued changes are made (within a few seconds), one last
        try saves what the disk refused, and what is lost anyway is told on stderr, with
        the inputs that could not be read (``paperview`` then exits with status 1)."""
        self._generation += 1  # a running search stops
        lost = self.library.close()
        farewell = getattr(self.app, "farewell", None)
        if not isinstance(farewell, list):
            return
        if self.corpus is not None:
            farewell.extend(escaped(str(problem)) for problem in self.corpus.unreadable_inputs)
        if lost:
            farewell.append(f"lost {count_changes(lost)} to the library that couldn't be saved")

    def may_quit(self) -> bool:
        """Whether the app may quit now: with changes the disk refused, warn once first."""
        if not self.unsaved or self._quit_warned:
            return True
        self._quit_warned = True
        self.notify(
            f"{count_changes(self.unsaved)} to the library couldn't be saved yet: "
            "press q again to quit and lose them, or ctrl+s to try saving now.",
            severity="warning",
            markup=False,
        )
        return False

    def _start_loading(self) -> None:
        self.library.open()
        self._load_started = monotonic()
        self._clock = self.set_interval(0.5, self._show_status, name="loading-clock")
        self._load()

    @work(thread=True, exclusive=True, group="load")
    def _load(self) -> None:
        """Read the inputs and build the index, off the UI thread."""
        worker = get_current_worker()
        self.post_message(self.LoadProgressed("reading the inputs"))
        from ..data import jsonl_workers
        from ..data.cache import CorpusCache

        cache_on = self._read_options is None or self._read_options.cache
        cache = CorpusCache(defer=True) if cache_on else None  # written once searchable
        jsonl_workers.start_early(self._paths, cache)  # parsing starts while the rest imports
        # The corpus and its index are millions of objects that live as long as the app:
        # the cycle collector is off while they are built, then they are frozen out of its
        # sight (see idle.py).
        gc.disable()
        try:
            try:
                corpus = self._read_inputs(worker, cache)
            finally:
                jsonl_workers.drop_early()  # begun for a file that was not read after all
            if worker.is_cancelled:
                return
            self.post_message(self.CorpusRead(corpus))
            from ..data.search import SearchIndex

            index = SearchIndex(corpus.papers, pause=frames.step_aside)
            if worker.is_cancelled:
                return
            self.post_message(self.IndexReady(index))
            ids: Sequence[str] = getattr(corpus.papers, "ids", None) or [
                paper.id for paper in corpus.papers
            ]
            self.post_message(self.CorpusIdsKnown(frozenset(ids)))
            if cache is not None:
                cache.flush(partial(self._warm_waits, worker))  # it waits while the user searches
            index.warm(partial(self._warm_waits, worker))
        finally:
            freeze_loaded()
            gc.enable()

    def _read_inputs(self, worker: Worker[None], cache: CorpusCache | None) -> Corpus:
        """The corpus of the inputs, with progress reported (in the loading thread)."""
        from ..data.corpus import load_corpus  # deferred: the models import pydantic
        from ..data.sources import ReadOptions, expand_paths

        files, _ = expand_paths(self._paths)
        size = sum(_size(path) for path in files)
        plural = "s" if len(files) != 1 else ""
        reading = f"reading {len(files):,} file{plural} ({_megabytes(size)})"
        self.post_message(self.LoadProgressed(reading))
        shown = [0.0, 0.0]  # the percentage shown, and when

        def progress(done: int, total: int) -> None:
            # At most PROGRESS_EVERY seconds apart: each update is a frame, and a frame a
            # percent cost a big file's parsing 0.5 s of this process's time
            percent = 100 * done // total if total else 100
            now = monotonic()
            if percent != shown[0] and (done >= total or now - shown[1] >= PROGRESS_EVERY):
                shown[:] = [percent, now]
                self.post_message(self.LoadProgressed(f"{reading} {percent}%"))

        return load_corpus(
            self._paths,
            self._read_options or ReadOptions(),
            cache=cache,
            progress=progress,
            cancelled=lambda: worker.is_cancelled,
        )

    @on(LoadProgressed)
    def _load_progressed(self, message: LoadProgressed) -> None:
        self.activity = message.activity
        self._show_status()

    @on(CorpusRead)
    def _corpus_read(self, message: CorpusRead) -> None:
        self.corpus = corpus = message.corpus
        self._corpus_problems = _problem_count(corpus)
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

    def _warm_waits(self, worker: Worker[None]) -> bool:
        """Between two steps of the background work (writing the cache, building the
        index's keys): wait while a search runs or the user is typing; whether to stop (the
        reader is closing). A first search over a million papers builds the abstracts' keys
        itself, for seconds; the cache written meanwhile read every abstract from the file
        too, and the two threads took turns (first open, ``g``: 51 s to the complete result,
        31 s with the writer waiting)."""
        frames.step_aside()
        while not worker.is_cancelled and (
            self._searching() or monotonic() - self._searched_at < WARM_PAUSE
        ):
            sleep(WARM_PAUSE / 10)
        return worker.is_cancelled

    def _searching(self) -> bool:
        """Whether a search (or the explaining of its matches) is running."""
        return bool(self._user_work)

    def _search(self) -> None:
        """Start a search for the current query and order (cancelling any running one).

        In a small corpus (:data:`INLINE_PAPERS`) the first stage is found here, on the UI
        thread, so the frame that shows the typed key shows its result too; the worker goes
        on with the later stages."""
        from ..data.sorting import SortKey

        index = self.index
        if index is None:
            return
        self._generation += 1
        generation = self._generation
        self._searched_at = monotonic()
        query, library = self.search_text, self.library_view
        page = self.paper_list.scrollable_content_region.height + 1
        stages = index.search_stages(
            query,
            sort=None if self.sort is None else SortKey(self.sort),
            reverse=self.reverse,
            library=library,
            cancelled=partial(self._stale, generation),
        )
        shown: MainScreen.SearchProgressed | None = None
        if len(self.papers) <= INLINE_PAPERS and index.columns.words.ready:
            deadline = monotonic() + INLINE_TIME
            for result in stages:
                shown = self._progress(generation, result, page)
                if result.complete or monotonic() > deadline:
                    break
            if shown is not None:
                self._search_progressed(shown)
        self._run_search(index, generation, stages, query, page, library, shown)

    def _stale(self, generation: int) -> bool:
        """Between two steps of a search: whether a newer one has started (a background
        step first waits for the frame being composed)."""
        frames.step_aside()
        return self._generation != generation

    def _progress(self, generation: int, result: SearchResult, page: int) -> SearchProgressed:
        """The message that shows ``result`` (with the positions to explain once drawn)."""
        explaining = result.indices[:page] if result.query.strip() and result.complete else ()
        return self.SearchProgressed(generation, result, explaining)

    @work(thread=True, exclusive=True, group="search")
    def _run_search(
        self,
        index: SearchIndex,
        generation: int,
        stages: Iterator[SearchResult],
        query: str,
        page: int,
        library: LibraryView | None,
        shown: SearchProgressed | None,
    ) -> None:
        """Post each later stage of the search as soon as it is found; stop as soon as a
        newer search starts (``shown`` is the stage already shown, if any).

        Once the complete result is on screen, the worker explains where the query matched
        its first ``page`` papers and posts the spans, which redraw those rows (until then
        they show the previous query's highlights). Explaining before posting would hold
        the result back, and explaining while the frame is drawn would slow the frame: the
        two threads share the interpreter lock.
        """
        worker = get_current_worker()
        with self._user_work.counted():
            for result in stages:
                if worker.is_cancelled:
                    return
                shown = self._progress(generation, result, page)
                self.post_message(shown)
            if shown is None or not shown.explaining:
                return
            shown.drawn.wait(DRAW_WAIT)
            found = _explained(index, query, shown.explaining, library, lambda: worker.is_cancelled)
        if found is not None:
            self.post_message(self.SearchExplained(generation, query, found))

    @on(SearchProgressed)
    def _search_progressed(self, message: SearchProgressed) -> None:
        """Show a search stage at once; frames come at most 60 times a second, so stages
        found within one frame's time are drawn once."""
        if message.generation != self._generation:
            message.drawn.set()
            return  # a newer search has started: this result is stale
        previous, result = self.result, message.result
        self.result = result
        self._collector.poke()
        self._highlights.reset(result.query)
        if result.complete:
            self._highlights.expect(message.explaining)
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
                row = find_row(result.indices, selected, limit)
                # a library change took the paper out of the result: stay on the same row
                cursor = row if row is not None else (self._keep_row or 0)
        if result.complete:
            self._keep_row = None
        self.paper_list.show(
            self.papers,
            result.indices,
            spans=self._title_spans if result.query.strip() else None,
            cursor=cursor,
            placeholder=self._empty(),
        )
        self.paper_list.call_after_drawn(message.drawn.set)
        self._follow_cursor()
        # the status line in the next frame: drawn with the list, the screen would redraw
        # everything between them (a frame redraws the box around what changed)
        self.paper_list.call_after_drawn(self._show_status)

    # --- match highlights (explained off the UI thread) --------------------------------

    def _title_spans(self, position: int) -> Spans:
        return self._field_spans(position).get("title", NO_SPANS)

    def _field_spans(self, position: int) -> FieldSpans:
        spans = self._highlights.spans(position)
        complete = self.result is not None and self.result.complete
        if complete and self._highlights.pending and not self._explain_scheduled:
            self._explain_scheduled = True
            self.call_after_refresh(self._explain_pending)
        return spans

    def _explain_pending(self) -> None:
        self._explain_scheduled = False
        positions = self._highlights.take_pending()
        if positions and self.index is not None:
            highlights = self._highlights
            self._run_explain(
                self.index, highlights.query, highlights.generation, positions, self.library_view
            )

    @work(thread=True, group="explain")
    def _run_explain(
        self,
        index: SearchIndex,
        query: str,
        generation: int,
        positions: list[int],
        library: LibraryView | None,
    ) -> None:
        """Explain why each paper matches, for the rows on screen and the detail pane
        (dropped if the query changes meanwhile: these spans are no longer wanted)."""
        with self._user_work.counted():
            found = _explained(
                index, query, positions, library, lambda: generation != self._highlights.generation
            )
        if found is not None:
            self.post_message(self.MatchesExplained(generation, found))

    @on(MatchesExplained)
    def _matches_explained(self, message: MatchesExplained) -> None:
        self._show_spans(set(self._highlights.add(message.generation, message.found)))

    @on(SearchExplained)
    def _search_explained(self, message: SearchExplained) -> None:
        if message.generation == self._generation:
            self._highlights.add_for(message.query, message.found)
            self._show_spans(set(message.found))

    def _show_spans(self, covered: Collection[int]) -> None:
        """Redraw the rows (and the paper) whose match spans just arrived."""
        if not covered:
            return
        self.paper_list.refresh_papers(covered)
        if self.paper_list.position in covered:  # in the frame after the list's
            self.paper_list.call_after_drawn(self._show_resting_detail)

    # --- what the widgets report ---------------------------------------------------------

    @on(PaperList.Highlighted)
    def _highlighted(self, _: PaperList.Highlighted) -> None:
        self._collector.poke()
        self._follow_cursor()

    def _follow_cursor(self) -> None:
        """Show the paper under the cursor: in the frame after the list's, or once the
        cursor rests.

        The list is what the user waits for, so its frame is drawn first and the paper in
        the next one. While the cursor moves fast (a held key, page after page, results
        arriving as the user types) the paper is drawn when things settle for
        :data:`DETAIL_QUIET`, not one abstract per row passed or per keystroke.
        """
        if self._detail_timer is not None:
            self._detail_timer.stop()
            self._detail_timer = None
        if monotonic() - self._detail_shown_at < DETAIL_QUIET:
            self._detail_timer = self.set_timer(DETAIL_QUIET, self._show_resting_detail)
        elif not self._detail_due:
            self._detail_due = True
            self.paper_list.call_after_drawn(self._show_resting_detail)

    def _show_resting_detail(self) -> None:
        self._detail_timer = None
        self._detail_due = False
        position = self.paper_list.position
        if position is None or not self._highlights.expected(position):
            self._show_detail(position)  # (else the search worker's spans will show it)

    def _show_detail(self, position: int | None) -> None:
        """Show the paper at ``position`` in the detail pane (unless it already is)."""
        self._detail_shown_at = monotonic()
        detail = self.detail
        if position is None:
            if detail.paper is not None:
                detail.show(None)
            return
        paper, spans = self.papers[position], self._field_spans(position)
        annotation = self._annotation(paper)
        # (a corpus may build a new Paper object on each read: compare by value)
        if detail.paper != paper or detail.spans is not spans or detail.annotation != annotation:
            detail.show(paper, spans, annotation)

    @on(PaperList.Selected)
    def _selected(self, message: PaperList.Selected) -> None:
        self.detail.focus()
        paper = self.papers[message.position]
        if self.library_view is not None and paper.id not in self._read:
            self.library.change(
                partial(_mark_opened, paper),
                positions=(message.position,),
                research=False,  # the paper stays listed while it is read, even under is:unread
                quiet=True,
            )

    @on(StatusBar.ProblemsClicked)
    def _problems_clicked(self) -> None:
        self.action_show_problems()

    # --- actions -------------------------------------------------------------------------

    def action_focus_search(self) -> None:
        """Put the cursor in the search bar."""
        self.query_one(SearchBar).focus()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """The search key is not offered while the cursor is in the search bar (there
        ``/`` is typed into the query, and the footer said it searched)."""
        return action != "focus_search" or not isinstance(self.focused, SearchBar)

    def action_focus_results(self) -> None:
        """Go to the results list (at once, not after the keys already typed: they go to
        the list too, see :mod:`..widgets.keys_in_order`)."""
        self.set_focus(self.paper_list)

    def action_back(self) -> None:
        """Back out: leave the search bar or the detail pane; in the list, clear the search
        (so escape twice clears it from anywhere, as the empty list says)."""
        search = self.query_one(SearchBar)
        if self.focused is self.paper_list and search.value:
            search.value = ""
        else:
            self.set_focus(self.paper_list)

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
        if not (self.app.is_web or has_browser()):
            self.notify(
                display.notice("No web browser found to open", url),
                severity="warning",
                markup=False,
            )
            return
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
        self.app.push_screen(ProblemsScreen([*self.corpus.problems, *self._library_problems()]))

    def _library_problems(self) -> list[Problem]:
        from ..data.models import Problem, Severity

        return [
            Problem(file="library", reason=warning, severity=Severity.WARNING)
            for warning in self.library_warnings
        ]

    def action_export(self) -> None:
        """Open the export dialog (bookmarks, a reading list, the results or the paper)."""
        from .export_dialog import ExportDialog

        if self.corpus is None or self.library_view is None:
            self.notify("Still loading.", markup=False)
            return
        result = self.result
        if not (
            (result is None and not self.search_text.strip())  # the listing, before indexing
            or (result is not None and result.complete and result.query == self.search_text)
        ):  # the rows are a search's early matches (or an older query's): not its results
            self.notify("Search still running; try again in a moment.", markup=False)
            return
        self.app.push_screen(
            ExportDialog(
                self.papers,
                positions=self.paper_list.rows,
                query=self.search_text,
                selected=self.selected,
                library=self.library_view,
            )
        )

    # --- the library ---------------------------------------------------------------------

    @on(LibraryOpened)
    def _library_opened(self, message: LibraryOpened) -> None:
        for warning in message.warnings:
            self.notify(display.notice(display.sentence(warning)), severity="warning", markup=False)
        self.library_warnings += message.warnings
        self.paper_list.set_marker(self._mark)
        self._take_view(message.view)
        self._search()  # a query with is:, tag: or list: can run now
        self._show_detail(self.paper_list.position)
        self._show_status()

    @on(LibraryFailed)
    def _library_failed(self, message: LibraryFailed) -> None:
        self.notify(display.notice(message.notice), severity="error", markup=False)
        if message.opening:
            self.library_problem = message.notice
            self.library_warnings.append(message.notice)
            self._show_status()

    @on(LibraryUpdated)
    def _library_updated(self, message: LibraryUpdated) -> None:
        if message.notice:
            self.notify(display.notice(message.notice), severity=message.severity, markup=False)
        before = self.library_view
        changed = self._take_view(message.view)
        self.unsaved = message.pending
        if not self.unsaved:
            self._quit_warned = False
        if changed:
            self._repaint_marks(before, message.view, message.positions)
            self._show_detail(self.paper_list.position)
            if before is not None:
                self._follow_renamed_lists(before, message.view)
            if message.research and self._library_filters():
                self._keep_row = self.paper_list.cursor_row
                self._search()
        self._show_status()

    def _follow_renamed_lists(self, before: LibraryView, after: LibraryView) -> None:
        """Keep a ``list:`` filter on its list when the list is renamed (the caller searches)."""
        from ..data.library.follow import follow_renames, renamed_lists

        query = follow_renames(self.search_text, renamed_lists(before, after))
        if query != self.search_text:
            search = self.query_one(SearchBar)
            with search.prevent(Input.Changed):
                search.value = query
            search.cursor_position = len(query)
            self.search_text = query

    def _repaint_marks(
        self, before: LibraryView | None, after: LibraryView, positions: tuple[int, ...] | None
    ) -> None:
        """Redraw the rows of ``positions`` if only their marks changed; else every row (the
        job also picked up another process's changes, say)."""
        if before is not None and positions is not None:
            marks = (before.bookmarked ^ after.bookmarked) | (before.read ^ after.read)
            papers = self.papers
            if marks <= {papers[p].id for p in positions if p < len(papers)}:
                self.paper_list.refresh_papers(positions)
                return
        self.paper_list.set_marker(self._mark)

    def _take_view(self, view: LibraryView) -> bool:
        """Show ``view`` from now on; whether it differs from the one shown."""
        if view is self.library_view:
            return False
        self.library_view = view
        self._bookmarked, self._read = view.bookmarked, view.read
        return True

    def _look_at_library(self) -> None:
        """Retry saving what the disk refused; else pick up other processes' changes."""
        if self.library.store is None or self.library.busy:
            return  # a job is running (maybe waiting for a lock): no need to pile up more
        if self.unsaved:
            self.library.retry(asked=False)
        else:
            self.library.refresh()

    @on(CorpusIdsKnown)
    def _corpus_ids_known(self, message: CorpusIdsKnown) -> None:
        self.corpus_ids = message.ids
        self._show_status()

    def _mark(self, paper: Listed) -> display.RowMark:
        """A row's mark (called for visible rows only): O(1) set lookups."""
        return display.library_mark(paper.id in self._bookmarked, paper.id in self._read)

    def _annotation(self, paper: Paper) -> Annotation | None:
        view = self.library_view
        return None if view is None else view.annotation(paper.id)

    def _library_filters(self) -> list[tuple[str, str]]:
        """The query's library filters (``is:``, ``tag:``, ``list:``) as (kind, value)."""
        if self.index is None or not self.search_text.strip():
            return []
        from ..data.search import QueryError, parse
        from ..data.search.query import InLibrary, leaves

        try:
            tree = parse(self.search_text)
        except QueryError:
            return []
        return [
            (leaf.kind, leaf.value)
            for leaf, positive in leaves(tree)
            if isinstance(leaf, InLibrary) and positive
        ]

    def _filter_words(self) -> tuple[str, ...]:
        """The query's library filters in words, with the papers the corpus lacks."""
        view, ids = self.library_view, self.corpus_ids
        words = []
        for kind, value in self._library_filters():
            word = value if kind == "is" else f"{kind} {value}"
            found = view.ids(kind, value) if view is not None else None
            if isinstance(found, frozenset) and ids is not None and (absent := len(found - ids)):
                word += f" ({absent:,} not in this corpus)"
            words.append(word)
        return tuple(words)

    def _paper_to_change(self) -> tuple[Paper, int] | None:
        """The selected paper and its position, or None (and say why)."""
        position = self.paper_list.position
        if self.library_view is None:
            self._say_library_unavailable()
            return None
        if position is None:
            self.notify("No paper selected.", severity="warning", markup=False)
            return None
        return self.papers[position], position

    def _say_library_unavailable(self) -> None:
        problem = self.library_problem
        if problem is None:
            self.notify("The library is still opening.", markup=False)
        else:
            notice = f"The library is unavailable. {problem}"
            self.notify(display.notice(notice), severity="warning", markup=False)

    def _change(self, change: Change, position: int | None = None) -> None:
        self.library.change(change, positions=None if position is None else (position,))

    def action_toggle_bookmark(self) -> None:
        """Bookmark the selected paper, or remove its bookmark."""
        if (chosen := self._paper_to_change()) is not None:
            paper, position = chosen
            self._change(partial(_toggle_bookmark, paper), position)

    def action_toggle_read(self) -> None:
        """Mark the selected paper read, or unread."""
        if (chosen := self._paper_to_change()) is not None:
            paper, position = chosen
            self._change(partial(_toggle_read, paper), position)

    def action_view_bookmarks(self) -> None:
        """Show only the bookmarked papers (the filter goes in the search bar); again: all."""
        words = self.search_text.split()
        if BOOKMARKED in words:
            words = [word for word in words if word != BOOKMARKED]
        else:
            words.insert(0, BOOKMARKED)
        self._set_query(" ".join(words))

    def _set_query(self, text: str) -> None:
        search = self.query_one(SearchBar)
        search.value = text  # the Changed handler runs the search
        search.cursor_position = len(text)
        self.paper_list.focus()

    def action_edit_tags(self) -> None:
        """Edit the selected paper's tags."""
        from .tags import TagsScreen

        chosen = self._paper_to_change()
        if chosen is None or self.library_view is None:
            return
        paper, position = chosen
        before = self.library_view.tags_of(paper.id)
        dialog = TagsScreen(paper.title, before, self.library_view.all_tags())
        self.app.push_screen(dialog, partial(self._tags_chosen, paper, position, before))

    def _tags_chosen(
        self, paper: Paper, position: int, before: tuple[str, ...], tags: tuple[str, ...] | None
    ) -> None:
        from ..data.text import fold

        if tags is None:
            return
        same = {fold(tag) for tag in tags} == {fold(tag) for tag in before}
        if same and set(tags) != set(before):
            # tags ignore case: the library keeps the spelling first used
            self.notify("Tags unchanged (tags ignore case).", markup=False)
            return
        self._change(partial(_set_tags, paper, before, tags), position)

    def action_edit_note(self) -> None:
        """Write or edit the note on the selected paper."""
        from .note import NoteScreen

        chosen = self._paper_to_change()
        if chosen is None or self.library_view is None:
            return
        paper, position = chosen
        note = self.library_view.note(paper.id)
        self.app.push_screen(
            NoteScreen(paper.title, note), partial(self._note_written, paper, position, note)
        )

    def _note_written(self, paper: Paper, position: int, before: str, text: str | None) -> None:
        if text is not None and text != before:
            self._change(partial(_set_note, paper, before, text), position)

    def action_manage_lists(self) -> None:
        """Put the selected paper on reading lists or take it off; manage the lists."""
        from .lists import ListsScreen

        chosen = self._paper_to_change()
        if chosen is None:
            return
        paper, position = chosen
        dialog = ListsScreen(self._list_summaries(paper.id), paper.title, len(self.paper_list.rows))
        self.app.push_screen(dialog, partial(self._list_chosen, paper, position))

    def action_view_list(self) -> None:
        """Pick a reading list and show only its papers."""
        from .lists import ListsScreen

        if self.library_view is None:
            self._say_library_unavailable()
            return
        self.app.push_screen(ListsScreen(self._list_summaries(None)), self._list_chosen_to_view)

    def _list_summaries(self, paper_id: str | None) -> list[ListSummary]:
        from .lists import ListSummary

        ids = self.corpus_ids
        view = self.library_view
        return [
            ListSummary(
                item.name,
                len(item),
                None if ids is None else len(set(item.ids) - ids),
                paper_id in item.ids,
            )
            for item in (view.lists() if view is not None else ())
        ]

    def _list_chosen_to_view(self, action: ListAction | None) -> None:
        if action is not None:
            self._list_chosen(None, None, action)

    def _list_chosen(
        self, paper: Paper | None, position: int | None, action: ListAction | None
    ) -> None:
        if action is None:
            return
        name = action.name
        if action.kind == "view":
            quoted = name.replace("\\", "\\\\").replace('"', '\\"')
            self._set_query(f'list:"{quoted}"')
        elif action.kind == "rename":
            self._change(partial(_rename_list, name, action.new_name))
        elif action.kind == "delete":
            self._change(partial(_delete_list, name))
        elif action.kind == "add_all":
            rows = self.paper_list.rows
            if len(rows) > BULK_LIMIT:
                self.notify(
                    f"{len(rows):,} papers are listed; narrow the search to at most "
                    f"{BULK_LIMIT:,} to add them all.",
                    severity="warning",
                    markup=False,
                )
                return
            papers = [self.papers[row] for row in rows]
            self._change(partial(_add_all, name, papers))
        elif paper is not None:  # toggle, add
            self._change(partial(_toggle_on_list, name, paper, action.kind == "add"), position)

    def action_undo(self) -> None:
        """Undo the last change to the library (bulk changes are one step)."""
        self.library.change(_undo)

    def action_redo(self) -> None:
        """Redo the library change just undone."""
        self.library.change(_redo)

    def action_save_library(self) -> None:
        """Try again now to save the library changes the disk refused."""
        self.library.retry(asked=True)

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
                problems=self._corpus_problems + len(self.library_warnings),
                filters=self._filter_words(),
                unsaved=self.unsaved,
                save_key=getattr(self.app, "keymap_overrides", {}).get("library-save", "ctrl+s"),
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
                [f"This search cannot be run: {result.error}", "Press escape twice to clear it."]
            )
        query = self.search_text.strip()
        if query == BOOKMARKED:
            view, ids = self.library_view, self.corpus_ids
            found = view.ids("is", "bookmarked") if view is not None else None
            elsewhere = len(found - ids) if isinstance(found, frozenset) and ids else 0
            first = (
                f"None of your {elsewhere:,} bookmarked papers is in this corpus."
                if elsewhere
                else "No bookmarked papers yet."
            )
            return display.list_placeholder(
                [first, "Press escape (or B) to list every paper, and b to bookmark one."]
            )
        return display.list_placeholder(
            [
                f"No papers match “{query}”.",
                "Try fewer or shorter words, or press escape twice to clear the search.",
            ]
        )


# --- library changes (run in the library worker; each returns what to tell the user) -------

BOOKMARKED = "is:bookmarked"
"""The query filter ``B`` adds to the search bar (and takes away again)."""


def _toggle_bookmark(paper: Paper, store: LibraryStore) -> str | None:
    store.toggle_bookmark(paper)
    return None  # the star in the list says it


def _toggle_read(paper: Paper, store: LibraryStore) -> str | None:
    store.toggle_read(paper)
    return None  # the title's weight in the list says it


def _mark_opened(paper: Paper, store: LibraryStore) -> str | None:
    if not store.is_read(paper.id):
        store.mark_read([paper], undoable=False)
    return None


def _set_tags(
    paper: Paper, before: tuple[str, ...], tags: tuple[str, ...], store: LibraryStore
) -> str | None:
    from ..data.text import fold

    old = {fold(tag): tag for tag in before}
    new = {fold(tag): tag for tag in tags}
    if old.keys() == new.keys():
        return None
    with store.batch("change the tags of 1 paper"):
        for key in old.keys() - new.keys():
            store.remove_tag(old[key], [paper])
        for key in new.keys() - old.keys():
            store.add_tag(new[key], [paper])
    return "Tags: " + (" ".join(tags) if tags else "none")


def _set_note(paper: Paper, before: str, text: str, store: LibraryStore) -> str | None:
    store.set_note(paper, text, base=before)  # saved elsewhere since before: both kept
    if store.note(paper.id) == (text if text.strip() else ""):
        return "Note saved." if text.strip() else "Note deleted."
    kept = "both versions are kept" if text.strip() else "so it was not deleted"
    return f"The note was changed in another window meanwhile; {kept}."


def _toggle_on_list(name: str, paper: Paper, add: bool, store: LibraryStore) -> str | None:
    found = store.reading_list(name)
    if found is not None and paper.id in found.ids and not add:
        store.remove_from_list(found.name, [paper])
        return f"Removed from “{found.name}”."
    if found is not None and paper.id in found.ids:
        return f"Already on “{found.name}”."
    store.add_to_list(name, [paper], create=True)
    return f"Added to “{found.name if found is not None else name}”."


def _add_all(name: str, papers: list[Paper], store: LibraryStore) -> str | None:
    if not papers:
        return "No papers are listed."
    store.add_to_list(name, papers)
    count = "1 paper" if len(papers) == 1 else f"{len(papers):,} papers"
    return f"Added {count} to “{name}” (u undoes it)."


def _rename_list(old: str, new: str, store: LibraryStore) -> str | None:
    store.rename_list(old, new)
    return f"Renamed “{old}” to “{new}”."


def _delete_list(name: str, store: LibraryStore) -> str | None:
    store.delete_list(name)
    return f"Deleted the list “{name}” (u brings it back)."


def _undo(store: LibraryStore) -> str | None:
    return store.undo() or "Nothing to undo."


def _redo(store: LibraryStore) -> str | None:
    return store.redo() or "Nothing to redo."


def _explained(
    index: SearchIndex,
    query: str,
    positions: Sequence[int],
    library: LibraryView | None,
    stopped: Callable[[], bool],
) -> dict[int, FieldSpans] | None:
    """Where ``query`` matched each paper of ``positions`` (in a worker, stepping aside for
    frames); None if ``stopped()`` first."""
    found: dict[int, FieldSpans] = {}
    for position in positions:
        frames.step_aside()
        if stopped():
            return None
        match = index.explain(query, position, library=library)
        found[position] = match.spans if match is not None else {}
    return found


def _problem_count(corpus: Corpus) -> int:
    from ..data.snapshot import problem_count  # loaded with the corpus, not at start-up

    return problem_count(corpus.problems)


def _size(path: Path) -> int:
    try:
        return path.stat().st_size
    except OSError:
        return 0


def _megabytes(size: int) -> str:
    if size < 1_000_000:
        return f"{size / 1000:.0f} kB"
    return f"{size / 1_000_000:,.1f} MB"
