"""The API root (account details plus a link to every top-level resource) and ping."""

from __future__ import annotations

from mcexplorer.sandbox.links import resource_links
from mcexplorer.sandbox.resources.common import route
from mcexplorer.sandbox.routing import Ctx, Reply

# The constant the real API answers with; clients compare against it.
HEALTH = "Everything's Chimpy!"


@route("GET", "/")
def get_root(ctx: Ctx) -> Reply:
    store = ctx.store
    # industry_stats feed the reports; the root itself does not show them.
    account = {k: v for k, v in store.account.items() if k != "industry_stats"}
    account["role"] = ctx.role  # the key's user, as the real root reports it
    account["total_subscribers"] = sum(
        1
        for members in store.members.values()
        for m in members.values()
        if m["status"] == "subscribed"
    )
    account["_links"] = resource_links(ctx.base_url, "/", {}, item=True)
    return Reply(body=account)


@route("GET", "/ping")
def get_ping(ctx: Ctx) -> Reply:
    return Reply(body={"health_status": HEALTH})
