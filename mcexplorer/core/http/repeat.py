"""Send the same request N times, C at a time, and sum up what happened."""

from __future__ import annotations

import asyncio
import math
from collections import Counter
from collections.abc import Callable
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
    concurrency: int
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
    on_outcome: Callable[[Outcome], None] | None = None,
) -> tuple[RepeatSummary, list[Outcome]]:
    """Latency is per logical request: queueing, every attempt and every backoff."""
    if n < 1 or concurrency < 1:
        raise ValueError("repeat count and concurrency must both be at least 1")
    prepared = req if isinstance(req, PreparedRequest) else req.prepare()
    clock = engine.clock
    outcomes: list[Outcome] = []
    latencies: list[float] = []
    remaining = n

    async def worker() -> None:
        nonlocal remaining
        while remaining > 0:
            remaining -= 1
            t = clock.monotonic()
            outcome = await engine.send(prepared)
            latencies.append((clock.monotonic() - t) * 1000.0)
            outcomes.append(outcome)
            if on_outcome is not None:
                on_outcome(outcome)

    engine.slots.reset_peak()
    start = clock.monotonic()
    await asyncio.gather(*(worker() for _ in range(min(concurrency, n))))
    wall = clock.monotonic() - start
    latencies.sort()
    statuses = Counter(_status_key(o) for o in outcomes)
    ok = sum(1 for o in outcomes if o.ok)
    unknown = statuses.get("unknown", 0)
    summary = RepeatSummary(
        sent=n,
        concurrency=concurrency,
        statuses=dict(sorted(statuses.items())),
        ok=ok,
        failed=n - ok - unknown,
        unknown_outcome=unknown,
        retries=sum(o.retries for o in outcomes),
        p50_ms=percentile(latencies, 50),
        p90_ms=percentile(latencies, 90),
        p99_ms=percentile(latencies, 99),
        max_ms=latencies[-1],
        peak_in_flight=engine.snapshot().peak,
        wall_s=wall,
    )
    return summary, outcomes
