"""Repeating a request many times: history is written while the requests go on, memory holds
only what the summary needs, and Ctrl-C stops the run promptly with what was done kept."""

from __future__ import annotations

import asyncio
import os
import signal
import subprocess
import sys
import time
import tracemalloc
from collections.abc import Iterator, Sequence
from pathlib import Path

import httpx
import pytest

from mcexplorer.core.accounts.keys import Credentials, Provider
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.history.store import HistoryFilter, HistoryStore, RecordContext, Retention
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.session.session import Session
from mcexplorer.sandbox.server import SandboxServer
from tests.hostile.server import KEY, HostileServer, http

MB = 1024 * 1024


@pytest.fixture(scope="module")
def sandbox() -> Iterator[SandboxServer]:
    with SandboxServer(seed=8) as server:
        yield server


def served(sandbox: SandboxServer) -> int:
    return int(httpx.get(f"{sandbox.url}/_sandbox/stats").json()["requests"])


async def test_history_is_written_while_the_requests_go_on(
    sandbox: SandboxServer, tmp_path: Path
) -> None:
    httpx.post(f"{sandbox.url}/_sandbox/reset", json={}).raise_for_status()
    httpx.put(f"{sandbox.url}/_sandbox/faults", json={"latency_ms": 10}).raise_for_status()
    store = HistoryStore(tmp_path / "h.sqlite3", retention=Retention())
    target = Target.for_sandbox(Provider.MAILCHIMP, sandbox.demo_key, sandbox.api_url)
    early: list[tuple[int, int]] = []  # (rows in history, requests served) while running
    try:
        async with Session(target, store=store) as session:
            run = asyncio.create_task(session.repeat(ApiRequest(path="/ping"), 300, 10, keep=0))
            while not run.done():
                await asyncio.sleep(0.01)
                rows = await asyncio.to_thread(lambda: store.count() if store.path.exists() else 0)
                early.append((rows, await asyncio.to_thread(served, sandbox)))
            summary, kept = await run
    finally:
        httpx.put(f"{sandbox.url}/_sandbox/faults", json={"profile": "none"}).raise_for_status()
    assert summary.ok == 300 and kept == [] and store.count() == 300
    assert any(rows > 0 and requests < 300 for rows, requests in early)


class SlowDisk(HistoryStore):
    """A real store on a disk that takes its time over every write."""

    def record_batch(self, outcomes: Sequence[Outcome], context: RecordContext) -> list[int]:
        time.sleep(0.3)
        return super().record_batch(outcomes, context)


@pytest.mark.parametrize("disk", [HistoryStore, SlowDisk])
async def test_repeating_a_large_answer_holds_only_what_the_summary_needs(
    tmp_path: Path, disk: type[HistoryStore]
) -> None:
    body = b'{"blob": "' + b"x" * (300 * 1024) + b'"}'
    store = disk(tmp_path / "h.sqlite3", retention=Retention())
    with HostileServer(lambda received: http("200 OK", body)).running() as server:
        target = Target(Credentials.api_key(KEY), server.base_url(), "hostile")
        async with Session(target, store=store) as session:
            tracemalloc.start()
            try:
                summary, kept = await session.repeat(ApiRequest(path="/ping"), 200, 10, keep=1)
                peak = tracemalloc.get_traced_memory()[1]
            finally:
                tracemalloc.stop()
    assert summary.ok == 200 and len(kept) == 1 and store.count() == 200
    # Every answer kept would be 60 MB. About 26 MB measured with either disk; a slow disk
    # used to pile the answers up while it wrote (59 MB).
    assert peak < 36 * MB


def test_ctrl_c_stops_a_long_repeat_and_keeps_what_was_recorded(sandbox: SandboxServer) -> None:
    httpx.put(f"{sandbox.url}/_sandbox/faults", json={"latency_ms": 20}).raise_for_status()
    store = HistoryStore()
    # Ctrl-C as a terminal delivers it, even when this test runs where SIGINT is ignored
    # (a shell's background job), which the child would inherit.
    start = "import signal, sys; signal.signal(signal.SIGINT, signal.default_int_handler); "
    start += "from mcexplorer.cli import main; sys.exit(main())"
    command = [sys.executable, "-c", start, "send", "GET", "/ping", "--repeat", "100000"]
    command += ["--base-url", sandbox.api_url, "--key-env", "MCX_KEY"]
    proc = subprocess.Popen(
        command,
        env={**os.environ, "MCX_KEY": sandbox.demo_key},
        stdout=subprocess.PIPE,
        stderr=subprocess.PIPE,
        text=True,
    )
    try:
        give_up = time.monotonic() + 60  # a guard against hanging, not a measurement
        while not (store.path.exists() and store.count() > 0):
            assert proc.poll() is None and time.monotonic() < give_up
            time.sleep(0.05)
        assert proc.poll() is None, proc.communicate()[1]  # still sending when interrupted
        proc.send_signal(signal.SIGINT)
        _, err = proc.communicate(timeout=60)
    finally:
        proc.kill()
        httpx.put(f"{sandbox.url}/_sandbox/faults", json={"profile": "none"}).raise_for_status()
    assert proc.returncode == 130 and "interrupted" in err and "Traceback" not in err, err
    recorded = store.count()
    assert 0 < recorded < 100_000
    assert len(store.list(HistoryFilter(limit=recorded + 1))) == recorded  # every row whole
