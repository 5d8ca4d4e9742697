"""Import merges into the library: round trips leave it unchanged, edits made elsewhere come
back, the whole import is one undoable change, and what cannot be matched is reported."""

from __future__ import annotations

from collections.abc import Iterator
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import HealthCheck, given, settings
from hypothesis import strategies as st

from tui.data.export import (
    ExportDocument,
    Format,
    ImportUndo,
    apply_import,
    bookmarks_document,
    list_document,
    plan_import,
    read_import,
    render,
    search_document,
)
from tui.data.library import LibraryStore, LibraryView, open_library
from tui.data.models import Paper, PaperDate, SourceRef
from tui.data.text import paper_id

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)
TITLES = [
    "*Attention* Is All You Need",
    "__init__ considered harmful",
    "a|b|c and `x`",
    "# H and 1. x and > q",
    "<script>alert(1)</script> &amp; [x](y)",
    "Paths in C:\\",
    "TÜLU 3: Open Post-Training",
    "Plain title",
]


def make(title: str) -> Paper:
    return Paper(
        id=paper_id(title),
        title=title,
        abstract=f"About {title}.",
        authors=2,
        date=PaperDate(year=2024, month=5, day=1),
        upvotes=1,
        sources=(SourceRef(file="c.txt", line=1),),
    )


PAPERS = tuple(make(title) for title in TITLES)
P = {paper.title: paper for paper in PAPERS}


@pytest.fixture
def store(tmp_path: Path) -> Iterator[LibraryStore]:
    opened, _ = open_library(tmp_path / "data", refresh_interval=3600)
    yield opened
    opened.close()


def annotate(store: LibraryStore) -> None:
    """A library with every kind of annotation, on tricky titles."""
    store.bookmark(PAPERS[:5])
    store.mark_read([PAPERS[0], PAPERS[2], PAPERS[6]])
    store.add_tag("llm", PAPERS[:2])
    store.add_tag("c++", [PAPERS[1]])
    store.set_note(PAPERS[0], "A *note*: see [1]\nsecond line\n\nnew paragraph <b>")
    store.set_note(PAPERS[3], "# not a heading\\")
    store.add_to_list("To read", [PAPERS[4], PAPERS[1], PAPERS[6]], create=True)
    store.add_to_list("Later", [PAPERS[7]], create=True)


def export_to(path: Path, document: ExportDocument, format: Format) -> Path:
    path.write_text(render(document, format, abstracts=True), encoding="utf-8")
    return path


def import_file(path: Path, store: LibraryStore, papers: tuple[Paper, ...] = PAPERS) -> str | None:
    return apply_import(plan_import(read_import(path), papers, store), store)


def documents(store: LibraryStore) -> list[ExportDocument]:
    return [
        bookmarks_document(PAPERS, store, NOW),
        list_document(PAPERS, store, "To read", NOW),
        list_document(PAPERS, store, "later", NOW),
        search_document(PAPERS, range(len(PAPERS)), "everything", store, NOW),
    ]


@pytest.mark.parametrize("format", [Format.MARKDOWN, Format.JSON])
def test_export_then_import_leaves_the_library_unchanged(
    store: LibraryStore, tmp_path: Path, format: Format
) -> None:
    annotate(store)
    before = store.view()
    for number, document in enumerate(documents(store)):
        path = export_to(tmp_path / f"e{number}{format.extension}", document, format)
        plan = plan_import(read_import(path), PAPERS, store)
        assert plan.changes == 0 and plan.unmatched == () and plan.problems == ()
        assert plan.report() == [f"nothing to change: the library already matches {path}"]
        assert apply_import(plan, store) is None
        assert store.view() == before  # timestamps included
    assert not store.can_redo


def test_markdown_edits_made_elsewhere_come_back(store: LibraryStore, tmp_path: Path) -> None:
    annotate(store)
    path = export_to(
        tmp_path / "list.md", list_document(PAPERS, store, "To read", NOW), Format.MARKDOWN
    )
    text = path.read_text(encoding="utf-8")
    ticked = text.replace("- [ ] **\\<script\\>", "- [x] **\\<script\\>")  # tick one
    ticked = ticked.replace("- [x] **TÜLU", "- [ ] **TÜLU")  # untick another
    ticked += "\n- [ ] Plain Title!\n  Note: added in *my* notes app\n  Tags: new\n"  # by title
    path.write_text(ticked, encoding="utf-8")
    plan = plan_import(read_import(path), PAPERS, store)
    assert plan.report(dry_run=True) == [
        "would mark 1 paper read",
        "would mark 1 paper unread",
        "would tag 1 paper 'new'",
        "would set the note of 1 paper",
        "would add 1 paper to 'To read'",
    ]
    before = store.view()
    assert apply_import(plan, store) == "import list.md"
    plain = P["Plain title"].id
    assert store.is_read(P["<script>alert(1)</script> &amp; [x](y)"].id)
    assert not store.is_read(P["TÜLU 3: Open Post-Training"].id)
    assert store.note(plain) == "added in *my* notes app" and store.tags_of(plain) == ("new",)
    reading = store.reading_list("To read")
    assert reading is not None and reading.ids[-1] == plain
    # One undoable step.
    assert store.undo() == "Undid: import list.md"
    assert store.view() == before
    assert store.redo() == "Redid: import list.md"
    assert store.note(plain) == "added in *my* notes app"


def test_a_fresh_library_gets_everything_from_a_json_export(
    store: LibraryStore, tmp_path: Path
) -> None:
    annotate(store)
    path = export_to(
        tmp_path / "all.json", search_document(PAPERS, range(8), "", store, NOW), Format.JSON
    )
    fresh, _ = open_library(tmp_path / "fresh", refresh_interval=3600)
    with fresh:
        import_file(path, fresh)
        old, new = store.view(), fresh.view()
        assert set(new.bookmarked_at) == set(old.bookmarked_at)
        assert set(new.read_at) == set(old.read_at)
        assert new.tags == old.tags and new.notes == old.notes
        assert [(rl.name, rl.ids) for rl in new.reading_lists] == [
            (rl.name, rl.ids) for rl in old.reading_lists
        ]
        assert fresh.undo() is not None and fresh.view() == LibraryView()


def test_import_never_deletes_and_keeps_notes_the_file_lacks(
    store: LibraryStore, tmp_path: Path
) -> None:
    store.bookmark([PAPERS[0]])
    path = export_to(tmp_path / "b.md", bookmarks_document(PAPERS, store, NOW), Format.MARKDOWN)
    store.set_note(PAPERS[0], "written after the export")
    store.add_tag("later-tag", [PAPERS[0]])
    store.add_to_list("Other", [PAPERS[0]], create=True)
    before = store.view()
    assert import_file(path, store) is None
    assert store.view() == before


def test_notes_are_compared_as_they_render(store: LibraryStore, tmp_path: Path) -> None:
    store.bookmark([PAPERS[0]])
    store.set_note(PAPERS[0], "  spaced   out\n\n\n\nnote  \n")
    path = export_to(tmp_path / "n.md", bookmarks_document(PAPERS, store, NOW), Format.MARKDOWN)
    assert plan_import(read_import(path), PAPERS, store).changes == 0


def test_unmatched_and_duplicate_entries_are_reported(store: LibraryStore, tmp_path: Path) -> None:
    path = tmp_path / "hand.md"
    path.write_text(
        "# Bookmarks\n\n- [ ] Not in the corpus\n- [x] plain TITLE\n- [ ] Plain title\n"
        "- [ ] Renamed\n  id 0123456789abcdef\n",
        encoding="utf-8",
    )
    plan = plan_import(read_import(path), PAPERS, store)
    assert plan.report() == [
        "bookmarked 1 paper",
        "marked 1 paper read",
        "could not match line 3: no paper with title 'Not in the corpus' in the corpus or the "
        "library",
        "could not match line 6: no paper with id 0123456789abcdef or title 'Renamed' in the "
        "corpus or the library",
        "line 5: the same paper as line 4; ignored",
    ]
    assert plan.matched == 1


def test_papers_known_only_to_the_library_match_by_id(store: LibraryStore, tmp_path: Path) -> None:
    gone = make("A paper the corpus lost")
    store.bookmark([gone])
    path = export_to(tmp_path / "b.json", bookmarks_document(PAPERS, store, NOW), Format.JSON)
    store.unbookmark([gone])
    store.mark_read([gone.id])
    plan = plan_import(read_import(path), PAPERS, store)
    assert plan.bookmark == (gone.id,) and plan.mark_unread == (gone.id,)


def test_the_undo_record_reverts_an_import(store: LibraryStore, tmp_path: Path) -> None:
    annotate(store)
    document = list_document(PAPERS, store, "To read", NOW)
    md = export_to(tmp_path / "l.md", document, Format.MARKDOWN)
    js = export_to(
        tmp_path / "l.json", search_document(PAPERS, range(8), "", store, NOW), Format.JSON
    )
    fresh, _ = open_library(tmp_path / "fresh", refresh_interval=3600)
    with fresh:
        fresh.add_to_list("To read", [PAPERS[7]], create=True)
        fresh.set_note(PAPERS[0], "mine")
        fresh.mark_read([PAPERS[4]])
        before = fresh.view()
        for path in (md, js):
            plan = plan_import(read_import(path), PAPERS, fresh)
            apply_import(plan, fresh)
            undo = ImportUndo.from_json(ImportUndo.of(plan, fresh).to_json())
            assert fresh.view() != before
            assert undo.apply(fresh) == []  # nothing was changed since: nothing kept
            after = fresh.view()
            assert (after.bookmarked_at, after.tags, after.notes) == (
                before.bookmarked_at,
                before.tags,
                before.notes,
            )
            assert set(after.read_at) == set(before.read_at)
            assert [(rl.name, rl.ids) for rl in after.reading_lists] == [
                (rl.name, rl.ids) for rl in before.reading_lists
            ]


def test_a_damaged_undo_record_is_refused() -> None:
    for text in ("", "[]", '{"format": "paperview-import-undo", "version": 1}'):
        with pytest.raises(ValueError, match="damaged undo record"):
            ImportUndo.from_json(text)


def test_a_failing_batch_changes_nothing(store: LibraryStore) -> None:
    store.bookmark([PAPERS[0]])
    before = store.view()
    with pytest.raises(RuntimeError), store.batch("doomed"):
        store.bookmark([PAPERS[1]])
        raise RuntimeError("stop")
    assert store.view() == before and store.undo() == "Undid: bookmark 1 paper"


NOTE = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n"),
    max_size=40,
)


@settings(
    max_examples=15, deadline=None, suppress_health_check=[HealthCheck.function_scoped_fixture]
)
@given(
    marks=st.lists(
        st.tuples(st.booleans(), st.booleans(), NOTE, st.sampled_from(["", "x", "y_*"])),
        min_size=len(PAPERS),
        max_size=len(PAPERS),
    ),
    format=st.sampled_from([Format.MARKDOWN, Format.JSON]),
)
def test_round_trip_property(
    tmp_path_factory: pytest.TempPathFactory,
    marks: list[tuple[bool, bool, str, str]],
    format: Format,
) -> None:
    directory = tmp_path_factory.mktemp("rt")
    source, _ = open_library(directory / "a", refresh_interval=3600)
    target, _ = open_library(directory / "b", refresh_interval=3600)
    with source, target:
        for paper, (bookmarked, read, note, tag) in zip(PAPERS, marks, strict=True):
            source.add_to_list("L", [paper], create=True)
            if bookmarked:
                source.bookmark([paper])
            if read:
                source.mark_read([paper])
            if note.strip():
                source.set_note(paper, note)
            if tag:
                source.add_tag(tag, [paper])
        path = export_to(
            directory / f"l{format.extension}", list_document(PAPERS, source, "L", NOW), format
        )
        before = source.view()
        assert import_file(path, source) is None and source.view() == before
        import_file(path, target)
        assert import_file(path, target) is None  # a second import changes nothing
        got = target.view()
        assert set(got.read_at) == set(before.read_at) and got.tags == before.tags
        assert [rl.ids for rl in got.reading_lists] == [rl.ids for rl in before.reading_lists]
        assert set(got.notes) == set(before.notes)
