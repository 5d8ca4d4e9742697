"""The reader's idle full passes of the cycle collector (tui/screens/idle.py)."""

from __future__ import annotations

import gc
from collections.abc import Iterator

import pytest
from textual.app import App

from tui.screens.idle import IDLE_PASS_AFTER, IdleCollector


@pytest.fixture
def full_passes() -> Iterator[list[int]]:
    """One entry per full pass, as passes happen."""
    passes: list[int] = []

    def noted(phase: str, info: dict[str, int]) -> None:
        if phase == "start" and info["generation"] == 2:
            passes.append(info["generation"])

    gc.callbacks.append(noted)
    yield passes
    gc.callbacks.remove(noted)


def test_an_idle_pass_runs_only_once_enough_reached_the_oldest_generation(
    full_passes: list[int],
) -> None:
    """A pause right after the last pass costs nothing; after enough young passes (what
    typing a query or two makes), the next pause runs one."""
    collector = IdleCollector(App(), busy=lambda: False)
    gc.collect()
    full_passes.clear()
    assert collector.collect() is False
    for _ in range(IDLE_PASS_AFTER):
        gc.collect(1)  # each counts toward the oldest generation's next pass
    assert collector.collect() is True
    assert len(full_passes) == 1
    assert collector.collect() is False  # that pass started the count again
    assert len(full_passes) == 1


async def test_an_idle_pass_waits_while_a_search_runs(full_passes: list[int]) -> None:
    """A search running when the pause ends: no pass, and the countdown starts again."""
    searching = True
    app: App[None] = App()
    async with app.run_test():
        collector = IdleCollector(app, busy=lambda: searching)
        for _ in range(IDLE_PASS_AFTER):
            gc.collect(1)
        full_passes.clear()
        assert collector.collect() is False
        assert full_passes == []
        searching = False
        assert collector.collect() is True
        assert len(full_passes) == 1
