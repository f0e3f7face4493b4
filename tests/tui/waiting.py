"""Wait for what a test needs to see, not for a fixed number of frames.

Under load (CI on two busy cores) a worker can take many frames to land; a fixed count of
pauses then snapshots a half-drawn screen. These loops pause until the condition holds,
with a generous cap so a real hang still fails (with the condition's name).
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable
from typing import Any

from textual.css.query import NoMatches
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

MAX_ROUNDS = 400  # pauses; a condition that needs more than this is a hang


async def settle_workers(pilot: Pilot[Any]) -> None:
    """One round: a frame, then every running worker finished (cancelled ones are fine)."""
    await pilot.pause()
    with contextlib.suppress(WorkerCancelled):
        await pilot.app.workers.wait_for_complete()


async def wait_until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, *, rounds: int = MAX_ROUNDS
) -> None:
    """Pause until `condition()` is true, then one more frame so it is painted."""
    for _ in range(rounds):
        if _holds(condition):
            await pilot.pause()
            await pilot.pause()
            return
        await settle_workers(pilot)
    raise AssertionError(f"still waiting for: {what}")


async def paint_until(
    pilot: Pilot[Any], condition: Callable[[], bool], what: str, *, rounds: int = MAX_ROUNDS
) -> None:
    """Like `wait_until`, but frames only, never waiting for workers: for a test that holds
    one of them (a sandbox that is told to listen late, or never)."""
    for _ in range(rounds):
        if _holds(condition):
            return
        await pilot.pause(0.01)
    raise AssertionError(f"still waiting for: {what}")


def _holds(condition: Callable[[], bool]) -> bool:
    try:
        return condition()
    except NoMatches:  # the widget it looks at is not mounted yet
        return False
