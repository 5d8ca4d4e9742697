"""Plain values the data layer shares: problem severities, month names, the gzip magic.

They live apart from :mod:`.models` so that the worker processes that parse big files
(:mod:`.jsonl_workers`) import none of pydantic: a worker's first range then starts about
0.2 s sooner.
"""

from __future__ import annotations

from enum import Enum

MONTHS = ("Jan", "Feb", "Mar", "Apr", "May", "Jun", "Jul", "Aug", "Sep", "Oct", "Nov", "Dec")
GZIP_MAGIC = b"\x1f\x8b"
"""The first two bytes of a gzip stream."""


class Severity(str, Enum):
    """How bad a problem is: an ``error`` lost data, a ``warning`` kept it incomplete."""

    ERROR = "error"
    WARNING = "warning"
