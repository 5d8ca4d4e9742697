"""Shared fixtures: every test runs with its data and config dirs inside ``tmp_path``."""

from __future__ import annotations

import os
import sys
from collections.abc import Callable, Iterator
from pathlib import Path

import pytest
from hypothesis import settings

# The tests use the benchmark corpus generator (benchmarks/corpus.py). The checkout goes at the
# end of sys.path so that ``tui`` still comes from the installed wheel when CI tests one.
_CHECKOUT = str(Path(__file__).resolve().parent.parent)
if _CHECKOUT not in sys.path:
    sys.path.append(_CHECKOUT)

settings.register_profile("ci", max_examples=200, deadline=None)
settings.register_profile("dev", max_examples=60, deadline=None)
settings.load_profile(os.environ.get("PAPERVIEW_HYPOTHESIS_PROFILE", "dev"))


@pytest.fixture(autouse=True)
def _isolated_home(
    tmp_path_factory: pytest.TempPathFactory, monkeypatch: pytest.MonkeyPatch
) -> None:
    """Keep the developer's real data, cache and config dirs out of every test."""
    home = tmp_path_factory.mktemp("home")
    monkeypatch.setenv("HOME", str(home))
    monkeypatch.setenv("XDG_DATA_HOME", str(home / "data"))
    monkeypatch.setenv("XDG_CACHE_HOME", str(home / "cache"))
    monkeypatch.setenv("XDG_CONFIG_HOME", str(home / "config"))
    monkeypatch.setenv("PAPERVIEW_DATA_DIR", str(home / "paperview-data"))


WriteCorpus = Callable[..., Path]


@pytest.fixture
def write_corpus(tmp_path: Path) -> Iterator[WriteCorpus]:
    """Write a corpus file: ``write_corpus("a.txt", text)`` or with ``data=bytes``."""

    def write(name: str, text: str | None = None, *, data: bytes | None = None) -> Path:
        path = tmp_path / name
        path.parent.mkdir(parents=True, exist_ok=True)
        if data is None:
            assert text is not None
            data = text.encode("utf-8")
        path.write_bytes(data)
        return path

    yield write


@pytest.fixture
def corpus(tmp_path: Path) -> Path:
    """The reader tests' small corpus file (``app_support.PAPERS``) in ``tmp_path``."""
    from app_support import write_corpus as write_papers

    return write_papers(tmp_path)


@pytest.fixture
def data_dir(tmp_path: Path) -> Path:
    """A library data directory in ``tmp_path`` (not created: the store creates it)."""
    return tmp_path / "data"


@pytest.fixture
def split(monkeypatch: pytest.MonkeyPatch) -> None:
    """Worker processes for any JSON Lines file, in ranges of a few records."""
    from tui.data import jsonl_workers

    monkeypatch.setattr(jsonl_workers, "SPLIT_FROM", 0)
    monkeypatch.setattr(jsonl_workers, "RANGE_BYTES", 1500)
    monkeypatch.setattr(jsonl_workers, "worker_count", lambda: 2)
