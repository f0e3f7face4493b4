"""History that keeps up and never gets in the way: batches in WAL mode, capped request
bodies, unreadable rows and damaged files named, bundles that do not overwrite."""

from __future__ import annotations

import sqlite3
from pathlib import Path

import pytest

from mcexplorer.cli import main
from mcexplorer.core.history.store import HistoryError, HistoryStore, RecordContext, Retention
from mcexplorer.core.http.request import ApiRequest
from tests.history.outcomes import make_outcome, not_found


def test_a_batch_is_one_transaction_in_wal_mode_with_retention_applied_once(
    tmp_path: Path,
) -> None:
    path = tmp_path / "h.sqlite3"
    store = HistoryStore(path, retention=Retention(max_entries=100, max_age_days=None))
    ids = store.record_batch([make_outcome(200, path="/ping", params={})] * 250, RecordContext())
    assert ids == list(range(1, 251))
    with sqlite3.connect(path) as conn:
        assert conn.execute("PRAGMA journal_mode").fetchone()[0] == "wal"
        kept = [row[0] for row in conn.execute("SELECT id FROM entries ORDER BY id")]
    assert kept == list(range(151, 251))  # the newest 100


def test_a_request_body_over_the_cap_is_not_kept(tmp_path: Path) -> None:
    store = HistoryStore(tmp_path / "h.sqlite3", retention=Retention(), body_cap=1024)
    outcome = make_outcome(200)
    outcome.request = ApiRequest("POST", "/lists", body={"blob": "x" * 5000})
    entry_id = store.record(outcome)
    entry = store.get(entry_id)
    assert entry is not None and entry.request_body_truncated
    assert entry.outcome.request.body is None
    assert entry.to_dict()["request_body_truncated"] is True
    assert "x" * 1025 not in (tmp_path / "h.sqlite3").read_bytes().decode("latin-1")


def test_a_request_whose_body_was_not_kept_cannot_go_into_a_batch(
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = HistoryStore(body_cap=1024)
    outcome = make_outcome(200)
    outcome.request = ApiRequest("POST", "/lists", body={"blob": "x" * 5000})
    entry_id = store.record(outcome)
    assert main(["batch", "submit", "--history", str(entry_id), "--sandbox"]) == 2
    assert "its body was too large to keep in history" in capsys.readouterr().err


def test_one_unreadable_row_is_named_and_the_rest_still_list(
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = HistoryStore()
    for _ in range(3):
        store.record(not_found())
    with sqlite3.connect(store.path) as conn:
        conn.execute("UPDATE entries SET attempts_json = '[{\"kind\": 7' WHERE id = 2")
    assert main(["history", "list"]) == 0
    captured = capsys.readouterr()
    assert len(captured.out.splitlines()) == 2
    assert f"History file {store.path}, entry 2: cannot be read" in captured.err
    assert main(["history", "show", "2"]) == 2
    assert "entry 2: cannot be read" in capsys.readouterr().err
    with pytest.raises(HistoryError, match="entry 2"):
        store.list()


def test_a_damaged_history_file_is_named_and_clear_starts_a_new_one(
    capsys: pytest.CaptureFixture[str],
) -> None:
    store = HistoryStore()
    store.path.parent.mkdir(parents=True, exist_ok=True)
    store.path.write_bytes(b"this is not a database" * 100)
    assert main(["history", "list"]) == 2
    assert "is damaged" in capsys.readouterr().err
    assert main(["history", "clear", "--yes"]) == 0
    assert "Removed the damaged history file" in capsys.readouterr().out
    store.record(not_found())
    assert main(["history", "list"]) == 0 and "404" in capsys.readouterr().out


def test_a_bundle_does_not_replace_a_file_without_force(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    entry_id = HistoryStore().record(not_found())
    out = tmp_path / "existing.md"
    out.write_text("my notes\n", encoding="utf-8")
    assert main(["history", "bundle", str(entry_id), "-o", str(out)]) == 2
    assert "pass --force" in capsys.readouterr().err
    assert out.read_text(encoding="utf-8") == "my notes\n"
    assert main(["history", "bundle", str(entry_id), "-o", str(out), "--force"]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Support bundle:")
