"""How the engine puts one request on the wire: a lean HTTP/1.1 client of our own, or any
httpx transport behind the same small interface.

Why our own: at the account's 10-request cap the client's CPU per request sets the wall
time (answers arrive in bursts and one event loop handles them one after another), and
httpx's client, httpcore's pool and the anyio layers cost ~1.5 ms per request on a small
machine. This client does the same exchange with one write and a few buffered reads.
It keeps what the engine relies on: TLS (httpx's default SSL context), connect/read/write
timeouts, keep-alive with an idle expiry, the sent/not-sent phase (`on_sent` fires just
before the first byte goes out), and httpx's exception types, so failures classify alike.
"""

from __future__ import annotations

import asyncio
import ssl
import zlib
from collections.abc import Awaitable, Callable
from dataclasses import dataclass
from typing import Any, Protocol, TypeVar
from urllib.parse import SplitResult, quote, urlsplit

import httpx

T = TypeVar("T")
DEFAULT_PORTS = {"http": 80, "https": 443}
BODY_METHODS = frozenset({"POST", "PUT", "PATCH"})  # an empty body still says Content-Length: 0
NO_BODY_STATUSES = frozenset({204, 304})
READ_CHUNK = 1 << 16
_TARGET_SAFE = "/?&=%:@!$'()*+,;~-._"


@dataclass(frozen=True)
class Timeouts:
    connect: float
    read: float  # the longest wait for the next bytes of the answer
    write: float


@dataclass
class Reply:
    status: int
    headers: dict[str, str]  # lower-cased names; a repeated header's values joined by ", "
    body: bytes  # already decoded from gzip when the server compressed it


class Exchange(Protocol):
    async def exchange(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        on_sent: Callable[[], None],
    ) -> Reply: ...

    async def aclose(self) -> None: ...


def parse_head(raw: bytes) -> tuple[int, str, dict[str, str]]:
    """Status line and header block (ending in a blank line) -> (status, version, headers)."""
    lines = raw.decode("latin-1").rstrip("\r\n").split("\r\n")
    version, _, rest = lines[0].partition(" ")
    code = rest[:3]
    if not version.startswith("HTTP/1.") or len(code) != 3 or not code.isdigit():
        raise httpx.RemoteProtocolError(f"not an HTTP/1.x status line: {lines[0][:80]!r}")
    headers: dict[str, str] = {}
    for line in lines[1:]:
        name, sep, value = line.partition(":")
        if not sep or not name or name != name.strip():  # also refuses obsolete line folding
            raise httpx.RemoteProtocolError(f"malformed response header line: {line[:80]!r}")
        key, value = name.lower(), value.strip(" \t")
        headers[key] = f"{headers[key]}, {value}" if key in headers else value
    return int(code), version, headers


def content_length(value: str) -> int:
    """Content-Length, allowing the same number repeated ("10, 10")."""
    values = {v.strip() for v in value.split(",")}
    if len(values) != 1 or not (number := values.pop()).isdigit():
        raise httpx.RemoteProtocolError(f"invalid Content-Length: {value[:40]!r}")
    return int(number)


def chunk_size(line: bytes) -> int:
    text = line.split(b";", 1)[0].strip()
    try:
        if not text or text.startswith((b"+", b"-", b"0x", b"0X")):
            raise ValueError(text)
        return int(text, 16)
    except ValueError:
        raise httpx.RemoteProtocolError(f"invalid chunk size line: {line[:40]!r}") from None


def decode_body(body: bytes, encoding: str | None) -> bytes:
    coding = (encoding or "").strip().lower()
    if coding in ("", "identity"):
        return body
    if coding in ("gzip", "x-gzip"):
        try:
            return zlib.decompress(body, wbits=31)
        except zlib.error as exc:
            raise httpx.RemoteProtocolError(f"the gzip body does not decode: {exc}") from None
    raise httpx.RemoteProtocolError(f"unsupported Content-Encoding {coding!r}")


def request_head(
    method: str, target: str, host: str, headers: dict[str, str], body: bytes | None
) -> bytes:
    lines = [f"{method} {target} HTTP/1.1", f"Host: {host}"]
    lines += [f"{name}: {value}" for name, value in headers.items()]
    if body is not None or method in BODY_METHODS:
        lines.append(f"Content-Length: {len(body or b'')}")
    if any("\r" in line or "\n" in line for line in lines):
        raise ValueError("a header or the URL holds a line break")
    return ("\r\n".join(lines) + "\r\n\r\n").encode("ascii")


class _Connection:
    def __init__(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.reader = reader
        self.writer = writer
        self.idle_since = 0.0

    def usable(self, now: float, expiry: float) -> bool:
        """Not closed by the server (its FIN is seen as EOF) and not idle too long."""
        return (
            now - self.idle_since < expiry
            and not self.reader.at_eof()
            and not self.writer.is_closing()
        )

    def close(self) -> None:
        self.writer.close()


class LeanTransport:
    """HTTP/1.1 with keep-alive: one connection per request in flight, idle ones reused.

    The engine's slots bound how many requests are in flight, so this keeps no queue;
    at most `max_idle` idle connections per origin stay open, each for `keepalive_expiry`.
    """

    def __init__(
        self,
        timeouts: Timeouts,
        *,
        max_idle: int = 10,
        keepalive_expiry: float = 4.0,
        ssl_context: ssl.SSLContext | None = None,
    ) -> None:
        self.timeouts = timeouts
        self.max_idle = max_idle
        self.keepalive_expiry = keepalive_expiry
        self._ssl = ssl_context
        self._idle: dict[tuple[str, str, int], list[_Connection]] = {}

    def _ssl_context(self) -> ssl.SSLContext:
        if self._ssl is None:  # loading the CA bundle takes ~0.1 s: only when https is used
            self._ssl = httpx.create_ssl_context()
        return self._ssl

    async def exchange(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        on_sent: Callable[[], None],
    ) -> Reply:
        parts = urlsplit(url)
        origin = _origin(parts)
        target = (parts.path or "/") + (f"?{parts.query}" if parts.query else "")
        if not target.isascii() or " " in target:
            target = quote(target, safe=_TARGET_SAFE)
        if "accept-encoding" not in (name.lower() for name in headers):
            headers = {**headers, "Accept-Encoding": "gzip"}
        head = request_head(method, target, parts.netloc.rpartition("@")[2], headers, body)
        connection = self._checkout(origin) or await self._connect(origin)
        keep = False
        try:
            on_sent()
            connection.writer.write(head + body if body else head)
            if connection.writer.transport.get_write_buffer_size():
                await self._timed(connection.writer.drain(), self.timeouts.write, "write")
            reply, keep = await self._read_reply(connection.reader, method)
        finally:
            if keep:
                self._checkin(origin, connection)
            else:
                connection.close()
        return reply

    def _checkout(self, origin: tuple[str, str, int]) -> _Connection | None:
        idle = self._idle.get(origin)
        now = asyncio.get_running_loop().time()
        while idle:
            connection = idle.pop()
            if connection.usable(now, self.keepalive_expiry):
                return connection
            connection.close()
        return None

    def _checkin(self, origin: tuple[str, str, int], connection: _Connection) -> None:
        idle = self._idle.setdefault(origin, [])
        if len(idle) >= self.max_idle:
            connection.close()
            return
        connection.idle_since = asyncio.get_running_loop().time()
        idle.append(connection)

    async def _connect(self, origin: tuple[str, str, int]) -> _Connection:
        scheme, host, port = origin
        context = self._ssl_context() if scheme == "https" else None
        try:
            async with asyncio.timeout(self.timeouts.connect):
                reader, writer = await asyncio.open_connection(
                    host, port, ssl=context, server_hostname=host if context else None
                )
        except TimeoutError:
            raise httpx.ConnectTimeout(f"no connection to {host}:{port} in time") from None
        except OSError as exc:  # refused, unreachable, DNS failure, TLS handshake failure
            raise httpx.ConnectError(f"{host}:{port}: {exc}") from exc
        return _Connection(reader, writer)

    async def _timed(self, step: Awaitable[T], seconds: float, phase: str) -> T:
        try:
            async with asyncio.timeout(seconds):
                return await step
        except TimeoutError:
            timeout = httpx.WriteTimeout if phase == "write" else httpx.ReadTimeout
            raise timeout(f"{phase} timed out after {seconds:g} s") from None
        except asyncio.IncompleteReadError:
            raise httpx.RemoteProtocolError(
                "the server closed the connection before the answer was complete"
            ) from None
        except asyncio.LimitOverrunError:
            raise httpx.RemoteProtocolError("a response line is too long") from None
        except OSError as exc:
            error = httpx.WriteError if phase == "write" else httpx.ReadError
            raise error(f"connection error while {phase}ing: {exc}") from exc

    async def _read_reply(self, reader: asyncio.StreamReader, method: str) -> tuple[Reply, bool]:
        """The final answer (interim 1xx ones skipped) and whether the connection is reusable."""
        read = self.timeouts.read
        while True:
            raw = await self._timed(reader.readuntil(b"\r\n\r\n"), read, "read")
            status, version, headers = parse_head(raw)
            if status >= 200:
                break
            if status == 101:
                raise httpx.RemoteProtocolError("the server switched protocols")
        keep = version == "HTTP/1.1" and "close" not in headers.get("connection", "").lower()
        body: bytes
        if method == "HEAD" or status in NO_BODY_STATUSES:
            body = b""
        elif "transfer-encoding" in headers:
            if headers["transfer-encoding"].lower().rsplit(",", 1)[-1].strip() == "chunked":
                body = await self._read_chunked(reader)
            else:
                body, keep = await self._timed(reader.read(), read, "read"), False
        elif "content-length" in headers:
            body = await self._read_exactly(reader, content_length(headers["content-length"]))
        else:  # the body runs until the server closes the connection
            body, keep = await self._timed(reader.read(), read, "read"), False
        body = decode_body(body, headers.get("content-encoding"))
        return Reply(status, headers, body), keep

    async def _read_exactly(self, reader: asyncio.StreamReader, size: int) -> bytes:
        """`size` bytes, with the read timeout applying to each piece, not to the whole."""
        pieces: list[bytes] = []
        while size:
            piece = await self._timed(
                reader.read(min(size, READ_CHUNK)), self.timeouts.read, "read"
            )
            if not piece:
                raise httpx.RemoteProtocolError(
                    "the server closed the connection before the body was complete"
                )
            pieces.append(piece)
            size -= len(piece)
        return pieces[0] if len(pieces) == 1 else b"".join(pieces)

    async def _read_chunked(self, reader: asyncio.StreamReader) -> bytes:
        pieces: list[bytes] = []
        read = self.timeouts.read
        while size := chunk_size(await self._timed(reader.readuntil(b"\r\n"), read, "read")):
            data = await self._read_exactly(reader, size + 2)
            if not data.endswith(b"\r\n"):
                raise httpx.RemoteProtocolError("a body chunk does not end with CRLF")
            pieces.append(data[:-2])
        while await self._timed(reader.readuntil(b"\r\n"), read, "read") != b"\r\n":
            pass  # trailer fields: nothing the engine uses
        return b"".join(pieces)

    async def aclose(self) -> None:
        for idle in self._idle.values():
            for connection in idle:
                connection.close()
        self._idle.clear()


class HttpxExchange:
    """Any httpx transport (a mock in tests, a custom one from a caller) as an Exchange;
    the sent phase comes from httpcore's `trace` extension."""

    def __init__(self, transport: httpx.AsyncBaseTransport, timeouts: Timeouts) -> None:
        self._transport = transport
        self._timeout = {
            "connect": timeouts.connect,
            "read": timeouts.read,
            "write": timeouts.write,
            "pool": None,
        }

    async def exchange(
        self,
        method: str,
        url: str,
        headers: dict[str, str],
        body: bytes | None,
        on_sent: Callable[[], None],
    ) -> Reply:
        async def trace(name: str, info: dict[str, Any]) -> None:
            if name.endswith("send_request_headers.started"):
                on_sent()

        request = httpx.Request(
            method,
            url,
            headers=headers,
            content=body,
            extensions={"trace": trace, "timeout": self._timeout},
        )
        response = await self._transport.handle_async_request(request)
        try:
            content = await response.aread()
        finally:
            await response.aclose()
        return Reply(
            response.status_code, {k.lower(): v for k, v in response.headers.items()}, content
        )

    async def aclose(self) -> None:
        await self._transport.aclose()


def _origin(parts: SplitResult) -> tuple[str, str, int]:
    scheme = parts.scheme.lower()
    if scheme not in DEFAULT_PORTS or not parts.hostname:
        raise httpx.UnsupportedProtocol(f"cannot send to {parts.scheme}://{parts.netloc}")
    return scheme, parts.hostname, parts.port or DEFAULT_PORTS[scheme]
