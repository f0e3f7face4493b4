"""Helpers for the engine's unit tests: a scripted server, a manual clock, a fixed RNG."""

from __future__ import annotations

import random
from collections.abc import Callable
from typing import Any

import httpx

from mcexplorer.core.clock import ManualClock
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.retry import RetryPolicy

BASE = "http://127.0.0.1:9/3.0/"


class HalfRandom(random.Random):
    """uniform(a, b) is always the midpoint, so backoff schedules are exact."""

    def random(self) -> float:
        return 0.5


Step = Callable[[httpx.Request], Any]


def sent_then(exc: Exception) -> Step:
    """Fail after the request headers went out, as httpcore reports it via `trace`."""

    async def step(request: httpx.Request) -> httpx.Response:
        await request.extensions["trace"]("http11.send_request_headers.started", {})
        raise exc

    return step


def refused() -> Step:
    async def step(request: httpx.Request) -> httpx.Response:
        raise httpx.ConnectError("connection refused")

    return step


def answer(status: int, headers: dict[str, str] | None = None, body: Any = None) -> Step:
    async def step(request: httpx.Request) -> httpx.Response:
        await request.extensions["trace"]("http11.send_request_headers.started", {})
        if body is None and status >= 400:
            payload = {"title": "Err", "status": status, "detail": "scripted", "type": ""}
            return httpx.Response(
                status,
                headers={"content-type": "application/problem+json", **(headers or {})},
                json=payload,
            )
        return httpx.Response(status, headers=headers, json=body if body is not None else {})

    return step


class Script:
    """Plays the given steps in order, one per attempt, and records each request."""

    def __init__(self, *steps: Step) -> None:
        self.steps = list(steps)
        self.requests: list[httpx.Request] = []

    async def __call__(self, request: httpx.Request) -> httpx.Response:
        self.requests.append(request)
        result: httpx.Response = await self.steps.pop(0)(request)
        return result


def make_engine(
    script: Script | Callable[[httpx.Request], Any],
    clock: ManualClock | None = None,
    limit: int = 10,
    **policy: Any,
) -> Engine:
    return Engine(
        BASE,
        None,
        limit=limit,
        policy=RetryPolicy(rng=HalfRandom(), **policy),
        clock=clock or ManualClock(),
        transport=httpx.MockTransport(script),
    )
