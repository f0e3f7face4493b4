"""The rate gauge: this minute's allowance and today's quota, from real sandbox answers."""

from __future__ import annotations

from datetime import UTC, datetime

from textual.app import App, ComposeResult

from mcexplorer.tui.widgets.rate_gauge import RateGauge, duration
from tests.mailersend.conftest import MailerSend
from tests.tui.apps.widget_hosts import THEME, screen_text

NOW = datetime(2026, 3, 4, 23, 58, 30, tzinfo=UTC)  # the sandbox fixture's START


class RateHost(App[object]):
    def compose(self) -> ComposeResult:
        yield RateGauge(clock=lambda: NOW)

    def on_mount(self) -> None:
        self.theme = THEME


def test_durations_are_precise_when_close_and_coarse_when_far() -> None:
    assert [duration(s) for s in (0.2, 18, 245, 5 * 3600 + 12 * 60 + 7)] == [
        "1 s",
        "18 s",
        "4 min 05 s",
        "5 h 12 min",
    ]


async def test_before_any_answer_both_readings_are_unknown() -> None:
    app = RateHost()
    async with app.run_test(size=(100, 3)) as pilot:
        await pilot.pause()
        assert "Rate no requests yet   Quota unknown" in screen_text(app)


async def test_the_quota_document_then_a_send_fill_the_gauge(ms: MailerSend) -> None:
    with ms.client() as api:
        quota = api.get("api-quota")
        sent = api.post(
            "email",
            json={
                "from": {"email": "a@demo.example.com"},
                "to": [{"email": "b@example.net"}],
                "subject": "Hi",
                "text": "Hi",
            },
        )
    app = RateHost()
    async with app.run_test(size=(120, 3)) as pilot:
        gauge = app.query_one(RateGauge)
        gauge.observe_quota_document(quota.json())
        gauge.observe(quota.headers)
        gauge.observe(sent.headers)
        await pilot.pause()
        assert gauge.rate_text() == "119/120 a minute"
        assert gauge.quota_text() == "99/100 today, resets 00:00 UTC (in 1 min 30 s)"
        assert "Rate ■■■■■■■■■■ 119/120 a minute   Quota 99/100 today" in screen_text(app)


async def test_a_throttled_minute_shows_the_countdown_and_an_empty_bar() -> None:
    app = RateHost()
    async with app.run_test(size=(120, 3)) as pilot:
        gauge = app.query_one(RateGauge)
        gauge.observe(
            {
                "x-ratelimit-limit": "60",
                "x-ratelimit-remaining": "0",
                "retry-after": "30",
                "x-apiquota-remaining": "0",
                "x-apiquota-reset": "2026-03-05T00:00:00Z",
            }
        )
        gauge.observe({"content-type": "application/json"})  # a 401 carries no readings
        await pilot.pause()
        assert gauge.rate_text() == "0/60 a minute, refills in 30 s"
        assert gauge.quota_text() == "0 left, resets 00:00 UTC (in 1 min 30 s)"
        assert "Rate □□□□□□□□□□ 0/60" in screen_text(app)
