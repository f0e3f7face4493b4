"""Audiences (lists): CRUD with live stats, and batch subscribe."""

from __future__ import annotations

from mcexplorer.sandbox.model import members
from mcexplorer.sandbox.model.audiences import (
    create_list,
    delete_list,
    get_list,
    max_audiences,
    render_list,
    update_list,
)
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.routing import Ctx, Reply

ITEM = "/lists/{list_id}"


@route("GET", "/lists")
def list_lists(ctx: Ctx) -> Reply:
    store = ctx.store
    limit = max_audiences(store)
    constraints = {
        "may_create": len(store.lists) < limit,
        "max_instances": limit,
        "current_total_instances": len(store.lists),
    }
    return collection_reply(
        ctx,
        "lists",
        list(store.lists.values()),
        item_template=ITEM,
        id_param="list_id",
        render=lambda r: render_list(store, r),
        extra={"constraints": constraints},
    )


@route("POST", "/lists")
def add_list(ctx: Ctx) -> Reply:
    record = create_list(ctx.store, body_of(ctx))
    return item_reply(ctx, render_list(ctx.store, record), ITEM, list_id=record["id"])


@route("GET", ITEM)
def read_list(ctx: Ctx) -> Reply:
    return item_reply(ctx, render_list(ctx.store, get_list(ctx.store, ctx.params["list_id"])))


@route("PATCH", ITEM)
def patch_list(ctx: Ctx) -> Reply:
    record = get_list(ctx.store, ctx.params["list_id"])
    update_list(ctx.store, record, body_of(ctx, partial=True))
    return item_reply(ctx, render_list(ctx.store, record))


@route("DELETE", ITEM)
def remove_list(ctx: Ctx) -> Reply:
    delete_list(ctx.store, get_list(ctx.store, ctx.params["list_id"]))
    return no_content()


@route("POST", ITEM)
def batch_subscribe(ctx: Ctx) -> Reply:
    body = members.subscribe_many(ctx.store, ctx.params["list_id"], body_of(ctx))
    return Reply(body={**body, "_links": []})
