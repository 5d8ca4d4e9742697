"""Reading JSON Lines: the fast path agrees with full cleaning, with or without orjson;
progress, cancellation, and many bad lines."""

from __future__ import annotations

import gzip
import io
import json
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.data import snapshot
from tui.data.corpus import load_corpus
from tui.data.paper_columns import PaperColumns
from tui.data.snapshot import _Builder, read_jsonl, sniff

# Text that exercises every cleaning step: controls and escape sequences, DEL, C1 controls,
# bidi overrides, line breaks and indents (hard wraps), LaTeX accents and backslashes.
PIECES = st.sampled_from(
    [
        "word",
        " ",
        "\n",
        "\n  ",
        "\n\n",
        "\t",
        "\r\n",
        "\x1b[31m",
        "\x1b]0;title\x07",
        "\x7f",
        "\x85",
        "\u202e",
        "\\'e",
        '\\"u',
        "\\%",
        "\\theta",
        "\\\\",
        "é",
        "ß",
        "😀",
        "\x00",
        '"',
        "/",
    ]
)
TEXT = st.lists(PIECES, max_size=12).map("".join)


def reference(record: dict[str, Any]) -> PaperColumns:
    """The record read with full cleaning of every field (no fast path)."""
    builder = _Builder()
    builder.add(record, "f", 1, False)
    return builder.columns


@given(title=TEXT, abstract=TEXT, authors=TEXT, ascii_only=st.booleans())
def test_the_fast_path_cleans_exactly_like_full_cleaning(
    title: str, abstract: str, authors: str, ascii_only: bool
) -> None:
    record = {"id": "2401.00001", "title": "T " + title, "abstract": abstract, "authors": authors}
    line = json.dumps(record, ensure_ascii=ascii_only).encode("utf-8")
    result = read_jsonl(io.BytesIO(line + b"\n"), "f")
    expected = reference(record)
    for column in ("titles", "abstracts", "author_names"):
        assert getattr(result.columns, column) == getattr(expected, column)
    for text in (*result.columns.titles, *result.columns.abstracts):
        assert not any(c in text for c in "\x00\x07\x1b\x7f\x85\u202e\r\t")


@pytest.mark.parametrize(
    ("text", "clean"),
    [
        ('plain\nwrapped "quoted" a/b', True),
        ("\\theta and \\\\ and \\c{C}elik", True),  # escaped backslashes, not escapes
        ("tab\tthere", False),
        ("\\\tescaped backslash, then a tab", False),
        ("a \x01 control", False),
        ("raw \x7f", False),
    ],
)
def test_a_line_is_clean_only_without_escapes_that_can_hide_controls(
    text: str, clean: bool
) -> None:
    line = json.dumps({"title": text}, ensure_ascii=False).encode("utf-8")
    assert snapshot.clean_line(line) is clean


def test_without_orjson_the_standard_json_module_reads_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    path = tmp_path / "a.jsonl"
    lines = [
        json.dumps({"id": f"2401.{n:05d}", "title": f"T{n} \u00e9\\'e", "abstract": "a\nb"})
        for n in range(20)
    ]
    path.write_text("\n".join([*lines, "{bad", '{"title": 3}']) + "\n", encoding="utf-8")
    fast = load_corpus([path])
    monkeypatch.setattr(snapshot, "_loads", json.loads)
    plain = load_corpus([path])
    assert list(plain.papers) == list(fast.papers)
    assert [(p.line, p.reason[:16]) for p in plain.problems] == [
        (21, "not valid JSON ("),
        (22, "title is not a s"),
    ]


def test_progress_is_reported_in_bytes_and_cancelling_stops_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "CHUNK_BYTES", 4096)
    path = tmp_path / "a.jsonl"
    record = {"title": "x", "abstract": "y" * 500}
    path.write_text(
        "".join(json.dumps({**record, "id": f"2401.{n:05d}"}) + "\n" for n in range(300)), "utf-8"
    )
    size = path.stat().st_size
    seen: list[tuple[int, int]] = []
    corpus = load_corpus([path], progress=lambda done, total: seen.append((done, total)))
    assert len(corpus.papers) == 300
    assert len(seen) > 10 and all(total == size for _, total in seen)
    assert [done for done, _ in seen] == sorted(done for done, _ in seen)
    assert seen[-1] == (size, size)

    calls: list[int] = []
    stopped = load_corpus(
        [path],
        progress=lambda done, total: calls.append(done),
        cancelled=lambda: len(calls) >= 3,
    )
    assert 0 < len(stopped.papers) < 300


def test_a_file_of_garbage_reports_a_bounded_number_of_problems(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setattr(snapshot, "MAX_PROBLEMS", 5)
    path = tmp_path / "bad.jsonl"
    path.write_text('{"title": "ok", "id": "2401.00001"}\n' + "{nope\n" * 40, encoding="utf-8")
    corpus = load_corpus([path])
    assert len(corpus.papers) == 1
    assert [p.line for p in corpus.problems] == [2, 3, 4, 5, 6, None]
    assert corpus.problems[-1].reason == "35 more problems not listed"


@pytest.mark.parametrize(
    ("head", "kind"),
    [
        (b'{"id": "1", "title": "t"}\n{"id": "2"}\n', "jsonl"),
        (b'\xef\xbb\xbf  {"title": "t"}', "jsonl"),
        (b'{\n  "format": "paperview-export",\n', "json"),
        (b'[\n  {"title": "t"}\n]\n', "json"),
        (b'{"title": "cut off\n{"title": "second"}\n', "jsonl"),  # bad first record
        (b"{Curly} Braces in a Title\n\nAn abstract.\n", "text"),
        (b"[Re] A Reproducibility Study\n\nAn abstract.\n", "text"),
        (b"[]", "json"),
        (b"A Title\n\nAn abstract.\n", "text"),
        (b"", "text"),
    ],
)
def test_the_kind_of_an_input_is_recognised_by_its_content(head: bytes, kind: str) -> None:
    assert sniff(head) == kind


@pytest.mark.parametrize("chunk", [7, 100, 4096])
def test_lines_split_across_chunks_read_the_same(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, chunk: int
) -> None:
    lines = [
        json.dumps({"id": f"2401.{n:05d}", "title": f"T{n}", "abstract": "é" * n})
        for n in range(60)
    ]
    data = ("\n".join(lines) + "\n").encode("utf-8")
    (tmp_path / "a.jsonl").write_bytes(data)
    (tmp_path / "b.jsonl.gz").write_bytes(gzip.compress(data[:500]) + gzip.compress(data[500:]))
    expected = load_corpus([tmp_path / "a.jsonl"])
    monkeypatch.setattr(snapshot, "CHUNK_BYTES", chunk)
    for name in ("a.jsonl", "b.jsonl.gz"):
        corpus = load_corpus([tmp_path / name])
        assert [p.abstract for p in corpus.papers] == [p.abstract for p in expected.papers]
        assert [p.sources[0].line for p in corpus.papers] == list(range(1, 61))
        assert corpus.problems == ()
