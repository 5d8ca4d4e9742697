"""Wall-clock timings of the stages of a command, for ``--timings``."""

from __future__ import annotations

from collections.abc import Iterator
from contextlib import contextmanager
from time import perf_counter


class Timings:
    """Named stages and how long each took, in the order they finished."""

    def __init__(self) -> None:
        self.stages: list[tuple[str, float]] = []

    def add(self, name: str, seconds: float) -> None:
        """Record that stage ``name`` took ``seconds``."""
        self.stages.append((name, seconds))

    @contextmanager
    def stage(self, name: str) -> Iterator[None]:
        """Time the body of a ``with`` block as stage ``name``."""
        start = perf_counter()
        try:
            yield
        finally:
            self.add(name, perf_counter() - start)

    def lines(self) -> list[str]:
        """One line per stage: ``timing: <ms> ms  <stage>``, then the total."""
        width = max((len(f"{seconds * 1000:,.0f}") for _, seconds in self.stages), default=1)
        out = [f"timing: {seconds * 1000:>{width},.0f} ms  {name}" for name, seconds in self.stages]
        total = sum(seconds for _, seconds in self.stages)
        out.append(f"timing: {total * 1000:>{width},.0f} ms  total")
        return out
