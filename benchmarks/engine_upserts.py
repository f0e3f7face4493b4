"""Upsert N members three ways against a sandbox in its own process, and compare.

    python benchmarks/engine_upserts.py [--n 2000] [--latency-ms 50] [--rate-503 0.02] [--rounds 3]

Ways: our engine through a Session, as the CLI and the TUI use it, history on (recorded to a
fresh SQLite file); the seed's recipe (requests + urllib3 Retry, pool 8, 8 threads); plain
httpx.AsyncClient(Limits(max_connections=10)) with asyncio.gather; a control of bare httpx
behind Semaphore(10). The machine is noisy, so compare ways within a round and run several
rounds (the ways are interleaved). The sandbox runs
as `mcexplorer sandbox serve` in a subprocess, so client and server don't share a GIL.
The counters come from /_sandbox/stats, reset (state and counters) before each way.
Figures: wall time as a multiple of the ideal N x latency / 10 slots, peak in flight at
the server, 429s, client-side failures, writes applied and repeated, client CPU per request.
"""

from __future__ import annotations

import argparse
import asyncio
import os
import subprocess
import sys
import tempfile
import time
from collections.abc import Callable, Iterator
from concurrent.futures import ThreadPoolExecutor
from contextlib import contextmanager
from dataclasses import dataclass
from pathlib import Path
from typing import Any

import httpx
import requests
from requests.adapters import HTTPAdapter
from urllib3.util.retry import Retry

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.accounts.target import Target
from mcexplorer.core.history.store import HistoryStore, Retention
from mcexplorer.core.http.request import ApiRequest, subscriber_hash
from mcexplorer.core.session.session import Session

MEMBER = "/lists/{list_id}/members/{subscriber_hash}"


@dataclass
class Sandbox:
    url: str
    api_url: str
    key: str
    pid: int

    def cpu_s(self) -> float:
        """CPU seconds the sandbox process has used (Linux /proc; 0.0 elsewhere)."""
        try:
            fields = Path(f"/proc/{self.pid}/stat").read_text().rsplit(")", 1)[1].split()
        except OSError:
            return 0.0
        return (int(fields[11]) + int(fields[12])) / os.sysconf("SC_CLK_TCK")


@dataclass
class Result:
    way: str
    wall_s: float
    failed: int
    cpu_ms_per_request: float
    server_cpu_ms_per_request: float
    stats: dict[str, Any]


@contextmanager
def sandbox_process(seed: int) -> Iterator[Sandbox]:
    cmd = [sys.executable, "-m", "mcexplorer", "sandbox", "serve", "--port", "0"]
    proc = subprocess.Popen(
        [*cmd, "--seed", str(seed)], stdout=subprocess.PIPE, text=True, bufsize=1
    )
    try:
        assert proc.stdout is not None
        first, second = proc.stdout.readline(), proc.stdout.readline()
        if not first.startswith("sandbox API:"):
            raise SystemExit(f"the sandbox did not start (exit code {proc.wait(timeout=10)})")
        api_url, key = first.split()[-1], second.split()[-1]
        yield Sandbox(api_url.removesuffix("/3.0/"), api_url, key, proc.pid)
    finally:
        proc.terminate()
        proc.wait(timeout=10)


def emails(n: int) -> list[str]:
    return [f"bench.{i}@fernpost.net" for i in range(n)]


def body(email: str) -> dict[str, str]:
    return {"email_address": email, "status_if_new": "subscribed"}


def prepare(box: Sandbox, latency_ms: float, rate_503: float) -> str:
    """Reset the sandbox, set the faults, and return the first list's id."""
    httpx.post(f"{box.url}/_sandbox/reset", json={}).raise_for_status()
    httpx.put(f"{box.url}/_sandbox/faults", json={"latency_ms": 0}).raise_for_status()
    lists = httpx.get(f"{box.api_url}lists", params={"fields": "lists.id"}, auth=("x", box.key))
    list_id: str = lists.json()["lists"][0]["id"]
    faults = {"latency_ms": latency_ms, "rates": {"503": rate_503} if rate_503 else {}}
    httpx.put(f"{box.url}/_sandbox/faults", json=faults).raise_for_status()
    httpx.post(f"{box.url}/_sandbox/reset", json={}).raise_for_status()
    httpx.put(f"{box.url}/_sandbox/faults", json=faults).raise_for_status()
    return list_id


def via_engine(box: Sandbox, list_id: str, n: int) -> int:
    """Every outcome recorded in history, as `send` and the TUI do."""

    async def run(store: HistoryStore) -> int:
        target = Target(Credentials.api_key(box.key), box.api_url, "benchmark")
        async with Session(target, store=store) as session:
            reqs = [
                ApiRequest(
                    "PUT",
                    MEMBER,
                    {"list_id": list_id, "subscriber_hash": subscriber_hash(e)},
                    body=body(e),
                )
                for e in emails(n)
            ]
            outcomes = await asyncio.gather(*(session.send(r) for r in reqs))
        if store.count() != n:
            raise SystemExit(f"history holds {store.count()} entries, expected {n}")
        return sum(1 for o in outcomes if not o.ok)

    with tempfile.TemporaryDirectory() as folder:
        store = HistoryStore(Path(folder) / "history.sqlite3", retention=Retention(n, None))
        return asyncio.run(run(store))


def via_seed_recipe(box: Sandbox, list_id: str, n: int) -> int:
    retry = Retry(
        total=5, backoff_factor=2, status_forcelist=[429, 500, 502, 503, 504], allowed_methods=None
    )
    session = requests.Session()
    session.mount("http://", HTTPAdapter(pool_connections=8, pool_maxsize=8, max_retries=retry))
    session.auth = ("anystring", box.key)

    def one(email: str) -> bool:
        url = f"{box.api_url}lists/{list_id}/members/{subscriber_hash(email)}"
        try:
            return session.put(url, json=body(email), timeout=130).ok
        except requests.RequestException:
            return False

    with ThreadPoolExecutor(max_workers=8) as pool:
        results = list(pool.map(one, emails(n)))
    session.close()
    return results.count(False)


def via_plain_httpx(box: Sandbox, list_id: str, n: int) -> int:
    async def run() -> int:
        limits = httpx.Limits(max_connections=10)
        async with httpx.AsyncClient(limits=limits, auth=("anystring", box.key)) as client:

            async def one(email: str) -> bool:
                url = f"{box.api_url}lists/{list_id}/members/{subscriber_hash(email)}"
                try:
                    return (await client.put(url, json=body(email))).is_success
                except httpx.HTTPError:
                    return False

            results = await asyncio.gather(*(one(e) for e in emails(n)))
        return results.count(False)

    return asyncio.run(run())


def via_control(box: Sandbox, list_id: str, n: int) -> int:
    """What httpx itself can reach on this machine right now: a bare semaphore, no retries."""

    async def run() -> int:
        limits = httpx.Limits(max_connections=10)
        gate = asyncio.Semaphore(10)
        async with httpx.AsyncClient(limits=limits, auth=("anystring", box.key)) as client:

            async def one(email: str) -> bool:
                url = f"{box.api_url}lists/{list_id}/members/{subscriber_hash(email)}"
                async with gate:
                    return (await client.put(url, json=body(email))).is_success

            results = await asyncio.gather(*(one(e) for e in emails(n)))
        return results.count(False)

    return asyncio.run(run())


WAYS: dict[str, Callable[[Sandbox, str, int], int]] = {
    "engine (session, history on)": via_engine,
    "seed recipe (requests+Retry, 8 threads)": via_seed_recipe,
    "plain httpx Limits(10) + gather": via_plain_httpx,
    "control: httpx + Semaphore(10), no retries": via_control,
}


def round_trip_ms(box: Sandbox, latency_ms: float, samples: int = 40) -> float:
    """Median time of one request on an idle connection: the real per-slot cost here."""
    prepare(box, latency_ms, 0.0)
    times = []
    with httpx.Client(auth=("anystring", box.key)) as client:
        for _ in range(samples):
            t0 = time.perf_counter()
            client.get(f"{box.api_url}ping").raise_for_status()
            times.append((time.perf_counter() - t0) * 1000.0)
    return sorted(times)[samples // 2]


def measure(box: Sandbox, way: str, n: int, latency_ms: float, rate_503: float) -> Result:
    list_id = prepare(box, latency_ms, rate_503)
    server0, cpu0, t0 = box.cpu_s(), time.process_time(), time.perf_counter()
    failed = WAYS[way](box, list_id, n)
    wall = time.perf_counter() - t0
    cpu, server = time.process_time() - cpu0, box.cpu_s() - server0
    stats = httpx.get(f"{box.url}/_sandbox/stats").json()
    return Result(way, wall, failed, cpu * 1000.0 / n, server * 1000.0 / n, stats)


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="members to upsert (default 2000)")
    parser.add_argument("--latency-ms", type=float, default=50.0)
    parser.add_argument("--rate-503", type=float, default=0.02, help="transient 503 share")
    parser.add_argument("--seed", type=int, default=0)
    parser.add_argument("--rounds", type=int, default=1, help="repeat every way (interleaved)")
    parser.add_argument(
        "--only", choices=["engine", "seed", "plain", "control"], action="append", help="repeatable"
    )
    args = parser.parse_args()
    picked = [w for w in WAYS if not args.only or any(w.startswith(o) for o in args.only)]
    ideal = args.n * args.latency_ms / 1000.0 / 10
    print(
        f"N={args.n}, latency {args.latency_ms:g} ms, 503 rate {args.rate_503:g}, "
        f"ideal {ideal:.2f} s (N x latency / 10 slots); "
        f"load average {os.getloadavg()[0]:.1f} on {os.cpu_count()} CPUs"
    )
    header = (
        f"{'way':<44} {'wall s':>7} {'x ideal':>8} {'peak':>5} {'429s':>5} "
        f"{'failed':>6} {'applied':>7} {'repeated':>8} {'503s':>5} {'cpu ms/req':>10} {'server':>6}"
    )
    with sandbox_process(args.seed) as box:
        rtt = round_trip_ms(box, args.latency_ms)
        print(
            f"one request alone takes {rtt:.1f} ms here, so with 10 slots the floor on this "
            f"machine is {args.n * rtt / 10_000:.2f} s ({rtt / args.latency_ms:.2f}x ideal)"
        )
        print("cpu ms/req: client process; server: the sandbox process")
        print(header)
        print("-" * len(header), flush=True)
        for way in [w for _ in range(args.rounds) for w in picked]:
            r = measure(box, way, args.n, args.latency_ms, args.rate_503)
            s = r.stats
            print(
                f"{r.way:<44} {r.wall_s:7.2f} {r.wall_s / ideal:8.2f} {s['peak_in_flight']:5d} "
                f"{s['throttled_429']:5d} {r.failed:6d} {s['writes_applied']:7d} "
                f"{s['writes_repeated']:8d} {s['faults'].get('503', 0):5d} "
                f"{r.cpu_ms_per_request:10.2f} {r.server_cpu_ms_per_request:6.2f}",
                flush=True,
            )


if __name__ == "__main__":
    main()
