"""Reading an import file: paperview's JSON export, or a Markdown reading list.

The file is read with the corpus reader's safeguards (no FIFOs or devices, binary files
refused, gzip decompressed, a BOM honoured, strict UTF-8) and its format is recognised by
content: a file whose first non-blank character is ``{`` is JSON, anything else Markdown.

It is read piece by piece, never whole, so it has no size limit: memory grows with the
entries kept (an id, a title, the annotations), not with the file, whose abstracts and
paper records are read and dropped an entry at a time.
"""

from __future__ import annotations

import codecs
import gzip
import re
import zlib
from collections.abc import Iterable, Iterator
from itertools import chain
from pathlib import Path
from typing import BinaryIO

from ..snapshot import is_gzip
from ..sources import BINARY_SNIFF, open_input
from ..vocabulary import BOMS
from .json_format import read_json
from .markdown_reader import read_markdown
from .records import ImportDocument, ImportFileError

CHUNK_SIZE = 2**20
"""Bytes read (and decoded) at a time."""

_CR = re.compile(r"\r\n?")


def read_import(path: Path, *, chunk_size: int = CHUNK_SIZE) -> ImportDocument:
    """Read ``path``; raises :class:`ImportFileError` (one line: file, line, reason) when it
    cannot be read or holds no papers in a known form. ``chunk_size``: bytes read at a time."""
    name = str(path)
    handle, problem = open_input(path)
    if handle is None:
        assert problem is not None
        raise ImportFileError(name, problem.reason)
    with handle:
        chunks = text_chunks(handle, name, chunk_size)
        blank: list[str] = []  # the pieces up to the first non-blank character
        for chunk in chunks:
            blank.append(chunk)
            if not chunk.isspace():
                break
        text = chain(blank, chunks)
        if blank and blank[-1].lstrip().startswith("{"):
            return read_json(text, name)
        entries, found = read_markdown(lines(text))
    if not entries:
        raise ImportFileError(
            name,
            "no papers found: expected a paperview JSON export or a Markdown list of "
            "'- [ ] title' items",
        )
    return ImportDocument(name, "markdown", entries, found)


def text_chunks(raw: BinaryIO, name: str, size: int = CHUNK_SIZE) -> Iterator[str]:
    """The text of ``raw`` (an open binary file, plain or gzip), decoded piece by piece,
    every line break (CRLF, CR, LF) made ``\\n``; :class:`ImportFileError` for a binary
    file, bytes that are not UTF-8 (or not the encoding a BOM names), damaged gzip data."""
    try:
        gz = is_gzip(raw.read(2))
        raw.seek(0)
        yield from _decoded(gzip.GzipFile(fileobj=raw, mode="rb") if gz else raw, name, size)
    except EOFError:
        raise ImportFileError(name, "gzip file is cut short; not read") from None
    except (zlib.error, gzip.BadGzipFile) as error:
        raise ImportFileError(name, f"damaged gzip file ({error}); not read") from None
    except OSError as error:
        raise ImportFileError(name, (error.strerror or str(error)).lower()) from None


def _decoded(source: BinaryIO | gzip.GzipFile, name: str, size: int) -> Iterator[str]:
    head = source.read(BINARY_SNIFF)
    encoding = next((found for bom, found in BOMS if head.startswith(bom)), None)
    if encoding is None:  # a UTF-16 or UTF-32 text has NUL bytes; any other has none
        nul = head.find(b"\0")
        if nul >= 0:
            raise ImportFileError(name, f"binary file (NUL byte at offset {nul}); not read")
    decoder = codecs.getincrementaldecoder(encoding or "utf-8-sig")(errors="strict")
    blocks = chain(
        (head[start : start + size] for start in range(0, len(head), size)),
        iter(lambda: source.read(size), b""),
        [b""],  # the end: the decoder says if a character was cut short
    )
    offset = 0  # bytes given to the decoder before ``block``
    newlines = 0  # line breaks in them
    cr = ""  # a CR that ended the last piece: the LF of a CRLF may start the next
    for block in blocks:
        final = not block
        held = decoder.getstate()[0]
        try:
            text = cr + decoder.decode(block, final)
        except UnicodeDecodeError as error:
            data = held + block
            byte = data[error.start : error.start + 1].hex().upper()
            line = newlines + data.count(b"\n", 0, error.start) + 1
            at = offset - len(held) + error.start
            reason = f"not valid {error.encoding} (byte 0x{byte} at offset {at})"
            raise ImportFileError(name, reason, line) from None
        offset += len(block)
        newlines += block.count(b"\n")
        cr = "\r" if text.endswith("\r") and not final else ""
        text = text[:-1] if cr else text
        if text:
            yield _CR.sub("\n", text) if "\r" in text else text


def lines(chunks: Iterable[str]) -> Iterator[str]:
    """The lines of text given in pieces with ``\\n`` line breaks (a last, empty line after
    a final break, as ``str.split`` gives)."""
    pending: list[str] = []
    for chunk in chunks:
        parts = chunk.split("\n")
        if len(parts) > 1:
            pending.append(parts[0])
            parts[0] = "".join(pending)
            pending = [parts.pop()]
            yield from parts
        else:
            pending.append(chunk)
    yield "".join(pending)
