"""The cycle collector's full passes: kept short, and moved to when the user is idle.

A full pass (generation 2) walks every long-lived container and frees the garbage that
only it can free: objects in reference cycles. The reader makes that garbage rare, so a
pass stays within a frame (about 5 ms: the screen's widgets and caches, some 20k objects):

* the corpus and its index are frozen once they are built (:func:`freeze_loaded`), so no
  pass ever walks them again;
* every line the compositor draws used to be a cycle: Textual's ``Strip.divide`` caches
  its answer on the strip, and for a line it does not cut that answer is ``[self]``
  (:func:`untie_drawn_lines` drops that entry); the results list keeps its drawn rows in a
  plain dict, not Textual's ``LRUCache``, whose links are a ring that outlives a clear. Each
  keystroke used to leave about a thousand such objects to the collector: a full pass after
  a minute of typing took 100-150 ms;
* the results list keeps a few screens of drawn rows, not a thousand: each row is a
  ``Strip`` with seven small caches, so a thousand rows were half of what a pass walked;
* the collector's third threshold is raised, so full passes seldom start on their own,
  and :class:`IdleCollector` runs one a moment after the user stops, once enough has
  reached the oldest generation since the last pass to be worth it. A pause in the typing
  then seldom starts a pass, and a key pressed during one waits a few milliseconds.

Young generations are still collected automatically; they are small and quick.
"""

from __future__ import annotations

import gc
from collections.abc import Callable, Iterable, Sequence

from textual.message_pump import MessagePump
from textual.strip import Strip
from textual.timer import Timer

IDLE_SECONDS = 2.0
"""How long the user must be idle before a full collection runs."""

FULL_PASS_EVERY = 1000
"""Generation-1 collections between automatic full passes (CPython's default is 10)."""

IDLE_PASS_AFTER = 20
"""Generation-1 collections since the last full pass for an idle pass to run. Typing
makes about one every two keys (measured at 100k papers), so a pass runs in a pause after
a query or two, not in every pause; what waits meanwhile is the little that outlived two
young passes."""


def untie_drawn_lines() -> None:
    """Make Textual's ``Strip.divide`` forget an answer that is the strip itself.

    The compositor divides every line it draws at the widgets' edges; a line it does not cut
    comes back as ``[self]``, which Textual (8.2.8) also keeps in the strip's own divide
    cache: a reference cycle per line drawn, so each line replaced on screen waits for a
    full collection instead of dying at once. Dividing an uncut line again is trivial, so
    nothing is lost by not caching it. Installed once; harmless if Textual changes.
    """
    divide = Strip.divide
    if getattr(divide, "untied", False):
        return

    def untied(strip: Strip, cuts: Iterable[int]) -> Sequence[Strip]:
        strips = divide(strip, cuts)
        if len(strips) == 1 and strips[0] is strip:
            cache = getattr(strip, "_divide_cache", None)
            if cache is not None:
                cache.clear()
        return strips

    untied.untied = True  # type: ignore[attr-defined]
    Strip.divide = untied  # type: ignore[method-assign,assignment]


def freeze_loaded() -> None:
    """Move everything alive now (the corpus, the index) out of the collector's sight."""
    gc.freeze()


class IdleCollector:
    """Runs ``gc.collect()`` once the user has been idle for :data:`IDLE_SECONDS` (see
    :meth:`collect`).

    ``busy()`` says whether work the user waits for is running (a search): the pass then
    waits for another idle period rather than stall the results.
    """

    def __init__(self, owner: MessagePump, busy: Callable[[], bool]) -> None:
        self._owner = owner
        self._busy = busy
        self._timer: Timer | None = None

    def start(self) -> None:
        """Stop full passes from starting on their own (they run when idle instead), and
        stop drawn lines from forming cycles."""
        untie_drawn_lines()
        young, middle, _ = gc.get_threshold()
        gc.set_threshold(young, middle, FULL_PASS_EVERY)

    def poke(self) -> None:
        """The user did something: (re)start the idle countdown."""
        if self._timer is not None:
            self._timer.reset()
        else:
            self._timer = self._owner.set_timer(IDLE_SECONDS, self.collect, name="idle-gc")

    def collect(self) -> bool:
        """Run a full pass unless work is running or too little reached the oldest
        generation since the last one (:data:`IDLE_PASS_AFTER`); True if it ran."""
        self._timer = None
        if self._busy():
            self.poke()
            return False
        if gc.get_count()[2] < IDLE_PASS_AFTER:
            return False
        gc.collect()
        return True
