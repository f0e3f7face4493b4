"""The monkey, headless: seeded runs of everyday keys on the whole app over a real sandbox.

Any exception the app raises fails the test (Pilot re-raises it when the app closes); the
seed in the test id replays the same keys.
"""

from __future__ import annotations

import random
from collections.abc import Iterator
from pathlib import Path

import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.app import ExplorerApp
from tests.tui.waiting import settle_workers

# What people press without thinking; Ctrl+Q is left out (it ends the run early).
EVERYDAY_KEYS = (
    *["up", "down", "left", "right"] * 4,
    *["enter", "tab", "shift+tab", "escape"] * 3,
    *[f"f{n}" for n in range(1, 9)],
    "ctrl+o",
    "ctrl+s",
    "ctrl+r",
    "ctrl+l",
    "alt+left",
    "alt+right",
    "pageup",
    "pagedown",
    "home",
    "end",
    "backspace",
    "space",
    *"aeqrsuvx/1",
)
KEYS_PER_RUN = 200
BURST = 6  # keys sent at once, as fast typing does, before the app catches up
SEEDS = (1, 2, 3)


@pytest.fixture(scope="module")
def server() -> Iterator[SandboxServer]:
    with SandboxServer(seed=0) as running:
        yield running


@pytest.mark.parametrize("seed", SEEDS)
async def test_everyday_keys_never_crash_the_app(
    seed: int, server: SandboxServer, tmp_path: Path
) -> None:
    creds = Credentials.api_key(server.demo_key)
    app = ExplorerApp(
        target=Target(creds, server.api_url, f"sandbox {creds.masked}"),
        collections_dir=tmp_path / "collections",
        environ={},
    )
    rng = random.Random(seed)
    keys = rng.choices(EVERYDAY_KEYS, k=KEYS_PER_RUN)
    async with app.run_test(size=(120, 40)) as pilot:
        sent = 0
        while sent < len(keys):
            burst = rng.randint(1, BURST)
            await pilot.press(*keys[sent : sent + burst])  # waits for the screen once
            sent += burst
            if rng.random() < 0.1:  # now and then let the sends and loads land mid-stream
                await settle_workers(pilot)
        await settle_workers(pilot)
        assert app.is_running, f"seed {seed}: the app stopped"
