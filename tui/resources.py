"""Where the bundled corpus and the styles live, installed or in a checkout."""

from __future__ import annotations

from pathlib import Path

_PACKAGE = Path(__file__).resolve().parent


def _bundled(name: str) -> Path:
    installed = _PACKAGE / "_bundled" / name
    if installed.is_dir():  # a wheel carries seeds/ and styles/ inside the package
        return installed
    return _PACKAGE.parent / name  # a checkout (or an editable install) has them at the top


def seeds_dir() -> Path:
    """The bundled corpus directory (``seeds/``)."""
    return _bundled("seeds")


def styles_dir() -> Path:
    """The directory of Textual CSS files (``styles/``)."""
    return _bundled("styles")
