"""Every request sent, in a SQLite file under the user data dir.

One row per Outcome: the request (its body capped like the response's), every attempt event,
the response (body capped and marked when truncated), the decoded problem and the profile
*name*. Secrets are kept out three times over: headers that carry credentials are redacted by
name, the session's own secret is scrubbed wherever it shows up (a server may echo it back),
and anything shaped like a key or token is scrubbed from every stored text.

Rows are written in batches, one transaction each, in WAL mode; retention runs once per batch.
"""

from __future__ import annotations

import json
import sqlite3
import threading
from collections.abc import Callable, Iterator, Sequence
from contextlib import closing, contextmanager, suppress
from dataclasses import dataclass, field
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs

from mcexplorer.core import jsontext
from mcexplorer.core.accounts.keys import Credentials, dc_of_host
from mcexplorer.core.atomic import atomic_write_text
from mcexplorer.core.http.events import AttemptEvent
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.problems.problem import Problem
from mcexplorer.core.redact import Scrubber

BODY_CAP = 256 * 1024
_SCRUB_MARGIN = 1024  # longer than any secret in any of its wire forms
HISTORY_FILE = "history.sqlite3"
SCHEMA_VERSION = 1
_SCHEMA = """
CREATE TABLE IF NOT EXISTS entries (
    id INTEGER PRIMARY KEY AUTOINCREMENT,
    recorded_at TEXT NOT NULL,
    started_at TEXT NOT NULL,
    profile TEXT,
    auth_kind TEXT,
    base_url TEXT NOT NULL,
    dc TEXT,
    method TEXT NOT NULL,
    url TEXT NOT NULL,
    path TEXT NOT NULL,
    status INTEGER,
    ok INTEGER NOT NULL,
    unknown_outcome INTEGER NOT NULL,
    gave_up TEXT,
    title TEXT,
    elapsed_ms REAL NOT NULL,
    x_request_id TEXT,
    request_json TEXT NOT NULL,
    attempts_json TEXT NOT NULL,
    headers_json TEXT NOT NULL,
    body BLOB NOT NULL,
    body_size INTEGER NOT NULL,
    body_truncated INTEGER NOT NULL,
    problem_json TEXT
);
CREATE INDEX IF NOT EXISTS entries_recorded_at ON entries (recorded_at);
"""


class HistoryError(Exception):
    """The history file could not be read or written; names the file and the cause."""


class HistoryDamaged(HistoryError):
    """The history file is not a readable SQLite database (`reset` starts a new one)."""


def default_history_path() -> Path:
    return platformdirs.user_data_path("mcexplorer", appauthor=False) / HISTORY_FILE


def default_retention_path() -> Path:
    return platformdirs.user_config_path("mcexplorer", appauthor=False) / "history.json"


@dataclass(frozen=True)
class Retention:
    """How much history to keep; None means no limit. Kept in the user's config dir."""

    max_entries: int | None = 5000
    max_age_days: float | None = 90.0

    def __post_init__(self) -> None:
        if self.max_entries is not None and self.max_entries < 1:
            raise ValueError("max entries must be at least 1 (or none)")
        if self.max_age_days is not None and self.max_age_days <= 0:
            raise ValueError("max age must be more than 0 days (or none)")

    @classmethod
    def load(cls, path: Path | None = None) -> Retention:
        path = path or default_retention_path()
        try:
            raw = json.loads(path.read_text("utf-8"))
        except FileNotFoundError:
            return cls()
        except (OSError, ValueError) as exc:
            raise HistoryError(f"{path}: cannot read the retention settings ({exc})") from None
        if not isinstance(raw, dict):
            raise HistoryError(f"{path}: expected a JSON object with max_entries, max_age_days")
        try:
            return cls(
                max_entries=_optional(raw.get("max_entries", cls.max_entries), int),
                max_age_days=_optional(raw.get("max_age_days", cls.max_age_days), float),
            )
        except (TypeError, ValueError) as exc:
            raise HistoryError(f"{path}: {exc}") from None

    def save(self, path: Path | None = None) -> None:
        text = json.dumps(
            {"max_entries": self.max_entries, "max_age_days": self.max_age_days}, indent=2
        )
        atomic_write_text(path or default_retention_path(), text + "\n")


def _optional(value: object, kind: type[int] | type[float]) -> Any:
    if value is None:
        return None
    if isinstance(value, bool) or not isinstance(value, int | float):
        raise ValueError(f"{value!r} is not a number")
    return kind(value)


@dataclass(frozen=True)
class HistoryFilter:
    status: str | None = None  # "404", "4xx", "ok", "failed" or "none" (no response)
    path: str | None = None  # substring of the URL or path template
    title: str | None = None  # substring of the problem title
    limit: int = 50


@dataclass(frozen=True)
class HistoryEntry:
    """A recorded outcome and what history knows around it."""

    id: int
    recorded_at: str
    profile: str | None
    auth_kind: str | None
    base_url: str
    dc: str | None  # the key's datacenter (else the host's)
    outcome: Outcome  # its body capped at the store's limit (see body_size/body_truncated)
    body_size: int
    body_truncated: bool
    request_body_truncated: bool = False  # the request's body was over the cap: not kept

    def to_dict(self) -> dict[str, Any]:
        data = self.outcome.to_dict()
        if self.body_truncated:  # a cut body is not JSON: show the text that was kept
            data["json"] = None
            data["body"] = self.outcome.body.decode("utf-8", "replace")
        del data["request_id"]  # the engine's own id for the run that sent it
        return {
            "id": self.id,
            "recorded_at": self.recorded_at,
            "profile": self.profile,
            "auth_kind": self.auth_kind,
            "base_url": self.base_url,
            "dc": self.dc,
            **data,
            "body_size": self.body_size,
            "body_truncated": self.body_truncated,
            "request_body_truncated": self.request_body_truncated,
        }


@dataclass(frozen=True)
class RecordContext:
    """What history keeps beside each outcome, and the secrets to scrub from it."""

    profile: str | None = None
    base_url: str = ""
    auth_kind: str | None = None
    dc: str | None = None
    scrubber: Scrubber = field(default_factory=Scrubber)

    @classmethod
    def of(
        cls, *, profile: str | None, base_url: str, credentials: Credentials | None
    ) -> RecordContext:
        if credentials is None:
            return cls(profile, base_url)
        return cls(
            profile,
            base_url,
            credentials.kind.value,
            credentials.dc,
            Scrubber.of(credentials.wire_forms()),
        )


def _status_clause(text: str) -> tuple[str, list[Any]]:
    lowered = text.strip().lower()
    if lowered in ("ok", "success"):
        return "ok = 1", []
    if lowered in ("failed", "error", "errors"):
        return "ok = 0", []
    if lowered == "none":
        return "status IS NULL", []
    if len(lowered) == 3 and lowered[0] in "12345" and lowered[1:] == "xx":
        low = int(lowered[0]) * 100
        return "status >= ? AND status < ?", [low, low + 100]
    if lowered.isdigit() and len(lowered) == 3:
        return "status = ?", [int(lowered)]
    raise ValueError(
        f"Unknown status filter {text!r}: use a code (404), a class (4xx), ok, failed or none."
    )


class HistoryStore:
    """The history file. Each call opens its own connection, so threads and workers can share it."""

    def __init__(
        self,
        path: Path | None = None,
        *,
        retention: Retention | None = None,
        body_cap: int = BODY_CAP,
        now: Callable[[], datetime] | None = None,
    ) -> None:
        self.path = Path(path) if path is not None else default_history_path()
        self.retention = retention or Retention.load()
        self.body_cap = body_cap
        self._now = now or (lambda: datetime.now(UTC))
        self._ready = False
        self._writer: sqlite3.Connection | None = None
        self._write_lock = threading.Lock()

    @contextmanager
    def _errors(self) -> Iterator[None]:
        """sqlite3 and file errors as HistoryError (HistoryDamaged for a damaged file)."""
        try:
            yield
        except sqlite3.DatabaseError as exc:
            if isinstance(exc, sqlite3.OperationalError) and "locked" in str(exc):
                raise HistoryError(f"History file {self.path}: {exc}") from exc
            if _damaged(exc):
                raise HistoryDamaged(
                    f"History file {self.path} is damaged ({exc}); `mcexplorer history clear "
                    "--yes` starts a new one."
                ) from exc
            raise HistoryError(f"History file {self.path}: {exc}") from exc
        except OSError as exc:
            raise HistoryError(f"History file {self.path}: {exc.strerror or exc}") from exc

    def _open(self, *, shared: bool = False) -> sqlite3.Connection:
        self.path.parent.mkdir(parents=True, exist_ok=True)
        conn = sqlite3.connect(self.path, timeout=10.0, check_same_thread=not shared)
        try:
            # WAL: a commit costs no sync, and readers do not wait for a writer.
            conn.execute("PRAGMA synchronous = NORMAL")
            if not self._ready:
                conn.execute("PRAGMA journal_mode = WAL")
                conn.executescript(_SCHEMA)
                conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                conn.commit()
                self._ready = True
        except BaseException:
            conn.close()
            raise
        return conn

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        """A connection of its own for one call (reads, clearing, pruning)."""
        with self._errors(), closing(self._open()) as conn, conn:
            yield conn

    @contextmanager
    def _writing(self) -> Iterator[sqlite3.Connection]:
        """The store's one writing connection, kept open between batches (opening and
        closing one per batch cost more than the rows), used by one writer at a time."""
        with self._write_lock, self._errors():
            if self._writer is None:
                self._writer = self._open(shared=True)
            try:
                with self._writer:
                    yield self._writer
            except BaseException:
                self._close_writer()  # a fresh one next time, whatever went wrong
                raise

    def _close_writer(self) -> None:
        if self._writer is not None:
            with suppress(sqlite3.Error):
                self._writer.close()
            self._writer = None

    def close(self) -> None:
        """Close the writing connection (the file stays as it is)."""
        with self._write_lock:
            self._close_writer()

    def _stamp(self) -> str:
        return self._now().astimezone(UTC).isoformat(timespec="microseconds")

    def record(
        self,
        outcome: Outcome,
        *,
        profile: str | None = None,
        base_url: str = "",
        auth_kind: str | None = None,
        dc: str | None = None,
    ) -> int:
        """Store one outcome (secrets scrubbed, bodies capped) and apply retention; its id."""
        return self.record_batch([outcome], RecordContext(profile, base_url, auth_kind, dc))[0]

    def record_batch(self, outcomes: Sequence[Outcome], context: RecordContext) -> list[int]:
        """Store outcomes in one transaction and apply retention once; their ids in order."""
        if not outcomes:
            return []
        ids: list[int] = []
        with self._writing() as conn:
            # Row by row inside the one transaction: only one row's copies exist at a time.
            for outcome in outcomes:
                row = self._row(outcome, context)
                marks = ", ".join(f":{name}" for name in row)
                insert = f"INSERT INTO entries ({', '.join(row)}) VALUES ({marks})"
                ids.append(int(conn.execute(insert, row).lastrowid or 0))
            self._apply_retention(conn)
        return ids

    def _row(self, outcome: Outcome, context: RecordContext) -> dict[str, Any]:
        scrub = context.scrubber
        # Scrubbed a little past the cap, then cut: a secret astride the cut goes whole.
        body = scrub.data(outcome.body[: self.body_cap + _SCRUB_MARGIN])[: self.body_cap]
        request = scrub.value(outcome.request.to_dict())
        request["headers"] = scrub.headers(outcome.request.headers)
        if request["body"] is not None:
            size = len(jsontext.dumps(request["body"]).encode("utf-8"))
            if size > self.body_cap:  # kept out whole: a cut JSON body could not be re-sent
                request.update(body=None, body_truncated=True, body_size=size)
        problem = scrub.value(outcome.problem.to_dict()) if outcome.problem else None
        return {
            "recorded_at": self._stamp(),
            "started_at": outcome.started_at,
            "profile": context.profile,
            "auth_kind": context.auth_kind,
            "base_url": scrub.text(context.base_url),
            "dc": context.dc or dc_of_host(context.base_url),
            "method": outcome.method,
            "url": scrub.text(outcome.url),
            "path": scrub.text(outcome.request.path),
            "status": outcome.status,
            "ok": int(outcome.ok),
            "unknown_outcome": int(outcome.unknown_outcome),
            "gave_up": scrub.text(outcome.gave_up) if outcome.gave_up else None,
            "title": problem["title"] if problem else None,
            "elapsed_ms": outcome.elapsed_ms,
            "x_request_id": outcome.x_request_id,
            "request_json": json.dumps(request, ensure_ascii=False),
            "attempts_json": json.dumps(
                [scrub.value(a.to_dict()) for a in outcome.attempts], ensure_ascii=False
            ),
            "headers_json": json.dumps(scrub.headers(outcome.headers), ensure_ascii=False),
            "body": body,
            "body_size": len(outcome.body),
            "body_truncated": int(len(outcome.body) > self.body_cap),
            "problem_json": json.dumps(problem, ensure_ascii=False) if problem else None,
        }

    def prune(self) -> None:
        """Apply the retention now (it is also applied with every batch written)."""
        with self._connect() as conn:
            self._apply_retention(conn)

    def _apply_retention(self, conn: sqlite3.Connection) -> None:
        if self.retention.max_age_days is not None:
            cutoff = self._now().astimezone(UTC) - timedelta(days=self.retention.max_age_days)
            conn.execute(
                "DELETE FROM entries WHERE recorded_at < ?",
                (cutoff.isoformat(timespec="microseconds"),),
            )
        if self.retention.max_entries is not None:
            # Ids only grow and rows go oldest first, so the newest N are the last N ids:
            # one look at the index, however many rows there are.
            conn.execute(
                "DELETE FROM entries WHERE id <= (SELECT max(id) FROM entries) - ?",
                (self.retention.max_entries,),
            )

    def list(
        self,
        filters: HistoryFilter | None = None,
        *,
        on_bad_row: Callable[[str], None] | None = None,
    ) -> list[HistoryEntry]:
        """Newest first. A row that cannot be read raises HistoryError naming it, or, with
        `on_bad_row`, is reported there and left out."""
        filters = filters or HistoryFilter()
        clauses: list[str] = []
        params: list[Any] = []
        if filters.status:
            clause, values = _status_clause(filters.status)
            clauses.append(clause)
            params += values
        if filters.path:
            clauses.append("(instr(lower(url), lower(?)) > 0 OR instr(lower(path), lower(?)) > 0)")
            params += [filters.path, filters.path]
        if filters.title:
            clauses.append("instr(lower(coalesce(title, '')), lower(?)) > 0")
            params.append(filters.title)
        where = f"WHERE {' AND '.join(clauses)}" if clauses else ""
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            rows = conn.execute(
                f"SELECT * FROM entries {where} ORDER BY id DESC LIMIT ?",
                [*params, max(filters.limit, 0)],
            ).fetchall()
        entries: list[HistoryEntry] = []
        for row in rows:
            try:
                entries.append(self._entry(row))
            except HistoryError as exc:
                if on_bad_row is None:
                    raise
                on_bad_row(str(exc))
        return entries

    def get(self, entry_id: int) -> HistoryEntry | None:
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return self._entry(row) if row is not None else None

    def _entry(self, row: sqlite3.Row) -> HistoryEntry:
        try:
            return _entry(row)
        except (ValueError, KeyError, TypeError, IndexError) as exc:
            raise HistoryError(
                f"History file {self.path}, entry {row['id']}: cannot be read "
                f"({type(exc).__name__}: {exc})"
            ) from None

    def count(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])

    def clear(self) -> int:
        """Delete every entry and reclaim the space; returns how many there were.
        Raises HistoryDamaged when the file is not a database (see `reset`)."""
        self.close()
        with self._connect() as conn:
            removed = conn.execute("DELETE FROM entries").rowcount
        try:
            with closing(sqlite3.connect(self.path)) as conn:
                conn.execute("VACUUM")
        except sqlite3.Error as exc:
            raise HistoryError(f"History file {self.path}: {exc}") from exc
        return int(removed)

    def reset(self) -> None:
        """Remove the history file (and its WAL files) whatever state it is in."""
        self.close()
        for suffix in ("", "-wal", "-shm", "-journal"):
            with suppress(FileNotFoundError):
                Path(f"{self.path}{suffix}").unlink()
        self._ready = False


def _damaged(exc: sqlite3.DatabaseError) -> bool:
    text = str(exc).lower()
    return "not a database" in text or "malformed" in text or "disk image" in text


def _entry(row: sqlite3.Row) -> HistoryEntry:
    problem = jsontext.loads(row["problem_json"]) if row["problem_json"] else None
    attempts = [AttemptEvent.from_dict(a) for a in jsontext.loads(row["attempts_json"])]
    request = jsontext.loads(row["request_json"])
    outcome = Outcome(
        request=ApiRequest.from_dict(request),
        request_id=attempts[0].request_id if attempts else "",
        method=row["method"],
        url=row["url"],
        status=row["status"],
        headers=jsontext.loads(row["headers_json"]),
        body=bytes(row["body"]),
        elapsed_ms=row["elapsed_ms"],
        attempts=attempts,
        problem=Problem.from_dict(problem) if problem else None,
        unknown_outcome=bool(row["unknown_outcome"]),
        started_at=row["started_at"],
        gave_up=row["gave_up"],
    )
    return HistoryEntry(
        id=row["id"],
        recorded_at=row["recorded_at"],
        profile=row["profile"],
        auth_kind=row["auth_kind"],
        base_url=row["base_url"],
        dc=row["dc"],
        outcome=outcome,
        body_size=row["body_size"],
        body_truncated=bool(row["body_truncated"]),
        request_body_truncated=bool(request.get("body_truncated")),
    )


def record_outcome(
    outcome: Outcome,
    *,
    profile: str | None,
    base_url: str,
    credentials: Credentials | None = None,
    enabled: bool = True,
    store: HistoryStore | None = None,
) -> int | None:
    """One outcome, now; None when history is off. Sessions record through a Recorder."""
    if not enabled:
        return None
    context = RecordContext.of(profile=profile, base_url=base_url, credentials=credentials)
    return (store or HistoryStore()).record_batch([outcome], context)[0]
