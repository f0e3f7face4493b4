"""The concurrency cap: a transport wrapper that hands the HTTP client at most `limit`
requests at a time and keeps everyone else in its own FIFO queue.

Why not httpx.Limits: it caps connections, not requests, and its pool re-scans every
waiter on each release, so thousands of queued requests cost quadratic CPU. A slot is
held from the moment the request goes to the inner transport until its response body is
closed (or the attempt fails); the engine never sleeps while holding one. The engine
takes slots itself with `acquire()`/`release()` around its own exchange (no httpx
request objects on its path); as an httpx transport, this wrapper does the same.

Adaptive: Mailchimp's limit is per account and shared with other apps, so a 429 means
somebody else holds slots. The effective limit then shrinks (x0.7, at least 1) and grows
back by one after each run of `grow_after` answers without a 429.
"""

from __future__ import annotations

import asyncio
import math
from collections import deque
from collections.abc import AsyncIterator, Callable
from dataclasses import dataclass

import httpx

MAX_LIMIT = 10
SHRINK = 0.7


@dataclass(frozen=True)
class SlotSnapshot:
    limit: int
    effective_limit: int
    in_flight: int
    queued: int
    peak: int


class _SlotStream(httpx.AsyncByteStream):
    """Passes the body through and frees the slot when the body is closed."""

    def __init__(self, inner: httpx.AsyncByteStream, release: Callable[[], None]) -> None:
        self._inner = inner
        self._release: Callable[[], None] | None = release

    def __aiter__(self) -> AsyncIterator[bytes]:
        return self._inner.__aiter__()  # no generator layer of our own: this runs per chunk

    async def aclose(self) -> None:
        try:
            await self._inner.aclose()
        finally:
            if self._release is not None:
                release, self._release = self._release, None
                release()


class SlotTransport(httpx.AsyncBaseTransport):
    def __init__(
        self, inner: httpx.AsyncBaseTransport, limit: int = MAX_LIMIT, *, grow_after: int = 10
    ) -> None:
        if not 1 <= limit <= MAX_LIMIT:
            raise ValueError(f"the slot limit must be between 1 and {MAX_LIMIT}, got {limit}")
        self._inner = inner
        self.limit = limit
        self._effective = limit
        self._grow_after = grow_after
        self._calm_run = 0
        self._in_flight = 0
        self._peak = 0
        self._waiters: deque[asyncio.Future[None]] = deque()
        self._listeners: list[Callable[[SlotSnapshot], None]] = []

    def snapshot(self) -> SlotSnapshot:
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

    async def acquire(self) -> SlotSnapshot:
        """Wait for a slot (FIFO); the caller must `release()` it. Returns the state at the
        moment it was granted."""
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
        self._wake()
        self._notify()

    def observe(self, status: int) -> None:
        """Feed every answer's status to the adaptive limit."""
        if status == 429:
            self._effective = max(1, math.floor(self._effective * SHRINK))
            self._calm_run = 0
        elif status < 500:
            self._calm_run += 1
            if self._calm_run >= self._grow_after and self._effective < self.limit:
                self._effective += 1
                self._calm_run = 0
                self._wake()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        await self.acquire()
        try:
            response = await self._inner.handle_async_request(request)
        except BaseException:
            self.release()
            raise
        self.observe(response.status_code)
        if response.is_closed:  # a body given up front (already read): nothing left to wait for
            self.release()
        else:
            assert isinstance(response.stream, httpx.AsyncByteStream)
            response.stream = _SlotStream(response.stream, self.release)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()
