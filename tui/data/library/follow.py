"""A search follows a renamed reading list: ``list:"Reading queue"`` becomes ``list:"Later"``
once the list is renamed (in this reader, by undo, or by another paperview)."""

from __future__ import annotations

import re
from collections.abc import Mapping

from .names import list_key
from .view import Queries

# A phrase or a regex (skipped: a "list:" in them is text), or a list: filter, quoted or one
# word, at the start of a term (as the query parser reads them, tui/data/search/query.py).
_TERM = re.compile(
    r'"(?:\\.|[^"\\])*"?'
    r"|(?:^|(?<=[\s(]))(?:/(?:\\.|[^/\\])*/?"
    r'|(?P<field>-?list):(?:"(?P<quoted>(?:\\.|[^"\\])*)"?|(?P<word>[^\s()"/][^\s()"]*)))',
    re.IGNORECASE,
)


def renamed_lists(before: Queries, after: Queries) -> dict[str, str]:
    """The lists renamed from ``before`` to ``after``: old :func:`list_key` -> new name.

    A rename keeps a list's creation time (to the millisecond): a list gone and a list new
    that alone share a creation time are one list renamed."""
    old, new = before.view().list_index, after.view().list_index
    gone: dict[str, list[str]] = {}
    came: dict[str, list[str]] = {}
    for key, item in old.items():
        if key not in new:
            gone.setdefault(item.created_at, []).append(key)
    for key, item in new.items():
        if key not in old:
            came.setdefault(item.created_at, []).append(item.name)
    return {
        keys[0]: came[at][0]
        for at, keys in gone.items()
        if len(keys) == 1 and len(came.get(at, ())) == 1
    }


def follow_renames(query: str, renamed: Mapping[str, str]) -> str:
    """``query`` with its ``list:`` filters naming a renamed list naming its new name."""
    if not renamed:
        return query

    def follow(match: re.Match[str]) -> str:
        field = match["field"]
        if field is None:
            return match[0]
        value = match["word"]
        if value is None:
            value = re.sub(r'\\(["\\])', r"\1", match["quoted"] or "")
        name = renamed.get(list_key(value))
        if name is None:
            return match[0]
        quoted = name.replace("\\", "\\\\").replace('"', '\\"')
        return f'{field}:"{quoted}"'

    return _TERM.sub(follow, query)
