"""Write a generated corpus as an arXiv metadata snapshot (JSON Lines, plain or gzip).

The records have the fourteen fields of the Kaggle/arXiv ``arxiv-metadata-oai-snapshot.json``
file, with its quirks: titles and abstracts hard-wrapped (continuation lines of a title
indented by two spaces; an abstract starting with two spaces, wrapped at about 80 columns,
with an indented line opening each new paragraph), LaTeX in some names and abstracts, author
lists as one ``"A. One, B. Two and C. Three"`` string plus ``authors_parsed``, ``versions``
with RFC 2822 dates, and both new-style (``2401.01234``) and old-style (``hep-th/9901001``)
ids. Titles and abstracts come from :mod:`benchmarks.corpus`, so the text is realistic and the
same ``(n, seed)`` always gives the same file.

Run from the repository root::

    python -m benchmarks.make_snapshot 1000000 -o /tmp/arxiv-1m.jsonl      # about 1.7 GB
    python -m benchmarks.make_snapshot 100000 -o /tmp/arxiv-100k.jsonl.gz  # gzip by suffix
"""

from __future__ import annotations

import argparse
import gzip
import json
import random
import re
import sys
from collections.abc import Iterator
from pathlib import Path
from typing import Any, BinaryIO

from benchmarks.corpus import generate_table

_CATEGORIES = (
    ("cs.LG", 30),
    ("cs.LG stat.ML", 20),
    ("cs.CL", 18),
    ("cs.CV", 18),
    ("cs.CL cs.AI cs.LG", 8),
    ("cs.AI", 6),
    ("hep-th", 5),
    ("hep-ph", 4),
    ("astro-ph.GA", 4),
    ("quant-ph", 4),
    ("math.PR math.ST stat.TH", 2),
    ("cond-mat.stat-mech cond-mat.dis-nn", 2),
    ("physics.comp-ph cs.NA math.NA", 1),
)
_OLD_ARCHIVES = ("hep-th", "hep-ph", "astro-ph", "cond-mat", "math", "gr-qc", "quant-ph")
_FIRST = ("Ana", "Bo", "Chen", "Dmitri", "Elif", "Farid", "Grace", "Hiro", "Ines", "Jun")
_LAST = (
    *("Smith", "Wang", "Müller", "Garcia", "Kim", "Rossi", "Novak", "Ivanov", "Tanaka"),
    *("Silva", "Kowalski", "Haddad", "Okafor", "Nguyen", "Larsen", "Bianchi"),
    *('M{\\"u}ller', 'Schr\\"odinger', 'Sch\\"olkopf', "\\c{C}elik"),  # LaTeX, as arXiv has
)
_DAYS = ("Mon", "Tue", "Wed", "Thu", "Fri", "Sat", "Sun")
_MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
_LICENSES = (None, "http://arxiv.org/licenses/nonexclusive-distrib/1.0/")


_LINES = {width: re.compile(rf"(\S(?:.{{0,{width - 2}}}\S)?)(?:\s+|$)") for width in (70, 80)}


def _wrap(text: str, width: int) -> list[str]:
    """Greedy word wrap at ``width`` (70 or 80) columns, done by the regex engine."""
    return _LINES[width].findall(text)


def _wrap_title(title: str) -> str:
    return "\n  ".join(_wrap(title, 70))


def _wrap_abstract(text: str, rng: random.Random) -> str:
    paragraphs = [text]
    if rng.random() < 0.15:  # a second paragraph, as some arXiv abstracts have
        cut = text.find(". ", len(text) // 2)
        if cut > 0:
            paragraphs = [text[: cut + 1], text[cut + 2 :]]
    return "  " + "\n  ".join("\n".join(_wrap(p, 80)) for p in paragraphs) + "\n"


def records(n: int, seed: int = 0) -> Iterator[dict[str, Any]]:
    """``n`` snapshot records (dicts in the snapshot's field order)."""
    table = generate_table(n, seed)
    rng = random.Random(seed + 1)
    weights = [w for _, w in _CATEGORIES]
    names = [c for c, _ in _CATEGORIES]
    numbers: dict[str, int] = {}  # the next free number of each month (and archive)
    for i in range(n):
        year = table.years[i] or 2024
        month = table.months[i] or 1 + i % 12
        day = table.days[i] or 1 + i % 28
        stem = f"{year % 100:02d}{month:02d}"
        old = f"{rng.choice(_OLD_ARCHIVES)}/{stem}" if rng.random() < 0.03 else ""
        if old and numbers.get(old, 0) < 999:
            number = numbers[old] = numbers.get(old, 0) + 1
            arxiv_id = f"{old}{number:03d}"
        else:
            number = numbers[stem] = numbers.get(stem, 0) + 1
            arxiv_id = f"{stem}.{number:05d}"
        count = table.authors[i] or 1
        people = [(rng.choice(_FIRST), rng.choice(_LAST)) for _ in range(count)]
        shown = [
            f"{first[0]}. {last}" if rng.random() < 0.5 else f"{first} {last}"
            for first, last in people
        ]
        authors = shown[0] if count == 1 else ", ".join(shown[:-1]) + " and " + shown[-1]
        created = (
            f"{_DAYS[(day + month) % 7]}, {day} {_MONTHS[month - 1]} {year} 17:{i % 60:02d}:05 GMT"
        )
        versions = [{"version": "v1", "created": created}]
        if rng.random() < 0.4:
            versions.append({"version": "v2", "created": created.replace(str(year), str(year + 1))})
        yield {
            "id": arxiv_id,
            "submitter": shown[0],
            "authors": authors,
            "title": _wrap_title(table.titles[i]),
            "comments": f"{rng.randint(4, 40)} pages, {rng.randint(1, 12)} figures",
            "journal-ref": None,
            "doi": f"10.1103/PhysRevD.{rng.randint(10, 99)}.{rng.randint(1000, 9999)}"
            if rng.random() < 0.2
            else None,
            "report-no": None,
            "categories": rng.choices(names, weights)[0],
            "license": rng.choice(_LICENSES),
            "abstract": _wrap_abstract(table.abstracts[i], rng),
            "versions": versions,
            "update_date": f"{min(year + (len(versions) - 1), 2025)}-{month:02d}-{day:02d}",
            "authors_parsed": [[last, first, ""] for first, last in people],
        }


def write_snapshot(path: Path, n: int, seed: int = 0) -> int:
    """Write ``n`` records to ``path`` (gzip when it ends in ``.gz``); returns the bytes written."""
    opener: Any = gzip.open if path.suffix == ".gz" else open
    size = 0
    handle: BinaryIO
    with opener(path, "wb") as handle:
        batch: list[bytes] = []
        for record in records(n, seed):
            line = json.dumps(record, ensure_ascii=False).encode("utf-8") + b"\n"
            size += len(line)
            batch.append(line)
            if len(batch) >= 10_000:
                handle.writelines(batch)
                batch.clear()
        handle.writelines(batch)
    return size


def main(argv: list[str] | None = None) -> int:
    """``python -m benchmarks.make_snapshot N -o PATH [--seed S]``."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.make_snapshot",
        description="Write N generated papers as an arXiv metadata snapshot (JSON Lines).",
    )
    parser.add_argument("n", type=int, help="number of papers")
    parser.add_argument("-o", "--output", type=Path, required=True, help="file (.gz: gzip)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    size = write_snapshot(args.output, args.n, args.seed)
    sys.stdout.write(f"{args.output}: {args.n:,} records, {size / 2**20:,.1f} MiB of JSON\n")
    return 0


if __name__ == "__main__":
    sys.exit(main())
