"""The connection-slot gauge: how many of the account's 10 connections are in use right now.

One row: a bar of cells (one per slot), the counts, and a sparkline of the last minute.
"""

from __future__ import annotations

import time
from collections.abc import Callable
from typing import TYPE_CHECKING

from textual.content import Content
from textual.reactive import reactive
from textual.widget import Widget

if TYPE_CHECKING:  # core.slots imports httpx: the gauge paints before the engine exists
    from mcexplorer.core.http.slots import SlotSnapshot

WINDOW_S = 60
CELLS = 10
BARS = "▁▂▃▄▅▆▇█"
LABEL_WIDTH = 44  # label, bar and counts; the sparkline gets what is left


def _load_style(in_use: int, limit: int) -> str:
    """Green with room to spare, amber when nearly full, red at the limit."""
    if limit and in_use >= limit:
        return "$error"
    if limit and in_use >= 0.7 * limit:
        return "$warning"
    return "$success"


class SlotWindow:
    """Peak in-flight per second over the last minute.

    A second with no sample keeps the level at the end of the previous one: the slot
    transport reports changes, so silence means nothing moved.
    """

    def __init__(self, seconds: int = WINDOW_S) -> None:
        self.seconds = seconds
        self._peaks: dict[int, int] = {}
        self._last: dict[int, int] = {}
        self._newest: int | None = None

    def add(self, in_flight: int, now: float) -> None:
        second = int(now)
        if self._newest is None:
            self._newest = second
        self.advance(now)
        self._peaks[second] = max(self._peaks.get(second, 0), in_flight)
        self._last[second] = in_flight

    def advance(self, now: float) -> None:
        """Carry the level forward to `now` and forget seconds that left the window."""
        second = int(now)
        if self._newest is None or second <= self._newest:
            return
        level = self._last.get(self._newest, 0)
        for gap in range(self._newest + 1, second + 1):
            self._peaks[gap] = self._last[gap] = level
        self._newest = second
        oldest = second - self.seconds + 1
        for stale in [s for s in self._peaks if s < oldest]:
            del self._peaks[stale], self._last[stale]

    def values(self) -> list[int]:
        """Oldest first; seconds before the first sample count as idle."""
        if self._newest is None:
            return []
        start = self._newest - self.seconds + 1
        return [self._peaks.get(s, 0) for s in range(start, self._newest + 1)]


def sparkline(values: list[int], limit: int, width: int) -> Content:
    """Bars on a fixed 0..limit scale, so a steady 10/10 reads as full, not as flat-low.

    (Textual's Sparkline scales to the data's own min and max, which hides exactly that.)
    """
    if width <= 0 or not values:
        return Content("")
    if len(values) > width:  # several seconds per column: keep the worst
        step = len(values) / width
        values = [max(values[int(i * step) : int((i + 1) * step)] or [0]) for i in range(width)]
    parts: list[tuple[str, str]] = []
    for value in values:
        level = min(len(BARS) - 1, round(value / max(limit, 1) * (len(BARS) - 1)))
        parts.append((BARS[level], _load_style(value, limit) if value else "$text-muted"))
    return Content.assemble(*parts)


class SlotGauge(Widget):
    """Slots in use out of the effective limit, the queue, the peak, and the last minute."""

    DEFAULT_CSS = """
    SlotGauge {
        height: 1;
        width: 1fr;
        padding: 0 1;
    }
    """

    snapshot: reactive[SlotSnapshot | None] = reactive(None)

    def __init__(
        self,
        *,
        clock: Callable[[], float] = time.monotonic,
        name: str | None = None,
        id: str | None = None,
        classes: str | None = None,
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self._clock = clock
        self.window = SlotWindow()

    def on_mount(self) -> None:
        # The sparkline scrolls even when nothing is sent.
        self.set_interval(1.0, self._tick)

    def _tick(self) -> None:
        self.window.advance(self._clock())
        self.refresh()

    def sample(self, snapshot: SlotSnapshot, now: float) -> None:
        """Record a snapshot taken at `now` (monotonic seconds) and show it."""
        self.window.add(snapshot.in_flight, now)
        self.set_reactive(SlotGauge.snapshot, snapshot)
        self.refresh()

    def watch_snapshot(self, snapshot: SlotSnapshot | None) -> None:
        # Set directly (not through sample): the sample is taken now.
        if snapshot is not None:
            self.window.add(snapshot.in_flight, self._clock())

    def summary(self) -> str:
        """The counts as plain text: '7/7 (limit 10)  queued 3  peak 10'."""
        snap = self.snapshot
        if snap is None:
            return "no requests yet"
        text = f"{snap.in_flight}/{snap.effective_limit}"
        if snap.effective_limit != snap.limit:
            text += f" (limit {snap.limit})"
        return f"{text}  queued {snap.queued}  peak {snap.peak}"

    def _bar(self, snap: SlotSnapshot) -> Content:
        """One cell per slot: in use, free, or held back by the adaptive limit."""
        style = _load_style(snap.in_flight, snap.effective_limit)
        cells = max(CELLS, snap.limit)
        parts: list[tuple[str, str]] = []
        for cell in range(cells):
            if cell < snap.in_flight:
                parts.append(("■", style))
            elif cell < snap.effective_limit:
                parts.append(("□", "$text-muted"))
            else:
                parts.append(("×", "$text-disabled"))
        return Content.assemble(*parts)

    def render(self) -> Content:
        snap = self.snapshot
        head: list[str | Content | tuple[str, str]] = [("Slots ", "bold")]
        if snap is None:
            head.append((self.summary(), "$text-muted"))
            return Content.assemble(*head)
        head += [self._bar(snap), " "]
        head.append((self.summary(), "bold" if snap.queued else ""))
        line = Content.assemble(*head)
        room = self.content_size.width - max(line.cell_length, LABEL_WIDTH) - 1
        spark = sparkline(self.window.values(), snap.limit, min(room, WINDOW_S))
        if not spark.cell_length:
            return line
        pad = Content.blank(max(LABEL_WIDTH - line.cell_length, 0) + 1)
        return Content.assemble(line, pad, spark)
