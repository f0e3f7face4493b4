"""Collections under pressure: savers racing on one file, Postman items with odd names or no
URL. A race never loses an update; an import never leaves half its files behind."""

from __future__ import annotations

import json
import threading
from pathlib import Path

import pytest

from mcexplorer.cli import main
from mcexplorer.core.collections.format import SavedRequest
from mcexplorer.core.collections.postman import import_postman, write_collection
from mcexplorer.core.collections.store import Collection, SaveConflict, file_name_for
from mcexplorer.core.http.request import ApiRequest

POSTMAN = "https://schema.getpostman.com/json/collection/v2.1.0/collection.json"
RACERS = 12


@pytest.mark.parametrize("existing", [True, False], ids=["changed", "created"])
def test_savers_racing_on_one_file_never_both_win(tmp_path: Path, existing: bool) -> None:
    root = tmp_path / "coll"
    root.mkdir()
    if existing:
        base = Collection.load(root)
        base.save("shared", SavedRequest(ApiRequest(path="/ping"), "v0"))
    loaded = [Collection.load(root) for _ in range(RACERS)]  # all read the same version
    start = threading.Barrier(RACERS)
    won: list[int] = []

    def save(n: int) -> None:
        start.wait()
        try:
            loaded[n].save("shared", SavedRequest(ApiRequest(path="/ping"), f"saver {n}"))
        except SaveConflict:
            return
        won.append(n)

    threads = [threading.Thread(target=save, args=(n,)) for n in range(RACERS)]
    for thread in threads:
        thread.start()
    for thread in threads:
        thread.join()
    assert len(won) == 1  # every other saver was told its copy is stale
    on_disk = Collection.load(root).find("shared.request.json")
    assert on_disk is not None and on_disk.saved.description == f"saver {won[0]}"
    assert not list(root.glob(".*.lock"))


def postman(*items: dict[str, object]) -> dict[str, object]:
    return {"info": {"name": "c", "schema": POSTMAN}, "item": list(items)}


def request(
    name: str, url: str | None = "https://us6.api.mailchimp.com/3.0/ping"
) -> dict[str, object]:
    body: dict[str, object] = {"method": "GET"}
    if url is not None:
        body["url"] = url
    return {"name": name, "request": body}


def test_a_postman_item_without_a_url_is_skipped_by_name() -> None:
    got = import_postman(postman(request("Ping"), request("Broken one", None)))
    assert [r.title for r in got.requests] == ["Ping"]
    assert "Broken one: skipped, it has no URL" in got.warnings


def test_a_very_long_item_name_becomes_a_short_distinct_file_name(tmp_path: Path) -> None:
    long_a, long_b = "a" * 300 + " one", "a" * 300 + " two"
    assert len(file_name_for(long_a)) < 100 and file_name_for(long_a) != file_name_for(long_b)
    got = import_postman(postman(request("Ping"), request(long_a), request(long_b)))
    coll = write_collection(got, tmp_path / "out")
    assert len(coll.items) == 3
    assert len(Collection.load(tmp_path / "out").items) == 3


def test_an_import_that_cannot_finish_writes_nothing(
    tmp_path: Path, capsys: pytest.CaptureFixture[str]
) -> None:
    out = tmp_path / "out"
    (out / "ping.request.json").parent.mkdir(parents=True)
    (out / "z-last.request.json").write_text('{"method": "GET", "path": "/x"}', "utf-8")
    source = tmp_path / "c.json"
    source.write_text(json.dumps(postman(request("Ping"), request("Z last"))), "utf-8")
    assert main(["collection", "import-postman", str(source), "-o", str(out)]) == 2
    assert "already exist" in capsys.readouterr().err
    assert sorted(p.name for p in out.iterdir()) == ["z-last.request.json"]
