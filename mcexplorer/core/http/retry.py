"""When to try again, and after how long.

The decision depends on the failure's phase, not on the method alone: a request that
never reached the server (connect error, 429 at the door, 503 with Retry-After) can be
repeated whatever its method; a POST or PATCH that may have been applied (500/502/504,
a timeout or reset after it was sent) is never repeated blindly.
"""

from __future__ import annotations

import random
from dataclasses import dataclass, field
from enum import StrEnum

IDEMPOTENT = frozenset({"GET", "HEAD", "OPTIONS", "PUT", "DELETE"})
TRANSIENT_STATUSES = frozenset({500, 502, 503, 504})
THROTTLE_STATUS = 429


class Failure(StrEnum):
    """How an attempt went wrong when no response came back."""

    CONNECT = "connect"  # never reached the server
    TIMEOUT = "timeout"
    RESET = "reset"  # the connection dropped mid-exchange
    LOCAL = "local"  # could not be sent from here (e.g. TLS setup): repeating would not help


@dataclass(frozen=True)
class Verdict:
    retry: bool
    reason: str
    throttled: bool = False  # a 429: shrink the slots, use the throttle base delay
    unknown: bool = False  # the server may have applied the request
    waits_for_reset: bool = False  # a used-up daily quota: no retry succeeds before it refills


def decide(
    method: str,
    *,
    status: int | None = None,
    failure: Failure | None = None,
    sent: bool = True,
    retry_after_s: float | None = None,
    quota_reset: str | None = None,
) -> Verdict:
    """Classify one attempt: success/permanent errors end, the rest may retry.

    `quota_reset` is set when a 429 comes from a daily quota (MailerSend) rather than a
    per-minute limit: its short Retry-After only leads to the same 429 until the reset.
    """
    idempotent = method.upper() in IDEMPOTENT
    if status is not None:
        if status == THROTTLE_STATUS and quota_reset is not None:
            return Verdict(
                False,
                f"429: the daily quota is used up; not retried before it refills at {quota_reset}",
                waits_for_reset=True,
            )
        if status == THROTTLE_STATUS:
            return Verdict(True, "429: rejected before processing", throttled=True)
        if status == 503 and retry_after_s is not None:
            return Verdict(True, "503 with Retry-After: not applied")
        if status in TRANSIENT_STATUSES:
            if idempotent:
                return Verdict(True, f"{status}: transient server error")
            return Verdict(
                False,
                f"outcome unknown: {method.upper()} got {status} after it was sent; "
                "not repeated because it may have been applied",
                unknown=True,
            )
        return Verdict(False, f"{status}: final")
    if failure is Failure.LOCAL:
        return Verdict(False, "local error: the request could not be sent from here")
    if failure is Failure.CONNECT or not sent:
        return Verdict(True, f"{(failure or Failure.CONNECT).value} error before sending")
    if idempotent:
        return Verdict(True, f"{failure.value if failure else 'error'} after sending")
    return Verdict(
        False,
        f"outcome unknown: {method.upper()} hit a {failure.value if failure else 'failure'} "
        "after it was sent; not repeated because it may have been applied",
        unknown=True,
    )


@dataclass
class RetryBudget:
    """A token bucket shared by all requests of an engine, so an outage cannot become a
    retry storm: each retry pays, each clean success refunds a little."""

    capacity: float = 500.0
    throttle_cost: float = 5.0
    transient_cost: float = 10.0
    refund: float = 1.0
    tokens: float = field(init=False)

    def __post_init__(self) -> None:
        self.tokens = self.capacity

    def try_spend(self, throttled: bool) -> bool:
        cost = self.throttle_cost if throttled else self.transient_cost
        if self.tokens < cost:
            return False
        self.tokens -= cost
        return True

    def credit(self) -> None:
        self.tokens = min(self.capacity, self.tokens + self.refund)


@dataclass
class RetryPolicy:
    """Capped full-jitter backoff: delay = uniform(0, min(cap, base * 2**(retry-1))).

    Retry-After is a floor under the jittered delay. A run ends at max_attempts, at the
    deadline (measured from the first attempt), or when the budget cannot pay.
    """

    max_attempts: int = 5
    deadline_s: float = 120.0
    # Transient 5xx and connection errors: a lone 503 is usually gone on the next try, and
    # at the end of a bulk run the retry's wait is pure tail, so start small (mean 50 ms).
    base_s: float = 0.1
    throttle_base_s: float = 1.0  # 429s: the account's slots are busy
    cap_s: float = 30.0
    budget: RetryBudget = field(default_factory=RetryBudget)
    rng: random.Random = field(default_factory=random.Random)

    def __post_init__(self) -> None:
        if self.max_attempts < 1:
            raise ValueError("max_attempts must be at least 1")

    def delay(self, retry: int, *, throttled: bool, retry_after_s: float | None) -> float:
        """Seconds to wait before retry number `retry` (1 for the first retry)."""
        base = self.throttle_base_s if throttled else self.base_s
        jittered = self.rng.uniform(0.0, min(self.cap_s, base * 2 ** (retry - 1)))
        return max(jittered, retry_after_s) if retry_after_s is not None else jittered
