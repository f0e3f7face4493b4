"""Bulk import figures: 5,000 members direct vs batch, and reading big results archives.

The sandbox runs in a separate process (50 ms latency, 2% transient 503s) so its CPU does
not compete with the client's event loop. Archive reading is measured with tracemalloc:
peak memory should stay flat from 10k to 100k operations.

    python benchmarks/bulk_import.py [--rows 5000] [--ops 10000 100000]
"""

from __future__ import annotations

import argparse
import asyncio
import json
import multiprocessing
import tempfile
import threading
import time
import tracemalloc
from http.server import SimpleHTTPRequestHandler, ThreadingHTTPServer
from pathlib import Path
from typing import Any

import httpx

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.bulk.batch_jobs import BatchJobs, PollPolicy, fetch_archive
from mcexplorer.core.bulk.batch_results import iter_archive
from mcexplorer.core.bulk.csv_rows import parse_csv
from mcexplorer.core.bulk.members_import import (
    ImportReport,
    MembersImport,
    fetch_existing,
    fetch_merge_fields,
    plan_import,
)
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.sandbox.faults import FaultConfig
from mcexplorer.sandbox.server import SandboxServer
from mcexplorer.sandbox.tarball import pack_results


def serve(conn: Any) -> None:
    faults = FaultConfig(latency_ms=50.0, rates={"503": 0.02})
    with SandboxServer(seed=3, faults=faults) as server:
        conn.send((server.url, server.api_url, server.demo_key))
        conn.recv()  # until the parent says stop


def rows_csv(count: int, tag: str) -> str:
    lines = ["email,FNAME,LNAME"]
    lines += [f"{tag}{n}@fernpost.net,First{n},Last{n % 97}" for n in range(count)]
    return "\n".join(lines) + "\n"


async def import_once(api_url: str, key: str, count: int, via: str) -> tuple[ImportReport, float]:
    async with Engine(api_url, Credentials.api_key(key)) as engine:
        first = await engine.send(_lists())
        list_id = first.json()["lists"][0]["id"]
        plan = plan_import(
            list_id, parse_csv(rows_csv(count, via)), await fetch_merge_fields(engine, list_id)
        )
        existing = await fetch_existing(engine, list_id)
        job = MembersImport(engine, plan, existing=existing)
        t0 = time.perf_counter()
        if via == "direct":
            report = await job.run_direct()
        else:
            report = await job.run_batch(BatchJobs(engine, poll=PollPolicy(first_s=0.5, cap_s=2)))
        return report, time.perf_counter() - t0


def _lists() -> ApiRequest:
    return ApiRequest("GET", "/lists", query={"count": "1"})


def import_figures(count: int) -> None:
    parent, child = multiprocessing.Pipe()
    proc = multiprocessing.Process(target=serve, args=(child,), daemon=True)
    proc.start()
    url, api_url, key = parent.recv()
    try:
        print(f"members import, {count} rows, sandbox: 50 ms latency, 2% 503s, separate process")
        print(f"  physical limit direct: {count * 0.05 / 10:.1f} s (rows x latency / 10 slots)")
        for via in ("direct", "batch"):
            httpx.post(f"{url}/_sandbox/reset", json={}).raise_for_status()
            report, wall = asyncio.run(import_once(api_url, key, count, via))
            stats = httpx.get(f"{url}/_sandbox/stats").json()
            print(
                f"  {via:<6} wall {wall:6.2f} s  requests sent {stats['requests']:>5}  "
                f"503s {sum(stats['faults'].values()):>3}  429s {stats['throttled_429']:>2}  "
                f"peak in flight {stats['peak_in_flight']:>2}  "
                f"failed {len(report.failed)}  ({report.summary()})"
            )
    finally:
        parent.send("stop")
        proc.join(timeout=10)


def archive_file(folder: Path, ops: int) -> Path:
    response = json.dumps({"id": "abc", "email_address": "someone@fernpost.net", "status": "ok"})
    results = [
        {"status_code": 200 if n % 50 else 400, "operation_id": f"op-{n}", "response": response}
        for n in range(ops)
    ]
    path = folder / f"results-{ops}.tar.gz"
    path.write_bytes(pack_results("bench", results))
    return path


class _Quiet(SimpleHTTPRequestHandler):
    def log_message(self, format: str, *args: Any) -> None:
        pass


async def read_streamed(url: str) -> tuple[int, int]:
    """Download to a spooled temp file and iterate every result, as `batch results` does."""
    with tempfile.TemporaryFile() as spool:
        await fetch_archive(url, spool)
        spool.seek(0)
        total = failed = 0
        for result in iter_archive(spool):
            total += 1
            failed += not result.ok
    return total, failed


def archive_figures(sizes: list[int]) -> None:
    with tempfile.TemporaryDirectory() as tmp:
        folder = Path(tmp)
        files = {ops: archive_file(folder, ops) for ops in sizes}
        handler = lambda *a: _Quiet(*a, directory=tmp)  # noqa: E731
        server = ThreadingHTTPServer(("127.0.0.1", 0), handler)
        threading.Thread(target=server.serve_forever, daemon=True).start()
        port = server.server_address[1]
        print("results archive: download over loopback + streaming read")
        try:
            for ops, path in files.items():
                tracemalloc.start()
                t0 = time.perf_counter()
                total, failed = asyncio.run(read_streamed(f"http://127.0.0.1:{port}/{path.name}"))
                wall = time.perf_counter() - t0
                _, peak = tracemalloc.get_traced_memory()
                tracemalloc.stop()
                size = path.stat().st_size / 1e6
                print(
                    f"  {ops:>7} operations ({size:5.1f} MB gz): {wall:5.2f} s, "
                    f"{total / wall:8.0f} results/s, peak Python memory {peak / 1e6:5.2f} MB "
                    f"({failed} failed)"
                )
        finally:
            server.shutdown()


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__)
    parser.add_argument("--rows", type=int, default=5000)
    parser.add_argument("--ops", type=int, nargs="+", default=[10_000, 100_000])
    args = parser.parse_args()
    import_figures(args.rows)
    archive_figures(args.ops)


if __name__ == "__main__":
    main()
