"""One saved request per file, and the guard that keeps secrets out of those files.

Format choice: JSON written with sorted keys, two-space indent and one key per line
(`*.request.json`). The stdlib reads and writes it exactly (TOML has no stdlib writer, YAML
needs a dependency), nested bodies and unicode round-trip without a custom escaper, the
sorted layout keeps diffs to the lines that changed, and `json.JSONDecodeError` reports
the line of a hand-editing mistake.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from mcexplorer.core import jsontext
from mcexplorer.core.collections.assertions import (
    Assertion,
    assertion_to_dict,
    assertions_from_list,
)
from mcexplorer.core.http.request import METHODS, ApiRequest

# The secret rules live in core/redact.py; re-exported here, where savers have long found them.
from mcexplorer.core.redact import AUTH_VALUE_RE
from mcexplorer.core.redact import SECRET_HEADERS as SECRET_HEADERS
from mcexplorer.core.redact import SECRET_NAME as SECRET_NAME
from mcexplorer.core.redact import looks_secret as looks_secret

REQUEST_SUFFIX = ".request.json"
FORMAT_TAG = "mcexplorer.request/1"

_STRING_MAPS = ("path_params", "query", "headers")
_KNOWN_KEYS = frozenset(
    {"format", "description", "method", "path", "body", "assertions", *_STRING_MAPS}
)

_SECRET_BODY_KEY = re.compile(r"^(api_?key|access_?token|token|secret|password)$", re.I)


class CollectionFileError(ValueError):
    """A request or variables file that cannot be used; names the file and, if known, the line."""

    def __init__(self, path: str, message: str, line: int | None = None) -> None:
        where = f"{path}, line {line}" if line is not None else path
        super().__init__(f"{where}: {message}")
        self.path = path
        self.line = line
        self.reason = message


class SecretRefused(ValueError):
    """Saving would write a credential to disk; auth belongs in the profile."""


class UnsendableRequest(ValueError):
    """Saving would write a request that no load could accept (a '..' path, a Host header)."""


@dataclass
class SavedRequest:
    request: ApiRequest
    description: str = ""
    assertions: tuple[Assertion, ...] = ()


def _strings_in(value: Any, where: str) -> list[tuple[str, str]]:
    if isinstance(value, str):
        return [(where, value)]
    if isinstance(value, dict):
        return [pair for k, v in value.items() for pair in _strings_in(v, f"{where}.{k}")]
    if isinstance(value, list):
        return [pair for i, v in enumerate(value) for pair in _strings_in(v, f"{where}[{i}]")]
    return []


def _secret_keys_in(value: Any, where: str) -> list[tuple[str, str]]:
    if isinstance(value, dict):
        return [
            pair
            for k, v in value.items()
            for pair in (
                [(f"{where}.{k}", v)]
                if _SECRET_BODY_KEY.match(str(k)) and isinstance(v, str) and v.strip()
                else _secret_keys_in(v, f"{where}.{k}")
            )
        ]
    if isinstance(value, list):
        return [p for i, v in enumerate(value) for p in _secret_keys_in(v, f"{where}[{i}]")]
    return []


def find_secrets(req: ApiRequest, description: str = "") -> list[str]:
    """Where in the request a credential appears (locations only, never the value)."""
    found = [
        f"header {name!r}"
        for name, value in req.headers.items()
        if name.lower() in SECRET_HEADERS
        or AUTH_VALUE_RE.match(value)
        or (SECRET_NAME.search(name) and value.strip())
    ]
    found += [f"query {k!r}" for k, v in req.query.items() if SECRET_NAME.search(k) and v.strip()]
    found += [where for where, _ in _secret_keys_in(req.body, "body")]
    places: list[tuple[str, str]] = [("path", req.path), ("description", description)]
    places += [(f"path param {k!r}", v) for k, v in req.path_params.items()]
    places += [(f"query {k!r}", v) for k, v in req.query.items()]
    places += [(f"query name {k!r}", k) for k in req.query]
    places += [(f"header {k!r}", v) for k, v in req.headers.items()]
    places += _strings_in(req.body, "body")
    found += [where for where, text in places if looks_secret(text) and where not in found]
    return found


def check_no_secrets(req: ApiRequest, description: str = "") -> None:
    found = find_secrets(req, description)
    if found:
        raise SecretRefused(
            "Refusing to save a credential into a request file (found in "
            + ", ".join(found)
            + "). Authentication comes from the profile; remove it and save again."
        )


def _assertion_secrets(assertions: tuple[Assertion, ...]) -> list[str]:
    return [
        f"assertion {number}"
        for number, a in enumerate(assertions, start=1)
        if any(looks_secret(text) for _, text in [("", a.target), *_strings_in(a.expected, "")])
    ]


def request_to_dict(saved: SavedRequest) -> dict[str, Any]:
    req = saved.request
    # Written only when there are some, so files without assertions stay as they were.
    checks = {"assertions": [assertion_to_dict(a) for a in saved.assertions]}
    return {
        **(checks if saved.assertions else {}),
        "format": FORMAT_TAG,
        "description": saved.description,
        "method": req.method.upper(),
        "path": req.path,
        "path_params": dict(req.path_params),
        "query": dict(req.query),
        "headers": dict(req.headers),
        "body": req.body,
    }


def dumps_request(saved: SavedRequest) -> str:
    """The file text; refuses (SecretRefused) if a credential would be written, and
    (UnsendableRequest) a request that could never be sent as written."""
    issues = saved.request.structure_issues()
    if issues:
        raise UnsendableRequest(
            "Refusing to save a request that cannot be sent as written: "
            + "; ".join(map(str, issues))
        )
    check_no_secrets(saved.request, saved.description)
    found = _assertion_secrets(saved.assertions)
    if found:
        raise SecretRefused(
            f"Refusing to save a credential into a request file (found in {', '.join(found)})."
        )
    return json.dumps(request_to_dict(saved), indent=2, sort_keys=True, ensure_ascii=False) + "\n"


def line_of_key(text: str, key: str) -> int | None:
    """The line where a top-level key is written, to point an error at it."""
    quoted = '"' + re.escape(key) + r'"\s*:'
    lines = text.splitlines()
    # Top level first (indented at most two spaces), then anywhere (a file kept on one line).
    for pattern in (re.compile(r"^\s{0,2}" + quoted), re.compile(quoted)):
        for number, line in enumerate(lines, start=1):
            if pattern.search(line):
                return number
    return None


def parse_json_file(text: str, source: str) -> dict[str, Any]:
    try:
        data = jsontext.loads(text)
    except json.JSONDecodeError as exc:
        raise CollectionFileError(source, f"not valid JSON ({exc.msg})", exc.lineno) from exc
    if not isinstance(data, dict):
        raise CollectionFileError(source, "expected a JSON object at the top level", 1)
    return data


def loads_request(text: str, source: str) -> SavedRequest:
    """Parse a request file; CollectionFileError names `source` and the offending line."""
    data = parse_json_file(text, source)

    def fail(key: str, message: str) -> CollectionFileError:
        return CollectionFileError(source, message, line_of_key(text, key))

    for key in data:
        if key not in _KNOWN_KEYS:
            raise fail(
                key, f"unknown key {key!r} (expected one of {', '.join(sorted(_KNOWN_KEYS))})"
            )
    if data.get("format", FORMAT_TAG) != FORMAT_TAG:
        raise fail("format", f"unsupported format {data['format']!r}, expected {FORMAT_TAG!r}")
    method = data.get("method", "GET")
    if not isinstance(method, str) or method.upper() not in METHODS:
        raise fail("method", f"method must be one of {', '.join(METHODS)}")
    path = data.get("path")
    if not isinstance(path, str) or not path.startswith("/"):
        raise fail("path", "path must be a string starting with '/'")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise fail("description", "description must be a string")
    maps: dict[str, dict[str, str]] = {}
    for key in _STRING_MAPS:
        value = data.get(key, {})
        if not isinstance(value, dict) or not all(isinstance(v, str) for v in value.values()):
            raise fail(key, f"{key} must be an object of string values")
        maps[key] = value
    try:
        assertions = assertions_from_list(data.get("assertions", []))
    except ValueError as exc:
        raise fail("assertions", str(exc)) from None
    req = ApiRequest(
        method=method.upper(),
        path=path,
        path_params=maps["path_params"],
        query=maps["query"],
        headers=maps["headers"],
        body=data.get("body"),
    )
    issues = req.structure_issues()
    if issues:
        where = issues[0].field.split()[0]
        key = {"path": "path", "headers": "headers"}.get(where, "path_params")
        raise fail(key, "cannot be sent as written: " + "; ".join(str(i) for i in issues))
    return SavedRequest(request=req, description=description, assertions=assertions)
