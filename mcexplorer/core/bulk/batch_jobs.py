"""A batch's life on the API: submit, poll until finished, download the results, list, delete.

All API calls go through the engine (slots, retries, events). The results archive lives on
storage outside the API (a signed URL valid for minutes), so it is fetched without our
credentials, streamed to a temporary file in chunks, and read from there as a stream.
"""

from __future__ import annotations

import tempfile
from collections.abc import AsyncIterator, Callable
from contextlib import asynccontextmanager
from dataclasses import dataclass
from typing import IO, Any
from urllib.parse import urlsplit

import httpx

from mcexplorer.core.accounts.keys import is_loopback
from mcexplorer.core.bulk.batch import BatchOperation, batch_payload
from mcexplorer.core.clock import Clock, SystemClock
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.problems.problem import Problem, problem_from_error

STATES = ("pending", "preprocessing", "started", "finalizing", "finished")
DOWNLOAD_CHUNK = 256 * 1024
DOWNLOAD_TRIES = 3
WEBHOOK_BACKLOG_HINT = (
    "POST /batches answered 429. Besides the 10-requests-in-flight limit, the API refuses new "
    "batches while more than 500 batch-webhook deliveries are pending: wait for them to drain, "
    "and check GET /batch-webhooks for hooks that are slow or no longer needed."
)


class BatchApiError(Exception):
    """A batch call failed; carries the decoded problem and, when useful, an explanation."""

    def __init__(self, message: str, problem: Problem | None = None, hint: str = "") -> None:
        super().__init__(message)
        self.problem = problem
        self.hint = hint


@dataclass(frozen=True)
class BatchStatus:
    id: str
    status: str
    total: int
    finished: int
    errored: int
    submitted_at: str
    completed_at: str
    response_body_url: str

    @property
    def done(self) -> bool:
        return self.status == "finished"

    @classmethod
    def from_json(cls, data: Any) -> BatchStatus:
        if not isinstance(data, dict) or "id" not in data:
            raise BatchApiError(f"the API answered with something that is not a batch: {data!r}")
        return cls(
            id=str(data["id"]),
            status=str(data.get("status", "")),
            total=int(data.get("total_operations") or 0),
            finished=int(data.get("finished_operations") or 0),
            errored=int(data.get("errored_operations") or 0),
            submitted_at=str(data.get("submitted_at") or ""),
            completed_at=str(data.get("completed_at") or ""),
            response_body_url=str(data.get("response_body_url") or ""),
        )

    def line(self) -> str:
        counts = f"{self.finished}/{self.total} done"
        errored = f", {self.errored} errored" if self.errored else ""
        return f"batch {self.id}: {self.status} ({counts}{errored})"


@dataclass
class PollPolicy:
    """Polling waits first_s, doubling up to cap_s; a status check that still fails after the
    engine's own retries is tolerated up to max_failures times in a row."""

    first_s: float = 0.5
    cap_s: float = 10.0
    max_failures: int = 5
    timeout_s: float = 24 * 3600.0


def _fail(what: str, outcome: Outcome, hint: str = "") -> BatchApiError:
    problem = outcome.problem
    summary = f"{problem.status or ''} {problem.title}".strip() if problem else "no answer"
    detail = f": {problem.detail}" if problem and problem.detail else ""
    return BatchApiError(f"{what} failed: {summary}{detail}", problem, hint)


class BatchJobs:
    def __init__(
        self,
        engine: Engine,
        *,
        clock: Clock | None = None,
        poll: PollPolicy | None = None,
        download_transport: httpx.AsyncBaseTransport | None = None,
    ) -> None:
        self.engine = engine
        self.clock: Clock = clock or SystemClock()
        self.poll = poll or PollPolicy()
        self._download_transport = download_transport

    async def submit(self, operations: list[BatchOperation]) -> BatchStatus:
        req = ApiRequest("POST", "/batches", body=batch_payload(operations))
        outcome = await self.engine.send(req)
        if outcome.status == 429:
            raise _fail("submitting the batch", outcome, WEBHOOK_BACKLOG_HINT)
        if not outcome.ok:
            raise _fail("submitting the batch", outcome)
        return BatchStatus.from_json(outcome.json())

    async def status(self, batch_id: str) -> BatchStatus:
        outcome = await self.engine.send(self._item("GET", batch_id))
        if outcome.status == 404:
            raise _fail(
                f"reading batch {batch_id}",
                outcome,
                "Batches are kept 7 days; this one expired, was deleted, or belongs to another "
                "account.",
            )
        if not outcome.ok:
            raise _fail(f"reading batch {batch_id}", outcome)
        return BatchStatus.from_json(outcome.json())

    async def wait(
        self, batch_id: str, on_status: Callable[[BatchStatus], None] | None = None
    ) -> BatchStatus:
        """Poll until the batch is finished, backing off between polls."""
        delay, failures = self.poll.first_s, 0
        started = self.clock.monotonic()
        while True:
            try:
                current = await self.status(batch_id)
            except BatchApiError as exc:
                gone = exc.problem is not None and exc.problem.status == 404
                failures += 1
                if gone or failures > self.poll.max_failures:
                    raise
            else:
                failures = 0
                if on_status is not None:
                    on_status(current)
                if current.done:
                    return current
            if self.clock.monotonic() - started + delay > self.poll.timeout_s:
                raise BatchApiError(
                    f"batch {batch_id} did not finish within {self.poll.timeout_s:g} s; "
                    f"check later with `mcexplorer batch status {batch_id}`"
                )
            await self.clock.sleep(delay)
            delay = min(self.poll.cap_s, delay * 2)

    async def list(self) -> list[BatchStatus]:
        found: list[BatchStatus] = []
        offset = 0
        while True:
            req = ApiRequest("GET", "/batches", query={"count": "1000", "offset": str(offset)})
            outcome = await self.engine.send(req)
            if not outcome.ok:
                raise _fail("listing batches", outcome)
            data = outcome.json() or {}
            page = [BatchStatus.from_json(item) for item in data.get("batches", [])]
            found += page
            offset += len(page)
            if not page or offset >= int(data.get("total_items") or 0):
                return found

    async def delete(self, batch_id: str) -> None:
        outcome = await self.engine.send(self._item("DELETE", batch_id))
        if not outcome.ok:
            raise _fail(f"deleting batch {batch_id}", outcome)

    @staticmethod
    def _item(method: str, batch_id: str) -> ApiRequest:
        return ApiRequest(method, "/batches/{batch_id}", path_params={"batch_id": batch_id})

    @asynccontextmanager
    async def download(self, batch_id: str) -> AsyncIterator[IO[bytes]]:
        """The finished batch's archive as a temporary file positioned at its start.

        Each try asks for a fresh status, since the signed URL expires after a few minutes.
        """
        with tempfile.TemporaryFile() as spool:
            last: BatchApiError | None = None
            for _ in range(DOWNLOAD_TRIES):
                current = await self.status(batch_id)
                if not current.done or not current.response_body_url:
                    raise BatchApiError(
                        f"batch {batch_id} is {current.status}: results exist once it is finished"
                    )
                spool.seek(0)
                spool.truncate()
                try:
                    await self._fetch(current.response_body_url, spool)
                except BatchApiError as exc:
                    last = exc
                    continue
                spool.seek(0)
                yield spool
                return
            assert last is not None
            raise last

    async def _fetch(self, url: str, sink: IO[bytes]) -> None:
        await fetch_archive(url, sink, transport=self._download_transport)


async def fetch_archive(
    url: str, sink: IO[bytes], *, transport: httpx.AsyncBaseTransport | None = None
) -> None:
    """Stream a results archive into `sink` in chunks; https only, or http to loopback."""
    parts = urlsplit(url)
    if parts.scheme != "https" and not (
        parts.scheme == "http" and is_loopback(parts.hostname or "")
    ):
        raise BatchApiError(
            f"refusing to download results over {parts.scheme or 'no'} scheme: {url}"
        )
    # No auth headers: the URL is pre-signed and on another host. No redirects either, so
    # the scheme check above cannot be bypassed.
    async with httpx.AsyncClient(transport=transport, timeout=httpx.Timeout(30.0)) as client:
        try:
            async with client.stream("GET", url) as response:
                if response.status_code != 200:
                    raise BatchApiError(f"downloading the results got HTTP {response.status_code}")
                async for chunk in response.aiter_bytes(DOWNLOAD_CHUNK):
                    sink.write(chunk)
        except httpx.TransportError as exc:
            raise BatchApiError(
                f"downloading the results failed: {exc}",
                problem_from_error(str(exc), sent=True),
            ) from None
