"""Reading an import file: paperview's JSON export, or a Markdown reading list.

The file is read with the corpus reader's safeguards (no FIFOs or devices, a size cap,
binary files refused, a BOM honoured, strict UTF-8) and its format is recognised by content:
a file whose first non-blank character is ``{`` is JSON, anything else Markdown.
"""

from __future__ import annotations

import re
from pathlib import Path

from ..models import Severity
from ..sources import DEFAULT_MAX_SIZE, ReadOptions, read_lines
from .json_format import read_json
from .markdown_reader import read_markdown
from .records import ImportDocument, ImportFileError

#: The size cap: the corpus reader's (a JSON export of 100k papers is about 120 MB).
MAX_IMPORT_SIZE = DEFAULT_MAX_SIZE
#: Advice in the corpus reader's messages about options ``import`` does not have.
_CORPUS_ADVICE = re.compile(r"\s*\(raise it with --max-size\)|;\s*use --(encoding|errors).*$")


def read_import(path: Path, *, max_size: int = MAX_IMPORT_SIZE) -> ImportDocument:
    """Read ``path``; raises :class:`ImportFileError` (one line: file, line, reason) when it
    cannot be read or holds no papers in a known form."""
    name = str(path)
    lines, problems = read_lines(path, ReadOptions(max_size=max_size))
    for problem in problems:
        if problem.severity is Severity.ERROR:
            raise ImportFileError(name, _CORPUS_ADVICE.sub("", problem.reason), problem.line)
    text = "\n".join(lines)
    if text.lstrip().startswith("{"):
        return read_json(text, name)
    entries, found = read_markdown(text)
    if not entries:
        raise ImportFileError(
            name,
            "no papers found: expected a paperview JSON export or a Markdown list of "
            "'- [ ] title' items",
        )
    return ImportDocument(name, "markdown", entries, found)
