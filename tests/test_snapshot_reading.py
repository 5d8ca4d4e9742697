"""Reading JSON Lines: the fast path agrees with full cleaning, with or without orjson;
progress, cancellation, and many bad lines."""

from __future__ import annotations

import codecs
import gzip
import io
import json
import os
import tempfile
from pathlib import Path
from typing import Any

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.data import snapshot
from tui.data.corpus import load_corpus
from tui.data.line_abstracts import LineAbstracts
from tui.data.paper_columns import PaperColumns
from tui.data.snapshot import LineReader, ReadResult, read_jsonl, sniff
from tui.data.sources import ReadOptions
from tui.data.text import latex_to_unicode, sanitize

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


def fully_cleaned(text: str) -> str:
    """A title-like field cleaned the long way: sanitised whatever it holds."""
    text = sanitize(text)
    text = " ".join(text.split()) if "\n" in text or "  " in text else text.strip()
    return latex_to_unicode(text)


@given(title=TEXT, abstract=TEXT, authors=TEXT, ascii_only=st.booleans())
def test_the_fast_path_cleans_exactly_like_full_cleaning(
    title: str, abstract: str, authors: str, ascii_only: bool
) -> None:
    record = {"id": "2401.00001", "title": "T " + title, "abstract": abstract, "authors": authors}
    line = json.dumps(record, ensure_ascii=ascii_only).encode("utf-8")
    result = read_jsonl(io.BytesIO(line + b"\n"), "f")
    assert result.columns.titles == [fully_cleaned("T " + title)]
    assert result.columns.author_names == [fully_cleaned(authors)]
    assert result.columns.abstracts == [snapshot.paragraphs(abstract)]
    # an abstract left in the file reads the same from its line
    assert snapshot.line_abstract(line) == result.columns.abstracts[0]
    for text in (*result.columns.titles, *result.columns.abstracts):
        assert not any(c in text for c in "\x00\x07\x1b\x7f\x85\u202e\r\t")


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


@pytest.mark.parametrize("encoding", ["utf-8", "utf-16"])
def test_progress_is_reported_in_bytes_and_cancelling_stops_early(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str
) -> None:
    monkeypatch.setattr(snapshot, "CHUNK_BYTES", 4096)
    path = tmp_path / "a.jsonl"
    record = {"title": "x", "abstract": "y" * 500}
    path.write_text(
        "".join(json.dumps({**record, "id": f"2401.{n:05d}"}) + "\n" for n in range(300)),
        encoding,
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
    assert [p.line for p in corpus.problems] == [2, 3, 4, 5, 6, 7]
    summary = corpus.problems[-1]
    assert summary.reason == "35 more error(s) not listed, from this line on"
    assert summary.severity.value == "error"
    assert not corpus.unreadable_inputs  # bad lines, not an unreadable file


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
        ('{"id": "1", "title": "t"}\r\n{"id": "2"}\r\n'.encode("utf-16"), "jsonl"),
        ('[{"title": "t"}]'.encode("utf-32"), "json"),
        ('{"title": "cut"}\n'.encode("utf-16")[:-1], "jsonl"),  # a code unit cut
        ("[Re] A Study\n\nAn abstract.\n".encode("utf-16"), "text"),
    ],
)
def test_the_kind_of_an_input_is_recognised_by_its_content(head: bytes, kind: str) -> None:
    assert sniff(head) == kind


@pytest.mark.parametrize("encoding", ["utf-16", "utf-16-be", "utf-32"])
@pytest.mark.parametrize("name", ["p.jsonl", "p.json", "p.jsonl.gz", "p.json.gz"])
def test_utf16_and_utf32_json_inputs_read_like_utf8(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, encoding: str, name: str
) -> None:
    """What Windows PowerShell 5's ``>`` writes: the byte-order mark says the encoding."""
    records = [{"title": f"Tïtle {n} 😀", "abstract": "é" * n} for n in range(1, 30)]
    lines = name.startswith("p.jsonl")
    if lines:
        text = "".join(json.dumps(record, ensure_ascii=False) + "\r\n" for record in records)
    else:
        text = json.dumps(records, ensure_ascii=False, indent=2)
    reference = tmp_path / ("utf8.jsonl" if lines else "utf8.json")
    reference.write_text(text, encoding="utf-8")
    expected = load_corpus([reference])
    data = text.encode(encoding)
    if encoding == "utf-16-be":
        data = codecs.BOM_UTF16_BE + data
    (tmp_path / name).write_bytes(gzip.compress(data) if name.endswith(".gz") else data)
    monkeypatch.setattr(snapshot, "CHUNK_BYTES", 101)  # blocks end inside characters
    corpus = load_corpus([tmp_path / name])
    assert corpus.problems == ()
    assert len(corpus.papers) == 29
    assert [(p.id, p.title, p.abstract) for p in corpus.papers] == [
        (p.id, p.title, p.abstract) for p in expected.papers
    ]
    assert [p.sources[0].line for p in corpus.papers] == [
        p.sources[0].line for p in expected.papers
    ]


def test_a_damaged_utf16_input_is_one_error_unless_replaced(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    lines = [json.dumps({"title": f"Paper {n}"}) + "\n" for n in range(3)]
    data = bytearray("".join(lines).encode("utf-16"))
    offset = 2 + 2 * len(lines[0]) + 2  # the BOM, line 1, then the '"' after line 2's '{'
    data[offset : offset + 2] = "\ud800".encode("utf-16-le", "surrogatepass")  # a lone one
    path = tmp_path / "bad.jsonl"
    path.write_bytes(bytes(data))
    monkeypatch.setattr(snapshot, "CHUNK_BYTES", 7)  # the error is in a later block
    corpus = load_corpus([path])
    assert corpus.papers == () and [str(p) for p in corpus.problems] == [
        f"{path}: error: not valid utf-16-le (byte 0x00 at offset {offset}); use --errors replace"
    ]
    replaced = load_corpus([path], ReadOptions(errors="replace"))
    assert [p.title for p in replaced.papers] == ["Paper 0", "Paper 2"]
    assert "1 undecodable character(s) replaced with U+FFFD" in str(replaced.problems[0])


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


def read_both(data: bytes, monkeypatch: pytest.MonkeyPatch) -> tuple[Any, Any]:
    """``data`` read with the snapshot fast path (msgspec) and with orjson alone; the
    fast path is also checked against itself with abstracts left in the file."""
    fast = read_jsonl(io.BytesIO(data), "f")
    with monkeypatch.context() as patch:
        patch.setattr(snapshot, "_decode_record", None)
        general = read_jsonl(io.BytesIO(data), "f")
    assert_same_reading(read_in_file(data), fast)
    return fast, general


def read_in_file(data: bytes) -> ReadResult:
    """``data`` read as worker processes read a big file: abstracts left in the file, then
    read from their lines."""
    reader = LineReader("f", in_file=True)
    assert reader.read(data) is None
    result = reader.result()
    with tempfile.TemporaryFile() as handle:
        handle.write(data)
        handle.flush()
        spans = reader.builder.spans
        lazy = LineAbstracts(os.dup(handle.fileno()), spans, snapshot.line_abstract)
        result.columns.abstracts = list(lazy)
    return result


def assert_same_reading(fast: Any, general: Any) -> None:
    for name in PaperColumns.LISTS:
        assert getattr(fast.columns, name) == getattr(general.columns, name), name
    assert fast.columns.lines == general.columns.lines
    assert fast.columns.extra_sources == general.columns.extra_sources
    assert (fast.problems, fast.entries) == (general.problems, general.entries)


MAYBE_TEXT = st.one_of(st.none(), TEXT, st.integers(-2, 3))
CREATED = st.sampled_from(
    ["Mon, 2 Apr 2007 19:18:42 GMT", "Tue, 31 Apr 2007 10:00:00 GMT", "2 Apr 2007", "soon", ""]
)
SNAPSHOT_RECORD = st.fixed_dictionaries(
    {"title": st.one_of(TEXT, st.none(), st.just(""))},
    optional={
        "id": st.sampled_from(["2401.00001", "2401.00001v2", "hep-th/9901001", "x", None, 7]),
        "submitter": MAYBE_TEXT,
        "authors": st.one_of(TEXT, st.none(), st.just(3)),
        "comments": MAYBE_TEXT,
        "journal-ref": MAYBE_TEXT,
        "categories": st.one_of(TEXT, st.none(), st.just(["cs.LG", "hep-th"])),
        "abstract": st.one_of(TEXT, st.none()),
        "versions": st.one_of(
            st.none(),
            st.lists(
                st.fixed_dictionaries(
                    {"version": st.just("v1")}, optional={"created": st.one_of(CREATED, st.none())}
                ),
                max_size=2,
            ),
            st.just([1]),
        ),
        "update_date": st.sampled_from(["2008-11-13", "2023-02-30", "x", None]),
        "authors_parsed": st.one_of(
            st.none(), st.lists(st.lists(TEXT, max_size=3), max_size=3), st.just([1])
        ),
        "upvotes": st.integers(-1, 5),  # not a snapshot field: read the general way
    },
)


@given(records=st.lists(SNAPSHOT_RECORD, min_size=1, max_size=4), ascii_only=st.booleans())
def test_snapshot_records_read_by_msgspec_give_what_orjson_gives(
    records: list[dict[str, Any]], ascii_only: bool
) -> None:
    data = "\n".join(json.dumps(r, ensure_ascii=ascii_only) for r in records).encode("utf-8")
    with pytest.MonkeyPatch.context() as patch:
        fast, general = read_both(data, patch)
    assert_same_reading(fast, general)


@pytest.mark.parametrize(
    "line",
    [
        b'{"title": "a", "abstract": "b\xff"}',  # bad UTF-8 in the abstract, which msgspec skips
        b'{"title": "a", "abstract": 1e999}',  # not a string: a number orjson refuses
        b'{"title": "a", "abstract": 3}',
        b'{"title": "a", "abstract": ["b"]}',
        b'{"title": "a", "abstract": "\\u00e9t\\u00e9\\n\\tsecond"}',
        b'{"title": "a", "comments": "\xff"}',  # bad UTF-8 in a field the paper does not use
        b'{"title": "a", "doi": "\\ud800"}',  # a lone surrogate
        b'{"title": "a", "extra": 1e999}',  # a number too big for a float
        b'{"title": "a", "versions": [{"created": "Mon, 2 Apr 2007"}], "x": [[[[]]]]}',
        b'{"title": "a"} {"title": "b"}',
        b'{"title": "a",\n"id": "2401.00001"}',
        b'{"title": "a\x7f", "abstract": "b\\tc"}',
        b'{"title": "a", "title": null}',
        b"",
    ],
)
def test_lines_that_msgspec_and_orjson_may_judge_differently_read_the_same(
    line: bytes, monkeypatch: pytest.MonkeyPatch
) -> None:
    data = b'{"title": "first"}\n' + line + b'\n{"title": "last"}\n'
    fast, general = read_both(data, monkeypatch)
    assert_same_reading(fast, general)
    assert fast.columns.titles[0] == "first" and fast.columns.titles[-1] == "last"
