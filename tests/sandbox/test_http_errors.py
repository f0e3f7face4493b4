"""X-Trigger-Error: every documented name answers with the status and title of the table."""

from __future__ import annotations

import json

import httpx
import pytest

from mcexplorer.sandbox.errors import DATA_DIR, error_table, trigger_names

DOCUMENTED = {
    "BadRequest": 400,
    "InvalidAction": 400,
    "InvalidResource": 400,
    "JSONParseError": 400,
    "APIKeyMissing": 401,
    "APIKeyInvalid": 401,
    "Forbidden": 403,
    "UserDisabled": 403,
    "WrongDatacenter": 403,
    "ResourceNotFound": 404,
    "MethodNotAllowed": 405,
    "ResourceNestingTooDeep": 414,
    "InvalidMethodOverride": 422,
    "RequestedFieldsInvalid": 422,
    "TooManyRequests": 429,
    "InternalServerError": 500,
    "ComplianceRelated": 503,
}


def test_table_covers_exactly_the_documented_names() -> None:
    assert set(trigger_names()) == set(DOCUMENTED)
    for name, status in DOCUMENTED.items():
        entry = error_table()[name]
        assert entry["status"] == status
        assert entry["title"] and entry["detail"]


def test_table_file_is_valid_json_with_known_keys() -> None:
    raw = json.loads((DATA_DIR / "sandbox_errors.json").read_text("utf-8"))
    for entry in raw.values():
        assert set(entry) <= {"status", "title", "detail", "trigger", "type", "exception"}
        assert 400 <= entry["status"] <= 599


@pytest.mark.parametrize("name", sorted(DOCUMENTED))
def test_trigger(api: httpx.Client, name: str) -> None:
    response = api.get("ping", headers={"X-Trigger-Error": name})
    entry = error_table()[name]
    assert response.status_code == entry["status"]
    assert response.headers["content-type"].startswith("application/problem+json")
    assert response.json()["title"] == entry["title"]
    if name == "MethodNotAllowed":
        assert response.headers["allow"]


def test_trigger_works_without_a_key(sandbox_url: str) -> None:
    response = httpx.get(sandbox_url + "ping", headers={"X-Trigger-Error": "InvalidAction"})
    assert (response.status_code, response.json()["title"]) == (400, "Invalid Action")


def test_unknown_trigger_lists_valid_names(api: httpx.Client) -> None:
    response = api.get("ping", headers={"X-Trigger-Error": "Nope"})
    assert response.status_code == 400
    detail = response.json()["detail"]
    assert "'Nope'" in detail
    assert all(name in detail for name in DOCUMENTED)


def test_fault_only_entries_cannot_be_triggered(api: httpx.Client) -> None:
    response = api.get("ping", headers={"X-Trigger-Error": "GatewayTimeout"})
    assert response.status_code == 400
