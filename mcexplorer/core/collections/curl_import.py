"""Turn a pasted curl command into a saved request; its credentials are dropped.

Auth comes from the profile, so `-u/--user` and auth headers are discarded and reported
(by kind, never by value). The API prefix (`/3.0/` for Mailchimp, `/v1/` for MailerSend)
is removed so the path is relative to whatever base the profile points at.
"""

from __future__ import annotations

import json
import shlex
from dataclasses import dataclass, field
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mcexplorer.core.catalog.model import Catalog
from mcexplorer.core.collections.format import (
    SECRET_HEADERS,
    SavedRequest,
    check_no_secrets,
)
from mcexplorer.core.http.request import METHODS, ApiRequest

_API_PREFIXES = ("/3.0/", "/v1/")
_DATA_FLAGS = frozenset({"-d", "--data", "--data-raw", "--data-binary", "--data-ascii", "--json"})
_HEADER_FLAGS = frozenset({"-H", "--header"})
_METHOD_FLAGS = frozenset({"-X", "--request"})
_USER_FLAGS = frozenset({"-u", "--user"})
# Flags that take a value we do not need (output, timeouts, TLS files...).
_IGNORED_WITH_VALUE = frozenset(
    {
        "-o",
        "--output",
        "-m",
        "--max-time",
        "--connect-timeout",
        "-A",
        "--user-agent",
        "-e",
        "--referer",
        "--cacert",
        "--cert",
        "--key",
        "-w",
        "--write-out",
        "--retry",
        "-x",
        "--proxy",
        # Our exports feed the credential to curl as a config on stdin; auth comes from the profile.
        "-K",
        "--config",
    }
)
# Headers the engine sets itself.
_DROPPED_HEADERS = frozenset({"content-type", "accept", "user-agent", "content-length", "host"})


class CurlImportError(ValueError):
    """The text is not a curl command we can turn into a request; says why."""


@dataclass
class CurlImport:
    saved: SavedRequest
    base_url: str  # scheme://host/prefix/ the command pointed at
    dropped: list[str] = field(default_factory=list)  # what was discarded, never values


def _tokens(text: str) -> list[str]:
    joined = text.replace("\\\r\n", " ").replace("\\\n", " ").strip()
    try:
        tokens = shlex.split(joined)
    except ValueError as exc:
        raise CurlImportError(f"Cannot split the command: {exc} (unbalanced quotes?).") from exc
    if "|" in tokens:  # `printf ... | curl ...`: the request is the last stage of the pipe
        tokens = tokens[len(tokens) - tokens[::-1].index("|") :]
    if not tokens or tokens[0].rsplit("/", 1)[-1] not in ("curl", "curl.exe"):
        raise CurlImportError("The command does not start with 'curl'.")
    return tokens[1:]


def _split_option(token: str) -> tuple[str, str | None]:
    """`--data=x` -> ('--data', 'x'); `-XPOST` -> ('-X', 'POST'); others unchanged."""
    if token.startswith("--") and "=" in token:
        name, _, value = token.partition("=")
        return name, value
    if (
        len(token) > 2
        and token[0] == "-"
        and token[1] != "-"
        and token[:2] in ("-X", "-H", "-d", "-u")
    ):
        return token[:2], token[2:]
    return token, None


def parse_curl(text: str, catalog: Catalog | None = None) -> CurlImport:
    """A Mailchimp path is matched against the catalog to recover its template and params."""
    args = _tokens(text)
    method: str | None = None
    url: str | None = None
    headers: dict[str, str] = {}
    data: list[str] = []
    dropped: list[str] = []
    to_query = False
    i = 0
    while i < len(args):
        name, value = _split_option(args[i])
        needs_value = (
            name
            in (_DATA_FLAGS | _HEADER_FLAGS | _METHOD_FLAGS | _USER_FLAGS | _IGNORED_WITH_VALUE)
            or name == "--url"
        )
        if needs_value and value is None:
            i += 1
            if i >= len(args):
                raise CurlImportError(f"Option {name} has no value.")
            value = args[i]
        i += 1
        if name in _METHOD_FLAGS:
            method = (value or "").upper()
        elif name in _HEADER_FLAGS:
            header, sep, header_value = (value or "").partition(":")
            if not sep:
                raise CurlImportError(f"Header {header!r} has no ':'.")
            key = header.strip()
            if key.lower() in SECRET_HEADERS:
                dropped.append(f"{key} header (auth comes from the profile)")
            elif key.lower() not in _DROPPED_HEADERS:
                headers[key] = header_value.strip()
        elif name in _USER_FLAGS:
            dropped.append("--user credentials (auth comes from the profile)")
        elif name in _DATA_FLAGS:
            data.append(value or "")
        elif name in ("-G", "--get"):
            to_query = True
        elif name == "--url" or (not name.startswith("-") and url is None):
            url = value if name == "--url" else name
        elif not name.startswith("-"):
            raise CurlImportError(f"Unexpected extra argument {name!r} (one URL only).")
    if url is None:
        raise CurlImportError("The command has no URL.")
    return _build(url, method, headers, data, to_query, dropped, catalog)


def _build(
    url: str,
    method: str | None,
    headers: dict[str, str],
    data: list[str],
    to_query: bool,
    dropped: list[str],
    catalog: Catalog | None,
) -> CurlImport:
    parts = urlsplit(url if "://" in url else "https://" + url)
    if not parts.hostname:
        raise CurlImportError(f"{url!r} is not a URL with a host.")
    query = dict(parse_qsl(parts.query, keep_blank_values=True))
    path = parts.path or "/"
    prefix = next((p for p in _API_PREFIXES if (path + "/").startswith(p)), "/")
    rel_path = "/" + path[len(prefix) :].lstrip("/") if prefix != "/" else path
    body: Any = None
    if data and to_query:
        for chunk in data:
            query.update(parse_qsl(chunk, keep_blank_values=True))
    elif data:
        joined = "&".join(data)
        try:
            body = json.loads(joined)
        except json.JSONDecodeError as exc:
            raise CurlImportError(
                f"The request body is not JSON ({exc.msg} at line {exc.lineno}); "
                "the API takes JSON bodies."
            ) from exc
    verb = method or ("POST" if body is not None else "GET")
    if verb not in METHODS:
        raise CurlImportError(f"Unknown HTTP method {verb!r}.")
    path_params: dict[str, str] = {}
    if prefix == "/3.0/":
        found = (catalog or Catalog.load()).match(verb, rel_path)
        if found is not None:
            rel_path, path_params = found[0].path, found[1]
    req = ApiRequest(
        method=verb,
        path=rel_path,
        path_params=path_params,
        query=query,
        headers=headers,
        body=body,
    )
    check_no_secrets(req)
    if parts.username or parts.password:
        dropped.append("credentials in the URL (auth comes from the profile)")
    port = f":{parts.port}" if parts.port else ""
    base = f"{parts.scheme}://{parts.hostname}{port}{prefix}"
    return CurlImport(saved=SavedRequest(request=req), base_url=base, dropped=dropped)
