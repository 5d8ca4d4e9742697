"""The query language: tokenizer, parser and syntax tree.

Grammar (one line, no modes)::

    query   := group*                      implicit AND
    group   := unary ("OR" unary)*         OR binds tighter: ``a b OR c`` = a AND (b OR c)
    unary   := "-" atom | atom
    atom    := "(" query ")" | "quoted phrase" | /regex/ | field:value | word

``AND`` (upper case) is accepted and means nothing more than a space. A quote, regex or
parenthesis still open at the end of the line is closed there (the user is typing it).
:func:`parse` is total: any string gives a tree or a :class:`QueryError` with a short
message naming the problem; it never raises anything else.
"""

from __future__ import annotations

import re
from collections.abc import Iterator
from dataclasses import dataclass, field
from difflib import get_close_matches
from typing import Literal, TypeAlias

import regex

from .keys import search_key
from .regexes import Pattern, compile_regex
from .regexes import short as _short

Scope = Literal["any", "title", "abstract"]
Kind = Literal["word", "phrase", "regex"]
NumberField = Literal["authors", "upvotes", "year"]

FacetField = Literal["author", "cat"]

TEXT_FIELDS: tuple[Scope, ...] = ("title", "abstract")
NUMBER_FIELDS: tuple[NumberField, ...] = ("authors", "upvotes", "year")
FACET_FIELDS: tuple[FacetField, ...] = ("author", "cat")
LIBRARY_FIELDS = ("is", "tag", "list")
IS_VALUES = ("bookmarked", "read", "unread")
FIELDS = (*TEXT_FIELDS, *NUMBER_FIELDS, *FACET_FIELDS, *LIBRARY_FIELDS)

_FIELD = re.compile(r"([A-Za-z]+):")
_NUMBER = re.compile(r"(<=|>=|<|>|=)?(\d{1,9})")
_RANGE = re.compile(r"(\d{0,9})\.\.(\d{0,9})")
_WORD_CHARS = re.compile(r"[^\W_]+")
_MAX_QUERY = 2000


class QueryError(Exception):
    """A query that cannot be run; the message is short and names the problem."""


@dataclass(frozen=True)
class Text:
    """A word, phrase or regex to find in the title and/or abstract.

    ``value`` is the folded text for words and phrases, the pattern for a regex;
    ``raw`` is what the user typed. Regexes match the displayed text, ignoring case.
    """

    kind: Kind
    value: str
    scope: Scope = "any"
    raw: str = field(default="", compare=False)
    pattern: Pattern | None = field(default=None, compare=False, repr=False)

    @property
    def key(self) -> str:
        """Canonical form, for caches."""
        return f"{self.kind[0]}:{self.scope}:{self.value}"

    @property
    def typo_eligible(self) -> bool:
        """A bare word of letters and digits only: it may match with typos."""
        return self.kind == "word" and _WORD_CHARS.fullmatch(self.value) is not None


@dataclass(frozen=True)
class Compare:
    """``field`` is known and within ``[low, high]`` (a bound of None is open)."""

    field: NumberField
    low: int | None
    high: int | None

    @property
    def key(self) -> str:
        """Canonical form, for caches."""
        return f"n:{self.field}:{self.low}:{self.high}"


@dataclass(frozen=True)
class Facet:
    """``author:`` (a folded word or phrase inside an author's name) or ``cat:`` (a folded
    category prefix: ``cs`` matches ``cs.LG``); both come from structured inputs."""

    field: FacetField
    value: str

    @property
    def key(self) -> str:
        """Canonical form, for caches."""
        return f"f:{self.field}:{self.value}"


@dataclass(frozen=True)
class InLibrary:
    """The paper is in the library's ``kind``/``value`` set (``is:read``, ``tag:x``...)."""

    kind: str
    value: str

    @property
    def key(self) -> str:
        """Canonical form, for caches."""
        return f"l:{self.kind}:{self.value}"


@dataclass(frozen=True)
class Not:
    """Papers that do not match ``child``."""

    child: Node

    @property
    def key(self) -> str:
        """Canonical form, for caches."""
        return f"!({self.child.key})"


@dataclass(frozen=True)
class And:
    """Papers matching every child."""

    children: tuple[Node, ...]

    @property
    def key(self) -> str:
        """Canonical form, for caches."""
        return "&(" + ",".join(child.key for child in self.children) + ")"


@dataclass(frozen=True)
class Or:
    """Papers matching any child."""

    children: tuple[Node, ...]

    @property
    def key(self) -> str:
        """Canonical form, for caches."""
        return "|(" + ",".join(child.key for child in self.children) + ")"


Node: TypeAlias = Text | Compare | Facet | InLibrary | Not | And | Or


# --- tokens ------------------------------------------------------------------------------


@dataclass(frozen=True)
class _Token:
    kind: Literal["word", "phrase", "regex", "field", "(", ")", "-", "OR", "AND"]
    text: str
    name: str = ""  # the field name, for "field"
    value_kind: Literal["word", "phrase", "regex", ""] = ""


def _read_until(text: str, start: int, closer: str) -> tuple[str, int]:
    """Text from ``start`` to the next unescaped ``closer`` (or the end); index after it.

    In a regex ``\\/`` is a slash (other escapes are the regex's own); in a phrase ``\\"`` is
    a quote and ``\\\\`` a backslash (any other backslash is itself)."""
    index = start
    out: list[str] = []
    while index < len(text):
        char = text[index]
        if char == "\\" and index + 1 < len(text):
            following = text[index + 1]
            if closer == "/":
                out.append("/" if following == "/" else text[index : index + 2])
                index += 2
                continue
            if following in '"\\':
                out.append(following)
                index += 2
                continue
        if char == closer:
            return "".join(out), index + 1
        out.append(char)
        index += 1
    return "".join(out), index


def _word_end(text: str, start: int) -> int:
    index = start
    while index < len(text) and not text[index].isspace() and text[index] not in '()"':
        index += 1
    return index


def _tokens(text: str) -> Iterator[_Token]:
    index = 0
    while index < len(text):
        char = text[index]
        if char.isspace():
            index += 1
        elif char in "()":
            yield _Token(char, char)  # type: ignore[arg-type]
            index += 1
        elif char == '"':
            phrase, index = _read_until(text, index + 1, '"')
            yield _Token("phrase", phrase)
        elif char == "/":
            pattern, index = _read_until(text, index + 1, "/")
            yield _Token("regex", pattern)
        elif char == "-" and index + 1 < len(text) and not text[index + 1].isspace():
            yield _Token("-", "-")
            index += 1
        else:
            end = _word_end(text, index)
            if end == index:  # a lone "-" before a space
                end = index + 1
            word = text[index:end]
            named = _FIELD.match(word)
            if named and not word[named.end() :].startswith("//"):  # https://... is a word
                name = named.group(1).lower()
                rest = index + named.end()
                if rest < len(text) and text[rest] == '"':
                    value, index = _read_until(text, rest + 1, '"')
                    yield _Token("field", value, name, "phrase")
                elif rest < len(text) and text[rest] == "/":
                    value, index = _read_until(text, rest + 1, "/")
                    yield _Token("field", value, name, "regex")
                else:
                    yield _Token("field", text[rest:end], name, "word")
                    index = end
                continue
            if word in ("OR", "AND"):
                yield _Token(word, word)  # type: ignore[arg-type]
            else:
                yield _Token("word", word)
            index = end


# --- parser ------------------------------------------------------------------------------


class _Parser:
    def __init__(self, text: str) -> None:
        self.tokens = list(_tokens(text))
        self.at = 0

    def peek(self) -> _Token | None:
        return self.tokens[self.at] if self.at < len(self.tokens) else None

    def parse(self) -> Node | None:
        node = self.sequence(top=True)
        token = self.peek()
        if token is not None:  # only a stray ")" stops the top-level sequence
            raise QueryError('unexpected ")"')
        return node

    def sequence(self, *, top: bool) -> Node | None:
        """Groups up to ")" or the end; None when there are none."""
        items: list[Node] = []
        while True:
            token = self.peek()
            if token is None or token.kind == ")":
                break
            if token.kind == "AND":
                self.at += 1
                if not items or self.peek() is None or self.peek_kind() in (")", "OR", "AND"):
                    raise QueryError("AND needs a term on both sides")
                continue
            node = self.group()
            if node is not None:
                items.append(node)
        return _and(items)

    def peek_kind(self) -> str | None:
        token = self.peek()
        return token.kind if token else None

    def group(self) -> Node | None:
        if self.peek_kind() == "OR":
            raise QueryError("OR needs a term on both sides")
        first = self.unary()
        options = [first]
        while self.peek_kind() == "OR":
            self.at += 1
            if self.peek_kind() in (None, ")", "OR", "AND"):
                raise QueryError("OR needs a term on both sides")
            options.append(self.unary())
        present = [node for node in options if node is not None]
        if len(present) < len(options):
            if len(options) > 1:
                raise QueryError("OR needs a term on both sides")
            return None
        return present[0] if len(present) == 1 else Or(tuple(present))

    def unary(self) -> Node | None:
        token = self.peek()
        if token is not None and token.kind == "-":
            self.at += 1
            if self.peek_kind() in (None, ")", "OR", "AND"):
                raise QueryError('"-" must be followed by a term to exclude')
            child = self.atom()
            return None if child is None else Not(child)
        return self.atom()

    def atom(self) -> Node | None:
        token = self.tokens[self.at]
        self.at += 1
        if token.kind == "(":
            inner = self.sequence(top=False)
            if self.peek_kind() == ")":
                self.at += 1
                if inner is None:
                    raise QueryError('empty parentheses "()"')
            return inner  # an unclosed "(" is closed at the end of the line
        if token.kind == "word":
            if token.text == "-":
                raise QueryError('"-" must be followed by a term to exclude')
            return _text("word", token.text, "any")
        if token.kind == "phrase":
            return _text("phrase", token.text, "any")
        if token.kind == "regex":
            return _text("regex", token.text, "any")
        if token.kind == "field":
            return _field(token)
        raise QueryError(f'unexpected "{token.text}"')


def _and(items: list[Node]) -> Node | None:
    if not items:
        return None
    flat: list[Node] = []
    for item in items:
        flat.extend(item.children if isinstance(item, And) else (item,))
    return flat[0] if len(flat) == 1 else And(tuple(flat))


def _text(kind: Kind, raw: str, scope: Scope) -> Text | None:
    if kind == "regex":
        if not raw:
            return None  # "//" matches everything
        try:
            pattern = compile_regex(raw)
        except (regex.error, RecursionError, OverflowError, ValueError) as failure:
            message = str(failure).split(" at position")[0]
            raise QueryError(f"bad regex /{_short(raw)}/: {message}") from None
        if _nested_repeat(raw):
            raise QueryError(f"regex /{_short(raw)}/ nests repeats like (a+)+; simplify it")
        return Text("regex", raw, scope, raw, pattern)
    value = search_key(raw).strip()
    if kind == "phrase":
        value = " ".join(value.split())
    if not value:
        return None
    return Text(kind, value, scope, raw)


_NESTED = re.compile(r"\((?:[^()\\]|\\.)*[+*}](?:[^()\\]|\\.)*\)[+*{]")


def _nested_repeat(pattern: str) -> bool:
    """A repeat around a group that itself repeats: exponential backtracking risk."""
    return _NESTED.search(pattern) is not None


def _field(token: _Token) -> Node | None:
    name, value = token.name, token.text
    if name not in FIELDS:
        numeric = _NUMBER.fullmatch(value) or _RANGE.fullmatch(value)  # "autor:3": authors
        close = get_close_matches(name, NUMBER_FIELDS if numeric else FIELDS, n=1)
        close = close or get_close_matches(name, FIELDS, n=1)
        hint = f" (did you mean {close[0]}:?)" if close else f" (fields: {', '.join(FIELDS)})"
        raise QueryError(f'unknown field "{name}:"{hint}')
    if name in TEXT_FIELDS:
        kind: Kind = "word" if not token.value_kind else token.value_kind
        if kind == "word" and not value:
            raise QueryError(f'{name}: needs a word, a "phrase" or a /regex/')
        scope: Scope = "title" if name == "title" else "abstract"
        return _text(kind, value, scope)
    if name in NUMBER_FIELDS:
        return _compare(name, value)
    if name in FACET_FIELDS:
        folded = " ".join(search_key(value).split())
        if token.value_kind == "regex" or not folded:
            raise QueryError(f'{name}: needs a word or a "phrase"')
        return Facet(name, folded)
    if not value.strip():
        raise QueryError(f"{name}: needs a value")
    if name == "is":
        lowered = value.strip().lower()
        if lowered not in IS_VALUES:
            raise QueryError(f'is: takes {", ".join(IS_VALUES)}, not "{_short(value)}"')
        return InLibrary("is", lowered)
    return InLibrary(name, value.strip())


def _compare(name: NumberField, value: str) -> Compare:
    example = "2024 or 2022..2024" if name == "year" else "3, <=3 or 2..5"
    problem = f'{name}: takes a number or a range like {example}, not "{_short(value)}"'
    number = _NUMBER.fullmatch(value)
    if number:
        op, amount = number.group(1) or "=", int(number.group(2))
        bounds = {
            "=": (amount, amount),
            "<": (None, amount - 1),
            "<=": (None, amount),
            ">": (amount + 1, None),
            ">=": (amount, None),
        }
        low, high = bounds[op]
        return Compare(name, low, high)
    span = _RANGE.fullmatch(value)
    if span and (span.group(1) or span.group(2)):
        low = int(span.group(1)) if span.group(1) else None
        high = int(span.group(2)) if span.group(2) else None
        if low is not None and high is not None and low > high:
            raise QueryError(f"{name}: the range {value} is empty")
        return Compare(name, low, high)
    raise QueryError(problem)


def parse(text: str) -> Node | None:
    """The syntax tree of ``text`` (None for a query with no terms).

    Raises :class:`QueryError` (only) for a query that cannot run.
    """
    if len(text) > _MAX_QUERY:
        raise QueryError(f"query too long ({len(text)} characters, at most {_MAX_QUERY})")
    try:
        return _Parser(text).parse()
    except RecursionError:
        raise QueryError("query nests too deeply") from None


def check(text: str) -> str | None:
    """The error message for ``text``, or None when it parses."""
    try:
        parse(text)
    except QueryError as failure:
        return str(failure)
    return None


def leaves(node: Node | None, *, positive: bool = True) -> Iterator[tuple[Node, bool]]:
    """Every leaf of the tree with its polarity (False under an odd number of ``-``)."""
    if node is None:
        return
    if isinstance(node, Not):
        yield from leaves(node.child, positive=not positive)
    elif isinstance(node, And | Or):
        for child in node.children:
            yield from leaves(child, positive=positive)
    else:
        yield node, positive
