"""What the library commands share: ``--data-dir``, opening the store, naming papers, JSON.

Library errors become one-line messages with exit status 1 (2 for a malformed name); the
store's warnings (a damaged file kept aside, a newer file shown read-only) go to stderr.
"""

from __future__ import annotations

import argparse
from collections.abc import Iterator, Mapping, Sequence
from contextlib import contextmanager
from pathlib import Path
from typing import TYPE_CHECKING, Any

from .common import EXIT_FAILURE, EXIT_USAGE, CommandError, error, lookup

if TYPE_CHECKING:  # the data layer is imported when a command runs
    from ..data.library import Annotation, LibraryStore, Target
    from ..data.models import Corpus, Paper


def add_data_dir_argument(parser: argparse.ArgumentParser, *, nested: bool = False) -> None:
    """``--data-dir DIR``. ``nested`` for a sub-action's parser: it then leaves a value given
    before the sub-action alone (argparse would otherwise reset it to the default)."""
    parser.add_argument(
        "--data-dir",
        type=Path,
        default=argparse.SUPPRESS if nested else None,
        metavar="DIR",
        help="where bookmarks, tags, notes and lists are kept (default: $PAPERVIEW_DATA_DIR "
        "or the user data directory; 'paperview where' shows it)",
    )


@contextmanager
def library(args: argparse.Namespace) -> Iterator[LibraryStore]:
    """Open the library the arguments name; report its warnings; turn its errors into
    :class:`CommandError`; close it afterwards."""
    from ..data.library import (
        InvalidChange,
        LibraryError,
        ListExists,
        NoSuchList,
        StoreUnavailable,
        open_library,
    )
    from ..data.locations import data_dir

    store, warnings = open_library(data_dir(getattr(args, "data_dir", None)))
    for message in warnings:
        error(message)
    try:
        yield store
    except StoreUnavailable as failure:
        raise CommandError(
            f"couldn't save to {store.path} ({failure.reason}); nothing was changed"
        ) from None
    except (NoSuchList, ListExists) as failure:
        raise CommandError(str(failure), EXIT_FAILURE) from None
    except InvalidChange as failure:
        raise CommandError(str(failure), EXIT_USAGE) from None
    except LibraryError as failure:
        raise CommandError(str(failure), EXIT_FAILURE) from None
    finally:
        store.close()


def resolve(corpus: Corpus, store: LibraryStore, needle: str) -> Target:
    """The paper ``needle`` names: in the corpus (id, id prefix or title, as ``show``), or
    else among the papers the library knows that the corpus lacks (a bare id)."""
    try:
        return lookup(corpus, needle)
    except CommandError:
        absent = _find_absent(corpus, store, needle)
        if absent is None:
            raise
        return absent


def _find_absent(corpus: Corpus, store: LibraryStore, needle: str) -> str | None:
    from ..data.lookup import MIN_ID_PREFIX, paper_ids
    from ..data.text import normalise_title

    known = sorted(store.annotated_ids().difference(paper_ids(corpus.papers)))
    text = needle.strip().lower()
    if text in known:
        return text
    if len(text) >= MIN_ID_PREFIX:
        by_prefix = [paper_id for paper_id in known if paper_id.startswith(text)]
        if len(by_prefix) == 1:
            return by_prefix[0]
    wanted = normalise_title(needle)
    by_title = [
        paper_id
        for paper_id in known
        if wanted and normalise_title(store.title(paper_id) or "") == wanted
    ]
    return by_title[0] if len(by_title) == 1 else None


def resolve_all(corpus: Corpus, store: LibraryStore, needles: Sequence[str]) -> list[Target]:
    """:func:`resolve` for each needle."""
    return [resolve(corpus, store, needle) for needle in needles]


def paper_line(paper_id: str, corpus_papers: Mapping[str, Paper], store: LibraryStore) -> str:
    """One line for a paper: the ``list`` row when the corpus has it, else a marked row
    (``corpus_papers``: a :class:`~tui.data.lookup.PapersById`, which builds only the papers
    looked up)."""
    from .commands.listing import paper_row  # the commands package imports this module

    paper = corpus_papers.get(paper_id)
    if paper is not None:
        return paper_row(paper)
    return f"{paper_id}  (not in the corpus)  {store.title(paper_id) or '(title unknown)'}"


def describe(target: Target, store: LibraryStore) -> str:
    """``id  title`` for messages."""
    if isinstance(target, str):
        return f"{target}  {store.title(target) or '(title unknown)'}"
    return f"{target.id}  {target.title}"


def annotation_json(annotation: Annotation, paper: Paper | None) -> dict[str, Any]:
    """A paper's annotations in the documented JSON shape (docs/library.md)."""
    return {
        "id": annotation.id,
        "title": paper.title if paper is not None else annotation.title,
        "in_corpus": paper is not None,
        "bookmarked_at": annotation.bookmarked_at,
        "read_at": annotation.read_at,
        "tags": list(annotation.tags),
        "lists": list(annotation.lists),
        "note": annotation.note,
    }
