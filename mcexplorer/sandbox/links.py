"""`_links` arrays and the describedBy header: from the links real traffic shows
(data/sandbox_links.json) where recorded, else from the catalog's methods and sub-resources."""

from __future__ import annotations

import json
import re
from functools import cache, lru_cache
from typing import Any
from urllib.parse import quote

from mcexplorer.sandbox.catalog import Catalog, Operation
from mcexplorer.sandbox.errors import DATA_DIR

_REL_BY_METHOD = {"PATCH": "update", "PUT": "upsert", "DELETE": "delete"}
# Characters quote(..., safe="@") leaves alone: most ids need no quoting at all.
_UNQUOTED = re.compile(r"[A-Za-z0-9_.~@-]*")


@cache
def catalog_operations() -> dict[tuple[str, str], Operation]:
    """(METHOD, template) -> catalog operation."""
    return {(op.method, op.template): op for op in Catalog.load().operations}


@cache
def _methods() -> dict[str, frozenset[str]]:
    found: dict[str, set[str]] = {}
    for method, template in catalog_operations():
        found.setdefault(template, set()).add(method)
    return {t: frozenset(m) for t, m in found.items()}


@cache
def _children(template: str) -> tuple[str, ...]:
    """Literal one-segment-deeper paths that can be read: the sub-resources."""
    prefix = template.rstrip("/") + "/"
    return tuple(
        t
        for t, methods in _methods().items()
        if t.startswith(prefix)
        and t != template
        and "GET" in methods
        and "/" not in t[len(prefix) :]
        and not t[len(prefix) :].startswith("{")
    )


@cache
def recorded_links() -> dict[str, Any]:
    data: dict[str, Any] = json.loads((DATA_DIR / "sandbox_links.json").read_text("utf-8"))
    return data


def _schema_name(template: str) -> str:
    words = [s for s in template.split("/") if s and not s.startswith("{")]
    return "/".join("".join(w.title() for w in s.split("-")) for s in words) or "Root"


def _parent(template: str) -> str:
    return template.rsplit("/", 1)[0] or "/"


def _link(
    rel: str, href: str, method: str, target: str | None = None, schema: str | None = None
) -> dict[str, str]:
    link = {"rel": rel, "href": href, "method": method}
    if target:
        link["targetSchema"] = target
    if schema:
        link["schema"] = schema
    return link


class _Filled(dict[str, str]):
    """Quoted path parameters; a placeholder without a value stays as it is."""

    def __missing__(self, name: str) -> str:
        return "{" + name + "}"


def _quoted(value: object) -> str:
    text = str(value)
    return text if _UNQUOTED.fullmatch(text) else quote(text, safe="@")


def _href(api: str, template: str) -> str:
    """A str.format pattern for the URL of `template`: its placeholders are the fields."""
    return api.replace("{", "{{").replace("}", "}}") + (template if template != "/" else "/")


def _target(defs: str, template: str, method: str) -> str | None:
    """The schema a GET of `template` answers with (item or collection by its shape)."""
    if method != "GET":
        return None
    kind = "Response" if template.endswith("}") or template == "/" else "CollectionResponse"
    return f"{defs}{_schema_name(template)}/{kind}.json"


def _recorded(api: str, template: str, entries: list[list[str]]) -> tuple[dict[str, str], ...]:
    defs = api.rsplit("/3.0", 1)[0] + "/schema/3.0/Definitions/"
    links = []
    for rel, method, path in entries:
        target = path.replace("{self}", template.rstrip("/")) if path else template
        links.append(_link(rel, _href(api, target), method, _target(defs, target, method)))
    return tuple(links)


@lru_cache(maxsize=1024)  # keyed by the request's Host too, so bounded
def _skeleton(api: str, template: str, item: bool) -> tuple[dict[str, str], ...]:
    """The links of `template` with hrefs left as format patterns (see `_href`)."""
    recorded = recorded_links()["instances" if item else "collections"].get(template)
    if recorded is not None:
        return _recorded(api, template, recorded)
    defs = api.rsplit("/3.0", 1)[0] + "/schema/3.0/Definitions/"
    methods = _methods().get(template, frozenset())
    href = _href(api, template)
    name = _schema_name(template)
    response = f"{defs}{name}/{'Response' if item else 'CollectionResponse'}.json"
    links = [_link("self", href, "GET", response)] if "GET" in methods else []
    if template != "/":
        parent = _parent(template)
        parent_is_item = parent.endswith("}") or parent == "/"
        parent_kind = "Response" if parent_is_item else "CollectionResponse"
        links.append(
            _link(
                "parent",
                _href(api, parent),
                "GET",
                f"{defs}{_schema_name(parent)}/{parent_kind}.json",
            )
        )
    if item:
        for method in ("PATCH", "PUT", "DELETE"):
            if method in methods:
                body = f"{defs}{name}/{method}.json" if method != "DELETE" else None
                target = response if method != "DELETE" else None
                links.append(_link(_REL_BY_METHOD[method], href, method, target, body))
    elif "POST" in methods:
        links.append(
            _link("create", href, "POST", f"{defs}{name}/Response.json", f"{defs}{name}/POST.json")
        )
    for child in _children(template):
        rel = child.rsplit("/", 1)[1]
        target = f"{defs}{_schema_name(child)}/CollectionResponse.json"
        links.append(_link(rel, _href(api, child), "GET", target))
    return tuple(links)


def resource_links(
    base_url: str, template: str, params: dict[str, str], *, item: bool
) -> list[dict[str, str]]:
    """Links for the object (item=True) or collection at `template` filled with `params`."""
    values = _Filled({name: _quoted(value) for name, value in params.items()})
    return [
        {**link, "href": link["href"].format_map(values)}
        for link in _skeleton(base_url.rstrip("/"), template, item)
    ]


@lru_cache(maxsize=1024)
def described_by(origin: str, template: str, collection: bool) -> str:
    """The `Link` header of a JSON answer: its schema, as the API names it."""
    if template == "/":
        return f'<{origin}/schema/3.0/Root.json>; rel="describedBy"'
    kind = "Collection" if collection else "Instance"
    name = recorded_links()["schemas"].get(template, f"{_schema_name(template)}/{kind}.json")
    return f'<{origin}/schema/3.0/{name}>; rel="describedBy"'
