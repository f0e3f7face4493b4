"""Batch operations over a real socket: lifecycle on a stepped clock, results archive, limits."""

from __future__ import annotations

import io
import json
import tarfile
import time
from typing import Any

import httpx
import pytest

from mcexplorer.sandbox import batches
from mcexplorer.sandbox.model import batch_state
from mcexplorer.sandbox.tarball import pack_results
from tests.sandbox.conftest import StepClock


@pytest.fixture()
def list_id(api: httpx.Client) -> str:
    return str(api.get("lists").json()["lists"][0]["id"])


def read_archive(data: bytes) -> dict[str, bytes]:
    files = {}
    with tarfile.open(fileobj=io.BytesIO(data), mode="r|gz") as tar:
        for member in tar:
            extracted = tar.extractfile(member)
            assert extracted is not None
            files[member.name] = extracted.read()
    return files


def operations(list_id: str) -> list[dict[str, Any]]:
    member = {"email_address": "batched@larkspurmail.com", "status": "subscribed"}
    return [
        {
            "method": "POST",
            "path": f"/lists/{list_id}/members",
            "body": json.dumps(member),
            "operation_id": "add",
        },
        {
            "method": "PATCH",
            "path": f"/lists/{list_id}/members/batched@larkspurmail.com",
            "body": json.dumps({"merge_fields": {"FNAME": "Bea"}}),
            "operation_id": "name",
        },
        {
            "method": "GET",
            "path": f"/lists/{list_id}/members",
            "params": {"count": 2},
            "operation_id": "page",
        },
        {"method": "GET", "path": "/no/such/thing", "operation_id": "missing"},
        {
            "method": "POST",
            "path": f"/lists/{list_id}/members",
            "body": "{not json",
            "operation_id": "broken",
        },
    ]


def test_lifecycle_runs_operations_against_the_account(
    api: httpx.Client, clock: StepClock, list_id: str
) -> None:
    submitted = api.post("batches", json={"operations": operations(list_id)})
    assert submitted.status_code == 200
    batch = submitted.json()
    url = f"batches/{batch['id']}"
    assert (batch["status"], batch["total_operations"], batch["response_body_url"]) == (
        "pending",
        5,
        "",
    )

    clock.now += batch_state.PENDING_S
    assert api.get(url).json()["status"] == "preprocessing"
    clock.now += batch_state.PREPROCESSING_S + batch_state.PER_OPERATION_S * 1.5
    started = api.get(url).json()
    assert started["status"] == "started"
    assert started["finished_operations"] == 2
    assert api.get(f"lists/{list_id}/members/batched@larkspurmail.com").json()["full_name"] == "Bea"

    clock.now += batch_state.PER_OPERATION_S * 4
    finalizing = api.get(url).json()
    assert finalizing["status"] == "finalizing"
    assert finalizing["finished_operations"] == 5
    assert finalizing["response_body_url"] == ""

    clock.now += batch_state.FINALIZING_S
    done = api.get(url).json()
    assert done["status"] == "finished"
    assert (done["finished_operations"], done["errored_operations"]) == (5, 2)
    assert done["completed_at"]
    assert [b["id"] for b in api.get("batches").json()["batches"]].count(batch["id"]) == 1

    archive = httpx.get(done["response_body_url"])
    assert archive.status_code == 200
    files = read_archive(archive.content)
    assert any(body == b"" for body in files.values())
    results = [r for body in files.values() if body for r in json.loads(body)]
    by_id = {r["operation_id"]: r for r in results}
    assert [by_id[k]["status_code"] for k in ("add", "name", "page", "missing", "broken")] == [
        200,
        200,
        200,
        404,
        400,
    ]
    assert all(isinstance(r["response"], str) for r in results)
    assert json.loads(by_id["add"]["response"])["email_address"] == "batched@larkspurmail.com"
    assert len(json.loads(by_id["page"]["response"])["members"]) == 2
    assert json.loads(by_id["broken"]["response"])["title"] == "JSON Parse Exception"

    assert api.delete(url).status_code == 204
    assert api.get(url).status_code == 404
    assert httpx.get(done["response_body_url"]).status_code == 404


def test_real_clock_batch_finishes(api: httpx.Client) -> None:
    batch = api.post("batches", json={"operations": [{"method": "GET", "path": "/ping"}]}).json()
    deadline = time.monotonic() + 10
    status = batch["status"]
    while status != "finished" and time.monotonic() < deadline:
        time.sleep(0.05)
        status = api.get(f"batches/{batch['id']}").json()["status"]
    assert status == "finished"


@pytest.mark.parametrize(
    ("operation", "field"),
    [
        ({"method": "POST", "path": "/lists", "body": {"name": "x"}}, "operations.item:0.body"),
        ({"method": "FETCH", "path": "/lists"}, "operations.item:0.method"),
        ({"method": "GET"}, "operations.item:0.path"),
        (["GET", "/lists"], "operations.item:0"),
    ],
)
def test_invalid_operations_are_rejected(api: httpx.Client, operation: Any, field: str) -> None:
    reply = api.post("batches", json={"operations": [operation]})
    assert reply.status_code == 400
    assert reply.json()["title"] == "Invalid Resource"
    assert [e["field"] for e in reply.json()["errors"]] == [field]


def test_unknown_batch_is_404(api: httpx.Client) -> None:
    assert api.get("batches/0000000000").status_code == 404
    assert api.delete("batches/0000000000").status_code == 404


def test_pending_webhook_events_limit_new_batches(api: httpx.Client, clock: StepClock) -> None:
    hooks = [
        api.post("batch-webhooks", json={"url": f"https://hooks.example.com/{n}"}).json()["id"]
        for n in range(20)
    ]
    try:
        for _ in range(30):  # 30 finished batches x 20 webhooks = 600 events
            assert api.post("batches", json={"operations": []}).status_code == 200
        clock.now += 1.0
        refused = api.post("batches", json={"operations": []})
        assert refused.status_code == 429
        assert refused.json()["title"] == "Too Many Requests"
        clock.now += 600 / batches.WEBHOOK_EVENTS_PER_S
        assert api.post("batches", json={"operations": []}).status_code == 200
    finally:
        for hook in hooks:
            api.delete(f"batch-webhooks/{hook}")


def test_archive_splits_results_and_keeps_an_empty_file() -> None:
    results = [{"status_code": 200, "operation_id": str(n), "response": "{}"} for n in range(1200)]
    files = read_archive(pack_results("abc", results))
    assert sorted(files) == ["abc/1.json", "abc/2.json", "abc/3.json", "abc/4.json"]
    sizes = [len(json.loads(files[f"abc/{n}.json"])) for n in (1, 2, 3)]
    assert sizes == [500, 500, 200]
    assert files["abc/4.json"] == b""
    assert pack_results("abc", results) == pack_results("abc", results)
