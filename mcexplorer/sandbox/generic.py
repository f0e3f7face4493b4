"""Catalog-driven answers for every operation without a stateful handler.

The body has the shape the catalog gives for the response (field names and
types), with stable fake ids derived from the path, `_links`, path parameters
echoed where the response names them, and for writes the accepted body fields
echoed back. 204-success operations and DELETE answer with no body.

E-commerce objects are remembered instead: a store, customer or order exists once it
was created, and reading one that was not is 404, as it is on a real account.
"""

from __future__ import annotations

import hashlib
from typing import Any

from mcexplorer.sandbox.catalog import Operation
from mcexplorer.sandbox.links import catalog_operations, resource_links
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.resources.common import body_of
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

COLLECTION_ITEMS = 2  # elements generated for an array of objects
TIMESTAMP = "2024-01-15T09:30:00+00:00"
_TIME_WORDS = ("date", "time", "_at", "since", "last_", "created", "updated", "sent", "send_")

# name -> (kind, children)
FieldTree = dict[str, tuple[Any, "FieldTree"]]


def _field_tree(response: dict[str, Any]) -> FieldTree:
    root: FieldTree = {}
    for dotted, kind in sorted(response.items(), key=lambda kv: kv[0].count(".")):
        node = root
        *parents, leaf = dotted.split(".")
        for part in parents:
            node = node.setdefault(part, ("object", {}))[1]
        node.setdefault(leaf, (kind, {}))
    return root


class _Builder:
    def __init__(self, ctx: Ctx, op: Operation) -> None:
        self.ctx = ctx
        self.op = op
        self.count = min(int(ctx.query.get("count", "10") or 10), COLLECTION_ITEMS)

    def fake_id(self, where: str) -> str:
        key = f"{self.ctx.store.seed}|{self.op.template}|{sorted(self.ctx.params.items())}|{where}"
        return hashlib.md5(key.encode()).hexdigest()[:10]

    def scalar(self, path: str, kind: Any) -> Any:
        leaf = path.rsplit(".", 1)[-1].split("[", 1)[0]
        if isinstance(kind, list):
            return kind[0] if kind else ""
        if leaf in self.ctx.params and kind == "string":
            return self.ctx.params[leaf]
        if kind == "integer":
            return 0
        if kind == "number":
            return 0.0
        if kind == "boolean":
            return False
        if kind == "object":
            return {}
        if kind.startswith("array"):
            return []
        if leaf == "id" or leaf.endswith("_id"):
            return self.fake_id(path)
        if "email" in leaf:
            return "demo.contact@example.com"
        if leaf.endswith(("url", "href")):
            return f"https://example.com/{self.fake_id(path)}"
        if any(word in leaf for word in _TIME_WORDS):
            return TIMESTAMP
        return f"sample {leaf.replace('_', ' ')}"

    def build(self, tree: FieldTree, path: str) -> dict[str, Any]:
        out: dict[str, Any] = {}
        for name, (kind, children) in tree.items():
            where = f"{path}.{name}" if path else name
            if name == "_links":
                out[name] = self.links() if not path else []
            elif kind == "array<object>" and children:
                n = self.count if not path else 1
                out[name] = [self.build(children, f"{where}[{i}]") for i in range(n)]
            elif kind == "object" and children:
                out[name] = self.build(children, where)
            else:
                out[name] = self.scalar(where, kind)
        if "total_items" in out:
            arrays = [v for k, v in out.items() if isinstance(v, list) and k != "_links"]
            out["total_items"] = len(arrays[0]) if arrays else 0
        return out

    def links(self) -> list[dict[str, str]]:
        item = self.op.template.endswith("}")
        return resource_links(self.ctx.base_url, self.op.template, self.ctx.params, item=item)


REMEMBERED = "/ecommerce/stores"


def _item_template(collection: str) -> str | None:
    """`/x/{x_id}` under the collection template `/x`, when the catalog has one."""
    for _, template in catalog_operations():
        head, _, last = template.rpartition("/")
        if head == collection and last.startswith("{"):
            return template
    return None


def _path(template: str, params: dict[str, str]) -> str:
    return template.format_map(params)


def _remembered(ctx: Ctx, op: Operation) -> Reply | None:
    """CRUD over `store.created` for e-commerce; None where the generic answer applies."""
    created = ctx.store.created
    path = _path(op.template, ctx.params)
    item_template = None if op.template.endswith("}") else _item_template(op.template)
    if op.template.endswith("}"):
        parent = path.rsplit("/", 1)[0].rsplit("/", 1)[0]
        if parent != "/ecommerce":
            lookup(created, parent, "parent resource")
        if ctx.method == "PUT" and path not in created:
            created[path] = {"id": ctx.params[op.template.rsplit("{", 1)[1][:-1]]}
        record = lookup(created, path, "resource")
        if ctx.method == "DELETE":
            del created[path]
            return Reply(status=204)
        if ctx.method in ("PATCH", "PUT"):
            record.update(body_of(ctx, partial=True), updated_at=ctx.store.now_iso())
        links = resource_links(ctx.base_url, op.template, ctx.params, item=True)
        return Reply(body={**record, "_links": links})
    if item_template is None:
        return None
    parent = path.rsplit("/", 1)[0]
    if parent != "/ecommerce":
        lookup(created, parent, "parent resource")
    id_name = item_template.rsplit("{", 1)[1][:-1]
    if ctx.method == "POST":
        body = body_of(ctx)
        now = ctx.store.now_iso()
        new: Record = {"id": str(body.get("id") or ctx.store.hex_id()), **body}
        new.update(created_at=now, updated_at=now)
        created[f"{path}/{new['id']}"] = new
        params = {**ctx.params, id_name: new["id"]}
        links = resource_links(ctx.base_url, item_template, params, item=True)
        return Reply(body={**new, "_links": links})
    if ctx.method != "GET":
        return None
    children = [r for k, r in created.items() if k.rsplit("/", 1)[0] == path]
    arrays = (
        k for k, kind in op.response.items() if str(kind).startswith("array") and "." not in k
    )
    key = next((k for k in arrays if k != "_links"), "items")
    rows = []
    for child in children:
        params = {**ctx.params, id_name: child["id"]}
        rows.append(
            {**child, "_links": resource_links(ctx.base_url, item_template, params, item=True)}
        )
    start = int(ctx.query.get("offset", "0"))
    page = rows[start : start + int(ctx.query.get("count", "10"))]
    links = resource_links(ctx.base_url, op.template, ctx.params, item=False)
    return Reply(body={key: page, "total_items": len(rows), "_links": links})


def generic_reply(ctx: Ctx, op: Operation) -> Reply:
    if op.template.startswith(REMEMBERED):
        reply = _remembered(ctx, op)
        if reply is not None:
            return reply
    accepted: dict[str, Any] = {}
    if op.body is not None and ctx.method in ("POST", "PUT", "PATCH"):
        body = body_of(ctx, partial=ctx.method == "PATCH")
        accepted = {k: v for k, v in body.items() if k in op.body.get("fields", {})}
    if op.success == 204 or ctx.method == "DELETE":
        return Reply(status=204)
    out = _Builder(ctx, op).build(_field_tree(op.response), "")
    out.update({k: v for k, v in accepted.items() if k in out or not op.response})
    return Reply(status=op.success, body=out)
