"""The resume journal of a members import: what already succeeded, so a rerun skips it.

One JSON object per line, appended as results come in and fsynced every SYNC_EVERY entries
(and on close), so a crash loses at most the last few unsynced successes, which a resumed
run simply sends again (member upserts are idempotent). A torn last line is ignored.

Rows are identified by a key made from the address and the exact fields sent, so a row
fixed by hand between two runs is sent again, and moving rows around does not matter.
"""

from __future__ import annotations

import json
import os
from dataclasses import dataclass, field
from pathlib import Path
from types import TracebackType
from typing import IO, Any

JOURNAL_FORMAT = "mcexplorer.import-journal/1"
JOURNAL_SUFFIX = ".import-journal"
SYNC_EVERY = 100


class JournalError(Exception):
    """The journal cannot be used for this import; the message says why and what to do."""


def journal_path_for(csv_path: Path) -> Path:
    """The journal lives next to the CSV: `members.csv` -> `members.csv.import-journal`."""
    return csv_path.with_name(csv_path.name + JOURNAL_SUFFIX)


@dataclass
class JournalState:
    list_id: str
    done: dict[str, str] = field(default_factory=dict)  # row key -> "created" | "updated" ...
    batches: dict[str, list[str]] = field(default_factory=dict)  # open batch id -> row keys


def read_journal(path: Path) -> JournalState:
    try:
        text = path.read_text(encoding="utf-8")
    except OSError as exc:
        raise JournalError(f"{path}: {exc.strerror or exc}") from None
    lines = text.splitlines()
    try:
        head = json.loads(lines[0]) if lines else None
    except ValueError:
        head = None
    if not isinstance(head, dict) or head.get("format") != JOURNAL_FORMAT:
        raise JournalError(f"{path} is not an import journal of this program")
    state = JournalState(list_id=str(head.get("list_id", "")))
    for number, raw in enumerate(lines[1:], start=2):
        try:
            entry = json.loads(raw)
        except ValueError:
            if number == len(lines):
                break  # the write that was cut short by a crash
            raise JournalError(f"{path}, line {number}: not a journal entry") from None
        _apply(state, entry)
    return state


def _apply(state: JournalState, entry: dict[str, Any]) -> None:
    if "done" in entry:
        state.done[str(entry["done"])] = str(entry.get("result", "done"))
    elif "batch" in entry:
        state.batches[str(entry["batch"])] = [str(k) for k in entry.get("keys", [])]
    elif "batch_closed" in entry:
        state.batches.pop(str(entry["batch_closed"]), None)


class Journal:
    """Appends entries to the journal file; use as a context manager so it is always synced."""

    def __init__(self, path: Path, state: JournalState, handle: IO[str]) -> None:
        self.path = path
        self.state = state
        self._handle = handle
        self._unsynced = 0

    @classmethod
    def start(cls, path: Path, list_id: str) -> Journal:
        """A new journal, replacing any earlier one."""
        handle = _open(path, "w")
        journal = cls(path, JournalState(list_id), handle)
        journal._write({"format": JOURNAL_FORMAT, "list_id": list_id})
        journal.sync()
        return journal

    @classmethod
    def resume(cls, path: Path, list_id: str) -> Journal:
        state = read_journal(path)
        if state.list_id != list_id:
            raise JournalError(
                f"{path} belongs to an import into audience {state.list_id!r}, not {list_id!r}; "
                "run without --resume to start over"
            )
        handle = _open(path, "a")
        if path.read_bytes()[-1:] not in (b"\n", b""):
            handle.write("\n")  # end the torn line so the next entry starts clean
        return cls(path, state, handle)

    def __enter__(self) -> Journal:
        return self

    def __exit__(
        self,
        exc_type: type[BaseException] | None,
        exc: BaseException | None,
        tb: TracebackType | None,
    ) -> None:
        self.close()

    def is_done(self, key: str) -> bool:
        return key in self.state.done

    def record_done(self, key: str, result: str) -> None:
        self.state.done[key] = result
        self._write({"done": key, "result": result})

    def record_batch(self, batch_id: str, keys: list[str]) -> None:
        self.state.batches[batch_id] = list(keys)
        self._write({"batch": batch_id, "keys": keys})
        self.sync()  # a submitted batch must never be submitted twice

    def close_batch(self, batch_id: str) -> None:
        self.state.batches.pop(batch_id, None)
        self._write({"batch_closed": batch_id})
        self.sync()

    def _write(self, entry: dict[str, Any]) -> None:
        self._handle.write(json.dumps(entry, separators=(",", ":")) + "\n")
        self._unsynced += 1
        if self._unsynced >= SYNC_EVERY:
            self.sync()

    def sync(self) -> None:
        self._handle.flush()
        os.fsync(self._handle.fileno())
        self._unsynced = 0

    def close(self) -> None:
        if not self._handle.closed:
            self.sync()
            self._handle.close()

    def discard(self) -> None:
        """The import finished with nothing left to do: the journal is no longer needed."""
        self.close()
        self.path.unlink(missing_ok=True)


def _open(path: Path, mode: str) -> IO[str]:
    try:
        return path.open(mode, encoding="utf-8")
    except OSError as exc:
        raise JournalError(f"cannot write the import journal {path}: {exc.strerror}") from None
