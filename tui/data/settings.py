"""The user's settings: remapped keys and the theme, in ``settings.json`` in the data directory.

```json
{"keys": {"search": "ctrl+f", "help": "f1"}, "theme": "catppuccin-latte"}
```

``keys`` maps a binding id (``?`` and docs/keys.md list them) to the keys that run it,
comma-separated; ``theme`` is a Textual theme's name. The reader reads the file when it
starts and writes the theme back when the user picks another one; a file it cannot read
(bad JSON, a wrong shape) is reported in one line and left exactly as it is, never
rewritten.
"""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from pathlib import Path
from typing import Any

from .atomic import write_atomic
from .locations import SETTINGS_FILENAME


class SettingsError(ValueError):
    """The settings file cannot be used; the message says why, in one line."""


@dataclass(frozen=True)
class Settings:
    """What the file says (empty when there is no file)."""

    keys: dict[str, str] = field(default_factory=dict)
    theme: str | None = None


def settings_path(data_dir: Path) -> Path:
    """Where the settings of the data directory ``data_dir`` are."""
    return data_dir / SETTINGS_FILENAME


def read_settings(path: Path) -> Settings:
    """The settings in ``path`` (none when it does not exist); :class:`SettingsError` when
    it cannot be read or is not settings."""
    data = _load(path)
    return Settings(dict(data.get("keys", {})), data.get("theme"))


def save_theme(path: Path, theme: str) -> None:
    """Write ``theme`` into the settings at ``path``, keeping everything else in the file
    (read again first: another reader may have written it). Raises :class:`SettingsError`
    when the file is not valid settings (it is then left alone) or :class:`OSError`."""
    try:
        data = _load(path)
    except SettingsError as failure:
        raise SettingsError(f"not saved: {failure}") from None
    if data.get("theme") == theme:
        return
    data["theme"] = theme
    path.parent.mkdir(parents=True, exist_ok=True, mode=0o700)
    text = json.dumps(data, indent=2, ensure_ascii=False) + "\n"
    write_atomic(path, text.encode("utf-8"), overwrite=True, private=True)


def _load(path: Path) -> dict[str, Any]:
    """The file's JSON object, checked to be settings (``{}`` when there is no file)."""
    try:
        text = path.read_text(encoding="utf-8")
    except FileNotFoundError:
        return {}
    except (OSError, UnicodeDecodeError) as failure:
        raise SettingsError(f"{path}: cannot be read ({failure})") from None
    try:
        data = json.loads(text)
    except json.JSONDecodeError as failure:
        raise SettingsError(f"{path}:{failure.lineno}: not valid JSON ({failure.msg})") from None
    if not isinstance(data, dict):
        raise SettingsError(f"{path}: not a JSON object")
    keys = data.get("keys", {})
    if not isinstance(keys, dict) or not all(
        isinstance(k, str) and isinstance(v, str) for k, v in keys.items()
    ):
        raise SettingsError(f'{path}: "keys" must map binding ids to keys, as strings')
    theme = data.get("theme")
    if theme is not None and not isinstance(theme, str):
        raise SettingsError(f'{path}: "theme" must be a theme\'s name')
    return data
