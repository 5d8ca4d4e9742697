"""The paperview Textual app: wiring only. The reader itself is :class:`MainScreen`.

Everything the app reads from the environment comes in through the constructor (the corpus
paths, how to read them, the data directory), so tests hand it temporary files. Start-up is
kept light: the data layer (pydantic models, rapidfuzz) is imported by the loading worker
after the first frame, not here; the dialogs' style sheets are read when a dialog first
opens; and the cycle collector is off until the first frame is drawn.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Mapping, Sequence
from pathlib import Path, PurePath
from typing import TYPE_CHECKING, ClassVar

from textual import events, on, work
from textual.app import App, SystemCommand
from textual.binding import Binding, BindingType
from textual.command import Provider
from textual.message import Message
from textual.screen import Screen

from . import display
from .resources import seeds_dir, styles_dir
from .screens.main import MainScreen

if TYPE_CHECKING:
    from .data.sources import ReadOptions


def _paper_commands() -> type[Provider]:
    from .providers import PaperCommands  # imported when the palette first opens

    return PaperCommands


READER_SHEETS = ("main.tcss", "widgets.tcss")
"""The style sheets of the reader's first frame. A default screen's own ``CSS_PATH`` is
ignored, so these are the app's; each dialog names its sheet on its ``CSS_PATH``, read when it
is first pushed, so start-up does not parse the dialogs' rules."""


def style_sheets() -> list[str | PurePath]:
    """The reader's style sheets (:data:`READER_SHEETS` in ``styles/``), in that order."""
    return [styles_dir() / name for name in READER_SHEETS]


class KeymapChecked(Message):
    """What is wrong with the settings' keys (a line each), found off the UI thread."""

    def __init__(self, problems: list[str]) -> None:
        super().__init__()
        self.problems = problems


class PaperviewApp(App[None]):
    """A keyboard-driven reader for research-paper listings."""

    TITLE = "paperview"
    CSS_PATH: ClassVar[list[str | PurePath]] = style_sheets()

    COMMANDS: ClassVar[set[type[Provider] | Callable[[], type[Provider]]]] = {
        *App.COMMANDS,
        lambda: _paper_commands(),
    }

    BINDINGS: ClassVar[list[BindingType]] = [
        Binding("q", "quit", "Quit", id="quit"),
        Binding(
            "ctrl+q",
            "quit",
            "Quit",
            show=False,
            priority=True,
            id="quit-anywhere",
            tooltip="Quit, even while typing",
        ),
        Binding("question_mark", "help", "Help", id="help", tooltip="Show the keys"),
        Binding(
            "ctrl+p",
            "command_palette",
            "Commands",
            show=False,
            priority=True,
            id="command-palette",
            tooltip="Every command, and jump to a paper by title",
        ),
    ]

    def __init__(
        self,
        paths: Sequence[Path] = (),
        read_options: ReadOptions | None = None,
        data_dir: Path | None = None,
    ) -> None:
        """Create the app.

        Args:
            paths: Corpus files or directories; the bundled corpus when empty.
            read_options: How to read them (size cap, encoding); defaults when None.
            data_dir: Where the user's library lives (bookmarks, read state); the library
                chooses its default location when None.
        """
        super().__init__()
        self.paths: list[Path] = list(paths) or [seeds_dir()]
        """The corpus inputs."""
        self.read_options = read_options
        """How the inputs are read."""
        self.data_dir = data_dir
        """The library's directory (None: the default location)."""
        self.keymap_overrides: dict[str, str] = {}
        """The keymap in force (binding id -> keys), for the help screen and the palette."""
        self.farewell: list[str] = []
        """What to tell the user on stderr once the reader has closed (changes lost)."""
        self._settings_problem: str | None = None
        self._settings_ready = False
        self._apply_settings()

    def _apply_settings(self) -> None:
        """Remap keys and set the theme as the settings file says (read only when there is
        one: reading JSON costs start-up some 10 ms); a problem is told once the reader shows,
        and the keys are checked then (:meth:`_check_keys`)."""
        from .data.locations import SETTINGS_FILENAME
        from .data.locations import data_dir as locate_data_dir

        self.settings_path = locate_data_dir(self.data_dir) / SETTINGS_FILENAME
        """Where the remapped keys and the theme are kept (see :mod:`tui.data.settings`)."""
        if not self.settings_path.exists():
            return
        from .data.settings import SettingsError, read_settings

        try:
            settings = read_settings(self.settings_path)
        except SettingsError as failure:
            self._settings_problem = f"{failure}; using the default keys and theme"
            return
        if settings.keys:
            self.set_keymap(settings.keys)
        if settings.theme is not None:
            if settings.theme in self.available_themes:
                self.theme = settings.theme
            else:
                self._settings_problem = f"{self.settings_path}: unknown theme {settings.theme!r}"

    def watch_theme(self, theme: str) -> None:
        """Keep the theme the user picks for the next start (in the settings file)."""
        if not self._settings_ready:
            return
        from .data.settings import SettingsError, save_theme

        try:
            save_theme(self.settings_path, theme)
        except (SettingsError, OSError) as failure:
            message = display.notice("Theme not kept for next time:", str(failure))
            self.notify(message, severity="warning", markup=False)

    def get_default_screen(self) -> Screen[None]:
        """The reader."""
        return MainScreen(self.paths, self.read_options, data_dir=self.data_dir)

    @on(events.Load)
    def _pause_collector(self) -> None:
        # Drawing the first frame allocates tens of thousands of objects that live as long
        # as the app (widgets, styles, rendered lines); the cycle collector walked them some
        # fifty times on the way (10-20 ms). It is off until that frame is drawn.
        gc.disable()

    @on(events.Ready)
    def _settings_told(self) -> None:
        self._settings_ready = True
        if self._settings_problem is not None:
            self._tell_settings_problem(self._settings_problem)
        if self.keymap_overrides:  # the settings' keys (the only keymap set before Ready)
            self._check_keys(dict(self.keymap_overrides))

    def _tell_settings_problem(self, problem: str) -> None:
        message = display.notice(problem)
        self.notify(message, severity="warning", markup=False, timeout=10)

    @work(thread=True, group="settings", exit_on_error=False)
    def _check_keys(self, keymap: dict[str, str]) -> None:
        """Find the settings' binding ids that no binding has, and the keys they give a
        binding that another binding already has. That needs every screen's bindings, so
        every dialog's module (and the data layer they import): off the UI thread, after
        the first frame, and only when the settings remap keys."""
        from .screens.help import keymap_problems

        self.post_message(KeymapChecked(keymap_problems(self, keymap)))

    @on(KeymapChecked)
    def _keys_checked(self, message: KeymapChecked) -> None:
        for problem in message.problems:
            self._tell_settings_problem(f"{self.settings_path}: {problem}")

    @on(events.Ready)
    @on(events.Unmount)
    def _resume_collector(self) -> None:
        # What start-up allocated goes straight to the oldest generation (freeze, then
        # unfreeze: two list splices, no pass over it), so turning the collector back on
        # does not start a young pass over all of it; the next full pass (when the user is
        # idle, see screens/idle.py) looks at it once.
        gc.freeze()
        gc.unfreeze()
        gc.enable()

    def set_keymap(self, keymap: Mapping[str, str]) -> None:
        """Replace the keymap (binding id -> keys) and remember it for the help."""
        self.keymap_overrides = dict(keymap)
        super().set_keymap(keymap)

    def update_keymap(self, keymap: Mapping[str, str]) -> None:
        """Merge ``keymap`` into the keymap and remember it for the help."""
        self.keymap_overrides.update(keymap)
        super().update_keymap(keymap)

    async def action_quit(self) -> None:
        """Quit, unless a screen has something to ask first (an edited note, unsaved
        library changes): a screen's ``may_quit()`` returning False keeps the app open."""
        for screen in reversed(self.screen_stack):
            may_quit = getattr(screen, "may_quit", None)
            if may_quit is not None and not may_quit():
                return
        self.exit()

    def action_help(self) -> None:
        """Show the keys (generated from the bindings and the keymap)."""
        from .screens.help import HelpScreen, key_sections

        if isinstance(self.screen, HelpScreen):
            return
        self.push_screen(HelpScreen(key_sections(self, self.keymap_overrides)))

    def get_system_commands(self, screen: Screen[object]) -> Iterable[SystemCommand]:
        """Textual's commands (theme, quit, screenshot...) and every reader command."""
        from .providers import reader_commands

        yield from super().get_system_commands(screen)
        if isinstance(screen, MainScreen):
            yield from reader_commands(screen)
