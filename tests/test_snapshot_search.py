"""Searching a snapshot: ``author:`` and ``cat:`` filters, and ``paperview search --timings``."""

from __future__ import annotations

import json
import re
from pathlib import Path

import pytest

from benchmarks.corpus import generate_table
from tui.cli import main
from tui.data.corpus import load_corpus
from tui.data.models import Paper, SourceRef
from tui.data.search import QueryError, SearchIndex, parse

RECORDS = [
    ("2401.00001", "Deep belief nets", "G. E. Hinton, S. Osindero and Y.-W. Teh", "cs.LG stat.ML"),
    ("2401.00002", "Sparse attention", "Ada Lovelace and Alan Turing", "cs.CL"),
    ("2401.00003", "Renormalisation", 'K. G\\"odel and E. Noether', "hep-th"),
    ("2401.00004", "Belief propagation", "Judea Pearl", "cs.AI stat.ML"),
]


@pytest.fixture
def snapshot_file(tmp_path: Path) -> Path:
    path = tmp_path / "arxiv.jsonl"
    lines = [
        json.dumps({"id": i, "title": t, "abstract": "Text.", "authors": a, "categories": c})
        for i, t, a, c in RECORDS
    ]
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def ids(index: SearchIndex, query: str) -> list[str]:
    result = index.search(query)
    assert result.error is None, result.error
    return sorted(index.papers[i].id for i in result.indices)


def test_author_and_category_filters(snapshot_file: Path) -> None:
    index = SearchIndex(load_corpus([snapshot_file]).papers)
    assert ids(index, "author:hinton") == ["2401.00001"]
    assert ids(index, "author:godel") == ["2401.00003"]  # accents and LaTeX folded
    assert ids(index, 'author:"alan turing"') == ["2401.00002"]
    assert ids(index, "cat:stat.ML") == ["2401.00001", "2401.00004"]
    assert ids(index, "cat:cs") == ["2401.00001", "2401.00002", "2401.00004"]  # a prefix
    assert ids(index, "cat:ml") == []  # of a category, not inside one
    assert ids(index, "belief cat:cs.AI") == ["2401.00004"]
    assert ids(index, "belief -author:hinton") == ["2401.00004"]
    match = index.explain("belief author:pearl", index.search("author:pearl").indices[0])
    assert match is not None and match.fields == ("title", "author")
    assert index.explain("cat:hep", 2) is not None


def test_filters_read_papers_as_well_as_tables() -> None:
    papers = [
        Paper(
            id="0123456789abcdef",
            title="Listed by hand",
            abstract="",
            sources=(SourceRef(file="x", line=1),),
            author_names=("Émile Borel",),
            categories=("math.PR",),
        )
    ]
    index = SearchIndex(papers)
    assert ids(index, "author:emile cat:math") == ["0123456789abcdef"]
    table = SearchIndex(generate_table(50))  # a table without these columns
    assert table.search("author:anyone").total == 0 and table.search("cat:cs").total == 0


@pytest.mark.parametrize(
    ("query", "message"),
    [("author:", 'author: needs a word or a "phrase"'), ("cat:/cs.*/", "cat: needs a word")],
)
def test_bad_filters_say_what_they_need(query: str, message: str) -> None:
    with pytest.raises(QueryError, match=re.escape(message)):
        parse(query)


def test_search_command_prints_timings_on_stderr(
    snapshot_file: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    code = main(["search", "--timings", "belief cat:stat.ML", str(snapshot_file)])
    out, err = capsys.readouterr()
    assert code == 0
    assert [line.split("  ")[-1] for line in out.splitlines()] == [
        "Deep belief nets",
        "Belief propagation",
    ]
    stages = [re.sub(r"^timing:\s+[\d,]+ ms  ", "", line) for line in err.splitlines()]
    assert stages == [f"read+parse  {snapshot_file}", "index", "search", "explain", "total"]
