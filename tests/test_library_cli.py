"""The library commands: bookmark, bookmarks, lists, where; the same store as the reader."""

from __future__ import annotations

import json
import sqlite3
from pathlib import Path

import pytest
from conftest import WriteCorpus
from corpus_text import ABSTRACT, Item, page

from tui.cli import main
from tui.data.library import FILENAME, open_library
from tui.data.library import files as library_files
from tui.data.text import paper_id

TITLES = ["Alpha net", "Beta [bold]x[/] nets", "Gamma rays", "Delta rays"]
ALPHA, BETA, GAMMA, DELTA = (paper_id(title) for title in TITLES)


@pytest.fixture(autouse=True)
def _data_dir_env(tmp_path: Path, monkeypatch: pytest.MonkeyPatch) -> Path:
    data = tmp_path / "env-data"
    monkeypatch.setenv("PAPERVIEW_DATA_DIR", str(data))
    return data


@pytest.fixture
def corpus(write_corpus: WriteCorpus) -> str:
    return str(write_corpus("a.txt", page([Item(title, ABSTRACT) for title in TITLES])))


@pytest.fixture
def smaller(write_corpus: WriteCorpus) -> str:
    """A later corpus without Alpha."""
    return str(write_corpus("b.txt", page([Item(title, ABSTRACT) for title in TITLES[1:]])))


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def test_bookmark_add_and_remove(capsys: pytest.CaptureFixture[str], corpus: str) -> None:
    code, out, err = run(capsys, "bookmark", "add", "alpha NET", corpus)
    assert (code, out, err) == (0, f"bookmarked: {ALPHA}  Alpha net\n", "")
    code, out, _ = run(capsys, "bookmark", "add", BETA[:6], corpus)
    assert out == f"bookmarked: {BETA}  Beta [bold]x[/] nets\n"  # literal brackets
    assert run(capsys, "bookmark", "add", "Alpha net", corpus)[1].startswith("already bookmarked:")
    assert run(capsys, "bookmark", "remove", "Alpha net", corpus)[1].startswith("removed bookmark:")
    assert run(capsys, "bookmark", "remove", "Alpha net", corpus)[1].startswith("not bookmarked:")
    store, _ = open_library(Path(str(Path(corpus).parent / "env-data")))
    assert store.bookmarked_ids() == {BETA}  # the store the reader opens


def test_bookmarks_marks_papers_missing_from_the_corpus(
    capsys: pytest.CaptureFixture[str], corpus: str, smaller: str
) -> None:
    run(capsys, "bookmark", "add", "Alpha", corpus)
    run(capsys, "bookmark", "add", "Gamma", corpus)
    code, out, err = run(capsys, "bookmarks", smaller)
    assert code == 0 and err == ""
    first, second = out.splitlines()
    assert first == f"{ALPHA}  (not in the corpus)  Alpha net"
    assert second.startswith(GAMMA) and second.endswith("Gamma rays")
    code, out, _ = run(capsys, "bookmarks", "--json", smaller)
    data = json.loads(out)
    assert [(item["id"], item["in_corpus"]) for item in data] == [(ALPHA, False), (GAMMA, True)]
    assert set(data[0]) == {
        "id",
        "title",
        "in_corpus",
        "bookmarked_at",
        "read_at",
        "tags",
        "lists",
        "note",
    }
    assert data[0]["title"] == "Alpha net" and data[0]["tags"] == [] and data[0]["note"] == ""
    # A paper the corpus no longer has can still be named, by title or id.
    assert run(capsys, "bookmark", "remove", "alpha net", smaller)[0] == 0
    assert run(capsys, "bookmark", "remove", GAMMA[:5], smaller)[0] == 0
    assert run(capsys, "bookmarks", "--json", smaller)[1] == "[]\n"


def test_no_bookmarks_says_so_on_stderr(capsys: pytest.CaptureFixture[str], corpus: str) -> None:
    code, out, err = run(capsys, "bookmarks", corpus)
    assert (code, out) == (0, "") and err.startswith("paperview: no bookmarks yet")


def test_unknown_and_ambiguous_papers_fail(capsys: pytest.CaptureFixture[str], corpus: str) -> None:
    code, out, err = run(capsys, "bookmark", "add", "Epsilon", corpus)
    assert (code, out, err) == (1, "", "paperview: no paper matches 'Epsilon'\n")
    code, _, err = run(capsys, "bookmark", "add", "rays", corpus)
    assert code == 1 and "'rays' matches 2 papers" in err and GAMMA in err
    with pytest.raises(SystemExit) as usage:
        main(["bookmark", "toggle", "Alpha"])
    assert usage.value.code == 2


def test_lists_from_the_command_line(capsys: pytest.CaptureFixture[str], corpus: str) -> None:
    code, out, err = run(capsys, "lists")
    assert (code, out) == (0, "") and "no reading lists yet" in err
    code, out, _ = run(capsys, "lists", "add", "To read", "Gamma", "Alpha", "--corpus", corpus)
    assert out == "added 2 papers to 'To read' (a new list); it has 2 papers\n"
    code, out, _ = run(capsys, "lists", "add", "to READ", "Beta", "Alpha", "--corpus", corpus)
    assert out == "added 1 paper to 'To read'; 1 paper already on it; it has 3 papers\n"
    run(capsys, "lists", "add", "Done", "Delta", "--corpus", corpus)
    assert run(capsys, "lists")[1] == "    1  Done\n    3  To read\n"
    listed = json.loads(run(capsys, "lists", "--json")[1])
    assert [(item["name"], item["count"], item["ids"]) for item in listed] == [
        ("Done", 1, [DELTA]),
        ("To read", 3, [GAMMA, ALPHA, BETA]),
    ]
    code, out, _ = run(capsys, "lists", "show", "to read", "--corpus", corpus)
    assert [line[:16] for line in out.splitlines()] == [GAMMA, ALPHA, BETA]
    shown = json.loads(run(capsys, "lists", "show", "To read", "--json", "--corpus", corpus)[1])
    assert shown["name"] == "To read" and shown["count"] == 3
    assert [paper["lists"] for paper in shown["papers"]] == [["To read"]] * 3
    code, out, _ = run(capsys, "lists", "remove", "To read", "Alpha", "Delta", "--corpus", corpus)
    assert out == "removed 1 paper from 'To read'; 1 paper not on it; it has 2 papers\n"
    assert run(capsys, "lists", "rename", "to read", "Later")[1] == "renamed 'To read' to 'Later'\n"
    assert run(capsys, "lists", "delete", "later")[1] == "deleted 'Later' (2 papers)\n"
    assert run(capsys, "lists")[1] == "    1  Done\n"


@pytest.mark.parametrize("typed", ["tab\there", "tab  here", "tab\x85here", " tab here\n"])
def test_a_list_is_found_by_the_name_it_was_made_with(
    capsys: pytest.CaptureFixture[str], corpus: str, typed: str
) -> None:
    code, out, err = run(capsys, "lists", "add", typed, "Alpha", "--corpus", corpus)
    assert (code, out, err) == (0, "added 1 paper to 'tab here' (a new list); it has 1 paper\n", "")
    assert run(capsys, "lists", "add", typed, "Beta", "--corpus", corpus)[:2] == (
        0,
        "added 1 paper to 'tab here'; it has 2 papers\n",
    )
    code, out, _ = run(capsys, "lists", "show", typed, "--corpus", corpus)
    assert code == 0 and [line[:16] for line in out.splitlines()] == [ALPHA, BETA]
    assert run(capsys, "lists", "remove", typed, "Beta", "--corpus", corpus)[0] == 0
    assert run(capsys, "lists", "rename", typed, "tab\tthere")[1] == (
        "renamed 'tab here' to 'tab there'\n"
    )
    assert run(capsys, "lists", "delete", "TAB \t THERE") == (
        0,
        "deleted 'tab there' (1 paper)\n",
        "",
    )


def test_list_errors_and_exit_codes(capsys: pytest.CaptureFixture[str], corpus: str) -> None:
    run(capsys, "lists", "add", "A", "Alpha", "--corpus", corpus)
    run(capsys, "lists", "add", "B", "Alpha", "--corpus", corpus)
    assert run(capsys, "lists", "show", "nope") == (
        1,
        "",
        "paperview: no reading list named 'nope'\n",
    )
    assert run(capsys, "lists", "remove", "nope", "Alpha", "--corpus", corpus)[0] == 1
    assert run(capsys, "lists", "delete", "nope")[0] == 1
    code, _, err = run(capsys, "lists", "rename", "A", "b")
    assert code == 1 and err == "paperview: a reading list named 'B' already exists\n"
    code, _, err = run(capsys, "lists", "add", "  ", "Alpha", "--corpus", corpus)
    assert (code, err) == (2, "paperview: a reading list needs a name\n")
    for usage in (["lists", "frobnicate"], ["lists", "add", "A"], ["lists", "rename", "A"]):
        with pytest.raises(SystemExit) as stop:
            main(usage)
        assert stop.value.code == 2


def test_data_dir_option_before_or_after_the_action(
    capsys: pytest.CaptureFixture[str], corpus: str, tmp_path: Path, _data_dir_env: Path
) -> None:
    first, second = tmp_path / "first", tmp_path / "second"
    run(capsys, "lists", "--data-dir", str(first), "add", "L", "Alpha", "--corpus", corpus)
    run(capsys, "lists", "add", "M", "Alpha", "--corpus", corpus, "--data-dir", str(second))
    run(capsys, "bookmark", "add", "Alpha", corpus, "--data-dir", str(first))
    assert [item.name for item in open_library(first)[0].lists()] == ["L"]
    assert [item.name for item in open_library(second)[0].lists()] == ["M"]
    assert open_library(first)[0].bookmarked_ids() == {ALPHA}
    assert run(capsys, "lists", "--data-dir", str(second))[1] == "    1  M\n"
    assert not _data_dir_env.exists()  # the variable's directory was never used


def test_where(capsys: pytest.CaptureFixture[str], tmp_path: Path, _data_dir_env: Path) -> None:
    code, out, _ = run(capsys, "where")
    assert code == 0
    assert out == (
        f"data dir: {_data_dir_env}  (from PAPERVIEW_DATA_DIR)\n"
        f"library:  {_data_dir_env / FILENAME}  (not created yet)\n"
    )
    data = json.loads(run(capsys, "where", "--json", "--data-dir", str(tmp_path / "x"))[1])
    assert data == {
        "data_dir": str(tmp_path / "x"),
        "source": "--data-dir",
        "library": str(tmp_path / "x" / FILENAME),
        "exists": False,
    }
    assert not _data_dir_env.exists()


def test_damaged_and_newer_files_from_the_command_line(
    capsys: pytest.CaptureFixture[str], corpus: str, _data_dir_env: Path
) -> None:
    _data_dir_env.mkdir()
    (_data_dir_env / FILENAME).write_bytes(b"not a database")
    code, out, err = run(capsys, "bookmarks", corpus)
    assert code == 0 and "was damaged (not an SQLite database); kept aside as" in err
    run(capsys, "bookmark", "add", "Alpha", corpus)
    db = sqlite3.connect(_data_dir_env / FILENAME)
    db.execute("PRAGMA user_version = 7")
    db.close()
    code, out, err = run(capsys, "bookmark", "add", "Beta", corpus)
    assert code == 1 and out == ""
    assert "created by a newer paperview" in err.splitlines()[0]
    assert "nothing was changed" in err.splitlines()[-1]
    assert json.loads(run(capsys, "bookmarks", "--json", corpus)[1])[0]["id"] == ALPHA


def test_a_write_the_disk_refuses_fails_cleanly(
    capsys: pytest.CaptureFixture[str], corpus: str, monkeypatch: pytest.MonkeyPatch
) -> None:
    run(capsys, "bookmark", "add", "Alpha", corpus)
    real_connect = library_files.connect

    def read_only(path: Path, mode: library_files.Mode, busy_timeout: float) -> sqlite3.Connection:
        db = real_connect(path, mode, busy_timeout)
        db.execute("PRAGMA query_only = ON")
        return db

    monkeypatch.setattr(library_files, "connect", read_only)
    code, out, err = run(capsys, "bookmark", "add", "Beta", corpus)
    assert (code, out) == (1, "")
    assert err.startswith("paperview: couldn't save to ") and err.endswith(
        "(attempt to write a readonly database); nothing was changed\n"
    )
