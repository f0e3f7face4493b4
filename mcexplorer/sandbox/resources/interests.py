"""Interest categories (groups) of an audience and the interests inside them."""

from __future__ import annotations

from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    not_found,
    route,
)
from mcexplorer.sandbox.resources.lists import get_list
from mcexplorer.sandbox.resources.records import make_category, make_interest
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

CATEGORIES = "/lists/{list_id}/interest-categories"
CATEGORY = CATEGORIES + "/{interest_category_id}"
INTERESTS = CATEGORY + "/interests"
INTEREST = INTERESTS + "/{interest_id}"


def _categories(ctx: Ctx) -> dict[str, Record]:
    return ctx.store.interest_categories[get_list(ctx.store, ctx.params["list_id"])["id"]]


def _category(ctx: Ctx) -> Record:
    record = _categories(ctx).get(ctx.params["interest_category_id"])
    if record is None:
        raise not_found("No such interest category in this audience.")
    return record


def _interest(ctx: Ctx) -> Record:
    record = ctx.store.interests[_category(ctx)["id"]].get(ctx.params["interest_id"])
    if record is None:
        raise not_found("No such interest in this category.")
    return record


@route("GET", CATEGORIES)
def list_categories(ctx: Ctx) -> Reply:
    records = list(_categories(ctx).values())
    extra = {"list_id": ctx.params["list_id"]}
    return collection_reply(
        ctx,
        "categories",
        records,
        item_template=CATEGORY,
        id_param="interest_category_id",
        extra=extra,
    )


@route("POST", CATEGORIES)
def add_category(ctx: Ctx) -> Reply:
    _categories(ctx)
    body = body_of(ctx)
    record = make_category(ctx.store, ctx.params["list_id"], body["title"], body["type"], [])
    return item_reply(ctx, record, CATEGORY, interest_category_id=record["id"])


@route("GET", CATEGORY)
def read_category(ctx: Ctx) -> Reply:
    return item_reply(ctx, _category(ctx))


@route("PATCH", CATEGORY)
def update_category(ctx: Ctx) -> Reply:
    record = _category(ctx)
    body = body_of(ctx, partial=True)
    record.update({k: v for k, v in body.items() if k in ("title", "type", "display_order")})
    return item_reply(ctx, record)


@route("DELETE", CATEGORY)
def delete_category(ctx: Ctx) -> Reply:
    record = _category(ctx)
    del _categories(ctx)[record["id"]]
    del ctx.store.interests[record["id"]]
    return no_content()


@route("GET", INTERESTS)
def list_interests(ctx: Ctx) -> Reply:
    category = _category(ctx)
    records = list(ctx.store.interests[category["id"]].values())
    extra = {"list_id": category["list_id"], "category_id": category["id"]}
    return collection_reply(
        ctx, "interests", records, item_template=INTEREST, id_param="interest_id", extra=extra
    )


@route("POST", INTERESTS)
def add_interest(ctx: Ctx) -> Reply:
    category = _category(ctx)
    record = make_interest(ctx.store, category, body_of(ctx)["name"])
    return item_reply(ctx, record, INTEREST, interest_id=record["id"])


@route("GET", INTEREST)
def read_interest(ctx: Ctx) -> Reply:
    return item_reply(ctx, _interest(ctx))


@route("PATCH", INTEREST)
def update_interest(ctx: Ctx) -> Reply:
    record = _interest(ctx)
    body = body_of(ctx, partial=True)
    record.update({k: v for k, v in body.items() if k in ("name", "display_order")})
    return item_reply(ctx, record)


@route("DELETE", INTEREST)
def delete_interest(ctx: Ctx) -> Reply:
    record = _interest(ctx)
    del ctx.store.interests[record["category_id"]][record["id"]]
    return no_content()
