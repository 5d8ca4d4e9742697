"""Search keys: folding equals ``text.fold``, hyphens drop out, spans map back exactly."""

from __future__ import annotations

from hypothesis import given
from hypothesis import strategies as st

from tui.data.search.keys import display_span, fold_key, fold_offsets, search_key, search_keys
from tui.data.text import fold

TRICKY = (
    "Straße ﬁne Aky\u0308urek TÜLU naïve e\u0301te\u0301 Ǆ İstanbul x-ray co\u2010op "
    "\uff46\uff55\uff4c\uff4c"  # full-width "full"
)


EXTRA = "AZ\u0345\u0307\u0327\uab70\u03a3\u03c2\u2160\u2460\ud800"
"""Combining marks, Cherokee (case-folds to upper case), sigmas, numerals, a lone surrogate."""


@given(
    st.text()
    | st.text(alphabet=TRICKY + EXTRA)
    | st.text(alphabet="\u4e00\u4e8c\u4e09ab\u00e9\u00c9\u2013Cd")
)
def test_fold_key_is_fold(text: str) -> None:  # few or many distinct accented characters
    assert fold_key(text) == fold(text)


def test_fold_key_examples() -> None:
    assert fold_key("TÜLU 3") == "tulu 3"
    assert fold_key("Akyürek") == "akyurek"
    assert fold_key("Straße") == "strasse"


@given(st.lists(st.text() | st.text(alphabet="-\u2010aBc Z"), max_size=8))
def test_search_keys_is_search_key_of_each(texts: list[str]) -> None:
    assert search_keys(texts) == [search_key(text) for text in texts]


def test_search_key_leaves_hyphens_out() -> None:
    assert search_key("Multi-Task Self\u2010Supervised") == "multitask selfsupervised"
    assert search_key("in-context") == search_key("In\u2010Context") == "incontext"


def test_offsets_are_none_when_positions_match() -> None:
    assert fold_offsets("plain ASCII text") is None
    assert fold_offsets("a-b") == [0, 1, 1, 2]


@given(st.text() | st.text(alphabet="-\u2010aB é\u0301ß"))
def test_offsets_add_up_each_characters_key(text: str) -> None:
    starts = fold_offsets(text) or list(range(len(text) + 1))
    assert starts[-1] == len(search_key(text))
    position, expected = 0, []  # the characters one by one
    for char in text:
        expected.append(position)
        position += 1 if char.isascii() and char != "-" else len(search_key(char))
    assert starts == [*expected, position]


def test_spans_map_back_to_the_displayed_text() -> None:
    key = search_key(TRICKY)
    starts = fold_offsets(TRICKY)
    for needle, shown in [
        ("strasse", "Straße"),
        ("fine", "ﬁne"),
        ("akyurek", "Aky\u0308urek"),
        ("tulu", "TÜLU"),
        ("naive", "naïve"),
        ("ete", "e\u0301te\u0301"),
        ("xray", "x-ray"),
        ("coop", "co\u2010op"),
        ("full", "\uff46\uff55\uff4c\uff4c"),  # full-width letters
    ]:
        start = key.index(needle)
        begin, end = display_span(starts, start, start + len(needle))
        assert TRICKY[begin:end] == shown


def test_a_span_inside_one_expanded_character_widens_to_it() -> None:
    text = "Maß"
    starts = fold_offsets(text)
    assert search_key(text) == "mass"
    assert display_span(starts, 3, 4) == (2, 3)  # the second "s" is part of "ß"


@given(st.text(min_size=1), st.data())
def test_every_key_span_maps_to_text_containing_it(text: str, data: st.DataObject) -> None:
    key = search_key(text)
    if not key:
        return
    start = data.draw(st.integers(0, len(key) - 1))
    end = data.draw(st.integers(start + 1, len(key)))
    begin, finish = display_span(fold_offsets(text), start, end)
    assert 0 <= begin < finish <= len(text)
    assert key[start:end] in search_key(text[begin:finish])
