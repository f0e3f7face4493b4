"""Outcomes as the engine builds them, for history and bundle tests that need no network."""

from __future__ import annotations

import json
from typing import Any

from mcexplorer.core.http.events import AttemptEvent, EventKind
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.problems.problem import decode_problem

KEY = "0123456789abcdef0123456789abcdef-us6"


def make_outcome(
    status: int | None = 200,
    *,
    path: str = "/lists/{list_id}/members",
    params: dict[str, str] | None = None,
    body: Any = None,
    raw_body: bytes | None = None,
    headers: dict[str, str] | None = None,
    request_headers: dict[str, str] | None = None,
) -> Outcome:
    req = ApiRequest(
        "GET",
        path,
        params if params is not None else {"list_id": "a1b2"},
        headers=request_headers or {},
    )
    data = raw_body if raw_body is not None else json.dumps(body or {}).encode()
    response_headers = {"content-type": "application/json", "x-request-id": "req-123"}
    if status is not None and status >= 400:
        response_headers["content-type"] = "application/problem+json"
    response_headers.update(headers or {})
    problem = decode_problem(status, response_headers, data) if status is not None else None
    attempts = [
        AttemptEvent(EventKind.QUEUED, "r1", 1, 10.0),
        AttemptEvent(EventKind.SLOT_ACQUIRED, "r1", 1, 10.001, in_use=1, limit=10),
        AttemptEvent(EventKind.SENT, "r1", 1, 10.002),
        AttemptEvent(EventKind.RESPONSE, "r1", 1, 10.120, status=status, elapsed_ms=118.0),
    ]
    return Outcome(
        request=req,
        request_id="r1",
        method="GET",
        url="https://us6.api.mailchimp.com/3.0" + req.render_path(),
        status=status,
        headers=response_headers,
        body=data,
        elapsed_ms=120.0,
        attempts=attempts,
        problem=problem,
        unknown_outcome=False,
        started_at="2024-05-01T12:00:00.000000+00:00",
    )


def not_found() -> Outcome:
    return make_outcome(
        404,
        params={"list_id": "nope"},
        body={
            "type": "https://mailchimp.com/developer/marketing/docs/errors/",
            "title": "Resource Not Found",
            "status": 404,
            "detail": "The requested resource could not be found.",
            "instance": "5c3c8d3e-1111-2222-3333-444455556666",
        },
    )
