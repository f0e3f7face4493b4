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
