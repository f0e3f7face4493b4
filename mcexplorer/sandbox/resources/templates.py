"""User templates: CRUD plus the default content derived from the HTML."""

from __future__ import annotations

import re

from mcexplorer.sandbox.model.edits import apply_editable
from mcexplorer.sandbox.model.lookup import lookup
from mcexplorer.sandbox.model.records import make_template
from mcexplorer.sandbox.resources.common import (
    body_of,
    collection_reply,
    item_reply,
    no_content,
    route,
)
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.store import Record

ITEM = "/templates/{template_id}"


def _public(record: Record) -> Record:
    # The HTML is served by default-content, not in the template object.
    return {k: v for k, v in record.items() if k != "html"}


def _template(ctx: Ctx) -> Record:
    return lookup(ctx.store.templates, ctx.params["template_id"], "template")


@route("GET", "/templates")
def list_templates(ctx: Ctx) -> Reply:
    records = list(ctx.store.templates.values())
    return collection_reply(
        ctx, "templates", records, item_template=ITEM, id_param="template_id", render=_public
    )


@route("POST", "/templates")
def create_template(ctx: Ctx) -> Reply:
    record = make_template(ctx.store, body_of(ctx), ctx.store.now_iso())
    return item_reply(ctx, _public(record), ITEM, template_id=str(record["id"]))


@route("GET", ITEM)
def read_template(ctx: Ctx) -> Reply:
    return item_reply(ctx, _public(_template(ctx)))


@route("PATCH", ITEM)
def update_template(ctx: Ctx) -> Reply:
    record = _template(ctx)
    body = body_of(ctx, partial=True)
    apply_editable(record, body, ("name", "html", "folder_id"))
    record["date_edited"] = ctx.store.now_iso()
    return item_reply(ctx, _public(record))


@route("DELETE", ITEM)
def delete_template(ctx: Ctx) -> Reply:
    del ctx.store.templates[_template(ctx)["id"]]
    return no_content()


@route("GET", ITEM + "/default-content")
def default_content(ctx: Ctx) -> Reply:
    html = _template(ctx)["html"]
    sections = dict.fromkeys(re.findall(r'mc:edit="([^"]+)"', html), "")
    return item_reply(ctx, {"sections": sections})
