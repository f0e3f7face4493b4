"""Retention is a user setting: read from the config dir, changed with `history retention`."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcexplorer.cli import main
from mcexplorer.core.history.store import (
    HistoryError,
    HistoryFilter,
    HistoryStore,
    Retention,
    default_retention_path,
)
from tests.history.outcomes import make_outcome


def test_defaults_without_a_settings_file() -> None:
    assert not default_retention_path().exists()
    assert HistoryStore().retention == Retention()


def test_the_command_saves_and_the_store_reads_it(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "retention", "--max-entries", "25", "--max-age-days", "none"]) == 0
    assert "at most 25 entries" in capsys.readouterr().out
    saved = json.loads(default_retention_path().read_text())
    assert saved == {"max_entries": 25, "max_age_days": None}
    assert HistoryStore().retention == Retention(max_entries=25, max_age_days=None)


def test_a_corrupt_settings_file_names_itself_and_is_left_alone(
    capsys: pytest.CaptureFixture[str],
) -> None:
    path = default_retention_path()
    path.parent.mkdir(parents=True, exist_ok=True)
    path.write_text('{"max_entries": "lots"}')
    with pytest.raises(HistoryError, match=str(path)):
        Retention.load()
    assert main(["history", "retention", "--max-entries", "5"]) == 2
    assert str(path) in capsys.readouterr().err
    assert path.read_text() == '{"max_entries": "lots"}'


@pytest.mark.parametrize("value", ["0", "-3", "many"])
def test_invalid_limits_are_refused(value: str, capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["history", "retention", "--max-entries", value]) == 2
    assert "error:" in capsys.readouterr().err
    assert not Path(default_retention_path()).exists()


def test_lowering_the_limit_prunes_at_once(capsys: pytest.CaptureFixture[str]) -> None:
    store = HistoryStore(retention=Retention(max_entries=None, max_age_days=None))
    for _ in range(5):
        store.record(make_outcome(), profile="p", base_url="https://us6.api.mailchimp.com/3.0/")
    assert main(["history", "retention", "--max-entries", "2"]) == 0
    assert len(HistoryStore().list(HistoryFilter(limit=50))) == 2
