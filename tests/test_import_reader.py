"""Reading import files: Markdown lists as exported and as edited by hand, JSON exports, and
files that cannot be imported (one-line errors naming the file and, where known, the line)."""

from __future__ import annotations

import gzip
import json
import os
from datetime import datetime, timezone
from pathlib import Path

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.data.export import (
    ExportDocument,
    ExportRecord,
    Format,
    ImportFileError,
    Scope,
    read_import,
    render,
)
from tui.data.export.markdown import note_lines
from tui.data.export.markdown_reader import drop_break, read_markdown, unescape
from tui.data.library import Annotation
from tui.data.models import Paper, SourceRef
from tui.data.text import paper_id, sanitize

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def paper(title: str) -> Paper:
    return Paper(
        id=paper_id(title), title=title, abstract="Text.", sources=(SourceRef(file="f", line=1),)
    )


def export(*records: ExportRecord, scope: Scope = Scope.BOOKMARKS, name: str | None = None) -> str:
    return render(ExportDocument(scope, records, NOW, name), Format.MARKDOWN, abstracts=True)


def rec(
    title: str, *, read: bool = False, note: str = "", tags: tuple[str, ...] = ()
) -> ExportRecord:
    item = paper(title)
    mark = Annotation(item.id, title, read_at="t" if read else None, note=note, tags=tags)
    return ExportRecord(item.id, title, item, mark)


def clean(text: str) -> str:
    return " ".join(sanitize(text).split())


NOTE_TEXT = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc"), whitelist_characters="\n\t"),
    max_size=80,
)
TAG = st.text(
    alphabet=st.characters(blacklist_categories=("Cs", "Cc", "Zs", "Zl", "Zp", "Cf")),
    min_size=1,
    max_size=12,
).filter(lambda tag: tag.isprintable() and not any(c.isspace() for c in tag))


@given(
    title=st.text(min_size=1, max_size=40).filter(lambda t: bool(clean(t))),
    note=NOTE_TEXT,
    tags=st.lists(TAG, max_size=3, unique=True),
    read=st.booleans(),
)
@example(title="*Attention*", note="Note: not a label\nTags: nor this", tags=["x"], read=True)
@example(title="ends \\", note="a\\\n\\\n> not a quote", tags=["\\"], read=False)
@example(title="- [x] fake item", note="- [ ] fake\n# fake heading", tags=[], read=False)
def test_exported_markdown_reads_back_to_what_was_exported(
    title: str, note: str, tags: list[str], read: bool
) -> None:
    record = rec(title, read=read, note=note, tags=tuple(tags))
    entries, problems = read_markdown(export(record))
    assert problems == ()
    (entry,) = entries
    assert entry.id == record.id and entry.read is read and entry.bookmarked
    assert entry.title == clean(title)
    assert entry.tags == tuple(tags)
    expected_note = "\n".join(note_lines(note)) or None
    assert entry.note == expected_note


def test_a_reading_list_heading_names_the_list() -> None:
    entries, _ = read_markdown(export(rec("A"), rec("B"), scope=Scope.LIST, name="To *read*"))
    assert [entry.lists for entry in entries] == [("To *read*",), ("To *read*",)]
    assert not any(entry.bookmarked for entry in entries)


def test_search_results_add_no_bookmark_and_no_list() -> None:
    entries, _ = read_markdown(export(rec("A"), scope=Scope.SEARCH, name="a b"))
    assert (entries[0].bookmarked, entries[0].lists) == (False, ())


HAND_EDITED = """\
Some preamble that is not a list.

# Reading list: Weekend

* [X] Attention Is All You Need
  Note: skim it
+ [ ] **Second paper**
  id: 0123456789abcdef
  Tags: a b
  Note: first
  lazy continuation

  new paragraph
  > abstract is ignored
  still abstract

- [x]
- not a task item
1. [x] numbered items are not read

## Another heading
- [ ] Third: *literal* stars\\
"""


def test_hand_edited_lists_are_read_leniently() -> None:
    entries, problems = read_markdown(HAND_EDITED)
    assert problems == ()
    assert [(e.where, e.title, e.read) for e in entries] == [
        ("line 5", "Attention Is All You Need", True),
        ("line 7", "Second paper", False),
        ("line 17", None, True),
        ("line 22", "Third: *literal* stars", False),
    ]
    first, second, _, third = entries
    assert (first.note, first.id, first.lists) == ("skim it", None, ("Weekend",))
    assert second.id == "0123456789abcdef" and second.tags == ("a", "b")
    assert second.note == "first\nlazy continuation\n\nnew paragraph"
    assert third.note is None


def test_line_breaks_are_only_lf_crlf_and_cr() -> None:
    text = "# Bookmarks\r\n\r\n- [x] One\u2028still one\x0c\r- [ ] Two\n"
    entries, _ = read_markdown(text)
    assert [e.title for e in entries] == ["One still one", "Two"]  # one item, not two


def test_bad_tags_and_list_names_are_reported_not_fatal() -> None:
    text = "# Reading list: " + "x" * 200 + "\n\n- [ ] A\n  Tags: ok " + "t" * 80 + "\n"
    entries, problems = read_markdown(text)
    assert entries[0].lists == () and entries[0].tags == ("ok",)
    assert problems[0].startswith("line 1: a list name has at most")
    assert problems[1].startswith("line 4: a tag has at most")


def test_unescape_and_hard_breaks() -> None:
    assert unescape(r"\*a\* \\ \q") == r"*a* \ \q"
    assert drop_break("text\\") == "text"
    assert drop_break("text\\\\") == "text\\\\"  # an escaped backslash, not a break
    assert drop_break("text  ") == "text"


# --- whole files -------------------------------------------------------------------------------


def test_json_exports_are_read_with_every_annotation(tmp_path: Path) -> None:
    item = paper("Json paper")
    mark = Annotation(item.id, item.title, "b", "r", ("t1",), "a note", ("L1", "L2"))
    document = ExportDocument(Scope.PAPER, (ExportRecord(item.id, item.title, item, mark),), NOW)
    path = tmp_path / "e.json"
    path.write_text(render(document, Format.JSON), encoding="utf-8")
    imported = read_import(path)
    assert imported.format == "json" and imported.problems == ()
    (entry,) = imported.entries
    assert (entry.id, entry.title, entry.read, entry.bookmarked) == (
        item.id,
        item.title,
        True,
        True,
    )
    assert (entry.tags, entry.note, entry.lists) == (("t1",), "a note", ("L1", "L2"))


def write_json(tmp_path: Path, data: object) -> Path:
    path = tmp_path / "in.json"
    path.write_text(json.dumps(data), encoding="utf-8")
    return path


def export_json(papers: list[object], version: object = 1) -> dict[str, object]:
    return {"format": "paperview-export", "version": version, "papers": papers}


def test_bad_json_entries_are_skipped_with_a_reason(tmp_path: Path) -> None:
    good = {"id": "0123456789ABCDEF", "read": False, "note": "  ", "tags": ["ok", "bad tag"]}
    path = write_json(tmp_path, export_json([{"title": "no id"}, good, {"id": "x", "read": "?"}]))
    imported = read_import(path)
    assert [e.id for e in imported.entries] == ["0123456789abcdef"]
    assert imported.entries[0].note is None and imported.entries[0].tags == ("ok",)
    assert imported.problems[0] == "papers[0]: id: Field required; skipped"
    assert imported.problems[1].startswith("papers[1]: a tag is one word")
    assert imported.problems[2].startswith("papers[2]: read: Input should be a valid boolean")


@pytest.mark.parametrize(
    ("content", "message"),
    [
        ('{"format": "paperview-export", "version": 1,\n "papers": [', "2: not valid JSON"),
        ('{"format": "other"}', 'not a paperview export (no "format": "paperview-export")'),
        ('{"format": "paperview-export", "version": 2, "papers": []}', "newer paperview"),
        ('{"format": "paperview-export", "version": "1", "papers": []}', "unknown export version"),
        ('{"format": "paperview-export", "version": 1, "papers": {}}', '"papers" is missing'),
        ("just some prose\n\n- not a task\n", "no papers found"),
        ("", "no papers found"),
        ("[" * 100_000, "no papers found"),
    ],
)
def test_files_that_cannot_be_imported_give_one_line(
    tmp_path: Path, content: str, message: str
) -> None:
    path = tmp_path / "bad.md"
    path.write_text(content, encoding="utf-8")
    with pytest.raises(ImportFileError) as failure:
        read_import(path)
    text = str(failure.value)
    assert text.startswith(str(path)) and message in text and "\n" not in text


def test_deeply_nested_json_is_refused_cleanly(tmp_path: Path) -> None:
    path = tmp_path / "deep.json"
    path.write_text("{" + '"a":[' * 100_000, encoding="utf-8")
    with pytest.raises(ImportFileError, match="not valid JSON"):
        read_import(path)


def test_unreadable_inputs_are_refused_with_a_reason(tmp_path: Path) -> None:
    binary = tmp_path / "b.md"
    binary.write_bytes(b"\x89PNG\x00\x00")
    latin = tmp_path / "l.md"
    latin.write_bytes(b"- [ ] caf\xe9\n")
    cases = [
        (binary, "binary file"),
        (latin, "not valid utf-8"),
        (tmp_path / "missing.md", "no such file"),
        (tmp_path, "is a directory"),
    ]
    for path, message in cases:
        with pytest.raises(ImportFileError, match=message):
            read_import(path)
    with pytest.raises(ImportFileError, match=r"l.md:1: not valid utf-8 .*offset 9\)$"):
        read_import(latin)


@pytest.mark.skipif(not hasattr(os, "mkfifo"), reason="needs FIFOs")
def test_a_fifo_is_never_opened(tmp_path: Path) -> None:
    fifo = tmp_path / "pipe.md"
    os.mkfifo(fifo)
    with pytest.raises(ImportFileError, match="not a regular file"):
        read_import(fifo)


def test_a_bom_and_crlf_markdown_file_reads_like_the_plain_one(tmp_path: Path) -> None:
    text = export(rec("Bom *test*", read=True, note="n1\nn2"))
    plain, bom = tmp_path / "plain.md", tmp_path / "bom.md"
    plain.write_text(text, encoding="utf-8")
    bom.write_bytes(b"\xef\xbb\xbf" + text.replace("\n", "\r\n").encode("utf-8"))
    assert read_import(bom).entries == read_import(plain).entries


# --- reading piece by piece ----------------------------------------------------------------------


def json_export() -> str:
    """A JSON export with multi-byte characters, a note of two lines, tags and lists."""
    records = []
    notes = [("Über naïve 日本 🎉", "line one\nline two"), ("Plain", ""), ("Third", "x")]
    for title, note in notes:
        item = paper(title)
        mark = Annotation(item.id, title, "b", None, ("t1", "ü"), note, ("L2", "L1"))
        records.append(ExportRecord(item.id, title, item, mark))
    order = (("L1", tuple(r.id for r in records)), ("L2", tuple(r.id for r in records[::-1])))
    document = ExportDocument(Scope.BOOKMARKS, tuple(records), NOW, None, order)
    return render(document, Format.JSON).replace('"id": "' + records[1].id, '"id": 7, "x": "')


@pytest.mark.parametrize("chunk_size", [1, 2, 3, 7, 64])
@pytest.mark.parametrize("form", ["json", "json crlf bom gzip", "markdown crlf"])
def test_a_file_read_in_small_pieces_reads_as_whole(
    tmp_path: Path, chunk_size: int, form: str
) -> None:
    text = json_export() if form.startswith("json") else export(rec("A"), rec("B *c*", note="n"))
    data = text.replace("\n", "\r\n").encode("utf-8") if "crlf" in form else text.encode("utf-8")
    data = b"\xef\xbb\xbf" + data if "bom" in form else data
    path = tmp_path / "in.json"
    path.write_bytes(gzip.compress(data) if "gzip" in form else data)
    whole = read_import(path)  # one piece
    assert read_import(path, chunk_size=chunk_size) == whole
    if form.startswith("json"):
        assert [entry.title for entry in whole.entries] == ["Über naïve 日本 🎉", "Third"]
        first = whole.entries[0]
        assert first.note == "line one\nline two" and first.tags == ("t1", "ü")
        assert whole.problems == ("papers[1]: id: Input should be a valid string; skipped",)
        assert list(whole.list_order) == ["l1", "l2"]
    else:
        assert [entry.title for entry in whole.entries] == ["A", "B *c*"]


@pytest.mark.parametrize("chunk_size", [1, 4, 2**20])
@pytest.mark.parametrize(
    ("content", "message"),
    [
        (
            b'{\r\n"format": "paperview-export",\r\n"version": 1,\r\n"papers": [\r\n'
            b'{"id": "a"} {"id": "b"}]}',
            ":5: not valid JSON: Expecting ',' delimiter",
        ),
        (b'{"format": "paperview-export", "version": 12, "papers": []}', "export version 12;"),
        (b'{"format": "paperview-export", "version": 1, "papers": [{"id": "ab', "Unterminated"),
        (b'{"format": "paperview-export", "version": 1, "papers": []} {}', ":1: not valid JSON"),
        (b'{"format": "paperview-export", "version": 1}', '"papers" is missing'),
        (b'{"format": "other", "papers": [not json at all', "not a paperview export"),
        (b"- [ ] a\n- [ ] b\n- [ ] caf\xe9\n", ":3: not valid utf-8 (byte 0xE9 at offset 25)"),
        (b"- [ ] a\n" + b"x" * 90 + b"\0", "binary file (NUL byte at offset 98)"),
    ],
)
def test_what_stops_an_import_is_found_whatever_the_pieces(
    tmp_path: Path, chunk_size: int, content: bytes, message: str
) -> None:
    path = tmp_path / "in.json"
    path.write_bytes(content)
    with pytest.raises(ImportFileError) as failure:
        read_import(path, chunk_size=chunk_size)
    assert message in str(failure.value)


@pytest.mark.parametrize("chunk_size", [1, 4, 2**20])
def test_a_number_cut_between_pieces_is_read_whole(tmp_path: Path, chunk_size: int) -> None:
    path = tmp_path / "in.json"
    path.write_text('{"format": "paperview-export", "version": 1, "papers": [1.5e3, 2]}')
    imported = read_import(path, chunk_size=chunk_size)
    assert [problem.split(":")[0] for problem in imported.problems] == ["papers[0]", "papers[1]"]


def test_damaged_gzip_files_are_refused(tmp_path: Path) -> None:
    data = gzip.compress(json_export().encode("utf-8"))
    cut, damaged = tmp_path / "cut.json.gz", tmp_path / "damaged.json.gz"
    cut.write_bytes(data[: len(data) // 2])
    damaged.write_bytes(data[:20] + bytes(64) + data[84:])
    with pytest.raises(ImportFileError, match=r"cut.json.gz: gzip file is cut short; not read$"):
        read_import(cut)
    with pytest.raises(ImportFileError, match=r"damaged.json.gz: damaged gzip file \("):
        read_import(damaged)
