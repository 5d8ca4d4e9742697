"""Abstracts left in a big JSON Lines file: read from their lines when asked for, the same
text as reading them at once; safe when the file is replaced, empty when it is changed in
place; kept on disk when several files are put together."""

from __future__ import annotations

import json
import os
import sys
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.data import jsonl_workers
from tui.data.corpus import load_corpus
from tui.data.line_abstracts import LineAbstracts
from tui.data.paper_columns import JoinedStrings, Picked
from tui.data.snapshot import ReadResult, read_jsonl

pytestmark = pytest.mark.skipif(
    not sys.platform.startswith("linux"), reason="workers open the file through /proc: Linux only"
)

ABSTRACTS = [
    "  We present\na method.\n  A second paragraph \\'e.\n",
    "",
    "Plain one.",
    "Caf\u00e9 \u202e and\ttabs\n\nafter a blank line",
]


def records(count: int, start: int = 0) -> list[dict[str, Any]]:
    return [
        {
            "id": f"2401.{n:05d}",
            "title": f"Paper {n}",
            "abstract": ABSTRACTS[n % len(ABSTRACTS)],
        }
        for n in range(start, start + count)
    ]


def write(path: Path, rows: list[dict[str, Any]]) -> Path:
    path.write_text("".join(json.dumps(row) + "\n" for row in rows), encoding="utf-8")
    return path


def read(path: Path) -> ReadResult:
    with path.open("rb") as handle:
        return read_jsonl(handle, str(path), total=path.stat().st_size)


@pytest.mark.usefixtures("split")
def test_abstracts_stay_in_the_file_and_read_as_one_process_reads_them(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.jsonl", records(40))
    lazy = read(path).columns.abstracts
    assert isinstance(lazy, LineAbstracts)
    with monkeypatch.context() as patch:
        patch.setattr(jsonl_workers, "worker_count", lambda: 1)
        expected = read(path).columns.abstracts
    assert isinstance(expected, list)
    assert expected[0] == "We present a method.\nA second paragraph é."
    assert list(lazy) == expected
    assert lazy[5:23] == expected[5:23] and lazy[-1] == expected[-1] and lazy[::7] == expected[::7]
    with pytest.raises(IndexError):
        lazy[40]


@pytest.mark.usefixtures("split")
def test_a_replaced_file_still_reads_a_file_changed_in_place_reads_empty(tmp_path: Path) -> None:
    path = write(tmp_path / "a.jsonl", records(12))
    abstracts = read(path).columns.abstracts
    first = abstracts[0]
    write(tmp_path / "new.jsonl", records(12, start=500)).replace(path)  # a new download
    assert abstracts[0] == first  # the file read is still open
    replaced = read(path).columns.abstracts
    with path.open("r+b") as handle:  # now rewritten in place: those lines are gone
        handle.write(b"{}" + b" " * 40)
        os.utime(handle.fileno(), ns=(1, 1))
    assert replaced[0] == "" and replaced[3:5] == ["", ""]


@pytest.mark.usefixtures("split")
def test_several_files_keep_the_big_ones_abstracts_on_disk(tmp_path: Path) -> None:
    big = write(tmp_path / "big.jsonl", records(30))
    other = write(tmp_path / "other.jsonl", records(10, start=25))  # 5 papers repeat
    corpus = load_corpus([other, big])
    abstracts = corpus.papers.columns.abstracts  # type: ignore[attr-defined]
    assert isinstance(abstracts, JoinedStrings)
    assert len(corpus.papers) == 35
    single = load_corpus([write(tmp_path / "one.jsonl", records(10, start=25) + records(25))])
    assert [p.abstract for p in corpus.papers] == [p.abstract for p in single.papers]
    assert list(abstracts) == [p.abstract for p in single.papers]
    assert "Café  and tabs\nafter a blank line" in list(abstracts)  # the bidi mark removed


@given(
    st.lists(st.lists(st.text(max_size=3), max_size=6), min_size=1, max_size=5),
    st.data(),
)
def test_joined_and_picked_strings_read_like_the_lists_they_stand_for(
    parts: list[list[str]], data: st.DataObject
) -> None:
    joined = JoinedStrings(parts[0])
    expected = list(parts[0])
    for part in parts[1:]:
        picked: list[int] = sorted(data.draw(st.sets(st.integers(0, max(len(part) - 1, 0)))))
        pick: bool = data.draw(st.booleans())
        if part and pick:
            joined.add(Picked(part, picked))
            expected.extend(part[p] for p in picked)
        else:
            joined.add(part)
            expected.extend(part)
    assert len(joined) == len(expected)
    assert list(joined) == expected
    start, stop = sorted(data.draw(st.lists(st.integers(-3, len(expected) + 3), min_size=2)))[:2]
    step = data.draw(st.sampled_from([1, 1, 2, -1]))
    assert joined[start:stop:step] == expected[start:stop:step]
