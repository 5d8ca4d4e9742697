"""settings.json: remapped keys and the theme, read at start, the theme kept; a bad file is
reported and never rewritten."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from app_support import make_app, settle, write_corpus
from textual.screen import Screen

from tui.app import PaperviewApp
from tui.data.settings import Settings, SettingsError, read_settings, save_theme, settings_path
from tui.screens.help import HelpScreen, binding_owners
from tui.widgets.search_bar import SearchBar


def test_no_file_means_the_defaults(tmp_path: Path) -> None:
    assert read_settings(tmp_path / "settings.json") == Settings()


@pytest.mark.parametrize(
    ("text", "message"),
    [
        ('{"keys": {', "settings.json:1: not valid JSON"),
        ("[1, 2]", "settings.json: not a JSON object"),
        ('{"keys": {"help": 1}}', 'settings.json: "keys" must map binding ids to keys'),
        ('{"theme": 3}', 'settings.json: "theme" must be a theme\'s name'),
    ],
)
def test_a_bad_file_is_refused_in_one_line(tmp_path: Path, text: str, message: str) -> None:
    path = tmp_path / "settings.json"
    path.write_text(text, encoding="utf-8")
    with pytest.raises(SettingsError) as failure:
        read_settings(path)
    assert message in str(failure.value) and "\n" not in str(failure.value)
    with pytest.raises(SettingsError):
        save_theme(path, "nord")
    assert path.read_text(encoding="utf-8") == text  # kept exactly as it was


def test_saving_the_theme_keeps_the_rest(tmp_path: Path) -> None:
    path = settings_path(tmp_path / "data")
    save_theme(path, "nord")  # no file yet, nor its directory
    path.write_text(json.dumps({"keys": {"help": "f1"}, "theme": "nord", "x": 1}), "utf-8")
    path.chmod(0o644)
    save_theme(path, "dracula")
    assert stat.S_IMODE(path.stat().st_mode) == 0o600  # the user's alone, like the library
    assert json.loads(path.read_text("utf-8")) == {
        "keys": {"help": "f1"},
        "theme": "dracula",
        "x": 1,
    }


async def test_the_reader_takes_the_keys_and_theme_and_keeps_a_new_theme(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = settings_path(data)
    path.write_text(json.dumps({"keys": {"help": "f1"}, "theme": "catppuccin-latte"}), "utf-8")
    app = make_app(write_corpus(tmp_path), data_dir=data)
    async with app.run_test(size=(100, 30)) as pilot:
        await settle(pilot)
        assert app.theme == "catppuccin-latte"
        await pilot.press("f1")
        assert type(app.screen).__name__ == "HelpScreen"
        await pilot.press("escape")
        app.theme = "nord"  # as the palette's theme command does
        await pilot.pause()
    assert read_settings(path) == Settings({"help": "f1"}, "nord")


async def test_a_bad_settings_file_is_reported_and_left_alone(tmp_path: Path) -> None:
    data = tmp_path / "data"
    data.mkdir()
    path = settings_path(data)
    path.write_text('{"theme": "nord",', "utf-8")
    app = make_app(write_corpus(tmp_path), data_dir=data)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        notices = [notice.message for notice in app._notifications]
        assert any("not valid JSON" in n and "default keys and theme" in n for n in notices)
        app.theme = "dracula"
        await pilot.pause()
    assert path.read_text("utf-8") == '{"theme": "nord",'


TESTER_KEYS = {"search": "ctrl+f", "nosuch": "x", "help": "q"}
"""A settings file with a remapped key, an id no binding has, and a key quit already has."""


def app_with_keys(tmp_path: Path, keys: dict[str, str]) -> PaperviewApp:
    """The reader with ``keys`` remapped in its settings file."""
    data = tmp_path / "data"
    data.mkdir()
    settings_path(data).write_text(json.dumps({"keys": keys}), "utf-8")
    return make_app(write_corpus(tmp_path), data_dir=data)


def notices(app: PaperviewApp) -> list[str]:
    return [notice.message for notice in app._notifications]


async def test_binding_ids_no_binding_has_are_reported(tmp_path: Path) -> None:
    app = app_with_keys(tmp_path, {**TESTER_KEYS, "nor-this": "y"})
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause()
        told = [n for n in notices(app) if "no binding has" in n]
        assert told == [
            f'{app.settings_path}: no binding has the ids "nosuch", "nor-this"; ignored'
        ]


async def test_a_remapped_key_another_binding_has_is_reported_with_the_one_it_runs(
    tmp_path: Path,
) -> None:
    app = app_with_keys(tmp_path, TESTER_KEYS)
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause()
        clash = (
            f"{app.settings_path}: \"q\" is both quit's and help's key; q now runs help, not quit"
        )
        assert clash in notices(app)
        assert not any("ctrl+f" in n or "^f" in n for n in notices(app))  # search's is free
        await pilot.press("q")  # as told: help, and the reader still runs
        assert isinstance(app.screen, HelpScreen)


async def test_a_remapped_key_shadowed_in_one_pane_is_reported_for_that_pane(
    tmp_path: Path,
) -> None:
    app = app_with_keys(tmp_path, {"sort": "j"})
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert [n.removeprefix(f"{app.settings_path}: ") for n in notices(app)] == [
            "\"j\" is both sort's and list.down's key; in the results list, j runs list.down",
            "\"j\" is both sort's and detail.down's key; in the paper detail, j runs detail.down",
        ]


async def test_keys_that_clash_with_nothing_are_not_reported(tmp_path: Path) -> None:
    app = app_with_keys(tmp_path, {"search": "/,ctrl+f", "help": "f1", "quit": "q"})
    async with app.run_test(size=(100, 30), notifications=True) as pilot:
        await settle(pilot)
        await pilot.pause()
        assert notices(app) == []


async def test_the_search_bar_names_the_search_key_of_the_keymap(tmp_path: Path) -> None:
    app = app_with_keys(tmp_path, TESTER_KEYS)
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        bar = screen.query_one(SearchBar)
        assert bar.placeholder == "Search titles and abstracts (press ^f to search, esc to leave)"
        app.update_keymap({"search": "f3,slash", "search.back": "f4"})
        await pilot.pause()
        assert (
            bar.placeholder == "Search titles and abstracts (press f3 or / to search, f4 to leave)"
        )


async def test_the_search_bar_names_the_default_keys(tmp_path: Path) -> None:
    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        bar = screen.query_one(SearchBar)
        assert bar.placeholder == "Search titles and abstracts (press / to search, esc to leave)"


async def test_the_widgets_with_bindings_are_the_readers(tmp_path: Path) -> None:
    # The key check takes the widgets that have bindings to be on the reader (not in a dialog).
    app = make_app(write_corpus(tmp_path), data_dir=tmp_path / "data")
    async with app.run_test(size=(100, 30)) as pilot:
        screen = await settle(pilot)
        for title, owner in binding_owners(PaperviewApp):
            if owner is not PaperviewApp and not issubclass(owner, Screen):
                assert any(isinstance(node, owner) for node in screen.walk_children()), title
