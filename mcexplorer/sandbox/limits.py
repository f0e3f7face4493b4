"""The simultaneous-request limit and the counters `/_sandbox/stats` reports."""

from __future__ import annotations

import json
from collections import Counter
from dataclasses import dataclass, field
from typing import Any

SLOT_LIMIT = 10  # requests one account may have in progress at once


@dataclass
class Stats:
    requests: int = 0
    in_flight: int = 0
    peak_in_flight: int = 0
    throttled_429: int = 0
    faults: Counter[str] = field(default_factory=Counter)
    writes_applied: int = 0
    writes_repeated: int = 0
    processing_s: float = 0.0  # time spent handling API requests, latency sleeps excluded
    # (method, path, canonical body) of every write applied since the last reset
    _written: set[tuple[str, str, str]] = field(default_factory=set)

    def try_acquire(self) -> bool:
        """Take a slot, or count a throttled request when all are busy."""
        self.requests += 1
        if self.in_flight >= SLOT_LIMIT:
            self.throttled_429 += 1
            return False
        self.in_flight += 1
        self.peak_in_flight = max(self.peak_in_flight, self.in_flight)
        return True

    def release(self) -> None:
        self.in_flight -= 1

    def record_write(self, method: str, path: str, body: Any) -> None:
        self.writes_applied += 1
        key = (method, path, json.dumps(body, sort_keys=True, default=str))
        if key in self._written:
            self.writes_repeated += 1
        else:
            self._written.add(key)

    def reset(self) -> None:
        """Zero every counter; requests still in progress keep their slots."""
        fresh = Stats(in_flight=self.in_flight, peak_in_flight=self.in_flight)
        self.__dict__.update(fresh.__dict__)

    def to_dict(self) -> dict[str, Any]:
        return {
            "requests": self.requests,
            "in_flight": self.in_flight,
            "peak_in_flight": self.peak_in_flight,
            "throttled_429": self.throttled_429,
            "faults": dict(self.faults),
            "writes_applied": self.writes_applied,
            "writes_repeated": self.writes_repeated,
            "processing_ms_total": round(self.processing_s * 1000, 3),
        }
