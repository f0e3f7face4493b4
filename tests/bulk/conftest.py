"""Bulk work against a sandbox on a real loopback socket; state goes back to the seed per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from mcexplorer.core.engine import Engine
from mcexplorer.core.keys import Credentials
from mcexplorer.core.retry import RetryPolicy
from mcexplorer.sandbox.server import SandboxServer


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=11) as server:
        yield server


@pytest.fixture()
def admin(sandbox: SandboxServer) -> Iterator[httpx.Client]:
    with httpx.Client(base_url=sandbox.url) as client:
        client.post("/_sandbox/reset").raise_for_status()
        yield client
        client.put("/_sandbox/faults", json={"profile": "none"}).raise_for_status()


@pytest.fixture()
def list_id(sandbox: SandboxServer, admin: httpx.Client) -> str:
    with httpx.Client(base_url=sandbox.api_url, auth=("any", sandbox.demo_key)) as api:
        return str(api.get("lists").json()["lists"][0]["id"])


@pytest.fixture()
async def engine(sandbox: SandboxServer, admin: httpx.Client) -> AsyncIterator[Engine]:
    async with Engine(
        sandbox.api_url, Credentials.api_key(sandbox.demo_key), policy=RetryPolicy(base_s=0.01)
    ) as eng:
        yield eng


def stats(admin: httpx.Client) -> dict[str, int]:
    data: dict[str, int] = admin.get("/_sandbox/stats").json()
    return data


def write(path: Path, text: str) -> Path:
    path.write_text(text, encoding="utf-8", newline="")
    return path
