"""The API root and ping."""

from __future__ import annotations

from mcexplorer.sandbox.resources.common import route
from mcexplorer.sandbox.root import root_body
from mcexplorer.sandbox.routing import Ctx, Reply

# The constant the real API answers with; clients compare against it.
HEALTH = "Everything's Chimpy!"


@route("GET", "/")
def get_root(ctx: Ctx) -> Reply:
    return Reply(body=root_body(ctx.store, ctx.base_url, ctx.role))


@route("GET", "/ping")
def get_ping(ctx: Ctx) -> Reply:
    return Reply(body={"health_status": HEALTH})
