"""Sandbox servers on real loopback sockets, started once per module."""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mcexplorer.sandbox.server import SandboxServer


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=7) as server:
        yield server


@pytest.fixture()
def api(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """A client of the module's sandbox, authenticated with the demo key (HTTP Basic)."""
    with httpx.Client(base_url=sandbox.api_url, auth=("any", sandbox.demo_key)) as client:
        yield client


@pytest.fixture()
def admin(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """The sandbox's control routes; faults go back to none after the test."""
    with httpx.Client(base_url=sandbox.url) as client:
        yield client
        client.put("/_sandbox/faults", json={"profile": "none"}).raise_for_status()


@pytest.fixture()
def sandbox_url(sandbox: SandboxServer) -> str:
    return sandbox.api_url


class StepClock:
    """A monotonic clock that moves only when a test says so."""

    def __init__(self) -> None:
        self.now = 1000.0

    def __call__(self) -> float:
        return self.now


@pytest.fixture()
def clock(sandbox: SandboxServer) -> Iterator[StepClock]:
    """The module sandbox's store runs on a StepClock for the test."""
    store = sandbox.app.store
    original, store.clock = store.clock, StepClock()
    yield store.clock  # type: ignore[misc]
    store.clock = original
