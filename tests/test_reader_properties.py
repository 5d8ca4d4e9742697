"""Property tests of the reader: rendering papers in either layout and parsing them back gives
the same papers, and no input bytes make the reader raise."""

from __future__ import annotations

import re
from pathlib import Path

from corpus_text import Item, page, pairs
from hypothesis import HealthCheck, example, given, settings
from hypothesis import strategies as st

from tui.data.corpus import load_corpus
from tui.data.parse import CHROME
from tui.data.text import normalise_title

_LOOKS_LIKE_METADATA = re.compile(
    r"(?:[^\w\s]\s*)?\d[\d,]*\s+authors?|·|(?:Jan|Feb|Mar|Apr|May|Jun|Jul|Aug|Sep|Oct|Nov|Dec)\s+\d.*",
    re.IGNORECASE,
)
_TEXT = st.characters(
    blacklist_categories=("Cc", "Cf", "Cs", "Co", "Cn", "Zl", "Zp"), blacklist_characters="\\"
)


def _is_title(text: str) -> bool:
    return (
        bool(normalise_title(text))
        and text == text.strip()
        and text not in CHROME
        and not _LOOKS_LIKE_METADATA.fullmatch(text)
        and not text.startswith("Subscribe")
    )


titles = st.text(_TEXT, min_size=1, max_size=60).map(str.strip).filter(_is_title)
abstracts = st.lists(
    st.text(_TEXT, min_size=1, max_size=12).map(str.strip).filter(bool), min_size=8, max_size=30
).map(" ".join)


@st.composite
def items(draw: st.DrawFn) -> list[Item]:
    chosen = draw(st.lists(titles, min_size=1, max_size=8, unique_by=normalise_title))
    return [
        Item(
            title=title,
            abstract=draw(abstracts),
            authors=draw(st.integers(0, 40)),
            date=draw(st.sampled_from(["Jul 3, 2024", "Nov 11", "Feb 29", "Dec 31, 1999"])),
            upvotes=draw(st.none() | st.integers(0, 5000)),
        )
        for title in chosen
    ]


_SETTINGS = settings(
    suppress_health_check=[HealthCheck.function_scoped_fixture, HealthCheck.filter_too_much]
)


@_SETTINGS
@given(items())
def test_page_layout_round_trips(tmp_path: Path, written: list[Item]) -> None:
    path = tmp_path / "page.txt"
    path.write_text(page(written), encoding="utf-8")
    corpus = load_corpus([path])
    assert corpus.problems == ()
    got = [(p.title, p.abstract, p.authors, p.upvotes or 0, str(p.date)) for p in corpus.papers]
    want = [(i.title, i.abstract, i.authors, i.upvotes or 0, i.date) for i in written]
    assert got == want


@_SETTINGS
@given(items())
def test_pairs_layout_round_trips(tmp_path: Path, written: list[Item]) -> None:
    path = tmp_path / "pairs.txt"
    path.write_text(pairs(written), encoding="utf-8")
    corpus = load_corpus([path])
    assert [(p.title, p.abstract) for p in corpus.papers] == [
        (i.title, i.abstract) for i in written
    ]
    assert all(p.upvotes is None and p.authors is None for p in corpus.papers)


@_SETTINGS
@given(
    st.binary(max_size=2000)
    | st.text(max_size=2000).map(lambda t: t.encode("utf-8", "surrogatepass"))
)
@example(b"\xff\xfe\x00")  # a UTF-16 BOM then half a character
@example(b"  \xe2\x80\xa2 3 authors\n\xc2\xb7\nJul 3, 2024 3\n")
def test_no_input_makes_the_reader_raise(tmp_path: Path, data: bytes) -> None:
    path = tmp_path / "fuzz.txt"
    path.write_bytes(data)
    corpus = load_corpus([path])
    assert corpus.papers or corpus.problems
    for paper in corpus.papers:
        assert paper.title and "\x1b" not in paper.title + paper.abstract
