"""Frames first: background threads step aside while the screen composes a frame.

Python runs one thread at a time. While a search thread computes, a frame the screen
composes (about 10 ms of Python at 120x40) only gets the interpreter every other time slice
and takes twice as long or more: the screen stalls for 30-50 ms just as results arrive. So
the screen says when it composes (:func:`composing`) and the search and explain threads,
between two small steps of their work, wait until it is done (:func:`step_aside`). The
interpreter's time slice is also shortened (:data:`SWITCH_INTERVAL`), so a frame that starts
while a thread runs gets the interpreter within a millisecond instead of five.
"""

from __future__ import annotations

import sys
import threading
from collections.abc import Iterator
from contextlib import contextmanager

SWITCH_INTERVAL = 0.001
"""Seconds a thread waiting for the interpreter lets the running one go on (CPython: 0.005)."""

STEP_ASIDE_AT_MOST = 0.05
"""Seconds a background step waits for a frame at most (a frame is 5-15 ms)."""

_idle = threading.Event()
_idle.set()
_ui_thread = threading.main_thread()


def shorten_time_slices() -> None:
    """Let a waiting thread (the screen's) take the interpreter sooner."""
    sys.setswitchinterval(SWITCH_INTERVAL)


@contextmanager
def composing() -> Iterator[None]:
    """Around the composing of a frame, on the UI thread."""
    _idle.clear()
    try:
        yield
    finally:
        _idle.set()


def step_aside() -> None:
    """Between two steps of background work: wait while a frame is being composed (on the
    UI thread itself: return at once)."""
    if threading.current_thread() is not _ui_thread:
        _idle.wait(STEP_ASIDE_AT_MOST)
