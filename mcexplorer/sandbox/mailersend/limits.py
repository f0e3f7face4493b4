"""MailerSend's two throttles: per-minute windows per endpoint class, and a daily quota.

Both read time from an injected wall clock (epoch seconds), so tests can step across a
minute boundary or past midnight UTC without waiting.
"""

from __future__ import annotations

import json
import math
from collections import Counter
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from functools import cache
from typing import Any

from mcexplorer.sandbox.errors import DATA_DIR

GENERAL, EMAIL, BULK = "general", "email", "bulk"


@cache
def sandbox_data() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / "mailersend_sandbox.json").read_text("utf-8"))
    return data


def plan_names() -> list[str]:
    return list(sandbox_data()["plans"])


class UnknownPlan(ValueError):
    pass


@dataclass(frozen=True)
class Plan:
    name: str
    daily_quota: int
    per_minute: dict[str, int]  # endpoint class -> requests per minute

    @classmethod
    def named(cls, name: str | None, *, under_review: bool = False) -> Plan:
        data = sandbox_data()
        name = name or data["default_plan"]
        if name not in data["plans"]:
            raise UnknownPlan(
                f"unknown MailerSend plan {name!r}; known: {', '.join(data['plans'])}"
            )
        plan, minute = data["plans"][name], data["per_minute"]
        per_minute = {
            GENERAL: minute["general"],
            EMAIL: minute["email_under_review"] if under_review else minute["email"],
            BULK: minute["bulk_under_review"] if under_review else plan["bulk_per_minute"],
        }
        return cls(name, plan["daily_quota"], per_minute)


def endpoint_class(method: str, template: str) -> str:
    """Which per-minute allowance a request draws on."""
    if template == "/email" and method == "POST":
        return EMAIL
    if template.startswith("/bulk-email"):
        return BULK
    return GENERAL


def next_midnight(now: float) -> datetime:
    today = datetime.fromtimestamp(now, UTC).replace(hour=0, minute=0, second=0, microsecond=0)
    return today + timedelta(days=1)


def iso_z(moment: datetime) -> str:
    return moment.strftime("%Y-%m-%dT%H:%M:%SZ")


@dataclass(frozen=True)
class WindowCheck:
    allowed: bool
    limit: int
    remaining: int
    reset_epoch: int  # when the current minute window ends
    retry_after_s: int  # whole seconds to that moment, at least 1


class MinuteWindows:
    """Fixed one-minute windows aligned to the clock's minutes, one counter per class."""

    def __init__(self) -> None:
        self._minute: int | None = None
        self._used: Counter[str] = Counter()

    def check(self, cls: str, limit: int, now: float, *, take: bool = True) -> WindowCheck:
        minute = math.floor(now / 60)
        if minute != self._minute:
            self._minute, self._used = minute, Counter()
        end = (minute + 1) * 60
        retry_after = max(1, math.ceil(end - now))
        allowed = self._used[cls] < limit
        if allowed and take:
            self._used[cls] += 1
        return WindowCheck(allowed, limit, max(0, limit - self._used[cls]), end, retry_after)


class DailyQuota:
    """Requests counted per UTC day; the count starts again at midnight UTC."""

    def __init__(self, quota: int) -> None:
        self.quota = quota
        self._day: str | None = None
        self.used = 0

    def _roll(self, now: float) -> None:
        day = datetime.fromtimestamp(now, UTC).date().isoformat()
        if day != self._day:
            self._day, self.used = day, 0

    def remaining(self, now: float) -> int:
        self._roll(now)
        return max(0, self.quota - self.used)

    def try_take(self, now: float) -> bool:
        if self.remaining(now) == 0:
            return False
        self.used += 1
        return True

    def give_back(self, now: float) -> None:
        """Return today's unit of a request that turned out not to count."""
        self._roll(now)
        self.used = max(0, self.used - 1)
