"""Interest categories (groups) of an audience and the interests inside them."""

from __future__ import annotations

from mcexplorer.sandbox.errors import invalid
from mcexplorer.sandbox.model.audiences import get_list
from mcexplorer.sandbox.model.edits import apply_editable
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.model.records import drop_interests, make_category, make_interest
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

CATEGORIES = "/lists/{list_id}/interest-categories"
CATEGORY = CATEGORIES + "/{interest_category_id}"
INTERESTS = CATEGORY + "/interests"
INTEREST = INTERESTS + "/{interest_id}"


def _categories(ctx: Ctx) -> dict[str, Record]:
    return ctx.store.interest_categories[get_list(ctx.store, ctx.params["list_id"])["id"]]


def _category(ctx: Ctx) -> Record:
    return lookup(_categories(ctx), ctx.params["interest_category_id"], "interest category")


def _interest(ctx: Ctx) -> Record:
    interests = ctx.store.interests[_category(ctx)["id"]]
    return lookup(interests, ctx.params["interest_id"], "interest")


def _unique(records: dict[str, Record], key: str, value: object, own: Record | None = None) -> None:
    """Titles of categories (per audience) and names of interests (per category) are unique."""
    if any(r[key] == value and r is not own for r in records.values()):
        raise invalid(detail=f"There is already one named '{value}' here.")


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
    body = body_of(ctx)
    _unique(_categories(ctx), "title", body["title"])
    record = make_category(ctx.store, ctx.params["list_id"], body["title"], body["type"], [])
    return item_reply(ctx, record, CATEGORY, interest_category_id=record["id"])


@route("GET", CATEGORY)
def read_category(ctx: Ctx) -> Reply:
    return item_reply(ctx, _category(ctx))


@route("PATCH", CATEGORY)
def update_category(ctx: Ctx) -> Reply:
    record = _category(ctx)
    body = body_of(ctx, partial=True)
    if "title" in body:
        _unique(_categories(ctx), "title", body["title"], record)
    apply_editable(record, body, ("title", "type", "display_order"))
    return item_reply(ctx, record)


@route("DELETE", CATEGORY)
def delete_category(ctx: Ctx) -> Reply:
    record = _category(ctx)
    del _categories(ctx)[record["id"]]
    gone = list(ctx.store.interests.pop(record["id"]))
    drop_interests(ctx.store, record["list_id"], gone)
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
    name = body_of(ctx)["name"]
    _unique(ctx.store.interests[category["id"]], "name", name)
    record = make_interest(ctx.store, category, name)
    return item_reply(ctx, record, INTEREST, interest_id=record["id"])


@route("GET", INTEREST)
def read_interest(ctx: Ctx) -> Reply:
    return item_reply(ctx, _interest(ctx))


@route("PATCH", INTEREST)
def update_interest(ctx: Ctx) -> Reply:
    record = _interest(ctx)
    body = body_of(ctx, partial=True)
    if "name" in body:
        _unique(ctx.store.interests[record["category_id"]], "name", body["name"], record)
    apply_editable(record, body, ("name", "display_order"))
    return item_reply(ctx, record)


@route("DELETE", INTEREST)
def delete_interest(ctx: Ctx) -> Reply:
    record = _interest(ctx)
    del ctx.store.interests[record["category_id"]][record["id"]]
    drop_interests(ctx.store, record["list_id"], [record["id"]])
    return no_content()
