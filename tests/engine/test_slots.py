"""Slot accounting: the cap, the queue, release on close or failure, adaptive limit."""

from __future__ import annotations

import asyncio

import httpx
import pytest

from mcexplorer.core.clock import ManualClock
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.slots import SlotGate, SlotSnapshot
from tests.engine.conftest import Script, answer, make_engine


class Gate:
    """A server whose answers wait until released, recording how many were held at once."""

    def __init__(self, status: int = 200) -> None:
        self.status = status
        self.open = asyncio.Event()
        self.active = 0
        self.peak = 0

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.active += 1
        self.peak = max(self.peak, self.active)
        await self.open.wait()
        self.active -= 1
        return httpx.Response(self.status, json={})


async def test_never_more_than_limit_in_flight_and_the_rest_queue() -> None:
    gate = Gate()
    engine = make_engine(gate, limit=3)
    tasks = [asyncio.create_task(engine.send(ApiRequest())) for _ in range(12)]
    for _ in range(5):
        await asyncio.sleep(0)
    snap = engine.snapshot()
    assert (snap.in_flight, snap.queued, snap.limit) == (3, 9, 3)
    gate.open.set()
    outcomes = await asyncio.gather(*tasks)
    assert all(o.ok for o in outcomes) and gate.peak == 3
    assert engine.snapshot() == SlotSnapshot(3, 3, 0, 0, 3)


async def test_slot_released_when_the_attempt_fails() -> None:
    def boom(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("refused")

    engine = make_engine(boom, max_attempts=2, limit=1)
    outcome = await engine.send(ApiRequest())
    assert outcome.status is None and engine.snapshot().in_flight == 0


async def test_no_slot_is_held_during_a_backoff_sleep() -> None:
    seen: list[int] = []

    class WatchingClock(ManualClock):
        async def sleep(self, seconds: float) -> None:
            seen.append(engine.snapshot().in_flight)
            await super().sleep(seconds)

    engine = make_engine(Script(answer(503), answer(503), answer(200)), WatchingClock(), limit=1)
    assert (await engine.send(ApiRequest())).ok
    assert seen == [0, 0]


async def test_a_cancelled_waiter_leaves_the_queue() -> None:
    gate = Gate()
    engine = make_engine(gate, limit=1)
    first = asyncio.create_task(engine.send(ApiRequest()))
    second = asyncio.create_task(engine.send(ApiRequest()))
    for _ in range(5):
        await asyncio.sleep(0)
    assert engine.snapshot().queued == 1
    second.cancel()
    with pytest.raises(asyncio.CancelledError):
        await second
    assert engine.snapshot().queued == 0
    gate.open.set()
    assert (await first).ok and engine.snapshot().in_flight == 0


async def test_429_shrinks_the_effective_limit_and_calm_grows_it_back() -> None:
    gate = SlotGate(10, grow_after=10, monotonic=ManualClock().monotonic)
    gate.observe(429)
    assert gate.snapshot().effective_limit == 7  # floor(10 * 0.7)
    gate.observe(429)
    assert gate.snapshot().effective_limit == 4  # floor(7 * 0.7)
    for _ in range(10):
        gate.observe(200)
    assert gate.snapshot().effective_limit == 5
    for _ in range(20):
        gate.observe(200)
    assert gate.snapshot().effective_limit == 7


def test_shrink_never_goes_below_one() -> None:
    gate = SlotGate(2, monotonic=ManualClock().monotonic)
    for _ in range(4):
        gate.observe(429)
    assert gate.snapshot().effective_limit == 1


def test_an_idle_gate_recovers_its_limit_with_time() -> None:
    clock = ManualClock()
    gate = SlotGate(10, recover_s=2.0, monotonic=clock.monotonic)
    for _ in range(3):
        gate.observe(429)
    assert gate.snapshot().effective_limit == 2  # 10 -> 7 -> 4 -> 2
    clock.advance(1.9)
    assert gate.snapshot().effective_limit == 2
    clock.advance(0.2)
    assert gate.snapshot().effective_limit == 3
    clock.advance(60)
    assert gate.snapshot().effective_limit == 10


async def test_recovery_with_time_lets_queued_requests_through() -> None:
    clock = ManualClock()
    gate = SlotGate(2, recover_s=2.0, monotonic=clock.monotonic)
    gate.observe(429)  # effective 1
    await gate.acquire()
    waiting = asyncio.create_task(gate.acquire())
    await asyncio.sleep(0)
    assert gate.snapshot().queued == 1
    clock.advance(2.0)
    gate.snapshot()  # any look at the gate applies the recovery
    await asyncio.wait_for(waiting, 1)
    assert gate.snapshot().in_flight == 2


async def test_a_reproduced_429_leaves_the_limit_alone() -> None:
    engine = make_engine(Script(answer(429), answer(429)), max_attempts=1)
    await engine.send(ApiRequest(headers={"X-Trigger-Error": "TooManyRequests"}))
    assert engine.snapshot().effective_limit == 10
    await engine.send(ApiRequest())
    assert engine.snapshot().effective_limit == 7


async def test_listeners_see_every_change() -> None:
    snaps: list[SlotSnapshot] = []
    engine = make_engine(Script(answer(200)), limit=2)
    engine.slots.add_listener(snaps.append)
    await engine.send(ApiRequest())
    assert [s.in_flight for s in snaps] == [1, 0]


def test_limit_outside_1_to_10_is_refused() -> None:
    with pytest.raises(ValueError, match="between 1 and 10"):
        SlotGate(11)
