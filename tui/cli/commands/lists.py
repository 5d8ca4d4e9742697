"""``paperview lists [ACTION ...]``: the named reading lists.

``paperview lists`` prints them with their sizes; the actions are ``show NAME``,
``add NAME ID_OR_TITLE ...`` (creating the list if needed), ``remove NAME ID_OR_TITLE ...``,
``rename OLD NEW`` and ``delete NAME``. Names match ignoring case, accents and spacing.
"""

from __future__ import annotations

import argparse
from typing import TYPE_CHECKING

from ..common import add_corpus_arguments, error, load, write_json, write_lines
from ..library_args import (
    add_data_dir_argument,
    annotation_json,
    library,
    paper_line,
    resolve_all,
)

if TYPE_CHECKING:
    from ...data.library import LibraryStore, ReadingList

NAME = "lists"
HELP = "show and edit the named reading lists"
ORDER = 52


def configure(parser: argparse.ArgumentParser) -> None:
    """Add the command's arguments and its actions."""
    parser.description = (
        "Show and edit the named reading lists. With no action, print every list and its size."
    )
    add_data_dir_argument(parser)
    _add_json(parser, nested=False)
    actions = parser.add_subparsers(dest="action", metavar="ACTION", title="actions")
    show = actions.add_parser("show", help="print the papers on a list, in order")
    show.add_argument("name", metavar="NAME")
    add_corpus_arguments(show, paths_as_option=True)
    _add_json(show, nested=True)
    for action, text in (
        ("add", "add papers to a list, creating it if there is none of that name"),
        ("remove", "remove papers from a list"),
    ):
        sub = actions.add_parser(action, help=text, description=text)
        sub.add_argument("name", metavar="NAME")
        sub.add_argument(
            "papers", nargs="+", metavar="ID_OR_TITLE", help="id, id prefix or title of a paper"
        )
        add_corpus_arguments(sub, paths_as_option=True)
    rename = actions.add_parser("rename", help="rename a list")
    rename.add_argument("old", metavar="OLD")
    rename.add_argument("new", metavar="NEW")
    delete = actions.add_parser("delete", help="delete a list (its papers keep their other notes)")
    delete.add_argument("name", metavar="NAME")
    for sub in (show, rename, delete, *[actions.choices[name] for name in ("add", "remove")]):
        add_data_dir_argument(sub, nested=True)


def _add_json(parser: argparse.ArgumentParser, *, nested: bool) -> None:
    parser.add_argument(
        "--json",
        action="store_true",
        default=argparse.SUPPRESS if nested else False,
        help="print JSON instead of text",
    )


def run(args: argparse.Namespace) -> int:
    """Run the action."""
    from ...data.library import list_name

    with library(args) as store:
        if args.action is None:
            _print_lists(store.lists(), json=args.json)
        elif args.action == "show":
            _show(args, store)
        elif args.action in ("add", "remove"):
            _edit(args, store)
        elif args.action == "rename":
            old = _existing(store, args.old)
            store.rename_list(old.name, args.new)
            write_lines([f"renamed {old.name!r} to {list_name(args.new)!r}"])
        else:
            found = _existing(store, args.name)
            store.delete_list(found.name)
            write_lines([f"deleted {found.name!r} ({_count(len(found))})"])
    return 0


def _print_lists(lists: tuple[ReadingList, ...], *, json: bool) -> None:
    if json:
        write_json(
            [
                {
                    "name": item.name,
                    "created_at": item.created_at,
                    "count": len(item),
                    "ids": list(item.ids),
                }
                for item in lists
            ]
        )
    elif lists:
        write_lines(f"{len(item):>5}  {item.name}" for item in lists)
    else:
        error("no reading lists yet; make one with 'paperview lists add NAME ID_OR_TITLE'")


def _show(args: argparse.Namespace, store: LibraryStore) -> None:
    found = _existing(store, args.name)
    from ...data.lookup import PapersById

    corpus = load(args, report=bool(args.paths))
    papers = PapersById(corpus.papers)
    if args.json:
        write_json(
            {
                "name": found.name,
                "created_at": found.created_at,
                "count": len(found),
                "papers": [
                    annotation_json(store.annotation(paper_id), papers.get(paper_id))
                    for paper_id in found.ids
                ],
            }
        )
    elif found.ids:
        write_lines(paper_line(paper_id, papers, store) for paper_id in found.ids)
    else:
        error(f"{found.name!r} is empty")


def _edit(args: argparse.Namespace, store: LibraryStore) -> None:
    from ...data.library import NoSuchList, list_name

    before = store.reading_list(list_name(args.name))
    if args.action == "remove" and before is None:
        raise NoSuchList(f"no reading list named {args.name!r}")
    corpus = load(args, report=bool(args.paths))
    targets = resolve_all(corpus, store, args.papers)
    ids = list(dict.fromkeys(item if isinstance(item, str) else item.id for item in targets))
    on_list = set(before.ids) if before else set()
    if args.action == "add":
        store.add_to_list(args.name, targets, create=True)
        after = _existing(store, args.name)
        changed = sum(1 for paper_id in ids if paper_id not in on_list)
        message = f"added {_count(changed)} to {after.name!r}"
        if before is None:
            message += " (a new list)"
        elif changed < len(ids):
            message += f"; {_count(len(ids) - changed)} already on it"
    else:
        store.remove_from_list(args.name, targets)
        after = _existing(store, args.name)
        changed = sum(1 for paper_id in ids if paper_id in on_list)
        message = f"removed {_count(changed)} from {after.name!r}"
        if changed < len(ids):
            message += f"; {_count(len(ids) - changed)} not on it"
    write_lines([f"{message}; it has {_count(len(after))}"])


def _existing(store: LibraryStore, name: str) -> ReadingList:
    from ...data.library import NoSuchList

    found = store.reading_list(name)
    if found is None:
        raise NoSuchList(f"no reading list named {name!r}")
    return found


def _count(number: int) -> str:
    return "1 paper" if number == 1 else f"{number} papers"
