"""The query language: what each construct means, the error messages, and totality."""

from __future__ import annotations

import pytest
from hypothesis import given
from hypothesis import strategies as st

from tui.data.search import QueryError, check, parse
from tui.data.search.query import And, Compare, InLibrary, Node, Not, Or, Text


def words(node: Node | None) -> list[str]:
    """The values of the positive-or-negative text leaves, in order."""
    if node is None:
        return []
    if isinstance(node, Text):
        return [node.value]
    if isinstance(node, Not):
        return words(node.child)
    if isinstance(node, And | Or):
        return [w for child in node.children for w in words(child)]
    return []


def test_bare_words_are_anded_and_folded() -> None:
    node = parse("Trasnformers  TÜLU Akyürek")
    assert isinstance(node, And)
    assert words(node) == ["trasnformers", "tulu", "akyurek"]
    assert all(isinstance(c, Text) and c.kind == "word" for c in node.children)


def test_hyphens_are_left_out_of_words_and_phrases() -> None:
    assert words(parse("multi-task")) == ["multitask"]
    phrase = parse('"In-Context   learning"')
    assert isinstance(phrase, Text) and phrase.kind == "phrase"
    assert phrase.value == "incontext learning"


def test_empty_and_blank_queries_have_no_terms() -> None:
    assert parse("") is None
    assert parse("   \t ") is None
    assert parse('""') is None  # an empty phrase adds nothing


def test_or_binds_tighter_than_the_implicit_and() -> None:
    node = parse("attention linear OR sparse")
    assert isinstance(node, And)
    first, second = node.children
    assert isinstance(first, Text) and first.value == "attention"
    assert isinstance(second, Or) and words(second) == ["linear", "sparse"]


def test_parentheses_group_and_minus_negates() -> None:
    node = parse("(rnn OR lstm) -survey")
    assert isinstance(node, And)
    group, negated = node.children
    assert isinstance(group, Or) and words(group) == ["rnn", "lstm"]
    assert isinstance(negated, Not) and words(negated) == ["survey"]
    assert isinstance(parse("-(a OR b)"), Not)


def test_minus_inside_a_word_is_part_of_it() -> None:
    assert words(parse("self-supervised")) == ["selfsupervised"]


def test_lowercase_or_is_a_word_and_upper_and_is_optional() -> None:
    assert words(parse("this or that")) == ["this", "or", "that"]
    assert parse("a AND b") == parse("a b")


def test_regex_keeps_its_pattern_and_escaped_slash() -> None:
    node = parse(r"/gpt-?4\/turbo/")
    assert isinstance(node, Text) and node.kind == "regex"
    assert node.pattern is not None and node.pattern.search("GPT4/Turbo")


def test_a_phrase_escapes_its_quote_and_backslash_only() -> None:
    node = parse(r'list:"My \"best\" \\ papers\\"')
    assert isinstance(node, InLibrary) and node.value == 'My "best" \\ papers\\'
    phrase = parse(r'"\theta and C:\temp"')  # any other backslash is itself
    assert isinstance(phrase, Text) and phrase.value == "\\theta and c:\\temp"


def test_unclosed_quote_regex_and_parenthesis_close_at_the_end() -> None:
    phrase = parse('"in-cont')
    assert isinstance(phrase, Text) and phrase.kind == "phrase" and phrase.value == "incont"
    regex = parse("/trans")
    assert isinstance(regex, Text) and regex.kind == "regex"
    assert words(parse("(a OR b")) == ["a", "b"]


def test_fields_parse_to_filters() -> None:
    assert parse("authors:<=3") == Compare("authors", None, 3)
    assert parse("upvotes:>=2") == Compare("upvotes", 2, None)
    assert parse("upvotes:>2") == Compare("upvotes", 3, None)
    assert parse("authors:<3") == Compare("authors", None, 2)
    assert parse("year:2024") == Compare("year", 2024, 2024)
    assert parse("year:2022..2024") == Compare("year", 2022, 2024)
    assert parse("year:2022..") == Compare("year", 2022, None)
    assert parse("YEAR:..2023") == Compare("year", None, 2023)
    assert parse("is:Bookmarked") == InLibrary("is", "bookmarked")
    assert parse('tag:"two words"') == InLibrary("tag", "two words")
    assert parse("list:later") == InLibrary("list", "later")


def test_text_fields_restrict_the_scope() -> None:
    title = parse('title:"linear attention"')
    assert isinstance(title, Text) and title.scope == "title" and title.kind == "phrase"
    abstract = parse("abstract:/mu[jJ]oco/")
    assert isinstance(abstract, Text) and abstract.scope == "abstract"
    assert abstract.kind == "regex"


def test_a_url_is_a_word_not_a_field() -> None:
    node = parse("https://github.com/x")
    assert isinstance(node, Text) and node.kind == "word"


@pytest.mark.parametrize(
    ("query", "message"),
    [
        ("autor:3", 'unknown field "autor:" (did you mean authors:?)'),
        ("zzz:3", 'unknown field "zzz:" (fields: title, abstract, authors, upvotes, year, '),
        ("year:recent", 'year: takes a number or a range like 2024 or 2022..2024, not "recent"'),
        ("year:2024..2020", "year: the range 2024..2020 is empty"),
        ("authors:", "authors: takes a number or a range"),
        ("upvotes:>=x", 'upvotes: takes a number or a range like 3, <=3 or 2..5, not ">=x"'),
        ("title:", 'title: needs a word, a "phrase" or a /regex/'),
        ("is:starred", 'is: takes bookmarked, read, unread, not "starred"'),
        ("tag:", "tag: needs a value"),
        ("a OR", "OR needs a term on both sides"),
        ("OR a", "OR needs a term on both sides"),
        ("a OR OR b", "OR needs a term on both sides"),
        ("(a OR) b", "OR needs a term on both sides"),
        ("AND a", "AND needs a term on both sides"),
        ("a )", 'unexpected ")"'),
        ("()", 'empty parentheses "()"'),
        ("a - b", '"-" must be followed by a term to exclude'),
        ("a -", '"-" must be followed by a term to exclude'),
        ("/(a/", "bad regex /(a/: missing )"),
        ("/(a+)+b/", "regex /(a+)+b/ nests repeats like (a+)+; simplify it"),
        ("(" * 3000, "query too long (3000 characters, at most 2000)"),
    ],
)
def test_bad_queries_name_the_problem(query: str, message: str) -> None:
    with pytest.raises(QueryError) as failure:
        parse(query)
    assert str(failure.value).startswith(message)
    assert check(query) == str(failure.value)
    assert "\n" not in str(failure.value) and len(str(failure.value)) < 120


def test_deep_nesting_is_an_error_not_a_crash() -> None:
    assert check("(" * 1500 + "a") == "query nests too deeply"
    assert check("--a") == 'unexpected "-"'
    assert parse("-(-(a))") == Not(Not(Text("word", "a")))


def test_good_queries_check_clean() -> None:
    for query in ('a "b c" -d (e OR f) /g/ title:h year:2020..2024 is:read', "", "x"):
        assert check(query) is None


FIELD_NAMES = ["title:", "year:", "is:", "tag:", "authors:", "upvotes:", "abstract:"]
QUERY_ALPHABET = st.sampled_from(
    [*'abcxyz ÜüßŞ-"()/:<>=.\\*+?[]|0123456789\t\n', "OR", "AND", *FIELD_NAMES]
)


@given(st.text())
def test_any_string_parses_or_names_a_problem(text: str) -> None:
    try:
        parse(text)
    except QueryError as failure:
        assert str(failure)
    result = check(text)
    assert result is None or isinstance(result, str)


@given(st.lists(QUERY_ALPHABET, max_size=30).map("".join))
def test_any_query_shaped_string_parses_or_names_a_problem(text: str) -> None:
    try:
        node = parse(text)
    except QueryError as failure:
        assert str(failure) and "\n" not in str(failure)
        return
    assert node is None or isinstance(node, Text | Compare | InLibrary | Not | And | Or)


def test_a_value_with_a_line_break_is_named_on_one_line() -> None:
    with pytest.raises(QueryError) as failure:
        parse('year:"\n"')
    assert str(failure.value) == (
        'year: takes a number or a range like 2024 or 2022..2024, not "\\n"'
    )
