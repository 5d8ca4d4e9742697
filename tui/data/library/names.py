"""The rules for tag and reading-list names (use them to check what a user types)."""

from __future__ import annotations

from ..text import fold
from .errors import InvalidChange

MAX_TAG_LENGTH = 64
MAX_LIST_NAME_LENGTH = 100


def tag_name(tag: str) -> str:
    """``tag`` trimmed; :class:`InvalidChange` unless it is one printable word (so that
    ``tag:NAME`` can find it) of at most :data:`MAX_TAG_LENGTH` characters."""
    name = tag.strip()
    if not name or not name.isprintable() or any(char.isspace() for char in name):
        raise InvalidChange(f"a tag is one word, without spaces: {tag!r}")
    if len(name) > MAX_TAG_LENGTH:
        raise InvalidChange(f"a tag has at most {MAX_TAG_LENGTH} characters")
    return name


def list_name(name: str) -> str:
    """``name`` with its runs of spaces made single and trimmed; :class:`InvalidChange` when
    that is empty, has control characters or is over :data:`MAX_LIST_NAME_LENGTH` long."""
    clean = " ".join(name.split())
    if not clean:
        raise InvalidChange("a reading list needs a name")
    if not clean.isprintable():
        raise InvalidChange(f"a list name cannot contain control characters: {name!r}")
    if len(clean) > MAX_LIST_NAME_LENGTH:
        raise InvalidChange(f"a list name has at most {MAX_LIST_NAME_LENGTH} characters")
    return clean


def list_key(name: str) -> str:
    """What list names are matched by: :func:`list_name`'s spacing, ignoring case and
    accents (so a list is found by any name that would have made it)."""
    return fold(" ".join(name.split()))
