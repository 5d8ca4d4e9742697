"""A search naming a reading list follows the list when it is renamed."""

from __future__ import annotations

from pathlib import Path

import pytest

from tui.data.library import LibraryView, ReadingList, open_library
from tui.data.library.follow import follow_renames, renamed_lists

QUEUE = {"reading queue": "Later"}


@pytest.mark.parametrize(
    ("query", "expected"),
    [
        ('list:"Reading queue"', 'list:"Later"'),
        ('gnn list:"reading  QUEUE" year:2024', 'gnn list:"Later" year:2024'),
        ('-list:"Reading queue" (LIST:"Reading queue" OR x)', '-list:"Later" (LIST:"Later" OR x)'),
        ('list:"Reading queue', 'list:"Later"'),  # unclosed, as the parser reads it
        ('list:"Other" "list:\\"Reading queue\\"" /list:"Reading queue"/', None),  # text, regex
        ('xlist:"Reading queue" list:Reading queue', None),  # another field; the list "Reading"
    ],
)
def test_list_filters_follow_a_rename_and_nothing_else_changes(
    query: str, expected: str | None
) -> None:
    assert follow_renames(query, QUEUE) == (query if expected is None else expected)


def test_a_new_name_with_quotes_is_escaped_and_a_one_word_filter_follows() -> None:
    renamed = {"queue": 'My "best" \\ papers'}
    assert follow_renames("list:queue x", renamed) == 'list:"My \\"best\\" \\\\ papers" x'
    assert follow_renames('list:"a \\"q\\""', {'a "q"': "b"}) == 'list:"b"'


def view(*lists: tuple[str, str]) -> LibraryView:
    return LibraryView(reading_lists=tuple(ReadingList(name, at, ()) for name, at in lists))


def test_a_rename_is_told_from_a_delete_and_a_create() -> None:
    before = view(("Reading queue", "t1"), ("Done", "t2"), ("Old", "t3"))
    after = view(("Later", "t1"), ("done", "t2"), ("New", "t4"))
    assert renamed_lists(before, after) == {"reading queue": "Later"}  # a case change: same key
    twins = view(("A", "t1"), ("B", "t1"))
    assert renamed_lists(twins, view(("C", "t1"), ("D", "t1"))) == {}  # cannot tell which


def test_renames_in_the_store_and_their_undo_are_found(data_dir: Path) -> None:
    store, _ = open_library(data_dir)
    store.create_list("Reading queue")
    first = store.view()
    store.rename_list("reading queue", "Later")
    renamed = store.view()
    assert renamed_lists(first, renamed) == {"reading queue": "Later"}
    store.undo()
    assert renamed_lists(renamed, store.view()) == {"later": "Reading queue"}
    store.close()
