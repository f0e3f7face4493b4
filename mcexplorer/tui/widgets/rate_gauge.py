"""MailerSend's two throttles at a glance: this minute's rate limit and today's quota.

Shown instead of the slot gauge when a MailerSend profile is active. One row, e.g.
`Rate ■■■■■■■□□□ 42/60 a minute, refills in 18 s   Quota 752/1000 today, resets 00:00 UTC
(in 5 h 12 min)`.
"""

from __future__ import annotations

from collections.abc import Callable, Mapping
from datetime import UTC, datetime
from typing import TYPE_CHECKING, Any

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:  # core.ratelimit is imported on the first reading: not before first paint
    from mcexplorer.core.http.ratelimit import QuotaState, RateLimitState

CELLS = 10


def _now() -> datetime:
    return datetime.now(UTC)


def _style(remaining: int | None, total: int | None) -> str:
    """Green with room to spare, amber under a fifth left, red when nothing is left."""
    if remaining is None:
        return "$text-muted"
    if remaining == 0:
        return "$error"
    if total and remaining < 0.2 * total:
        return "$warning"
    return "$success"


def duration(seconds: float) -> str:
    """18 s, 4 min 05 s, 5 h 12 min: precise when close, coarse when far."""
    whole = int(seconds + 0.999)
    if whole < 60:
        return f"{whole} s"
    minutes, secs = divmod(whole, 60)
    if minutes < 60:
        return f"{minutes} min {secs:02d} s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours} h {minutes:02d} min"


def _bar(remaining: int, total: int) -> Content:
    """Cells for what is left of the allowance (full at the start of a window)."""
    filled = round(CELLS * remaining / total) if total else 0
    if remaining and not filled:
        filled = 1  # something left is never drawn as nothing left
    style = _style(remaining, total)
    return Content.assemble(("■" * filled, style), ("□" * (CELLS - filled), "$text-muted"))


class RateGauge(Widget):
    DEFAULT_CSS = """
    RateGauge {
        height: 1;
        width: 1fr;
        padding: 0 1;
    }
    """

    rate: reactive[RateLimitState | None] = reactive(None)
    quota: reactive[QuotaState | None] = reactive(None)

    def __init__(
        self,
        *,
        clock: Callable[[], datetime] = _now,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._clock = clock

    def on_mount(self) -> None:
        # The countdowns move even when nothing is sent.
        self.set_interval(1.0, self.refresh)

    def observe(self, headers: Mapping[str, str]) -> None:
        """Take the readings of one response; headers it lacks leave the gauge as it was."""
        from mcexplorer.core.http.ratelimit import parse_quota_headers, parse_rate_headers

        now = self._clock()
        rate = parse_rate_headers(headers, now)
        if rate.known:
            self.rate = rate
        quota = parse_quota_headers(headers, now)
        if quota.known:
            self.quota = self.quota.merged(quota) if self.quota else quota

    def observe_quota_document(self, data: Any) -> None:
        """The answer of GET /api-quota, which also gives the day's total."""
        from mcexplorer.core.http.ratelimit import quota_from_document

        quota = quota_from_document(data, self._clock())
        if quota.known:
            self.quota = self.quota.merged(quota) if self.quota else quota

    def rate_text(self) -> str:
        rate, now = self.rate, self._clock()
        if rate is None or not rate.known:
            return "no requests yet"
        count = f"{rate.remaining if rate.remaining is not None else '?'}"
        text = f"{count}/{rate.limit} a minute" if rate.limit is not None else f"{count} left"
        wait = rate.seconds_to_reset(now)
        if wait is not None and wait > 0:
            text += f", refills in {duration(wait)}"
        return text

    def quota_text(self) -> str:
        quota, now = self.quota, self._clock()
        if quota is None or not quota.known:
            return "unknown"
        text = (
            f"{quota.remaining}/{quota.quota} today" if quota.quota else f"{quota.remaining} left"
        )
        if quota.reset_at is not None:
            wait = quota.seconds_to_reset(now) or 0.0
            text += f", resets {quota.reset_at:%H:%M} UTC (in {duration(wait)})"
        return text

    def render(self) -> Content:
        parts: list[str | Content | tuple[str, str]] = [("Rate ", "bold")]
        rate = self.rate
        if rate is not None and rate.remaining is not None and rate.limit:
            parts += [_bar(rate.remaining, rate.limit), " "]
        parts.append((self.rate_text(), _style(rate.remaining if rate else None, None)))
        quota = self.quota
        parts += ["   ", ("Quota ", "bold")]
        remaining = quota.remaining if quota else None
        parts.append((self.quota_text(), _style(remaining, quota.quota if quota else None)))
        return Content.assemble(*parts)
