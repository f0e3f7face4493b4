"""Hypermedia links: the `_links` arrays Mailchimp puts in every response.

Mailchimp has said the links may change or go away, so parsing never fails: entries that
are not objects, lack an href, or carry an unknown method are skipped.
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, urlsplit

from mcexplorer.core.http.request import METHODS


@dataclass(frozen=True)
class Link:
    rel: str
    href: str
    method: str = "GET"
    target_schema: str | None = None
    schema: str | None = None


def _text(value: Any) -> str | None:
    return value.strip() if isinstance(value, str) and value.strip() else None


def parse_links(value: Any) -> list[Link]:
    """The well-formed links of a `_links` value (anything JSON); never raises."""
    if not isinstance(value, list):
        return []
    links: list[Link] = []
    for item in value:
        if not isinstance(item, dict):
            continue
        href = _text(item.get("href"))
        if href is None:
            continue
        method = (_text(item.get("method")) or "GET").upper()
        if method not in METHODS:
            continue
        links.append(
            Link(
                rel=_text(item.get("rel")) or "link",
                href=href,
                method=method,
                target_schema=_text(item.get("targetSchema")),
                schema=_text(item.get("schema")),
            )
        )
    return links


def links_of(body: Any) -> list[Link]:
    """The links of a decoded response body (an object with `_links`), else none."""
    return parse_links(body.get("_links")) if isinstance(body, dict) else []


def split_href(href: str, base_path: str = "/3.0") -> tuple[str, dict[str, str]]:
    """A link's path relative to the API base, and its query.

    Only the path is kept: a request always goes to the configured base URL, so a link
    naming another host can never receive our credentials.
    """
    parts = urlsplit(href)
    path = parts.path or "/"
    base = base_path.rstrip("/")
    if base and (path == base or path.startswith(base + "/")):
        path = path[len(base) :] or "/"
    if not path.startswith("/"):
        path = "/" + path
    return path, dict(parse_qsl(parts.query, keep_blank_values=True))
