"""A pixel-level snapshot of the explorer on the sandbox's root (pytest-textual-snapshot).

Deterministic: a fixed seed and terminal size, the app's own theme, timings and request
ids masked, a frozen clock for the gauge's sparkline, focus on the tree (no blinking
cursor), and only the masked demo key on screen.
"""

from __future__ import annotations

import contextlib
from collections.abc import Callable, Iterator
from typing import Any

import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp


@pytest.fixture
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=0) as running:
        yield running


async def _settled(pilot: Pilot[Any]) -> None:
    app = pilot.app
    for _ in range(3):
        await pilot.pause()
        with contextlib.suppress(WorkerCancelled):
            await app.workers.wait_for_complete()
    app.screen.query_one("#map").focus()
    await pilot.pause()


def test_explorer_root_tree(server: SandboxServer, snap_compare: Callable[..., bool]) -> None:
    creds = Credentials.api_key(server.demo_key)
    app = ExplorerApp(
        target=Target(creds, server.api_url, f"sandbox {creds.masked}"),
        mask_volatile=True,
        clock=lambda: 1000.0,
    )
    assert snap_compare(app, terminal_size=(120, 40), run_before=_settled)
