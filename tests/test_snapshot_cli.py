"""The command line on an arXiv snapshot: stats with --timings, show by arXiv id, the cache."""

from __future__ import annotations

import io
import json
import re
import sys
from pathlib import Path
from typing import IO, Any
from unittest.mock import Mock

import pytest

from tui.cli import common, main
from tui.cli.commands import stats
from tui.data import cache as cache_module
from tui.data.cache import CorpusCache


def write_snapshot(path: Path, count: int) -> Path:
    lines = []
    for n in range(count):
        record = {
            "id": f"2401.{n:05d}",
            "title": f"Sparse mixture number {n} of experts",
            "abstract": "  A long abstract, hard-wrapped\nas arXiv does. " * 30,
            "authors": "Ada Lovelace and Alan Turing",
            "categories": "cs.LG stat.ML",
            "versions": [{"version": "v1", "created": "Fri, 5 Jan 2024 10:00:00 GMT"}],
        }
        lines.append(json.dumps(record))
    path.write_text("\n".join(lines) + "\n", encoding="utf-8")
    return path


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def stages(err: str) -> list[str]:
    return [re.sub(r"^timing:\s+[\d,]+ ms  ", "", line) for line in err.splitlines()]


def test_stats_timings_show_parsing_then_the_cache_on_stderr(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_snapshot(tmp_path / "arxiv.jsonl", 700)  # over a megabyte: worth caching
    assert path.stat().st_size > 1024 * 1024
    code, out, err = run(capsys, "stats", "--timings", str(path))
    assert code == 0 and "unique papers:     700" in out and "timing:" not in out
    assert stages(err) == [  # the cache is written once the answer is out
        f"cache miss  {path}",
        f"read+parse  {path}",
        f"cache save  {path}",
        "total",
    ]
    code, out_again, err = run(capsys, "stats", "--timings", "--json", str(path))
    assert code == 0 and json.loads(out_again)["papers"] == 700
    assert stages(err) == [f"cache load  {path}", "total"]
    code, _, err = run(capsys, "stats", "--no-cache", "--timings", str(path))
    assert stages(err) == [f"read+parse  {path}", "total"]


def test_stats_counts_have_thousands_separators(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = tmp_path / "many.jsonl"
    path.write_text("".join(f'{{"title": "Paper {n}"}}\n' for n in range(1200)), "utf-8")
    code, out, _ = run(capsys, "stats", "--no-cache", str(path))
    assert code == 0
    assert "entries read:      1,200" in out and "unique papers:     1,200" in out
    assert f"      1,200 entries  (jsonl)  {path}" in out


def test_stats_counts_the_problems_left_out_of_the_listing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    # 1,200 bad lines, then 300 records with impossible dates: the first 1,000 problems are
    # listed, the other 200 errors and the 300 warnings are summed up, and counted in.
    monkeypatch.setenv("PAPERVIEW_CACHE_DIR", str(tmp_path / "cache"))
    path = write_snapshot(tmp_path / "arxiv.jsonl", 700)  # over a megabyte: cached
    dated = [
        {"id": f"2402.{n:05d}", "title": f"Dated {n}", "update_date": "2024-13-01"}
        for n in range(300)
    ]
    with path.open("a", encoding="utf-8") as file:
        file.write("{not json\n" * 1200)
        file.writelines(json.dumps(record) + "\n" for record in dated)
    for stage in ("read+parse", "cache load"):
        code, out, err = run(capsys, "stats", "--timings", str(path))
        assert code == 0 and f"{stage}  {path}" in err
        assert "problems:          1,500  (1,200 error(s), 300 warning(s))" in out
        assert "error: 200 more error(s) not listed, from this line on" in out
        assert "warning: 300 more warning(s) not listed" in out
        code, out, _ = run(capsys, "stats", "--json", str(path))
        data = json.loads(out)
        assert (data["errors"], data["warnings"], len(data["problems"])) == (1200, 300, 1002)
    assert len(list((tmp_path / "cache").glob("*.pvcache"))) == 1
    code, _, err = run(capsys, "list", "--limit", "1", str(path))
    assert code == 0 and "paperview: 300 warning(s) while reading" in err


def test_the_answer_is_out_before_the_cache_is_written(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERVIEW_CACHE_DIR", str(tmp_path / "cache"))
    path = write_snapshot(tmp_path / "arxiv.jsonl", 700)
    printed_by_then: list[str] = []
    real_write = CorpusCache._write

    def write(self: CorpusCache, *args: Any) -> bool:
        printed_by_then.append(capsys.readouterr().out)
        return bool(real_write(self, *args))

    monkeypatch.setattr(CorpusCache, "_write", write)
    assert main(["search", "sparse", str(path)]) == 0
    assert "Sparse mixture number" in printed_by_then[0]
    assert len(list((tmp_path / "cache").glob("*.pvcache"))) == 1


def test_an_interrupted_command_leaves_nothing_for_the_next_one(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERVIEW_CACHE_DIR", str(tmp_path / "cache"))
    path = write_snapshot(tmp_path / "arxiv.jsonl", 700)
    with monkeypatch.context() as patch:
        patch.setattr(stats, "stats_lines", Mock(side_effect=KeyboardInterrupt))
        assert main(["stats", "--timings", str(path)]) == 130
    capsys.readouterr()
    assert not list((tmp_path / "cache").glob("*.pvcache"))  # interrupted: no cache
    code, _, err = run(capsys, "stats", "--timings", "--no-cache", str(path))
    assert code == 0 and stages(err) == [f"read+parse  {path}", "total"]
    assert not list((tmp_path / "cache").glob("*.pvcache"))


class Terminal(io.StringIO):
    """Standard error as a terminal."""

    def isatty(self) -> bool:
        return True


def test_a_long_cache_save_is_announced_on_a_terminal(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERVIEW_CACHE_DIR", str(tmp_path / "cache"))
    monkeypatch.setattr(common, "SAVING_NOTICE_FROM", 700)
    code, _, err = run(capsys, "stats", str(write_snapshot(tmp_path / "a.jsonl", 700)))
    assert (code, err) == (0, "")  # not a terminal: nothing said
    terminal = Terminal()
    with monkeypatch.context() as patch:
        patch.setattr(sys, "stderr", terminal)
        assert main(["stats", str(write_snapshot(tmp_path / "b.jsonl", 700))]) == 0
        assert main(["stats", str(write_snapshot(tmp_path / "c.jsonl", 699))]) == 0
    assert terminal.getvalue() == (
        "paperview: saving the cache of 700 papers, so that the next command starts sooner "
        "(Ctrl+C skips it)\n"
    )
    assert len(list((tmp_path / "cache").glob("*.pvcache"))) == 3
    with monkeypatch.context() as patch:  # started with standard error closed
        patch.setattr(sys, "stderr", None)
        assert main(["stats", str(write_snapshot(tmp_path / "d.jsonl", 700))]) == 0
    assert len(list((tmp_path / "cache").glob("*.pvcache"))) == 4


def test_ctrl_c_while_the_cache_is_saved_leaves_no_file_behind(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.setenv("PAPERVIEW_CACHE_DIR", str(tmp_path / "cache"))
    path = write_snapshot(tmp_path / "arxiv.jsonl", 700)
    real_encode = cache_module._encode

    def interrupted(handle: IO[bytes], *args: Any) -> None:
        real_encode(handle, *args)
        raise KeyboardInterrupt  # the file is written, not yet in place

    monkeypatch.setattr(cache_module, "_encode", interrupted)
    code, out, _ = run(capsys, "stats", str(path))
    assert code == 130 and "unique papers:     700" in out  # the answer was out
    assert list((tmp_path / "cache").iterdir()) == []


def test_show_finds_a_paper_by_its_arxiv_id_in_any_usual_form(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write_snapshot(tmp_path / "arxiv.jsonl", 20))
    for needle in ("2401.00007", "arXiv:2401.00007", "2401.00007v3"):
        code, out, _ = run(capsys, "show", needle, path)
        assert code == 0
        assert out.splitlines()[:8] == [
            "Sparse mixture number 7 of experts",
            "",
            "id:       2401.00007",
            "date:     Jan 5, 2024",
            "upvotes:  not given",
            "authors:  2",
            "by:       Ada Lovelace, Alan Turing",
            "category: cs.LG stat.ML",
        ]
        assert "url:      https://arxiv.org/abs/2401.00007" in out
    code, _, err = run(capsys, "show", "2401.99999", path)
    assert code == 1 and "no paper matches '2401.99999'" in err


def test_list_and_json_output_carry_names_and_categories(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write_snapshot(tmp_path / "arxiv.jsonl", 5))
    code, out, _ = run(capsys, "list", "--json", "--limit", "1", path)
    (paper,) = json.loads(out)
    assert code == 0
    assert paper["author_names"] == ["Ada Lovelace", "Alan Turing"]
    assert paper["categories"] == ["cs.LG", "stat.ML"]
    assert paper["urls"][0] == "https://arxiv.org/abs/2401.00000"
