"""Rename, duplicate and delete saved requests, and keep collection variables on re-save.

Like `Collection.save`, nothing here overwrites or removes silently: a destination that
exists, or a source whose file changed on disk since it was loaded, raises SaveConflict.
"""

from __future__ import annotations

from dataclasses import replace
from pathlib import Path, PurePosixPath
from typing import Any

from mcexplorer.core.collections.format import REQUEST_SUFFIX, CollectionFileError
from mcexplorer.core.collections.store import (
    Collection,
    CollectionItem,
    SaveConflict,
    load_request_file,
    resolve_request,
)
from mcexplorer.core.history.store import default_history_path
from mcexplorer.core.http.request import ApiRequest

COLLECTIONS_DIR = "collections"


def default_collections_path() -> Path:
    """The user's collections folder, beside the history file in the data dir."""
    return default_history_path().parent / COLLECTIONS_DIR


def request_rel(text: str) -> PurePosixPath:
    """A typed name (`lists/get members`) as a request file path inside a collection."""
    parts = [p.strip() for p in text.replace("\\", "/").split("/") if p.strip()]
    if not parts or any(p in (".", "..") for p in parts):
        raise ValueError(f"{text!r} is not a name inside the collection.")
    name = parts[-1]
    if not name.endswith(REQUEST_SUFFIX):
        name += REQUEST_SUFFIX
    return PurePosixPath(*parts[:-1], name)


def _item(coll: Collection, rel: PurePosixPath) -> CollectionItem:
    item = coll.find(str(rel))
    if item is None:
        raise FileNotFoundError(f"{coll.root / rel} is not a request of this collection.")
    return item


def _check_unchanged(coll: Collection, item: CollectionItem) -> Path:
    """The item's file, if it still holds what was loaded; SaveConflict otherwise."""
    path = coll.root / item.rel
    try:
        on_disk = load_request_file(path)
    except FileNotFoundError:
        raise SaveConflict(f"{path} was removed on disk since it was loaded.") from None
    except CollectionFileError as exc:
        raise SaveConflict(f"{path} changed on disk and no longer parses ({exc}).") from None
    if on_disk != item.saved:
        raise SaveConflict(f"{path} changed on disk since it was loaded; reload it first.")
    return path


def _check_free(coll: Collection, rel: PurePosixPath) -> None:
    if (coll.root / rel).exists():
        raise SaveConflict(f"{coll.root / rel} already exists; choose another name.")


def rename_request(coll: Collection, rel: PurePosixPath, new_rel: PurePosixPath) -> CollectionItem:
    item = _item(coll, rel)
    if new_rel == rel:
        return item
    source = _check_unchanged(coll, item)
    _check_free(coll, new_rel)
    moved = coll.save(str(new_rel), item.saved)
    source.unlink()
    coll.items = [i for i in coll.items if i.rel != rel]
    return moved


def duplicate_request(coll: Collection, rel: PurePosixPath) -> CollectionItem:
    """A copy beside the original named `<name>-copy`, `<name>-copy-2`, …"""
    item = _item(coll, rel)
    stem = item.name + "-copy"
    number = 1
    candidate = rel.with_name(stem + REQUEST_SUFFIX)
    while (coll.root / candidate).exists():
        number += 1
        candidate = rel.with_name(f"{stem}-{number}{REQUEST_SUFFIX}")
    return coll.save(str(candidate), item.saved)


def delete_request(coll: Collection, rel: PurePosixPath) -> None:
    path = _check_unchanged(coll, _item(coll, rel))
    path.unlink()
    coll.items = [i for i in coll.items if i.rel != rel]


def _keep(original: Any, resolved: Any, edited: Any) -> Any:
    return original if edited == resolved else edited


def _keep_map(
    original: dict[str, str], resolved: dict[str, str], edited: dict[str, str]
) -> dict[str, str]:
    return {k: _keep(original.get(k), resolved.get(k), v) for k, v in edited.items()}


def unresolve_request(
    original: ApiRequest, variables: dict[str, str], edited: ApiRequest
) -> ApiRequest:
    """What to write back for a request loaded resolved and then edited: every part the user
    left as loaded keeps its `{{name}}` placeholders (or its empty path param), the rest is
    saved as typed."""
    resolved = resolve_request(original, variables)
    return replace(
        edited,
        path_params=_keep_map(original.path_params, resolved.path_params, edited.path_params),
        query=_keep_map(original.query, resolved.query, edited.query),
        headers=_keep_map(original.headers, resolved.headers, edited.headers),
        body=_keep(original.body, resolved.body, edited.body),
    )
