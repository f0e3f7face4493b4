"""Collections on disk: bad files reported and kept, no silent overwrite, atomic saves."""

from __future__ import annotations

import errno
import os
from pathlib import Path

import pytest

from mcexplorer.core import atomic
from mcexplorer.core.atomic import SaveError
from mcexplorer.core.collections.format import SavedRequest, SecretRefused
from mcexplorer.core.collections.store import Collection, SaveConflict, resolve_request
from mcexplorer.core.http.request import ApiRequest

KEY = "0123456789abcdef0123456789abcdef-us6"


@pytest.fixture
def root(tmp_path: Path) -> Path:
    folder = tmp_path / "coll"
    folder.mkdir()
    return folder


def _make(root: Path) -> Collection:
    coll = Collection.load(root)
    coll.name, coll.variables = "Chores", {"list_id": "a1b2c3", "page": "25"}
    coll.save_variables()
    coll.save("ping.request.json", SavedRequest(ApiRequest("GET", "/ping"), "Health check"))
    members = ApiRequest(
        "GET", "/lists/{list_id}/members", {"list_id": ""}, query={"count": "{{page}}"}
    )
    coll.save("audiences/members/list", SavedRequest(members))
    return coll


def test_saved_collection_loads_back_with_folders(root: Path) -> None:
    _make(root)
    coll = Collection.load(root)
    assert coll.errors == []
    assert coll.name == "Chores"
    assert [str(i.rel) for i in coll.items] == [
        "audiences/members/list.request.json",
        "ping.request.json",
    ]
    assert coll.folders() == [("audiences",), ("audiences", "members")]
    item = coll.find("audiences/members/list.request.json")
    assert item is not None and item.name == "list" and item.folder == ("audiences", "members")
    sent = coll.resolve(item)
    assert sent.render_path() == "/lists/a1b2c3/members"
    assert sent.query == {"count": "25"}


def test_explicit_path_param_beats_the_collection_variable() -> None:
    req = ApiRequest("GET", "/lists/{list_id}", {"list_id": "mine"})
    assert resolve_request(req, {"list_id": "default"}).render_path() == "/lists/mine"
    unknown = ApiRequest("GET", "/x", query={"q": "{{nope}}"})
    assert resolve_request(unknown, {}).query == {"q": "{{nope}}"}


def test_bad_file_is_reported_and_the_others_load(root: Path) -> None:
    _make(root)
    broken = root / "audiences" / "broken.request.json"
    broken.write_text('{\n  "method": "GET",\n  "path": \n}\n', encoding="utf-8")
    coll = Collection.load(root)
    assert len(coll.items) == 2
    [error] = coll.errors
    assert error.path == str(broken) and error.line == 4


def test_an_unreadable_entry_is_reported_and_the_others_load(root: Path) -> None:
    _make(root)
    (root / "odd.request.json").mkdir()  # a folder named like a request file
    coll = Collection.load(root)
    assert len(coll.items) == 2
    [error] = coll.errors
    assert error.path == str(root / "odd.request.json") and "cannot read" in error.reason


def test_a_file_that_failed_to_parse_is_not_overwritten_unless_forced(root: Path) -> None:
    _make(root)
    broken = root / "ping.request.json"
    broken.write_text("{ half written", encoding="utf-8")
    coll = Collection.load(root)
    with pytest.raises(SaveConflict, match="failed to parse"):
        coll.save("ping.request.json", SavedRequest(ApiRequest("GET", "/ping")))
    assert broken.read_text(encoding="utf-8") == "{ half written"
    coll.save("ping.request.json", SavedRequest(ApiRequest("GET", "/ping")), force=True)
    assert Collection.load(root).errors == []


def test_a_file_changed_on_disk_since_loading_is_not_overwritten(root: Path) -> None:
    coll = _make(root)
    target = root / "ping.request.json"
    edited = target.read_text(encoding="utf-8").replace("Health check", "edited elsewhere")
    target.write_text(edited, encoding="utf-8")
    with pytest.raises(SaveConflict, match="changed on disk"):
        coll.save("ping.request.json", SavedRequest(ApiRequest("GET", "/ping"), "mine"))
    assert target.read_text(encoding="utf-8") == edited
    # A file that appeared after loading is not ours to replace either.
    (root / "new.request.json").write_text("{}", encoding="utf-8")
    with pytest.raises(SaveConflict):
        coll.save("new.request.json", SavedRequest(ApiRequest("GET", "/ping")))
    # Saving twice in a row from the same session is fine.
    coll.save("audiences/members/list.request.json", SavedRequest(ApiRequest("GET", "/lists")))
    coll.save("audiences/members/list.request.json", SavedRequest(ApiRequest("GET", "/lists")))


def test_crash_during_save_leaves_the_old_file(root: Path, monkeypatch: pytest.MonkeyPatch) -> None:
    coll = _make(root)
    target = root / "ping.request.json"
    before = target.read_bytes()

    def crash(src: str, dst: str) -> None:
        raise OSError(errno.EIO, "simulated crash before rename")

    monkeypatch.setattr(atomic.os, "replace", crash)
    with pytest.raises(SaveError, match=r"ping\.request\.json"):
        coll.save("ping.request.json", SavedRequest(ApiRequest("GET", "/ping"), "new"))
    assert target.read_bytes() == before
    assert sorted(p.name for p in root.iterdir()) == [
        "audiences",
        "collection.json",
        "ping.request.json",
    ]


def test_full_disk_gives_a_clear_error_and_keeps_the_old_file(
    root: Path, monkeypatch: pytest.MonkeyPatch
) -> None:
    coll = _make(root)
    target = root / "ping.request.json"
    before = target.read_bytes()
    real_fdopen = os.fdopen

    class FullDisk:
        def __init__(self, fd: int, *args: object, **kwargs: object) -> None:
            self._inner = real_fdopen(fd, *args, **kwargs)  # type: ignore[call-overload]

        def __enter__(self) -> FullDisk:
            return self

        def __exit__(self, *exc: object) -> None:
            self._inner.close()

        def write(self, text: str) -> int:
            raise OSError(errno.ENOSPC, "No space left on device")

    monkeypatch.setattr(atomic.os, "fdopen", FullDisk)
    with pytest.raises(SaveError) as info:
        coll.save("ping.request.json", SavedRequest(ApiRequest("GET", "/ping"), "new"))
    assert "disk is full" in str(info.value) and str(target) in str(info.value)
    assert info.value.errno == errno.ENOSPC
    assert target.read_bytes() == before
    assert not [p for p in root.iterdir() if p.name.endswith(".tmp")]


def test_secrets_never_reach_collection_files(root: Path) -> None:
    coll = _make(root)
    with pytest.raises(SecretRefused):
        coll.save("leak", SavedRequest(ApiRequest("GET", "/ping", headers={"Authorization": "x"})))
    coll.variables["apikey"] = KEY
    with pytest.raises(SecretRefused):
        coll.save_variables()
    assert not any(KEY in p.read_text("utf-8") for p in root.rglob("*.json"))


def test_paths_outside_the_collection_are_refused(root: Path) -> None:
    coll = _make(root)
    with pytest.raises(ValueError, match="inside the collection"):
        coll.save("../escape", SavedRequest(ApiRequest("GET", "/ping")))
