"""The 10-slot limit under a burst of 50 concurrent requests with latency."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator

import httpx
import pytest

from mcexplorer.sandbox.faults import FaultConfig
from mcexplorer.sandbox.limits import SLOT_LIMIT
from mcexplorer.sandbox.server import SandboxServer


@pytest.fixture(scope="module")
def slow_sandbox() -> Iterator[SandboxServer]:
    # Long enough that all 50 requests overlap even on a busy 2-core machine.
    with SandboxServer(seed=3, faults=FaultConfig(latency_ms=800)) as server:
        yield server


async def test_burst_of_50_is_capped_at_10(slow_sandbox: SandboxServer) -> None:
    limits = httpx.Limits(max_connections=60, max_keepalive_connections=60)
    async with httpx.AsyncClient(
        base_url=slow_sandbox.api_url, auth=("any", slow_sandbox.demo_key), limits=limits
    ) as client:
        responses = await asyncio.gather(*(client.get("ping") for _ in range(50)))
    statuses = [r.status_code for r in responses]
    throttled = [r for r in responses if r.status_code == 429]
    assert set(statuses) <= {200, 429}
    assert statuses.count(200) >= SLOT_LIMIT
    assert throttled, "a burst of 50 must overflow 10 slots"
    assert all(r.json()["title"] == "Too Many Requests" for r in throttled)
    assert all(r.headers["content-type"].startswith("application/problem+json") for r in throttled)
    stats = httpx.get(slow_sandbox.url + "/_sandbox/stats").json()
    assert stats["peak_in_flight"] == SLOT_LIMIT
    assert stats["throttled_429"] == len(throttled)
    assert stats["requests"] == 50
    assert stats["in_flight"] == 0


def test_admin_is_outside_the_limit(slow_sandbox: SandboxServer) -> None:
    async def scenario() -> tuple[int, int]:
        async with httpx.AsyncClient(
            base_url=slow_sandbox.api_url, auth=("any", slow_sandbox.demo_key)
        ) as client:
            busy = [asyncio.create_task(client.get("ping")) for _ in range(SLOT_LIMIT)]
            while httpx.get(slow_sandbox.url + "/_sandbox/stats").json()["in_flight"] < 10:
                await asyncio.sleep(0.01)
            # all slots are taken, yet admin answers at once
            admin = httpx.get(slow_sandbox.url + "/_sandbox/stats")
            extra = await client.get("ping")
            await asyncio.gather(*busy)
            return admin.status_code, extra.status_code

    assert asyncio.run(scenario()) == (200, 429)
