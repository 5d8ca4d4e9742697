"""Reading arXiv metadata snapshot records: the fields a user sees, and bad records."""

from __future__ import annotations

import gzip
import json
from pathlib import Path
from typing import Any

import pytest

from tui.data.corpus import load_corpus
from tui.data.models import Corpus, Paper
from tui.data.search import SearchIndex
from tui.data.search.table import PaperTable

ABSTRACT = (
    "  A fully differential calculation in perturbative quantum chromodynamics is\n"
    "presented for the production of massive photon pairs at hadron colliders. All\n"
    "next-to-leading order contributions are included.\n"
    "  In a second paragraph we compare with the Tevatron data and predict the LHC.\n"
)


def record(**fields: Any) -> dict[str, Any]:
    """A snapshot record with the fields of the real file; ``fields`` override them."""
    base: dict[str, Any] = {
        "id": "0704.0001",
        "submitter": "Pavel Nadolsky",
        "authors": "C. Bal\\'azs, E. L. Berger, P. M. Nadolsky and C.-P. Yuan",
        "title": "Calculation of prompt diphoton production cross sections at Tevatron and\n"
        "  LHC energies",
        "comments": "37 pages, 15 figures",
        "journal-ref": "Phys.Rev.D76:013009,2007",
        "doi": "10.1103/PhysRevD.76.013009",
        "report-no": "ANL-HEP-PR-07-12",
        "categories": "hep-ph",
        "license": None,
        "abstract": ABSTRACT,
        "versions": [
            {"version": "v1", "created": "Mon, 2 Apr 2007 19:18:42 GMT"},
            {"version": "v2", "created": "Tue, 24 Jul 2007 20:10:27 GMT"},
        ],
        "update_date": "2008-11-13",
        "authors_parsed": [
            ["Balázs", "C.", ""],
            ["Berger", "E. L.", ""],
            ["Nadolsky", "P. M.", ""],
            ["Yuan", "C. -P.", ""],
        ],
    }
    base.update(fields)
    return base


def write_jsonl(path: Path, lines: list[Any]) -> Path:
    """Write records (dicts) and raw lines (str) as JSON Lines."""
    text = "".join((line if isinstance(line, str) else json.dumps(line)) + "\n" for line in lines)
    path.write_text(text, encoding="utf-8")
    return path


def load(path: Path) -> Corpus:
    return load_corpus([path])


def test_an_arxiv_record_becomes_a_paper_with_its_id_link_authors_and_date(
    tmp_path: Path,
) -> None:
    corpus = load(write_jsonl(tmp_path / "arxiv.jsonl", [record()]))
    (paper,) = corpus.papers
    assert paper.id == "0704.0001"
    assert paper.link == "https://arxiv.org/abs/0704.0001"
    assert paper.title == (
        "Calculation of prompt diphoton production cross sections at Tevatron and LHC energies"
    )
    assert paper.abstract == (
        "A fully differential calculation in perturbative quantum chromodynamics is presented"
        " for the production of massive photon pairs at hadron colliders. All next-to-leading"
        " order contributions are included.\n"
        "In a second paragraph we compare with the Tevatron data and predict the LHC."
    )
    assert paper.authors == 4
    assert paper.author_names == ("C. Balázs", "E. L. Berger", "P. M. Nadolsky", "C.-P. Yuan")
    assert paper.categories == ("hep-ph",)
    assert paper.date is not None and paper.date.iso() == "2007-04-02"  # v1, not update_date
    assert [str(source) for source in paper.sources] == [f"{tmp_path / 'arxiv.jsonl'}:1"]
    assert corpus.files[0].layout == "jsonl" and corpus.problems == ()


def test_ids_dates_and_authors_fall_back_when_fields_are_missing(tmp_path: Path) -> None:
    lines = [
        record(id="hep-th/9901001v2", versions=[], update_date="1999-01-04"),
        record(id="2401.01234", title="Authors only as a string", authors_parsed=None),
        record(id=None, title="No id", authors="Solo Author", authors_parsed=None, versions=None),
        record(id="2402.00002", title="No date at all", versions=None, update_date=None),
    ]
    papers = list(load(write_jsonl(tmp_path / "a.jsonl", lines)).papers)
    old, string_only, no_id, undated = papers
    assert old.id == "hep-th/9901001" and old.link == "https://arxiv.org/abs/hep-th/9901001"
    assert old.date is not None and old.date.iso() == "1999-01-04"
    assert string_only.authors == 4 and string_only.author_names[-1] == "C.-P. Yuan"
    assert len(no_id.id) == 16 and no_id.link is None  # the title-derived id
    assert no_id.authors == 1 and no_id.author_names == ("Solo Author",)
    assert undated.date is None


def test_bad_records_are_reported_with_their_line_and_the_rest_loads(tmp_path: Path) -> None:
    path = write_jsonl(
        tmp_path / "mixed.jsonl",
        [
            record(id="2401.00001", title="First good one"),
            '{"id": "2401.00002", "title": "cut off',
            "",
            '["not", "an", "object"]',
            record(id="2401.00003", title=None),
            record(id="2401.00004", title="  \n  "),
            record(id="2401.00005", title=42),
            record(id="2401.00006", title="Last good one", versions=None, update_date="2023-02-30"),
        ],
    )
    corpus = load(path)
    assert [p.title for p in corpus.papers] == ["First good one", "Last good one"]
    cut_off, *rest = corpus.problems
    assert (cut_off.line, cut_off.reason[:16], cut_off.reason[-9:]) == (
        2,
        "not valid JSON (",
        "; skipped",
    )
    assert [(p.line, p.reason, p.severity.value) for p in rest] == [
        (4, "not a JSON object; skipped", "error"),
        (5, "record has no title; skipped", "error"),
        (6, "empty title; skipped", "error"),
        (7, "title is not a string; skipped", "error"),
        (8, "bad date 2023-02-30; date left out", "warning"),
    ]
    assert all(p.file == str(path) for p in corpus.problems)


@pytest.mark.parametrize("reverse", [False, True])
def test_submission_dates_do_not_depend_on_the_records_read_before(
    tmp_path: Path, reverse: bool
) -> None:
    lines = [
        record(id="2401.00001", versions=[{"created": "Mon, 12 Apr 2007 19:18:42 GMT"}]),
        record(id="2401.00002", versions=[{"created": "Mon, 12 Apr 20079 19:18:42 GMT"}]),
        record(id="2401.00003", versions=[{"created": "Mon, 12 Apr 2007"}]),
    ]
    corpus = load(write_jsonl(tmp_path / "a.jsonl", lines[::-1] if reverse else lines))
    dates = {p.id: p.date.iso() if p.date else None for p in corpus.papers}
    assert dates == {"2401.00001": "2007-04-12", "2401.00002": None, "2401.00003": "2007-04-12"}
    assert [p.reason for p in corpus.problems] == ["bad date 20079-04-12; date left out"]


def test_control_sequences_and_latex_are_cleaned_in_every_field(tmp_path: Path) -> None:
    hostile = record(
        title="Red \x1b[31malert\x1b[0m \u202eevil\u202c title\x7f",
        abstract="Bell\x07 and tab\there; 60\\% of \\emph{it}.\nWrapped line.",
        authors='M. M\\"uller\x1b]0;owned\x07 and K. G\\"odel',
        authors_parsed=None,
        categories="cs.LG\x1b[2J stat.ML",
    )
    (paper,) = load(write_jsonl(tmp_path / "h.jsonl", [hostile])).papers
    assert paper.title == "Red alert evil title"
    assert paper.abstract == "Bell and tab here; 60% of \\emph{it}. Wrapped line."
    assert paper.author_names == ("M. Müller", "K. Gödel")
    assert paper.categories == ("cs.LG", "stat.ML")


def test_gzip_input_reads_exactly_like_the_plain_file(tmp_path: Path) -> None:
    lines = [record(id=f"2401.{n:05d}", title=f"Paper number {n}") for n in range(50)]
    plain = write_jsonl(tmp_path / "a.jsonl", lines)
    packed = tmp_path / "a.jsonl.gz"
    packed.write_bytes(gzip.compress(plain.read_bytes()))
    unpacked, compressed = load(plain), load(packed)
    assert [p.model_dump(exclude={"sources"}) for p in compressed.papers] == [
        p.model_dump(exclude={"sources"}) for p in unpacked.papers
    ]
    assert compressed.files[0].entries == 50 and compressed.problems == ()


def test_a_damaged_gzip_file_keeps_what_was_read_and_says_where_it_stopped(
    tmp_path: Path,
) -> None:
    lines = [
        record(id=f"2401.{n:05d}", title=f"Paper {n}", abstract="x" * 2000) for n in range(400)
    ]
    data = gzip.compress(write_jsonl(tmp_path / "a.jsonl", lines).read_bytes())
    cut = tmp_path / "cut.jsonl.gz"
    cut.write_bytes(data[: len(data) // 2])
    corpus = load(cut)
    assert 0 < len(corpus.papers) < 400
    (problem,) = corpus.problems
    assert problem.line is None and problem.reason.startswith("stopped reading after line")
    assert problem.reason.endswith(": the compressed file is cut short")


def test_duplicate_records_merge_into_the_first_with_every_source(tmp_path: Path) -> None:
    first = write_jsonl(tmp_path / "a.jsonl", [record(), record(id="0704.0002", title="Other")])
    second = write_jsonl(tmp_path / "b.jsonl", [record(title="A later revision of the title")])
    corpus = load_corpus([first, second, first])  # the same file twice counts once
    assert [p.id for p in corpus.papers] == ["0704.0001", "0704.0002"]
    paper = corpus.papers[0]
    assert paper.title.startswith("Calculation of prompt diphoton")
    assert [str(s) for s in paper.sources] == [f"{first}:1", f"{second}:1"]
    assert corpus.duplicates_merged == 1


def test_text_captures_and_snapshots_load_together(tmp_path: Path) -> None:
    capture = tmp_path / "daily.txt"
    capture.write_text(
        "A captured paper\n\nIts abstract.\n\n  • 3 authors\n·\nJul 3, 2024 12\n", "utf-8"
    )
    snapshot = write_jsonl(tmp_path / "arxiv.jsonl", [record()])
    corpus = load_corpus([tmp_path])  # a directory: its .txt and .jsonl files
    assert [p.title[:20] for p in corpus.papers] == ["A captured paper", "Calculation of promp"]
    captured = corpus.papers[0]
    assert (captured.authors, captured.upvotes, str(captured.sources[0])) == (
        3,
        12,
        f"{capture}:1",
    )
    assert [r.layout for r in corpus.files] == ["jsonl", "page"]
    assert str(corpus.papers[1].sources[0]) == f"{snapshot}:1"


def test_big_corpora_stay_columnar_and_searchable_by_the_same_index(tmp_path: Path) -> None:
    lines = [
        record(id=f"2401.{n:05d}", title=f"Sparse attention number {n}", abstract="Plain text.")
        for n in range(300)
    ]
    corpus = load(write_jsonl(tmp_path / "a.jsonl", lines))
    assert isinstance(corpus.papers, PaperTable)  # never a tuple of 300 validated papers
    index = SearchIndex(corpus.papers)
    result = index.search("attention 299")
    assert [corpus.papers[i].id for i in result.indices] == ["2401.00299"]
    assert isinstance(corpus.papers[-1], Paper) and corpus.papers[-1].title.endswith("299")


@pytest.mark.parametrize("name", ["list.json", "export.json"])
def test_paperviews_own_json_reads_back_as_the_same_papers(tmp_path: Path, name: str) -> None:
    seeds = load_corpus([Path(__file__).resolve().parent.parent / "seeds"])
    papers = [p.model_dump(mode="json") for p in seeds.papers[:40]]
    if name == "list.json":  # what `paperview list --json` prints
        document: Any = papers
    else:  # paperview's export format
        entries = [{"id": p["id"], "title": p["title"], "paper": p, "tags": []} for p in papers]
        document = {"format": "paperview-export", "version": 1, "papers": entries}
    path = tmp_path / name
    path.write_text(json.dumps(document, ensure_ascii=False, indent=2), encoding="utf-8")
    corpus = load(path)
    fields = ("id", "title", "abstract", "authors", "date", "upvotes", "urls")
    assert [p.model_dump(include=set(fields)) for p in corpus.papers] == [
        p.model_dump(include=set(fields)) for p in seeds.papers[:40]
    ]
    assert corpus.files[0].layout == "json" and corpus.problems == ()
    text = path.read_text(encoding="utf-8").split("\n")
    line = corpus.papers[7].sources[0].line  # the line of the paper's title in the file
    assert json.dumps(corpus.papers[7].title, ensure_ascii=False) in text[line - 1]


def test_an_export_from_a_newer_paperview_is_refused_with_a_reason(tmp_path: Path) -> None:
    path = tmp_path / "new.json"
    path.write_text(json.dumps({"format": "paperview-export", "version": 99, "papers": []}))
    corpus = load(path)
    assert corpus.papers == () or len(corpus.papers) == 0
    assert [p.reason for p in corpus.problems] == [
        "export version 99 is not one this paperview reads"
    ]
