"""Relevance of paperview search against ``fzf --filter`` on the labelled query set.

For every query in ``tests/relevance_queries.json`` (run against the bundled seeds), finds
the rank of the intended paper (any of its ``expected`` ids) in paperview's results and in
``fzf --filter``'s, and prints success@1, success@5 and the mean reciprocal rank (MRR),
overall and per kind of query, plus the queries where the two differ.

fzf gets one line per paper, ``title<TAB>abstract``, and matches both fields
(``--nth 2..``; the first field is the paper's position); its defaults are otherwise kept
(fuzzy, smart case, accents normalised). Run from the repository root::

    python -m benchmarks.bench_relevance [--details]
"""

from __future__ import annotations

import argparse
import json
import shutil
import subprocess
import sys
from collections import defaultdict
from collections.abc import Sequence
from dataclasses import dataclass
from pathlib import Path

from tui.data.corpus import load_corpus
from tui.data.models import Paper
from tui.data.search import SearchIndex
from tui.resources import seeds_dir

QUERIES = Path(__file__).resolve().parent.parent / "tests" / "relevance_queries.json"


@dataclass(frozen=True)
class Labelled:
    """One labelled query."""

    kind: str
    query: str
    expected: tuple[str, ...]


def load_queries(path: Path = QUERIES) -> list[Labelled]:
    """The labelled query set."""
    data = json.loads(path.read_text(encoding="utf-8"))
    return [Labelled(q["kind"], q["query"], tuple(q["expected"])) for q in data["queries"]]


def rank_of(ranked_ids: Sequence[str], expected: Sequence[str]) -> int | None:
    """1-based rank of the first expected id, or None when absent."""
    for place, paper_id in enumerate(ranked_ids, start=1):
        if paper_id in expected:
            return place
    return None


def paperview_ranking(index: SearchIndex, query: str, depth: int = 50) -> list[str]:
    """Ids of paperview's first ``depth`` results."""
    result = index.search(query)
    return [index.papers[p].id for p in result.indices[:depth]]


def fzf_ranking(fzf: str, lines: str, papers: Sequence[Paper], query: str) -> list[str]:
    """Ids of ``fzf --filter``'s results, best first."""
    out = subprocess.run(
        [fzf, "--filter", query, "--delimiter", "\t", "--nth", "2.."],
        input=lines,
        capture_output=True,
        text=True,
        check=False,
    ).stdout
    return [papers[int(line.split("\t", 1)[0])].id for line in out.splitlines() if line]


def fzf_lines(papers: Sequence[Paper]) -> str:
    """The corpus as fzf input: ``position<TAB>title<TAB>abstract`` per line."""
    return "".join(
        f"{i}\t{p.title}\t{' '.join(p.abstract.split())}\n" for i, p in enumerate(papers)
    )


def metrics(ranks: Sequence[int | None]) -> tuple[float, float, float]:
    """success@1, success@5 and MRR of a list of ranks."""
    if not ranks:
        return 0.0, 0.0, 0.0
    at1 = sum(1 for r in ranks if r == 1) / len(ranks)
    at5 = sum(1 for r in ranks if r is not None and r <= 5) / len(ranks)
    mrr = sum(1 / r for r in ranks if r is not None) / len(ranks)
    return at1, at5, mrr


def main(argv: Sequence[str] | None = None) -> int:
    """Print the relevance figures."""
    parser = argparse.ArgumentParser(prog="python -m benchmarks.bench_relevance")
    parser.add_argument("--details", action="store_true", help="print every query's ranks")
    args = parser.parse_args(argv)
    papers = load_corpus([seeds_dir()]).papers
    index = SearchIndex(papers)
    index.warm()  # as the reader does: abstract keys, typo word list, word index
    queries = load_queries()
    fzf = shutil.which("fzf")
    lines = fzf_lines(papers) if fzf else ""
    ours: list[int | None] = []
    theirs: list[int | None] = []
    by_kind: dict[str, list[tuple[int | None, int | None]]] = defaultdict(list)
    rows = []
    for item in queries:
        mine = rank_of(paperview_ranking(index, item.query), item.expected)
        other = rank_of(fzf_ranking(fzf, lines, papers, item.query), item.expected) if fzf else None
        ours.append(mine)
        theirs.append(other)
        by_kind[item.kind].append((mine, other))
        rows.append((item, mine, other))
    print(f"relevance: {len(queries)} labelled queries on the bundled seeds ({len(papers)} papers)")
    header = (
        f"{'':22s} {'n':>3s}  {'paperview s@1 s@5  MRR':>24s}   {'fzf --filter s@1 s@5  MRR':>28s}"
    )
    print(header)
    _line("all", ours, theirs, fzf is not None)
    for kind, pairs in sorted(by_kind.items()):
        _line(kind, [p[0] for p in pairs], [p[1] for p in pairs], fzf is not None)
    if fzf is None:
        print("fzf not found on PATH: its columns are left empty")
    print()
    for item, mine, other in rows:
        if args.details or mine != other:
            ranks = f"paperview {_r(mine):>4s}   fzf {_r(other):>4s}"
            print(f"  {item.kind:19s} {item.query!r:44s} {ranks}")
    return 0


def _r(rank: int | None) -> str:
    return "-" if rank is None else str(rank)


def _line(label: str, ours: list[int | None], theirs: list[int | None], with_fzf: bool) -> None:
    a1, a5, am = metrics(ours)
    text = f"{label:22s} {len(ours):3d}  {a1:13.2f} {a5:4.2f} {am:5.3f}"
    if with_fzf:
        b1, b5, bm = metrics(theirs)
        text += f"   {b1:17.2f} {b5:4.2f} {bm:5.3f}"
    print(text)


if __name__ == "__main__":
    sys.exit(main())
