"""Small deterministic apps that host one widget or screen, for Pilot and snapshot tests.

Fixed theme, fixed clock, fixed data; the keys are made up and only ever shown masked.
"""

from __future__ import annotations

from collections.abc import Callable

from textual.app import App, ComposeResult
from textual.message import Message
from textual.screen import Screen
from textual.widgets import Input

from mcexplorer.core.http.events import AttemptEvent, EventKind
from mcexplorer.core.http.slots import SlotSnapshot
from mcexplorer.core.problems.glossary import GlossaryEntry
from mcexplorer.core.problems.problem import FieldError, Problem
from mcexplorer.core.session.explain import Explanation
from mcexplorer.tui.widgets.problem_panel import ProblemPanel
from mcexplorer.tui.widgets.retry_timeline import RetryTimeline
from mcexplorer.tui.widgets.slot_gauge import SlotGauge

THEME = "textual-dark"
FAKE_KEY = "0123456789abcdef0123456789abcdef-us6"  # well-formed, belongs to nobody

FULL_WITH_QUEUE = SlotSnapshot(limit=10, effective_limit=10, in_flight=10, queued=12, peak=10)
# A minute of traffic: idle, a ramp, a burst that fills every slot.
RAMP = [0] * 20 + list(range(1, 11)) + [10] * 20 + [8, 6, 9] + [10] * 7

THROTTLED_THEN_OK = [
    AttemptEvent(EventKind.QUEUED, "req-1", 1, 100.000),
    AttemptEvent(EventKind.SLOT_ACQUIRED, "req-1", 1, 100.001, in_use=10, limit=10),
    AttemptEvent(EventKind.SENT, "req-1", 1, 100.002),
    AttemptEvent(EventKind.RESPONSE, "req-1", 1, 100.014, status=429, elapsed_ms=12.0),
    AttemptEvent(
        EventKind.BACKOFF,
        "req-1",
        1,
        100.014,
        delay_s=1.0,
        reason="429: rejected before processing",
        retry_after_s=1.0,
    ),
    AttemptEvent(EventKind.QUEUED, "req-1", 2, 101.014),
    AttemptEvent(EventKind.SLOT_ACQUIRED, "req-1", 2, 101.020, in_use=4, limit=10),
    AttemptEvent(EventKind.SENT, "req-1", 2, 101.021),
    AttemptEvent(EventKind.RESPONSE, "req-1", 2, 101.063, status=200, elapsed_ms=42.0),
]

INVALID_RESOURCE = Problem(
    status=400,
    title="Invalid Resource",
    detail="Two fields of the submitted member did not pass validation.",
    type="https://mailchimp.com/developer/marketing/docs/errors/",
    instance="5b1e3c2a-7d4f-4e8a-9c61-0f2d3b4a5c6d",
    errors=(
        FieldError("email_address", "Not a valid email address."),
        FieldError("status", "Must be one of subscribed, unsubscribed, cleaned, pending."),
    ),
)
INVALID_RESOURCE_DIAGNOSIS = [
    "Fix the fields listed above and send again; nothing was changed on the server.",
]


class HostApp(App[None]):
    """Records every message so tests can assert on what was posted."""

    def __init__(self) -> None:
        super().__init__()
        self.seen: list[Message] = []

    def on_mount(self) -> None:
        self.theme = THEME

    def _on_message(self, message: Message) -> None:  # not message_hook: works in snapshots too
        self.seen.append(message)
        return super()._on_message(message)


class GaugeHost(HostApp):
    def __init__(
        self,
        samples: list[int] | None = None,
        now: float = 59.5,
        final: SlotSnapshot | None = FULL_WITH_QUEUE,
    ) -> None:
        super().__init__()
        self.samples = RAMP if samples is None else samples
        self.now = now
        self.final = final

    def compose(self) -> ComposeResult:
        yield SlotGauge(clock=lambda: self.now)

    def on_mount(self) -> None:
        super().on_mount()
        gauge = self.query_one(SlotGauge)
        for second, in_flight in enumerate(self.samples):
            snap = SlotSnapshot(10, 10, in_flight, 0, max(self.samples[: second + 1]))
            gauge.sample(snap, float(second))
        if self.final is not None:
            gauge.sample(self.final, self.now)


class TimelineHost(HostApp):
    def __init__(self, events: list[AttemptEvent], summary: str | None = None) -> None:
        super().__init__()
        self.events = events
        self.summary = summary

    def compose(self) -> ComposeResult:
        yield RetryTimeline()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(RetryTimeline).show(self.events, self.summary)


class ProblemHost(HostApp):
    def __init__(self, problem: Problem, entry: GlossaryEntry | None, diagnosis: list[str]) -> None:
        super().__init__()
        self.shown = Explanation(problem, entry, diagnosis)

    def compose(self) -> ComposeResult:
        yield ProblemPanel()

    def on_mount(self) -> None:
        super().on_mount()
        self.query_one(ProblemPanel).show(self.shown)


class ScreenHost(HostApp):
    """Pushes one screen at start and keeps what it was dismissed with."""

    def __init__(self, make_screen: Callable[[], Screen[object]]) -> None:
        super().__init__()
        self.make_screen = make_screen
        self.results: list[object] = []

    def on_mount(self) -> None:
        super().on_mount()
        self.push_screen(self.make_screen(), self.results.append)


async def steady_cursor(pilot: object) -> None:
    """Snapshot helper: no blinking cursor, so two runs give the same picture."""
    app = pilot.app  # type: ignore[attr-defined]
    for field in app.screen.query(Input):
        field.cursor_blink = False


def screen_text(app: App[object]) -> str:
    """What the terminal shows, as plain text (one line per row)."""
    return "\n".join(strip.text.rstrip() for strip in app.screen._compositor.render_strips())
