"""Bulk work against a sandbox on a real loopback socket; state goes back to the seed per test."""

from __future__ import annotations

from collections.abc import AsyncIterator, Iterator
from pathlib import Path

import httpx
import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.retry import RetryPolicy
from mcexplorer.sandbox.server import SandboxServer
from tests import sandbox_fixtures

# Shared fixtures: a reset sandbox and its first audience.
admin = sandbox_fixtures.admin
list_id = sandbox_fixtures.list_id


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=11) as server:
        yield server


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
