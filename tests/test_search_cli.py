"""``paperview search``: plain and JSON output, exit codes, sorting, library filters."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from benchmarks.corpus import corpus_text, generate_papers
from tui.cli import main


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(["search", *args])
    out, err = capsys.readouterr()
    return code, out, err


def test_plain_rows_best_first(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "catastrofic forgetting", "--limit", "2")
    assert code == 0
    lines = out.splitlines()
    assert len(lines) == 2
    assert lines[0].endswith("Overcoming catastrophic forgetting in neural networks")
    score, fields = lines[0].split()[:2]
    assert 40 <= float(score) < 60 and fields == "title,abstract"
    assert "ff6d5cf61325412b" in lines[0]


def test_no_match_exits_1_like_grep(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "zzqqxxyyvv")
    assert code == 1 and out == ""


def test_a_bad_query_exits_2_with_the_message(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "autor:3 attention")
    assert code == 2 and out == ""
    assert err.strip().splitlines()[-1] == (
        'paperview: query: unknown field "autor:" (did you mean authors:?)'
    )


def test_a_runaway_regex_exits_2_instead_of_running_for_hours(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.data.search import regexes

    monkeypatch.setattr(regexes, "TEXT_SECONDS", 0.1)
    corpus = tmp_path / "papers.jsonl"
    corpus.write_text(json.dumps({"title": "Runaway", "abstract": "q" + " word" * 60}) + "\n")
    code, out, err = run(capsys, "/(.|\\s)*q/", str(corpus))
    assert code == 2 and out == ""
    assert err.strip().splitlines()[-1] == (
        "paperview: query: regex /(.|\\s)*q/ took 0.1 s on one paper; simplify it"
    )


def test_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "tulu", "--json")
    assert code == 0
    data = json.loads(out)
    assert data["query"] == "tulu" and data["total"] == 1
    (result,) = data["results"]
    assert list(result)[:6] == ["id", "title", "score", "matched", "spans", "corrections"]
    for key in ("abstract", "authors", "date", "upvotes", "sources", "urls"):
        assert key in result
    assert result["matched"] == ["title", "abstract"]
    start, end = result["spans"]["title"][0]
    assert result["title"][start:end] == "TÜLU"
    for start, end in result["spans"]["abstract"]:
        assert result["abstract"][start:end] == "TÜLU"
    assert 80 <= result["score"] <= 100


def test_json_corrections_and_total_before_limit(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "trasnformers", "--json", "--limit", "1")
    assert code == 0
    data = json.loads(out)
    assert data["total"] > 1 and len(data["results"]) == 1
    assert ["trasnformers", "Transformers"] in data["results"][0]["corrections"]


def test_sort_and_reverse(capsys: pytest.CaptureFixture[str]) -> None:
    _, out, _ = run(capsys, "year:2022..2024", "--sort", "date", "--json")
    dates = [r["date"] for r in json.loads(out)["results"]]
    keys = [(d["year"], d["month"], d["day"]) for d in dates]
    assert keys == sorted(keys, reverse=True) and keys
    _, out, _ = run(capsys, "year:2022..2024", "--sort", "date", "--reverse", "--json")
    dates = [r["date"] for r in json.loads(out)["results"]]
    assert [(d["year"], d["month"], d["day"]) for d in dates] == sorted(keys)


def test_searches_the_files_named(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    papers = generate_papers(30, seed=3)
    path = tmp_path / "generated.txt"
    path.write_text(corpus_text(papers), encoding="utf-8")
    wanted = next(p for p in papers[5:] if '"' not in p.title)
    code, out, err = run(capsys, f'title:"{wanted.title}"', str(path), "--json")
    assert code == 0, err
    assert [r["title"] for r in json.loads(out)["results"]] == [wanted.title]


def test_options_may_follow_the_query_and_the_paths(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    papers = generate_papers(30, seed=3)
    first, second = tmp_path / "first.txt", tmp_path / "second.txt"
    first.write_text(corpus_text(papers[:15]), encoding="utf-8")
    second.write_text(corpus_text(papers[15:]), encoding="utf-8")
    wanted = next(p for p in papers[15:] if '"' not in p.title)  # in the second file
    query = f'title:"{wanted.title}"'
    for args in (
        [query, "--json", str(first), str(second)],
        [query, str(first), "--limit", "5", str(second), "--json"],
        ["--json", query, str(first), "--sort", "date", str(second)],
    ):
        code, out, err = run(capsys, *args)
        assert code == 0, err
        assert [r["title"] for r in json.loads(out)["results"]] == [wanted.title]


def test_after_a_double_dash_everything_is_the_query_or_a_path(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    code, out, _ = run(capsys, "--json", "--limit", "1", "--", "-zzzunknownzzz")
    assert code == 0 and json.loads(out)["query"] == "-zzzunknownzzz"  # excludes nothing
    code, out, _ = run(capsys, "forgetting", "--json", "--", str(tmp_path / "--limit"))
    assert code == 1 and json.loads(out)["total"] == 0  # "--limit" was a file: none read


def test_library_filters(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    data_dir = str(tmp_path / "library")
    code, out, _ = run(capsys, "is:bookmarked", "--data-dir", data_dir)
    assert code == 1 and out == ""  # an empty library matches nothing
    assert main(["bookmark", "add", "ff6d5cf61325412b", "--data-dir", data_dir]) == 0
    capsys.readouterr()
    code, out, _ = run(capsys, "is:bookmarked forgetting", "--data-dir", data_dir)
    assert code == 0
    (line,) = out.splitlines()
    assert "ff6d5cf61325412b" in line and "library" in line.split()[1]
    code, _, err = run(capsys, "tag:nothing", "--data-dir", data_dir)
    assert code == 2 and 'paperview: query: unknown tag "nothing"' in err
