"""The Postman v2.1 fixture becomes a collection folder without its credentials."""

from __future__ import annotations

import json
from pathlib import Path

import pytest

from mcexplorer.core.collections.postman import PostmanImportError, import_postman, write_collection
from mcexplorer.core.collections.store import Collection, SaveConflict

FIXTURE = (
    Path(__file__).parent.parent
    / "fixtures"
    / "postman"
    / "mailchimp-audience.postman_collection.json"
)
KEY = "0123456789abcdef0123456789abcdef-us6"


def _fixture() -> dict[str, object]:
    data = json.loads(FIXTURE.read_text(encoding="utf-8"))
    assert isinstance(data, dict)
    return data


def test_fixture_converts_folders_requests_and_variables() -> None:
    got = import_postman(_fixture())
    assert got.name == "Audience chores"
    assert got.variables == {"list_id": "a1b2c3d4e5", "page_size": "25"}
    titles = [(r.folder, r.title) for r in got.requests]
    assert titles == [
        ((), "Ping"),
        (("Audiences",), "List audiences"),
        (("Audiences", "Members"), "Add member"),
        (("Audiences", "Members"), "Get member"),
    ]
    ping, lists, add, get = (r.saved for r in got.requests)
    assert ping.request.path == "/ping"
    assert lists.request.query == {"count": "{{page_size}}", "fields": "lists.id,lists.name"}
    assert lists.request.headers == {}
    assert add.request.path == "/lists/{list_id}/members"
    assert add.request.body == {
        "email_address": "zoë@example.com",
        "status": "subscribed",
        "merge_fields": {"FNAME": "Zoë"},
    }
    assert add.description == "Subscribes one address."
    assert get.request.path == "/lists/{list_id}/members/{subscriber_hash}"
    assert get.request.path_params == {
        "list_id": "",
        "subscriber_hash": "62eeb292278cc15f5817cb78f7790b08",
    }
    warnings = " | ".join(got.warnings)
    assert "apiKey" in warnings and "Authorization header" in warnings
    assert "collection auth" in warnings
    assert KEY not in warnings


def test_written_collection_loads_and_fills_from_variables(tmp_path: Path) -> None:
    dest = tmp_path / "chores"
    write_collection(import_postman(_fixture()), dest)
    coll = Collection.load(dest)
    assert coll.errors == [] and coll.name == "Audience chores"
    assert [str(i.rel) for i in coll.items] == [
        "audiences/list-audiences.request.json",
        "audiences/members/add-member.request.json",
        "audiences/members/get-member.request.json",
        "ping.request.json",
    ]
    item = coll.find("audiences/members/get-member.request.json")
    assert item is not None
    assert coll.resolve(item).render_path() == (
        "/lists/a1b2c3d4e5/members/62eeb292278cc15f5817cb78f7790b08"
    )
    lists = coll.find("audiences/list-audiences.request.json")
    assert lists is not None and coll.resolve(lists).query["count"] == "25"
    on_disk = "".join(p.read_text("utf-8") for p in dest.rglob("*.json"))
    assert KEY not in on_disk and "YW55c3RyaW5n" not in on_disk


def test_importing_twice_does_not_overwrite_without_force(tmp_path: Path) -> None:
    dest = tmp_path / "chores"
    write_collection(import_postman(_fixture()), dest)
    (dest / "ping.request.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SaveConflict):
        write_collection(import_postman(_fixture()), dest)
    write_collection(import_postman(_fixture()), dest, force=True)
    assert Collection.load(dest).errors == []


@pytest.mark.parametrize(
    ("data", "words"),
    [
        ([], "no 'info'"),
        ({"info": {"schema": "https://schema.getpostman.com/json/collection/v2.0.0/"}}, "v2.1"),
    ],
)
def test_other_files_are_refused(data: object, words: str) -> None:
    with pytest.raises(PostmanImportError, match=words):
        import_postman(data)
