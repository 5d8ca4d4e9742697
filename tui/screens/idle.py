"""The cycle collector's full passes, moved to when the user is idle.

A full pass (generation 2) walks every long-lived container. With Textual's rendered lines
(which reference themselves from their caches, so they only die in a cycle collection) and
the search's cached results, one pass takes 20-80 ms on a 2-core machine: a dropped frame
or three, right in the middle of typing. So the reader

* freezes the corpus and its index once they are built (:func:`freeze_loaded`), so no pass
  ever walks them again;
* raises the collector's third threshold, so full passes almost never start on their own;
* runs a full pass itself a moment after the user stops (:class:`IdleCollector`).

Young generations are still collected automatically; they are small and quick.
"""

from __future__ import annotations

import gc
from collections.abc import Callable

from textual.message_pump import MessagePump
from textual.timer import Timer

IDLE_SECONDS = 2.0
"""How long the user must be idle before a full collection runs."""

FULL_PASS_EVERY = 1000
"""Generation-1 collections between automatic full passes (CPython's default is 10)."""


def freeze_loaded() -> None:
    """Move everything alive now (the corpus, the index) out of the collector's sight."""
    gc.freeze()


class IdleCollector:
    """Runs ``gc.collect()`` once the user has been idle for :data:`IDLE_SECONDS`.

    ``busy()`` says whether work the user waits for is running (a search): the pass then
    waits for another idle period rather than stall the results.
    """

    def __init__(self, owner: MessagePump, busy: Callable[[], bool]) -> None:
        self._owner = owner
        self._busy = busy
        self._timer: Timer | None = None

    def start(self) -> None:
        """Stop full passes from starting on their own (they run when idle instead)."""
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_PASS_EVERY)

    def poke(self) -> None:
        """The user did something: (re)start the idle countdown."""
        if self._timer is not None:
            self._timer.reset()
        else:
            self._timer = self._owner.set_timer(IDLE_SECONDS, self._collect, name="idle-gc")

    def _collect(self) -> None:
        self._timer = None
        if self._busy():
            self.poke()
            return
        gc.collect()
