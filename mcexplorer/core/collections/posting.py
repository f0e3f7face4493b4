"""Posting collections (a folder of `*.posting.yaml` request files) -> an mcexplorer collection.

Each request file becomes a `*.request.json` at the same place in the tree. Posting's
variables `$NAME` and `${NAME}` become `{{NAME}}` (`$$` is a literal `$`); `:name` path
segments become path params (their `path_params` values kept), a whole-segment variable
becomes a path param filled from that variable, and a leading variable or scheme and host
stand for the base URL, which comes from the profile. Auth blocks, secret headers and
secret-named query params are dropped with a note, never written; scripts and options are
noted and left out. A file that cannot be read is reported (file and line) and the others are
still imported.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass, field
from pathlib import Path, PurePosixPath
from typing import Any
from urllib.parse import parse_qsl

import yaml

from mcexplorer.core.collections.format import (
    REQUEST_SUFFIX,
    SECRET_HEADERS,
    SECRET_NAME,
    CollectionFileError,
    SavedRequest,
    SecretRefused,
    check_no_secrets,
)
from mcexplorer.core.collections.store import (
    VARIABLES_FILE,
    Collection,
    SaveConflict,
    request_variables,
)
from mcexplorer.core.http.request import METHODS, ApiRequest

POSTING_SUFFIX = ".posting.yaml"
# Posting reads `$$` as `$`, `${NAME}` and `$NAME` as variables (Python's string.Template).
_VARIABLE = re.compile(r"\$(?:(\$)|\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_WHOLE_VARIABLE = re.compile(r"\$(?:\{([A-Za-z_][A-Za-z0-9_]*)\}|([A-Za-z_][A-Za-z0-9_]*))")
_PATH_PARAM = re.compile(r":([A-Za-z_][A-Za-z0-9_]*)")
_API_VERSIONS = ("3.0", "v1")  # everything up to the version segment is the base
_CONTENT_HEADERS = frozenset({"content-type", "accept"})  # the engine sets these


@dataclass
class PostingRequest:
    rel: PurePosixPath  # where it goes in the new collection
    saved: SavedRequest


@dataclass
class PostingImport:
    name: str
    requests: list[PostingRequest] = field(default_factory=list)
    notes: list[str] = field(default_factory=list)  # what was dropped or skipped, and why
    errors: list[CollectionFileError] = field(default_factory=list)

    @property
    def variables(self) -> list[str]:
        """The variables the imported requests need when they run."""
        return sorted({n for req in self.requests for n in request_variables(req.saved.request)})


class _Skip(Exception):
    """This request cannot be carried over; the message says why (a note, not an error)."""


class _Malformed(ValueError):
    """A field of the file is written wrongly (becomes a CollectionFileError naming the file)."""


def posting_to_ours(text: str) -> str:
    """`$NAME` and `${NAME}` as `{{NAME}}`, `$$` as `$`; anything else as written."""

    def one(match: re.Match[str]) -> str:
        return "$" if match.group(1) else "{{" + (match.group(2) or match.group(3)) + "}}"

    return _VARIABLE.sub(one, text)


def _pairs(data: dict[str, Any], key: str, notes: list[str]) -> list[tuple[str, str]]:
    """The enabled `{name, value}` items of a list (headers, params, path_params)."""
    items = data.get(key) or []
    if not isinstance(items, list):
        raise _Malformed(f"{key} must be a list of name/value items")
    pairs: list[tuple[str, str]] = []
    for item in items:
        if not isinstance(item, dict) or not isinstance(item.get("name"), str):
            raise _Malformed(f"each item of {key} needs a name")
        value = item.get("value", "")
        if not isinstance(value, str | int | float):
            raise _Malformed(f"{key} {item['name']!r}: the value must be text")
        if item.get("enabled", True) is False:
            notes.append(f"dropped the disabled {key[:-1].replace('_', ' ')} {item['name']!r}")
            continue
        pairs.append((item["name"], str(value)))
    return pairs


def _split_url(url: str) -> tuple[list[str], str]:
    """The path segments after the API base, and the query string."""
    path, _, query = url.partition("?")
    if "://" in path:
        path = "/" + path.split("://", 1)[1].partition("/")[2]
    segments = [s for s in path.split("/") if s]
    first = segments[0] if segments and not path.startswith("/") else ""
    # A host written without a scheme, or a leading ${BASE_URL}, stands for the base.
    if _WHOLE_VARIABLE.fullmatch(first) or "." in first or ":" in first or first == "localhost":
        segments = segments[1:]
    for version in _API_VERSIONS:
        if version in segments:
            segments = segments[segments.index(version) + 1 :]
            break
    return segments, query


def _path(segments: list[str], given: dict[str, str]) -> tuple[str, dict[str, str]]:
    """Our path with `{name}` params, and their values (Posting's, or variables)."""
    parts: list[str] = []
    params: dict[str, str] = {}
    for segment in segments:
        whole = _WHOLE_VARIABLE.fullmatch(segment)
        named = _PATH_PARAM.fullmatch(segment)
        if whole:  # /lists/${LIST_ID} -> /lists/{list_id} filled from {{LIST_ID}}
            variable = whole.group(1) or whole.group(2)
            parts.append("{" + variable.lower() + "}")
            params[variable.lower()] = "{{" + variable + "}}"
        elif named:
            parts.append("{" + named.group(1) + "}")
            params[named.group(1)] = posting_to_ours(given.get(named.group(1), ""))
        elif "$" in segment.replace("$$", "") or _PATH_PARAM.search(segment.replace("::", "")):
            raise _Skip(f"a variable or :param inside the path segment {segment!r}")
        else:
            parts.append(segment.replace("::", ":").replace("$$", "$"))
    return "/" + "/".join(parts), params


def _body(data: dict[str, Any]) -> Any:
    body = data.get("body")
    if body is None:
        return None
    if not isinstance(body, dict):
        raise _Malformed("body must be an object with content or form_data")
    if body.get("form_data"):
        raise _Skip("a form body (the Mailchimp API takes JSON)")
    content = body.get("content")
    if content is None or content == "":
        return None
    if not isinstance(content, str):
        raise _Malformed("body content must be text")
    try:
        return json.loads(posting_to_ours(content))
    except json.JSONDecodeError:
        raise _Skip("its body is not JSON (or a variable stands outside a JSON string)") from None


def convert_request(data: Any, source: str) -> tuple[SavedRequest, list[str]]:
    """One Posting request (its parsed YAML) as ours, with notes on what was left out.
    Raises CollectionFileError for a malformed file, _Skip for one we cannot carry over."""
    if not isinstance(data, dict):
        raise CollectionFileError(source, "expected a YAML mapping of request fields")
    notes: list[str] = []
    method = data.get("method", "GET")
    if not isinstance(method, str) or method.upper() not in METHODS:
        raise CollectionFileError(source, f"method must be one of {', '.join(METHODS)}")
    url = data.get("url")
    if not isinstance(url, str) or not url.strip():
        raise CollectionFileError(source, "url must be a non-empty string")
    description = data.get("description", "")
    if not isinstance(description, str):
        raise CollectionFileError(source, "description must be a string")
    try:
        headers_in = _pairs(data, "headers", notes)
        params_in = _pairs(data, "params", notes)
        given = dict(_pairs(data, "path_params", notes))
        body = _body(data)
    except _Malformed as exc:
        raise CollectionFileError(source, str(exc)) from None
    segments, query_text = _split_url(url.strip())
    path, path_params = _path(segments, given)
    query: dict[str, str] = {}
    for key, value in [*parse_qsl(query_text, keep_blank_values=True), *params_in]:
        if SECRET_NAME.search(key):
            notes.append(f"dropped the query param {key!r} (credentials come from the profile)")
        else:
            query[key] = posting_to_ours(value)
    headers: dict[str, str] = {}
    for key, value in headers_in:
        if key.lower() in SECRET_HEADERS or SECRET_NAME.search(key):
            notes.append(f"dropped the {key} header (auth comes from the profile)")
        elif key.lower() not in _CONTENT_HEADERS:
            headers[key] = posting_to_ours(value)
    if data.get("auth"):
        notes.append("dropped its auth block (auth comes from the profile; none of it written)")
    if data.get("scripts"):
        notes.append("left out its scripts (mcexplorer runs no scripts)")
    if data.get("options"):
        notes.append("left out its options (timeouts, redirects and proxy are mcexplorer's own)")
    req = ApiRequest(method.upper(), path, path_params, query, headers, body)
    return SavedRequest(req, posting_to_ours(description)), notes


def _load_yaml(path: Path, source: str) -> Any:
    try:
        text = path.read_bytes().decode("utf-8")
    except UnicodeDecodeError:
        raise CollectionFileError(source, "not UTF-8 text") from None
    except OSError as exc:
        raise CollectionFileError(source, f"cannot read it: {exc.strerror}") from None
    try:
        return yaml.safe_load(text)
    except yaml.YAMLError as exc:
        mark = getattr(exc, "problem_mark", None)
        line = mark.line + 1 if mark is not None else None
        problem = getattr(exc, "problem", None) or "not valid YAML"
        raise CollectionFileError(source, f"not valid YAML ({problem})", line) from None


def import_posting(folder: Path) -> PostingImport:
    """Read every `*.posting.yaml` under `folder`; bad files are reported, the rest converted."""
    if not folder.is_dir():
        raise FileNotFoundError(f"{folder} is not a folder of Posting requests.")
    out = PostingImport(name=folder.resolve().name)
    for path in sorted(folder.rglob("*" + POSTING_SUFFIX)):
        rel = PurePosixPath(path.relative_to(folder).as_posix())
        try:
            saved, notes = convert_request(_load_yaml(path, str(path)), str(path))
            check_no_secrets(saved.request, saved.description)
        except CollectionFileError as exc:
            out.errors.append(exc)
            continue
        except (_Skip, SecretRefused) as exc:
            out.notes.append(f"{rel}: skipped, {exc}")
            continue
        out.notes += [f"{rel}: {note}" for note in notes]
        target = rel.with_name(rel.name.removesuffix(POSTING_SUFFIX) + REQUEST_SUFFIX)
        out.requests.append(PostingRequest(target, saved))
    return out


def write_posting_import(imported: PostingImport, dest: Path, *, force: bool = False) -> Collection:
    """Write the converted requests into `dest`. Without force, nothing is written when any
    of their files exists already; each file is written whole (atomically) or not at all."""
    dest.mkdir(parents=True, exist_ok=True)
    taken = [dest / req.rel for req in imported.requests if (dest / req.rel).exists()]
    if taken and not force:
        raise SaveConflict(
            f"{taken[0]} exists already ({len(taken)} of the files do); nothing was written. "
            "Pass --force to replace them."
        )
    coll = Collection.load(dest)
    if not (dest / VARIABLES_FILE).exists():
        coll.name = imported.name
        coll.save_variables()
    for req in imported.requests:
        coll.save(str(req.rel), req.saved, force=force)
    return coll
