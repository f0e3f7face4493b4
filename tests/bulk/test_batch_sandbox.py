"""A batch's whole life on the sandbox: submit, poll to finished, results decoded, limits."""

from __future__ import annotations

import json
import os
from pathlib import Path

import httpx
import pytest

from mcexplorer.cli import main
from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.bulk.batch import BatchOperation
from mcexplorer.core.bulk.batch_jobs import BatchApiError, BatchJobs, PollPolicy
from mcexplorer.core.bulk.batch_results import iter_archive
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.retry import RetryPolicy
from mcexplorer.core.problems.glossary import Glossary
from mcexplorer.sandbox.batches import MAX_PENDING_WEBHOOK_EVENTS
from mcexplorer.sandbox.server import SandboxServer
from tests.bulk.conftest import write

FAST_POLL = PollPolicy(first_s=0.05, cap_s=0.2)


def operations(list_id: str) -> list[BatchOperation]:
    member = {"email_address": "batch@fernpost.net", "status_if_new": "subscribed"}
    return [
        BatchOperation(
            "PUT",
            f"/lists/{list_id}/members/batch@fernpost.net",
            body=json.dumps(member),
            operation_id="upsert",
        ),
        BatchOperation(
            "GET", f"/lists/{list_id}/members", params={"count": "2"}, operation_id="page"
        ),
        BatchOperation("GET", "/lists/nope", operation_id="missing"),
    ]


async def test_submit_poll_and_read_results_with_a_decoded_failure(
    engine: Engine, list_id: str
) -> None:
    jobs = BatchJobs(engine, poll=FAST_POLL)
    submitted = await jobs.submit(operations(list_id))
    assert submitted.status == "pending" and submitted.total == 3
    seen: list[str] = []
    final = await jobs.wait(submitted.id, lambda s: seen.append(s.status))
    assert seen[-1] == "finished" and seen[0] in ("pending", "preprocessing", "started")
    assert (final.total, final.finished, final.errored) == (3, 3, 1)
    async with jobs.download(final.id) as archive:
        results = {r.operation_id: r for r in iter_archive(archive)}
    assert results["upsert"].status_code == 200
    assert results["page"].json()["members"]
    missing = results["missing"].problem()
    assert missing is not None and missing.status == 404
    entry = Glossary.load().lookup(missing)
    assert entry is not None and entry.status == 404


async def test_list_and_delete(engine: Engine, list_id: str) -> None:
    jobs = BatchJobs(engine, poll=FAST_POLL)
    submitted = await jobs.submit(operations(list_id)[:1])
    assert submitted.id in [b.id for b in await jobs.list()]
    await jobs.delete(submitted.id)
    with pytest.raises(BatchApiError, match="404") as caught:
        await jobs.status(submitted.id)
    assert "7 days" in caught.value.hint


async def test_pending_webhook_backlog_429_is_explained(
    sandbox: SandboxServer, list_id: str, admin: httpx.Client
) -> None:
    store = sandbox.app.store
    far = store.clock() + 3600
    store.webhook_queue.extend([far] * (MAX_PENDING_WEBHOOK_EVENTS + 1))
    try:
        async with Engine(
            sandbox.api_url,
            Credentials.api_key(sandbox.demo_key),
            policy=RetryPolicy(max_attempts=1),
        ) as engine:
            with pytest.raises(BatchApiError) as caught:
                await BatchJobs(engine).submit(operations(list_id))
    finally:
        store.webhook_queue.clear()
    problem = caught.value.problem
    assert problem is not None and problem.status == 429
    entry = Glossary.load().lookup(problem)
    assert entry is not None and entry.key == "mc-too-many-batch-webhooks"
    assert "500" in caught.value.hint


def test_cli_submit_wait_and_results_export_failed_operations(
    sandbox: SandboxServer,
    list_id: str,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MAILCHIMP_API_KEY", sandbox.demo_key)
    target = ["--base-url", sandbox.api_url]
    ops = write(
        tmp_path / "ops.csv",
        "method,path,body,operation_id\n"
        f'PUT,/lists/{list_id}/members/cli@qb.org,"{{""email_address"": ""cli@qb.org"", '
        f'""status_if_new"": ""subscribed""}}",ok-one\n'
        f'POST,/lists/{list_id}/members,"{{""email_address"": ""nope"", '
        f'""status"": ""subscribed""}}",bad-one\n',
    )
    assert main(["batch", "submit", str(ops), "--wait", *target]) == 1  # one errored
    out = capsys.readouterr().out
    batch_id = out.split()[2]
    assert "finished (2/2 done, 1 errored)" in out

    assert main(["batch", "results", batch_id, "-o", str(tmp_path / "out"), *target]) == 1
    out = capsys.readouterr().out
    assert "bad-one" in out and "Invalid Resource" in out and "ok-one" not in out
    failed_csv = tmp_path / "out" / f"{batch_id}-failed.csv"
    assert "bad-one" in failed_csv.read_text() and "ok-one" not in failed_csv.read_text()
    saved = os.listdir(tmp_path / "out" / f"{batch_id}-failed")
    assert saved == ["bad-one.request.json"]
    # the exported CSV is a valid batch of its own
    assert main(["batch", "submit", str(failed_csv), *target]) == 0


def test_cli_refuses_an_invalid_batch_before_sending(
    sandbox: SandboxServer,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
    admin: httpx.Client,
) -> None:
    monkeypatch.setenv("MAILCHIMP_API_KEY", sandbox.demo_key)
    ops = write(tmp_path / "ops.csv", "method,path,body\nGET,/lists,{}\nPOST,/lists,{bad\n")
    assert main(["batch", "submit", str(ops), "--base-url", sandbox.api_url]) == 2
    err = capsys.readouterr().err
    assert "ops.csv, line 2: body: a GET operation takes no body" in err
    assert "ops.csv, line 3: body: not valid JSON" in err
    assert admin.get("/_sandbox/stats").json()["requests"] == 0
