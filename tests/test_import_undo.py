"""``paperview import --undo`` reverts what the import left and keeps what the user changed
since: notes edited, bookmarks and read marks made again, a list deleted and made again; it
follows a list renamed since, and gives a paper the import marked unread its read date back;
an old (version 1) record never replaces a note it cannot prove the import wrote."""

from __future__ import annotations

import json
from collections.abc import Iterator
from contextlib import contextmanager
from pathlib import Path

import pytest
from conftest import WriteCorpus
from corpus_text import ABSTRACT, Item, page

from tui.cli import main
from tui.data.library import LibraryStore, files, open_library
from tui.data.library.ops import NOTE_SEPARATOR
from tui.data.text import paper_id

TITLES = ["Alpha paper", "Beta paper", "Gamma paper"]
ALPHA, BETA, GAMMA = (paper_id(title) for title in TITLES)
LATER = "2099-01-01T00:00:00.000Z"  # when the user changes things again, after the import


@pytest.fixture
def corpus(write_corpus: WriteCorpus) -> Path:
    return write_corpus("c.txt", page([Item(title, ABSTRACT) for title in TITLES]))


@pytest.fixture
def data(tmp_path: Path) -> Path:
    return tmp_path / "data"


@contextmanager
def library(data: Path) -> Iterator[LibraryStore]:
    """The library as the reader (or another command) sees it."""
    store, _ = open_library(data, refresh_interval=3600)
    with store:
        yield store


def run(capsys: pytest.CaptureFixture[str], *args: str) -> tuple[int, str, str]:
    code = main(list(args))
    out, err = capsys.readouterr()
    return code, out, err


def import_text(
    capsys: pytest.CaptureFixture[str], corpus: Path, data: Path, tmp_path: Path, text: str
) -> Path:
    path = tmp_path / "in.md"
    path.write_text(text, encoding="utf-8")
    code, out, _ = run(
        capsys, "import", str(path), "--corpus", str(corpus), "--data-dir", str(data)
    )
    assert code == 0 and out.endswith("to revert this import: paperview import --undo\n")
    return path


def undo(capsys: pytest.CaptureFixture[str], data: Path) -> tuple[int, list[str], str]:
    code, out, err = run(capsys, "import", "--undo", "--data-dir", str(data))
    return code, out.splitlines(), err


NOTES = (
    "- [ ] Alpha paper\n  Note: alpha imported\n"
    "- [ ] Beta paper\n  Note: beta imported\n"
    "- [ ] Gamma paper\n  Note: gamma imported\n"
)


def test_a_note_edited_after_the_import_survives_undo(
    capsys: pytest.CaptureFixture[str], corpus: Path, data: Path, tmp_path: Path
) -> None:
    with library(data) as store:
        store.set_note(BETA, "beta before")
    path = import_text(capsys, corpus, data, tmp_path, NOTES)
    with library(data) as store:
        store.set_note(GAMMA, "gamma: my own words")
    assert undo(capsys, data) == (
        0,
        [f"reverted the import of {path}", "kept 1 note edited since the import"],
        "",
    )
    with library(data) as store:
        assert store.note(GAMMA) == "gamma: my own words"
        assert (store.note(ALPHA), store.note(BETA)) == ("", "beta before")  # untouched: reverted
    assert not (data / "last-import.json").exists()


def test_an_edited_note_keeps_the_text_it_had_before_the_import_too(
    capsys: pytest.CaptureFixture[str], corpus: Path, data: Path, tmp_path: Path
) -> None:
    with library(data) as store:
        store.set_note(ALPHA, "alpha before")
        store.set_note(BETA, "beta before")
    path = import_text(capsys, corpus, data, tmp_path, NOTES)
    with library(data) as store:
        store.set_note(ALPHA, "alpha imported, and my addition")
        store.set_note(GAMMA, "gamma: my own words")
        store.set_note(BETA, "")  # deleted: nothing of the user's to keep
    assert undo(capsys, data)[1] == [
        f"reverted the import of {path}",
        "kept 2 notes edited since the import; 1 of them followed by its text from before the "
        "import",
    ]
    with library(data) as store:
        assert store.note(ALPHA) == (
            f"alpha imported, and my addition\n\n{NOTE_SEPARATOR}\n\nalpha before"
        )
        assert store.note(GAMMA) == "gamma: my own words"
        assert store.note(BETA) == "beta before"


def test_a_bookmark_made_again_after_the_import_survives_undo(
    capsys: pytest.CaptureFixture[str],
    corpus: Path,
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = import_text(capsys, corpus, data, tmp_path, "# Bookmarks\n\n" + NOTES)
    monkeypatch.setattr(files, "now", lambda: LATER)
    with library(data) as store:
        store.unbookmark([ALPHA])
        store.bookmark([ALPHA])
        store.unbookmark([BETA])  # removed since: nothing to revert
    assert undo(capsys, data)[1] == [
        f"reverted the import of {path}",
        "kept 1 bookmark made again since the import",
    ]
    with library(data) as store:
        assert store.view().bookmarked_at == {ALPHA: LATER}


def test_a_paper_marked_read_again_after_the_import_stays_read(
    capsys: pytest.CaptureFixture[str],
    corpus: Path,
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with library(data) as store:
        store.mark_read([GAMMA])
    path = import_text(
        capsys, corpus, data, tmp_path, "- [x] Alpha paper\n- [x] Beta paper\n- [ ] Gamma paper\n"
    )
    monkeypatch.setattr(files, "now", lambda: LATER)
    with library(data) as store:
        store.mark_unread([ALPHA])
        store.mark_read([ALPHA])
    assert undo(capsys, data)[1] == [
        f"reverted the import of {path}",
        "kept 1 paper marked read again since the import",
    ]
    with library(data) as store:
        assert store.view().read_at.keys() == {ALPHA, GAMMA}  # Beta unread again, Gamma read
        assert store.view().read_at[ALPHA] == LATER


def test_a_list_deleted_and_made_again_after_the_import_survives_undo(
    capsys: pytest.CaptureFixture[str],
    corpus: Path,
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    path = import_text(
        capsys, corpus, data, tmp_path, "# Reading list: Week\n\n- [ ] Alpha paper\n"
    )
    monkeypatch.setattr(files, "now", lambda: LATER)
    with library(data) as store:
        store.delete_list("Week")
        store.add_to_list("week", [ALPHA], create=True)  # the user's own list now
    assert undo(capsys, data)[1] == [
        f"reverted the import of {path}",
        "kept 1 list that was deleted and made again since the import",
    ]
    with library(data) as store:
        found = store.reading_list("week")
        assert found is not None and (found.created_at, found.ids) == (LATER, (ALPHA,))


def test_a_list_the_import_made_goes_unless_the_user_added_to_it(
    capsys: pytest.CaptureFixture[str], corpus: Path, data: Path, tmp_path: Path
) -> None:
    lists = "# Reading list: Week\n\n- [ ] Alpha paper\n"
    import_text(capsys, corpus, data, tmp_path, lists)
    assert undo(capsys, data)[1][1:] == []
    with library(data) as store:
        assert store.lists() == ()
    import_text(capsys, corpus, data, tmp_path, lists)
    with library(data) as store:
        store.add_to_list("Week", [BETA])
    assert undo(capsys, data)[1][1:] == []
    with library(data) as store:
        found = store.reading_list("Week")
        assert found is not None and found.ids == (BETA,)


def write_record(data: Path, record: dict[str, object]) -> Path:
    data.mkdir(parents=True, exist_ok=True)
    path = data / "last-import.json"
    path.write_text(json.dumps(record), encoding="utf-8")
    return path


def v1_record(**changes: object) -> dict[str, object]:
    """A record as the first release wrote it: no "after" values."""
    record: dict[str, object] = {
        "format": "paperview-import-undo",
        "version": 1,
        "file": "old.md",
        "unbookmark": [],
        "mark_unread": [],
        "mark_read": [],
        "untag": [],
        "notes": [],
        "unlist": [],
    }
    return record | changes


def test_a_version_1_record_never_replaces_a_note_it_cannot_prove_the_import_wrote(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    with library(data) as store:
        store.bookmark([ALPHA, BETA])
        store.mark_read([BETA])
        store.add_to_list("Week", [ALPHA], create=True)
        store.set_note(ALPHA, "alpha after")
        store.set_note(BETA, "beta after")
    notes = [[ALPHA, "alpha before"], [BETA, ""], [GAMMA, "gamma before"]]
    unlist = [["Week", [ALPHA], True]]
    write_record(
        data, v1_record(unbookmark=[ALPHA], mark_unread=[BETA], notes=notes, unlist=unlist)
    )
    assert undo(capsys, data) == (
        0,
        [
            "reverted the import of old.md",
            "kept 2 notes that may have been edited since the import; 1 of them followed by its "
            "text from before the import (an undo record from an older paperview does not say "
            "what the import wrote)",
        ],
        "",
    )
    with library(data) as store:
        assert store.note(ALPHA) == f"alpha after\n\n{NOTE_SEPARATOR}\n\nalpha before"
        assert store.note(BETA) == "beta after"
        assert store.note(GAMMA) == "gamma before"  # blank now: nothing to keep
        assert store.bookmarked_ids() == {BETA} and not store.read_ids()
        assert store.lists() == ()


@pytest.mark.parametrize(
    ("record", "message"),
    [
        (v1_record(version=3), "written by a newer paperview (undo record version 3; this one "),
        (v1_record(version="2"), "damaged undo record"),
        (v1_record(version=2, notes=[[ALPHA, "x"]]), "damaged undo record"),  # no "after"
        (v1_record(notes=[[ALPHA]]), "damaged undo record"),
    ],
)
def test_a_record_it_cannot_read_is_refused_and_kept(
    capsys: pytest.CaptureFixture[str], data: Path, record: dict[str, object], message: str
) -> None:
    with library(data) as store:
        store.set_note(ALPHA, "mine")
    path = write_record(data, record)
    code, out, err = undo(capsys, data)
    assert (code, out) == (1, [])
    assert err.startswith(f"paperview: {path}: {message}") and err.count("\n") == 1
    assert json.loads(path.read_text(encoding="utf-8")) == record
    with library(data) as store:
        assert store.note(ALPHA) == "mine"


def test_the_record_says_what_the_import_left(
    capsys: pytest.CaptureFixture[str], corpus: Path, data: Path, tmp_path: Path
) -> None:
    import_text(capsys, corpus, data, tmp_path, "# Bookmarks\n\n- [x] Alpha paper\n  Note: new\n")
    record = json.loads((data / "last-import.json").read_text(encoding="utf-8"))
    with library(data) as store:
        at = store.view().bookmarked_at[ALPHA]
        assert store.view().read_at[ALPHA] == record["mark_unread"][0][1]
    assert (record["version"], record["unbookmark"], record["notes"]) == (
        2,
        [[ALPHA, at]],
        [[ALPHA, "", "new"]],
    )


def test_the_record_keeps_when_a_paper_marked_unread_was_read(
    capsys: pytest.CaptureFixture[str], corpus: Path, data: Path, tmp_path: Path
) -> None:
    with library(data) as store:
        store.mark_read([ALPHA])
        read = store.view().read_at[ALPHA]
    import_text(capsys, corpus, data, tmp_path, "- [ ] Alpha paper\n")
    record = json.loads((data / "last-import.json").read_text(encoding="utf-8"))
    assert record["mark_read"] == [[ALPHA, read]]


def test_a_list_renamed_after_the_import_is_reverted_under_its_new_name(
    capsys: pytest.CaptureFixture[str], corpus: Path, data: Path, tmp_path: Path
) -> None:
    path = import_text(
        capsys, corpus, data, tmp_path, "# Reading list: Week\n\n- [ ] Alpha paper\n"
    )
    with library(data) as store:
        store.rename_list("Week", "Later")
        store.add_to_list("Week", [BETA], create=True)  # a list of the user's, under the old name
    assert undo(capsys, data)[1] == [f"reverted the import of {path}"]
    with library(data) as store:
        assert [(item.name, item.ids) for item in store.lists()] == [("Week", (BETA,))]


def test_renamed_lists_made_in_the_same_moment_are_told_apart_by_their_papers(
    capsys: pytest.CaptureFixture[str],
    corpus: Path,
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    export = {
        "format": "paperview-export",
        "version": 1,
        "papers": [
            {"id": ALPHA, "title": "Alpha paper", "lists": ["Week"]},
            {"id": BETA, "title": "Beta paper", "lists": ["Month"]},
        ],
    }
    path = tmp_path / "in.json"
    path.write_text(json.dumps(export), encoding="utf-8")
    monkeypatch.setattr(files, "now", lambda: "2001-01-01T00:00:00.000Z")
    assert main(["import", str(path), "--corpus", str(corpus), "--data-dir", str(data)]) == 0
    monkeypatch.setattr(files, "now", lambda: LATER)
    with library(data) as store:
        store.rename_list("Week", "Soon")
        store.rename_list("Month", "Some day")
        store.add_to_list("Some day", [GAMMA])
    capsys.readouterr()
    assert undo(capsys, data)[1] == [f"reverted the import of {path}"]
    with library(data) as store:
        assert [(item.name, item.ids) for item in store.lists()] == [("Some day", (GAMMA,))]


def test_a_list_deleted_after_the_import_goes_unmentioned(
    capsys: pytest.CaptureFixture[str], corpus: Path, data: Path, tmp_path: Path
) -> None:
    path = import_text(
        capsys, corpus, data, tmp_path, "# Reading list: Week\n\n- [ ] Alpha paper\n"
    )
    with library(data) as store:
        store.delete_list("Week")
    assert undo(capsys, data)[1] == [f"reverted the import of {path}"]


def test_a_version_1_record_says_it_left_a_list_it_cannot_find(
    capsys: pytest.CaptureFixture[str], data: Path
) -> None:
    with library(data) as store:
        store.add_to_list("Later", [ALPHA], create=True)  # "Week" renamed, or another list
    write_record(data, v1_record(unlist=[["Week", [ALPHA], True]]))
    assert undo(capsys, data)[1] == [
        "reverted the import of old.md",
        "left 1 list as it is: not found by name (an undo record from an older paperview "
        "cannot follow a renamed list)",
    ]
    with library(data) as store:
        assert [(item.name, item.ids) for item in store.lists()] == [("Later", (ALPHA,))]


EARLIER = "2001-02-03T04:05:06.789Z"  # when the user read a paper, before the import


def test_a_paper_the_import_marked_unread_gets_its_read_date_back(
    capsys: pytest.CaptureFixture[str],
    corpus: Path,
    data: Path,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    with library(data) as store, monkeypatch.context() as patch:
        store.mark_read([GAMMA])
        gamma = store.view().read_at[GAMMA]
        patch.setattr(files, "now", lambda: EARLIER)
        store.mark_read([ALPHA, BETA])
    import_text(capsys, corpus, data, tmp_path, "".join(f"- [ ] {t}\n" for t in TITLES))
    monkeypatch.setattr(files, "now", lambda: LATER)
    with library(data) as store:
        store.mark_read([BETA])  # read again since: keeps its new date
    assert undo(capsys, data)[1][1:] == []
    with library(data) as store:
        assert store.view().read_at == {ALPHA: EARLIER, BETA: LATER, GAMMA: gamma}


@pytest.mark.parametrize("item", [BETA, [BETA, None]])
def test_a_record_without_the_read_date_marks_the_paper_read_now(
    capsys: pytest.CaptureFixture[str],
    data: Path,
    monkeypatch: pytest.MonkeyPatch,
    item: object,
) -> None:
    """As the first version-2 records have it (a bare id), or a date not known."""
    record = v1_record(version=2, mark_read=[item])
    write_record(data, record)
    monkeypatch.setattr(files, "now", lambda: LATER)
    assert undo(capsys, data) == (0, ["reverted the import of old.md"], "")
    with library(data) as store:
        assert store.view().read_at == {BETA: LATER}
