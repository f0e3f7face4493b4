"""Progress of a long job: counts, rate over a recent window, ETA, and a one-line rendering.

On a terminal the line redraws in place; otherwise (a log, CI) a plain line is printed at
most every few seconds so the output stays readable.
"""

from __future__ import annotations

import time
from collections import deque
from collections.abc import Callable
from typing import TextIO

BAR_WIDTH = 24


class ProgressMeter:
    def __init__(
        self, total: int, *, clock: Callable[[], float] = time.monotonic, window_s: float = 10.0
    ) -> None:
        self.total = total
        self.done = 0
        self.failed = 0
        self._clock = clock
        self._window_s = window_s
        self.started = clock()
        self._samples: deque[tuple[float, int]] = deque([(self.started, 0)])

    def advance(self, count: int = 1, *, failed: bool = False) -> None:
        self.done += count
        if failed:
            self.failed += count
        now = self._clock()
        self._samples.append((now, self.done))
        while len(self._samples) > 2 and now - self._samples[1][0] > self._window_s:
            self._samples.popleft()

    @property
    def fraction(self) -> float:
        return min(1.0, self.done / self.total) if self.total else 1.0

    def elapsed_s(self) -> float:
        return self._clock() - self.started

    def rate(self) -> float:
        """Rows per second over the recent window (the whole run while it is short)."""
        (t0, n0), (t1, n1) = self._samples[0], self._samples[-1]
        return (n1 - n0) / (t1 - t0) if t1 > t0 else 0.0

    def eta_s(self) -> float | None:
        rate = self.rate()
        if self.done >= self.total:
            return 0.0
        return (self.total - self.done) / rate if rate > 0 else None

    def line(self, *, bar: bool = False) -> str:
        eta = self.eta_s()
        parts = [
            f"{self.done}/{self.total} ({self.fraction:.0%})",
            f"{self.rate():.1f}/s",
            f"ETA {_duration(eta)}" if eta is not None else "ETA --",
        ]
        if self.failed:
            parts.append(f"{self.failed} failed")
        text = "  ".join(parts)
        if bar:
            filled = round(self.fraction * BAR_WIDTH)
            text = "[" + "#" * filled + "." * (BAR_WIDTH - filled) + "] " + text
        return text


def _duration(seconds: float) -> str:
    seconds = max(0, round(seconds))
    if seconds < 60:
        return f"{seconds}s"
    minutes, secs = divmod(seconds, 60)
    if minutes < 60:
        return f"{minutes}m{secs:02d}s"
    hours, minutes = divmod(minutes, 60)
    return f"{hours}h{minutes:02d}m"


class ProgressPrinter:
    """Draws a meter on a stream: in place on a terminal, a line every `every_s` otherwise."""

    def __init__(
        self,
        stream: TextIO,
        meter: ProgressMeter,
        *,
        label: str = "",
        every_s: float = 2.0,
        clock: Callable[[], float] = time.monotonic,
    ) -> None:
        self.stream = stream
        self.meter = meter
        self.label = f"{label} " if label else ""
        self.tty = stream.isatty()
        self._every_s = 0.1 if self.tty else every_s
        self._clock = clock
        self._last: float | None = None

    def update(self, *, force: bool = False) -> None:
        now = self._clock()
        if not force and self._last is not None and now - self._last < self._every_s:
            return
        self._last = now
        if self.tty:
            self.stream.write("\r\x1b[2K" + self.label + self.meter.line(bar=True))
        else:
            self.stream.write(self.label + self.meter.line() + "\n")
        self.stream.flush()

    def finish(self) -> None:
        self.update(force=True)
        if self.tty:
            self.stream.write("\n")
            self.stream.flush()
