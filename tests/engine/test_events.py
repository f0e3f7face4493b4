"""Events and outcomes survive a trip through their dict form (history, --json)."""

from __future__ import annotations

import json

from mcexplorer.core.clock import ManualClock
from mcexplorer.core.http.events import AttemptEvent, EventKind
from mcexplorer.core.http.request import ApiRequest
from tests.engine.conftest import Script, answer, make_engine


def test_event_round_trip_keeps_only_set_fields() -> None:
    event = AttemptEvent(EventKind.BACKOFF, "r1", 2, 12.5, delay_s=0.3, reason="503", sent=False)
    data = event.to_dict()
    assert data == {
        "kind": "backoff",
        "request_id": "r1",
        "attempt": 2,
        "t": 12.5,
        "delay_s": 0.3,
        "reason": "503",
        "sent": False,
    }
    assert AttemptEvent.from_dict(json.loads(json.dumps(data))) == event


async def test_outcome_to_dict_is_json_with_every_attempt() -> None:
    clock = ManualClock()
    engine = make_engine(Script(answer(503), answer(200, body={"x": 1})), clock)
    outcome = await engine.send(ApiRequest(path="/lists", query={"count": "5"}))
    doc = json.loads(json.dumps(outcome.to_dict()))
    assert doc["status"] == 200 and doc["ok"] and doc["json"] == {"x": 1} and doc["body"] is None
    assert doc["url"] == "http://127.0.0.1:9/3.0/lists?count=5"
    assert doc["started_at"] == "2026-01-01T00:00:00.000+00:00"
    assert [AttemptEvent.from_dict(e) for e in doc["attempts"]] == outcome.attempts
    assert {e["request_id"] for e in doc["attempts"]} == {outcome.request_id}
