"""Batch operations: a clock-driven lifecycle that really runs each operation, and webhook backlog.

A batch is `pending`, then `preprocessing`, then `started` (operations run one by one as the
clock passes their turn), then `finalizing`, then `finished`. Work happens lazily: whenever any
request reaches a handler, batches catch up to the clock, so tests that step an injected clock
see exactly the same states every run.
"""

from __future__ import annotations

import json
from collections.abc import Callable
from typing import Any

from mcexplorer.sandbox.errors import ApiError
from mcexplorer.sandbox.model.batch_state import Batch
from mcexplorer.sandbox.routing import Reply
from mcexplorer.sandbox.store import Store
from mcexplorer.sandbox.tarball import pack_results

Execute = Callable[[str, str, dict[str, str], Any], Reply]

# Batch-webhook events are delivered one after another at this rate.
WEBHOOK_EVENTS_PER_S = 50.0
MAX_PENDING_WEBHOOK_EVENTS = 500


def submit(store: Store, operations: list[dict[str, Any]]) -> Batch:
    if pending_webhook_events(store) > MAX_PENDING_WEBHOOK_EVENTS:
        raise ApiError(
            429,
            "Too Many Requests",
            f"More than {MAX_PENDING_WEBHOOK_EVENTS} batch webhook events are waiting to be "
            "delivered; wait for some to complete before adding batches.",
        )
    batch = Batch(store.hex_id(), operations, store.clock(), store.now_iso())
    store.batches[batch.id] = batch
    return batch


def advance(store: Store, execute: Execute) -> None:
    """Run every operation whose turn has come; queue webhook events for finished batches."""
    if store.advancing:
        return
    store.advancing = True
    try:
        now = store.clock()
        for batch in list(store.batches.values()):
            while len(batch.results) < batch.due(now):
                operation = batch.operations[len(batch.results)]
                result = run_operation(execute, operation)
                batch.results.append(result)
                batch.errored += not 200 <= result["status_code"] < 300
            if batch.status(now) == "finished" and not batch.events_queued:
                batch.events_queued = True
                batch.completed_at = store.now_iso()
                _queue_events(store, batch.finished_at)
    finally:
        store.advancing = False


def _queue_events(store: Store, at: float) -> None:
    queue = store.webhook_queue
    for _ in store.batch_webhooks:
        last = queue[-1] if queue else at
        queue.append(max(at, last) + 1 / WEBHOOK_EVENTS_PER_S)


def pending_webhook_events(store: Store) -> int:
    now = store.clock()
    queue = store.webhook_queue
    while queue and queue[0] <= now:
        queue.popleft()
    return len(queue)


def run_operation(execute: Execute, operation: dict[str, Any]) -> dict[str, Any]:
    """One result entry: status, the caller's operation_id and the body as a JSON string."""
    status, body = _execute(execute, operation)
    text = "" if body is None else json.dumps(body)
    return {"status_code": status, "operation_id": operation.get("operation_id"), "response": text}


def _execute(execute: Execute, operation: dict[str, Any]) -> tuple[int, Any]:
    # The body stays a JSON string: the dispatcher parses it like a request body, so a
    # malformed one gets the same JSON Parse Exception a direct call would.
    params = {str(k): _text(v) for k, v in (operation.get("params") or {}).items()}
    reply = execute(operation["method"], operation["path"], params, operation.get("body") or None)
    return reply.status, reply.body


def _text(value: Any) -> str:
    if isinstance(value, list):
        return ",".join(map(str, value))
    if isinstance(value, bool):
        return "true" if value else "false"
    return str(value)


def render(batch: Batch, now: float, base_url: str) -> dict[str, Any]:
    status = batch.status(now)
    finished = status == "finished"
    origin = base_url.rstrip("/").rsplit("/3.0", 1)[0]
    return {
        "id": batch.id,
        "status": status,
        "total_operations": len(batch.operations),
        "finished_operations": len(batch.results),
        "errored_operations": batch.errored,
        "submitted_at": batch.submitted_at,
        "completed_at": batch.completed_at if finished else "",
        "response_body_url": f"{origin}/_batch-results/{batch.id}.tar.gz" if finished else "",
    }


def batch_results(store: Store, batch_id: str) -> bytes | None:
    """The results archive of a finished batch; None when unknown or not finished."""
    with store.lock:
        batch = store.batches.get(batch_id)
        if batch is None or not batch.events_queued:
            return None
        return pack_results(batch.id, batch.results)
