"""Members import on the sandbox: local checks, direct and batch routes, resume, re-run."""

from __future__ import annotations

import asyncio
import csv
from pathlib import Path

import httpx
import pytest

from mcexplorer.cli import main
from mcexplorer.core.bulk.batch_jobs import BatchJobs, PollPolicy
from mcexplorer.core.bulk.csv_rows import parse_csv, read_csv_file
from mcexplorer.core.bulk.import_journal import Journal, journal_path_for, read_journal
from mcexplorer.core.bulk.members_import import (
    MembersImport,
    RowOutcome,
    fetch_existing,
    fetch_merge_fields,
    plan_import,
)
from mcexplorer.core.http.engine import Engine
from mcexplorer.sandbox.server import SandboxServer
from tests.bulk.conftest import stats, write


def members_csv(path: Path, count: int, *, start: int = 0, extra: str = "") -> Path:
    lines = ["email,First Name,LNAME"]
    lines += [f"imp{n}@fernpost.net,Name{n},Zed" for n in range(start, start + count)]
    return write(path, "\n".join(lines) + "\n" + extra)


async def test_plan_reports_invalid_rows_by_line(engine: Engine, list_id: str) -> None:
    table = parse_csv(
        "email,FNAME,status\n"
        "ok@fernpost.net,Ok,\n"
        "\n"
        "no-at-sign,X,\n"
        "ok@fernpost.net,Again,\n"
        "fine@fernpost.net,F,maybe\n"
    )
    plan = plan_import(list_id, table, await fetch_merge_fields(engine, list_id))
    assert [r.line for r in plan.rows] == [2]
    assert [str(i) for i in plan.invalid] == [
        "line 4: 'no-at-sign' is not a valid email address",
        "line 5: ok@fernpost.net already appears on line 2",
        "line 6: status 'maybe' is not one of subscribed, unsubscribed, cleaned, pending, "
        "transactional",
    ]


async def test_unknown_columns_stop_the_import_before_anything_is_sent(
    engine: Engine, list_id: str
) -> None:
    from mcexplorer.core.bulk.members_import import ImportSetupError

    table = parse_csv("email,FNAME,Shoe Size,_note\na@fernpost.net,A,44,x\n")
    with pytest.raises(ImportSetupError, match=r"'Shoe Size' are not merge fields.*FNAME"):
        plan_import(list_id, table, await fetch_merge_fields(engine, list_id))


def test_direct_import_skips_invalid_rows_and_reports_them(
    sandbox: SandboxServer,
    list_id: str,
    admin: httpx.Client,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    monkeypatch.setenv("MAILCHIMP_API_KEY", sandbox.demo_key)
    source = members_csv(tmp_path / "m.csv", 40, extra="broken@,B,C\nimp3@fernpost.net,D,E\n")
    code = main(["members", "import", list_id, str(source), "--base-url", sandbox.api_url])
    captured = capsys.readouterr()
    assert code == 1  # two rows were invalid
    assert "40 created, 0 failed, 2 invalid rows skipped" in captured.out
    assert "line 42: 'broken@' is not a valid email address" in captured.err
    assert "line 43: imp3@fernpost.net already appears on line 5" in captured.err
    assert stats(admin)["writes_applied"] == 40
    failed = list(csv.DictReader((tmp_path / "m.failed.csv").open(encoding="utf-8")))
    assert [(r["_line"], r["email"]) for r in failed] == [
        ("42", "broken@"),
        ("43", "imp3@fernpost.net"),
    ]
    assert not journal_path_for(source).exists()  # nothing left to resume

    # a second run finds every row unchanged and sends nothing
    before = stats(admin)["writes_applied"]
    assert main(["members", "import", list_id, str(source), "--base-url", sandbox.api_url]) == 1
    assert "40 unchanged" in capsys.readouterr().out
    assert stats(admin)["writes_applied"] == before


async def test_batch_import(
    sandbox: SandboxServer, engine: Engine, list_id: str, admin: httpx.Client
) -> None:
    table = parse_csv("email,FNAME\n" + "".join(f"b{n}@fernpost.net,B{n}\n" for n in range(30)))
    plan = plan_import(list_id, table, await fetch_merge_fields(engine, list_id))
    job = MembersImport(engine, plan, existing=await fetch_existing(engine, list_id))
    report = await job.run_batch(BatchJobs(engine, poll=PollPolicy(first_s=0.05)), batch_size=12)
    assert report.counts == {"created": 30}
    assert len(report.batches) == 3
    data = stats(admin)
    assert data["writes_applied"] == 30 + 3  # the operations plus the three POST /batches
    api = httpx.Client(base_url=sandbox.api_url, auth=("x", sandbox.demo_key))
    member = api.get(f"lists/{list_id}/members/b7@fernpost.net").json()
    assert member["merge_fields"]["FNAME"] == "B7"


async def _interrupted_direct_run(
    engine: Engine, source: Path, list_id: str, stop_after: int
) -> None:
    plan = plan_import(list_id, read_csv_file(source), await fetch_merge_fields(engine, list_id))
    done = 0
    with Journal.start(journal_path_for(source), list_id) as journal:
        task: asyncio.Task[object] | None = None

        def on_row(outcome: RowOutcome) -> None:
            nonlocal done
            done += 1
            if done == stop_after and task is not None:
                task.cancel()  # what Ctrl-C does to the running import

        job = MembersImport(engine, plan, journal=journal, on_row=on_row)
        task = asyncio.ensure_future(job.run_direct(concurrency=2))
        with pytest.raises(asyncio.CancelledError):
            await task


async def test_resume_after_an_interruption_sends_only_the_rest(
    sandbox: SandboxServer,
    engine: Engine,
    list_id: str,
    admin: httpx.Client,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    source = members_csv(tmp_path / "big.csv", 60)
    await _interrupted_direct_run(engine, source, list_id, stop_after=25)
    journal = read_journal(journal_path_for(source))
    finished = len(journal.done)
    assert 25 <= finished < 60
    applied = stats(admin)["writes_applied"]
    assert finished <= applied <= finished + 2  # at most the two in flight when it stopped

    monkeypatch.setenv("MAILCHIMP_API_KEY", sandbox.demo_key)
    # without --resume the leftover journal is not silently ignored
    args = ["members", "import", list_id, str(source), "--base-url", sandbox.api_url]
    assert main(args) == 2
    assert "--resume" in capsys.readouterr().err
    code = await asyncio.to_thread(main, [*args, "--resume"])
    out = capsys.readouterr().out
    assert code == 0
    assert f"{finished} already done by an earlier run" in out
    # rows applied by the server but cut off before the journal saw them are found unchanged
    in_flight = applied - finished
    assert (f"{in_flight} unchanged" in out) == bool(in_flight)
    sent = 60 - finished - in_flight
    assert f"{sent} member writes sent" in out
    assert stats(admin)["writes_applied"] == applied + sent
    assert not journal_path_for(source).exists()


async def test_resume_of_a_batch_import_collects_the_submitted_batch(
    engine: Engine, list_id: str, admin: httpx.Client, tmp_path: Path
) -> None:
    source = members_csv(tmp_path / "b.csv", 20)
    plan = plan_import(list_id, read_csv_file(source), await fetch_merge_fields(engine, list_id))
    jobs = BatchJobs(engine, poll=PollPolicy(first_s=0.05))
    path = journal_path_for(source)
    with Journal.start(path, list_id) as journal:
        job = MembersImport(engine, plan, journal=journal)
        task = asyncio.ensure_future(
            job.run_batch(jobs, on_status=lambda s: task.cancel())  # stop while it waits
        )
        with pytest.raises(asyncio.CancelledError):
            await task
    assert len(read_journal(path).batches) == 1
    with Journal.resume(path, list_id) as journal:
        report = await MembersImport(engine, plan, journal=journal).run_batch(jobs)
    assert report.counts == {"upserted": 20}
    assert report.requests == 0  # nothing submitted again
    assert stats(admin)["writes_applied"] == 20 + 1


def test_failed_rows_csv_can_be_fixed_and_re_run(
    sandbox: SandboxServer,
    list_id: str,
    admin: httpx.Client,
    tmp_path: Path,
    capsys: pytest.CaptureFixture[str],
    monkeypatch: pytest.MonkeyPatch,
) -> None:
    api = httpx.Client(base_url=sandbox.api_url, auth=("x", sandbox.demo_key))
    city = api.post(
        f"lists/{list_id}/merge-fields",
        json={"tag": "CITY", "name": "City", "type": "text", "required": True},
    ).json()
    monkeypatch.setenv("MAILCHIMP_API_KEY", sandbox.demo_key)
    source = write(
        tmp_path / "c.csv",
        "email,FNAME,CITY\nhas@fernpost.net,H,Mockton\nlacks@fernpost.net,L,\nalso@fernpost.net,A,\n",
    )
    args = ["--base-url", sandbox.api_url, "--via", "batch"]
    assert main(["members", "import", list_id, str(source), *args]) == 1
    out = capsys.readouterr()
    assert "1 created, 2 failed" in out.out
    assert "line 3: lacks@fernpost.net: 400 Invalid Resource" in out.err
    failed = tmp_path / "c.failed.csv"
    rows = list(csv.DictReader(failed.open(encoding="utf-8")))
    assert [r["email"] for r in rows] == ["lacks@fernpost.net", "also@fernpost.net"]
    assert "CITY: Please enter a value" in rows[0]["_reason"]
    # the journal is kept for the failures; the failed CSV is its own import
    api.patch(f"lists/{list_id}/merge-fields/{city['merge_id']}", json={"required": False})
    assert main(["members", "import", list_id, str(failed), "--base-url", sandbox.api_url]) == 0
    assert "2 created, 0 failed" in capsys.readouterr().out
