"""The value objects of the corpus: papers, their dates and sources, and load problems.

All models are frozen pydantic models: they validate when built from outside data (the
parser, JSON files) and are safe to share between threads.
"""

from __future__ import annotations

import calendar
from collections.abc import Sequence
from typing import Annotated, Protocol

from pydantic import BaseModel, ConfigDict, Field, SkipValidation, model_validator

from .vocabulary import MONTHS as MONTHS
from .vocabulary import Severity as Severity


class _Frozen(BaseModel):
    model_config = ConfigDict(frozen=True, extra="forbid")


class PaperDate(_Frozen):
    """A listing date. ``year`` is ``None`` when the listing did not give one.

    Hugging Face drops the year for dates in the current year (``Nov 11``), so "year not
    given" is a real state, not a parse failure.
    """

    year: int | None = Field(default=None, ge=1900, le=2999)
    month: int = Field(ge=1, le=12)
    day: int = Field(ge=1, le=31)

    @model_validator(mode="after")
    def _real_day(self) -> PaperDate:
        # Without a year, accept Feb 29 (it exists in some year).
        year = self.year if self.year is not None else 2000
        if self.day > calendar.monthrange(year, self.month)[1]:
            raise ValueError(f"{MONTHS[self.month - 1]} {self.day} is not a day of the month")
        return self

    @property
    def sort_key(self) -> tuple[int, int, int]:
        """(year, month, day); callers place papers without a year themselves."""
        return (self.year or 0, self.month, self.day)

    def __str__(self) -> str:
        text = f"{MONTHS[self.month - 1]} {self.day}"
        return f"{text}, {self.year}" if self.year is not None else text

    def iso(self) -> str:
        """ISO 8601 form; ``--MM-DD`` when the year is not given."""
        year = f"{self.year:04d}" if self.year is not None else "-"
        return f"{year}-{self.month:02d}-{self.day:02d}"


class SourceRef(_Frozen):
    """Where one copy of a paper was read: the file and the 1-based line of its title."""

    file: str
    line: int = Field(ge=1)

    def __str__(self) -> str:
        return f"{self.file}:{self.line}"


class Paper(_Frozen):
    """One paper, merged from every copy of it in the corpus.

    ``id`` is derived from the normalised title (see :func:`tui.data.text.paper_id`), so it
    stays the same across re-parses and corpus updates. ``authors`` is the author count and
    ``upvotes`` the listing's upvote count; both are ``None`` when no copy of the paper had a
    metadata block. ``urls`` are the links found in the abstract, in order; for a paper
    read from an arXiv record the first is its arXiv page. ``author_names`` (the authors as
    written, one name each) and ``categories`` (``cs.LG``...) come from structured inputs
    such as the arXiv metadata snapshot, and are empty for text captures.
    """

    id: str = Field(min_length=1)
    title: str = Field(min_length=1)
    abstract: str
    authors: int | None = Field(default=None, ge=0)
    date: PaperDate | None = None
    upvotes: int | None = Field(default=None, ge=0)
    sources: tuple[SourceRef, ...] = Field(min_length=1)
    urls: tuple[str, ...] = ()
    author_names: tuple[str, ...] = ()
    categories: tuple[str, ...] = ()

    @property
    def link(self) -> str | None:
        """The paper's own URL: the first link in its abstract, if any."""
        return self.urls[0] if self.urls else None


class Listed(Protocol):
    """What a row of the results list shows of a paper: a :class:`Paper`, or the lighter
    :class:`~tui.data.search.table.Listing` a table builds without the abstract."""

    @property
    def id(self) -> str:
        """The paper's id."""

    @property
    def title(self) -> str:
        """The title as read."""

    @property
    def date(self) -> PaperDate | None:
        """The listing date."""

    @property
    def upvotes(self) -> int | None:
        """The upvote count."""

    @property
    def authors(self) -> int | None:
        """The author count."""


class Problem(_Frozen):
    """Something in the input that could not be read as it should.

    ``line`` is 1-based, or ``None`` when the problem concerns the whole file.
    """

    file: str
    line: int | None = None
    reason: str
    severity: Severity = Severity.ERROR

    def __str__(self) -> str:
        where = self.file if self.line is None else f"{self.file}:{self.line}"
        return f"{where}: {self.severity.value}: {self.reason}"


class FileReport(_Frozen):
    """What was read from one input file."""

    file: str
    layout: str | None = None
    entries: int = Field(default=0, ge=0)


class Corpus(_Frozen):
    """Everything loaded from a set of inputs: unique papers, per-file reports, problems.

    ``papers`` is any sequence of papers and is not validated: a tuple for text captures,
    a columnar :class:`~tui.data.search.table.PaperTable` for big structured corpora (a
    million papers must not be built, or checked, one object at a time).
    """

    papers: Annotated[Sequence[Paper], SkipValidation] = ()
    files: tuple[FileReport, ...] = ()
    problems: tuple[Problem, ...] = ()

    @property
    def entries_read(self) -> int:
        """Entries read over all files, duplicates included."""
        return sum(report.entries for report in self.files)

    @property
    def duplicates_merged(self) -> int:
        """How many entries were folded into a paper seen in another entry."""
        return self.entries_read - len(self.papers)

    @property
    def unreadable_inputs(self) -> tuple[Problem, ...]:
        """Problems that concern a whole input (missing, unreadable, binary, ...)."""
        return tuple(p for p in self.problems if p.line is None and p.severity is Severity.ERROR)
