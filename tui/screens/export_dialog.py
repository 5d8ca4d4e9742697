"""The export dialog (``e``): what to export, in which format, to which file or the clipboard.

The dialog only gathers choices; the work is the data layer's (:mod:`tui.data.export`, the
same functions as ``paperview export``), done in a thread worker that reports progress and
can be stopped. A file that exists is replaced only after the user says so in the dialog,
and every file is written whole (:func:`tui.data.export.save`), so a crash or a stop never
leaves half a file.
"""

from __future__ import annotations

import os
from collections.abc import Callable, Sequence
from dataclasses import dataclass
from pathlib import Path
from typing import ClassVar

from textual import on, work
from textual.app import ComposeResult
from textual.binding import Binding, BindingType
from textual.containers import Horizontal, Vertical
from textual.content import Content
from textual.message import Message
from textual.screen import ModalScreen
from textual.widgets import (
    Button,
    Checkbox,
    Input,
    Label,
    OptionList,
    ProgressBar,
    RadioButton,
    RadioSet,
    Static,
)
from textual.widgets.option_list import Option
from textual.worker import get_current_worker

from .. import display
from ..data.export import (
    ExportCancelled,
    ExportDocument,
    ExportError,
    Format,
    Scope,
    bookmarks_document,
    check_papers,
    check_path,
    default_name,
    format_for,
    list_document,
    paper_document,
    papers,
    render_bytes,
    save,
    search_document,
    summary,
    utc_now,
)
from ..data.library import LibraryError, Queries
from ..data.models import Paper
from ..data.text import sanitize
from ..resources import styles_dir
from ..widgets.key_bar import KeyBar
from ..widgets.keys_in_order import TextBox

CLIPBOARD_LIMIT = 1_000_000
"""The most bytes copied to the clipboard: terminals cap OSC 52 (the escape sequence that
carries it) well below the size of a big export, and a huge one stalls the terminal."""

HINT = "enter or ctrl+s save · ctrl+y copy · escape close"
STOP_HINT = "escape stops the export; nothing is written until it is complete"

BOOKMARKS, RESULTS, PAPER = "bookmarks", "results", "paper"
"""Option ids of the "what" list; a reading list's is ``list:`` and its index."""


@dataclass(frozen=True)
class ExportJob:
    """One run of the worker: everything it needs, fixed when the user pressed save or copy."""

    what: str
    """``bookmarks``, ``results``, ``paper``, or ``list:NAME``."""
    format: Format
    abstracts: bool
    target: Path | None
    """The file to write (a directory: the default name in it); None: the clipboard."""
    replace: Path | None = None
    """The file the user agreed to replace: it is overwritten only if it is still the file
    the job writes (else the dialog asks again)."""


class FormatChoice(RadioSet):
    """The format row: an arrow picks the format it moves to, as in other radio groups
    (Textual's only moves the highlight, and space picks)."""

    def action_next_button(self) -> None:
        """Pick the next format."""
        super().action_next_button()
        self._pick()

    def action_previous_button(self) -> None:
        """Pick the previous format."""
        super().action_previous_button()
        self._pick()

    def _pick(self) -> None:
        """Pick the highlighted format (Textual 8.2 keeps its index in ``_selected``)."""
        if self._selected is not None:
            button = self._nodes[self._selected]
            if isinstance(button, RadioButton):
                button.value = True


class ExportDialog(ModalScreen[None]):
    """Export the bookmarks, a reading list, the current results or the selected paper."""

    CSS_PATH = styles_dir() / "export.tcss"
    """Read when the dialog is first pushed, not at start-up."""

    AUTO_FOCUS = ""
    """No auto focus: :meth:`on_mount` focuses the choices without scrolling. (Textual's
    scrolls the focused widget to the middle of a dialog too small to show whole, so it
    would open scrolled down, its title hidden.)"""

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding(
            "escape",
            "close",
            "Close",
            id="export.close",
            tooltip="Stop a running export, or close the export dialog",
        ),
        Binding("ctrl+s", "save", "Save", id="export.save", tooltip="Write the export to the file"),
        Binding(
            "ctrl+y",
            "copy",
            "Copy",
            id="export.copy",
            tooltip="Copy the export to the clipboard instead",
        ),
    ]

    @dataclass
    class Progressed(Message):
        """The worker has written ``done`` of ``total`` papers."""

        done: int
        total: int

    @dataclass
    class Finished(Message):
        """The worker stopped: written, copied, failed, stopped, or the file exists."""

        job: ExportJob
        document: ExportDocument | None = None
        written: Path | None = None
        text: str | None = None
        """What to copy to the clipboard (a clipboard job)."""
        error: str = ""
        exists: bool = False
        stopped: bool = False

    def __init__(
        self,
        corpus_papers: Sequence[Paper],
        *,
        positions: Sequence[int],
        query: str,
        selected: Paper | None,
        library: Queries,
        directory: Path | None = None,
    ) -> None:
        """Create the dialog.

        Args:
            corpus_papers: The corpus papers (``positions`` index them).
            positions: The current results, in the order shown.
            query: The search that found them ("" for none).
            selected: The paper under the cursor, if any.
            library: The library (a store or a snapshot; read in the worker).
            directory: Where a file name without a directory is written (None: the
                working directory, or the home directory if that is gone).
        """
        super().__init__()
        self._papers = corpus_papers
        self._positions = positions
        self._query = query
        self._selected = selected
        self._library = library
        self.directory = directory or _working_directory()
        """Where relative file names are written."""
        self._now = utc_now()
        self._auto_path = ""
        self._list_names: list[str] = []
        self._bookmarked = 0
        self._exporting = False
        self._asked: Path | None = None
        """The file the overwrite question is about (None: no question shown)."""

    # --- layout --------------------------------------------------------------------------

    def compose(self) -> ComposeResult:
        """What, format, abstracts, file, buttons; the overwrite question and progress."""
        yield KeyBar()
        with Vertical(id="export-dialog"):
            yield Static(Content("Export"), id="export-title")
            yield Label(Content("What"), classes="export-label")
            yield OptionList(*self._what_options(), id="export-what", markup=False, compact=True)
            yield Label(Content("Format"), classes="export-label")
            with FormatChoice(id="export-format", compact=True):
                for format in Format:
                    yield RadioButton(
                        Content(format.label),
                        value=format is Format.MARKDOWN,
                        id=f"export-format-{format.value}",
                    )
            yield Checkbox(
                Content("Include abstracts (Markdown)"), id="export-abstracts", compact=True
            )
            yield Label(Content("File"), classes="export-label")
            yield TextBox(id="export-path", select_on_focus=False, compact=True)
            with Vertical(id="export-footer"):  # docked: in view when the rest scrolls
                with Vertical(id="export-confirm"):
                    yield Static(Content(""), id="export-confirm-text")
                    with Horizontal(id="export-confirm-buttons"):
                        yield Button(
                            Content("Replace it"),
                            id="export-replace",
                            variant="warning",
                            compact=True,
                        )
                        yield Button(Content("Keep the old file"), id="export-keep", compact=True)
                yield ProgressBar(id="export-progress", show_eta=False)
                yield Static(Content(""), id="export-status")
                with Horizontal(id="export-buttons"):
                    yield Button(Content("Save"), id="export-save", variant="primary", compact=True)
                    yield Button(Content("Copy to clipboard"), id="export-copy", compact=True)
                    yield Button(Content("Cancel"), id="export-cancel", compact=True)
                yield Static(Content(HINT), id="export-hint")

    def on_mount(self) -> None:
        """Choose the results when a search is on or nothing is bookmarked, else the
        bookmarks; fill in the file."""
        what = self.query_one("#export-what", OptionList)
        what.focus(scroll_visible=False)
        start = RESULTS if self._query.strip() or not self._bookmarked else BOOKMARKS
        what.highlighted = what.get_option_index(start)
        self._update_path()
        self._update_abstracts()

    def _what_options(self) -> list[Option]:
        library = self._library.view()
        self._bookmarked = len(library.bookmarked_ids())
        marks = f" ({papers(self._bookmarked)})"
        shown = papers(len(self._positions))
        if self._query.strip():
            results = f"Search results for “{sanitize(self._query).strip()}” ({shown})"
        else:
            results = f"All papers, in the order shown ({shown})"
        options = [
            Option(Content(f"Bookmarks{marks}"), id=BOOKMARKS),
            Option(Content(results), RESULTS),
        ]
        if self._selected is not None:
            title = " ".join(sanitize(self._selected.title).split())
            options.append(Option(Content(f"Selected paper: {title}"), id=PAPER))
        self._list_names = []
        for index, reading in enumerate(library.lists()):
            self._list_names.append(reading.name)
            label = f"Reading list: {sanitize(reading.name)} ({papers(len(reading.ids))})"
            options.append(Option(Content(label), id=f"list:{index}"))
        return options

    # --- the choices -------------------------------------------------------------------

    @property
    def what(self) -> str:
        """The chosen set: ``bookmarks``, ``results``, ``paper`` or ``list:NAME``."""
        what = self.query_one("#export-what", OptionList)
        index = what.highlighted
        option_id = what.get_option_at_index(index).id if index is not None else None
        if option_id is None:
            return BOOKMARKS
        if option_id.startswith("list:"):
            return "list:" + self._list_names[int(option_id[5:])]
        return option_id

    @property
    def format(self) -> Format:
        """The chosen format."""
        pressed = self.query_one("#export-format", RadioSet).pressed_button
        if pressed is None or pressed.id is None:
            return Format.MARKDOWN
        return Format(pressed.id.removeprefix("export-format-"))

    def _default_name(self, what: str | None = None, format: Format | None = None) -> str:
        """The default file name for ``what`` in ``format`` (the dialog's choices when None)."""
        what = self.what if what is None else what
        format = self.format if format is None else format
        if what.startswith("list:"):
            return default_name(Scope.LIST, format, self._now, what[5:])
        if what == PAPER and self._selected is not None:
            return default_name(Scope.PAPER, format, self._now, paper_id=self._selected.id)
        scope = Scope.SEARCH if what == RESULTS else Scope.BOOKMARKS
        return default_name(scope, format, self._now)

    def _update_path(self) -> None:
        """Follow the choices with the default name, unless the user typed another one (then
        only its extension follows the format)."""
        path = self.query_one("#export-path", Input)
        if path.value in ("", self._auto_path):
            self._auto_path = path.value = self._default_name()
            return
        typed = format_for(path.value)
        if typed is not None and typed is not self.format:
            path.value = str(Path(path.value).with_suffix(self.format.extension))

    def _update_abstracts(self) -> None:
        self.query_one("#export-abstracts", Checkbox).disabled = (
            self._exporting or self.format is not Format.MARKDOWN
        )

    @on(OptionList.OptionHighlighted, "#export-what")
    def _what_changed(self) -> None:
        self._hide_confirm()
        self._update_path()

    @on(OptionList.OptionSelected, "#export-what")
    def _what_chosen(self) -> None:
        self.focus_next()

    @on(RadioSet.Changed, "#export-format")
    def _format_changed(self) -> None:
        self._hide_confirm()
        self._update_path()
        self._update_abstracts()

    @on(Checkbox.Changed, "#export-abstracts")
    def _abstracts_changed(self) -> None:
        self._hide_confirm()

    @on(Input.Changed, "#export-path")
    def _path_typed(self, event: Input.Changed) -> None:
        """Typing a name ending in ``.json``, ``.csv``, ``.bib`` or ``.md`` picks that format."""
        self._hide_confirm()
        typed = format_for(event.value)
        if typed is not None and typed is not self.format:
            self.query_one(f"#export-format-{typed.value}", RadioButton).value = True

    @on(Input.Submitted, "#export-path")
    def _path_submitted(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#export-save")
    def _save_pressed(self) -> None:
        self.action_save()

    @on(Button.Pressed, "#export-copy")
    def _copy_pressed(self) -> None:
        self.action_copy()

    @on(Button.Pressed, "#export-cancel")
    def _cancel_pressed(self) -> None:
        self.action_close()

    @on(Button.Pressed, "#export-replace")
    def _replace_pressed(self) -> None:
        asked = self._asked
        self._hide_confirm()
        self._start(replace=asked)

    @on(Button.Pressed, "#export-keep")
    def _keep_pressed(self) -> None:
        self._hide_confirm()
        self._show_status("Nothing was written; choose another file name.")
        self.query_one("#export-path", Input).focus()

    # --- actions -------------------------------------------------------------------------

    def action_save(self) -> None:
        """Write the export to the file named in the dialog."""
        self._start()

    def action_copy(self) -> None:
        """Copy the export to the clipboard."""
        self._start(clipboard=True)

    def action_close(self) -> None:
        """Stop a running export (nothing is written); otherwise close the dialog."""
        if self._exporting:
            self.workers.cancel_group(self, "export")
            return
        if self.query_one("#export-confirm").display:
            self._keep_pressed()
            return
        self.dismiss()

    def check_action(self, action: str, parameters: tuple[object, ...]) -> bool | None:
        """Save and copy wait while an export runs."""
        return not (self._exporting and action in ("save", "copy"))

    def target(self) -> Path | None:
        """The file named in the dialog (relative names in :attr:`directory`; a directory
        gets the default name), or None when the box is empty."""
        typed = self.query_one("#export-path", Input).value.strip()
        if not typed:
            return None
        path = Path(typed).expanduser()
        path = path if path.is_absolute() else self.directory / path
        return path / self._default_name() if typed.endswith(os.sep) else path

    def _start(self, *, clipboard: bool = False, replace: Path | None = None) -> None:
        if self._exporting:
            return
        target = None if clipboard else self.target()
        if not clipboard and target is None:
            self._show_status("Type a file name to export to.", error=True)
            self.query_one("#export-path", Input).focus()
            return
        abstracts = self.query_one("#export-abstracts", Checkbox).value
        job = ExportJob(self.what, self.format, abstracts, target, replace)
        self._set_running(True)
        self._show_status("Collecting the papers…")
        self._run(job)

    # --- the worker ----------------------------------------------------------------------

    @work(thread=True, exclusive=True, group="export")
    def _run(self, job: ExportJob) -> None:
        """Build, render and write (or hand over for the clipboard) one export."""
        worker = get_current_worker()
        document: ExportDocument | None = None
        try:
            target = job.target
            if target is not None and target.is_dir():
                target = target / self._default_name(job.what, job.format)
                job = ExportJob(job.what, job.format, job.abstracts, target, job.replace)
            overwrite = target is not None and target == job.replace
            document = self._document(job, lambda: worker.is_cancelled)
            check_papers(document)  # before asking to replace a file it would not write
            if target is not None:
                check_path(target, overwrite=overwrite)  # FileExistsError: ask
            self.post_message(self.Progressed(0, len(document.records)))
            data = render_bytes(
                document,
                job.format,
                abstracts=job.abstracts,
                progress=self._post_progress,
                cancelled=lambda: worker.is_cancelled,
            )
            if worker.is_cancelled:
                raise ExportCancelled
            if target is None:
                if len(data) > CLIPBOARD_LIMIT:
                    raise ExportError(
                        f"{len(data) / 1_000_000:,.1f} MB is too much for the clipboard "
                        f"(at most {CLIPBOARD_LIMIT // 1_000_000} MB); save it to a file"
                    )
                text = data.decode("utf-8")
                self.post_message(self.Finished(job, document, text=text))
                return
            written = save(target, data, overwrite=overwrite)
            self.post_message(self.Finished(job, document, written=written))
        except FileExistsError:
            self.post_message(self.Finished(job, exists=True))
        except ExportCancelled:
            self.post_message(self.Finished(job, stopped=True))
        except (ExportError, LibraryError) as failure:
            self.post_message(self.Finished(job, document, error=str(failure)))
        except OSError as failure:  # a path that cannot even be looked at
            reason = (failure.strerror or str(failure)).lower()
            self.post_message(self.Finished(job, error=f"couldn't export: {reason}"))

    def _post_progress(self, done: int, total: int) -> None:
        self.post_message(self.Progressed(done, total))

    def _document(self, job: ExportJob, cancelled: Callable[[], bool]) -> ExportDocument:
        """The papers to export (read in the worker: a big library or result takes a while;
        :class:`ExportCancelled` when ``cancelled()`` turns true meanwhile)."""
        library, now, found = self._library, self._now, self._papers
        if job.what.startswith("list:"):
            return list_document(found, library, job.what[5:], now, cancelled)
        if job.what == RESULTS:
            positions, query = self._positions, self._query
            return search_document(found, positions, query, library, now, cancelled)
        if job.what == PAPER and self._selected is not None:
            return paper_document(self._selected, library, now)
        return bookmarks_document(found, library, now, cancelled)

    @on(Progressed)
    def _progressed(self, message: Progressed) -> None:
        if not self._exporting:
            return
        self.query_one("#export-progress", ProgressBar).update(
            total=message.total, progress=message.done
        )
        self._show_status(f"Exporting {message.done:,} of {papers(message.total)}…")

    @on(Finished)
    def _finished(self, message: Finished) -> None:
        self._set_running(False)
        job, document = message.job, message.document
        if message.exists:
            self._ask_to_replace(job.target)
        elif message.stopped or message.error:  # the dialog stays: fix the name, try again
            stopped = "Export stopped; nothing was written."
            text = stopped if message.stopped else _sentence(message.error)
            self._show_status(text, error=not message.stopped)
            self.query_one("#export-path", Input).focus()
        elif document is not None and message.text is not None:
            self.app.copy_to_clipboard(message.text)
            copied = summary(document, job.format, "the clipboard").replace("exported", "copied")
            self.notify(_sentence(copied), markup=False)
            self.dismiss()
        elif document is not None and message.written is not None:
            written = summary(document, job.format, str(message.written))
            self.notify(_sentence(written), markup=False)
            self.dismiss()

    # --- states ------------------------------------------------------------------------

    def _set_running(self, running: bool) -> None:
        self._exporting = running
        for selector in ("#export-what", "#export-format", "#export-path"):
            self.query_one(selector).disabled = running
        self.query_one("#export-save", Button).disabled = running
        self.query_one("#export-copy", Button).disabled = running
        self.query_one("#export-cancel", Button).label = Content("Stop" if running else "Cancel")
        self.query_one("#export-hint", Static).update(Content(STOP_HINT if running else HINT))
        self.query_one("#export-progress", ProgressBar).display = running
        self.query_one("#export-dialog").set_class(running, "-running")
        self._update_abstracts()
        if running:
            self.query_one("#export-progress", ProgressBar).update(total=None, progress=0)
            self.query_one("#export-cancel", Button).focus()
        self.refresh_bindings()

    def _ask_to_replace(self, target: Path | None) -> None:
        self._asked = target
        self.query_one("#export-confirm-text", Static).update(
            Content(f"{sanitize(str(target))} already exists. Replace it?")
        )
        self.query_one("#export-confirm").display = True
        self._show_status("")
        self.query_one("#export-keep", Button).focus()

    def _hide_confirm(self) -> None:
        self._asked = None
        self.query_one("#export-confirm").display = False

    def _show_status(self, text: str, *, error: bool = False) -> None:
        status = self.query_one("#export-status", Static)
        status.update(Content(" ".join(sanitize(text).split())))
        status.set_class(error, "-error")


def _sentence(text: str) -> str:
    """``text`` with a capital first letter and a full stop, on one line."""
    text = display.sentence(" ".join(sanitize(text).split()))
    return text + ("" if text.endswith(".") else ".")


def _working_directory() -> Path:
    try:
        return Path.cwd()
    except OSError:  # the directory paperview was started in has been deleted
        return Path.home()
