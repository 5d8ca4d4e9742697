"""Where the data directory is: --data-dir, then $PAPERVIEW_DATA_DIR, then the platform's."""

from __future__ import annotations

import sys
from pathlib import Path

import pytest

from tui.data.locations import data_dir, locate_data_dir


@pytest.fixture(autouse=True)
def _data_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    chosen = tmp_path / "env-data"
    monkeypatch.setenv("PAPERVIEW_DATA_DIR", str(chosen))
    return chosen


def test_the_explicit_directory_wins(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    assert locate_data_dir(tmp_path / "x") == (tmp_path / "x", "--data-dir")
    monkeypatch.chdir(tmp_path)
    assert data_dir("relative/dir") == tmp_path / "relative" / "dir"  # made absolute
    monkeypatch.setenv("HOME", str(tmp_path / "home"))
    assert data_dir("~/notes") == tmp_path / "home" / "notes"


def test_the_variable_is_used_when_absolute(_data_dir_env: Path) -> None:
    assert locate_data_dir() == (_data_dir_env, "PAPERVIEW_DATA_DIR")
    assert data_dir("") == _data_dir_env  # an empty option is no option


@pytest.mark.skipif(not sys.platform.startswith("linux"), reason="the XDG layout")
@pytest.mark.parametrize("value", ["", "relative/dir", "~/data"])
def test_empty_or_relative_values_are_ignored(
    value: str, tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    home = tmp_path / "home"
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("PAPERVIEW_DATA_DIR", value)
    monkeypatch.setenv("XDG_DATA_HOME", value)
    assert locate_data_dir() == (home / ".local" / "share" / "paperview", "default")


def test_xdg_data_home_moves_the_default(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    monkeypatch.delenv("PAPERVIEW_DATA_DIR")
    monkeypatch.setenv("XDG_DATA_HOME", str(tmp_path / "xdg"))
    assert data_dir() == tmp_path / "xdg" / "paperview"


def test_resolving_creates_nothing(tmp_path: Path, _data_dir_env: Path) -> None:
    data_dir(tmp_path / "x")
    data_dir()
    assert not (tmp_path / "x").exists() and not _data_dir_env.exists()


def test_an_injected_environment(tmp_path: Path) -> None:
    assert data_dir(environ={"PAPERVIEW_DATA_DIR": str(tmp_path)}) == tmp_path
