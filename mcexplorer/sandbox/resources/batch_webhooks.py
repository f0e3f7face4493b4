"""Batch webhooks: where finished-batch events would be delivered (at most 20)."""

from __future__ import annotations

from urllib.parse import urlparse

from mcexplorer.sandbox.errors import bad_request, invalid
from mcexplorer.sandbox.model.edits import apply_editable
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

ITEM = "/batch-webhooks/{batch_webhook_id}"
MAX_WEBHOOKS = 20


def _checked_url(value: object) -> str:
    url = str(value)
    parsed = urlparse(url)
    if parsed.scheme not in ("http", "https") or not parsed.netloc:
        raise invalid([{"field": "url", "message": "An http(s) URL is required"}])
    return url


def _webhook(ctx: Ctx) -> Record:
    return lookup(ctx.store.batch_webhooks, ctx.params["batch_webhook_id"], "batch webhook")


@route("GET", "/batch-webhooks")
def list_webhooks(ctx: Ctx) -> Reply:
    records = list(ctx.store.batch_webhooks.values())
    return collection_reply(
        ctx, "webhooks", records, item_template=ITEM, id_param="batch_webhook_id"
    )


@route("POST", "/batch-webhooks")
def add_webhook(ctx: Ctx) -> Reply:
    url = _checked_url(body_of(ctx)["url"])
    hooks = ctx.store.batch_webhooks
    if len(hooks) >= MAX_WEBHOOKS:
        raise bad_request(f"An account can have at most {MAX_WEBHOOKS} batch webhooks.")
    if any(h["url"] == url for h in hooks.values()):
        raise bad_request("A batch webhook with this URL already exists.")
    record: Record = {"id": ctx.store.hex_id(), "url": url, "enabled": True}
    hooks[record["id"]] = record
    return item_reply(ctx, record, ITEM, batch_webhook_id=record["id"])


@route("GET", ITEM)
def read_webhook(ctx: Ctx) -> Reply:
    return item_reply(ctx, _webhook(ctx))


@route("PATCH", ITEM)
def update_webhook(ctx: Ctx) -> Reply:
    record = _webhook(ctx)
    body = body_of(ctx, partial=True)
    if "url" in body:
        body = {**body, "url": _checked_url(body["url"])}
    apply_editable(record, body, ("url", "enabled"))
    return item_reply(ctx, record)


@route("DELETE", ITEM)
def delete_webhook(ctx: Ctx) -> Reply:
    del ctx.store.batch_webhooks[_webhook(ctx)["id"]]
    return no_content()
