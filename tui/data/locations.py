"""Where paperview keeps the user's data (bookmarks, read status, tags, notes, lists).

The data directory is, in order of precedence:

1. the directory given explicitly (``--data-dir DIR``), ``~`` expanded, made absolute;
2. ``$PAPERVIEW_DATA_DIR``, when it is an absolute path (an empty or relative value is
   ignored, as the XDG base-directory specification says of its own variables);
3. ``platformdirs.user_data_path("paperview", appauthor=False)``: ``~/.local/share/paperview``
   on Linux, or ``$XDG_DATA_HOME/paperview`` when that is set to an absolute path.

Nothing here creates or touches a file; the library creates the directory (mode 0700) when
it first needs it.
"""

from __future__ import annotations

import os
from collections.abc import Mapping
from pathlib import Path

import platformdirs

APP_NAME = "paperview"
ENV_VAR = "PAPERVIEW_DATA_DIR"

SETTINGS_FILENAME = "settings.json"
"""The user's settings (remapped keys, the theme) in the data directory: :mod:`.settings`."""

SOURCE_OPTION = "--data-dir"
SOURCE_ENV = ENV_VAR
SOURCE_DEFAULT = "default"


def data_dir(
    explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> Path:
    """The data directory to use (see the module docstring for the precedence)."""
    return locate_data_dir(explicit, environ)[0]


def locate_data_dir(
    explicit: str | os.PathLike[str] | None = None, environ: Mapping[str, str] | None = None
) -> tuple[Path, str]:
    """The data directory and where it came from: ``--data-dir``, the variable, or ``default``."""
    if explicit is not None and str(explicit).strip():
        return Path(explicit).expanduser().absolute(), SOURCE_OPTION
    env = os.environ if environ is None else environ
    value = env.get(ENV_VAR, "")
    if value and Path(value).is_absolute():
        return Path(value), SOURCE_ENV
    return platformdirs.user_data_path(APP_NAME, appauthor=False), SOURCE_DEFAULT
