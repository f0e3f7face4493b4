"""Batch operation endpoints; the lifecycle itself lives in sandbox/batches.py."""

from __future__ import annotations

from typing import Any

from mcexplorer.sandbox import batches
from mcexplorer.sandbox.errors import invalid
from mcexplorer.sandbox.model.batch_state import Batch
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.routing import Ctx, Reply

ITEM = "/batches/{batch_id}"


def _missing_parts(operations: list[dict[str, Any]]) -> list[dict[str, str]]:
    # Types and the method enum are checked against the catalog by body_of; these are required.
    return [
        {"field": f"operations.item:{index}.{name}", "message": f"The operation needs a {name}"}
        for index, operation in enumerate(operations)
        for name in ("method", "path")
        if name not in operation
    ]


@route("POST", "/batches")
def start_batch(ctx: Ctx) -> Reply:
    operations = body_of(ctx)["operations"]
    errors = _missing_parts(operations)
    if errors:
        raise invalid(errors)
    batch = batches.submit(ctx.store, operations)
    body = batches.render(batch, ctx.store.clock(), ctx.base_url)
    return item_reply(ctx, body, ITEM, batch_id=batch.id)


@route("GET", "/batches")
def list_batches(ctx: Ctx) -> Reply:
    now = ctx.store.clock()
    rows = [batches.render(b, now, ctx.base_url) for b in ctx.store.batches.values()]
    return collection_reply(ctx, "batches", rows, item_template=ITEM, id_param="batch_id")


def _batch(ctx: Ctx) -> Batch:
    return lookup(ctx.store.batches, ctx.params["batch_id"], "batch")


@route("GET", ITEM)
def read_batch(ctx: Ctx) -> Reply:
    return item_reply(ctx, batches.render(_batch(ctx), ctx.store.clock(), ctx.base_url))


@route("DELETE", ITEM)
def delete_batch(ctx: Ctx) -> Reply:
    del ctx.store.batches[_batch(ctx).id]
    return no_content()
