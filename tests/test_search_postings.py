"""The word index (``SearchIndex.warm``) makes searching faster without changing any answer."""

from __future__ import annotations

import pytest

from benchmarks.bench_relevance import load_queries
from benchmarks.corpus import generate_table
from tui.data.corpus import load_corpus
from tui.data.models import Paper
from tui.data.search import SearchIndex
from tui.data.search.columns import Columns
from tui.data.search.postings import WordIndex
from tui.data.text import paper_id
from tui.resources import seeds_dir

QUERIES = [
    "language models",
    "lang",
    "attention -linear",
    '"language models"',
    '"in-context learning" survey',
    "abstract:benchmark",
    "title:learning abstract:mod",
    "models,",
    "(llms)",
    "catastrofic forgeting",
    "atention",
    "langauge modles",
    "abstract:retreival",
    "linear OR sparse",
    "trnsfrmr",
    "e",
    "zq",
]


@pytest.fixture(scope="module")
def indexes() -> tuple[SearchIndex, SearchIndex]:
    table = generate_table(3_000, seed=3)
    plain = SearchIndex(table, chunk_size=1_000)
    plain.columns.warm()  # abstract keys, but no word index: every search scans
    indexed = SearchIndex(table, chunk_size=1_000)
    assert indexed.warm()
    assert indexed.columns.words.ready and not plain.columns.words.ready
    return plain, indexed


@pytest.mark.parametrize("query", QUERIES)
def test_the_index_finds_exactly_what_a_scan_finds(
    indexes: tuple[SearchIndex, SearchIndex], query: str
) -> None:
    plain, indexed = indexes
    expected = plain.search(query)
    found = indexed.search(query)
    assert expected.total > 0 or query in ("zq",)
    assert list(found.indices) == list(expected.indices)


def test_typing_with_the_index_matches_searching_without(
    indexes: tuple[SearchIndex, SearchIndex],
) -> None:
    plain, indexed = indexes
    query = "large language mod"
    for end in range(1, len(query) + 1):
        assert list(indexed.search(query[:end]).indices) == list(plain.search(query[:end]).indices)


def test_a_word_inside_a_word_or_next_to_punctuation_is_found() -> None:
    papers = [
        Paper.model_construct(
            id=paper_id(str(n)), title=f"Paper {n}", abstract=f"Filler text number {n}."
        )
        for n in range(400)
    ]
    papers[7] = Paper.model_construct(
        id="x", title="Paper seven", abstract="We use (xLSTM-based) models, e.g. MuJoCo."
    )
    index = SearchIndex(papers)
    assert index.warm()
    for query in ("lstm", "xlstmbased", "mujoco", "e.g.", "models,", "(xlstm"):
        assert list(index.search(query).indices) == [7], query


def test_a_needle_inside_too_many_words_falls_back_to_scanning() -> None:
    words = " ".join(f"a{n}" for n in range(300))
    papers = [Paper.model_construct(id=str(n), title="t", abstract=words) for n in range(250)]
    index = WordIndex(Columns(papers))
    assert index.build()
    assert index.narrow("a", range(250)) is None  # 300 words, 250 papers: scanning is cheaper
    assert index.narrow("a12", range(250)) == list(range(250))


def test_words_with_accents_or_other_scripts_are_found_inside_and_across_chunks() -> None:
    papers = [
        Paper.model_construct(id=str(n), title=f"Paper {n}", abstract=f"filler {n}")
        for n in range(700)
    ]
    papers[5] = Paper.model_construct(id="5", title="Über ψ-models", abstract="naïve 東京 ok")
    papers[650] = Paper.model_construct(id="650", title="x", abstract="the ψ-model, naïvely")
    plain = SearchIndex(papers, chunk_size=300)
    plain.columns.warm()
    indexed = SearchIndex(papers, chunk_size=300)
    assert indexed.warm()
    for query in ("ψ-model", "京", "東京 ok", "naive", "uber", "filler 6"):
        expected = list(plain.search(query).indices)
        assert expected, query
        assert list(indexed.search(query).indices) == expected, query


def test_chunks_already_indexed_are_used_while_the_rest_is_still_scanned() -> None:
    papers = [Paper.model_construct(id=str(n), title=f"t{n}", abstract=f"w{n}") for n in range(900)]
    index = SearchIndex(papers, chunk_size=300)
    calls = iter(range(100))
    assert not index.columns.words.build(lambda: next(calls) >= 2)  # chunk 0 only
    assert not index.columns.words.ready
    assert index.columns.words.narrow("w25", range(0, 300)) == [25, *range(250, 260)]
    assert index.columns.words.narrow("w625", range(600, 900)) is None  # not indexed yet
    assert [papers[p].id for p in index.search("w625").indices] == ["625"]
    assert index.columns.words.narrow("w62", range(0, 300)) == [62]
    assert index.columns.words.build()  # the rest: words found before are looked up again
    assert index.columns.words.narrow("w62", range(600, 900)) == list(range(620, 630))
    assert index.columns.words.narrow("w625", range(600, 900)) == [625]


def test_a_cancelled_build_resumes() -> None:
    papers = [Paper.model_construct(id=str(n), title=f"t{n}", abstract=f"w{n}") for n in range(900)]
    columns = Columns(papers, chunk_size=300)
    index = WordIndex(columns)
    calls = iter(range(100))
    assert not index.build(lambda: next(calls) >= 2)
    assert not index.ready
    assert index.build()
    assert index.narrow("w25", range(0, 300)) == [25, *range(250, 260)]  # inside words too
    assert index.narrow("w625", range(600, 900)) == [625]


def test_the_labelled_queries_find_the_same_papers_with_and_without_the_index() -> None:
    papers = load_corpus([seeds_dir()]).papers
    plain = SearchIndex(papers, chunk_size=100)
    indexed = SearchIndex(papers, chunk_size=100)
    assert indexed.warm()
    for item in load_queries():
        expected = list(plain.search(item.query).indices)
        assert list(indexed.search(item.query).indices) == expected, item.query
