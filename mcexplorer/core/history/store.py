"""Every request sent, in a SQLite file under the user data dir.

One row per Outcome: the request, every attempt event, the response (body capped and
marked when truncated), the decoded problem and the profile *name*. Secrets are kept out
twice over: headers that carry credentials are redacted by name, and anything shaped like
a key or token is scrubbed from every stored text. Retention runs on each insert.
"""

from __future__ import annotations

import json
import sqlite3
from collections.abc import Callable, Iterator
from contextlib import closing, contextmanager
from dataclasses import dataclass
from datetime import UTC, datetime, timedelta
from pathlib import Path
from typing import Any

import platformdirs

from mcexplorer.core.accounts.keys import Credentials, dc_of_host
from mcexplorer.core.atomic import atomic_write_text
from mcexplorer.core.collections.format import REDACTED, SECRET_HEADERS, redact_text
from mcexplorer.core.http.events import AttemptEvent
from mcexplorer.core.http.outcome import Outcome
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.problems.problem import Problem

BODY_CAP = 256 * 1024
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
        }


def redact_headers(headers: dict[str, str]) -> dict[str, str]:
    return {
        name: REDACTED if name.lower() in SECRET_HEADERS else redact_text(value)
        for name, value in headers.items()
    }


def _scrub(value: Any) -> Any:
    if isinstance(value, str):
        return redact_text(value)
    if isinstance(value, dict):
        return {redact_text(str(k)): _scrub(v) for k, v in value.items()}
    if isinstance(value, list):
        return [_scrub(v) for v in value]
    return value


def _scrub_body(body: bytes) -> bytes:
    try:
        text = body.decode("utf-8")
    except UnicodeDecodeError:
        return body  # binary: nothing shaped like a key can be in it as text
    return redact_text(text).encode("utf-8")


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

    @contextmanager
    def _connect(self) -> Iterator[sqlite3.Connection]:
        try:
            self.path.parent.mkdir(parents=True, exist_ok=True)
            with closing(sqlite3.connect(self.path, timeout=10.0)) as conn, conn:
                if not self._ready:
                    conn.executescript(_SCHEMA)
                    conn.execute(f"PRAGMA user_version = {SCHEMA_VERSION}")
                    self._ready = True
                yield conn
        except sqlite3.Error as exc:
            raise HistoryError(f"History file {self.path}: {exc}") from exc

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
        """Store one outcome (secrets scrubbed, body capped) and apply retention; returns its id."""
        body = _scrub_body(outcome.body)
        request = _scrub(outcome.request.to_dict())
        request["headers"] = redact_headers(outcome.request.headers)
        problem = _scrub(outcome.problem.to_dict()) if outcome.problem else None
        row = {
            "recorded_at": self._stamp(),
            "started_at": outcome.started_at,
            "profile": profile,
            "auth_kind": auth_kind,
            "base_url": redact_text(base_url),
            "dc": dc or dc_of_host(base_url),
            "method": outcome.method,
            "url": redact_text(outcome.url),
            "path": redact_text(outcome.request.path),
            "status": outcome.status,
            "ok": int(outcome.ok),
            "unknown_outcome": int(outcome.unknown_outcome),
            "gave_up": outcome.gave_up,
            "title": problem["title"] if problem else None,
            "elapsed_ms": outcome.elapsed_ms,
            "x_request_id": outcome.x_request_id,
            "request_json": json.dumps(request, ensure_ascii=False),
            "attempts_json": json.dumps(
                [_scrub(a.to_dict()) for a in outcome.attempts], ensure_ascii=False
            ),
            "headers_json": json.dumps(redact_headers(outcome.headers), ensure_ascii=False),
            "body": body[: self.body_cap],
            "body_size": len(outcome.body),
            "body_truncated": int(len(body) > self.body_cap),
            "problem_json": json.dumps(problem, ensure_ascii=False) if problem else None,
        }
        columns = ", ".join(row)
        marks = ", ".join(f":{name}" for name in row)
        with self._connect() as conn:
            cursor = conn.execute(f"INSERT INTO entries ({columns}) VALUES ({marks})", row)
            self._apply_retention(conn)
            assert cursor.lastrowid is not None
            return cursor.lastrowid

    def prune(self) -> None:
        """Apply the retention now (it is also applied on every insert)."""
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
            conn.execute(
                "DELETE FROM entries WHERE id NOT IN "
                "(SELECT id FROM entries ORDER BY id DESC LIMIT ?)",
                (self.retention.max_entries,),
            )

    def list(self, filters: HistoryFilter | None = None) -> list[HistoryEntry]:
        """Newest first."""
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
        return [_entry(row) for row in rows]

    def get(self, entry_id: int) -> HistoryEntry | None:
        with self._connect() as conn:
            conn.row_factory = sqlite3.Row
            row = conn.execute("SELECT * FROM entries WHERE id = ?", (entry_id,)).fetchone()
        return _entry(row) if row is not None else None

    def count(self) -> int:
        with self._connect() as conn:
            return int(conn.execute("SELECT count(*) FROM entries").fetchone()[0])

    def clear(self) -> int:
        """Delete every entry and reclaim the space; returns how many there were."""
        with self._connect() as conn:
            removed = conn.execute("DELETE FROM entries").rowcount
        with closing(sqlite3.connect(self.path)) as conn:
            conn.execute("VACUUM")
        return int(removed)


def _entry(row: sqlite3.Row) -> HistoryEntry:
    problem = json.loads(row["problem_json"]) if row["problem_json"] else None
    attempts = [AttemptEvent.from_dict(a) for a in json.loads(row["attempts_json"])]
    outcome = Outcome(
        request=ApiRequest.from_dict(json.loads(row["request_json"])),
        request_id=attempts[0].request_id if attempts else "",
        method=row["method"],
        url=row["url"],
        status=row["status"],
        headers=json.loads(row["headers_json"]),
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
    """What `send`, `run` and the TUI call after each request; None when history is off."""
    if not enabled:
        return None
    return (store or HistoryStore()).record(
        outcome,
        profile=profile,
        base_url=base_url,
        auth_kind=credentials.kind.value if credentials is not None else None,
        dc=credentials.dc if credentials is not None else None,
    )


class Recorder:
    """Records each outcome of one command or session.

    A broken history store must never stop the work it records: the first failure
    is reported through `warn` and recording stops there.
    """

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
        self._args: dict[str, Any] = {
            "profile": profile,
            "base_url": base_url,
            "credentials": credentials,
            "store": store,
        }
        self._enabled = enabled
        self._warn = warn

    def __call__(self, outcome: Outcome) -> int | None:
        if not self._enabled:
            return None
        try:
            return record_outcome(outcome, **self._args)
        except HistoryError as exc:
            self._enabled = False
            if self._warn is not None:
                self._warn(f"not recording history: {exc}")
            return None

    def record_many(self, outcomes: list[Outcome]) -> None:
        for outcome in outcomes:
            self(outcome)
