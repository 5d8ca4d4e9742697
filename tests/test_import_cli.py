"""``paperview import``: the report, --dry-run, re-importing, --undo, and bad files."""

from __future__ import annotations

import json
import stat
from pathlib import Path

import pytest
from conftest import WriteCorpus
from corpus_text import ABSTRACT, Item, page

from tui.cli import main

TITLES = ["*Attention* Is All You Need", "a|b|c pipes", "<script>x</script>", "Plain one"]


@pytest.fixture
def corpus(write_corpus: WriteCorpus) -> Path:
    return write_corpus("c.txt", page([Item(title, ABSTRACT) for title in TITLES]))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def bookmarks_json(capsys: pytest.CaptureFixture[str], corpus: Path) -> list[dict[str, object]]:
    code, out, _ = run(capsys, "bookmarks", "--json", str(corpus))
    assert code == 0
    data: list[dict[str, object]] = json.loads(out)
    return data


def test_export_edit_import_undo(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    c = ["--corpus", str(corpus)]
    for title in TITLES[:3]:
        assert run(capsys, "bookmark", "add", title, str(corpus))[0] == 0
    exported = tmp_path / "b.md"
    assert run(capsys, "export", "-o", str(exported), str(corpus))[0] == 0
    assert run(capsys, "import", str(exported), *c)[1] == (
        f"nothing to change: the library already matches {exported}\n"
    )
    text = exported.read_text(encoding="utf-8").replace("- [ ] **a\\|b", "- [x] **a\\|b")
    text += "- [ ] Plain one\n  Note: from *elsewhere*\n- [ ] Unknown paper\n"
    exported.write_text(text, encoding="utf-8")
    before = bookmarks_json(capsys, corpus)

    code, out, err = run(capsys, "import", str(exported), "--dry-run", *c)
    assert (code, err) == (0, "")
    assert out.splitlines() == [
        "would bookmark 1 paper",
        "would mark 1 paper read",
        "would set the note of 1 paper",
        "could not match line 15: no paper with title 'Unknown paper' in the corpus or the library",
    ]
    assert bookmarks_json(capsys, corpus) == before

    code, out, _ = run(capsys, "import", str(exported), *c)
    assert code == 0 and out.splitlines()[:3] == [
        "bookmarked 1 paper",
        "marked 1 paper read",
        "set the note of 1 paper",
    ]
    assert out.endswith("to revert this import: paperview import --undo\n")
    after = {item["title"]: item for item in bookmarks_json(capsys, corpus)}
    assert after["Plain one"]["note"] == "from *elsewhere*"
    assert after["a|b|c pipes"]["read_at"] is not None

    again = run(capsys, "import", str(exported), *c)[1]
    assert again.startswith(f"nothing to change: the library already matches {exported}\n")

    assert run(capsys, "import", "--undo") == (0, f"reverted the import of {exported}\n", "")
    assert bookmarks_json(capsys, corpus) == before
    assert run(capsys, "import", "--undo") == (1, "", "paperview: no import to undo\n")


def test_a_json_export_imports_into_another_data_dir(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    c = ["--corpus", str(corpus)]
    assert run(capsys, "lists", "add", "Week", "Plain one", "pipes", *c)[0] == 0
    exported = tmp_path / "week.json"
    assert run(capsys, "export", "--list", "week", "-o", str(exported), str(corpus))[0] == 0
    other = tmp_path / "other"
    code, out, _ = run(capsys, "import", str(exported), *c, "--data-dir", str(other))
    assert (code, out.splitlines()[0]) == (0, "added 2 papers to 'Week' (a new list)")
    undo = other / "last-import.json"  # what the import changed, notes and all: private
    assert stat.S_IMODE(undo.stat().st_mode) == 0o600
    code, out, _ = run(capsys, "lists", "show", "week", "--data-dir", str(other), *c)
    assert code == 0 and [line.split("  ")[-1] for line in out.splitlines()] == [
        "Plain one",
        "a|b|c pipes",
    ]


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ("nothing here\n", "no papers found"),
        ('{"format": "paperview-export", "version": 9, "papers": []}', "newer paperview"),
        ("{broken", "1: not valid JSON"),
    ],
)
def test_unreadable_files_fail_with_one_line(
    capsys: pytest.CaptureFixture[str], tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "in.md"
    path.write_text(content, encoding="utf-8")
    code, out, err = run(capsys, "import", str(path))
    assert (code, out) == (1, "")
    assert err.startswith(f"paperview: {path}") and message in err and err.count("\n") == 1


@pytest.mark.parametrize("where", ["corpus", "missing"])
@pytest.mark.parametrize("dry_run", [[], ["--dry-run"]])
def test_nothing_matched_is_a_failure(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path, where: str, dry_run: list[str]
) -> None:
    path = tmp_path / "in.md"
    path.write_text("- [x] No such paper\n", encoding="utf-8")
    elsewhere = corpus if where == "corpus" else tmp_path / "nonexist"
    code, out, _ = run(capsys, "import", str(path), "--corpus", str(elsewhere), *dry_run)
    done = "nothing to import" if dry_run else "nothing imported"
    assert code == 1 and out.splitlines() == [
        f"{done}: no paper of {path} was found in the corpus or the library",
        "could not match line 1: no paper with title 'No such paper' in the corpus or the library",
    ]


def test_the_bookmark_order_survives_a_move(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    """Export, import into an empty library, export again: the same order (not by id)."""
    order = ["Plain one", "*Attention* Is All You Need", "<script>x</script>", "a|b|c pipes"]
    path = tmp_path / "b.md"
    path.write_text("# Bookmarks\n\n" + "".join(f"- [ ] {t}\n" for t in order), "utf-8")
    c = ["--corpus", str(corpus)]
    for name, exported in [
        ("one", path),
        ("two", tmp_path / "e.json"),
        ("three", tmp_path / "e.md"),
    ]:
        data = ["--data-dir", str(tmp_path / name)]
        assert run(capsys, "import", str(exported), *c, *data)[0] == 0
        code, out, _ = run(capsys, "bookmarks", "--json", str(corpus), *data)
        assert code == 0 and [paper["title"] for paper in json.loads(out)] == order
        for following in (tmp_path / "e.json", tmp_path / "e.md"):
            assert (
                run(capsys, "export", "-o", str(following), "--force", str(corpus), *data)[0] == 0
            )


def test_an_export_bigger_than_max_size_imports(
    capsys: pytest.CaptureFixture[str], corpus: Path, tmp_path: Path
) -> None:
    """The file to import is read piece by piece, whatever its size: ``--max-size`` (here
    below the export's size) limits the corpus files only."""
    for title in TITLES:
        assert run(capsys, "bookmark", "add", title, str(corpus))[0] == 0
    exported = tmp_path / "all.json"
    assert run(capsys, "export", "-o", str(exported), str(corpus))[0] == 0
    assert corpus.stat().st_size < 3000 < exported.stat().st_size
    limit = ["--max-size", str(3000 / 2**20)]
    other = ["--data-dir", str(tmp_path / "other"), "--corpus", str(corpus)]
    code, out, err = run(capsys, "import", str(exported), *limit, *other)
    assert (code, err, out.splitlines()[0]) == (0, "", "bookmarked 4 papers")
    err = run(capsys, "import", str(exported), "--max-size", "0.0001", *other)[2]
    assert err.startswith(f"paperview: {corpus}: ") and err.endswith("with --max-size)\n")


def test_usage_errors(capsys: pytest.CaptureFixture[str], tmp_path: Path) -> None:
    assert run(capsys, "import")[0] == 2
    assert run(capsys, "import", str(tmp_path / "x.md"), "--undo")[0] == 2


def test_a_damaged_undo_record_is_reported(
    capsys: pytest.CaptureFixture[str], tmp_path: Path
) -> None:
    data = tmp_path / "data"
    data.mkdir()
    (data / "last-import.json").write_text("{oops", encoding="utf-8")
    code, _, err = run(capsys, "import", "--undo", "--data-dir", str(data))
    assert code == 1 and "damaged undo record" in err and err.count("\n") == 1
