"""Edges found in review: a query pasted into the path, non-ASCII header values."""

from __future__ import annotations

import json

import pytest

from mcexplorer.cli import main
from mcexplorer.core.http.request import ApiRequest


def test_a_question_mark_in_the_path_is_a_validation_issue() -> None:
    issues = ApiRequest(path="/lists?count=1").validate()
    assert [i.field for i in issues] == ["path"]
    assert "query parameters" in issues[0].message


def test_send_moves_a_pasted_query_into_the_query(capsys: pytest.CaptureFixture[str]) -> None:
    code = main(["send", "GET", "/lists?count=1", "--fields", "lists.id", "--sandbox", "--json"])
    doc = json.loads(capsys.readouterr().out)
    assert code == 0
    assert doc["outcome"]["request"]["query"] == {"count": "1", "fields": "lists.id"}
    assert doc["outcome"]["json"] == {"lists": [{"id": doc["outcome"]["json"]["lists"][0]["id"]}]}


def test_send_refuses_non_ascii_header_values(capsys: pytest.CaptureFixture[str]) -> None:
    assert main(["send", "GET", "/ping", "--sandbox", "-H", "X-Note: café"]) == 2
    assert "non-ASCII" in capsys.readouterr().err
