"""Reading files safely: encodings, line breaks, binary, special and oversized files.

Rows 13-21 of the bad-input table in the research notes.
"""

from __future__ import annotations

import codecs
import gzip
import io
import os
from pathlib import Path

import pytest
from conftest import WriteCorpus
from corpus_text import ABSTRACT, Item, page

from tui.data.corpus import load_corpus
from tui.data.models import Corpus, Paper
from tui.data.sources import ReadOptions

ITEMS = [Item("Ünïcode títle", ABSTRACT, upvotes=4), Item("Second", ABSTRACT + " More.")]
TEXT = page(ITEMS)


def fields(corpus: Corpus) -> list[tuple[str, str, int | None, int | None]]:
    return [(p.title, p.abstract, p.authors, p.upvotes) for p in corpus.papers]


def single_error(corpus: Corpus) -> str:
    (problem,) = corpus.problems
    return str(problem)


@pytest.fixture
def reference(write_corpus: WriteCorpus) -> list[tuple[str, str, int | None, int | None]]:
    return fields(load_corpus([write_corpus("ref.txt", TEXT)]))


@pytest.mark.parametrize(
    "data",
    [
        codecs.BOM_UTF8 + TEXT.encode("utf-8"),
        TEXT.encode("utf-16"),  # BOM + native order
        codecs.BOM_UTF16_LE + TEXT.encode("utf-16-le"),
        codecs.BOM_UTF16_BE + TEXT.encode("utf-16-be"),
        TEXT.encode("utf-32"),
        TEXT.replace("\n", "\r\n").encode("utf-8"),
        TEXT.replace("\n", "\r").encode("utf-8"),
        "".join(
            line + ("\r\n", "\r", "\n")[n % 3] for n, line in enumerate(TEXT.split("\n"))
        ).encode("utf-8"),
    ],
    ids=["utf8-bom", "utf16", "utf16le", "utf16be", "utf32", "crlf", "cr", "mixed"],
)
def test_encodings_and_line_endings_parse_identically(
    write_corpus: WriteCorpus, reference: list[tuple[str, str, int | None, int | None]], data: bytes
) -> None:
    corpus = load_corpus([write_corpus("x.txt", data=data)])
    assert fields(corpus) == reference
    assert corpus.problems == ()
    assert not corpus.papers[0].title.startswith("\ufeff")


@pytest.mark.parametrize("separator", ["\x0c", "\x1c", "\x85", "\u2028", "\x0b"])
def test_only_real_line_breaks_split_lines(write_corpus: WriteCorpus, separator: str) -> None:
    abstract = f"First half of the abstract{separator}second half of the same abstract here."
    corpus = load_corpus([write_corpus("x.txt", page([Item("T", abstract)]))])
    (paper,) = corpus.papers
    assert paper.abstract == "First half of the abstract second half of the same abstract here."


def test_invalid_utf8_names_file_line_and_offset(write_corpus: WriteCorpus) -> None:
    data = page([Item("Caf\udce9", ABSTRACT)]).encode("utf-8", "surrogateescape")
    path = write_corpus("latin.txt", data=data)
    corpus = load_corpus([path])
    assert corpus.papers == ()
    offset = data.index(b"\xe9")
    line = data[:offset].count(b"\n") + 1
    message = single_error(corpus)
    assert message.startswith(
        f"{path}:{line}: error: not valid utf-8 (byte 0xE9 at offset {offset})"
    )
    assert "--encoding" in message and "--errors replace" in message


def test_a_byte_order_mark_decides_so_encoding_is_not_suggested(write_corpus: WriteCorpus) -> None:
    data = page([Item("Caf\ud800", ABSTRACT)]).encode("utf-16", "surrogatepass")
    message = single_error(load_corpus([write_corpus("u16.txt", data=data)]))
    assert "not valid utf-16-le" in message and message.endswith("; use --errors replace")


def test_errors_replace_and_explicit_encoding(write_corpus: WriteCorpus) -> None:
    data = page([Item("Caf\udce9", ABSTRACT)]).encode("utf-8", "surrogateescape")
    path = write_corpus("latin.txt", data=data)
    replaced = load_corpus([path], ReadOptions(errors="replace"))
    assert [p.title for p in replaced.papers] == ["Caf\ufffd"]
    assert "1 undecodable character(s) replaced" in single_error(replaced)
    windows = write_corpus("cp1252.txt", data=page([Item("Café", ABSTRACT)]).encode("cp1252"))
    assert load_corpus([windows]).papers == ()
    decoded = load_corpus([windows], ReadOptions(encoding="cp1252"))
    assert [p.title for p in decoded.papers] == ["Café"] and decoded.problems == ()


def test_binary_files_are_refused(write_corpus: WriteCorpus) -> None:
    png = b"\x89PNG\r\n\x1a\n\x00\x00\x00\rIHDR" + bytes(range(256))
    corpus = load_corpus([write_corpus("image.txt", data=png)])
    assert corpus.papers == ()
    assert "binary file (NUL byte at offset 8)" in single_error(corpus)


def test_missing_paths_and_directories(tmp_path: Path, write_corpus: WriteCorpus) -> None:
    good = write_corpus("dir/a.txt", TEXT)
    write_corpus("dir/notes.md", "ignored: not a corpus file")
    (tmp_path / "empty").mkdir()
    corpus = load_corpus([good.parent, tmp_path / "nope.txt", tmp_path / "empty"])
    assert len(corpus.papers) == 2  # the directory's .txt file; the same file only once
    assert [report.file for report in corpus.files] == [str(good)]
    messages = [str(p) for p in corpus.problems]
    assert messages == [
        f"{tmp_path / 'nope.txt'}: error: no such file or directory",
        f"{tmp_path / 'empty'}: error: directory has no corpus files"
        " (.txt, .jsonl, .json, each optionally .gz)",
    ]
    assert len(corpus.unreadable_inputs) == 2


def test_the_same_file_twice_is_read_once(write_corpus: WriteCorpus) -> None:
    path = write_corpus("a.txt", TEXT)
    corpus = load_corpus([path, path.parent, path])
    assert corpus.entries_read == 2 and len(corpus.files) == 1


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.txt"
    os.mkfifo(fifo)
    corpus = load_corpus([fifo])  # would block forever if it were opened
    assert "not a regular file (a FIFO); not read" in single_error(corpus)


@pytest.mark.skipif(not Path("/dev/zero").exists(), reason="needs /dev/zero")
def test_an_endless_device_is_not_read() -> None:
    corpus = load_corpus([Path("/dev/zero")])
    assert "not a regular file (a device or special file)" in single_error(corpus)


def test_oversized_files_are_refused_with_the_override_named(write_corpus: WriteCorpus) -> None:
    path = write_corpus("big.txt", TEXT)
    size = path.stat().st_size
    corpus = load_corpus([path], ReadOptions(max_size=100))
    assert single_error(corpus).endswith(
        f"file is {size:,} bytes, over the 100-byte limit (raise it with --max-size)"
    )


@pytest.mark.parametrize(
    ("size", "limit", "said"),
    [
        (2_000_000, 1_048_576, "file is 1.9 MB, over the 1.0 MB limit"),
        (1_050_000, 1_048_576, "file is 1,050,000 bytes, over the 1,048,576-byte limit"),
        (300, 200, "file is 300 bytes, over the 200-byte limit"),
    ],
)
def test_the_sizes_named_tell_the_file_from_the_limit(
    write_corpus: WriteCorpus, size: int, limit: int, said: str
) -> None:
    # never "0.0 MB, over the 0.0 MB limit" (a tiny --max-size), nor two equal figures
    path = write_corpus("big.txt", "x" * size)
    assert said in single_error(load_corpus([path], ReadOptions(max_size=limit)))


@pytest.mark.parametrize("name", ["huge.txt", "huge.txt.gz"])
def test_a_huge_size_limit_reads_a_small_file(write_corpus: WriteCorpus, name: str) -> None:
    data = TEXT.encode("utf-8")
    path = write_corpus(name, data=gzip.compress(data) if name.endswith(".gz") else data)
    for limit in (100_000 * 2**20, 10**19, 10**40):  # beyond what one read can ask for
        corpus = load_corpus([path], ReadOptions(max_size=limit))
        assert corpus.problems == () and len(corpus.papers) == 2


def test_a_file_that_grows_while_read_is_read_on_up_to_the_limit() -> None:
    from tui.data.sources import _read_at_most

    grown = b"x" * 100  # 10 bytes when its size was taken, then 100
    assert _read_at_most(io.BytesIO(grown), 10, 10**30) == grown
    assert _read_at_most(io.BytesIO(grown), 10, 50) == grown[:51]  # one past: refused


@pytest.mark.skipif(not hasattr(os, "symlink"), reason="needs symlinks")
def test_a_symlink_loop_in_a_directory_is_one_problem(write_corpus: WriteCorpus) -> None:
    good = write_corpus("dir/good.txt", TEXT)
    (good.parent / "loop.txt").symlink_to("loop.txt")
    (good.parent / "a.jsonl").symlink_to("b.jsonl")
    (good.parent / "b.jsonl").symlink_to("a.jsonl")
    corpus = load_corpus([good.parent])
    assert len(corpus.papers) == 2
    assert [str(p) for p in corpus.problems] == [
        f"{good.parent / name}: error: too many levels of symbolic links"
        for name in ("a.jsonl", "b.jsonl", "loop.txt")
    ]


@pytest.mark.skipif(os.geteuid() == 0, reason="root reads any file")
def test_unreadable_file_is_reported(write_corpus: WriteCorpus) -> None:
    path = write_corpus("secret.txt", TEXT)
    path.chmod(0)
    try:
        assert "permission denied" in single_error(load_corpus([path]))
    finally:
        path.chmod(0o600)


def test_long_single_line_is_parsed_in_linear_time(write_corpus: WriteCorpus) -> None:
    # A 10 MB line with no newline: nothing quadratic, no crash, one clear problem.
    path = write_corpus("line.txt", "word " * 2_000_000)
    corpus = load_corpus([path])
    assert corpus.papers == ()
    assert corpus.problems


def test_good_files_load_beside_bad_ones(write_corpus: WriteCorpus) -> None:
    bad = write_corpus("bad.txt", data=b"\x00\x01binary")
    good = write_corpus("good.txt", TEXT)
    corpus = load_corpus([bad, good])
    assert [p.title for p in corpus.papers] == [item.title for item in ITEMS]
    assert isinstance(corpus.papers[0], Paper) and len(corpus.problems) == 1
