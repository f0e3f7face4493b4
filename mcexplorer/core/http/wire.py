"""How a request goes on the wire: httpx's HTTP/1.1 transport (httpcore's connection pool),
used without an httpx client, so there is no cookie jar and no redirect following.

What the engine relies on, and where it comes from here:
- whether the request left this machine: httpcore's `trace` extension reports the request
  head going out (a proxy's CONNECT does not count);
- connect/read/write timeouts and keep-alive: httpcore's, with idle connections dropped
  before a typical server's 5 s keep-alive ends (our slot gate caps the requests in flight,
  so the pool never queues);
- the body read piece by piece under a cap, decoded by bounded decoders;
- each failure classified once: the phase it happened in and whether repeating could help
  (a bad certificate or a malformed answer fails the same way every time).
Proxies come from the environment, except for loopback hosts (the embedded sandbox
among them), which are always reached directly.
"""

from __future__ import annotations

import ssl
import urllib.request
from collections.abc import Callable
from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from mcexplorer.core.accounts.keys import is_loopback, shown_url
from mcexplorer.core.http.decoding import BodyTooLarge, BoundedDecoder, UndecodableBody
from mcexplorer.core.http.retry import Failure

MB = 1024 * 1024
DEFAULT_MAX_BODY = 64 * MB
KEEPALIVE_EXPIRY_S = 4.0
ACCEPT_ENCODING = "gzip, deflate"
PROXY_SCHEMES = ("http", "https")
# What httpcore says when the peer hung up; any other RemoteProtocolError is a malformed
# answer, which a retry would only receive again.
_HANG_UPS = ("server disconnected", "peer closed connection")


@dataclass(frozen=True)
class Timeouts:
    connect: float
    read: float  # the longest wait for the next bytes of the answer
    write: float


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-cased names; a repeated header's values joined by ", "
    body: bytes  # decoded from its Content-Encoding


class ProxyConfigError(ValueError):
    """The proxy the environment names cannot be used; says which and why."""


class WireFailure(Exception):
    """No usable answer: the phase, whether the request had gone out, and what to tell."""

    def __init__(
        self, failure: Failure, message: str, *, sent: bool, title: str | None = None
    ) -> None:
        super().__init__(message)
        self.failure = failure
        self.sent = sent
        self.title = title  # a problem title of its own (else one from the phase)


def proxy_for(url: str) -> str | None:
    """The proxy HTTPS_PROXY / HTTP_PROXY / ALL_PROXY names for `url`; None for a loopback
    host or one NO_PROXY exempts. Raises ProxyConfigError for a proxy we cannot speak to."""
    parts = urlsplit(url)
    host = parts.hostname or ""
    if is_loopback(host) or urllib.request.proxy_bypass(host):
        return None
    proxies = urllib.request.getproxies()
    proxy = proxies.get(parts.scheme) or proxies.get("all")
    if not proxy:
        return None
    proxy = proxy if "://" in proxy else f"http://{proxy}"
    if urlsplit(proxy).scheme not in PROXY_SCHEMES:
        raise ProxyConfigError(
            f"The proxy {shown_url(proxy)} from the environment is not an http:// or https:// "
            "proxy, the only kinds this client speaks; set HTTPS_PROXY to one, or add the "
            "host to NO_PROXY."
        )
    return proxy


def _plain_context() -> ssl.SSLContext:
    """A verifying TLS context without the CA bundle (loading it costs ~0.1 s): enough for a
    plain-http loopback target, and no https host could ever pass its checks."""
    return ssl.SSLContext(ssl.PROTOCOL_TLS_CLIENT)


def build_transport(base_url: str, max_connections: int) -> httpx.AsyncHTTPTransport:
    """The transport for one API base: direct to loopback, else through the environment's
    proxy, if any (an https target is tunnelled, so the proxy never sees the key)."""
    proxy = proxy_for(base_url)
    https = urlsplit(base_url).scheme == "https"
    return httpx.AsyncHTTPTransport(
        verify=True if https or proxy else _plain_context(),
        proxy=proxy,
        limits=httpx.Limits(
            max_connections=max_connections,
            max_keepalive_connections=max_connections,
            keepalive_expiry=KEEPALIVE_EXPIRY_S,
        ),
        http2=False,
        trust_env=False,  # the proxy decision is made above, loopback first
    )


class _Phases:
    """The trace extension's events, reduced to what the classification needs."""

    def __init__(self, on_sent: Callable[[], None]) -> None:
        self._on_sent = on_sent
        self.sent = False
        self.tls = False  # a TLS handshake began
        self.tls_done = False

    async def __call__(self, name: str, info: dict[str, Any]) -> None:
        if name.endswith("send_request_headers.started"):
            request = info.get("request")
            if getattr(request, "method", b"") != b"CONNECT" and not self.sent:
                self.sent = True
                self._on_sent()
        elif name.endswith("start_tls.started"):
            self.tls = True
        elif name.endswith("start_tls.complete"):
            self.tls_done = True


def _causes(exc: BaseException) -> list[BaseException]:
    found: list[BaseException] = []
    current: BaseException | None = exc
    while current is not None and current not in found:
        found.append(current)
        current = current.__cause__ or current.__context__
    return found


def _tls_failure(exc: httpx.TransportError, host: str, phases: _Phases) -> WireFailure | None:
    title = "TLS Handshake Failed"
    causes = _causes(exc)
    untrusted = next((c for c in causes if isinstance(c, ssl.SSLCertVerificationError)), None)
    if untrusted is not None:
        reason = untrusted.verify_message or str(untrusted)
        message = f"the certificate of {host} is not trusted ({reason})"
    elif phases.tls and not phases.tls_done and isinstance(exc, httpx.TimeoutException):
        message = (
            f"{host} took the connection but the TLS handshake did not finish in time: it may "
            "not speak TLS on that port"
        )
    elif (phases.tls and not phases.tls_done) or any(isinstance(c, ssl.SSLError) for c in causes):
        message = (
            f"the TLS handshake with {host} failed ({exc or type(exc).__name__}): it may not "
            "speak TLS on that port"
        )
    else:
        return None
    return WireFailure(Failure.PROTOCOL, message, sent=False, title=title)


def classify(
    exc: httpx.TransportError, host: str, phases: _Phases, timeouts: Timeouts
) -> WireFailure:
    """One httpx failure as the engine sees it."""
    sent = phases.sent
    if isinstance(exc, httpx.ProxyError):
        return WireFailure(
            Failure.PROTOCOL,
            f"the proxy refused the tunnel ({exc})",
            sent=False,
            title="Proxy Refused",
        )
    if isinstance(exc, httpx.ConnectTimeout | httpx.ConnectError) and not sent:
        tls = _tls_failure(exc, host, phases)
        if tls is not None:
            return tls
        if isinstance(exc, httpx.ConnectTimeout):
            return WireFailure(
                Failure.CONNECT, f"connecting timed out after {timeouts.connect:g} s", sent=False
            )
        return WireFailure(Failure.CONNECT, f"could not connect: {exc}", sent=False)
    if isinstance(exc, httpx.ReadTimeout):
        return WireFailure(
            Failure.TIMEOUT,
            f"no response within {timeouts.read:g} s (Mailchimp ends a request at 120 s)",
            sent=sent,
        )
    if isinstance(exc, httpx.TimeoutException):
        return WireFailure(Failure.TIMEOUT, f"timed out: {type(exc).__name__}", sent=sent)
    if isinstance(exc, httpx.RemoteProtocolError) and not str(exc).lower().startswith(_HANG_UPS):
        return WireFailure(
            Failure.PROTOCOL,
            f"the answer is not valid HTTP/1.1 ({exc})",
            sent=sent,
            title="Malformed Response",
        )
    if isinstance(exc, httpx.LocalProtocolError | httpx.UnsupportedProtocol):
        return WireFailure(Failure.LOCAL, f"could not send the request: {exc}", sent=False)
    return WireFailure(
        Failure.RESET, f"the connection dropped: {exc or type(exc).__name__}", sent=sent
    )


def _too_large(status: int, limit: int, size: str) -> WireFailure:
    return WireFailure(
        Failure.PROTOCOL,
        f"the server answered {status} with a body larger than the {limit / MB:g} MB cap "
        f"({size}); nothing of it was kept. Raise the cap with --max-response-mb if the "
        "answer is expected to be that big.",
        sent=True,
        title="Response Too Large",
    )


class Wire:
    """One API base's transport, with the timeouts and the body cap applied to each exchange."""

    def __init__(
        self, transport: httpx.AsyncBaseTransport, timeouts: Timeouts, max_body: int
    ) -> None:
        self._transport = transport
        self.timeouts = timeouts
        self.max_body = max_body
        self._timeout = {
            "connect": timeouts.connect,
            "read": timeouts.read,
            "write": timeouts.write,
            "pool": None,  # the slot gate queues; the pool never has to
        }

    async def exchange(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        on_sent: Callable[[], None],
    ) -> Reply:
        """The final answer, decoded; WireFailure otherwise."""
        phases = _Phases(on_sent)
        request = httpx.Request(
            method,
            url,
            headers=headers,
            content=body,
            extensions={"trace": phases, "timeout": self._timeout},
        )
        try:
            response = await self._transport.handle_async_request(request)
            try:
                return await self._read(response)
            finally:
                await response.aclose()
        except httpx.TransportError as exc:
            raise classify(exc, request.url.host, phases, self.timeouts) from None

    async def _read(self, response: httpx.Response) -> Reply:
        status, limit = response.status_code, self.max_body
        declared = response.headers.get("content-length", "")
        if declared.isdigit() and int(declared) > limit:
            raise _too_large(status, limit, f"Content-Length {declared}")
        try:
            if response.is_stream_consumed:  # built in memory (a mock transport): decoded already
                body = response.content
                if len(body) > limit:
                    raise BodyTooLarge
            else:
                body = await self._body(response, limit)
        except BodyTooLarge:
            raise _too_large(status, limit, "as sent or once decompressed") from None
        except UndecodableBody as exc:
            raise WireFailure(
                Failure.PROTOCOL,
                f"the {status} answer's body cannot be read: {exc}",
                sent=True,
                title="Malformed Response",
            ) from None
        headers: dict[str, str] = {}
        for name, value in response.headers.multi_items():
            key = name.lower()
            headers[key] = f"{headers[key]}, {value}" if key in headers else value
        return Reply(status, headers, body)

    @staticmethod
    async def _body(response: httpx.Response, limit: int) -> bytes:
        decoder = BoundedDecoder(response.headers.get("content-encoding"), limit)
        async for piece in response.aiter_raw():
            if response.num_bytes_downloaded > limit:
                raise BodyTooLarge
            if piece:
                decoder.feed(piece)
        return decoder.finish()

    async def aclose(self) -> None:
        await self._transport.aclose()
