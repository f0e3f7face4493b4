"""MailerSend's throttle headers, read into state the gauges show and the retry rules use.

Two separate limits: a per-minute rate limit per endpoint class (`x-ratelimit-limit`,
`x-ratelimit-remaining`, and on a 429 `retry-after`, sometimes `x-ratelimit-reset` as epoch
seconds), and a daily request quota (`x-apiquota-remaining`, `x-apiquota-reset`: the next
midnight UTC). Headers come from servers we do not control, so anything missing or
malformed reads as unknown (None), never as an error.
"""

from __future__ import annotations

import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from typing import Any

from mcexplorer.core.problems.problem import parse_retry_after

DAILY_QUOTA_CODE = "MS42901"
_COUNT_RE = re.compile(r"^\d{1,12}$")
_EPOCH_RE = re.compile(r"^\d{1,12}(\.\d{1,6})?$")
_ISO_CAP = 64


def _lower(headers: Mapping[str, str]) -> dict[str, str]:
    return {str(k).lower(): str(v).strip() for k, v in headers.items()}


def _count(value: str | None) -> int | None:
    return int(value) if value is not None and _COUNT_RE.match(value) else None


def _epoch(value: str | None) -> datetime | None:
    if value is None or not _EPOCH_RE.match(value):
        return None
    try:
        return datetime.fromtimestamp(float(value), UTC)
    except (OverflowError, OSError, ValueError):
        return None


def parse_instant(value: str | None) -> datetime | None:
    """An ISO-8601 time such as 2024-07-07T00:00:00Z; a time without a zone is UTC."""
    if not value or len(value) > _ISO_CAP:
        return None
    try:
        moment = datetime.fromisoformat(value.strip())
    except ValueError:
        return None
    return moment.replace(tzinfo=UTC) if moment.tzinfo is None else moment.astimezone(UTC)


def next_midnight_utc(now: datetime) -> datetime:
    day = now.astimezone(UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return day + timedelta(days=1)


def _seconds_until(moment: datetime | None, now: datetime) -> float | None:
    return None if moment is None else max(0.0, (moment - now).total_seconds())


@dataclass(frozen=True)
class RateLimitState:
    """The per-minute window of the endpoint class the last response belonged to."""

    limit: int | None = None
    remaining: int | None = None
    reset_at: datetime | None = None  # when the window refills, when the server said
    retry_after_s: float | None = None
    observed_at: datetime | None = None

    @property
    def known(self) -> bool:
        return self.limit is not None or self.remaining is not None

    @property
    def exhausted(self) -> bool:
        return self.remaining == 0

    def seconds_to_reset(self, now: datetime) -> float | None:
        return _seconds_until(self.reset_at, now)


@dataclass(frozen=True)
class QuotaState:
    """The account's daily request quota."""

    remaining: int | None = None
    reset_at: datetime | None = None
    quota: int | None = None  # the day's total; only GET /api-quota reports it

    @property
    def known(self) -> bool:
        return self.remaining is not None

    @property
    def exhausted(self) -> bool:
        return self.remaining == 0

    def seconds_to_reset(self, now: datetime) -> float | None:
        return _seconds_until(self.reset_at, now)

    def merged(self, newer: QuotaState) -> QuotaState:
        """Newer readings win; the total survives responses that do not carry it."""
        if not newer.known:
            return self
        return QuotaState(
            newer.remaining, newer.reset_at or self.reset_at, newer.quota or self.quota
        )


def parse_rate_headers(headers: Mapping[str, str], now: datetime) -> RateLimitState:
    head = _lower(headers)
    retry_after = parse_retry_after(head.get("retry-after"), now=now)
    reset_at = _epoch(head.get("x-ratelimit-reset"))
    if reset_at is None and retry_after is not None:
        reset_at = now + timedelta(seconds=retry_after)
    return RateLimitState(
        limit=_count(head.get("x-ratelimit-limit")),
        remaining=_count(head.get("x-ratelimit-remaining")),
        reset_at=reset_at,
        retry_after_s=retry_after,
        observed_at=now,
    )


def parse_quota_headers(headers: Mapping[str, str], now: datetime) -> QuotaState:
    """The quota headers; a known count without a readable reset refills at midnight UTC."""
    head = _lower(headers)
    remaining = _count(head.get("x-apiquota-remaining"))
    reset_at = parse_instant(head.get("x-apiquota-reset"))
    if reset_at is None and remaining is not None:
        reset_at = next_midnight_utc(now)
    return QuotaState(remaining=remaining, reset_at=reset_at)


def quota_from_document(data: Any, now: datetime) -> QuotaState:
    """The body of GET /api-quota: {"quota": 1000, "remaining": 752, "reset": "...Z"}."""
    if not isinstance(data, Mapping):
        return QuotaState()

    def number(name: str) -> int | None:
        value = data.get(name)
        ok = isinstance(value, int) and not isinstance(value, bool) and value >= 0
        return value if ok else None

    reset = data.get("reset")
    reset_at = parse_instant(reset) if isinstance(reset, str) else None
    remaining = number("remaining")
    if reset_at is None and remaining is not None:
        reset_at = next_midnight_utc(now)
    return QuotaState(remaining=remaining, reset_at=reset_at, quota=number("quota"))


def daily_quota_block(
    status: int | None, headers: Mapping[str, str], body: bytes, now: datetime
) -> QuotaState | None:
    """The quota state when a 429 is the daily quota (not the per-minute limit), else None.

    A daily-quota 429 may still carry a short retry-after for the minute window; waiting
    that long does not help, only the reset at midnight UTC does.
    """
    if status != 429:
        return None
    quota = parse_quota_headers(headers, now)
    if quota.exhausted or DAILY_QUOTA_CODE.encode() in body[:4096]:
        if quota.reset_at is None:
            quota = QuotaState(0, next_midnight_utc(now), quota.quota)
        return quota
    return None


def daily_quota_reset(
    status: int | None, headers: Mapping[str, str], body: bytes, now: datetime
) -> str | None:
    """For a daily-quota 429, when the quota refills (ISO 8601, UTC); otherwise None."""
    block = daily_quota_block(status, headers, body, now)
    if block is None or block.reset_at is None:
        return None
    return f"{block.reset_at:%Y-%m-%dT%H:%M:%SZ}"
