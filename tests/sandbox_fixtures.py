"""Fixtures for tests that drive a module's `sandbox` fixture from a clean state.

Import them into the test module or conftest that defines `sandbox`.
"""

from __future__ import annotations

from collections.abc import Iterator

import httpx
import pytest

from mcexplorer.sandbox.server import SandboxServer


@pytest.fixture()
def admin(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    """The control routes, with state and counters reset first and faults cleared after."""
    with httpx.Client(base_url=sandbox.url) as client:
        client.post("/_sandbox/reset", json={}).raise_for_status()
        yield client
        client.put("/_sandbox/faults", json={"profile": "none"}).raise_for_status()


@pytest.fixture()
def list_id(sandbox: SandboxServer, admin: httpx.Client) -> str:
    """The first audience of the freshly reset account."""
    with httpx.Client(base_url=sandbox.api_url, auth=("any", sandbox.demo_key)) as api:
        return str(api.get("lists").json()["lists"][0]["id"])
