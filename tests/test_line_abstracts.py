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

from tui.data import cache as cache_module
from tui.data import jsonl_workers
from tui.data.cache import CorpusCache, Fingerprint
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
def test_a_file_replaced_touched_or_grown_still_reads_one_cut_short_reads_empty(
    tmp_path: Path,
) -> None:
    path = write(tmp_path / "a.jsonl", records(12))
    abstracts = read(path).columns.abstracts
    expected = list(abstracts)
    assert expected[0]
    write(tmp_path / "new.jsonl", records(12, start=500)).replace(path)  # a new download
    assert list(abstracts) == expected  # the file read is still open
    abstracts = read(path).columns.abstracts
    expected = list(abstracts)
    os.utime(path, ns=(1, 1))  # touched
    with path.open("ab") as handle:  # a harvester appends records
        handle.write(json.dumps(records(1, start=900)[0]).encode() + b"\n")
    assert list(abstracts) == expected
    with path.open("r+b") as handle:  # cut short in place: those lines are gone
        handle.truncate(100)
    assert abstracts[0] == "" and abstracts[3:5] == ["", ""]


@pytest.mark.usefixtures("split")
def test_a_record_nested_deeper_than_msgspec_goes_reads_its_abstract(tmp_path: Path) -> None:
    deep = {"id": "2401.99999", "title": "Deep", "meta": [], "abstract": "Deep abstract."}
    line = json.dumps(deep).replace("[]", "[" * 1000 + "]" * 1000)
    path = tmp_path / "a.jsonl"
    path.write_text("".join(json.dumps(r) + "\n" for r in records(5)) + line + "\n")
    abstracts = read(path).columns.abstracts
    assert abstracts[5] == "Deep abstract." and abstracts[4:6][1] == "Deep abstract."


@pytest.mark.usefixtures("split")
def test_no_cache_is_kept_when_the_file_changes_while_its_abstracts_are_cached(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = write(tmp_path / "a.jsonl", records(12))
    fingerprint = Fingerprint.of(path)
    assert fingerprint is not None
    result = read(path)
    real_encode = cache_module._encode

    def encode_then_append(*args: Any) -> None:
        real_encode(*args)
        with path.open("ab") as handle:
            handle.write(b"\n")

    monkeypatch.setattr(cache_module, "_encode", encode_then_append)
    cache = CorpusCache(tmp_path / "cache", min_size=0)
    cache.save(fingerprint, result)
    assert not list((tmp_path / "cache").glob("*.pvcache"))


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
