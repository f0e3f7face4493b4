"""Members import against hostile circumstances: a batch submit whose answer is lost, a
failed-rows file pointed at the input, rows that cannot be parsed, a ';'-separated file."""

from __future__ import annotations

import csv
from pathlib import Path
from typing import Any

import httpx
import pytest

from mcexplorer.cli import main
from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.bulk.batch_jobs import BatchApiError, BatchJobs, PollPolicy
from mcexplorer.core.bulk.csv_rows import parse_csv, read_csv_file
from mcexplorer.core.bulk.import_journal import Journal, journal_path_for, read_journal
from mcexplorer.core.bulk.members_import import (
    ImportReport,
    ImportSetupError,
    MembersImport,
    MergeField,
    fetch_merge_fields,
    plan_import,
    write_failed_csv,
)
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.retry import RetryPolicy
from mcexplorer.sandbox.server import SandboxServer
from tests.bulk.conftest import stats, write

FIELDS = [MergeField("FNAME", "First Name", "text")]


class LosesTheBatchAnswer(httpx.AsyncBaseTransport):
    """Passes requests to the sandbox; a POST /batches is applied there, but its answer is
    lost on the way back, after the request went out (a read timeout, as the engine sees it)."""

    def __init__(self) -> None:
        self._inner = httpx.AsyncHTTPTransport()

    async def handle_async_request(self, request: httpx.Request) -> httpx.Response:
        response = await self._inner.handle_async_request(request)
        if request.method == "POST" and request.url.path.endswith("/batches"):
            await response.aread()
            await response.aclose()
            raise httpx.ReadTimeout("the answer never came", request=request)
        return response

    async def aclose(self) -> None:
        await self._inner.aclose()


def batch_ids(sandbox: SandboxServer) -> list[str]:
    api = httpx.Client(base_url=sandbox.api_url, auth=("x", sandbox.demo_key))
    return [b["id"] for b in api.get("batches").json()["batches"]]


async def test_a_batch_whose_submit_answer_was_lost_is_found_not_submitted_again(
    sandbox: SandboxServer, list_id: str, admin: httpx.Client, tmp_path: Path
) -> None:
    source = write(
        tmp_path / "m.csv",
        "email,FNAME\n" + "".join(f"lost{n}@fernpost.net,L{n}\n" for n in range(15)),
    )
    creds = Credentials.api_key(sandbox.demo_key)
    policy = RetryPolicy(base_s=0.01)
    poll = PollPolicy(first_s=0.05)
    path = journal_path_for(source)
    async with Engine(
        sandbox.api_url, creds, policy=policy, transport=LosesTheBatchAnswer()
    ) as lossy:
        plan = plan_import(list_id, read_csv_file(source), await fetch_merge_fields(lossy, list_id))
        with Journal.start(path, list_id) as journal:
            job = MembersImport(lossy, plan, journal=journal)
            with pytest.raises(BatchApiError, match="outcome unknown"):
                await job.run_batch(BatchJobs(lossy, poll=poll))
    assert len(batch_ids(sandbox)) == 1  # it did land
    assert len(read_journal(path).intents) == 1  # and the journal knows one may have

    async with Engine(sandbox.api_url, creds, policy=policy) as engine:
        with Journal.resume(path, list_id) as journal:
            report = await MembersImport(engine, plan, journal=journal).run_batch(
                BatchJobs(engine, poll=poll)
            )
    assert report.counts == {"upserted": 15} and report.requests == 0
    assert batch_ids(sandbox) == report.batches  # the orphan was followed, no second batch
    assert stats(admin)["writes_applied"] == 15 + 1
    assert read_journal(path).intents == {}


def test_the_failed_rows_file_may_not_be_the_input(
    sandbox: SandboxServer,
    list_id: str,
    admin: httpx.Client,
    tmp_path: Path,
    monkeypatch: pytest.MonkeyPatch,
    capsys: pytest.CaptureFixture[str],
) -> None:
    monkeypatch.setenv("MAILCHIMP_API_KEY", sandbox.demo_key)
    text = "email,FNAME\nok@fernpost.net,O\nbroken@,B\n"
    source = write(tmp_path / "m.csv", text)
    before = stats(admin)["requests"]
    for other in (source, tmp_path / "." / "m.csv", journal_path_for(source)):
        argv = ["members", "import", list_id, str(source), "--failed-csv", str(other)]
        assert main([*argv, "--base-url", sandbox.api_url]) == 2
        assert "name another file with --failed-csv" in capsys.readouterr().err
    assert source.read_text(encoding="utf-8") == text
    assert stats(admin)["requests"] == before


def test_rows_that_cannot_be_parsed_keep_their_cells_in_the_failed_rows_file(
    tmp_path: Path,
) -> None:
    huge = "big@fernpost.net," + "y" * 140_000  # past the csv module's field size limit
    table = parse_csv(f"email,FNAME\nok@fernpost.net,O\nsmith@fernpost.net,Smith, John\n{huge}\n")
    plan = plan_import("L", table, FIELDS)
    report = ImportReport(invalid=list(plan.invalid))
    out = tmp_path / "failed.csv"
    assert write_failed_csv(out, plan, report) == 2
    limit = csv.field_size_limit(1_000_000)  # to read the huge row back here
    try:
        rows: list[dict[str, Any]] = list(csv.DictReader(out.open(encoding="utf-8")))
    finally:
        csv.field_size_limit(limit)
    assert rows[0]["email"] == "smith@fernpost.net" and rows[0]["FNAME"] == "Smith"
    assert rows[0]["_original"] == "smith@fernpost.net,Smith, John"
    assert "has 3 values" in rows[0]["_reason"]
    assert rows[1]["_original"] == huge and "cannot be read as CSV" in rows[1]["_reason"]


def test_a_semicolon_separated_file_gets_a_hint() -> None:
    table = parse_csv("email;FNAME\nx@fernpost.net;X\n")
    with pytest.raises(ImportSetupError, match="separated by ';'"):
        plan_import("L", table, FIELDS)
