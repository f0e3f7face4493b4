"""An audience's merge fields (the member fields that member writes are checked against)."""

from __future__ import annotations

from mcexplorer.sandbox.resources.common import (
    bad_request,
    body_of,
    collection_reply,
    item_reply,
    no_content,
    not_found,
    route,
)
from mcexplorer.sandbox.resources.lists import get_list
from mcexplorer.sandbox.resources.records import make_merge_field
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
    raw = ctx.params["merge_id"]
    record = _fields(ctx).get(int(raw)) if raw.isdigit() else None
    if record is None:
        raise not_found(f"No merge field '{raw}' in this audience.")
    return record


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
        raise bad_request(f"A merge field with the tag '{tag}' already exists.", "Invalid Resource")
    record = make_merge_field(ctx.store, ctx.params["list_id"], body)
    return item_reply(ctx, record, ITEM, merge_id=str(record["merge_id"]))


@route("GET", ITEM)
def read_merge_field(ctx: Ctx) -> Reply:
    return item_reply(ctx, _field(ctx))


@route("PATCH", ITEM)
def update_merge_field(ctx: Ctx) -> Reply:
    record = _field(ctx)
    body = body_of(ctx, partial=True)
    record.update({k: v for k, v in body.items() if k in EDITABLE})
    record["tag"] = str(record["tag"]).upper()
    return item_reply(ctx, record)


@route("DELETE", ITEM)
def delete_merge_field(ctx: Ctx) -> Reply:
    record = _field(ctx)
    del _fields(ctx)[record["merge_id"]]
    for member in ctx.store.members[record["list_id"]].values():
        member["merge_fields"].pop(record["tag"], None)
    return no_content()
