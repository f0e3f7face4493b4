"""What one logical request came to: the final answer (or failure), every attempt, the
decoded problem. Engines produce it; history stores it; views, reports and bundles read it."""

from __future__ import annotations

import json
from dataclasses import dataclass, field
from typing import Any

from mcexplorer.core.http.events import AttemptEvent, EventKind
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.problems.problem import Problem


@dataclass
class Outcome:
    request: ApiRequest
    request_id: str
    method: str
    url: str
    status: int | None
    headers: dict[str, str]
    body: bytes
    elapsed_ms: float
    attempts: list[AttemptEvent]
    problem: Problem | None
    unknown_outcome: bool
    started_at: str
    gave_up: str | None = field(default=None)  # why retrying stopped, when it did

    @property
    def ok(self) -> bool:
        return self.status is not None and 200 <= self.status < 300 and not self.unknown_outcome

    @property
    def x_request_id(self) -> str | None:
        return self.headers.get("x-request-id")

    @property
    def retries(self) -> int:
        return sum(1 for e in self.attempts if e.kind is EventKind.BACKOFF)

    def json(self) -> Any | None:
        if not self.body:
            return None
        try:
            return json.loads(self.body)
        except ValueError:
            return None

    def to_dict(self) -> dict[str, Any]:
        parsed = self.json()
        return {
            "request_id": self.request_id,
            "request": self.request.to_dict(),
            "method": self.method,
            "url": self.url,
            "status": self.status,
            "ok": self.ok,
            "unknown_outcome": self.unknown_outcome,
            "gave_up": self.gave_up,
            "started_at": self.started_at,
            "elapsed_ms": round(self.elapsed_ms, 3),
            "x_request_id": self.x_request_id,
            "headers": self.headers,
            "json": parsed,
            "body": None if parsed is not None else self.body.decode("utf-8", "replace"),
            "problem": self.problem.to_dict() if self.problem else None,
            "attempts": [e.to_dict() for e in self.attempts],
        }
