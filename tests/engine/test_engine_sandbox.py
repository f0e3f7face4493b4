"""The engine against the real sandbox on a loopback socket: no mocks."""

from __future__ import annotations

import asyncio
import socket
from collections.abc import Iterator
from dataclasses import asdict
from typing import Any

import httpx
import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.events import EventKind
from mcexplorer.core.http.paginate import paginate
from mcexplorer.core.http.repeat import repeat
from mcexplorer.core.http.request import ApiRequest, subscriber_hash
from mcexplorer.core.http.retry import RetryPolicy
from mcexplorer.sandbox.faults import FaultConfig
from mcexplorer.sandbox.server import SandboxServer

MEMBER = "/lists/{list_id}/members/{subscriber_hash}"


@pytest.fixture
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=7) as server:
        yield server


def engine_for(server: SandboxServer, **policy: Any) -> Engine:
    fast = RetryPolicy(base_s=0.01, throttle_base_s=0.02, **policy)
    return Engine(server.api_url, Credentials.api_key(server.demo_key), policy=fast)


def set_faults(server: SandboxServer, config: FaultConfig) -> None:
    httpx.put(f"{server.url}/_sandbox/faults", json=asdict(config)).raise_for_status()


def stats(server: SandboxServer) -> dict[str, object]:
    data: dict[str, object] = httpx.get(f"{server.url}/_sandbox/stats").json()
    return data


async def first_list_id(engine: Engine) -> str:
    outcome = await engine.send(ApiRequest(path="/lists", query={"fields": "lists.id"}))
    list_id: str = outcome.json()["lists"][0]["id"]
    return list_id


def upsert(list_id: str, email: str) -> ApiRequest:
    return ApiRequest(
        "PUT",
        MEMBER,
        {"list_id": list_id, "subscriber_hash": subscriber_hash(email)},
        body={"email_address": email, "status_if_new": "subscribed"},
    )


async def test_get_root_succeeds_with_a_full_timeline(sandbox: SandboxServer) -> None:
    async with engine_for(sandbox) as engine:
        outcome = await engine.send(ApiRequest(path="/"))
    assert outcome.ok and outcome.status == 200 and outcome.problem is None
    assert outcome.json()["role"] == "owner"
    assert [e.kind for e in outcome.attempts] == [
        EventKind.QUEUED,
        EventKind.SLOT_ACQUIRED,
        EventKind.SENT,
        EventKind.RESPONSE,
    ]
    times = [e.t for e in outcome.attempts]
    assert times == sorted(times)
    assert outcome.x_request_id is None or outcome.x_request_id


async def test_404_problem_is_decoded(sandbox: SandboxServer) -> None:
    async with engine_for(sandbox) as engine:
        outcome = await engine.send(
            ApiRequest(path="/lists/{list_id}", path_params={"list_id": "nope"})
        )
    assert outcome.status == 404 and not outcome.ok
    assert outcome.problem is not None and outcome.problem.title == "Resource Not Found"
    assert outcome.problem.kind == "problem+json" and "nope" in outcome.problem.detail


async def test_triggered_429_is_retried_then_reported_and_leaves_the_slots_alone(
    sandbox: SandboxServer,
) -> None:
    async with engine_for(sandbox, max_attempts=3) as engine:
        req = ApiRequest(path="/lists").with_trigger_error("TooManyRequests")
        outcome = await engine.send(req)
        snap = engine.snapshot()
    assert outcome.status == 429 and outcome.retries == 2
    assert "after 3 attempts" in (outcome.gave_up or "")
    assert snap.effective_limit == 10  # a reproduced 429 says nothing of the real load
    assert snap.in_flight == 0


async def test_503_faults_are_retried_for_put_and_no_write_is_lost(sandbox: SandboxServer) -> None:
    set_faults(sandbox, FaultConfig(rates={"503": 0.3}))
    async with engine_for(sandbox, max_attempts=8) as engine:
        list_id = await first_list_id(engine)
        outcomes = await asyncio.gather(
            *(engine.send(upsert(list_id, f"p{i}@fernpost.net")) for i in range(30))
        )
    assert all(o.ok for o in outcomes)
    assert sum(o.retries for o in outcomes) > 0
    numbers = stats(sandbox)
    assert numbers["writes_applied"] == 30 and numbers["writes_repeated"] == 0


async def test_post_hit_by_a_500_ends_as_unknown_and_is_sent_once(sandbox: SandboxServer) -> None:
    async with engine_for(sandbox) as engine:
        list_id = await first_list_id(engine)
        httpx.post(f"{sandbox.url}/_sandbox/reset", json={}).raise_for_status()  # zero the counters
        set_faults(sandbox, FaultConfig(rates={"500": 1.0}))
        req = ApiRequest(
            "POST",
            "/lists/{list_id}/members",
            {"list_id": list_id},
            body={"email_address": "once@fernpost.net", "status": "subscribed"},
        )
        outcome = await engine.send(req)
    assert outcome.unknown_outcome and not outcome.ok and outcome.status == 500
    assert "outcome unknown" in (outcome.gave_up or "")
    assert stats(sandbox)["requests"] == 1


async def test_reset_after_sending_a_post_is_unknown(sandbox: SandboxServer) -> None:
    async with engine_for(sandbox) as engine:
        list_id = await first_list_id(engine)
        set_faults(sandbox, FaultConfig(rates={"reset": 1.0}))
        outcome = await engine.send(
            ApiRequest("POST", "/lists/{list_id}/members", {"list_id": list_id}, body={})
        )
    assert outcome.unknown_outcome and outcome.status is None
    failed = next(e for e in outcome.attempts if e.kind is EventKind.FAILED)
    assert failed.sent is True
    assert outcome.problem is not None and outcome.problem.kind == "transport"


async def test_burst_of_50_never_exceeds_the_cap_at_the_server(sandbox: SandboxServer) -> None:
    set_faults(sandbox, FaultConfig(latency_ms=30))
    async with engine_for(sandbox) as engine:
        outcomes = await asyncio.gather(*(engine.send(ApiRequest(path="/ping")) for _ in range(50)))
        assert engine.snapshot().peak == 10
    assert all(o.ok for o in outcomes)
    numbers = stats(sandbox)
    assert numbers["peak_in_flight"] == 10 and numbers["throttled_429"] == 0


async def test_connect_error_on_a_closed_port_is_retried_then_reported() -> None:
    with socket.socket() as sock:
        sock.bind(("127.0.0.1", 0))
        port = sock.getsockname()[1]
    policy = RetryPolicy(base_s=0.001, max_attempts=3)
    async with Engine(f"http://127.0.0.1:{port}/3.0/", None, policy=policy) as engine:
        outcome = await engine.send(ApiRequest("POST", "/lists", body={}))
    failures = [e for e in outcome.attempts if e.kind is EventKind.FAILED]
    assert len(failures) == 3 and all(e.sent is False for e in failures)
    assert not outcome.unknown_outcome and outcome.problem is not None


async def test_paginate_walks_to_total_items(sandbox: SandboxServer) -> None:
    async with engine_for(sandbox) as engine:
        pages = [o async for o in paginate(engine, ApiRequest(path="/lists"), page_size=3)]
    total = pages[0].json()["total_items"]
    assert len(pages) == -(-total // 3)
    ids = [item["id"] for page in pages for item in page.json()["lists"]]
    assert len(ids) == len(set(ids)) == total


async def test_repeat_summarises_statuses_and_peak(sandbox: SandboxServer) -> None:
    set_faults(sandbox, FaultConfig(latency_ms=5))
    async with engine_for(sandbox) as engine:
        summary, outcomes = await repeat(engine, ApiRequest(path="/ping"), 20, 4)
    assert summary.statuses == {"200": 20} and summary.ok == 20 and summary.failed == 0
    assert summary.peak_in_flight == 4 and len(outcomes) == 20
    assert summary.p50_ms <= summary.p90_ms <= summary.p99_ms <= summary.max_ms


async def test_engine_refuses_plain_http_to_a_remote_host() -> None:
    with pytest.raises(ValueError, match="Refusing plain http"):
        Engine("http://example.com/3.0/", None)
