"""The benchmark corpus generator: deterministic, realistic, readable by paperview."""

from __future__ import annotations

import statistics
from pathlib import Path

from benchmarks.corpus import corpus_text, generate_papers, generate_table, main
from tui.data.corpus import load_corpus
from tui.data.models import Paper


def test_same_seed_same_corpus_and_prefixes_agree() -> None:
    first = generate_table(200, seed=5)
    again = generate_table(200, seed=5)
    longer = generate_table(300, seed=5)
    other = generate_table(200, seed=6)
    assert list(first.titles) == list(again.titles)
    assert list(first.abstracts) == list(again.abstracts)
    assert list(longer.titles[:200]) == list(first.titles)
    assert list(other.titles) != list(first.titles)


def test_papers_are_valid_unique_and_seed_like() -> None:
    papers = generate_papers(2_000)
    assert len({p.id for p in papers}) == len(papers)
    for paper in papers[:200]:
        assert Paper.model_validate(paper.model_dump()) == paper
    assert 55 <= statistics.mean(len(p.title) for p in papers) <= 95
    assert 1_000 <= statistics.mean(len(p.abstract) for p in papers) <= 1_700
    no_year = sum(1 for p in papers if p.date is not None and p.date.year is None)
    no_date = sum(1 for p in papers if p.date is None)
    assert 0.05 < no_year / len(papers) < 0.2 and 0.03 < no_date / len(papers) < 0.15
    assert any(not p.abstract.isascii() for p in papers)  # accented names


def test_the_vocabulary_grows_with_the_corpus() -> None:
    small = {w for a in generate_table(500).abstracts for w in a.split()}
    large = {w for a in generate_table(5_000).abstracts for w in a.split()}
    assert len(large) > 2 * len(small)


def test_written_corpus_reads_back(tmp_path: Path) -> None:
    papers = generate_papers(50, seed=2)
    path = tmp_path / "papers.txt"
    assert main(["50", "--seed", "2", "-o", str(path)]) == 0
    assert path.read_text(encoding="utf-8") == corpus_text(papers)
    corpus = load_corpus([path])
    assert not [p for p in corpus.problems if p.severity.value == "error"]
    assert [p.title for p in corpus.papers] == [p.title for p in papers]
    assert [p.abstract for p in corpus.papers] == [p.abstract for p in papers]
    assert [p.date for p in corpus.papers] == [p.date for p in papers]
