"""Send the same request N times, C at a time, and sum up what happened.

Only what the summary needs is kept per request (a latency, a status, a retry count), so
thousands of repeats of a large answer do not pile up in memory; outcomes go to a callback
as they come, and only the last `keep` of them are returned.
"""

from __future__ import annotations

import asyncio
import math
from collections import Counter, deque
from collections.abc import Awaitable, Callable
from dataclasses import asdict, dataclass
from typing import Any

from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest, PreparedRequest


def percentile(sorted_values: list[float], pct: float) -> float:
    """Nearest-rank percentile of an already sorted list (0.0 for an empty one)."""
    if not sorted_values:
        return 0.0
    rank = max(1, math.ceil(pct / 100.0 * len(sorted_values)))
    return sorted_values[rank - 1]


@dataclass(frozen=True)
class RepeatSummary:
    sent: int
    concurrency: int  # workers asked for
    in_flight_cap: int  # what the slots let through at once: min(concurrency, slot limit)
    statuses: dict[str, int]  # "200": 98, "unknown": 1, "transport": 1
    ok: int
    failed: int
    unknown_outcome: int
    retries: int
    p50_ms: float
    p90_ms: float
    p99_ms: float
    max_ms: float
    peak_in_flight: int
    wall_s: float

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)


def _status_key(outcome: Outcome) -> str:
    if outcome.unknown_outcome:
        return "unknown"
    return str(outcome.status) if outcome.status is not None else "transport"


async def repeat(
    engine: Engine,
    req: ApiRequest | PreparedRequest,
    n: int,
    concurrency: int,
    *,
    on_outcome: Callable[[Outcome], Awaitable[None]] | None = None,
    keep: int | None = None,
) -> tuple[RepeatSummary, list[Outcome]]:
    """Latency is per logical request: queueing, every attempt and every backoff. The list
    holds the last `keep` outcomes (all of them when None)."""
    if n < 1 or concurrency < 1:
        raise ValueError("repeat count and concurrency must both be at least 1")
    prepared = req if isinstance(req, PreparedRequest) else req.prepare()
    clock = engine.clock
    kept: deque[Outcome] = deque(maxlen=keep)
    latencies: list[float] = []
    statuses: Counter[str] = Counter()
    counts = {"ok": 0, "retries": 0}
    remaining = n

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            t = clock.monotonic()
            outcome = await engine.send(prepared)
            latencies.append((clock.monotonic() - t) * 1000.0)
            statuses[_status_key(outcome)] += 1
            counts["ok"] += outcome.ok
            counts["retries"] += outcome.retries
            if keep != 0:
                kept.append(outcome)
            if on_outcome is not None:
                await on_outcome(outcome)  # it may hold the run back (history's disk)

    engine.slots.reset_peak()
    start = clock.monotonic()
    await asyncio.gather(*(worker() for _ in range(min(concurrency, n))))
    wall = clock.monotonic() - start
    latencies.sort()
    ok = counts["ok"]
    unknown = statuses.get("unknown", 0)
    summary = RepeatSummary(
        sent=n,
        concurrency=concurrency,
        in_flight_cap=min(concurrency, engine.slots.limit),
        statuses=dict(sorted(statuses.items())),
        ok=ok,
        failed=n - ok - unknown,
        unknown_outcome=unknown,
        retries=counts["retries"],
        p50_ms=percentile(latencies, 50),
        p90_ms=percentile(latencies, 90),
        p99_ms=percentile(latencies, 99),
        max_ms=latencies[-1],
        peak_in_flight=engine.snapshot().peak,
        wall_s=wall,
    )
    return summary, list(kept)
