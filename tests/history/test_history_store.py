"""The history file: what goes in, what comes back, what is kept and what never is."""

from __future__ import annotations

import sqlite3
from datetime import UTC, datetime, timedelta
from pathlib import Path

import pytest

from mcexplorer.core.accounts.keys import Credentials
from mcexplorer.core.history.store import (
    HistoryFilter,
    HistoryStore,
    Retention,
    default_history_path,
    record_outcome,
)
from tests.history.outcomes import KEY, make_outcome, not_found


class Clock:
    def __init__(self) -> None:
        self.now = datetime(2024, 5, 1, 12, 0, tzinfo=UTC)

    def __call__(self) -> datetime:
        return self.now


def test_round_trip_of_one_entry(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    entry_id = store.record(
        not_found(), profile="work", base_url="https://us6.api.mailchimp.com/3.0/"
    )
    entry = store.get(entry_id)
    assert entry is not None
    assert (entry.profile, entry.dc, entry.outcome.status, entry.outcome.ok) == (
        "work",
        "us6",
        404,
        False,
    )
    assert entry.outcome.request.path_params == {"list_id": "nope"}
    assert entry.outcome.x_request_id == "req-123"
    assert entry.outcome.problem is not None and entry.outcome.problem.title == "Resource Not Found"
    assert [a.kind.value for a in entry.outcome.attempts] == [
        "queued",
        "slot_acquired",
        "sent",
        "response",
    ]
    assert entry.to_dict()["json"]["status"] == 404
    assert store.get(entry_id + 1) is None


def test_filters(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.record(make_outcome(200, path="/ping", params={}), base_url="")
    store.record(not_found(), base_url="")
    store.record(
        make_outcome(503, body={"title": "Service Unavailable", "status": 503}), base_url=""
    )

    def ids(**kw: object) -> list[int]:
        return [e.id for e in store.list(HistoryFilter(**kw))]  # type: ignore[arg-type]

    assert ids() == [3, 2, 1]
    assert ids(status="4xx") == [2]
    assert ids(status="404") == [2]
    assert ids(status="5XX") == [3]
    assert ids(status="ok") == [1]
    assert ids(status="failed") == [3, 2]
    assert ids(path="NOPE") == [2]
    assert ids(path="/ping") == [1]
    assert ids(title="not found") == [2]
    assert ids(limit=1) == [3]
    with pytest.raises(ValueError, match="Unknown status filter"):
        ids(status="4x")


def test_retention_by_count_and_age(tmp_path: Path) -> None:
    clock = Clock()
    store = HistoryStore(
        tmp_path / "h.sqlite3", retention=Retention(max_entries=3, max_age_days=7), now=clock
    )
    for _ in range(5):
        store.record(make_outcome(), base_url="")
    assert [e.id for e in store.list()] == [5, 4, 3]
    clock.now += timedelta(days=8)
    store.record(make_outcome(), base_url="")
    assert [e.id for e in store.list()] == [6]


def test_large_bodies_are_truncated_and_marked(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", body_cap=1024)
    big = b'{"members": [' + b'"x",' * 2000 + b'"y"]}'
    entry = store.get(store.record(make_outcome(raw_body=big), base_url=""))
    assert entry is not None
    assert entry.body_truncated and entry.body_size == len(big) and len(entry.outcome.body) == 1024
    assert entry.to_dict()["json"] is None
    small = store.get(store.record(make_outcome(body={"a": 1}), base_url=""))
    assert small is not None and not small.body_truncated


def test_no_secret_reaches_the_file(tmp_path: Path) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path)
    leaky = make_outcome(
        200,
        path="/search-members",
        params={},
        body={"echo": f"key was {KEY}"},
        headers={"set-cookie": "session=abc", "x-echo": KEY},
        request_headers={"Authorization": "Basic c2VjcmV0", "X-Note": f"k={KEY}"},
    )
    record_outcome(
        leaky,
        profile="work",
        base_url="https://us6.api.mailchimp.com/3.0/",
        credentials=Credentials.api_key(KEY),
        store=store,
    )
    raw = path.read_bytes()
    assert KEY.encode() not in raw and b"c2VjcmV0" not in raw and b"session=abc" not in raw
    [entry] = store.list()
    assert entry.outcome.request.headers == {
        "Authorization": "[redacted]",
        "X-Note": "k=[redacted]",
    }
    assert entry.auth_kind == "api_key" and entry.dc == "us6"


def test_disabled_recording_writes_nothing(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    assert (
        record_outcome(not_found(), profile=None, base_url="", enabled=False, store=store) is None
    )
    assert not (tmp_path / "h.sqlite3").exists()


def test_clear_empties_the_file(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3")
    store.record(not_found(), base_url="")
    store.record(not_found(), base_url="")
    assert store.clear() == 2 and store.count() == 0
    with sqlite3.connect(tmp_path / "h.sqlite3") as conn:
        assert conn.execute("SELECT count(*) FROM entries").fetchone()[0] == 0


def test_default_path_is_under_the_user_data_dir(tmp_path: Path) -> None:
    # conftest points XDG_DATA_HOME into tmp_path
    assert default_history_path().is_relative_to(tmp_path)
    assert default_history_path().parent.name == "mcexplorer"
