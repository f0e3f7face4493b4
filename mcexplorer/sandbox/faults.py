"""Fault injection: latency, transient 5xx, resets, the edge firewall, the CDN, TLS.

All randomness comes from one `random.Random` seeded by the server, so a run
with the same seed and the same request order sees the same faults.
"""

from __future__ import annotations

import random
from dataclasses import asdict, dataclass, field, fields
from typing import Any

FAULT_KINDS = ("500", "502", "503", "503-retry-after", "504", "reset", "cdn-502")
# Faults decided before processing: nothing is applied.
BEFORE_PROCESSING = frozenset({"503", "503-retry-after"})


class FaultConfigError(ValueError):
    pass


@dataclass
class FaultConfig:
    # Every request waits latency_ms plus, when jitter is set, a lognormal tail
    # scaled by latency_jitter_ms (mostly small, sometimes several times larger).
    latency_ms: float = 0.0
    latency_jitter_ms: float = 0.0
    rates: dict[str, float] = field(default_factory=dict)  # FAULT_KINDS -> probability
    retry_after_s: float = 1
    firewall: bool = False  # block every API request with the edge firewall's HTML page
    firewall_after_404s: int | None = None  # ...or once this many 404s came in a row
    require_tls: bool = False  # answer 426, as the API does for plain HTTP
    timeout_s: float = 120.0  # a request taking longer gets 504 at this point

    def __post_init__(self) -> None:
        unknown = sorted(set(self.rates) - set(FAULT_KINDS))
        if unknown:
            raise FaultConfigError(
                f"unknown fault kind(s) {unknown}; known: {', '.join(FAULT_KINDS)}"
            )
        if any(not 0.0 <= r <= 1.0 for r in self.rates.values()):
            raise FaultConfigError("fault rates are probabilities between 0 and 1")
        if sum(self.rates.values()) > 1.0 + 1e-9:
            raise FaultConfigError("fault rates add up to more than 1")
        if self.latency_ms < 0 or self.latency_jitter_ms < 0 or self.timeout_s <= 0:
            raise FaultConfigError("latencies must be >= 0 and timeout_s > 0")
        if self.firewall_after_404s is not None and self.firewall_after_404s < 1:
            raise FaultConfigError("firewall_after_404s must be at least 1")

    @classmethod
    def profile(cls, name: str) -> FaultConfig:
        try:
            return cls(**PROFILES[name])
        except KeyError:
            raise FaultConfigError(
                f"unknown fault profile {name!r}; known: {', '.join(PROFILES)}"
            ) from None

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> FaultConfig:
        """A profile ({"profile": name}, optionally with overrides) or plain fields."""
        data = dict(data)
        base = asdict(cls.profile(data.pop("profile"))) if "profile" in data else {}
        known = {f.name for f in fields(cls)}
        unknown = sorted(set(data) - known)
        if unknown:
            raise FaultConfigError(f"unknown field(s) {unknown}; known: {', '.join(sorted(known))}")
        try:
            return cls(**{**base, **data})
        except TypeError as exc:
            raise FaultConfigError(str(exc)) from None

    def to_dict(self) -> dict[str, Any]:
        return asdict(self)

    def delay_s(self, rng: random.Random) -> float:
        jitter = (
            self.latency_jitter_ms * rng.lognormvariate(0.0, 0.75) if self.latency_jitter_ms else 0
        )
        return (self.latency_ms + jitter) / 1000.0

    def draw(self, rng: random.Random) -> str | None:
        """The fault for this request, if any (one draw per request)."""
        if not self.rates:
            return None
        u = rng.random()
        for kind in FAULT_KINDS:
            u -= self.rates.get(kind, 0.0)
            if u < 0:
                return kind
        return None


PROFILES: dict[str, dict[str, Any]] = {
    "none": {},
    "flaky": {
        "latency_ms": 10,
        "rates": {"503": 0.04, "503-retry-after": 0.02, "500": 0.01, "502": 0.01, "reset": 0.01},
    },
    "realistic": {
        "latency_ms": 120,
        "latency_jitter_ms": 60,
        "rates": {"503": 0.005, "500": 0.002, "502": 0.002, "504": 0.001, "reset": 0.001},
    },
    "outage": {"rates": {"503": 0.5, "503-retry-after": 0.5}, "retry_after_s": 2},
    "firewall": {"firewall_after_404s": 10},
    "cdn": {"latency_ms": 20, "rates": {"cdn-502": 0.2}},
    "tls": {"require_tls": True},
}
