"""Routes outside /v1: counters, reset, and the switches for plan, reputation, the 403
scenarios (suspended account, blocked IP) and the creation throttle (how many of the next
creations answer 429). No auth or limits apply here."""

from __future__ import annotations

import json
from typing import TYPE_CHECKING, Any

from starlette.applications import Starlette
from starlette.requests import Request
from starlette.responses import JSONResponse, Response
from starlette.routing import Route

from mcexplorer.sandbox.admin_guard import ADMIN_MIDDLEWARE
from mcexplorer.sandbox.mailersend.limits import UnknownPlan

if TYPE_CHECKING:
    from mcexplorer.sandbox.mailersend.app import MailerSendApp

SWITCHES = ("plan", "under_review", "suspended", "blocked_ip", "create_throttle")
FLAGS = ("under_review", "suspended", "blocked_ip")


def settings(sandbox: MailerSendApp) -> dict[str, Any]:
    return {
        "plan": sandbox.plan.name,
        "under_review": sandbox.under_review,
        "suspended": sandbox.account.suspended,
        "blocked_ip": sandbox.account.blocked_ip,
        "create_throttle": sandbox.account.create_throttle,
        "per_minute": sandbox.plan.per_minute,
        **sandbox.quota_document(),
    }


def build_admin(sandbox: MailerSendApp) -> Starlette:
    async def stats(request: Request) -> Response:
        return JSONResponse({**sandbox.stats.to_dict(), "quota_used": sandbox.quota.used})

    async def reset(request: Request) -> Response:
        sandbox.reset()
        return JSONResponse({"reset": True, "seed": sandbox.seed})

    async def get_settings(request: Request) -> Response:
        return JSONResponse(settings(sandbox))

    async def put_settings(request: Request) -> Response:
        try:
            data = json.loads(await request.body())
            if not isinstance(data, dict) or set(data) - set(SWITCHES):
                raise ValueError(f"send a JSON object with some of: {', '.join(SWITCHES)}")
            flags = {k: data[k] for k in FLAGS if k in data}
            if any(not isinstance(v, bool) for v in flags.values()):
                raise ValueError("under_review, suspended and blocked_ip are true or false")
            throttle = data.get("create_throttle", sandbox.account.create_throttle)
            if isinstance(throttle, bool) or not isinstance(throttle, int) or throttle < 0:
                raise ValueError("create_throttle is how many creations to refuse: 0 or more")
            sandbox.set_plan(data.get("plan"), under_review=flags.get("under_review"))
        except (ValueError, UnknownPlan) as exc:
            return JSONResponse({"error": str(exc)}, status_code=400)
        sandbox.account.suspended = flags.get("suspended", sandbox.account.suspended)
        sandbox.account.blocked_ip = flags.get("blocked_ip", sandbox.account.blocked_ip)
        sandbox.account.create_throttle = throttle
        return JSONResponse(settings(sandbox))

    return Starlette(
        routes=[
            Route("/_sandbox/stats", stats, methods=["GET"]),
            Route("/_sandbox/reset", reset, methods=["POST"]),
            Route("/_sandbox/mailersend", get_settings, methods=["GET"]),
            Route("/_sandbox/mailersend", put_settings, methods=["PUT"]),
        ],
        middleware=ADMIN_MIDDLEWARE,
    )
