"""`_links` arrays built from the catalog: which methods and sub-resources a path has."""

from __future__ import annotations

from functools import cache
from urllib.parse import quote

from mcexplorer.sandbox.catalog import Catalog, Operation

_REL_BY_METHOD = {"PATCH": "update", "PUT": "upsert", "DELETE": "delete"}


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


def _schema_name(template: str) -> str:
    words = [s for s in template.split("/") if s and not s.startswith("{")]
    return "/".join("".join(w.title() for w in s.split("-")) for s in words) or "Root"


def _fill(template: str, params: dict[str, str]) -> str:
    path = template
    for name, value in params.items():
        path = path.replace("{" + name + "}", quote(str(value), safe="@"))
    return path


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


def resource_links(
    base_url: str, template: str, params: dict[str, str], *, item: bool
) -> list[dict[str, str]]:
    """Links for the object (item=True) or collection at `template` filled with `params`."""
    api = base_url.rstrip("/")
    defs = api.rsplit("/3.0", 1)[0] + "/schema/3.0/Definitions/"
    methods = _methods().get(template, frozenset())
    href = api + (_fill(template, params) if template != "/" else "/")
    name = _schema_name(template)
    response = f"{defs}{name}/{'Response' if item else 'CollectionResponse'}.json"
    links = [_link("self", href, "GET", response)] if "GET" in methods else []
    if template != "/":
        parent = _parent(template)
        parent_is_item = parent.endswith("}") or parent == "/"
        parent_kind = "Response" if parent_is_item else "CollectionResponse"
        parent_href = api + (_fill(parent, params) if parent != "/" else "/")
        links.append(
            _link("parent", parent_href, "GET", f"{defs}{_schema_name(parent)}/{parent_kind}.json")
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
        links.append(_link(rel, api + _fill(child, params), "GET", target))
    return links
