"""Postman collection v2.1 -> an mcexplorer collection folder.

Folders become sub-folders, `{{var}}` and `:var` path segments become path params filled
from collection variables, other `{{var}}` uses stay and are filled when sent. Auth blocks
and variables holding credentials are dropped and reported: auth comes from the profile.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qsl

from mcexplorer.core.collections.format import (
    SECRET_HEADERS,
    SECRET_NAME,
    SavedRequest,
    check_no_secrets,
    looks_secret,
)
from mcexplorer.core.collections.store import Collection, file_name_for
from mcexplorer.core.http.request import METHODS, ApiRequest

_SCHEMA_MARK = "v2.1"
_VAR_SEGMENT = re.compile(r"^\{\{\s*([A-Za-z0-9_.\-]+)\s*\}\}$")
# Everything up to and including the API version segment is the base, not the path.
_BASE_MARKERS = ("3.0", "v1")


class PostmanImportError(ValueError):
    """The file is not a Postman v2.1 collection we can read; says why."""


@dataclass
class ImportedRequest:
    folder: tuple[str, ...]
    title: str
    saved: SavedRequest


@dataclass
class PostmanImport:
    name: str
    variables: dict[str, str]
    requests: list[ImportedRequest] = field(default_factory=list)
    warnings: list[str] = field(default_factory=list)


def _text(value: Any) -> str:
    if isinstance(value, dict):  # description objects: {"content": ..., "type": ...}
        return str(value.get("content", ""))
    return "" if value is None else str(value)


def _path_segments(url: Any) -> tuple[list[str], dict[str, str]]:
    """The URL's path segments after the API base, and `:name` values from url.variable."""
    if isinstance(url, str):
        raw = url.split("?", 1)[0]
        raw = raw.split("://", 1)[-1]
        segments = raw.split("/")[1:] if "/" in raw else []
        values: dict[str, str] = {}
    elif isinstance(url, dict):
        path = url.get("path", [])
        segments = path.split("/") if isinstance(path, str) else [str(s) for s in path]
        values = {
            str(v.get("key")): _text(v.get("value"))
            for v in url.get("variable", [])
            if isinstance(v, dict) and v.get("key")
        }
    else:
        raise PostmanImportError("a request has no URL")
    segments = [s for s in segments if s]
    for marker in _BASE_MARKERS:
        if marker in segments:
            segments = segments[segments.index(marker) + 1 :]
            break
    if segments and _VAR_SEGMENT.match(segments[0]) and "url" in segments[0].lower():
        segments = segments[1:]  # a leading {{baseUrl}} stands for the base
    return segments, values


def _query(url: Any) -> dict[str, str]:
    if isinstance(url, dict):
        return {
            str(q.get("key")): _text(q.get("value"))
            for q in url.get("query", [])
            if isinstance(q, dict) and q.get("key") and not q.get("disabled")
        }
    if isinstance(url, str) and "?" in url:
        return dict(parse_qsl(url.split("?", 1)[1], keep_blank_values=True))
    return {}


def _convert(item: dict[str, Any], folder: tuple[str, ...], out: PostmanImport) -> None:
    title = str(item.get("name") or "request")
    request = item["request"]
    if isinstance(request, str):
        request = {"method": "GET", "url": request}
    method = str(request.get("method", "GET")).upper()
    if method not in METHODS:
        out.warnings.append(f"{title}: skipped, unknown method {method!r}")
        return
    segments, values = _path_segments(request.get("url"))
    path_params: dict[str, str] = {}
    parts: list[str] = []
    for seg in segments:
        var = _VAR_SEGMENT.match(seg)
        if var:  # {{list_id}} -> {list_id}, filled from the collection variable of that name
            parts.append("{" + var.group(1) + "}")
            path_params[var.group(1)] = ""
        elif seg.startswith(":"):
            parts.append("{" + seg[1:] + "}")
            path_params[seg[1:]] = values.get(seg[1:], "")
        else:
            parts.append(seg)
    headers: dict[str, str] = {}
    for header in request.get("header", []):
        if not isinstance(header, dict) or header.get("disabled") or not header.get("key"):
            continue
        key = str(header["key"])
        if key.lower() in SECRET_HEADERS:
            out.warnings.append(f"{title}: dropped the {key} header (auth comes from the profile)")
        elif key.lower() not in ("content-type", "accept"):
            headers[key] = _text(header.get("value"))
    if request.get("auth"):
        out.warnings.append(f"{title}: dropped its auth settings (auth comes from the profile)")
    body: Any = None
    raw_body = (
        (request.get("body") or {}).get("raw") if isinstance(request.get("body"), dict) else None
    )
    if raw_body:
        try:
            body = json.loads(raw_body)
        except json.JSONDecodeError:
            out.warnings.append(f"{title}: skipped, its body is not JSON")
            return
    req = ApiRequest(
        method=method,
        path="/" + "/".join(parts),
        path_params=path_params,
        query=_query(request.get("url")),
        headers=headers,
        body=body,
    )
    saved = SavedRequest(request=req, description=_text(request.get("description")))
    try:
        check_no_secrets(req, saved.description)
    except ValueError as exc:
        out.warnings.append(f"{title}: skipped. {exc}")
        return
    out.requests.append(ImportedRequest(folder=folder, title=title, saved=saved))


def _walk(items: list[Any], folder: tuple[str, ...], out: PostmanImport) -> None:
    for item in items:
        if not isinstance(item, dict):
            continue
        if "item" in item:
            _walk(item.get("item") or [], (*folder, str(item.get("name") or "folder")), out)
        elif "request" in item:
            _convert(item, folder, out)


def import_postman(data: Any) -> PostmanImport:
    if not isinstance(data, dict) or not isinstance(data.get("info"), dict):
        raise PostmanImportError("not a Postman collection (no 'info' object)")
    schema = str(data["info"].get("schema", ""))
    if _SCHEMA_MARK not in schema:
        raise PostmanImportError(f"only Postman collection v2.1 is supported (schema {schema!r})")
    out = PostmanImport(name=str(data["info"].get("name") or "imported"), variables={})
    for var in data.get("variable", []):
        if not isinstance(var, dict) or not var.get("key"):
            continue
        key, value = str(var["key"]), _text(var.get("value"))
        if looks_secret(value) or SECRET_NAME.search(key):
            out.warnings.append(f"variable {key}: dropped (credentials come from the profile)")
        elif "url" not in key.lower():
            out.variables[key] = value
    if data.get("auth"):
        out.warnings.append("collection auth settings dropped (auth comes from the profile)")
    _walk(data.get("item", []), (), out)
    return out


def _folder_name(name: str) -> str:
    return file_name_for(name).removesuffix(".request.json")


def write_collection(imported: PostmanImport, dest: Path, *, force: bool = False) -> Collection:
    """Write the import as a collection folder; existing files are only replaced with force."""
    dest.mkdir(parents=True, exist_ok=True)
    coll = Collection.load(dest)
    coll.name, coll.variables = imported.name, dict(imported.variables)
    coll.save_variables(force=force)
    taken: set[PurePosixPath] = set()
    for req in imported.requests:
        folder = PurePosixPath(*[_folder_name(f) for f in req.folder]) if req.folder else None
        base = file_name_for(req.title).removesuffix(".request.json")
        rel = PurePosixPath(f"{base}.request.json")
        n = 2
        while (folder / rel if folder else rel) in taken:
            rel, n = PurePosixPath(f"{base}-{n}.request.json"), n + 1
        full = folder / rel if folder else rel
        taken.add(full)
        coll.save(str(full), req.saved, force=force)
    return coll
