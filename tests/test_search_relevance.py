"""Relevance on the labelled query set (tests/relevance_queries.json, the bundled seeds)."""

from __future__ import annotations

import shutil
from collections.abc import Sequence

import pytest

from benchmarks.bench_relevance import (
    Labelled,
    fzf_lines,
    fzf_ranking,
    load_queries,
    metrics,
    paperview_ranking,
    rank_of,
)
from tui.data.corpus import load_corpus
from tui.data.models import Paper
from tui.data.search import SearchIndex
from tui.resources import seeds_dir

QUERIES = load_queries()


@pytest.fixture(scope="module")
def papers() -> Sequence[Paper]:
    return load_corpus([seeds_dir()]).papers


@pytest.fixture(scope="module")
def index(papers: Sequence[Paper]) -> SearchIndex:
    index = SearchIndex(papers)
    assert index.warm()  # as the reader does: the word index answers the abstract searches
    return index


def test_the_labelled_set_is_valid(papers: Sequence[Paper]) -> None:
    ids = {paper.id for paper in papers}
    assert len(QUERIES) >= 60
    kinds = {item.kind for item in QUERIES}
    for kind in ("typo-swap", "typo-missing", "acronym-abstract", "word-order", "accent"):
        assert kind in kinds
    for item in QUERIES:
        assert item.expected and set(item.expected) <= ids, item.query


@pytest.mark.parametrize("item", QUERIES, ids=[item.query for item in QUERIES])
def test_the_intended_paper_is_in_the_first_five(index: SearchIndex, item: Labelled) -> None:
    rank = rank_of(paperview_ranking(index, item.query), item.expected)
    assert rank is not None and rank <= 5, f"{item.query!r}: rank {rank}"


def test_success_at_one_overall(index: SearchIndex) -> None:
    ranks = [rank_of(paperview_ranking(index, item.query), item.expected) for item in QUERIES]
    at1, at5, mrr = metrics(ranks)
    assert at1 >= 0.95 and at5 == 1.0 and mrr >= 0.95


@pytest.mark.slow
@pytest.mark.skipif(shutil.which("fzf") is None, reason="fzf is not installed")
def test_paperview_ranks_no_worse_than_fzf(index: SearchIndex, papers: Sequence[Paper]) -> None:
    fzf = shutil.which("fzf")
    assert fzf is not None
    lines = fzf_lines(papers)
    ours, theirs = [], []
    for item in QUERIES:
        ours.append(rank_of(paperview_ranking(index, item.query), item.expected))
        theirs.append(rank_of(fzf_ranking(fzf, lines, papers, item.query), item.expected))
    mine, other = metrics(ours), metrics(theirs)
    assert mine[0] >= other[0] and mine[1] >= other[1] and mine[2] >= other[2]
