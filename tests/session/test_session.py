"""The session: send, record and explain in one place, on a real sandbox and a real SQLite file."""

from __future__ import annotations

from collections.abc import Iterator
from pathlib import Path

import pytest

from mcexplorer.core.accounts.keys import Provider
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.history.store import HistoryStore, Retention
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.retry import RetryPolicy
from mcexplorer.core.session.session import Session
from mcexplorer.sandbox.server import SandboxServer

APPLIED_ADVICE = "may or may not have been applied"


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=11) as server:
        yield server


def store_in(tmp_path: Path) -> HistoryStore:
    return HistoryStore(tmp_path / "history.sqlite3", retention=Retention())


async def test_send_records_and_a_lookup_does_not(sandbox: SandboxServer, tmp_path: Path) -> None:
    target = Target.for_sandbox(Provider.MAILCHIMP, sandbox.demo_key, sandbox.api_url)
    store = store_in(tmp_path)
    async with Session(target, store=store) as session:
        await session.fetch(ApiRequest(path="/"))
        sent = await session.send(ApiRequest(path="/lists/{list_id}", path_params={"list_id": "x"}))
    assert sent.status == 404
    entries = store.list()
    assert [(e.outcome.status, e.outcome.request.path) for e in entries] == [
        (404, "/lists/{list_id}")
    ]
    assert entries[0].outcome.problem is not None
    assert entries[0].outcome.problem.title == "Resource Not Found"


async def test_a_failed_post_is_explained_with_the_may_have_been_applied_advice(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    target = Target.for_sandbox(Provider.MAILCHIMP, sandbox.demo_key, sandbox.api_url)
    req = ApiRequest("POST", "/lists", body={}).with_trigger_error("InternalServerError")
    policy = RetryPolicy(max_attempts=1)
    async with Session(target, store=store_in(tmp_path), policy=policy) as session:
        outcome = await session.send(req)
        explained = await session.explain(outcome)
    assert outcome.status == 500
    assert explained is not None and explained.entry is not None
    assert any(APPLIED_ADVICE in hint for hint in explained.hints)


async def test_a_403_looks_up_the_role_once_and_names_it(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    viewer = Target.for_sandbox(Provider.MAILCHIMP, sandbox.viewer_key, sandbox.api_url)
    async with Session(viewer, store=store_in(tmp_path)) as session:
        outcome = await session.send(ApiRequest("POST", "/lists", body={"name": "x"}))
        explained = await session.explain(outcome)
        again = await session.explain(outcome)
    assert outcome.status == 403 and session.role == "viewer"
    assert explained is not None and any("viewer role" in hint for hint in explained.hints)
    assert again == explained


async def test_a_success_has_no_explanation(sandbox: SandboxServer, tmp_path: Path) -> None:
    target = Target.for_sandbox(Provider.MAILCHIMP, sandbox.demo_key, sandbox.api_url)
    store = store_in(tmp_path)
    async with Session(target, store=store, history=False) as session:
        outcome = await session.send(ApiRequest(path="/ping"))
        assert outcome.ok and await session.explain(outcome) is None
    assert store.count() == 0
