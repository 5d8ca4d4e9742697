"""The corpus cache: reopening skips parsing, and a stale, damaged or missing cache is
rebuilt without a word."""

from __future__ import annotations

import json
import os
from pathlib import Path
from typing import Any

import pytest

from tui.data import cache as cache_module
from tui.data import snapshot, structured
from tui.data.cache import CorpusCache, DiskStrings, cache_dir
from tui.data.corpus import load_corpus
from tui.data.models import Corpus
from tui.data.search import SearchIndex
from tui.data.search.keys import search_key
from tui.data.search.table import PaperTable


def write_snapshot(path: Path, count: int, start: int = 0) -> Path:
    with path.open("a", encoding="utf-8") as handle:
        for n in range(start, start + count):
            record = {
                "id": f"2401.{n:05d}",
                "title": f"Paper {n} on caching",
                "abstract": f"  Abstract {n}, wrapped\nover two lines. Ünïcode \\'e.\n",
                "authors": "A. One and B. Two",
                "categories": "cs.LG stat.ML",
                "versions": [{"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"}],
            }
            handle.write(json.dumps(record) + "\n")
        handle.write("{not json}\n")
    return path


def everything(corpus: Corpus) -> Any:
    return (list(corpus.papers), corpus.files, corpus.problems)


@pytest.fixture
def cache(tmp_path: Path) -> CorpusCache:
    return CorpusCache(tmp_path / "cache", min_size=0)


@pytest.fixture
def no_parsing(monkeypatch: pytest.MonkeyPatch) -> None:
    """Fail the test if any JSON Lines file is parsed."""

    def refuse(*args: object, **kwargs: object) -> None:
        raise AssertionError("parsed instead of read from the cache")

    monkeypatch.setattr(structured, "read_jsonl", refuse)


def test_the_second_load_comes_from_the_cache_and_is_identical(
    tmp_path: Path, cache: CorpusCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 30)
    first = load_corpus([source], cache=cache)
    (cached,) = cache.directory.glob("*.pvcache")
    monkeypatch.setattr(structured, "read_jsonl", None)  # parsing again would fail
    second = load_corpus([source], cache=cache)
    assert everything(second) == everything(first)
    assert second.problems[0].line == 31 and len(second.papers) == 30
    assert cached.stat().st_size > 0


def test_the_titles_search_keys_come_from_the_cache_and_find_the_same_papers(
    tmp_path: Path, cache: CorpusCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 30)
    first = load_corpus([source], cache=cache)
    monkeypatch.setattr(structured, "read_jsonl", None)
    second = load_corpus([source], cache=cache)
    table = second.papers
    assert isinstance(table, PaperTable)
    keys = table.title_keys  # read from the cache now, on first use
    assert keys == [search_key(paper.title) for paper in first.papers]
    index = SearchIndex(table)
    assert index._columns.title_keys is keys  # taken, not made again
    found = index.search("paper 12 caching")
    assert second.papers[found.indices[0]].title == "Paper 12 on caching"


def test_damaged_search_keys_in_the_cache_are_made_again(
    tmp_path: Path, cache: CorpusCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 30)
    load_corpus([source], cache=cache)
    (path,) = cache.directory.glob("*.pvcache")
    data = bytearray(path.read_bytes())
    header, _ = cache_module._header(memoryview(data))
    (offset, length, _), *_ = header["pieces"]["title_keys"]
    data[offset + length // 2] ^= 0xFF  # their checksum no longer matches
    path.write_bytes(bytes(data))
    monkeypatch.setattr(structured, "read_jsonl", None)
    table = load_corpus([source], cache=cache).papers  # read (the keys are read when used)
    assert isinstance(table, PaperTable) and table.title_keys is None
    found = SearchIndex(table).search("paper 12 caching")
    assert table[found.indices[0]].title == "Paper 12 on caching"


def test_a_changed_source_is_parsed_again(tmp_path: Path, cache: CorpusCache) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 10)
    assert len(load_corpus([source], cache=cache).papers) == 10
    write_snapshot(source, 5, start=10)  # appended: new size and modification time
    assert len(load_corpus([source], cache=cache).papers) == 15


def test_a_source_replaced_by_another_of_equal_size_and_time_is_parsed_again(
    tmp_path: Path, cache: CorpusCache
) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 10)
    load_corpus([source], cache=cache)
    other = write_snapshot(tmp_path / "b.jsonl", 10, start=50)
    info = source.stat()
    os.utime(other, ns=(info.st_atime_ns, info.st_mtime_ns))
    other.replace(source)  # same size, same mtime, another inode
    assert load_corpus([source], cache=cache).papers[0].id == "2401.00050"


@pytest.mark.parametrize("damage", ["truncate", "garbage", "empty", "header", "flip"])
def test_a_damaged_cache_is_rebuilt_silently(
    tmp_path: Path, cache: CorpusCache, damage: str
) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 20)
    expected = everything(load_corpus([source], cache=cache))
    (path,) = cache.directory.glob("*.pvcache")
    data = path.read_bytes()
    broken = {
        "truncate": data[: len(data) // 2],
        "garbage": os.urandom(len(data)),
        "empty": b"",
        "header": data.replace(b'"count": 20', b'"count": 21'),
        "flip": data[:9] + bytes([data[9] ^ 0xFF]) + data[10:],
    }[damage]
    path.write_bytes(broken)
    assert everything(load_corpus([source], cache=cache)) == expected
    repaired = path.read_bytes()
    assert repaired != broken and len(repaired) == len(data)  # rebuilt, not left broken


def test_deleting_the_cache_directory_is_always_safe(tmp_path: Path, cache: CorpusCache) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 20)
    expected = everything(load_corpus([source], cache=cache))
    for path in cache.directory.iterdir():
        path.unlink()
    cache.directory.rmdir()
    assert everything(load_corpus([source], cache=cache)) == expected
    assert len(list(cache.directory.glob("*.pvcache"))) == 1


def test_an_unwritable_cache_directory_only_means_no_cache(tmp_path: Path) -> None:
    blocker = tmp_path / "not-a-directory"
    blocker.write_text("a file where the cache directory should be")
    cache = CorpusCache(blocker / "cache", min_size=0)
    source = write_snapshot(tmp_path / "a.jsonl", 5)
    assert len(load_corpus([source], cache=cache).papers) == 5
    assert len(load_corpus([source], cache=cache).papers) == 5


def test_the_file_name_shown_is_the_one_given_this_time(
    tmp_path: Path, cache: CorpusCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 3)
    load_corpus([source], cache=cache)
    monkeypatch.chdir(tmp_path)
    corpus = load_corpus([Path("a.jsonl")], cache=cache)  # the same file, named relatively
    assert str(corpus.papers[0].sources[0]) == "a.jsonl:1"
    assert [p.file for p in corpus.problems] == ["a.jsonl"]
    assert len(list(cache.directory.glob("*.pvcache"))) == 1  # keyed by the resolved path


def test_big_corpora_keep_abstracts_on_disk_until_read(tmp_path: Path, no_parsing: None) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 40)
    lazy = CorpusCache(tmp_path / "cache", min_size=0, lazy_above=10)
    with pytest.MonkeyPatch.context() as patch:
        patch.setattr(structured, "read_jsonl", snapshot.read_jsonl)
        eager = load_corpus([source], cache=lazy)  # parses and writes the cache
    on_disk = load_corpus([source], cache=lazy)
    assert isinstance(on_disk.papers.abstracts, DiskStrings)  # type: ignore[attr-defined]
    assert list(on_disk.papers) == list(eager.papers)
    for path in lazy.directory.iterdir():
        path.unlink()  # the open mapping keeps the data readable
    assert on_disk.papers[39].abstract == eager.papers[39].abstract


def test_writes_can_wait_until_the_corpus_is_in_use(tmp_path: Path) -> None:
    cache = CorpusCache(tmp_path / "cache", min_size=0, defer=True)
    source = write_snapshot(tmp_path / "a.jsonl", 5)
    load_corpus([source], cache=cache)
    assert not cache.directory.exists()
    assert cache.flush() == 1
    assert len(list(cache.directory.glob("*.pvcache"))) == 1


def test_a_cancelled_write_leaves_nothing_behind(tmp_path: Path) -> None:
    cache = CorpusCache(tmp_path / "cache", min_size=0, defer=True)
    load_corpus([write_snapshot(tmp_path / "a.jsonl", 5)], cache=cache)
    assert cache.flush(lambda: True) == 0  # e.g. the reader quit while writing
    assert list(cache.directory.iterdir()) == []


def test_a_source_that_changes_while_read_is_not_cached(
    tmp_path: Path, cache: CorpusCache, monkeypatch: pytest.MonkeyPatch
) -> None:
    source = write_snapshot(tmp_path / "a.jsonl", 5)
    real = snapshot.read_jsonl

    def read_while_someone_writes(*args: Any, **kwargs: Any) -> snapshot.ReadResult:
        result = real(*args, **kwargs)
        write_snapshot(source, 1, start=100)
        return result

    monkeypatch.setattr(structured, "read_jsonl", read_while_someone_writes)
    load_corpus([source], cache=cache)
    assert not list(cache.directory.glob("*.pvcache"))


def test_small_files_are_not_cached_and_the_directory_comes_from_the_environment(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERVIEW_CACHE_DIR", str(tmp_path / "from-env"))
    assert cache_dir() == tmp_path / "from-env"
    monkeypatch.setenv("PAPERVIEW_CACHE_DIR", "relative/is/ignored")
    assert cache_dir() == Path(os.environ["XDG_CACHE_HOME"]) / "paperview"
    cache = CorpusCache()  # the default: only files of a megabyte or more
    load_corpus([write_snapshot(tmp_path / "small.jsonl", 5)], cache=cache)
    assert not cache.directory.exists()


@pytest.mark.parametrize("piece", [1, 3, 1000])
def test_any_piece_size_reads_back_the_same_text(
    tmp_path: Path, monkeypatch: pytest.MonkeyPatch, piece: int
) -> None:
    monkeypatch.setattr(cache_module, "PIECE", piece)
    source = tmp_path / "a.jsonl"
    texts = ["plain ascii", "Ünïcode here", "", "emoji 😀 and \\'e", "ascii again"] * 3
    records = [
        {"id": f"2401.{n:05d}", "title": f"T{n}", "abstract": t} for n, t in enumerate(texts)
    ]
    source.write_text("\n".join(json.dumps(r) for r in records) + "\n", encoding="utf-8")
    for lazy_above in (10**9, 0):  # all in memory, then on disk
        cache = CorpusCache(tmp_path / f"cache-{lazy_above}", min_size=0, lazy_above=lazy_above)
        first = load_corpus([source], cache=cache)
        again = load_corpus([source], cache=cache)
        assert [p.abstract for p in again.papers] == [p.abstract for p in first.papers]
        assert again.papers[3].abstract == "emoji 😀 and é"
