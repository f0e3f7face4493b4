"""A batch's recorded state and the timeline its status follows (data only, no store)."""

from __future__ import annotations

from dataclasses import dataclass, field
from typing import Any

PENDING_S = 0.1
PREPROCESSING_S = 0.1
PER_OPERATION_S = 0.002
FINALIZING_S = 0.1


@dataclass
class Batch:
    id: str
    operations: list[dict[str, Any]]
    submitted: float  # store clock
    submitted_at: str
    results: list[dict[str, Any]] = field(default_factory=list)
    errored: int = 0
    completed_at: str = ""
    events_queued: bool = False

    @property
    def started_at(self) -> float:
        return self.submitted + PENDING_S + PREPROCESSING_S

    @property
    def finished_at(self) -> float:
        return self.started_at + len(self.operations) * PER_OPERATION_S + FINALIZING_S

    def status(self, now: float) -> str:
        if now >= self.finished_at:
            return "finished"
        if now >= self.finished_at - FINALIZING_S:
            return "finalizing"
        if now >= self.started_at:
            return "started"
        return "preprocessing" if now >= self.submitted + PENDING_S else "pending"

    def due(self, now: float) -> int:
        """How many operations should have run by `now`."""
        if now < self.started_at:
            return 0
        return min(len(self.operations), int((now - self.started_at) / PER_OPERATION_S) + 1)
