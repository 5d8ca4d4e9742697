"""Plain values the data layer shares: problem severities, month names, the gzip magic,
byte-order marks.

They live apart from :mod:`.models` so that the worker processes that parse big files
(:mod:`.jsonl_workers`) import none of pydantic: a worker's first range then starts about
0.2 s sooner.
"""

from __future__ import annotations

import codecs
from enum import Enum

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
GZIP_MAGIC = b"\x1f\x8b"
"""The first two bytes of a gzip stream."""
BOMS = (  # UTF-32 first: its little-endian mark starts with UTF-16's
    (codecs.BOM_UTF32_LE, "utf-32"),
    (codecs.BOM_UTF32_BE, "utf-32"),
    (codecs.BOM_UTF8, "utf-8-sig"),
    (codecs.BOM_UTF16_LE, "utf-16"),
    (codecs.BOM_UTF16_BE, "utf-16"),
)
"""Byte-order marks and the encoding each one decides."""


class Severity(str, Enum):
    """How bad a problem is: an ``error`` lost data, a ``warning`` kept it incomplete."""

    ERROR = "error"
    WARNING = "warning"
