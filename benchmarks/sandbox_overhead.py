"""Sandbox overhead: requests/s and server-side ms per request at zero latency.

    python benchmarks/sandbox_overhead.py [--n 2000] [--clients 10]

The sandbox runs in a separate process (`mcexplorer sandbox serve`), so client
and server do not share a GIL. Each client has its own keep-alive connection;
clients are raw asyncio streams, so the figures measure the server, not httpx.
"""

from __future__ import annotations

import argparse
import asyncio
import base64
import subprocess
import sys
import time

import httpx


async def _raw_get(
    reader: asyncio.StreamReader, writer: asyncio.StreamWriter, request: bytes
) -> int:
    """One keep-alive GET; returns the status (the body is read by Content-Length)."""
    writer.write(request)
    head = await reader.readuntil(b"\r\n\r\n")
    status = int(head.split(b" ", 2)[1])
    length = 0
    for line in head.split(b"\r\n"):
        if line.lower().startswith(b"content-length:"):
            length = int(line.split(b":", 1)[1])
    await reader.readexactly(length)
    return status


async def _drive(api_url: str, key: str, path: str, n: int, clients: int) -> float:
    """Raw asyncio HTTP/1.1 clients, so the figure is the server's, not httpx's."""
    url = httpx.URL(api_url + path)
    token = base64.b64encode(f"u:{key}".encode()).decode()
    request = (
        f"GET {url.raw_path.decode()} HTTP/1.1\r\nHost: {url.host}:{url.port}\r\n"
        f"Authorization: Basic {token}\r\n\r\n"
    ).encode()

    async def worker(count: int) -> None:
        reader, writer = await asyncio.open_connection(url.host, url.port)
        for _ in range(count):
            status = await _raw_get(reader, writer, request)
            if status != 200:
                raise RuntimeError(f"GET {path} answered {status}")
        writer.close()

    share = [n // clients + (1 if i < n % clients else 0) for i in range(clients)]
    started = time.perf_counter()
    await asyncio.gather(*(worker(c) for c in share))
    return time.perf_counter() - started


def main() -> None:
    parser = argparse.ArgumentParser(description=__doc__.splitlines()[0])
    parser.add_argument("--n", type=int, default=2000, help="requests per endpoint")
    parser.add_argument("--clients", type=int, default=10)
    args = parser.parse_args()
    proc = subprocess.Popen(
        [sys.executable, "-m", "mcexplorer", "sandbox", "serve", "--port", "0"],
        stdout=subprocess.PIPE,
        text=True,
    )
    try:
        assert proc.stdout is not None
        api_url = proc.stdout.readline().split()[-1]
        key = proc.stdout.readline().split()[-1]
        admin = api_url.removesuffix("/3.0/")
        auth = ("u", key)
        list_id = httpx.get(api_url + "lists", auth=auth).json()["lists"][0]["id"]
        members = httpx.get(api_url + f"lists/{list_id}/members", auth=auth).json()["members"]
        member = f"lists/{list_id}/members/{members[0]['id']}"
        print(f"sandbox overhead: {args.n} requests per endpoint, {args.clients} clients")
        for label, path in (("GET /3.0/ping", "ping"), ("GET member", member)):
            httpx.post(admin + "/_sandbox/reset", json={})
            wall = asyncio.run(_drive(api_url, key, path, args.n, args.clients))
            stats = httpx.get(admin + "/_sandbox/stats").json()
            server_ms = stats["processing_ms_total"] / stats["requests"]
            print(
                f"  {label:14s} {args.n / wall:8.0f} req/s   mean server-side {server_ms:.3f} ms"
                f"   peak in flight {stats['peak_in_flight']}   429s {stats['throttled_429']}"
            )
    finally:
        proc.terminate()
        proc.wait(timeout=10)


if __name__ == "__main__":
    main()
