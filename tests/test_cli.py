"""The command-line contract: stats, list, show, JSON shapes, exit codes, no markup."""

from __future__ import annotations

import io
import json
import os
import subprocess
import sys
from pathlib import Path
from typing import cast

import pytest
from conftest import WriteCorpus
from corpus_text import ABSTRACT, Item, page
from textual.app import App

from tui import __version__
from tui.cli import main
from tui.cli.commands import open as open_command
from tui.cli.parser import discover
from tui.data.models import Paper

CITATION = "linear regression objective [von Oswald et al., 2022]. However"
PAPER_KEYS = {
    *("id", "title", "abstract", "authors", "date", "upvotes", "sources", "urls"),
    *("author_names", "categories"),
}


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_stats_on_the_bundled_corpus(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats")
    assert code == 0
    assert "files read:        4" in out and "entries read:      441" in out
    assert "unique papers:     414" in out and "duplicates merged: 27" in out
    assert "problems:          1  (0 error(s), 1 warning(s))" in out
    assert "003_5113829faee3821d.txt:277: warning: entry has no metadata block" in out


def test_stats_json_shape(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "stats", "--json")
    data = json.loads(out)
    assert code == 0
    assert set(data) == {
        "files",
        "files_read",
        "entries",
        "papers",
        "duplicates_merged",
        "errors",
        "warnings",
        "problems",
    }
    assert (data["errors"], data["warnings"]) == (0, 1)
    assert (data["files_read"], data["entries"], data["papers"], data["duplicates_merged"]) == (
        4,
        441,
        414,
        27,
    )
    assert [f["entries"] for f in data["files"]] == [28, 331, 42, 40]
    assert data["problems"][0]["line"] == 277 and data["problems"][0]["severity"] == "warning"


def test_list_sorts_limits_and_prints_json(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, err = run(capsys, "list", "--sort", "upvotes", "--limit", "3", "--json")
    papers = json.loads(out)
    assert code == 0 and len(papers) == 3
    assert all(set(p) == PAPER_KEYS for p in papers)
    assert [p["upvotes"] for p in papers] == sorted((p["upvotes"] for p in papers), reverse=True)
    assert "1 warning(s) while reading" in err
    code, out, _ = run(capsys, "list", "--sort", "date", "--reverse")
    rows = out.splitlines()
    assert len(rows) == 414
    # Unknown dates come last whichever the direction.
    assert rows[0].split()[1] != "-" and rows[-1].split()[1] == "-"


def test_list_dates_put_year_not_given_after_full_dates(
    write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    path = write_corpus(
        "d.txt",
        page(
            [
                Item("Old", ABSTRACT, date="Jan 1, 2020"),
                Item("Yearless", ABSTRACT, date="Dec 1"),
                Item("New", ABSTRACT, date="Jan 1, 2024"),
            ]
        ),
    )
    for flag in ([], ["--reverse"]):
        _, out, _ = run(capsys, "list", str(path), *flag)
        titles = [line.rsplit("  ", 1)[-1] for line in out.splitlines()]
        assert titles[-1] == "Yearless"
        assert titles[:2] == (["New", "Old"] if not flag else ["Old", "New"])


def test_show_prints_every_field_and_the_exact_abstract(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "Trained Transformers Learn Linear Models In-Context")
    assert code == 0
    assert out.startswith("Trained Transformers Learn Linear Models In-Context\n")
    assert "id:       " in out and "sources:  " in out
    code, out, _ = run(capsys, "list", "--json")
    paper = next(p for p in json.loads(out) if CITATION in p["abstract"])
    code, shown, _ = run(capsys, "show", paper["id"][:8])
    assert code == 0 and shown.rstrip("\n").endswith(paper["abstract"])
    code, shown, _ = run(capsys, "show", paper["id"], "--json")
    assert json.loads(shown) == paper


def test_show_date_year_not_given(capsys: pytest.CaptureFixture[str]) -> None:
    code, out, _ = run(capsys, "show", "Unified Work Embeddings")
    assert code == 0 and "date:     Nov 11 (year not given)" in out


def test_show_failures(capsys: pytest.CaptureFixture[str]) -> None:
    code, _, err = run(capsys, "show", "no such paper at all")
    assert code == 1 and "paperview: no paper matches 'no such paper at all'" in err
    code, _, err = run(capsys, "show", "language")
    assert code == 1 and "matches" in err and "give more of the title or the id" in err


def test_markup_like_text_is_printed_literally(
    write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    title = "Fixing [/] in [bold]ViT[/blue] [@click=app.quit]"
    path = write_corpus(
        "m.txt", page([Item(title, f"An abstract {CITATION} with [red]tags[/red] in it.")])
    )
    code, out, _ = run(capsys, "show", "fixing", str(path))
    assert code == 0 and title in out and CITATION in out and "[red]tags[/red]" in out
    _, out, _ = run(capsys, "list", str(path))
    assert title in out


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    for args in (
        ["list", "--sort", "colour"],
        ["list", "--limit", "x"],
        ["show"],
        ["stats", "--max-size", "-1"],
        ["stats", "--max-size", "0"],
        ["stats", "--max-size", "inf"],
        ["stats", "--max-size=-inf"],
        ["stats", "--max-size", "nan"],
        ["list", "--encoding", "bogus"],
        ["list", "--encoding", "undefined"],  # a traceback before
        ["list", "--encoding", "base64"],
    ):
        with pytest.raises(SystemExit) as exited:
            main(args)
        assert exited.value.code == 2
    assert "argument --encoding: 'undefined' is not a text encoding" in capsys.readouterr().err


def test_unreadable_input_exits_1_but_reads_the_rest(
    tmp_path: Path, write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    good = write_corpus("good.txt", page([Item("Good", ABSTRACT)]))
    code, out, err = run(capsys, "list", str(good), str(tmp_path / "missing.txt"))
    assert code == 1
    assert "Good" in out
    assert err == f"paperview: {tmp_path / 'missing.txt'}: error: no such file or directory\n"
    code, _, _ = run(capsys, "stats", str(write_corpus("empty.txt", "")))
    assert code == 1


def test_file_names_are_printed_escaped(
    tmp_path: Path, write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    good = page([Item("Good", ABSTRACT)])
    write_corpus("dir/esc\x1b[31mred.txt", good)
    write_corpus("dir/ok\x1b]0;PWNED\x07.txt", data=b"x\0y")  # binary: an error naming it
    write_corpus("dir/new\nline\u202e.txt", "junk")  # unrecognised: another
    write_corpus("dir/undecodable\udcff.txt", good)
    folder = str(tmp_path / "dir")
    for command in (["stats", folder], ["list", folder], ["show", "Good", folder]):
        code, out, err = run(capsys, *command)
        assert code == (0 if command[0] == "show" else 1)
        for raw in ("\x1b", "\x07", "\u202e", "\udcff"):
            assert raw not in out + err
        problems = [line for line in (err or out).splitlines() if ": error: " in line]
        assert [line.split("/dir/")[-1] for line in problems] == [
            "new\\nline\\u202e.txt: error: unrecognised layout: neither a Daily Papers page"
            " capture nor alternating title and abstract lines",
            "ok\\x1b]0;PWNED\\x07.txt: error: binary file (NUL byte at offset 1); not read",
        ]
    assert "/dir/esc\\x1b[31mred.txt:" in out and "/dir/undecodable\\udcff.txt:" in out
    _, _, err = run(capsys, "stats", "--timings", folder)  # the stages name the files
    assert "read+parse  " in err and "/dir/esc\\x1b[31mred.txt\n" in err and "\x1b" not in err
    code, out, _ = run(capsys, "stats", "--json", folder)
    assert not {"\x1b", "\u202e"} & set(out)
    files = [report["file"] for report in json.loads(out)["files"]]
    assert files == sorted(str(path) for path in (tmp_path / "dir").iterdir())


def test_symlink_loop_in_a_directory_is_one_line(
    tmp_path: Path, write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    write_corpus("dir/good.txt", page([Item("Good", ABSTRACT)]))
    (tmp_path / "dir" / "loop.txt").symlink_to("loop.txt")
    code, out, err = run(capsys, "list", str(tmp_path / "dir"))
    assert code == 1 and "Good" in out
    loop = tmp_path / "dir" / "loop.txt"
    assert err == f"paperview: {loop}: error: too many levels of symbolic links\n"


def test_a_huge_size_limit_reads_a_small_file(
    write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    path = str(write_corpus("good.txt", page([Item("Good", ABSTRACT)])))
    for megabytes in ("100000", "1e13", "1e300"):
        code, out, err = run(capsys, "list", "--max-size", megabytes, path)
        assert (code, err) == (0, "") and "Good" in out


def test_a_file_of_many_bad_lines_counts_its_errors_as_errors(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    from tui.data import snapshot

    monkeypatch.setattr(snapshot, "MAX_PROBLEMS", 5)
    path = tmp_path / "bad.jsonl"
    path.write_text('{"title": "Good", "id": "2401.00001"}\n' + "{nope\n" * 15, encoding="utf-8")
    code, out, err = run(capsys, "list", "--no-cache", str(path))
    assert code == 0 and "Good" in out  # bad lines: the file itself was read
    lines = err.splitlines()
    assert len(lines) == 6 and all(": error: " in line for line in lines)
    assert lines[-1] == (
        f"paperview: {path}:7: error: 10 more error(s) not listed, from this line on"
    )


def test_output_an_encoding_cannot_take_is_escaped_not_a_crash(
    capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    code, utf8, _ = run(capsys, "list", "--json")
    assert code == 0 and not utf8.isascii()
    for command, shown in (
        (["list", "--limit", "1"], "\\u2191"),
        (["show", "One Step of Gradient Descent is Provably"], "[Aky\\xfcrek et al."),
        (["list", "--json"], ""),
    ):
        out = io.TextIOWrapper(io.BytesIO(), encoding="ascii", write_through=True)
        monkeypatch.setattr(sys, "stdout", out)
        monkeypatch.setattr(sys, "stderr", io.TextIOWrapper(io.BytesIO(), encoding="ascii"))
        assert main(command) == 0
        written = out.buffer.getvalue().decode("ascii")
        if "--json" in command:
            assert json.loads(written) == json.loads(utf8)
        else:
            assert shown in written
        monkeypatch.undo()


def test_version_and_help(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as exited:
        main(["--version"])
    assert exited.value.code == 0
    assert capsys.readouterr().out == f"paperview {__version__}\n"
    with pytest.raises(SystemExit):
        main(["--help"])
    out = capsys.readouterr().out
    for command in ("stats", "list", "show"):
        assert command in out


@pytest.mark.slow
def test_python_dash_m_runs_the_same_command(tmp_path: Path) -> None:
    done = subprocess.run(
        [sys.executable, "-m", "tui", "stats", "--json"],
        cwd=tmp_path,
        capture_output=True,
        text=True,
        check=False,
    )
    assert done.returncode == 0, done.stderr
    assert json.loads(done.stdout)["papers"] == 414


@pytest.mark.slow
@pytest.mark.parametrize(
    "command",
    [
        ["list"],
        ["list", "--json"],
        ["search", "sparse experts"],
        ["export", "--query", "sparse", "--format", "json", "-o", "-"],
    ],
    ids=["list", "list-json", "search", "export"],
)
def test_a_reader_that_stops_early_ends_the_command_quietly(
    command: list[str], tmp_path: Path
) -> None:
    # ``paperview list | head -1``: far more output than a pipe holds, read up to its first
    # line, then the pipe is closed. Every command stops alike: status 0, nothing on stderr.
    path = write_snapshot(tmp_path / "arxiv.jsonl", 3000)
    with (tmp_path / "stderr").open("w+", encoding="utf-8") as err:
        process = subprocess.Popen(
            [sys.executable, "-m", "tui", *command, str(path), "--no-cache"],
            stdout=subprocess.PIPE,
            stderr=err,
        )
        assert process.stdout is not None
        first = process.stdout.readline()
        process.stdout.close()
        assert process.wait(timeout=60) == 0
        err.seek(0)
        assert err.read() == ""
    assert first.strip()


SEEDS = Path(__file__).resolve().parent.parent / "seeds"


def run_with_reader_gone(args: list[str], tmp_path: Path, stream: str = "stdout") -> int:
    """The exit status of ``paperview ARGS`` whose ``stream``'s reader is gone at once."""
    env = {key: value for key, value in os.environ.items() if key != "PYTHONUNBUFFERED"}
    read, write = os.pipe()
    os.close(read)
    try:
        done = subprocess.run(
            [sys.executable, "-m", "tui", *args],
            env=env,
            cwd=tmp_path,
            check=False,
            stdout=write if stream == "stdout" else subprocess.DEVNULL,
            stderr=write if stream == "stderr" else subprocess.DEVNULL,
        )
        return done.returncode
    finally:
        os.close(write)


@pytest.mark.slow
@pytest.mark.parametrize("limit", [[], ["--limit", "3"]], ids=["all rows", "3 rows"])
def test_an_unreadable_input_fails_even_when_the_reader_is_gone(
    limit: list[str], tmp_path: Path
) -> None:
    """Whether the pipe breaks while the rows are written or at the end, the status is
    the command's: 1, as without a pipe (it was 0 or 1 by the output's size)."""
    args = ["list", *limit, str(SEEDS), str(tmp_path / "missing.jsonl"), "--no-cache"]
    assert run_with_reader_gone(args, tmp_path) == 1


@pytest.mark.slow
@pytest.mark.parametrize(
    ("args", "stream", "expected"),
    [(["--help"], "stdout", 0), (["--version"], "stdout", 0), (["list", "--bogus"], "stderr", 2)],
    ids=["help", "version", "usage"],
)
def test_help_and_usage_errors_end_with_their_status_when_the_reader_is_gone(
    args: list[str], stream: str, expected: int, tmp_path: Path
) -> None:
    # (it was 120: the flush at exit failed on what argparse had buffered)
    assert run_with_reader_gone(args, tmp_path, stream) == expected


@pytest.mark.parametrize("command", sorted(discover()))
def test_every_command_has_help(command: str, capsys: pytest.CaptureFixture[str]) -> None:
    # Only the command run gets its options, so each one's --help is checked on its own.
    with pytest.raises(SystemExit) as exited:
        main([command, "--help"])
    assert exited.value.code == 0
    assert capsys.readouterr().out.startswith(f"usage: paperview {command} ")


def write_snapshot(path: Path, count: int) -> Path:
    """``count`` arXiv records, ids ``2401.00000`` on, their dates out of id order."""
    records = [
        {
            "id": f"2401.{n:05d}",
            "title": f"Paper number {n} on sparse experts",
            "abstract": "An abstract.",
            "authors": "Ada Lovelace and Alan Turing",
            "versions": [{"version": "v1", "created": f"Mon, {n % 28 + 1} Jan 2024 10:00:00 GMT"}],
        }
        for n in range(count)
    ]
    path.write_text("".join(json.dumps(record) + "\n" for record in records), encoding="utf-8")
    return path


def count_built(monkeypatch: pytest.MonkeyPatch) -> list[str]:
    """The ids of the papers built from now on (a big corpus keeps columns, not papers)."""
    built: list[str] = []
    construct = Paper.model_construct

    def counting(
        cls: type[Paper], /, _fields_set: set[str] | None = None, **values: object
    ) -> Paper:
        built.append(str(values.get("id")))
        return construct(_fields_set, **values)

    monkeypatch.setattr(Paper, "model_construct", classmethod(counting))
    return built


def test_list_limit_on_a_big_corpus_builds_only_the_papers_it_prints(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(write_snapshot(tmp_path / "arxiv.jsonl", 200))
    code, everything, _ = run(capsys, "list", path)
    assert code == 0 and len(everything.splitlines()) == 200
    built = count_built(monkeypatch)
    code, out, _ = run(capsys, "list", path, "--limit", "3")
    assert code == 0 and out.splitlines() == everything.splitlines()[:3]
    newest = ["2401.00027", "2401.00055", "2401.00083"]  # Jan 28, in corpus order
    assert [line.split()[0] for line in out.splitlines()] == newest
    assert sorted(built) == sorted(line.split()[0] for line in out.splitlines())


def test_library_commands_on_a_big_corpus_build_only_the_papers_they_show(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    path = str(write_snapshot(tmp_path / "arxiv.jsonl", 200))
    assert run(capsys, "bookmark", "add", "2401.00150", path)[0] == 0
    assert run(capsys, "bookmark", "add", "2401.00007", path)[0] == 0
    assert run(capsys, "lists", "add", "later", "2401.00042", "--corpus", path)[0] == 0
    built = count_built(monkeypatch)
    code, out, _ = run(capsys, "bookmarks", path)
    assert code == 0 and [line.split()[0] for line in out.splitlines()] == [
        "2401.00150",
        "2401.00007",
    ]
    assert sorted(built) == ["2401.00007", "2401.00150"]
    built.clear()
    code, out, _ = run(capsys, "lists", "show", "later", "--corpus", path)
    assert code == 0 and "Paper number 42 on sparse experts" in out
    assert built == ["2401.00042"]
    built.clear()
    code, out, _ = run(capsys, "export", "-o", "-", "--format", "json", path)
    assert code == 0 and {paper["id"] for paper in json.loads(out)["papers"]} == {
        "2401.00150",
        "2401.00007",
    }
    assert sorted(built) == ["2401.00007", "2401.00150"]


def test_paperview_alone_opens_the_reader_as_open_with_the_parsers_defaults(
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    # ``paperview`` alone skips the parser: it must open what ``paperview open`` opens.
    opened: list[tuple[object, ...]] = []

    def reader(*args: object) -> int:
        opened.append(args)
        return 0

    monkeypatch.setattr(open_command, "open_reader", reader)
    assert main([]) == 0 and main(["open"]) == 0
    assert opened[0] == opened[1] == ([], None, None)


@pytest.mark.parametrize("missing", [False, True])
def test_the_reader_exits_1_and_names_an_input_it_could_not_read(
    tmp_path: Path,
    write_corpus: WriteCorpus,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    missing: bool,
) -> None:
    # As the other commands: the reader opens what it can; once closed, status 1 and why.
    from library_support import settled
    from textual.pilot import Pilot

    from tui.app import PaperviewApp

    for stream in (sys.stdin, sys.stdout, sys.stderr):
        monkeypatch.setattr(stream, "isatty", lambda: True)

    async def quit_once_loaded(pilot: Pilot[object]) -> None:
        await settled(cast("Pilot[None]", pilot))
        await pilot.press("q")

    def run_headless(app: PaperviewApp) -> None:
        App.run(app, headless=True, size=(80, 24), auto_pilot=quit_once_loaded)

    monkeypatch.setattr(PaperviewApp, "run", run_headless)
    corpus = str(write_corpus("a.txt", page([Item("First paper", ABSTRACT)])))
    gone = str(tmp_path / "gone.txt")
    paths = [gone, corpus] if missing else [corpus]
    code = main([*paths, "--data-dir", str(tmp_path / "library")])
    err = capsys.readouterr().err
    assert code == (1 if missing else 0)
    assert (f"paperview: {gone}: error: " in err) is missing


def test_a_mistyped_command_is_refused_not_opened_as_files(
    tmp_path: Path, capsys: pytest.CaptureFixture[str], monkeypatch: pytest.MonkeyPatch
) -> None:
    monkeypatch.chdir(tmp_path)
    assert main(["serach", "attention"]) == 2
    assert capsys.readouterr().err.strip() == (
        "paperview: no command or file 'serach' (did you mean 'search'?)"
    )
    (tmp_path / "serach").write_text("", encoding="utf-8")
    main(["serach"])  # a file of that name is a file: the reader (no terminal here) opens it
    assert "did you mean" not in capsys.readouterr().err


def test_options_may_come_after_and_between_the_paths(
    tmp_path: Path, write_corpus: WriteCorpus, capsys: pytest.CaptureFixture[str]
) -> None:
    """Options, paths and other arguments in any order, in every command that takes paths
    (argparse alone took the second path for an unrecognised argument)."""
    a = str(write_corpus("a.txt", page([Item("First paper", ABSTRACT)])))
    b = str(write_corpus("b.txt", page([Item("Second paper", ABSTRACT)])))
    data = ["--data-dir", str(tmp_path / "library")]

    def titles(out: str) -> list[str]:
        found = json.loads(out)
        papers = found["papers"] if isinstance(found, dict) else found
        return [paper["title"] for paper in papers]

    code, out, _ = run(capsys, "stats", a, "--json", b)
    assert (code, json.loads(out)["files_read"]) == (0, 2)
    code, out, _ = run(capsys, "list", a, "--sort", "title", b, "--json", "--limit", "1")
    assert (code, titles(out)) == (0, ["First paper"])
    code, out, _ = run(capsys, "show", "Second paper", "--json", a, b)
    assert (code, json.loads(out)["title"]) == (0, "Second paper")
    assert run(capsys, "bookmark", "add", "Second paper", *data, a, b)[0] == 0
    code, out, _ = run(capsys, "bookmarks", a, "--json", b, *data)
    assert (code, titles(out)) == (0, ["Second paper"])
    edit = ["lists", "add", "week", "First paper", "--corpus", a, "Second paper", *data]
    assert run(capsys, *edit, "--corpus", b)[0] == 0
    corpora = ["--corpus", a, "--corpus", b]
    code, out, _ = run(capsys, "lists", "show", "week", *data, "--json", *corpora)
    assert (code, titles(out)) == (0, ["First paper", "Second paper"])
    week = tmp_path / "week.json"
    assert run(capsys, "export", a, "-o", str(week), "--list", "week", b, *data)[0] == 0
    code, out, _ = run(capsys, "import", str(week), "--dry-run", "--corpus", a, "--corpus", b)
    assert code == 0 and out.splitlines() == [  # into the empty default library
        "would bookmark 1 paper",
        "would add 2 papers to 'week' (a new list)",
    ]
    code, _, err = run(capsys, a, "--max-size", "5", b)  # the reader: parsed, then no terminal
    assert (code, err) == (2, f"paperview: {READER_NEEDS_TERMINAL}\n")


READER_NEEDS_TERMINAL = (
    "the reader needs a terminal; use 'paperview list' or 'paperview show' in scripts"
)


def test_an_unknown_option_is_reported_with_the_commands_usage(
    capsys: pytest.CaptureFixture[str],
) -> None:
    for args, usage in (
        (["search", "x", "--bogus", "y"], "paperview search"),
        (["lists", "show", "week", "--bogus"], "paperview lists show"),
        (["lists", "--bogus"], "paperview lists"),
    ):
        with pytest.raises(SystemExit) as exited:
            main(args)
        err = capsys.readouterr().err
        assert exited.value.code == 2 and err.startswith(f"usage: {usage} [-h]")
        assert err.endswith(f"{usage}: error: unrecognized arguments: --bogus\n")


def test_list_columns_line_up_for_arxiv_and_title_ids(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    papers = tmp_path / "mixed.jsonl"
    records = [
        {"id": "2401.01234", "title": "An arXiv paper", "update_date": "2024-01-02"},
        {"title": "A paper known by its title", "update_date": "2024-01-03"},
    ]
    papers.write_text("".join(json.dumps(r) + "\n" for r in records), encoding="utf-8")
    assert main(["list", str(papers)]) == 0
    rows = capsys.readouterr().out.splitlines()
    assert len(rows) == 2
    assert {row.index("2024-01-0") for row in rows} == {len("13838f0e36ea23ed  ")}
