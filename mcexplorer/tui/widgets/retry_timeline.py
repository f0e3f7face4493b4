"""The retry timeline: every attempt of one request on a shared time axis.

Each attempt is a row (queue wait dotted, time on the wire solid, coloured by result), each
backoff a dashed row with its reason and Retry-After, then one line saying how it ended.
"""

from __future__ import annotations

from dataclasses import dataclass
from http import HTTPStatus

from textual.content import Content
from textual.widget import Widget

from mcexplorer.core.http.events import AttemptEvent, EventKind

LABEL = 5  # "#12 " / "wait "
OFFSET = 9  # "+1.42 s "
MIN_AXIS = 10
MAX_AXIS = 40


def duration(ms: float) -> str:
    """12 ms, 1.42 s, 2 min 5 s: the shortest readable form."""
    if ms < 1000:
        return f"{ms:.0f} ms"
    if ms < 60_000:
        return f"{ms / 1000:.2f} s"
    return f"{int(ms // 60_000)} min {ms % 60_000 / 1000:.0f} s"


def status_text(status: int) -> str:
    try:
        return f"{status} {HTTPStatus(status).phrase}"
    except ValueError:
        return str(status)


def _status_style(status: int | None) -> str:
    if status is None:
        return "$error"
    if 200 <= status < 300:
        return "$success"
    return "$warning" if status == 429 else "$error"


@dataclass
class Span:
    """One row: an attempt or a backoff, with times in ms from the first event."""

    label: str
    start: float
    end: float
    wire_start: float  # where the dotted queue wait turns solid; == start for a backoff
    glyph: str
    style: str
    text: str


def _attempt_span(number: int, events: list[AttemptEvent], t0: float) -> Span:
    start = (events[0].t - t0) * 1000
    sent = next((e for e in events if e.kind is EventKind.SENT), None)
    done = next((e for e in events if e.kind in (EventKind.RESPONSE, EventKind.FAILED)), None)
    end = (done.t - t0) * 1000 if done else (events[-1].t - t0) * 1000
    wire = (sent.t - t0) * 1000 if sent else start
    if done is None:
        return Span(f"#{number}", start, end, wire, "━", "$accent", "in flight…")
    elapsed = f" · {duration(done.elapsed_ms)}" if done.elapsed_ms is not None else ""
    if done.kind is EventKind.RESPONSE and done.status is not None:
        text = status_text(done.status) + elapsed
        return Span(f"#{number}", start, end, wire, "━", _status_style(done.status), text)
    where = "after sending" if done.sent else "before sending"
    text = f"{done.error or 'failed'} ({where}){elapsed}"
    return Span(f"#{number}", start, end, wire, "━", "$error", text)


def _backoff_span(event: AttemptEvent, t0: float) -> Span:
    start = (event.t - t0) * 1000
    delay_ms = (event.delay_s or 0.0) * 1000
    parts = [duration(delay_ms)]
    if event.retry_after_s is not None:
        parts.append(f"Retry-After {event.retry_after_s:g} s")
    if event.reason:
        parts.append(event.reason)
    return Span("wait", start, start + delay_ms, start, "┄", "$text-muted", " · ".join(parts))


def spans_of(events: list[AttemptEvent]) -> list[Span]:
    """Rows in time order: attempts grouped by number, backoffs where they happened."""
    if not events:
        return []
    t0 = min(e.t for e in events)
    by_attempt: dict[int, list[AttemptEvent]] = {}
    rows: list[tuple[float, Span | int]] = []
    for event in sorted(events, key=lambda e: e.t):
        if event.kind is EventKind.BACKOFF:
            rows.append((event.t, _backoff_span(event, t0)))
        elif event.kind is not EventKind.GAVE_UP:
            if event.attempt not in by_attempt:
                rows.append((event.t, event.attempt))
            by_attempt.setdefault(event.attempt, []).append(event)
    return [
        row if isinstance(row, Span) else _attempt_span(row, by_attempt[row], t0) for _, row in rows
    ]


def outcome_of(events: list[AttemptEvent]) -> tuple[str, str]:
    """How the request ended, in words, and the style to say it in."""
    gave_up = next((e for e in events if e.kind is EventKind.GAVE_UP), None)
    if gave_up is not None:
        reason = gave_up.reason or gave_up.error or "no reason given"
        if reason.startswith("outcome unknown"):  # the engine's words for "may have applied"
            return reason, "$warning"
        return f"gave up: {reason}", "$error"
    done = [e for e in events if e.kind in (EventKind.RESPONSE, EventKind.FAILED)]
    attempts = len({e.attempt for e in events if e.kind is not EventKind.BACKOFF})
    tries = f"after {attempts} attempts" if attempts > 1 else "on the first attempt"
    if not done or max(done, key=lambda e: e.t).attempt < max(e.attempt for e in events):
        return "in progress…", "$accent"
    last = max(done, key=lambda e: e.t)
    if last.kind is EventKind.FAILED:
        if last.sent:
            reason = last.error or "the connection failed after the request was sent"
            return f"outcome unknown: {reason}", "$warning"
        return f"failed {tries}: {last.error or 'no connection'}", "$error"
    assert last.status is not None
    if 200 <= last.status < 300:
        return f"ok · {status_text(last.status)} {tries}", "$success"
    return f"ended with {status_text(last.status)} {tries}", "$error"


class RetryTimeline(Widget):
    """Shows the attempts of one request; call `show()` with its events."""

    DEFAULT_CSS = """
    RetryTimeline {
        height: auto;
        width: 1fr;
        padding: 0 1;
    }
    """

    def __init__(
        self, *, name: str | None = None, id: str | None = None, classes: str | None = None
    ) -> None:
        super().__init__(name=name, id=id, classes=classes)
        self.events: list[AttemptEvent] = []
        self.outcome_summary: str | None = None

    def show(self, events: list[AttemptEvent], outcome_summary: str | None = None) -> None:
        """Draw these events (all of one request); `outcome_summary` overrides the last line."""
        self.events = list(events)
        self.outcome_summary = outcome_summary
        self.refresh(layout=True)

    def clear(self) -> None:
        self.show([])

    def outcome(self) -> str:
        """The last line as plain text."""
        return self.outcome_summary or outcome_of(self.events)[0]

    def render(self) -> Content:
        if not self.events:
            return Content.styled("No attempts yet: send a request to see its timeline.", "dim")
        spans = spans_of(self.events)
        total = max([s.end for s in spans] + [1.0])
        width = self.content_size.width or 80
        axis = max(MIN_AXIS, min(MAX_AXIS, (width - LABEL - OFFSET) * 2 // 5))
        scale = (axis - 1) / total
        text_room = max(width - LABEL - OFFSET - axis - 1, 10)

        attempts = sum(1 for s in spans if s.label != "wait")
        lines = [
            Content.assemble(
                (f"{'Attempts':<{LABEL + OFFSET}}", "bold"),
                self._axis_ruler(axis, total),
                (f"  {attempts} attempt{'s' if attempts != 1 else ''}", "bold"),
            )
        ]
        for span in spans:
            first = min(int(span.start * scale), axis - 1)
            solid = min(int(span.wire_start * scale), axis - 1)
            last = max(min(int(span.end * scale), axis - 1), first)
            bar = Content.assemble(
                " " * first,
                ("·" * (solid - first), "$text-muted"),
                (span.glyph * (last - solid + 1), span.style),
                " " * (axis - last - 1),
            )
            text = span.text if len(span.text) <= text_room else span.text[: text_room - 1] + "…"
            lines.append(
                Content.assemble(
                    (f"{span.label:<{LABEL}}", "bold" if span.label != "wait" else "$text-muted"),
                    (f"{'+' + duration(span.start):>{OFFSET - 1}} ", "$text-muted"),
                    bar,
                    " ",
                    (text, span.style if span.label != "wait" else ""),
                )
            )
        summary, style = outcome_of(self.events)
        lines.append(Content.styled(self.outcome_summary or summary, f"bold {style}"))
        return Content("\n").join(lines)

    @staticmethod
    def _axis_ruler(axis: int, total_ms: float) -> Content:
        """'0 ─────── 1.42 s' spanning the axis column."""
        right = duration(total_ms)
        dashes = max(axis - len(right) - 3, 1)
        return Content.styled(f"0 {'─' * dashes} {right}"[:axis].ljust(axis), "$text-muted")
