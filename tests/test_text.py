"""Sanitising, LaTeX to Unicode, folding, ids and URLs (bad-input rows 7-12)."""

from __future__ import annotations

import re
import unicodedata

import pytest
from hypothesis import example, given
from hypothesis import strategies as st

from tui.data.controls import printable
from tui.data.text import (
    _LATEX_TOKEN,
    clean_field,
    find_urls,
    fold,
    latex_to_unicode,
    normalise_title,
    paper_id,
    sanitize,
)

BIDI = set("\u202a\u202b\u202c\u202d\u202e\u2066\u2067\u2068\u2069\u200e\u200f\u061c")


@pytest.mark.parametrize(
    ("raw", "clean"),
    [
        ("Title \x1b]0;PWNED\x07here", "Title here"),  # OSC 0: terminal title
        ("a\x1b[2J\x1b[Hb \x1b[31mred\x1b[0m", "ab red"),  # clear screen, SGR
        ("x\x1b]8;;http://evil.example\x1b\\link\x1b]8;;\x1b\\y", "xlinky"),  # OSC 8
        ("c\x1b]52;c;ZXZpbA==\x07d", "cd"),  # OSC 52 clipboard
        ("p\x9b31mq\x7fr\x00s\x0et", "pqrst"),  # C1 CSI, DEL, NUL, shift-out
        ("abc\u202eevil\u202c", "abcevil"),  # bidi override
        ("tab\there and\x0cthere", "tab here and there"),
        ("👩\u200d💻 café e\u0301 中文", "👩\u200d💻 café e\u0301 中文"),  # kept as is
        (
            "Fixing [/] in [bold]ViT[/blue] [@click=app.quit]",
            "Fixing [/] in [bold]ViT[/blue] [@click=app.quit]",
        ),
    ],
)
def test_sanitize(raw: str, clean: str) -> None:
    assert sanitize(raw) == clean


def test_sanitize_keeps_newlines_only_when_asked() -> None:
    assert sanitize("one\ntwo") == "one two"
    assert sanitize("one\ntwo", keep_newlines=True) == "one\ntwo"


@given(st.text(), st.integers(0, 300), st.sampled_from(["", "é", "\x7f", "\x1f", "\n", "~"]))
def test_printable_is_isprintable(text: str, pad: int, extra: str) -> None:
    for sample in (text, "a" * pad + extra + text, text + extra + "b" * pad):
        assert printable(sample) is sample.isprintable()


@given(st.text())
@example("\x1b]0;x\x07\x1b[31m\u202e")
@example("\x1b\x1b[")
def test_sanitize_leaves_no_controls_and_is_idempotent(text: str) -> None:
    once = sanitize(text)
    assert not any(unicodedata.category(c) == "Cc" for c in once)
    assert not BIDI & set(once)
    assert sanitize(once) == once
    multi = sanitize(text, keep_newlines=True)
    assert all(c == "\n" or unicodedata.category(c) != "Cc" for c in multi)
    assert sanitize(multi, keep_newlines=True) == multi


@pytest.mark.parametrize(
    ("latex", "text"),
    [
        ('Aky\\"urek', "Akyürek"),
        ('T\\"ULU 3', "TÜLU 3"),
        ("est\\'an dise\\~nados", "están diseñados"),
        ("60\\%", "60%"),
        ("data \\& models", "data & models"),
        ("\\$32,000", "$32,000"),
        ('{\\"u}ber and \\"{o}', "über and ö"),
        ("Stra\\ss{}e, \\c{c}a, \\v{s}", "Straße, ça, š"),
        ("{\\ours}'s robust \\methodabbr", "{\\ours}'s robust \\methodabbr"),
        (
            "~5X faster, J.~von, 50%, {x}, a\\\\b, \\1 million",
            "~5X faster, J.~von, 50%, {x}, a\\\\b, \\1 million",
        ),
        ("C:\\", "C:\\"),
    ],
)
def test_latex_to_unicode(latex: str, text: str) -> None:
    assert latex_to_unicode(latex) == text


@given(st.text())
def test_text_without_backslashes_is_never_changed_by_latex(text: str) -> None:
    text = text.replace("\\", "")
    assert latex_to_unicode(text) == text


@given(st.text(alphabet="\\'\"`^~{}aAeosSlL %&c., x"))
def test_latex_commands_convert_one_by_one_wherever_they_stand(text: str) -> None:
    from pylatexenc.latex2text import LatexNodes2Text

    def one(match: re.Match[str]) -> str:
        converted = LatexNodes2Text().latex_to_text(match.group())
        return unicodedata.normalize("NFC", converted) if converted else match.group()

    assert latex_to_unicode(text) == _LATEX_TOKEN.sub(one, text)


def test_clean_field_combines_both_and_strips() -> None:
    assert clean_field('  \x1b[1mAky\\"urek\x1b[0m \t ') == "Akyürek"
    assert clean_field("a\r\nb", multiline=True) == "a\r\nb".replace("\r", "")


def test_fold_is_case_and_accent_insensitive() -> None:
    assert fold("TÜLU") == "tulu"
    assert fold("Akyürek") == "akyurek"
    assert fold("Straße") == "strasse"


def test_paper_ids_are_stable_and_normalised() -> None:
    title = "TÜLU 3: Pushing Frontiers in Open Language Model Post-Training"
    assert paper_id(title) == "2e7309db092d80df"  # recorded once; must never change
    assert paper_id("tulu 3 -- pushing frontiers in open language model post training") == paper_id(
        title
    )
    assert paper_id(title) != paper_id("TÜLU 2: Pushing Frontiers")
    assert normalise_title("  Hello,   World! ") == "hello world"


@pytest.mark.parametrize(
    ("text", "urls"),
    [
        ("Code at https://github.com/a/b.", ("https://github.com/a/b",)),
        (
            "(see https://x.org/p_(1)) and http://y.io/q?a=1,",
            ("https://x.org/p_(1)", "http://y.io/q?a=1"),
        ),
        ("twice https://a.b https://a.b", ("https://a.b",)),
        ("no scheme github.com/x or https:// alone", ()),
        ("\\url{https://z.dev/x}", ("https://z.dev/x",)),
    ],
)
def test_find_urls(text: str, urls: tuple[str, ...]) -> None:
    assert find_urls(text) == urls
