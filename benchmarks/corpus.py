"""Deterministic generator of realistic paper corpora of any size, for the benchmarks.

The text is modelled on the bundled seed corpus, so vocabulary, word frequencies and field
lengths look like real Hugging Face listings:

* titles come from a word-bigram chain over the seed titles (with random jumps, so they
  are new titles, mean length about 73 characters like the seeds);
* abstracts are real seed sentences recombined to a length drawn from the seeds'
  abstract lengths (mean about 1,300 characters), plus one or two sentences naming a
  rare acronym, dataset or author (one in ten with an accent, e.g. ``Mülo``) drawn from a
  Zipf-like pool of two million pseudo-words, so the vocabulary keeps growing with the
  corpus as real vocabularies do and every paper has terms found only in its abstract;
* author counts, upvotes and dates follow simple skewed distributions; about 12 % of the
  dates have no year (as Hugging Face shows dates of the current year) and 8 % of the
  papers have no date.

The same ``(n, seed)`` always gives the same corpus, and a corpus of ``n`` papers is a prefix
of the corpus of ``m > n`` papers with the same seed.

Use from Python (run from the repository root so ``benchmarks`` and ``tui`` import)::

    from benchmarks.corpus import generate_papers, generate_table
    papers = generate_papers(1_000)       # list[Paper]
    table = generate_table(1_000_000)     # PaperTable: columns, no Paper objects

or write a corpus file in the seed format (page layout, UTF-8)::

    python -m benchmarks.corpus 10000 -o /tmp/papers-10k.txt
"""

from __future__ import annotations

import argparse
import random
import re
import sys
from bisect import bisect_left
from collections.abc import Sequence
from dataclasses import dataclass
from functools import cache
from pathlib import Path

from tui.data.corpus import load_corpus
from tui.data.models import MONTHS, Paper
from tui.data.search.table import PaperTable
from tui.data.text import paper_id
from tui.resources import seeds_dir

_SYLLABLE_TEXT = (
    "ka lo mi ne ru ta vi so pe di ga ber tron lex qua zen pho chro syn meta poly "
    "neo iso morph gen ic al ous ity ion ent ive ase ide mar tel dor vex lum cor fra sen pli"
)
_SYLLABLES = tuple(_SYLLABLE_TEXT.split())
_ACCENTS = {"a": "á", "e": "é", "o": "ö", "u": "ü", "n": "ñ", "i": "í"}
_RARE_POOL = 2_000_000
_END = ""
_YEARS = (2017, 2018, 2019, 2020, 2021, 2022, 2023, 2024, 2025)
_YEAR_WEIGHTS = (1, 1, 2, 3, 4, 6, 9, 12, 6)
_TEMPLATES = (
    "We introduce {A}, a new approach evaluated on {R} and {R}.",
    "Building on {N} et al. [{Y}], we revisit the {R} setting.",
    "Experiments on the {R} benchmark show that {A} outperforms {B}.",
    "Our analysis follows {N} and {N} [{Y}] and extends it to {R} data.",
    "Code and models are available at https://github.com/{r}/{a}.",
    "{A} reaches state-of-the-art results on {R}, {R} and {R}.",
)
_SLOT = re.compile(r"\{([ARNYBra])\}")
_SENTENCE_END = re.compile(r"(?<=[.!?])\s+(?=[A-Z\[(])")


@dataclass(frozen=True)
class _Model:
    """What the generator learns from the seed corpus."""

    title_starts: tuple[str, ...]
    title_next: dict[str, tuple[str, ...]]
    title_words: tuple[str, ...]
    title_lengths: tuple[int, ...]
    sentences: tuple[str, ...]
    abstract_lengths: tuple[int, ...]


@cache
def _model() -> _Model:
    corpus = load_corpus([seeds_dir()])
    starts: list[str] = []
    following: dict[str, list[str]] = {}
    words: list[str] = []
    sentences: list[str] = []
    for paper in corpus.papers:
        tokens = paper.title.split()
        starts.append(tokens[0])
        words.extend(tokens)
        for here, after in zip(tokens, [*tokens[1:], _END], strict=True):
            following.setdefault(here, []).append(after)
        sentences.extend(s for s in _SENTENCE_END.split(paper.abstract) if len(s) > 20)
    return _Model(
        title_starts=tuple(starts),
        title_next={word: tuple(nexts) for word, nexts in following.items()},
        title_words=tuple(words),
        title_lengths=tuple(len(p.title) for p in corpus.papers),
        sentences=tuple(sentences),
        abstract_lengths=tuple(len(p.abstract) for p in corpus.papers),
    )


def _pseudo_word(rank: int) -> str:
    """A pronounceable word, a different one for (almost) every rank."""
    base = len(_SYLLABLES)
    number = rank + base * base  # at least three syllables
    parts = []
    while number:
        number, digit = divmod(number, base)
        parts.append(_SYLLABLES[digit])
    return "".join(parts)


class _Generator:
    def __init__(self, seed: int) -> None:
        self.rng = random.Random(seed)
        self.random = self.rng.random
        self.model = _model()

    def pick(self, items: Sequence[str]) -> str:
        return items[int(self.random() * len(items))]  # random.choice, three times faster

    def rare(self) -> str:
        # log-uniform rank: a Zipf-like law, frequent words repeat, the tail grows with n
        return _pseudo_word(int(_RARE_POOL ** self.random()) - 1)

    def acronym(self) -> str:
        word = self.rare()
        if self.rng.random() < 0.3:  # mixed case, like aTLAS or LLaMA
            return word[0] + word[1:5].upper()
        return word[:5].upper()

    def name(self) -> str:
        word = self.rare()[:9]
        if self.random() < 0.1:
            vowels = [i for i, char in enumerate(word) if char in _ACCENTS]
            if vowels:
                at = self.rng.choice(vowels)
                word = word[:at] + _ACCENTS[word[at]] + word[at + 1 :]
        return word.capitalize()

    def title(self, acronym: str) -> str:
        model, pick, random = self.model, self.pick, self.random
        target = model.title_lengths[int(random() * len(model.title_lengths))] * (
            0.9 + random() / 2.5
        )
        word = pick(model.title_starts)
        words = [word]
        length = len(word)
        while length < target:
            nexts = model.title_next.get(word)
            if nexts is None or random() < 0.25:
                word = pick(model.title_words)
            else:
                word = pick(nexts)
                if word == _END:
                    if len(words) >= 4:
                        break
                    word = pick(model.title_words)
            words.append(word)
            length += len(word) + 1
        title = " ".join(words)
        if random() < 0.3:
            title = f"{acronym}: {title}"
        return title

    def specific_sentence(self, acronym: str) -> str:

        def fill(match: re.Match[str]) -> str:
            slot = match.group(1)
            if slot == "A":
                return acronym
            if slot == "B":
                return self.acronym()
            if slot == "N":
                return self.name()
            if slot == "Y":
                return str(_YEARS[int(self.random() * len(_YEARS))])
            if slot == "R":
                return self.rare().capitalize()
            if slot == "r":
                return self.rare()
            return acronym.lower()

        return _SLOT.sub(fill, self.pick(_TEMPLATES))

    def abstract(self, acronym: str) -> str:
        model, pick, random = self.model, self.pick, self.random
        lengths = model.abstract_lengths
        target = lengths[int(random() * len(lengths))] * (0.78 + random() / 4)
        parts = []
        length = 0
        while length < target:
            sentence = pick(model.sentences)
            parts.append(sentence)
            length += len(sentence) + 1
        for _ in range(1 + (random() < 0.5)):
            parts.insert(int(random() * (len(parts) + 1)), self.specific_sentence(acronym))
        return " ".join(parts)


def generate_table(n: int, seed: int = 0) -> PaperTable:
    """``n`` generated papers as a :class:`PaperTable` (fast: no ``Paper`` objects).

    About 10 µs per paper; titles are unique (by paper id).
    """
    gen = _Generator(seed)
    rng = gen.rng
    ids: list[str] = []
    titles: list[str] = []
    abstracts: list[str] = []
    authors: list[int | None] = []
    upvotes: list[int | None] = []
    years: list[int | None] = []
    months: list[int] = []
    days: list[int] = []
    seen: set[str] = set()
    cumulative = _cumulative(_YEAR_WEIGHTS)
    while len(ids) < n:
        acronym = gen.acronym()
        title = gen.title(acronym)
        key = paper_id(title)
        while key in seen:
            title = f"{title} {gen.rare().capitalize()}"
            key = paper_id(title)
        seen.add(key)
        ids.append(key)
        titles.append(title)
        abstracts.append(gen.abstract(acronym))
        authors.append(max(1, min(40, int(rng.lognormvariate(1.6, 0.5)))))
        roll = rng.random()
        if roll < 0.08:
            years.append(None)
            months.append(0)
            days.append(0)
            upvotes.append(None)
            continue
        years.append(None if roll < 0.20 else _YEARS[bisect_left(cumulative, rng.random())])
        months.append(rng.randint(1, 12))
        days.append(rng.randint(1, 28))
        upvotes.append(None if rng.random() < 0.1 else min(999, int(rng.paretovariate(1.1)) - 1))
    return PaperTable(
        ids=ids,
        titles=titles,
        abstracts=abstracts,
        authors=authors,
        upvotes=upvotes,
        years=years,
        months=months,
        days=days,
    )


def _cumulative(weights: Sequence[int]) -> list[float]:
    total = sum(weights)
    running = 0.0
    out = []
    for weight in weights:
        running += weight / total
        out.append(running)
    out[-1] = 1.0
    return out


def generate_papers(n: int, seed: int = 0) -> list[Paper]:
    """``n`` generated papers as ``Paper`` objects (see :func:`generate_table`)."""
    return list(generate_table(n, seed))


def corpus_text(papers: Sequence[Paper]) -> str:
    """The papers in the seed "page" layout, the way ``paperview`` reads them back.

    Every paper gets a metadata block; an unknown author count is written as 1 and an
    unknown upvote count as none shown.
    """
    lines = ["new", "", "Daily Papers", "", "byAK and the research community", ""]
    for paper in papers:
        lines += [paper.title, "", paper.abstract, "", f"  • {paper.authors or 1} authors", "·"]
        date = paper.date
        if date is not None:
            text = f"{MONTHS[date.month - 1]} {date.day}"
            if date.year is not None:
                text += f", {date.year}"
            if paper.upvotes is not None:
                text += f" {paper.upvotes}"
            lines.append(text)
        lines.append("")
    return "\n".join(lines)


def main(argv: Sequence[str] | None = None) -> int:
    """Write a generated corpus file (``python -m benchmarks.corpus N -o PATH``)."""
    parser = argparse.ArgumentParser(
        prog="python -m benchmarks.corpus",
        description="Write N generated papers in the seed page layout.",
    )
    parser.add_argument("n", type=int, help="number of papers")
    parser.add_argument("-o", "--output", type=Path, help="file to write (default: stdout)")
    parser.add_argument("--seed", type=int, default=0, help="random seed (default: 0)")
    args = parser.parse_args(argv)
    text = corpus_text(generate_table(args.n, args.seed))
    if args.output is None:
        sys.stdout.write(text)
    else:
        args.output.write_text(text, encoding="utf-8")
    return 0


if __name__ == "__main__":
    sys.exit(main())
