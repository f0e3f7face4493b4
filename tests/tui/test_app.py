"""How the app connects: the embedded sandbox, or the first-run screen without a profile."""

from __future__ import annotations

import contextlib

import httpx
import pytest
from textual.pilot import Pilot
from textual.worker import WorkerCancelled

from mcexplorer.tui.app import ExplorerApp
from mcexplorer.tui.screens.first_run import FirstRunScreen
from mcexplorer.tui.widgets.header import AccountHeader
from mcexplorer.tui.widgets.resource_map import ResourceMap


async def _settle(pilot: Pilot[None]) -> None:
    for _ in range(4):
        await pilot.pause(0.05)
        with contextlib.suppress(WorkerCancelled):
            await pilot.app.workers.wait_for_complete()


async def test_sandbox_mode_starts_the_server_and_connects_with_a_masked_key() -> None:
    app = ExplorerApp(sandbox=True, environ={})
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        assert app.server is not None
        server = app.server
        assert server.url.startswith("http://127.0.0.1:")
        header = app.explorer.query_one(AccountHeader)
        assert header.healthy is True and header.role == "owner"
        assert header.profile.startswith("sandbox …") and server.demo_key not in header.profile
        assert "lists" in [str(n.label) for n in app.explorer.query_one(ResourceMap).root.children]
    # Quitting the app stops the embedded server: its port no longer answers.
    with pytest.raises(httpx.ConnectError):
        httpx.get(server.url + "/_sandbox/stats", timeout=2)


async def test_no_profile_shows_first_run_and_the_sandbox_choice_connects() -> None:
    app = ExplorerApp(environ={})  # isolated config dirs (conftest): no profile saved
    async with app.run_test(size=(120, 40)) as pilot:
        await _settle(pilot)
        assert isinstance(app.screen, FirstRunScreen)
        await pilot.press("s")
        await _settle(pilot)
        assert app.screen is app.explorer
        assert app.server is not None
        assert app.explorer.query_one(AccountHeader).healthy is True
