"""The engine against the MailerSend sandbox on a real socket: a per-minute 429 is retried
after retry-after; a daily-quota 429 is not retried before midnight UTC, and says so."""

from __future__ import annotations

import random

import httpx

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.clock import ManualClock
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.events import EventKind
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.retry import RetryPolicy, decide
from mcexplorer.core.problems.glossary import Glossary
from tests.mailersend.conftest import MIDNIGHT_ISO, START, MailerSend

EMAIL = {
    "from": {"email": "news@demo.example.com"},
    "to": [{"email": "reader@example.net"}],
    "subject": "Hello",
    "text": "Plain text body.",
}


def engine_for(ms: MailerSend, clock: ManualClock) -> Engine:
    policy = RetryPolicy(rng=random.Random(11))
    return Engine(ms.server.api_url, Credentials.mailersend(ms.token), policy=policy, clock=clock)


def use_up_the_daily_quota(ms: MailerSend) -> None:
    """The free plan's 100 requests, in two minutes of 50 (the general limit is 60)."""
    with ms.client() as api:
        for window in range(2):
            ms.clock.advance(60 * window)
            for _ in range(50):
                api.get("domains").raise_for_status()


async def test_a_per_minute_429_is_retried_once_retry_after_has_passed(ms: MailerSend) -> None:
    ms.settings(under_review=True)  # bulk email drops to one a minute
    clock = ManualClock(start=0.0)
    # The sandbox's wall clock follows the engine's, so a backoff sleep moves both.
    ms.app.clock = lambda: START + clock.monotonic()
    bulk = ApiRequest("POST", "/bulk-email", body=[EMAIL])
    async with engine_for(ms, clock) as engine:
        first = await engine.send(bulk)
        second = await engine.send(bulk)
    assert first.status == 202
    assert second.ok and second.status == 202 and second.retries == 1
    statuses = [e.status for e in second.attempts if e.kind is EventKind.RESPONSE]
    assert statuses == [429, 202]
    (backoff,) = [e for e in second.attempts if e.kind is EventKind.BACKOFF]
    assert backoff.retry_after_s == 30  # START is hh:mm:30
    assert backoff.delay_s is not None and backoff.delay_s >= 30
    assert clock.sleeps == [backoff.delay_s]


async def test_a_daily_quota_429_is_not_retried_and_names_the_reset(ms: MailerSend) -> None:
    use_up_the_daily_quota(ms)
    clock = ManualClock()
    async with engine_for(ms, clock) as engine:
        outcome = await engine.send(ApiRequest("GET", "/domains"))
        ms.clock.advance(60)  # past midnight UTC: the quota is full again
        after_reset = await engine.send(ApiRequest("GET", "/domains"))
    assert outcome.status == 429 and not outcome.ok
    assert outcome.retries == 0 and clock.sleeps == []
    assert outcome.gave_up is not None
    assert "daily quota" in outcome.gave_up and MIDNIGHT_ISO in outcome.gave_up
    (gave_up,) = [e for e in outcome.attempts if e.kind is EventKind.GAVE_UP]
    assert gave_up.reason == outcome.gave_up
    assert outcome.problem is not None and outcome.problem.code == "MS42901"
    assert outcome.problem.quota_reset == MIDNIGHT_ISO
    entry = Glossary.load().lookup(outcome.problem)
    assert entry is not None and entry.key == "ms-daily-quota"
    assert after_reset.ok


async def test_the_engine_sends_the_token_as_bearer_and_reads_the_quota(ms: MailerSend) -> None:
    async with engine_for(ms, ManualClock()) as engine:
        outcome = await engine.send(ApiRequest("GET", "/api-quota"))
    assert outcome.ok
    assert outcome.json() == {"quota": 100, "remaining": 100, "reset": MIDNIGHT_ISO}
    stats = httpx.get(ms.server.url + "/_sandbox/stats").json()
    assert stats["quota_used"] == 0


def test_decide_waits_for_the_quota_reset_but_retries_a_minute_limit() -> None:
    daily = decide("GET", status=429, retry_after_s=59, quota_reset=MIDNIGHT_ISO)
    assert not daily.retry and daily.waits_for_reset and MIDNIGHT_ISO in daily.reason
    minute = decide("POST", status=429, retry_after_s=59)
    assert minute.retry and minute.throttled and not minute.waits_for_reset
