"""The lean HTTP/1.1 transport against raw scripted servers on real loopback sockets."""

from __future__ import annotations

import asyncio
import contextlib
import gzip
import socket
import ssl
import subprocess
from collections.abc import AsyncIterator, Callable
from pathlib import Path

import httpx
import pytest
from hypothesis import given
from hypothesis import strategies as st

from mcexplorer.core.http.transport import (
    LeanTransport,
    Timeouts,
    chunk_size,
    content_length,
    parse_head,
    request_head,
)

FAST = Timeouts(connect=2.0, read=2.0, write=2.0)
Answer = Callable[[bytes], bytes | None]  # request head+body -> raw answer (None: hang up)


class RawServer:
    """Answers each request on a connection with the bytes the script returns."""

    def __init__(self, answer: Answer, ssl_context: ssl.SSLContext | None = None) -> None:
        self.answer = answer
        self.ssl_context = ssl_context
        self.requests: list[bytes] = []
        self.connections = 0
        self.hang_up_after_answer = False
        self.port = 0
        self._server: asyncio.Server | None = None

    async def __aenter__(self) -> RawServer:
        self._server = await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.ssl_context)
        self.port = self._server.sockets[0].getsockname()[1]
        return self

    async def __aexit__(self, *exc: object) -> None:
        assert self._server is not None
        self._server.close()

    def url(self, path: str = "/x", scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}{path}"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                length = next(
                    (int(v) for k, v in parse_head_fields(head) if k == "content-length"), 0
                )
                request = head + await reader.readexactly(length)
                self.requests.append(request)
                reply = self.answer(request)
                if reply is None:
                    break
                writer.write(reply)
                await writer.drain()
                if self.hang_up_after_answer:
                    break
        except (asyncio.IncompleteReadError, ConnectionError):
            pass
        finally:
            writer.close()


def parse_head_fields(head: bytes) -> list[tuple[str, str]]:
    lines = head.decode("latin-1").split("\r\n")[1:]
    return [(k.strip().lower(), v.strip()) for k, _, v in (line.partition(":") for line in lines)]


def ok(body: bytes = b'{"ok":true}', extra: str = "") -> Answer:
    return lambda request: (
        f"HTTP/1.1 200 OK\r\nContent-Length: {len(body)}\r\n{extra}\r\n".encode() + body
    )


@pytest.fixture
async def lean() -> AsyncIterator[LeanTransport]:
    transport = LeanTransport(FAST)
    yield transport
    await transport.aclose()


def never_sent() -> None:
    raise AssertionError("on_sent must not be called")


async def test_one_write_carries_head_and_body_and_the_answer_comes_back(
    lean: LeanTransport,
) -> None:
    sent: list[bool] = []
    async with RawServer(ok(extra="X-Request-Id: r1\r\nVary: a\r\nVary: b\r\n")) as server:
        reply = await lean.exchange(
            "PUT", server.url("/3.0/lists/a?x=1"), {"A": "b"}, b"{}", lambda: sent.append(True)
        )
    assert (reply.status, reply.body, sent) == (200, b'{"ok":true}', [True])
    assert reply.headers["x-request-id"] == "r1" and reply.headers["vary"] == "a, b"
    head = server.requests[0].decode()
    assert head.startswith("PUT /3.0/lists/a?x=1 HTTP/1.1\r\n")
    assert f"Host: 127.0.0.1:{server.port}\r\n" in head and "Content-Length: 2\r\n" in head
    assert head.endswith("\r\n\r\n{}")


async def test_keep_alive_reuses_one_connection(lean: LeanTransport) -> None:
    async with RawServer(ok()) as server:
        for _ in range(3):
            await lean.exchange("GET", server.url(), {}, None, lambda: None)
    assert server.connections == 1 and len(server.requests) == 3


async def test_connection_close_and_http10_are_not_reused(lean: LeanTransport) -> None:
    answers = iter([b"HTTP/1.1 200 OK\r\nConnection: close\r\nContent-Length: 0\r\n\r\n"] * 2)
    async with RawServer(lambda request: next(answers)) as server:
        for _ in range(2):
            await lean.exchange("GET", server.url(), {}, None, lambda: None)
    assert server.connections == 2


async def test_a_connection_the_server_closed_while_idle_is_not_reused(
    lean: LeanTransport,
) -> None:
    async with RawServer(ok()) as server:
        server.hang_up_after_answer = True  # keep-alive promised, then closed anyway
        await lean.exchange("GET", server.url(), {}, None, lambda: None)
        await asyncio.sleep(0.05)  # the server's FIN arrives while the connection is idle
        reply = await lean.exchange("POST", server.url(), {}, b"{}", lambda: None)
    assert reply.status == 200 and server.connections == 2


async def test_chunked_and_gzip_bodies_are_decoded(lean: LeanTransport) -> None:
    packed = gzip.compress(b'{"n":1}')
    chunked = b"".join(
        [
            b"HTTP/1.1 200 OK\r\nTransfer-Encoding: chunked\r\nContent-Encoding: gzip\r\n\r\n",
            f"{len(packed[:5]):x};ext=1\r\n".encode() + packed[:5] + b"\r\n",
            f"{len(packed[5:]):x}\r\n".encode() + packed[5:] + b"\r\n",
            b"0\r\nTrailer: t\r\n\r\n",
        ]
    )
    async with RawServer(lambda request: chunked) as server:
        reply = await lean.exchange("GET", server.url(), {}, None, lambda: None)
        again = await lean.exchange("GET", server.url(), {}, None, lambda: None)
    assert reply.body == again.body == b'{"n":1}' and server.connections == 1
    assert b"Accept-Encoding: gzip\r\n" in server.requests[0]


async def test_a_body_until_close_and_interim_answers(lean: LeanTransport) -> None:
    raw = b"HTTP/1.1 100 Continue\r\n\r\nHTTP/1.1 202 Accepted\r\n\r\nall of it"
    async with RawServer(lambda request: raw) as server:
        server.hang_up_after_answer = True  # no length, not chunked: the close ends the body
        reply = await lean.exchange("POST", server.url(), {}, None, lambda: None)
    assert (reply.status, reply.body) == (202, b"all of it")
    assert b"Content-Length: 0\r\n" in server.requests[0]


async def test_head_and_204_have_no_body(lean: LeanTransport) -> None:
    answers = iter([b"HTTP/1.1 200 OK\r\nContent-Length: 50\r\n\r\n", b"HTTP/1.1 204 No\r\n\r\n"])
    async with RawServer(lambda request: next(answers)) as server:
        head = await lean.exchange("HEAD", server.url(), {}, None, lambda: None)
        empty = await lean.exchange("DELETE", server.url(), {}, None, lambda: None)
    assert (head.body, empty.status, empty.body, server.connections) == (b"", 204, b"", 1)


async def test_refused_connection_is_a_connect_error_and_never_sent(lean: LeanTransport) -> None:
    with socket.socket() as probe:
        probe.bind(("127.0.0.1", 0))
        port = probe.getsockname()[1]
    with pytest.raises(httpx.ConnectError):
        await lean.exchange("POST", f"http://127.0.0.1:{port}/", {}, b"{}", never_sent)


async def test_silence_is_a_read_timeout_after_sending() -> None:
    sent: list[bool] = []
    lean = LeanTransport(Timeouts(connect=2.0, read=0.05, write=2.0))
    async with RawServer(lambda request: b"") as server:
        with pytest.raises(httpx.ReadTimeout):
            await lean.exchange("GET", server.url(), {}, None, lambda: sent.append(True))
    assert sent == [True]
    await lean.aclose()


async def test_a_hang_up_mid_body_is_a_protocol_error(lean: LeanTransport) -> None:
    truncated = b"HTTP/1.1 200 OK\r\nContent-Length: 10\r\n\r\nabc"
    async with RawServer(lambda request: truncated) as server:
        server.hang_up_after_answer = True
        with pytest.raises(httpx.RemoteProtocolError, match="before the body was complete"):
            await lean.exchange("GET", server.url(), {}, None, lambda: None)


async def test_line_breaks_in_headers_are_refused(lean: LeanTransport) -> None:
    with pytest.raises(ValueError, match="line break"):
        await lean.exchange("GET", "http://127.0.0.1:9/", {"A": "b\r\nEvil: 1"}, None, never_sent)


async def test_https_with_a_trusted_certificate(tmp_path: Path) -> None:
    cert, key = tmp_path / "cert.pem", tmp_path / "key.pem"
    subprocess.run(
        [
            *("openssl", "req", "-x509", "-newkey", "rsa:2048", "-nodes", "-days", "1"),
            *("-keyout", str(key), "-out", str(cert), "-subj", "/CN=127.0.0.1"),
            *("-addext", "subjectAltName=IP:127.0.0.1"),
        ],
        check=True,
        capture_output=True,
    )
    server_side = ssl.create_default_context(ssl.Purpose.CLIENT_AUTH)
    server_side.load_cert_chain(cert, key)
    client_side = ssl.create_default_context(cafile=str(cert))
    lean = LeanTransport(FAST, ssl_context=client_side)
    async with RawServer(ok(), server_side) as server:
        reply = await lean.exchange("GET", server.url(scheme="https"), {}, None, lambda: None)
        with pytest.raises(httpx.ConnectError):  # the default CA bundle does not know it
            await LeanTransport(FAST).exchange(
                "GET", server.url(scheme="https"), {}, None, never_sent
            )
    await lean.aclose()
    assert reply.status == 200


# -- the parsers ---------------------------------------------------------------------

header_name = st.text("abcdefghijklmnopqrstuvwxyz-", min_size=1, max_size=12)
header_value = st.text(st.characters(min_codepoint=33, max_codepoint=126), max_size=20)


@given(st.integers(100, 599), st.lists(st.tuples(header_name, header_value), max_size=6))
def test_parse_head_reads_back_what_was_written(status: int, fields: list[tuple[str, str]]) -> None:
    raw = f"HTTP/1.1 {status} Whatever\r\n" + "".join(f"{k}: {v}\r\n" for k, v in fields)
    code, version, headers = parse_head((raw + "\r\n").encode())
    assert (code, version) == (status, "HTTP/1.1")
    for name, _ in fields:
        expected = ", ".join(v for k, v in fields if k == name)
        assert headers[name] == expected


@given(st.binary(max_size=60))
def test_parse_head_never_fails_other_than_by_protocol_error(raw: bytes) -> None:
    with contextlib.suppress(httpx.RemoteProtocolError):
        parse_head(raw)


@given(st.integers(0, 2**40))
def test_chunk_size_and_length_round_trip(size: int) -> None:
    assert chunk_size(f"{size:x};name=value\r\n".encode()) == size
    assert content_length(f"{size}, {size}") == size


@pytest.mark.parametrize("line", [b"\r\n", b"-1\r\n", b"0x10\r\n", b"zz\r\n"])
def test_bad_chunk_sizes_are_refused(line: bytes) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        chunk_size(line)


@pytest.mark.parametrize("value", ["", "1, 2", "-3", "1e3"])
def test_bad_content_lengths_are_refused(value: str) -> None:
    with pytest.raises(httpx.RemoteProtocolError):
        content_length(value)


def test_bodyless_writes_still_say_content_length_zero() -> None:
    assert b"Content-Length: 0\r\n" in request_head("POST", "/", "h", {}, None)
    assert b"Content-Length" not in request_head("GET", "/", "h", {}, None)
