"""`mcexplorer history ...` on a real history file."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcexplorer.cli import main
from mcexplorer.core.history.store import HistoryStore
from tests.history.outcomes import make_outcome, not_found


@pytest.fixture
def store() -> HistoryStore:
    store = HistoryStore()  # the default path, inside the test's XDG data dir
    store.record(make_outcome(200, path="/ping", params={}), profile="work", base_url="")
    store.record(not_found(), profile="work", base_url="")
    return store


def test_list_and_filters(store: HistoryStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "list"]) == 0
    lines = capsys.readouterr().out.splitlines()
    assert len(lines) == 2 and " 404 " in lines[0] and "Resource Not Found" in lines[0]
    assert main(["history", "list", "--status", "4xx", "--title", "found", "-n", "5"]) == 0
    assert len(capsys.readouterr().out.splitlines()) == 1
    assert main(["history", "list", "--path", "nothing-like-this"]) == 0
    assert "No matching" in capsys.readouterr().err
    assert main(["history", "list", "--status", "weird"]) == 2
    assert "Unknown status filter" in capsys.readouterr().err


def test_show(store: HistoryStore, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "show", "2", "--json"]) == 0
    data = json.loads(capsys.readouterr().out)
    assert data["status"] == 404 and data["problem"]["title"] == "Resource Not Found"
    assert main(["history", "show", "2"]) == 0
    out = capsys.readouterr().out
    assert "x-request-id: req-123" in out and "attempt 1: response 404" in out
    assert main(["history", "show", "99"]) == 1
    assert "no history entry 99" in capsys.readouterr().err


def test_bundle_and_clear(
    store: HistoryStore, tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "b.md"
    assert main(["history", "bundle", "2", "-o", str(out)]) == 0
    assert out.read_text(encoding="utf-8").startswith("# Support bundle:")
    assert main(["history", "clear"]) == 2  # stdin is not a terminal: --yes needed
    assert store.count() == 2
    assert main(["history", "clear", "--yes"]) == 0
    assert store.count() == 0
    assert "Deleted 2" in capsys.readouterr().out
