"""The sandbox as an ASGI app: the API under /3.0 plus admin routes outside it.

An API request goes through, in order: the 10-slot limit (before any other
work), the TLS and firewall switches, latency, the fault draw (503s before
processing; 500/502/504/resets after processing or not, decided at random so
the outcome is truly ambiguous), X-Trigger-Error, auth, method override,
routing against the catalog, query and body checks, the handler (stateful, or
the generic catalog answer), then `fields`/`exclude_fields`.

Everything runs on the server's event loop, so the state needs no extra locks.
"""

from __future__ import annotations

import asyncio
import base64
import binascii
import json
import logging
import random
import re
import time
from collections.abc import Awaitable, Callable, MutableMapping
from dataclasses import dataclass
from typing import Any
from urllib.parse import parse_qsl, unquote

import orjson

from mcexplorer.sandbox import fields
from mcexplorer.sandbox.admin import build_admin
from mcexplorer.sandbox.catalog import Catalog, Operation
from mcexplorer.sandbox.errors import (
    PROBLEM_CONTENT_TYPE,
    ApiError,
    named,
    problem_document,
    triggered,
)
from mcexplorer.sandbox.faults import BEFORE_PROCESSING, FaultConfig
from mcexplorer.sandbox.generic import generic_reply
from mcexplorer.sandbox.html_pages import HTML_CONTENT_TYPE, cdn_502_page, firewall_page
from mcexplorer.sandbox.limits import Stats
from mcexplorer.sandbox.links import described_by, recorded_links
from mcexplorer.sandbox.resources import HANDLERS
from mcexplorer.sandbox.root import API_PREFIX
from mcexplorer.sandbox.routing import Ctx, Reply
from mcexplorer.sandbox.seed import build_store
from mcexplorer.sandbox.store import Store

JSON_CONTENT_TYPE = "application/json; charset=utf-8"
PROBLEM_SCHEMA = "/schema/3.0/Definitions/ProblemDetailDocument.json"
KEY_RE = re.compile(r"^([0-9a-f]{32})-([a-z]{2,4}[0-9]{1,3})$")
# The version and variant bits of a UUID, and their values for a random (version 4) one.
UUID_VERSION_MASK = 0xF000 << 64 | 0xC000 << 48
UUID_VERSION_4 = 0x4000 << 64 | 0x8000 << 48
FAULT_ERRORS = {"500": "InternalServerError", "502": "BadGateway", "504": "GatewayTimeout"}

log = logging.getLogger("mcexplorer.sandbox")

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
StoreFactory = Callable[[int, str], Store]
# Open connections by client address, filled by the server's protocol class,
# so a "reset" fault can drop the connection mid-response.
Transports = dict[tuple[str, int], asyncio.BaseTransport]


@dataclass
class Response:
    status: int
    headers: dict[str, str]
    body: bytes = b""


@dataclass
class Reset:
    """Drop the connection; after sending part of `partial` when there is one."""

    partial: Response | None


class SandboxApp:
    def __init__(
        self,
        *,
        seed: int = 0,
        dc: str = "us6",
        faults: FaultConfig | None = None,
        store_factory: StoreFactory = build_store,
        transports: Transports | None = None,
        store: Store | None = None,
    ) -> None:
        """`store`: the demo account already built from this seed and dc (the TUI's
        sandbox child built it to announce the root before serving); else it is built."""
        self.seed = seed
        self.dc = dc
        self.faults = faults or FaultConfig()
        self.transports: Transports = transports if transports is not None else {}
        self.catalog = Catalog.load()
        self.stats = Stats()
        self._store_factory = store_factory
        self._admin = build_admin(self)
        # Request ids come from the OS's entropy, never from the seed: they must differ from
        # one run to the next (support tickets quote them) while data and faults repeat.
        self._ids = random.Random()
        if store is not None and (store.seed, store.dc) != (seed, dc):
            raise ValueError("the store given was built from another seed or dc")
        self.reset(store)

    # -- state -------------------------------------------------------------

    def reset(self, store: Store | None = None) -> None:
        """Account state, counters and random streams back to the seed (`store`: one
        freshly built from it)."""
        self.store = store if store is not None else self._store_factory(self.seed, self.dc)
        self.rng = random.Random(f"faults:{self.seed}")
        self.stats.reset()
        self._clear_firewall()

    def set_faults(self, config: FaultConfig) -> None:
        self.faults = config
        self._clear_firewall()

    def _clear_firewall(self) -> None:
        self.firewall_tripped = False
        self._404s_in_a_row = 0

    def _request_id(self) -> str:
        """A version-4 UUID (what uuid.uuid4() gives, without building the object each time)."""
        bits = self._ids.getrandbits(128) & ~UUID_VERSION_MASK | UUID_VERSION_4
        h = f"{bits:032x}"
        return f"{h[:8]}-{h[8:12]}-{h[12:16]}-{h[16:20]}-{h[20:]}"

    # -- ASGI --------------------------------------------------------------

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] != "http":
            return
        path: str = scope["path"]
        if path == API_PREFIX:
            # The API's root is /3.0/; without the slash it redirects there.
            location = _origin(scope) + API_PREFIX + "/"
            await _send(send, Response(301, {"location": location, "content-length": "0"}))
        elif path.startswith(API_PREFIX + "/"):
            await self._api(scope, receive, send)
        else:
            await self._admin(scope, receive, send)

    async def _api(self, scope: Scope, receive: Receive, send: Send) -> None:
        raw_body = await _read_body(receive)
        origin = _origin(scope)
        if not self.stats.try_acquire():
            await _send(send, self._problem(named("TooManyRequests"), origin))
            return
        try:
            result = await self._guarded(scope, raw_body, origin)
            if isinstance(result, Reset):
                await self._drop(scope, send, result.partial)
            else:
                await _send(send, result)
        finally:
            self.stats.release()

    async def _guarded(self, scope: Scope, raw_body: bytes, origin: str) -> Response | Reset:
        """Faults around the real processing."""
        cfg = self.faults
        if cfg.require_tls:
            return self._problem(named("HTTPSRequired"), origin)
        if cfg.firewall or self.firewall_tripped:
            self.stats.faults["firewall"] += 1
            reference = f"18.{self.rng.getrandbits(32):08x}.{self.rng.getrandbits(32):08x}"
            url = origin + scope["raw_path"].decode("latin-1")
            return Response(403, {"content-type": HTML_CONTENT_TYPE}, firewall_page(url, reference))
        delay = cfg.delay_s(self.rng)
        fault = cfg.draw(self.rng)
        ambiguous = fault is not None and fault not in BEFORE_PROCESSING
        applied = ambiguous and self.rng.random() < 0.5
        if delay >= cfg.timeout_s:
            await asyncio.sleep(cfg.timeout_s)
            self.stats.faults["timeout"] += 1
            self._process(scope, raw_body, origin)  # the work still finishes server-side
            return self._problem(named("GatewayTimeout"), origin)
        if delay > 0:
            await asyncio.sleep(delay)
        if fault is None:
            response = self._process(scope, raw_body, origin)
            self._count_404s(response.status)
            return response
        self.stats.faults[fault] += 1
        if fault in BEFORE_PROCESSING:
            headers = (
                {"Retry-After": f"{cfg.retry_after_s:g}"} if fault == "503-retry-after" else {}
            )
            return self._problem(named("ServiceUnavailable", headers=headers), origin)
        done = self._process(scope, raw_body, origin) if applied else None
        if fault == "reset":
            return Reset(done)
        if fault == "cdn-502":
            return Response(502, {"content-type": HTML_CONTENT_TYPE}, cdn_502_page())
        return self._problem(named(FAULT_ERRORS[fault]), origin)

    def _count_404s(self, status: int) -> None:
        self._404s_in_a_row = self._404s_in_a_row + 1 if status == 404 else 0
        limit = self.faults.firewall_after_404s
        if limit is not None and self._404s_in_a_row >= limit:
            self.firewall_tripped = True

    async def _drop(self, scope: Scope, send: Send, partial: Response | None) -> None:
        key = _client_key(scope)
        transport = self.transports.get(key)
        if transport is None:
            raise ConnectionResetError("reset fault: this server does not expose its connections")
        if partial is not None and partial.body:
            await send(_start(partial))
            half = partial.body[: max(1, len(partial.body) // 2)]
            await send({"type": "http.response.body", "body": half, "more_body": True})
        transport.close()
        # Let the server notice the closed connection before this task returns,
        # so it does not try to answer on it.
        for _ in range(100):
            if key not in self.transports:
                break
            await asyncio.sleep(0.001)

    # -- processing ----------------------------------------------------------

    def _process(self, scope: Scope, raw_body: bytes, origin: str) -> Response:
        started = time.perf_counter()
        try:
            return self._render(self._handle(scope, raw_body, origin))
        except ApiError as err:
            return self._problem(err, origin)
        except Exception:
            log.exception("sandbox handler failed")
            return self._problem(named("InternalServerError"), origin)
        finally:
            self.stats.processing_s += time.perf_counter() - started

    def _handle(self, scope: Scope, raw_body: bytes, origin: str) -> Reply:
        headers = _headers(scope)
        if "x-trigger-error" in headers:
            raise triggered(headers["x-trigger-error"])
        role = self._authenticate(headers.get("authorization", ""))
        method: str = scope["method"]
        if "x-http-method-override" in headers:
            if method != "POST":
                raise named(
                    "InvalidMethodOverride",
                    f"X-HTTP-Method-Override was sent with {method}; only POST may carry it.",
                )
            method = headers["x-http-method-override"].strip().upper()
        query = dict(parse_qsl(scope["query_string"].decode("latin-1"), keep_blank_values=True))
        path = scope["raw_path"].decode("latin-1")[len(API_PREFIX) :]
        return self.dispatch(method, path, query, raw_body, role=role, base_url=origin + API_PREFIX)

    def _authenticate(self, header: str) -> str:
        """The role of the key or token in the Authorization header."""
        if not header.strip():
            raise named("APIKeyMissing")
        scheme, _, credential = header.strip().partition(" ")
        credential = credential.strip()
        if scheme.lower() == "basic":
            try:
                decoded = base64.b64decode(credential, validate=True).decode("utf-8")
            except (binascii.Error, UnicodeDecodeError):
                raise named(
                    "APIKeyInvalid", "The Basic credentials could not be decoded."
                ) from None
            credential = decoded.partition(":")[2]
        elif scheme.lower() not in ("bearer", "oauth", "apikey"):
            raise named("APIKeyMissing", f"Unsupported Authorization scheme {scheme!r}.")
        if not credential:
            raise named("APIKeyMissing")
        key = KEY_RE.match(credential)
        if key:
            role = self.store.api_keys.get(key.group(1))
            if role is not None and key.group(2) != self.dc:
                raise named(
                    "WrongDatacenter",
                    f"This key belongs to datacenter {key.group(2)}, but this server is "
                    f"{self.dc}; send it to the {key.group(2)} host.",
                )
        else:
            role = self.store.oauth_tokens.get(credential)
        if role is None:
            raise named("APIKeyInvalid")
        if role == "disabled":
            raise named("UserDisabled")
        return role

    def dispatch(
        self,
        method: str,
        path: str,
        query: dict[str, str],
        body: Any,
        *,
        role: str,
        base_url: str,
    ) -> Reply:
        """Route, validate and run one operation (also used in-process by batches)."""
        segments = [unquote(s) for s in path.split("/") if s]
        match = self.catalog.match(segments)
        if match is None:
            if self.catalog.too_deep(segments):
                raise named("ResourceNestingTooDeep")
            raise named("ResourceNotFound")
        op = match.ops.get(method)
        if op is None:
            raise named("MethodNotAllowed", headers={"Allow": ", ".join(sorted(match.ops))})
        if isinstance(body, bytes | str):
            body = _parse_json(body)
        query = _checked_query(op, query)
        if role == "viewer" and method != "GET":
            raise named("Forbidden", f"A key with the {role} role may only read, not {method}.")
        ctx = Ctx(
            store=self.store,
            method=method,
            template=op.template,
            params=match.params_for(op, segments),
            query=query,
            body=body,
            base_url=base_url,
            execute=self._executor(base_url),
            role=role,
        )
        handler = HANDLERS.get((method, op.template))
        reply = handler(ctx) if handler else generic_reply(ctx, op)
        if 200 <= reply.status < 300:
            if method != "GET":
                self.stats.record_write(method, "/" + "/".join(segments), body)
            if isinstance(reply.body, dict):
                template = reply.template or op.template
                reply.headers.setdefault("Link", _link_header(base_url, template, reply.body))
            if reply.body is not None:
                reply.body = fields.apply(reply.body, query, op.response)
        return reply

    def _executor(self, base_url: str) -> Callable[[str, str, dict[str, str], Any], Reply]:
        def execute(method: str, path: str, query: dict[str, str], body: Any) -> Reply:
            path, _, qs = path.partition("?")
            if path == API_PREFIX or path.startswith(API_PREFIX + "/"):
                path = path[len(API_PREFIX) :]
            merged = {**dict(parse_qsl(qs, keep_blank_values=True)), **(query or {})}
            try:
                return self.dispatch(
                    method.upper(), path, merged, body, role="owner", base_url=base_url
                )
            except ApiError as err:
                headers = {**err.headers, "Content-Type": PROBLEM_CONTENT_TYPE}
                return Reply(err.status, problem_document(err, self._request_id()), headers)

        return execute

    # -- rendering -----------------------------------------------------------

    def _render(self, reply: Reply) -> Response:
        headers = {"content-type": JSON_CONTENT_TYPE, "x-request-id": self._request_id()}
        headers.update({k.lower(): v for k, v in reply.headers.items()})
        if reply.status == 204 or reply.body is None:
            return Response(reply.status, headers)
        if isinstance(reply.body, bytes):
            return Response(reply.status, headers, reply.body)
        return Response(reply.status, headers, _dumps(reply.body))

    def _problem(self, err: ApiError, origin: str) -> Response:
        request_id = self._request_id()
        headers = {
            "content-type": PROBLEM_CONTENT_TYPE,
            "x-request-id": request_id,
            "link": f'<{origin}{PROBLEM_SCHEMA}>; rel="describedBy"',
        }
        headers.update({k.lower(): v for k, v in err.headers.items()})
        return Response(err.status, headers, _dumps(problem_document(err, request_id)))


def _link_header(base_url: str, template: str, body: dict[str, Any]) -> str:
    """describedBy for every JSON answer; instances with a page in the app add `dashboard`."""
    origin = base_url[: -len(API_PREFIX)]
    header = described_by(origin, template, "total_items" in body)
    page = recorded_links()["dashboards"].get(template)
    if page and "web_id" in body:
        header += f', <{origin}/_dashboard{page.format(web_id=body["web_id"])}>; rel="dashboard"'
    return header


def _checked_query(op: Operation, query: dict[str, str]) -> dict[str, str]:
    """count/offset rules (with catalog defaults filled in) and fields exclusivity."""
    query = dict(query)
    for name in ("count", "offset"):
        spec = op.param(name)
        if name not in query:
            if spec is not None and "default" in spec:
                query[name] = str(spec["default"])
            continue
        text = query[name]
        try:
            value = int(text)
        except ValueError:
            raise named("BadRequest", f"{name} must be a whole number, got {text!r}.") from None
        if value < 0:
            raise named("BadRequest", f"{name} cannot be negative (got {value}).")
        maximum = (spec or {}).get("maximum", 1000) if name == "count" else None
        if maximum is not None and value > maximum:
            raise named("BadRequest", f"count can be at most {maximum} (got {value}).")
    fields.check_exclusive(query)
    return query


def _parse_json(raw: bytes | str) -> Any:
    if not raw.strip():
        return None
    try:
        return json.loads(raw)
    except (ValueError, UnicodeDecodeError) as exc:
        raise named("JSONParseError", f"The request body is not valid JSON: {exc}.") from None


def _dumps(value: Any) -> bytes:
    """Compact UTF-8 JSON. orjson is ~10x faster than json.dumps, which matters with two
    cores shared by client and server; json takes what orjson refuses (ints over 64 bits)."""
    try:
        return orjson.dumps(value, option=orjson.OPT_NON_STR_KEYS)
    except TypeError:
        return json.dumps(value, ensure_ascii=False, separators=(",", ":")).encode("utf-8")


def _headers(scope: Scope) -> dict[str, str]:
    return {k.decode("latin-1"): v.decode("latin-1") for k, v in scope["headers"]}


def _origin(scope: Scope) -> str:
    for key, value in scope["headers"]:
        if key == b"host":
            return f"{scope.get('scheme', 'http')}://{value.decode('latin-1')}"
    host, port = scope.get("server") or ("127.0.0.1", 80)
    return f"{scope.get('scheme', 'http')}://{host}:{port}"


def _client_key(scope: Scope) -> tuple[str, int]:
    host, port = scope.get("client") or ("", 0)
    return (host, port)


async def _read_body(receive: Receive) -> bytes:
    chunks = []
    while True:
        message = await receive()
        chunks.append(message.get("body", b""))
        if not message.get("more_body", False):
            return b"".join(chunks)


def _start(response: Response) -> dict[str, Any]:
    headers = [(k.encode("latin-1"), v.encode("latin-1")) for k, v in response.headers.items()]
    headers.append((b"content-length", str(len(response.body)).encode()))
    return {"type": "http.response.start", "status": response.status, "headers": headers}


async def _send(send: Send, response: Response) -> None:
    await send(_start(response))
    await send({"type": "http.response.body", "body": response.body})
