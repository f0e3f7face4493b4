"""The slot gauge: counts, colour-coded cells, and a minute of in-flight history."""

from __future__ import annotations

import asyncio
import time

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.slots import SlotSnapshot
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.tui.widgets.slot_gauge import BARS, SlotGauge, SlotWindow, sparkline
from tests.tui.apps.widget_hosts import RAMP, GaugeHost, screen_text
from tests.tui.waiting import wait_until


def test_window_keeps_the_peak_of_each_second() -> None:
    window = SlotWindow()
    for t, n in [(0.1, 3), (0.5, 9), (0.9, 2), (1.2, 4)]:
        window.add(n, t)
    assert window.values()[-2:] == [9, 4]


def test_window_carries_the_last_level_through_quiet_seconds() -> None:
    window = SlotWindow()
    window.add(7, 10.0)
    window.add(2, 10.5)  # the level at the end of second 10 is 2, its peak 7
    window.advance(13.2)
    assert window.values()[-4:] == [7, 2, 2, 2]


def test_window_forgets_what_is_older_than_a_minute() -> None:
    window = SlotWindow()
    window.add(5, 0.0)
    window.add(1, 30.0)
    window.add(3, 75.0)
    values = window.values()  # seconds 16..75: 0..15 fell out
    assert values == [5] * 15 + [1] * 44 + [3]  # second 30 began at 5


def test_window_starts_empty_and_advancing_alone_adds_nothing() -> None:
    window = SlotWindow()
    window.advance(100.0)
    assert window.values() == []


def test_sparkline_uses_a_fixed_scale() -> None:
    # A steady full load is the tallest bar, not the lowest (relative scaling would flatten it).
    assert sparkline([10, 10, 10], limit=10, width=3).plain == BARS[-1] * 3
    assert sparkline([0, 5, 10], limit=10, width=3).plain == BARS[0] + BARS[4] + BARS[-1]


def test_sparkline_squeezes_a_minute_into_fewer_columns_keeping_peaks() -> None:
    values = [0] * 59 + [10]
    assert sparkline(values, limit=10, width=20).plain[-1] == BARS[-1]
    assert len(sparkline(values, limit=10, width=20).plain) == 20


async def test_gauge_shows_full_slots_with_a_queue() -> None:
    app = GaugeHost()
    async with app.run_test(size=(100, 5)) as pilot:
        await pilot.pause()
        gauge = app.query_one(SlotGauge)
        assert gauge.summary() == "10/10  queued 12  peak 10"
        first_row = screen_text(app).splitlines()[0]
        assert "Slots ■■■■■■■■■■ 10/10  queued 12  peak 10" in first_row
        assert BARS[-1] in first_row  # the sparkline shows the burst


async def test_gauge_shows_the_shrunk_limit_and_the_held_back_slots() -> None:
    app = GaugeHost(samples=[])
    async with app.run_test(size=(100, 5)) as pilot:
        gauge = app.query_one(SlotGauge)
        gauge.snapshot = SlotSnapshot(limit=10, effective_limit=7, in_flight=7, queued=3, peak=10)
        await pilot.pause()
        assert gauge.summary() == "7/7 (limit 10)  queued 3  peak 10"
        assert "■■■■■■■××× 7/7 (limit 10)" in screen_text(app)


async def test_setting_the_snapshot_samples_it_on_the_injected_clock() -> None:
    app = GaugeHost(samples=[], now=42.0, final=None)
    async with app.run_test(size=(100, 5)) as pilot:
        gauge = app.query_one(SlotGauge)
        gauge.snapshot = SlotSnapshot(10, 10, 4, 0, 4)
        await pilot.pause()
        assert gauge.window.values()[-1] == 4


async def test_gauge_before_any_request() -> None:
    app = GaugeHost(samples=[], final=None)
    async with app.run_test(size=(80, 3)) as pilot:
        await pilot.pause()
        assert "Slots no requests yet" in screen_text(app)


async def test_gauge_fits_80_columns() -> None:
    app = GaugeHost()
    async with app.run_test(size=(80, 3)) as pilot:
        await pilot.pause()
        row = screen_text(app).splitlines()[0]
        assert "10/10  queued 12  peak 10" in row and BARS[-1] in row


def test_snapshot_gauge_full_with_queue(snap_compare) -> None:  # type: ignore[no-untyped-def]
    async def drawn(pilot) -> None:  # type: ignore[no-untyped-def]
        await wait_until(pilot, lambda: "queued 12" in screen_text(pilot.app), "the gauge")

    assert snap_compare(GaugeHost(samples=RAMP), terminal_size=(100, 3), run_before=drawn)


async def test_gauge_follows_a_real_burst_through_the_engine() -> None:
    """15 requests at once against the sandbox: the gauge sees 10 in flight and a queue."""
    app = GaugeHost(samples=[], final=None)
    queued_seen: list[int] = []
    async with app.run_test(size=(100, 3)) as pilot:
        gauge = app.query_one(SlotGauge)
        with SandboxServer(seed=2, latency_ms=50) as server:
            credentials = Credentials.api_key(server.demo_key)
            async with Engine(server.api_url, credentials) as engine:

                def on_slots(snap: SlotSnapshot) -> None:
                    queued_seen.append(snap.queued)
                    gauge.sample(snap, time.monotonic())

                engine.slots.add_listener(on_slots)
                outcomes = await asyncio.gather(
                    *(engine.send(ApiRequest("GET", "/ping")) for _ in range(15))
                )
        await pilot.pause()
        assert all(o.status == 200 for o in outcomes)
        assert gauge.snapshot is not None
        assert gauge.snapshot.peak == 10 and gauge.snapshot.in_flight == 0
        assert max(queued_seen) == 5
        assert max(gauge.window.values()) == 10
        assert "0/10  queued 0  peak 10" in screen_text(app)
