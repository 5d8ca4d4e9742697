"""JSON (lossless, versioned), CSV (spreadsheet-safe) and BibTeX (stable keys, LaTeX) exports,
default file names and progress."""

from __future__ import annotations

import csv
import io
import json
import re
from collections.abc import Sequence
from datetime import datetime, timezone
from typing import overload

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.data.export import (
    ExportCancelled,
    ExportDocument,
    ExportRecord,
    Format,
    Scope,
    chunks,
    default_filename,
    render,
    search_document,
)
from tui.data.export.bibtex import keys, latex
from tui.data.library import Annotation
from tui.data.models import Paper, PaperDate, SourceRef
from tui.data.text import paper_id

NOW = datetime(2026, 1, 2, 3, 4, 5, tzinfo=timezone.utc)


def make(title: str, **fields: object) -> Paper:
    values: dict[str, object] = {
        "id": paper_id(title),
        "title": title,
        "abstract": "Line one.\n\nLine two with a formula =1+1",
        "authors": 4,
        "date": PaperDate(year=2024, month=11, day=22),
        "upvotes": 7,
        "sources": (SourceRef(file="a.txt", line=3), SourceRef(file="b.txt", line=9)),
        "urls": ("https://github.com/x/y",),
    }
    values.update(fields)
    return Paper.model_validate(values)


def rec(paper: Paper, **marks: object) -> ExportRecord:
    return ExportRecord(paper.id, paper.title, paper, Annotation(paper.id, paper.title, **marks))  # type: ignore[arg-type]


def doc(
    *records: ExportRecord, scope: Scope = Scope.BOOKMARKS, name: str | None = None
) -> ExportDocument:
    return ExportDocument(scope, records, NOW, name)


FULL = rec(
    make("TÜLU 3: Open Post-Training & more"),
    bookmarked_at="2026-01-01T00:00:00.000Z",
    read_at="2026-01-01T00:00:01.000Z",
    tags=("llm", "=cmd"),
    note="line 1\nline 2",
    lists=("To read", "Later"),
)
GONE = ExportRecord("0123456789abcdef", "Gone", None, Annotation("0123456789abcdef", "Gone", "b"))


# --- JSON --------------------------------------------------------------------------------------


def test_json_is_lossless_and_versioned() -> None:
    data = json.loads(render(doc(FULL, GONE, scope=Scope.LIST, name="To read"), Format.JSON))
    assert {
        k: data[k] for k in ("format", "version", "generated_at", "scope", "name", "count")
    } == {
        "format": "paperview-export",
        "version": 1,
        "generated_at": "2026-01-02T03:04:05Z",
        "scope": "list",
        "name": "To read",
        "count": 2,
    }
    full, gone = data["papers"]
    assert full["paper"] is not None and FULL.paper is not None
    assert Paper.model_validate(full["paper"]) == FULL.paper  # every field, exactly
    assert full == {
        "id": FULL.id,
        "title": FULL.title,
        "paper": full["paper"],
        "bookmarked": True,
        "bookmarked_at": "2026-01-01T00:00:00.000Z",
        "read": True,
        "read_at": "2026-01-01T00:00:01.000Z",
        "tags": ["llm", "=cmd"],
        "note": "line 1\nline 2",
        "lists": ["To read", "Later"],
    }
    assert gone["paper"] is None and gone["id"] == GONE.id and gone["title"] == "Gone"


def test_empty_json_export_is_valid() -> None:
    data = json.loads(render(doc(), Format.JSON))
    assert data["papers"] == [] and data["count"] == 0


# --- CSV ---------------------------------------------------------------------------------------


def read_csv(text: str) -> list[dict[str, str]]:
    assert text.startswith("\ufeff")
    return list(csv.DictReader(io.StringIO(text[1:], newline="")))


def test_csv_has_a_bom_crlf_rows_and_one_row_per_paper() -> None:
    text = render(doc(FULL, GONE), Format.CSV)
    assert text.startswith("\ufeffid,title,date,upvotes,authors,link,read,bookmarked,")
    assert text.count("\r\n") >= 3
    full, gone = read_csv(text)
    assert full["title"] == FULL.title and full["date"] == "2024-11-22"
    assert (full["upvotes"], full["authors"], full["read"], full["bookmarked"]) == (
        "7",
        "4",
        "yes",
        "yes",
    )
    assert full["note"] == "line 1\nline 2" and full["lists"] == "To read; Later"
    assert full["link"] == "https://github.com/x/y"
    assert gone["title"] == "Gone" and gone["date"] == gone["abstract"] == ""


@pytest.mark.parametrize("start", ["=", "+", "-", "@", "\t=", " +", "\r\n-"])
def test_csv_cells_that_look_like_formulas_are_defused(start: str) -> None:
    paper = make(f'{start}HYPERLINK("http://evil")', date=PaperDate(month=7, day=3))
    (row,) = read_csv(render(doc(rec(paper, note=f"{start}1+1", tags=("=x",))), Format.CSV))
    assert row["title"].startswith("'")
    assert row["note"].startswith("'") and row["note"].endswith("1+1")
    assert row["tags"] == "'=x"
    assert row["date"] == "'--07-03"  # a year-less date would be a formula too
    assert row["abstract"] == "Line one.\n\nLine two with a formula =1+1"  # not at the start


def test_csv_drops_control_characters() -> None:
    paper = make("Evil \x1b]0;PWNED\x07title")
    text = render(doc(rec(paper)), Format.CSV)
    assert "\x1b" not in text and "\x07" not in text


# --- BibTeX ------------------------------------------------------------------------------------


def balanced(text: str) -> bool:
    depth = 0
    escaped = False
    for char in text:
        if escaped:
            escaped = False
        elif char == "\\":
            escaped = True
        elif char == "{":
            depth += 1
        elif char == "}":
            depth -= 1
            if depth < 0:
                return False
    return depth == 0


def test_bibtex_entry_fields_and_latex_escaping() -> None:
    text = render(doc(FULL), Format.BIBTEX)
    assert text.startswith("% Bookmarks: exported from paperview on 2026-01-02 03:04 UTC\n")
    assert f"@misc{{tulu2024_{FULL.id[:4]}," in text
    assert '  title = {{T{\\"U}LU 3: Open Post-Training {\\&} more}},' in text
    assert "  year = {2024},\n  month = nov,\n" in text
    assert "  url = {https://github.com/x/y},\n" in text
    assert "  howpublished = {\\url{https://github.com/x/y}},\n" in text
    note = f"4 authors; 7 upvotes; paperview id {FULL.id}; tags: llm =cmd; note: line 1 line 2"
    assert f"  note = {{{note}}},\n}}\n" in text


def test_bibtex_keys_are_stable_and_unique() -> None:
    first = rec(make("The Attention Is All", urls=()))
    other = rec(make("Attention again"))
    undated = rec(make("Scaling laws", date=None))
    stop_words = rec(make("Of the", date=PaperDate(year=2023, month=1, day=1)))
    assert keys((first,)) == [f"attention2024_{first.id[:4]}"]
    assert keys((other, first)) == [
        f"attention2024_{other.id[:4]}",
        f"attention2024_{first.id[:4]}",
    ]
    assert keys((undated,)) == [f"scalingnd_{undated.id[:4]}"]
    assert keys((stop_words,)) == [f"of2023_{stop_words.id[:4]}"]
    # Same stem and same first 4 id digits: the later one takes more digits.
    twin = ExportRecord(first.id[:4] + "ffffffffffff", first.title, first.paper, first.annotation)
    assert keys((first, twin)) == [
        f"attention2024_{first.id[:4]}",
        f"attention2024_{first.id[:4]}ff",
    ]
    assert keys((first,)) == keys((first,))


@given(st.text(max_size=60))
def test_latex_fields_always_have_balanced_braces(text: str) -> None:
    converted = latex(text)
    assert balanced(converted) and "\n" not in converted
    assert "%" not in converted.replace("\\%", "")


def test_bibtex_with_hostile_text_parses_as_one_entry() -> None:
    title = "}@misc{evil, title={x} % comment \\ ^ ~ # $ _"
    text = render(doc(rec(make(title), note="{unbalanced")), Format.BIBTEX)
    entry = text.split("\n", 1)[1]
    assert balanced(entry) and re.findall(r"(?m)^@", text) == ["@"]


# --- names and progress --------------------------------------------------------------------------


def test_default_file_names_say_what_and_when() -> None:
    assert default_filename(doc(FULL), Format.MARKDOWN) == "paperview-bookmarks-2026-01-02.md"
    named = doc(FULL, scope=Scope.LIST, name="Ünïcode / To *read*!")
    assert default_filename(named, Format.BIBTEX) == "paperview-list-unicode-to-read-2026-01-02.bib"
    single = doc(FULL, scope=Scope.PAPER)
    assert default_filename(single, Format.CSV) == f"paperview-paper-{FULL.id}-2026-01-02.csv"
    search = doc(scope=Scope.SEARCH, name="x")
    assert default_filename(search, Format.JSON) == "paperview-search-2026-01-02.json"


@pytest.mark.parametrize("format", list(Format))
def test_progress_is_reported_for_long_exports(format: Format) -> None:
    records = tuple(rec(make(f"Paper number {n}")) for n in range(450))
    calls: list[tuple[int, int]] = []
    text = render(doc(*records), format, progress=lambda done, total: calls.append((done, total)))
    assert calls == [(200, 450), (400, 450), (450, 450)]
    assert text == "".join(chunks(doc(*records), format))
    assert len(re.findall("Paper number", text)) >= 450


class Table(Sequence[Paper]):
    """Papers built only when asked for, by position, as a big corpus's columnar table does
    (its ``ids`` column is read without building any); counts the papers built."""

    def __init__(self, count: int) -> None:
        self.ids = [paper_id(f"Paper number {n}") for n in range(count)]
        self.built = 0

    def __len__(self) -> int:
        return len(self.ids)

    @overload
    def __getitem__(self, index: int) -> Paper: ...
    @overload
    def __getitem__(self, index: slice) -> Sequence[Paper]: ...
    def __getitem__(self, index: int | slice) -> Paper | Sequence[Paper]:
        assert isinstance(index, int)
        self.built += 1
        return make(f"Paper number {index}")


def test_collecting_a_big_result_stops_soon_after_it_is_cancelled() -> None:
    table = Table(3000)
    asked: list[None] = []

    def cancelled() -> bool:  # says stop the second time it is asked
        asked.append(None)
        return len(asked) >= 2

    with pytest.raises(ExportCancelled):
        search_document(table, range(3000), "everything", None, NOW, cancelled)
    assert 0 < table.built <= 500  # not all 3,000 papers built before stopping
    found = search_document(table, range(2999, -1, -1), "everything", None, NOW, lambda: False)
    assert [record.id for record in found.records] == table.ids[::-1]
