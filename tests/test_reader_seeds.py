"""The bundled corpus reads as it should: counts, merges, LaTeX, brackets, metadata."""

from __future__ import annotations

import pytest

from tui.data.corpus import load_corpus
from tui.data.models import Corpus, Paper, PaperDate, Severity
from tui.data.text import paper_id
from tui.resources import seeds_dir


@pytest.fixture(scope="module")
def corpus() -> Corpus:
    return load_corpus([seeds_dir()])


def by_title(corpus: Corpus, start: str) -> Paper:
    matches = [paper for paper in corpus.papers if paper.title.startswith(start)]
    assert len(matches) == 1, [paper.title for paper in matches]
    return matches[0]


def test_counts_match_an_independent_count(corpus: Corpus) -> None:
    # Counted by hand from the layout rules: 28 + 331 + 42 + 40 entries; 21 papers appear
    # two to four times (27 extra copies), so 441 - 27 = 414 unique papers.
    assert [report.entries for report in corpus.files] == [28, 331, 42, 40]
    assert [report.layout for report in corpus.files] == ["page", "pairs", "page", "page"]
    assert corpus.entries_read == 441
    assert len(corpus.papers) == 414
    assert corpus.duplicates_merged == 27
    assert sum(1 for paper in corpus.papers if len(paper.sources) > 1) == 21


def test_ids_are_unique_and_derived_from_the_title(corpus: Corpus) -> None:
    assert len({paper.id for paper in corpus.papers}) == len(corpus.papers)
    assert all(paper.id == paper_id(paper.title) for paper in corpus.papers)


def test_the_truncated_entry_is_kept_and_reported(corpus: Corpus) -> None:
    paper = by_title(corpus, "AgentTTS")
    assert paper.authors is None and paper.upvotes is None and paper.date is None
    assert paper.abstract.startswith("Test-time scaling (TTS)")
    (problem,) = corpus.problems
    assert problem.severity is Severity.WARNING
    assert problem.file.endswith("003_5113829faee3821d.txt") and problem.line == 277


def test_latex_escapes_become_unicode(corpus: Corpus) -> None:
    tulu = by_title(corpus, "TÜLU 3")
    assert 'T\\"ULU' not in tulu.abstract and "we introduce TÜLU 3, a family" in tulu.abstract
    texts = " ".join(paper.abstract for paper in corpus.papers)
    assert "[Akyürek et al., 2023]" in texts
    assert "están diseñados" in texts and "60% of tokens" in texts
    assert "private data & models" in texts and "$32,000 feature" in texts
    # Unknown macros and literal tildes are kept as written.
    assert "{\\ours}'s robust" in texts and "\\methodabbr" in texts and "~5X faster" in texts


def test_bracketed_citations_are_kept(corpus: Corpus) -> None:
    texts = " ".join(paper.abstract for paper in corpus.papers)
    assert "objective [von Oswald et al., 2022]. However" in texts
    assert "E[Y|X]" in texts or "[0, 1]" in texts


def test_metadata_upvotes_and_dates(corpus: Corpus) -> None:
    first = by_title(corpus, "Knowledge Composition using Task Vectors")
    assert (first.authors, first.upvotes) == (5, 3)
    assert first.date == PaperDate(year=2024, month=7, day=3)
    no_upvotes = by_title(corpus, "LLM as Dataset Analyst")
    assert (no_upvotes.upvotes, no_upvotes.date) == (0, PaperDate(year=2024, month=5, day=3))
    no_year = by_title(corpus, "Unified Work Embeddings")
    assert no_year.date == PaperDate(year=None, month=11, day=11)
    assert str(no_year.date) == "Nov 11" and no_year.date.iso() == "--11-11"


def test_papers_only_in_the_pairs_file_have_unknown_metadata(corpus: Corpus) -> None:
    paper = by_title(corpus, "Continual Learning in Linear Classification on Separable Data")
    assert paper.title.startswith("Continual")  # "Subscribe" prefix removed
    assert (paper.authors, paper.upvotes, paper.date) == (None, None, None)


def test_duplicates_merge_what_each_copy_knows(corpus: Corpus) -> None:
    merged = [paper for paper in corpus.papers if len(paper.sources) > 1]
    files = {source.file.rsplit("/", 1)[-1][:3] for paper in merged for source in paper.sources}
    assert "001" in files  # copies without metadata merge with copies that have it
    with_meta = [
        p for p in merged if any(s.file.endswith(("000_32a68a11034cf829.txt",)) for s in p.sources)
    ]
    assert with_meta and all(p.authors is not None for p in with_meta)


def test_urls_are_found_in_abstracts(corpus: Corpus) -> None:
    urls = [url for paper in corpus.papers for url in paper.urls]
    assert len(urls) >= 100
    assert "https://github.com/OpenGVLab/TPO" in urls
    assert not any(url.endswith((".", ",", ")")) for url in urls)
