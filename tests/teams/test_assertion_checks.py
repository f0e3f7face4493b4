"""Assertions checked against real responses of the sandbox on a loopback socket."""

from __future__ import annotations

import asyncio
from collections.abc import Iterator
from typing import Any

import httpx
import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.collections.assertions import assertion_from_dict
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.session.assertions import check_assertion, judges_status
from mcexplorer.sandbox.server import SandboxServer


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer() as server:
        yield server


def _send(server: SandboxServer, req: ApiRequest) -> Outcome:
    async def go() -> Outcome:
        engine = Engine(server.api_url, Credentials.api_key(server.demo_key))
        try:
            return await engine.send(req)
        finally:
            await engine.aclose()

    return asyncio.run(go())


@pytest.fixture(scope="module")
def members(sandbox: SandboxServer) -> tuple[Outcome, dict[str, Any]]:
    """Two members of the first audience, and what the API says they are (read directly)."""
    auth = ("any", sandbox.demo_key)
    list_id = httpx.get(sandbox.api_url + "lists", auth=auth).json()["lists"][0]["id"]
    query = {"count": "2", "fields": "members.email_address,members.status,total_items"}
    truth = httpx.get(f"{sandbox.api_url}lists/{list_id}/members", params=query, auth=auth)
    req = ApiRequest("GET", "/lists/{list_id}/members", {"list_id": list_id}, query=query)
    return _send(sandbox, req), truth.json()


def _check(outcome: Outcome, written: dict[str, Any]) -> tuple[bool, str]:
    result = check_assertion(assertion_from_dict(written), outcome)
    return result.passed, result.message


def test_passing_checks(members: tuple[Outcome, dict[str, Any]]) -> None:
    outcome, truth = members
    first = truth["members"][0]
    statuses = {m["status"] for m in truth["members"]}
    for written in [
        {"status": 200},
        {"status": "2xx"},
        {"json": "members[0].email_address", "equals": first["email_address"]},
        {"json": "members[*].status", "matches": "|".join(statuses)},
        {"json": "total_items", "equals": float(truth["total_items"])},  # 520 == 520.0
        {"json": "total_items", "exists": True},
        {"json": "members[5]", "exists": False},
        {"json": "members[-1].email_address", "matches": "@"},
        {"header": "Content-Type", "matches": "^application/json"},
        {"header": "x-request-id", "exists": True},
        {"header": "X-Nope", "exists": False},
    ]:
        assert _check(outcome, written) == (True, ""), written


def test_failures_name_the_path_and_both_values(members: tuple[Outcome, dict[str, Any]]) -> None:
    outcome, truth = members
    first = truth["members"][0]["email_address"]
    passed, message = _check(outcome, {"json": "members[0].email_address", "equals": "x@y.z"})
    assert not passed
    assert message == f'json members[0].email_address: expected "x@y.z", got "{first}"'

    passed, message = _check(outcome, {"json": "members[*].status", "equals": "cleaned"})
    values = [m["status"] for m in truth["members"]]
    assert message == (
        'json members[*].status: expected every value to equal "cleaned", got '
        + str(values).replace("'", '"')
    )
    assert _check(outcome, {"json": "members[9].id", "equals": 1}) == (
        False,
        "json members[9].id: expected 1, got nothing (no value there)",
    )
    assert _check(outcome, {"status": "4xx"}) == (False, "status: expected 4xx, got 200")
    assert _check(outcome, {"json": "total_items", "equals": True})[0] is False  # not a number
    passed, message = _check(outcome, {"header": "X-Request-Id", "exists": False})
    assert message.startswith("header X-Request-Id: expected no value, got ")


def test_a_saved_request_may_expect_a_404(sandbox: SandboxServer) -> None:
    outcome = _send(sandbox, ApiRequest("GET", "/lists/{list_id}", {"list_id": "nope"}))
    checks = (
        assertion_from_dict({"status": 404}),
        assertion_from_dict({"json": "title", "equals": "Resource Not Found"}),
    )
    assert judges_status(checks) and not outcome.ok
    assert all(check_assertion(c, outcome).passed for c in checks)
