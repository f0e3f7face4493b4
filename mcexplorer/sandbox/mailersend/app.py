"""The MailerSend sandbox as an ASGI app: API v1 under /v1, admin routes outside it.

Order per API request: the Bearer token (401 when missing or unknown; not counted, as
no account is known), the account switches (suspended, blocked IP: 403), routing
(404/405), then `GET /api-quota`, which answers without counting. Every other request
takes a place in its per-minute window (429 #MS42903 when full), then one unit of the
daily quota (429 #MS42901 when used up), then the token's permission (403), then the
creation throttle (429 with no retry-after, while the account has it), then the handler.
Every answer to a known account carries the rate-limit headers and, except a 404 for an
unknown id in the path (turned away before the quota is counted), the quota headers.
"""

from __future__ import annotations

import asyncio
import json
import logging
import time
from collections.abc import Callable
from typing import Any
from urllib.parse import parse_qsl, unquote

from starlette.requests import Request
from starlette.responses import Response
from starlette.types import Receive, Scope, Send

from mcexplorer.sandbox.catalog import Catalog, Operation
from mcexplorer.sandbox.limits import Stats
from mcexplorer.sandbox.mailersend.admin import build_admin
from mcexplorer.sandbox.mailersend.call import Call
from mcexplorer.sandbox.mailersend.errors import MsError, text
from mcexplorer.sandbox.mailersend.handlers import HANDLERS, generic
from mcexplorer.sandbox.mailersend.limits import (
    DailyQuota,
    MinuteWindows,
    Plan,
    WindowCheck,
    endpoint_class,
    iso_z,
    next_midnight,
)
from mcexplorer.sandbox.mailersend.seed import build_account
from mcexplorer.sandbox.mailersend.state import Account
from mcexplorer.sandbox.routing import Reply

API_PREFIX = "/v1"
JSON_TYPE = "application/json"
QUOTA_TEMPLATE = "/api-quota"
TOKEN_TEMPLATE = "/token"  # creating a token answers 200, yet it is a creation
log = logging.getLogger("mcexplorer.sandbox.mailersend")


class MailerSendApp:
    def __init__(
        self,
        *,
        seed: int = 0,
        plan: str | None = None,
        clock: Callable[[], float] = time.time,
        retry_after_s: int | None = None,
        latency_ms: float = 0.0,
    ) -> None:
        """`clock` gives wall time in epoch seconds; `retry_after_s` pins the retry-after
        header (otherwise the seconds left in the minute window) so SDK tests stay quick."""
        self.seed = seed
        self.clock = clock
        self.retry_after_s = retry_after_s
        self.latency_ms = latency_ms
        self.under_review = False
        self.plan = Plan.named(plan)
        self.catalog = Catalog.load("mailersend_catalog.json")
        self.stats = Stats()
        self._admin = build_admin(self)
        self.reset()

    # -- state -----------------------------------------------------------------

    def reset(self) -> None:
        """Account, windows, quota and counters back to the seed."""
        self.account: Account = build_account(self.seed, self.clock())
        self.windows = MinuteWindows()
        self.quota = DailyQuota(self.plan.daily_quota)
        self.stats.reset()

    def set_plan(self, name: str | None, *, under_review: bool | None = None) -> None:
        """Change plan or reputation; the day's usage is kept."""
        if under_review is not None:
            self.under_review = under_review
        self.plan = Plan.named(name or self.plan.name, under_review=self.under_review)
        self.quota.quota = self.plan.daily_quota

    @property
    def demo_token(self) -> str:
        return self.account.token_with("full")

    @property
    def read_only_token(self) -> str:
        return self.account.token_with("read")

    def quota_document(self) -> dict[str, Any]:
        now = self.clock()
        return {
            "quota": self.quota.quota,
            "remaining": self.quota.remaining(now),
            "reset": iso_z(next_midnight(now)),
        }

    # -- ASGI ----------------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
            response = await self._api(Request(scope, receive))
            await response(scope, receive, send)
        else:
            await self._admin(scope, receive, send)

    async def _api(self, request: Request) -> Response:
        self.stats.requests += 1
        self.stats.in_flight += 1
        self.stats.peak_in_flight = max(self.stats.peak_in_flight, self.stats.in_flight)
        try:
            if self.latency_ms:
                await asyncio.sleep(self.latency_ms / 1000)
            raw = await request.body()
            return self._answer(request, raw)
        finally:
            self.stats.in_flight -= 1

    def _answer(self, request: Request, raw: bytes) -> Response:
        token = _bearer(request.headers.get("authorization", ""))
        info = self.account.tokens.get(token) if token else None
        if info is None:
            return _json(401, {"message": "Unauthenticated."})
        now = self.clock()
        method = request.method.upper()
        raw_path = request.scope["raw_path"].decode("latin-1").split("?", 1)[0]
        segments = [unquote(s) for s in raw_path[len(API_PREFIX) :].split("/") if s]
        match = self.catalog.match(segments)
        op = match.ops.get(method) if match else None
        cls = endpoint_class(method, op.template if op else "")
        limit = self.plan.per_minute[cls]
        try:
            if self.account.suspended:
                raise MsError(403, "This account is suspended, so its API access is disabled.")
            if self.account.blocked_ip:
                raise MsError(403, "Requests from this IP address are blocked.")
            if match is None or op is None:
                if match is None:
                    raise MsError(404, text("unknown_route"))
                allow = ", ".join(sorted(match.ops))
                raise MsError(405, f"The {method} method is not supported here; use {allow}.")
            if op.template == QUOTA_TEMPLATE:
                window = self.windows.check(cls, limit, now, take=False)
                quota = _json(200, self.quota_document())
                return self._with_quota(self._with_headers(quota, window), now)
            window = self.windows.check(cls, limit, now)
            if not window.allowed:
                self.stats.throttled_429 += 1
                raise MsError(
                    429,
                    f"Too many requests: this endpoint allows {limit} a minute. #MS42903",
                )
            if not self.quota.try_take(now):
                self.stats.throttled_429 += 1
                raise MsError(
                    429,
                    f"The daily API quota of {self.quota.quota} requests is used up; it "
                    "refills at midnight UTC. #MS42901",
                )
            if info.access != "full" and method != "GET":
                raise MsError(403, "This token does not have permission for this action.")
            if _creates(op) and self.account.create_throttle > 0:
                self.account.create_throttle -= 1
                self.stats.throttled_429 += 1
                raise MsError(429, text("create_throttled"), retry_after=False)
            reply = self._dispatch(request, op, match.params_for(op, segments), raw, now)
            response = _reply(reply)
        except MsError as err:
            response = _error(err)
            if err.bare:
                self.quota.give_back(now)
                return self._with_headers(response, self.windows.check(cls, limit, now, take=False))
            if err.status == 429 and err.retry_after:
                window = self.windows.check(cls, limit, now, take=False)
                pinned = self.retry_after_s
                response.headers["retry-after"] = str(
                    window.retry_after_s if pinned is None else pinned
                )
                response.headers["x-ratelimit-reset"] = str(window.reset_epoch)
        window = self.windows.check(cls, limit, now, take=False)
        return self._with_quota(self._with_headers(response, window), now)

    def _dispatch(
        self, request: Request, op: Operation, params: dict[str, str], raw: bytes, now: float
    ) -> Reply:
        body: Any = None
        if raw.strip():
            try:
                body = json.loads(raw)
            except (ValueError, UnicodeDecodeError):
                raise MsError(400, "The request body is not valid JSON.") from None
        origin = f"{request.url.scheme}://{request.url.netloc}"
        call = Call(
            account=self.account,
            method=op.method,
            template=op.template,
            params=params,
            query_pairs=parse_qsl(request.url.query, keep_blank_values=True),
            body=body,
            now=now,
            base_url=origin + API_PREFIX,
        )
        handler = HANDLERS.get((op.method, op.template))
        try:
            reply = handler(call) if handler else generic(call, op.success)
        except MsError:
            raise
        except Exception:
            log.exception("MailerSend sandbox handler failed")
            raise MsError(500, "Server Error") from None
        if op.method != "GET" and 200 <= reply.status < 300:
            self.stats.record_write(op.method, op.template, body)
        return reply

    @staticmethod
    def _with_headers(response: Response, window: WindowCheck) -> Response:
        response.headers["x-ratelimit-limit"] = str(window.limit)
        response.headers["x-ratelimit-remaining"] = str(window.remaining)
        return response

    def _with_quota(self, response: Response, now: float) -> Response:
        response.headers["x-apiquota-remaining"] = str(self.quota.remaining(now))
        response.headers["x-apiquota-reset"] = iso_z(next_midnight(now))
        return response


def _bearer(header: str) -> str | None:
    scheme, _, credential = header.strip().partition(" ")
    return credential.strip() or None if scheme.lower() == "bearer" else None


def _creates(op: Operation) -> bool:
    return op.method == "POST" and (op.success == 201 or op.template == TOKEN_TEMPLATE)


def _error(err: MsError) -> Response:
    if err.bare:  # the API writes this one answer indented
        text_body = json.dumps(err.body(), indent=4, ensure_ascii=False)
        return Response(text_body, status_code=err.status, media_type=JSON_TYPE)
    return _json(err.status, err.body())


def _json(status: int, body: Any) -> Response:
    return Response(
        json.dumps(body, ensure_ascii=False, separators=(",", ":")),
        status_code=status,
        media_type=JSON_TYPE,
    )


def _reply(reply: Reply) -> Response:
    if reply.body is None:
        response = Response(status_code=reply.status)
    else:
        response = _json(reply.status, reply.body)
    for name, value in reply.headers.items():
        response.headers[name.lower()] = value
    return response
