"""Why a paper matched: the fields, and the spans to highlight in the displayed text."""

from __future__ import annotations

from collections.abc import Iterator, Sequence

from .columns import Columns
from .evaluate import Evaluator
from .keys import display_span, fold_offsets
from .query import Compare, Facet, InLibrary, Node, Text, leaves
from .rank import letter_places
from .regexes import match_spans

FIELD_ORDER = ("title", "abstract", "author", "category", "authors", "upvotes", "year", "library")
MAX_SPANS = 500
"""Spans kept per field (a one-letter query would otherwise mark most of an abstract)."""

Spans = tuple[tuple[int, int], ...]


def describe(
    columns: Columns, node: Node, evaluator: Evaluator, position: int, *, spans: bool = True
) -> tuple[tuple[str, ...], dict[str, Spans], tuple[tuple[str, str], ...]]:
    """The matched fields, the spans per text field and the typo corrections (with
    ``spans=False``, the fields alone: mapping spans to the displayed text is most of the
    cost)."""
    show = _to_display if spans else _as_found
    texts = {"title": columns.titles[position], "abstract": columns.abstracts[position]}
    keys = {"title": columns.title_keys[position], "abstract": columns.abstract_keys[position]}
    found: dict[str, list[tuple[int, int]]] = {"title": [], "abstract": []}
    fields: set[str] = set()
    corrections: list[tuple[str, str]] = []
    for leaf, positive in leaves(node):
        if not positive:
            continue
        if isinstance(leaf, Compare):
            fields.add(leaf.field)
            continue
        if isinstance(leaf, InLibrary):
            fields.add("library")
            continue
        if isinstance(leaf, Facet):
            fields.add("author" if leaf.field == "author" else "category")
            continue
        if not isinstance(leaf, Text):
            continue
        for name in ("title", "abstract"):
            searched = (
                evaluator.searches_title(leaf)
                if name == "title"
                else leaf.scope != "title"  # abstracts are highlighted in any stage
            )
            if not searched:
                continue
            if leaf.pattern is not None:
                found[name] += match_spans(leaf.pattern, texts[name])
                continue
            needles = evaluator.needles(leaf, positive)
            exact = list(_occurrences(keys[name], needles[0]))
            if exact:
                found[name] += show(texts[name], exact)
                continue
            if name == "title" and evaluator.spelled(leaf, positive):
                places = letter_places(keys[name], leaf.value) or []
                found[name] += show(texts[name], [(at, at + 1) for at in places])
                continue
            for needle in needles[1:]:
                typo_spans = show(texts[name], list(_occurrences(keys[name], needle)))
                if typo_spans:
                    found[name] += typo_spans
                    if spans:
                        corrections.append((leaf.raw, _word_at(texts[name], typo_spans[0])))
    merged = {name: _merge(found[name]) for name in found if found[name]}
    fields.update(merged)
    ordered = tuple(name for name in FIELD_ORDER if name in fields)
    if not spans:
        return ordered, {}, ()
    unique = tuple(dict.fromkeys(corrections))
    return ordered, merged, unique


def _occurrences(key: str, needle: str) -> Iterator[tuple[int, int]]:
    start = key.find(needle)
    count = 0
    while start >= 0 and count < MAX_SPANS:
        yield start, start + len(needle)
        count += 1
        start = key.find(needle, start + len(needle))


def _to_display(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    if not spans:
        return []
    starts = fold_offsets(text)
    return [display_span(starts, start, end) for start, end in spans]


def _as_found(text: str, spans: Sequence[tuple[int, int]]) -> list[tuple[int, int]]:
    return list(spans)


def _merge(spans: list[tuple[int, int]]) -> Spans:
    merged: list[tuple[int, int]] = []
    for start, end in sorted(spans):
        if merged and start <= merged[-1][1]:
            if end > merged[-1][1]:
                merged[-1] = (merged[-1][0], end)
        else:
            merged.append((start, end))
    return tuple(merged[:MAX_SPANS])


def _word_at(text: str, span: tuple[int, int]) -> str:
    """The whole word of ``text`` around ``span``."""
    start, end = span
    while start > 0 and text[start - 1].isalnum():
        start -= 1
    while end < len(text) and text[end].isalnum():
        end += 1
    return text[start:end]
