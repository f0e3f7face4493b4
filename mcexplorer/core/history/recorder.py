"""Recording a session's outcomes in history without slowing the work down or stopping it.

A broken history store never stops the work it records: the first failure is reported
through `warn` and recording stops there. Recording runs in worker threads (SQLite blocks),
one write at a time, and many requests at once are written together (group commit).
"""

from __future__ import annotations

import asyncio
import contextlib
import threading
from collections.abc import Callable, Sequence

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.history.store import HistoryError, HistoryStore, RecordContext
from mcexplorer.core.http.outcome import Outcome

BATCH_SIZE = 200
BATCH_BYTES = 4 * 1024 * 1024  # large answers are written sooner: memory stays low
# While one batch is written, what arrives waits: beyond this, `add` waits too (a slow disk
# slows the run down rather than filling memory).
MAX_WAITING = 2
LINGER_S = 0.25
BUSY_LINGER_S = 0.02


class Recorder:
    """Records the outcomes of one command or session. Call it from worker threads only:
    `warn` may be a front end's thread-safe hook."""

    def __init__(
        self,
        *,
        profile: str | None,
        base_url: str,
        credentials: Credentials | None = None,
        enabled: bool = True,
        warn: Callable[[str], None] | None = None,
        store: HistoryStore | None = None,
    ) -> None:
        self._context = RecordContext.of(
            profile=profile, base_url=base_url, credentials=credentials
        )
        self._store = store
        self.enabled = enabled
        self._warn = warn
        self._lock = threading.Lock()  # one writer at a time, whoever calls

    def record_many(self, outcomes: Sequence[Outcome]) -> list[int]:
        """Record outcomes in one transaction; their ids ([] when history is off)."""
        if not self.enabled or not outcomes:
            return []
        with self._lock:
            try:
                if self._store is None:  # created late: it reads the retention settings
                    self._store = HistoryStore()
                return self._store.record_batch(outcomes, self._context)
            except HistoryError as exc:
                self._give_up(str(exc))
            except Exception as exc:
                self._give_up(f"{type(exc).__name__}: {exc}")
            return []

    def close(self) -> None:
        """Close the store's writing connection (call once nothing more is recorded)."""
        with self._lock:
            if self._store is not None:
                self._store.close()

    def _give_up(self, reason: str) -> None:
        self.enabled = False
        if self._warn is not None:
            self._warn(f"not recording history: {reason}")

    def queue(self) -> RecordingQueue:
        return RecordingQueue(self)


class RecordingQueue:
    """Outcomes handed over as they arrive and written in a worker thread, one transaction
    per write, one write at a time. Someone waiting for a row (`record`) has it written at
    once, with whatever else arrived meanwhile (group commit; while writes follow each other,
    BUSY_LINGER_S lets a few more rows join each one); rows nobody waits for
    (`add`) are gathered into batches of BATCH_SIZE (or BATCH_BYTES of bodies) or LINGER_S,
    whichever comes first, so a long run pays for few transactions; `add` waits only
    while MAX_WAITING batches wait for the disk. `drain()` writes what is left: call it in
    a `finally`, so an interrupted run keeps what it had done."""

    def __init__(self, recorder: Recorder) -> None:
        self._recorder = recorder
        self._pending: list[tuple[Outcome, asyncio.Future[int | None] | None]] = []
        self._pending_bytes = 0
        self._writer: asyncio.Task[None] | None = None
        self._due = asyncio.Event()  # a batch is full, someone waits, or the run ended
        self._room = asyncio.Event()  # the writer took what waited
        self._room.set()

    async def add(self, outcome: Outcome) -> None:
        """Record it soon; wait only while the disk is that far behind."""
        self._enqueue(outcome, None)
        while self._writer is not None and (
            len(self._pending) >= MAX_WAITING * BATCH_SIZE
            or self._pending_bytes >= MAX_WAITING * BATCH_BYTES
        ):
            self._room.clear()
            await self._room.wait()

    async def record(self, outcome: Outcome) -> int | None:
        """Record it and wait until it is written; its history id (None when off)."""
        written: asyncio.Future[int | None] = asyncio.get_running_loop().create_future()
        self._enqueue(outcome, written)
        return await written

    def _enqueue(self, outcome: Outcome, written: asyncio.Future[int | None] | None) -> None:
        if not self._recorder.enabled:
            if written is not None:
                written.set_result(None)
            return
        self._pending.append((outcome, written))
        self._pending_bytes += len(outcome.body)
        full = len(self._pending) >= BATCH_SIZE or self._pending_bytes >= BATCH_BYTES
        if written is not None or full:
            self._due.set()
        if self._writer is None:
            self._writer = asyncio.create_task(self._write())

    async def _write(self) -> None:
        batch: list[tuple[Outcome, asyncio.Future[int | None] | None]] = []
        try:
            while self._pending:
                with contextlib.suppress(TimeoutError):
                    async with asyncio.timeout(LINGER_S):
                        await self._due.wait()
                if batch:  # busy (a write just ended): let a few more rows join this one
                    await asyncio.sleep(BUSY_LINGER_S)
                self._due.clear()
                batch, self._pending, self._pending_bytes = self._pending, [], 0
                self._room.set()
                ids = await asyncio.to_thread(self._recorder.record_many, [o for o, _ in batch])
                for index, (_, written) in enumerate(batch):
                    if written is not None and not written.done():
                        written.set_result(ids[index] if index < len(ids) else None)
        finally:
            self._writer = None
            self._room.set()  # nobody waits for a writer that is gone
            for _, written in batch + self._pending:  # cancelled: nobody waits forever
                if written is not None and not written.done():
                    written.set_result(None)

    async def drain(self) -> None:
        self._due.set()
        if self._writer is not None:
            await asyncio.shield(self._writer)
