"""The concurrency cap: a gate that lets at most `limit` requests be on the wire at a time
and keeps everyone else in its own FIFO queue.

Why not httpx.Limits: it caps connections, not requests, and its pool re-scans every
waiter on each release, so thousands of queued requests cost quadratic CPU. The engine
takes a slot with `acquire()` before it hands a request to the transport and `release()`s
it once the answer is read (or the attempt failed); it never sleeps while holding one.

Adaptive: Mailchimp's limit is per account and shared with other apps, so a 429 means
somebody else holds slots. The effective limit then shrinks (x0.7, at least 1) and grows
back by one after each run of `grow_after` answers without a 429, and also by one for each
`recover_s` seconds without a 429: an idle explorer must not stay throttled.
"""

from __future__ import annotations

import asyncio
import math
import time
from collections import deque
from collections.abc import Callable
from dataclasses import dataclass

MAX_LIMIT = 10
SHRINK = 0.7
RECOVER_S = 2.0


@dataclass(frozen=True)
class SlotSnapshot:
    limit: int
    effective_limit: int
    in_flight: int
    queued: int
    peak: int


class SlotGate:
    def __init__(
        self,
        limit: int = MAX_LIMIT,
        *,
        grow_after: int = 10,
        recover_s: float = RECOVER_S,
        monotonic: Callable[[], float] = time.monotonic,
    ) -> None:
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"the slot limit must be between 1 and {MAX_LIMIT}, got {limit}")
        self.limit = limit
        self._effective = limit
        self._grow_after = grow_after
        self._recover_s = recover_s
        self._monotonic = monotonic
        self._last_shrink = 0.0
        self._calm_run = 0
        self._in_flight = 0
        self._peak = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._listeners: list[Callable[[SlotSnapshot], None]] = []

    def snapshot(self) -> SlotSnapshot:
        self._recover()
        return SlotSnapshot(
            limit=self.limit,
            effective_limit=self._effective,
            in_flight=self._in_flight,
            queued=len(self._waiters),
            peak=self._peak,
        )

    def add_listener(self, cb: Callable[[SlotSnapshot], None]) -> None:
        self._listeners.append(cb)

    def remove_listener(self, cb: Callable[[SlotSnapshot], None]) -> None:
        self._listeners.remove(cb)

    def reset_peak(self) -> None:
        self._peak = self._in_flight

    def _notify(self) -> None:
        if self._listeners:
            snap = self.snapshot()
            for cb in list(self._listeners):
                cb(snap)

    def _take(self) -> None:
        self._in_flight += 1
        if self._in_flight > self._peak:
            self._peak = self._in_flight

    def _recover(self) -> None:
        """Time without a 429 gives slots back, one per `recover_s`."""
        if self._effective >= self.limit:
            return
        steps = int((self._monotonic() - self._last_shrink) / self._recover_s)
        if steps > 0:
            self._effective = min(self.limit, self._effective + steps)
            self._last_shrink += steps * self._recover_s
            self._wake()

    async def acquire(self) -> SlotSnapshot:
        """Wait for a slot (FIFO); the caller must `release()` it. Returns the state at the
        moment it was granted."""
        self._recover()
        if self._in_flight < self._effective and not self._waiters:
            self._take()
            self._notify()
            return self.snapshot()
        waiter = asyncio.get_running_loop().create_future()
        self._waiters.append(waiter)
        self._notify()
        try:
            await waiter  # _wake has already counted us in flight when this resolves
        except asyncio.CancelledError:
            if waiter.done() and not waiter.cancelled():
                self.release()  # granted and cancelled in the same tick: hand it back
            elif waiter in self._waiters:
                self._waiters.remove(waiter)
                self._notify()
            raise
        return self.snapshot()

    def _wake(self) -> None:
        while self._waiters and self._in_flight < self._effective:
            waiter = self._waiters.popleft()
            if not waiter.done():
                self._take()
                waiter.set_result(None)

    def release(self) -> None:
        self._in_flight -= 1
        self._recover()
        self._wake()
        self._notify()

    def observe(self, status: int) -> None:
        """Feed an answer's status to the adaptive limit."""
        if status == 429:
            self._effective = max(1, math.floor(self._effective * SHRINK))
            self._last_shrink = self._monotonic()
            self._calm_run = 0
        elif status < 500:
            self._calm_run += 1
            if self._calm_run >= self._grow_after and self._effective < self.limit:
                self._effective += 1
                self._calm_run = 0
                self._wake()
