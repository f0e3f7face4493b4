"""Rename, duplicate, delete and re-save of saved requests, on real files in tmp_path."""

from __future__ import annotations

from pathlib import Path, PurePosixPath

import pytest

from mcexplorer.core.collections.edits import (
    default_collections_path,
    delete_request,
    duplicate_request,
    rename_request,
    request_rel,
    unresolve_request,
)
from mcexplorer.core.collections.format import SavedRequest
from mcexplorer.core.collections.store import Collection, SaveConflict
from mcexplorer.core.http.request import ApiRequest

MEMBERS = ApiRequest("GET", "/lists/{list_id}/members", {"list_id": ""}, {"count": "{{page}}"})


@pytest.fixture
def coll(tmp_path: Path) -> Collection:
    root = tmp_path / "coll"
    root.mkdir()
    first = Collection.load(root)
    first.save("lists/members", SavedRequest(MEMBERS, "all members"))
    first.save("ping", SavedRequest(ApiRequest("GET", "/ping")))
    return Collection.load(root)


def test_request_rel_adds_the_suffix_and_refuses_escapes() -> None:
    assert request_rel(" lists / get members ") == PurePosixPath("lists/get members.request.json")
    assert request_rel("a.request.json") == PurePosixPath("a.request.json")
    for bad in ("", "/", "../up", "a/../../b"):
        with pytest.raises(ValueError, match="not a name inside"):
            request_rel(bad)


def test_default_collections_path_is_in_the_user_data_dir(tmp_path: Path) -> None:
    assert default_collections_path().name == "collections"
    assert default_collections_path().is_relative_to(tmp_path)  # conftest points XDG there


def test_rename_moves_the_file_and_refuses_an_existing_name(coll: Collection) -> None:
    rel = PurePosixPath("lists/members.request.json")
    moved = rename_request(coll, rel, PurePosixPath("people.request.json"))
    assert not (coll.root / rel).exists() and (coll.root / "people.request.json").exists()
    assert moved.saved.description == "all members" and coll.find(str(rel)) is None
    with pytest.raises(SaveConflict, match="already exists"):
        rename_request(coll, moved.rel, PurePosixPath("ping.request.json"))
    assert Collection.load(coll.root).find("ping.request.json") is not None


def test_duplicate_picks_a_free_name(coll: Collection) -> None:
    rel = PurePosixPath("ping.request.json")
    first = duplicate_request(coll, rel)
    second = duplicate_request(coll, rel)
    assert [first.name, second.name] == ["ping-copy", "ping-copy-2"]
    assert Collection.load(coll.root).find("ping-copy-2.request.json") is not None


def test_delete_refuses_a_file_changed_on_disk(coll: Collection) -> None:
    path = coll.root / "ping.request.json"
    path.write_text(path.read_text().replace("/ping", "/"), "utf-8")
    with pytest.raises(SaveConflict, match="changed on disk"):
        delete_request(coll, PurePosixPath("ping.request.json"))
    assert path.exists()
    delete_request(Collection.load(coll.root), PurePosixPath("ping.request.json"))
    assert not path.exists()


def test_unresolve_keeps_placeholders_the_user_left_alone(coll: Collection) -> None:
    variables = {"list_id": "abc", "page": "5"}
    loaded = coll.find("lists/members.request.json")
    assert loaded is not None
    resolved = Collection(root=coll.root, variables=variables).resolve(loaded)
    assert resolved.path_params == {"list_id": "abc"} and resolved.query == {"count": "5"}
    edited = ApiRequest(resolved.method, resolved.path, {"list_id": "abc"}, {"count": "7"})
    kept = unresolve_request(loaded.saved.request, variables, edited)
    assert kept.path_params == {"list_id": ""}  # still taken from the variable
    assert kept.query == {"count": "7"}  # the user's edit wins
