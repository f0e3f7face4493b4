"""Reports for sent (and sending) campaigns; the figures come from model/campaigns."""

from __future__ import annotations

from mcexplorer.sandbox.errors import not_found
from mcexplorer.sandbox.model.campaigns import REPORTED, build_report, get_campaign, reported
from mcexplorer.sandbox.resources.common import collection_reply, item_reply, route
from mcexplorer.sandbox.routing import Ctx, Reply

ITEM = "/reports/{campaign_id}"


@route("GET", "/reports")
def list_reports(ctx: Ctx) -> Reply:
    store = ctx.store
    return collection_reply(
        ctx,
        "reports",
        reported(store),
        item_template=ITEM,
        id_param="campaign_id",
        render=lambda c: build_report(store, c),
    )


@route("GET", ITEM)
def read_report(ctx: Ctx) -> Reply:
    campaign = get_campaign(ctx.store, ctx.params["campaign_id"])
    if campaign["status"] not in REPORTED:
        raise not_found("This campaign has not been sent, so it has no report yet.")
    return item_reply(ctx, build_report(ctx.store, campaign))
