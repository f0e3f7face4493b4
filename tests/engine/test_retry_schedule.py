"""Backoff, Retry-After, deadline, attempts and budget, with a manual clock and fixed RNG."""

from __future__ import annotations

from datetime import UTC, datetime

import httpx
import pytest

from mcexplorer.core.clock import ManualClock
from mcexplorer.core.http.events import EventKind
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.retry import Failure, RetryBudget, decide
from tests.engine.conftest import Script, answer, make_engine, refused, sent_then

GET = ApiRequest("GET", "/lists")


async def test_full_jitter_schedule_doubles_then_caps() -> None:
    clock = ManualClock()
    script = Script(*[answer(503)] * 5, answer(200))
    engine = make_engine(script, clock, max_attempts=6, base_s=1.0, cap_s=5.0)
    outcome = await engine.send(GET)
    assert outcome.ok
    # midpoint of uniform(0, min(5, 1 * 2**(n-1))) for n = 1..5
    assert clock.sleeps == [0.5, 1.0, 2.0, 2.5, 2.5]
    backoffs = [e for e in outcome.attempts if e.kind is EventKind.BACKOFF]
    assert [e.delay_s for e in backoffs] == clock.sleeps
    assert all(e.reason == "503: transient server error" for e in backoffs)
    assert outcome.retries == 5


async def test_429_uses_the_throttle_base() -> None:
    clock = ManualClock()
    engine = make_engine(Script(answer(429), answer(429), answer(200)), clock)
    outcome = await engine.send(ApiRequest("POST", "/lists", body={"name": "x"}))
    assert outcome.ok
    assert clock.sleeps == [0.5, 1.0]  # throttle base 1 s: uniform(0,1), uniform(0,2)


async def test_retry_after_seconds_is_a_floor() -> None:
    clock = ManualClock()
    engine = make_engine(Script(answer(429, {"retry-after": "7"}), answer(200)), clock)
    outcome = await engine.send(GET)
    assert clock.sleeps == [7.0]
    backoff = next(e for e in outcome.attempts if e.kind is EventKind.BACKOFF)
    assert backoff.retry_after_s == 7.0


async def test_retry_after_smaller_than_jitter_does_not_shorten_it() -> None:
    clock = ManualClock()
    script = Script(answer(503), answer(503, {"retry-after": "0"}), answer(200))
    engine = make_engine(script, clock, base_s=4.0)
    await engine.send(GET)
    assert clock.sleeps == [2.0, 4.0]


async def test_retry_after_http_date_is_a_floor() -> None:
    in_ten = datetime.now(UTC).timestamp() + 10
    date = datetime.fromtimestamp(in_ten, UTC).strftime("%a, %d %b %Y %H:%M:%S GMT")
    clock = ManualClock()
    engine = make_engine(Script(answer(503, {"retry-after": date}), answer(200)), clock)
    await engine.send(GET)
    assert 8.0 <= clock.sleeps[0] <= 10.0


async def test_max_attempts_gives_up_with_the_last_answer() -> None:
    clock = ManualClock()
    engine = make_engine(Script(*[answer(502)] * 3), clock, max_attempts=3)
    outcome = await engine.send(GET)
    assert outcome.status == 502 and not outcome.ok and not outcome.unknown_outcome
    assert len(clock.sleeps) == 2
    gave_up = outcome.attempts[-1]
    assert gave_up.kind is EventKind.GAVE_UP and "after 3 attempts" in (gave_up.reason or "")
    assert outcome.problem is not None and outcome.problem.status == 502


async def test_deadline_stops_before_a_sleep_that_would_cross_it() -> None:
    clock = ManualClock()
    engine = make_engine(
        Script(*[answer(503)] * 10), clock, max_attempts=10, base_s=4.0, deadline_s=10.0
    )
    outcome = await engine.send(GET)
    assert clock.sleeps == [2.0, 4.0]  # a third sleep of 8 s would end at 14 s
    assert "deadline" in (outcome.gave_up or "")


async def test_retry_after_past_the_deadline_gives_up_at_once() -> None:
    clock = ManualClock()
    engine = make_engine(Script(answer(429, {"retry-after": "500"})), clock)
    outcome = await engine.send(GET)
    assert clock.sleeps == [] and outcome.status == 429
    assert "Retry-After" in (outcome.gave_up or "")


async def test_budget_exhaustion_stops_retries() -> None:
    clock = ManualClock()
    engine = make_engine(Script(answer(500), answer(500)), clock, max_attempts=5)
    engine.policy.budget = RetryBudget(capacity=10.0, transient_cost=10.0)
    outcome = await engine.send(GET)
    assert len(clock.sleeps) == 1 and outcome.status == 500
    assert "budget" in (outcome.gave_up or "")


def test_budget_refunds_on_clean_success_up_to_capacity() -> None:
    budget = RetryBudget(capacity=20.0, throttle_cost=5.0, transient_cost=10.0)
    assert budget.try_spend(throttled=False) and budget.try_spend(throttled=True)
    assert budget.tokens == 5.0 and not budget.try_spend(throttled=False)
    for _ in range(30):
        budget.credit()
    assert budget.tokens == 20.0


async def test_connect_error_is_retried_even_for_post() -> None:
    clock = ManualClock()
    script = Script(refused(), answer(200))
    outcome = await make_engine(script, clock).send(ApiRequest("POST", "/lists", body={}))
    assert outcome.ok and len(script.requests) == 2
    failed = next(e for e in outcome.attempts if e.kind is EventKind.FAILED)
    assert failed.sent is False


@pytest.mark.parametrize("status", [500, 502, 504])
async def test_post_after_sent_5xx_is_unknown_and_not_repeated(status: int) -> None:
    script = Script(answer(status), answer(200))
    outcome = await make_engine(script).send(ApiRequest("POST", "/lists", body={}))
    assert outcome.unknown_outcome and not outcome.ok and len(script.requests) == 1
    assert "outcome unknown" in (outcome.gave_up or "")
    assert outcome.attempts[-1].kind is EventKind.GAVE_UP


async def test_post_503_with_retry_after_counts_as_not_applied() -> None:
    script = Script(answer(503, {"retry-after": "1"}), answer(200))
    outcome = await make_engine(script).send(ApiRequest("POST", "/lists", body={}))
    assert outcome.ok and len(script.requests) == 2


async def test_post_read_timeout_after_sent_is_unknown() -> None:
    script = Script(sent_then(httpx.ReadTimeout("slow")))
    outcome = await make_engine(script).send(ApiRequest("PATCH", "/lists/a", path_params={}))
    assert outcome.unknown_outcome and outcome.status is None
    assert outcome.problem is not None and outcome.problem.kind == "transport"
    failed = next(e for e in outcome.attempts if e.kind is EventKind.FAILED)
    assert failed.sent is True and "130 s" in (failed.error or "")


async def test_put_reset_after_sent_is_retried() -> None:
    script = Script(sent_then(httpx.RemoteProtocolError("dropped")), answer(200))
    outcome = await make_engine(script).send(ApiRequest("PUT", "/lists/a", body={}))
    assert outcome.ok and len(script.requests) == 2


async def test_method_override_is_judged_by_the_method_it_names() -> None:
    req = ApiRequest("DELETE", "/lists/a").with_method_override()
    script = Script(answer(500), answer(204))
    outcome = await make_engine(script).send(req)
    assert outcome.ok and script.requests[0].method == "POST"
    assert script.requests[0].headers["x-http-method-override"] == "DELETE"


async def test_4xx_is_final_without_giving_up_event() -> None:
    script = Script(answer(404))
    outcome = await make_engine(script).send(GET)
    assert outcome.status == 404 and outcome.gave_up is None
    assert [e.kind for e in outcome.attempts] == [
        EventKind.QUEUED,
        EventKind.SLOT_ACQUIRED,
        EventKind.SENT,
        EventKind.RESPONSE,
    ]


def test_decide_table() -> None:
    assert decide("GET", status=500).retry
    assert not decide("POST", status=500).retry and decide("POST", status=500).unknown
    assert decide("POST", status=429).throttled
    assert decide("POST", status=503, retry_after_s=2).retry
    assert decide("POST", status=503).unknown
    assert decide("POST", failure=Failure.TIMEOUT, sent=False).retry
    assert decide("DELETE", failure=Failure.TIMEOUT, sent=True).retry
    assert not decide("GET", status=400).retry
