"""``paperview export``: what is exported, formats, overwrite protection, standard output,
empty exports and errors (one line, the documented exit status)."""

from __future__ import annotations

import json
import os
import re
import stat
import subprocess
import sys
from pathlib import Path

import pytest
from conftest import WriteCorpus
from corpus_text import ABSTRACT, Item, page
from markdown_it import MarkdownIt

import tui
from tui.cli import main
from tui.data.export import utc_now

ROOT = Path(tui.__file__).resolve().parent.parent
TITLES = [
    "*Attention* Is All You Need",
    "__init__ considered harmful",
    "a|b|c pipes and `ticks`",
    "# H and 1. x",
    "<script>alert(1)</script> &amp; [x](y)",
    "Paths in C:\\",
]


@pytest.fixture
def corpus(write_corpus: WriteCorpus) -> Path:
    items = [Item(t, f"{ABSTRACT} https://x.org/p{n}", upvotes=n) for n, t in enumerate(TITLES)]
    return write_corpus("c.txt", page(items))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def bookmark_all(capsys: pytest.CaptureFixture[str], corpus: Path, data: Path) -> None:
    for title in TITLES:
        assert run(capsys, "bookmark", "add", title, str(corpus), "--data-dir", str(data))[0] == 0


def test_markdown_export_of_bookmarks_renders_every_title(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    data, out_file = tmp_path / "data", tmp_path / "out.md"
    bookmark_all(capsys, corpus, data)
    code, out, err = run(
        capsys, "export", "-o", str(out_file), str(corpus), "--data-dir", str(data)
    )
    assert (code, err) == (0, "")
    assert out == f"exported 6 papers (bookmarks) to {out_file} as Markdown\n"
    html = MarkdownIt("commonmark").render(out_file.read_text(encoding="utf-8"))
    strong = re.findall(r"<strong>(.*?)</strong>", html)
    unescape = {"&lt;": "<", "&gt;": ">", "&quot;": '"', "&amp;": "&"}
    rendered = [re.sub("&(lt|gt|quot|amp);", lambda m: unescape[m.group(0)], s) for s in strong]
    assert rendered == TITLES
    assert "<em>" not in html and "<code>" not in html and "<script" not in html


def test_an_existing_file_is_kept_unless_forced(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    data, target = tmp_path / "data", tmp_path / "out.md"
    bookmark_all(capsys, corpus, data)
    target.write_text("my own notes", encoding="utf-8")
    args = ["export", "-o", str(target), str(corpus), "--data-dir", str(data)]
    code, out, err = run(capsys, *args)
    assert (code, out) == (1, "")
    assert err == f"paperview: {target} already exists; use --force to replace it\n"
    assert target.read_text(encoding="utf-8") == "my own notes"
    assert run(capsys, *args, "--force")[0] == 0
    assert target.read_text(encoding="utf-8").startswith("# Bookmarks\n")


def test_dash_writes_the_file_content_to_stdout_without_styling(
    capsysbinary: pytest.CaptureFixture[bytes], corpus: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    assert main(["bookmark", "add", "pipes", str(corpus), "--data-dir", str(data)]) == 0
    capsysbinary.readouterr()
    for format in ("md", "json", "csv", "bibtex"):
        args = ["export", "--format", format, str(corpus), "--data-dir", str(data)]
        assert main([*args, "-o", "-"]) == 0
        out, err = capsysbinary.readouterr()
        assert err == b"" and b"\x1b" not in out
        target = tmp_path / f"out.{format}"
        assert main([*args, "-o", str(target)]) == 0
        capsysbinary.readouterr()
        strip = re.compile(rb"\d{4}-\d\d-\d\d[ T]\d\d:\d\d(:\d\d)?")  # the generation time
        assert strip.sub(b"T", out) == strip.sub(b"T", target.read_bytes())


def test_an_empty_export_fails_and_writes_nothing(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    target = tmp_path / "out.md"
    code, out, err = run(capsys, "export", "-o", str(target), str(corpus))
    assert (code, out, err) == (1, "", "paperview: no papers to export (bookmarks)\n")
    assert not target.exists()
    code, out, err = run(capsys, "export", "--query", "zzzqqq", "-o", "-", str(corpus))
    assert (code, out) == (1, "") and "no papers to export (search results: zzzqqq)" in err


def test_what_to_export_and_format_from_the_extension(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    data = tmp_path / "data"
    common = [str(corpus), "--data-dir", str(data)]
    adding = ["lists", "add", "Mine", "pipes", "script", "--corpus", str(corpus)]
    assert run(capsys, *adding, "--data-dir", str(data))[0] == 0
    code, _, _ = run(capsys, "export", "--list", "mine", "-o", str(tmp_path / "l.json"), *common)
    exported = json.loads((tmp_path / "l.json").read_text(encoding="utf-8"))
    assert code == 0 and exported["scope"] == "list" and exported["name"] == "Mine"
    assert [p["title"] for p in exported["papers"]] == [TITLES[2], TITLES[4]]
    code, _, _ = run(
        capsys, "export", "--query", "attention", "-o", str(tmp_path / "q.bib"), *common
    )
    assert code == 0 and (tmp_path / "q.bib").read_text(encoding="utf-8").count("@misc{") == 1
    code, out, _ = run(
        capsys, "export", "--paper", "harmful", "-o", "-", "--format", "csv", *common
    )
    assert code == 0 and out.count("\n") == 2 and "__init__ considered harmful" in out


@pytest.mark.parametrize(
    ("args", "code", "message"),
    [
        (["--list", "nope", "-o", "-"], 1, "paperview: no reading list named 'nope'\n"),
        (["--query", "year:abc", "-o", "-"], 2, "paperview: query: "),
        (["--paper", "no such paper at all", "-o", "-"], 1, "no paper matches"),
        (["-o", "{missing}/x.md"], 1, "couldn't write {missing}/x.md: no such file or directory"),
        (["-o", "{missing}/"], 1, "couldn't write {missing}/paperview-bookmarks-"),
        (["-o", "{fifo}"], 1, "paperview: {fifo}: not a regular file; not replaced\n"),
        (["-o", "{fifo}", "--force"], 1, "paperview: {fifo}: not a regular file; not replaced\n"),
        (["-o", "{link}", "--force"], 1, "paperview: {link}: not a regular file; not replaced\n"),
    ],
)
def test_errors_are_one_line_with_the_exit_status(
    capsys: pytest.CaptureFixture[str],
    corpus: Path,
    tmp_path: Path,
    args: list[str],
    code: int,
    message: str,
) -> None:
    data = tmp_path / "data"
    bookmark_all(capsys, corpus, data)
    fifo, link = tmp_path / "fifo", tmp_path / "link.md"
    os.mkfifo(fifo)
    link.symlink_to(fifo)
    names = {"missing": str(tmp_path / "missing"), "fifo": str(fifo), "link": str(link)}
    args = [arg.format(**names) for arg in args]
    got, out, err = run(capsys, "export", *args, str(corpus), "--data-dir", str(data))
    assert (got, out) == (code, "")
    assert message.format(**names) in err and err.count("\n") == 1
    assert stat.S_ISFIFO(fifo.stat().st_mode) and link.is_symlink()  # neither replaced
    assert not (tmp_path / "missing").exists()


@pytest.mark.parametrize("slash", ["", "/"])
def test_a_directory_gets_the_default_name_in_it(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path, slash: str
) -> None:
    data, folder = tmp_path / "data", tmp_path / "exports"
    bookmark_all(capsys, corpus, data)
    folder.mkdir()
    args = ["export", "-o", f"{folder}{slash}", "--format", "json", str(corpus)]
    code, out, err = run(capsys, *args, "--data-dir", str(data))
    written = folder / f"paperview-bookmarks-{utc_now():%Y-%m-%d}.json"
    assert (code, err) == (0, "")
    assert out == f"exported 6 papers (bookmarks) to {written} as JSON\n"
    assert json.loads(written.read_text(encoding="utf-8"))["count"] == 6
    code, out, err = run(capsys, *args, "--data-dir", str(data))  # the same name again
    assert (code, out) == (1, "")
    assert err == f"paperview: {written} already exists; use --force to replace it\n"


def test_usage_errors_exit_2(capsys: pytest.CaptureFixture[str]) -> None:
    with pytest.raises(SystemExit) as missing_output:
        main(["export", "--bookmarks"])
    with pytest.raises(SystemExit) as two_sources:
        main(["export", "--bookmarks", "--list", "x", "-o", "-"])
    assert missing_output.value.code == two_sources.value.code == 2
    capsys.readouterr()


@pytest.mark.slow
def test_a_real_pipe_gets_plain_utf8_markdown(corpus: Path, tmp_path: Path) -> None:
    data = tmp_path / "data"
    env_args = ["--data-dir", str(data)]
    subprocess.run(
        [sys.executable, "-m", "tui", "bookmark", "add", "script", str(corpus), *env_args],
        check=True,
        capture_output=True,
        cwd=ROOT,
    )
    done = subprocess.run(
        [sys.executable, "-m", "tui", "export", "-o", "-", str(corpus), *env_args],
        capture_output=True,
        env={"PATH": "/usr/bin:/bin", "LANG": "C", "TERM": "xterm-256color", "FORCE_COLOR": "1"},
        cwd=ROOT,
        check=False,
    )
    assert done.returncode == 0 and done.stderr == b""
    text = done.stdout.decode("utf-8")
    assert "\x1b" not in text
    assert r"**\<script\>alert\(1\)\<\/script\> \&amp\; \[x\]\(y\)**" in text
