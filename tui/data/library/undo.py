"""Undo and redo of library changes within a session.

Each user change is a :class:`Step`: the operation that redoes it (``forward``) and the one
that undoes it (``backward``, known once the change has been written, because only then is it
known what actually changed). Undoing a step applies ``backward`` and keeps *its* inverse as
the new ``forward``, so redo repeats exactly what the undo reverted, whatever other processes
did in between.
"""

from __future__ import annotations

from dataclasses import dataclass, field

from .ops import Op

#: How many changes can be undone.
HISTORY_LIMIT = 1000


@dataclass(eq=False)
class Step:
    """One undoable change, with the short description undo and redo report."""

    description: str
    forward: Op
    backward: Op | None = None
    displaced: list[Step] = field(default_factory=list)  # the redo stack this step cleared


class History:
    """The undo and redo stacks."""

    def __init__(self, limit: int = HISTORY_LIMIT) -> None:
        self.limit = limit
        self.undo_stack: list[Step] = []
        self.redo_stack: list[Step] = []

    def record(self, step: Step) -> None:
        """A new change: it can be undone, and nothing can be redone any more."""
        self.undo_stack.append(step)
        del self.undo_stack[: -self.limit]
        step.displaced, self.redo_stack = self.redo_stack, []

    def discard(self, step: Step) -> None:
        """Forget a step (it changed nothing, or could not be applied). A change that never
        happened does not cost the user their redo history."""
        if self.undo_stack and self.undo_stack[-1] is step and not self.redo_stack:
            self.undo_stack.pop()
            self.redo_stack = step.displaced
            return
        for stack in (self.undo_stack, self.redo_stack):
            if step in stack:
                stack.remove(step)
