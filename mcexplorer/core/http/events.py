"""What happens to one request, attempt by attempt: the feed for timelines, history and --json."""

from __future__ import annotations

from dataclasses import asdict, dataclass, fields
from enum import StrEnum
from typing import Any


class EventKind(StrEnum):
    QUEUED = "queued"
    SLOT_ACQUIRED = "slot_acquired"
    SENT = "sent"
    RESPONSE = "response"
    FAILED = "failed"
    BACKOFF = "backoff"
    GAVE_UP = "gave_up"


@dataclass(frozen=True)
class AttemptEvent:
    kind: EventKind
    request_id: str
    attempt: int
    t: float  # monotonic seconds, from the engine's clock
    status: int | None = None
    elapsed_ms: float | None = None
    error: str | None = None
    sent: bool | None = None
    delay_s: float | None = None
    reason: str | None = None
    retry_after_s: float | None = None
    in_use: int | None = None
    limit: int | None = None

    def to_dict(self) -> dict[str, Any]:
        """Only the fields that are set, so a timeline document stays readable."""
        data = {k: v for k, v in asdict(self).items() if v is not None}
        data["kind"] = self.kind.value
        return data

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> AttemptEvent:
        known = {f.name for f in fields(cls)}
        values = {k: v for k, v in data.items() if k in known}
        values["kind"] = EventKind(values["kind"])
        return cls(**values)
