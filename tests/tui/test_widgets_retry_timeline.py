"""The retry timeline: attempts and backoffs on one time axis, and how the request ended."""

from __future__ import annotations

import random

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.clock import ManualClock
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.events import AttemptEvent, EventKind
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.retry import RetryPolicy
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.widgets.retry_timeline import RetryTimeline, duration, outcome_of, spans_of
from tests.tui.apps.widget_hosts import THROTTLED_THEN_OK, TimelineHost, screen_text
from tests.tui.waiting import wait_until

Q, S, R, F, B, G = (
    EventKind.QUEUED,
    EventKind.SENT,
    EventKind.RESPONSE,
    EventKind.FAILED,
    EventKind.BACKOFF,
    EventKind.GAVE_UP,
)


def ev(kind: EventKind, attempt: int, t: float, **info: object) -> AttemptEvent:
    return AttemptEvent(kind, "req-9", attempt, t, **info)  # type: ignore[arg-type]


def test_durations_read_naturally() -> None:
    assert [duration(x) for x in (12.4, 1420.0, 125_000.0)] == ["12 ms", "1.42 s", "2 min 5 s"]


def test_rows_follow_time_with_the_backoff_between_the_attempts() -> None:
    spans = spans_of(THROTTLED_THEN_OK)
    assert [s.label for s in spans] == ["#1", "wait", "#2"]
    first, wait, second = spans
    assert first.text == "429 Too Many Requests · 12 ms" and first.style == "$warning"
    assert wait.text == "1.00 s · Retry-After 1 s · 429: rejected before processing"
    assert round(wait.end - wait.start) == 1000
    assert second.text == "200 OK · 42 ms" and second.style == "$success"
    assert round(second.start) == 1014 and round(second.wire_start) == 1021


def test_outcome_ok_after_a_retry() -> None:
    assert outcome_of(THROTTLED_THEN_OK) == ("ok · 200 OK after 2 attempts", "$success")


def test_outcome_unknown_keeps_the_engines_reason() -> None:
    reason = "outcome unknown: POST got 502 after it was sent; not repeated"
    events = [ev(Q, 1, 0), ev(S, 1, 0.01), ev(R, 1, 0.2, status=502), ev(G, 1, 0.2, reason=reason)]
    assert outcome_of(events) == (reason, "$warning")


def test_outcome_gave_up_after_max_attempts() -> None:
    events = [
        ev(Q, 1, 0),
        ev(F, 1, 0.1, error="ConnectError: refused", sent=False),
        ev(B, 1, 0.1, delay_s=0.5, reason="connect error before sending"),
        ev(Q, 2, 0.6),
        ev(F, 2, 0.7, error="ConnectError: refused", sent=False),
        ev(G, 2, 0.7, reason="connect error before sending; stopped after 2 attempts"),
    ]
    text, style = outcome_of(events)
    assert text == "gave up: connect error before sending; stopped after 2 attempts"
    assert style == "$error"
    assert spans_of(events)[0].text == "ConnectError: refused (before sending)"


def test_outcome_of_a_final_error_and_of_a_request_still_running() -> None:
    assert outcome_of([ev(Q, 1, 0), ev(R, 1, 0.05, status=404)])[0] == (
        "ended with 404 Not Found on the first attempt"
    )
    assert outcome_of([ev(Q, 1, 0), ev(S, 1, 0.01)])[0] == "in progress…"


async def test_timeline_renders_each_row_and_the_outcome() -> None:
    app = TimelineHost(THROTTLED_THEN_OK)
    async with app.run_test(size=(100, 10)) as pilot:
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert rows[0].lstrip().startswith("Attempts") and "1.06 s" in rows[0]
        assert "#1" in rows[1] and "429 Too Many Requests · 12 ms" in rows[1]
        assert "wait" in rows[2] and "┄" in rows[2] and "Retry-After 1 s" in rows[2]
        assert "#2" in rows[3] and "+1.01 s" in rows[3] and "200 OK" in rows[3]
        assert "ok · 200 OK after 2 attempts" in rows[4]
        # the second attempt starts near the right end of the axis: the wait dominates
        assert rows[3].index("━") > rows[1].index("━") + 20


async def test_timeline_fits_80_columns_and_truncates_long_errors() -> None:
    long_error = "ReadTimeout: the server did not answer within 130 s " * 3
    events = [ev(Q, 1, 0), ev(S, 1, 0.01), ev(F, 1, 130.0, error=long_error, sent=True)]
    app = TimelineHost(events, "outcome unknown: read timeout after sending")
    async with app.run_test(size=(80, 8)) as pilot:
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert all(len(row) <= 80 for row in rows)
        assert rows[1].endswith("…")
        assert "outcome unknown: read timeout after sending" in rows[2]


async def test_show_replaces_and_clear_empties() -> None:
    app = TimelineHost(THROTTLED_THEN_OK)
    async with app.run_test(size=(100, 10)) as pilot:
        timeline = app.query_one(RetryTimeline)
        timeline.show([ev(Q, 1, 0), ev(R, 1, 0.03, status=201, elapsed_ms=30.0)])
        await pilot.pause()
        assert timeline.outcome() == "ok · 201 Created on the first attempt"
        timeline.clear()
        await pilot.pause()
        assert "No attempts yet" in screen_text(app)


def test_snapshot_timeline_429_then_200(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def drawn(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_until(pilot, lambda: "after 2 attempts" in screen_text(pilot.app), "both")

    assert snap_compare(TimelineHost(THROTTLED_THEN_OK), terminal_size=(100, 8), run_before=drawn)


async def test_events_from_the_real_engine_draw_a_complete_run() -> None:
    """A throttled GET against the sandbox, retried until the engine gives up."""
    clock = ManualClock()
    policy = RetryPolicy(max_attempts=3, rng=random.Random(1))
    with SandboxServer(seed=1) as server:
        credentials = Credentials.api_key(server.demo_key)
        async with Engine(server.api_url, credentials, policy=policy, clock=clock) as engine:
            request = ApiRequest("GET", "/lists").with_trigger_error("TooManyRequests")
            outcome = await engine.send(request)
    assert outcome.status == 429
    spans = spans_of(outcome.attempts)
    assert [s.label for s in spans] == ["#1", "wait", "#2", "wait", "#3"]
    assert all(s.text.startswith("429 Too Many Requests") for s in spans if s.label != "wait")
    text, style = outcome_of(outcome.attempts)
    assert text.startswith("gave up: ") and "3 attempts" in text and style == "$error"

    app = TimelineHost(outcome.attempts)
    async with app.run_test(size=(80, 10)) as pilot:
        await pilot.pause()
        rows = screen_text(app).splitlines()
        assert "3 attempts" in rows[0] and rows[6].startswith(" gave up")
