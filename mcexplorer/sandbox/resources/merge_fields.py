"""An audience's merge fields (the member fields that member writes are checked against)."""

from __future__ import annotations

from mcexplorer.sandbox.errors import invalid
from mcexplorer.sandbox.model.audiences import get_list
from mcexplorer.sandbox.model.edits import apply_editable
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.model.records import make_merge_field
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

COLLECTION = "/lists/{list_id}/merge-fields"
ITEM = COLLECTION + "/{merge_id}"
EDITABLE = (
    "name",
    "required",
    "default_value",
    "public",
    "display_order",
    "options",
    "help_text",
    "tag",
)


def _fields(ctx: Ctx) -> dict[int, Record]:
    return ctx.store.merge_fields[get_list(ctx.store, ctx.params["list_id"])["id"]]


def _field(ctx: Ctx) -> Record:
    return lookup(_fields(ctx), ctx.params["merge_id"], "merge field")


@route("GET", COLLECTION)
def list_merge_fields(ctx: Ctx) -> Reply:
    records = list(_fields(ctx).values())
    return collection_reply(
        ctx,
        "merge_fields",
        records,
        item_template=ITEM,
        id_param="merge_id",
        id_key="merge_id",
        extra={"list_id": ctx.params["list_id"]},
    )


@route("POST", COLLECTION)
def add_merge_field(ctx: Ctx) -> Reply:
    body = body_of(ctx)
    fields = _fields(ctx)
    tag = str(body.get("tag", "")).upper()
    if tag and any(f["tag"] == tag for f in fields.values()):
        raise invalid(detail=f"A merge field with the tag '{tag}' already exists.")
    record = make_merge_field(ctx.store, ctx.params["list_id"], body)
    return item_reply(ctx, record, ITEM, merge_id=str(record["merge_id"]))


@route("GET", ITEM)
def read_merge_field(ctx: Ctx) -> Reply:
    return item_reply(ctx, _field(ctx))


@route("PATCH", ITEM)
def update_merge_field(ctx: Ctx) -> Reply:
    record = _field(ctx)
    body = body_of(ctx, partial=True)
    apply_editable(record, body, EDITABLE)
    record["tag"] = str(record["tag"]).upper()
    return item_reply(ctx, record)


@route("DELETE", ITEM)
def delete_merge_field(ctx: Ctx) -> Reply:
    record = _field(ctx)
    del _fields(ctx)[record["merge_id"]]
    for member in ctx.store.members[record["list_id"]].values():
        member["merge_fields"].pop(record["tag"], None)
    return no_content()
