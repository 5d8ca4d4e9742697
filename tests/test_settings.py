"""settings.json: remapped keys and the theme, read at start, the theme kept; a bad file is
reported and never rewritten."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from app_support import make_app, settle, write_corpus

from tui.data.settings import Settings, SettingsError, read_settings, save_theme, settings_path


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
