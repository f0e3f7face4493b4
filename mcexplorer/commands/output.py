"""Terminal rendering shared by CLI commands: JSON, problems, retry timelines, summaries.

Colour only when writing to a terminal (and NO_COLOR is unset), so piped output stays
plain JSON for jq and friends.
"""

from __future__ import annotations

import json
import os
import sys
from collections.abc import Iterable
from typing import Any, TextIO

from pygments import highlight
from pygments.formatters import TerminalFormatter
from pygments.lexers import JsonLexer

from mcexplorer.core.http.events import AttemptEvent, EventKind
from mcexplorer.core.http.repeat import RepeatSummary
from mcexplorer.core.problems.glossary import GlossaryEntry
from mcexplorer.core.problems.problem import Problem


def wants_color(stream: TextIO) -> bool:
    return stream.isatty() and not os.environ.get("NO_COLOR")


def render_json(data: Any, *, color: bool = False) -> str:
    text = json.dumps(data, indent=2, ensure_ascii=False)
    return highlight(text, JsonLexer(), TerminalFormatter()).rstrip("\n") if color else text


def print_json(data: Any, stream: TextIO | None = None) -> None:
    out = stream or sys.stdout
    print(render_json(data, color=wants_color(out)), file=out)


def render_problem(problem: Problem, entry: GlossaryEntry | None, diagnosis: Iterable[str]) -> str:
    status = f"{problem.status} " if problem.status is not None else ""
    lines = [f"✗ {status}{problem.title}"]
    if problem.detail:
        lines.append(f"  {problem.detail}")
    lines += [f"  • {e.field or '(body)'}: {e.message}" for e in problem.errors]
    extras = [
        f"{label} {value}"
        for label, value in (
            ("reference", problem.reference),
            ("code", problem.code),
            ("instance", problem.instance or None),
        )
        if value
    ]
    if problem.retry_after_s is not None:
        extras.append(f"Retry-After {problem.retry_after_s:g} s")
    if extras:
        lines.append("  " + " · ".join(extras))
    if entry is not None:
        lines += ["", f"What it means ({entry.title}): {entry.meaning}"]
        lines += [f"  cause: {c}" for c in entry.causes]
        lines += [f"  next:  {s}" for s in entry.next_steps]
    hints = list(diagnosis)
    if hints:
        lines += ["", "Diagnosis:"] + [f"  {n}. {h}" for n, h in enumerate(hints, 1)]
    return "\n".join(lines)


def _describe(event: AttemptEvent) -> str:
    kind = event.kind
    if kind is EventKind.SLOT_ACQUIRED:
        return f"slot acquired ({event.in_use}/{event.limit} in use)"
    if kind is EventKind.RESPONSE:
        return f"response {event.status} in {event.elapsed_ms or 0:.0f} ms"
    if kind is EventKind.FAILED:
        phase = "after sending" if event.sent else "before sending"
        return f"failed {phase}: {event.error}"
    if kind is EventKind.BACKOFF:
        floor = (
            f", Retry-After {event.retry_after_s:g} s" if event.retry_after_s is not None else ""
        )
        return f"backoff {event.delay_s or 0:.3f} s ({event.reason}{floor})"
    if kind is EventKind.GAVE_UP:
        return f"gave up: {event.reason}"
    return kind.value


def render_timeline(events: list[AttemptEvent]) -> str:
    """One line per event, times relative to the first: `+0.052s  #1  response 200 in 51 ms`."""
    if not events:
        return ""
    t0 = events[0].t
    return "\n".join(f"  +{e.t - t0:7.3f}s  #{e.attempt}  {_describe(e)}" for e in events)


def render_summary(summary: RepeatSummary) -> str:
    statuses = ", ".join(f"{status}×{n}" for status, n in summary.statuses.items())
    return "\n".join(
        [
            f"{summary.sent} requests, {summary.concurrency} at a time, "
            f"wall {summary.wall_s:.2f} s",
            f"  statuses: {statuses}",
            f"  latency ms: p50 {summary.p50_ms:.1f}  p90 {summary.p90_ms:.1f}  "
            f"p99 {summary.p99_ms:.1f}  max {summary.max_ms:.1f}",
            f"  retries: {summary.retries}  peak in flight: {summary.peak_in_flight}  "
            f"failed: {summary.failed}  outcome unknown: {summary.unknown_outcome}",
        ]
    )


def error(message: str) -> None:
    print(f"mcexplorer: {message}", file=sys.stderr)
