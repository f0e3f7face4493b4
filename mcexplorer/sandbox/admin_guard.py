"""The guard in front of both sandboxes' control routes: no cross-origin or rebound requests.

A web page can make a browser send a form POST to any address, loopback included, and a
rebound DNS name can make it read the answers. The control routes therefore answer only
when the Host header names the address the connection came in on (so a page on another
name is refused), and a request that changes anything must carry a JSON content type,
which a browser form cannot send without a CORS preflight the sandbox never grants.
"""

from __future__ import annotations

import ipaddress
import json
from collections.abc import Awaitable, Callable, MutableMapping
from typing import Any

from starlette.middleware import Middleware

Scope = MutableMapping[str, Any]
Receive = Callable[[], Awaitable[MutableMapping[str, Any]]]
Send = Callable[[MutableMapping[str, Any]], Awaitable[None]]
Asgi = Callable[[Scope, Receive, Send], Awaitable[None]]

SAFE_METHODS = frozenset({"GET", "HEAD", "OPTIONS"})
JSON_TYPES = ("application/json",)


def _header(scope: Scope, name: bytes) -> str:
    for key, value in scope.get("headers", ()):
        if key == name:
            return str(value.decode("latin-1"))
    return ""


def _split_host(host: str) -> tuple[str, int | None]:
    """`127.0.0.1:8765` / `[::1]:8765` / `localhost` -> (name, port)."""
    if host.startswith("["):
        name, _, rest = host[1:].partition("]")
        port = rest.removeprefix(":")
    else:
        name, _, port = host.rpartition(":") if host.count(":") == 1 else (host, "", "")
    return name.lower(), int(port) if port.isdigit() else None


def _is_loopback(name: str) -> bool:
    try:
        return ipaddress.ip_address(name).is_loopback
    except ValueError:
        return False


def host_refusal(scope: Scope) -> str | None:
    """Why the Host header does not name this server's own address, or None when it does."""
    bound_host, bound_port = scope.get("server") or ("", None)
    name, port = _split_host(_header(scope, b"host"))
    if not name:
        return "a Host header is required"
    if bound_port is not None and port != bound_port:
        return f"Host {name}:{port} is not the port this sandbox listens on"
    same = name == str(bound_host).lower() or (name == "localhost" and _is_loopback(bound_host))
    if not same:
        return f"Host {name} is not the address this sandbox listens on"
    return None


def content_refusal(scope: Scope) -> str | None:
    """Why a state-changing request is refused for its content type, or None."""
    if scope.get("method", "GET") in SAFE_METHODS:
        return None
    media = _header(scope, b"content-type").split(";", 1)[0].strip().lower()
    if media not in JSON_TYPES:
        return "control requests that change the sandbox must send Content-Type: application/json"
    return None


class AdminGuard:
    """ASGI middleware: `app` behind the Host and content-type checks (403 and 415)."""

    def __init__(self, app: Asgi) -> None:
        self.app = app

    async def __call__(self, scope: Scope, receive: Receive, send: Send) -> None:
        if scope["type"] == "http":
            reason, status = host_refusal(scope), 403
            if reason is None:
                reason, status = content_refusal(scope), 415
            if reason is not None:
                await _refuse(send, status, reason)
                return
        await self.app(scope, receive, send)


async def _refuse(send: Send, status: int, reason: str) -> None:
    body = json.dumps({"error": reason}).encode()
    headers = [(b"content-type", b"application/json"), (b"content-length", str(len(body)).encode())]
    await send({"type": "http.response.start", "status": status, "headers": headers})
    await send({"type": "http.response.body", "body": body})


# For Starlette(middleware=...): both sandboxes' admin apps use this one list.
ADMIN_MIDDLEWARE = [Middleware(AdminGuard)]
