"""A collection is a folder of `*.request.json` files; sub-folders group them.

`collection.json` at the root holds collection variables (e.g. a default `list_id`) that
fill empty path params and `{{name}}` placeholders. Loading never stops at a bad file: it
is reported (file and line) and the rest still load. Saving never overwrites silently: a
file that changed on disk since it was loaded, or that failed to parse, needs `force`; the
check and the write are one step under the file's lock, so two saves racing each other
cannot both win.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field, replace
from pathlib import Path, PurePosixPath
from typing import Any

from mcexplorer.core.atomic import FileChanged, atomic_write_text, digest, save_if_unchanged
from mcexplorer.core.collections.format import (
    REQUEST_SUFFIX,
    CollectionFileError,
    SavedRequest,
    SecretRefused,
    _strings_in,
    dumps_request,
    line_of_key,
    loads_request,
    looks_secret,
    parse_json_file,
)
from mcexplorer.core.http.request import ApiRequest, placeholders

VARIABLES_FILE = "collection.json"
COLLECTION_TAG = "mcexplorer.collection/1"
_PLACEHOLDER_RE = re.compile(r"\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}")
_PATH_PARAM_RE = re.compile(r"\{([A-Za-z0-9_]+)\}")


class SaveConflict(Exception):
    """Saving would overwrite a file we did not load as-is; pass force=True to overwrite."""


@dataclass
class CollectionItem:
    rel: PurePosixPath  # path relative to the collection root, '/'-separated
    saved: SavedRequest

    @property
    def name(self) -> str:
        return self.rel.name.removesuffix(REQUEST_SUFFIX)

    @property
    def folder(self) -> tuple[str, ...]:
        return self.rel.parent.parts


# File systems allow 255 bytes in a name; a title can be far longer (a pasted description).
MAX_SLUG = 80


def file_name_for(title: str) -> str:
    """A portable file name for a request title: `Get list members` -> `get-list-members`.
    A long title is cut, with a short digest of the whole so that two cut titles differ."""
    slug = re.sub(r"[^a-z0-9]+", "-", title.lower()).strip("-")
    if len(slug) > MAX_SLUG:
        slug = slug[: MAX_SLUG - 9].rstrip("-") + "-" + digest(title.encode("utf-8"))[:8]
    return (slug or "request") + REQUEST_SUFFIX


def fill_placeholders(text: str, variables: dict[str, str]) -> str:
    """Replace `{{name}}` with a variable's value; unknown names stay as written."""
    return _PLACEHOLDER_RE.sub(lambda m: variables.get(m.group(1), m.group(0)), text)


def fill_any(value: Any, variables: dict[str, str]) -> Any:
    """`fill_placeholders` in every string of a JSON value."""
    if isinstance(value, str):
        return fill_placeholders(value, variables)
    if isinstance(value, dict):
        return {k: fill_any(v, variables) for k, v in value.items()}
    if isinstance(value, list):
        return [fill_any(v, variables) for v in value]
    return value


def is_variable_name(name: str) -> bool:
    return _PLACEHOLDER_RE.fullmatch("{{" + name + "}}") is not None


def value_variables(value: Any) -> list[str]:
    """The `{{name}}` uses in every string of a JSON value, in order."""
    return [name for _, text in _strings_in(value, "") for name in _PLACEHOLDER_RE.findall(text)]


def request_variables(req: ApiRequest) -> list[str]:
    """The variables a request needs: each path param left empty (it takes the variable named
    so), then `{{name}}` in path params, query, headers and body strings, in order of use."""
    names = [name for name in placeholders(req.path) if not req.path_params.get(name)]
    maps = [*req.path_params.values(), *req.query.values(), *req.headers.values()]
    return list(dict.fromkeys(names + value_variables([*maps, req.body])))


def resolve_request(req: ApiRequest, variables: dict[str, str]) -> ApiRequest:
    """The request as it will be sent: empty path params and `{{name}}` taken from variables."""
    params = {k: fill_placeholders(v, variables) for k, v in req.path_params.items()}
    for name in _PATH_PARAM_RE.findall(req.path):
        if not params.get(name) and name in variables:
            params[name] = variables[name]
    return replace(
        req,
        path_params=params,
        query={k: fill_placeholders(v, variables) for k, v in req.query.items()},
        headers={k: fill_placeholders(v, variables) for k, v in req.headers.items()},
        body=fill_any(req.body, variables),
    )


def dumps_variables(name: str, variables: dict[str, str]) -> str:
    secret = sorted(k for k, v in variables.items() if looks_secret(v))
    if secret:
        raise SecretRefused(
            f"Refusing to save a credential as a collection variable ({', '.join(secret)}). "
            "Authentication comes from the profile."
        )
    data = {"format": COLLECTION_TAG, "name": name, "variables": variables}
    return json.dumps(data, indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def loads_variables(text: str, source: str) -> tuple[str, dict[str, str]]:
    data = parse_json_file(text, source)
    if data.get("format", COLLECTION_TAG) != COLLECTION_TAG:
        raise CollectionFileError(source, "unsupported format", line_of_key(text, "format"))
    name = data.get("name", "")
    variables = data.get("variables", {})
    if not isinstance(name, str):
        raise CollectionFileError(source, "name must be a string", line_of_key(text, "name"))
    if not isinstance(variables, dict) or not all(isinstance(v, str) for v in variables.values()):
        raise CollectionFileError(
            source, "variables must be an object of string values", line_of_key(text, "variables")
        )
    return name, variables


@dataclass
class Collection:
    root: Path
    name: str = ""
    variables: dict[str, str] = field(default_factory=dict)
    items: list[CollectionItem] = field(default_factory=list)
    errors: list[CollectionFileError] = field(default_factory=list)
    # What each file held when loaded or last saved (sha256), and which files failed to parse.
    _loaded: dict[PurePosixPath, str] = field(default_factory=dict, repr=False)
    _broken: set[PurePosixPath] = field(default_factory=set, repr=False)

    @classmethod
    def load(cls, root: Path) -> Collection:
        root = Path(root)
        if not root.is_dir():
            raise FileNotFoundError(f"Collection folder {root} does not exist.")
        coll = cls(root=root, name=root.name)
        var_path = root / VARIABLES_FILE
        if var_path.exists():
            try:
                raw = var_path.read_bytes()
                coll._loaded[PurePosixPath(VARIABLES_FILE)] = digest(raw)
                name, coll.variables = loads_variables(raw.decode("utf-8"), str(var_path))
                coll.name = name or coll.name
            except (CollectionFileError, UnicodeDecodeError, OSError) as exc:
                coll._record_error(PurePosixPath(VARIABLES_FILE), var_path, exc)
        for path in sorted(root.rglob("*" + REQUEST_SUFFIX)):
            rel = PurePosixPath(path.relative_to(root).as_posix())
            try:
                raw = path.read_bytes()
                coll._loaded[rel] = digest(raw)
                saved = loads_request(raw.decode("utf-8"), str(path))
            except (CollectionFileError, UnicodeDecodeError, OSError) as exc:
                coll._record_error(rel, path, exc)
                continue
            coll.items.append(CollectionItem(rel=rel, saved=saved))
        return coll

    def _record_error(self, rel: PurePosixPath, path: Path, exc: Exception) -> None:
        self._broken.add(rel)
        if isinstance(exc, CollectionFileError):
            self.errors.append(exc)
        elif isinstance(exc, OSError):  # unreadable, or a folder named like a request
            self.errors.append(CollectionFileError(str(path), f"cannot read it: {exc.strerror}"))
        else:
            self.errors.append(CollectionFileError(str(path), "not UTF-8 text"))

    def folders(self) -> list[tuple[str, ...]]:
        """Every folder that holds a request, parents first, for a tree view."""
        found: set[tuple[str, ...]] = set()
        for item in self.items:
            for depth in range(1, len(item.folder) + 1):
                found.add(item.folder[:depth])
        return sorted(found)

    def find(self, rel: str) -> CollectionItem | None:
        target = PurePosixPath(rel)
        return next((item for item in self.items if item.rel == target), None)

    def resolve(self, item: CollectionItem) -> ApiRequest:
        return resolve_request(item.saved.request, self.variables)

    def _write(self, rel: PurePosixPath, text: str, force: bool) -> Path:
        """Write a file of the collection unless it changed on disk since it was loaded."""
        if rel.is_absolute() or ".." in rel.parts:
            raise ValueError(f"{rel} is not a path inside the collection.")
        path = self.root / rel
        if force:
            atomic_write_text(path, text)
        elif rel in self._broken and path.exists():
            raise SaveConflict(
                f"{path} failed to parse when loaded; saving would replace it. "
                "Fix it by hand, or save with force to overwrite."
            )
        else:
            expected = self._loaded.get(rel)
            try:
                save_if_unchanged(path, text, expected)
            except FileChanged:
                raise SaveConflict(
                    f"{path} changed on disk since it was loaded; saving would lose those "
                    "changes. Reload it, or save with force to overwrite."
                    if expected is not None
                    else f"{path} already exists; reload the collection, or save with force "
                    "to overwrite."
                ) from None
        self._loaded[rel] = digest(text.encode("utf-8"))
        self._broken.discard(rel)
        return path

    def save(self, rel: str, saved: SavedRequest, *, force: bool = False) -> CollectionItem:
        """Write one request file atomically; raises SecretRefused, SaveConflict or SaveError."""
        rel_path = PurePosixPath(rel)
        if not rel_path.name.endswith(REQUEST_SUFFIX):
            rel_path = rel_path.with_name(rel_path.name + REQUEST_SUFFIX)
        path = self._write(rel_path, dumps_request(saved), force)
        self.errors = [e for e in self.errors if Path(e.path) != path]
        item = CollectionItem(rel=rel_path, saved=saved)
        self.items = [i for i in self.items if i.rel != rel_path] + [item]
        self.items.sort(key=lambda i: i.rel)
        return item

    def save_variables(self, *, force: bool = False) -> None:
        text = dumps_variables(self.name, self.variables)
        self._write(PurePosixPath(VARIABLES_FILE), text, force)


def load_request_file(path: Path) -> SavedRequest:
    """One request file on its own (CollectionFileError names the file and line)."""
    raw = Path(path).read_bytes()
    try:
        text = raw.decode("utf-8")
    except UnicodeDecodeError as exc:
        raise CollectionFileError(str(path), "not UTF-8 text") from exc
    return loads_request(text, str(path))
