"""A small hostile HTTP server of our own, on a loopback socket in a thread of its own.

Each request is answered with the bytes a test scripts, which may break HTTP on purpose:
answer before reading the body, hang up, send bare LF, a status of 2000, a gzip bomb. It
serves async tests and CLI tests alike (the CLI runs its own event loop in this thread).
"""

from __future__ import annotations

import asyncio
import contextlib
import ssl
import threading
from collections.abc import Callable, Iterator
from dataclasses import dataclass, field

KEY = "0123456789abcdef0123456789abcdef-us6"


@dataclass(frozen=True)
class Received:
    head: bytes  # request line and headers, up to the blank line
    body: bytes  # what was read of the body (nothing when the answer came first)

    @property
    def request_line(self) -> str:
        return self.head.split(b"\r\n", 1)[0].decode("latin-1")

    def header_values(self, name: str) -> list[str]:
        lines = self.head.decode("latin-1").split("\r\n")[1:]
        pairs = (line.partition(":") for line in lines if line)
        return [value.strip() for key, _, value in pairs if key.strip().lower() == name.lower()]


@dataclass(frozen=True)
class Answer:
    data: bytes
    read_body: bool = True  # False: answer as soon as the head is in, body unread
    close: bool = False  # hang up after answering
    linger: bool = False  # after an early answer: stop writing, drain what still comes, close


# Called with the request head (its body not read yet); None: hang up without a word.
Script = Callable[[Received], Answer | None]


def http(status: str, body: bytes = b"", headers: str = "", *, close: bool = False) -> Answer:
    """A well-formed answer (CRLF, Content-Length) with extra raw header lines."""
    head = f"HTTP/1.1 {status}\r\nContent-Length: {len(body)}\r\n{headers}\r\n".encode()
    return Answer(head + body, close=close)


@dataclass
class HostileServer:
    script: Script
    greeting: bytes | None = None  # written on connect, before anything is read; then hang up
    tls: ssl.SSLContext | None = None
    received: list[Received] = field(default_factory=list)
    connections: int = 0
    port: int = 0

    @contextlib.contextmanager
    def running(self) -> Iterator[HostileServer]:
        loop = asyncio.new_event_loop()
        server: list[asyncio.Server] = []

        async def start() -> None:
            server.append(await asyncio.start_server(self._serve, "127.0.0.1", 0, ssl=self.tls))
            self.port = server[0].sockets[0].getsockname()[1]

        async def stop() -> None:  # in the server's loop: asyncio objects are not thread-safe
            server[0].close()
            others = [t for t in asyncio.all_tasks() if t is not asyncio.current_task()]
            for task in others:
                task.cancel()
            await asyncio.gather(*others, return_exceptions=True)

        thread = threading.Thread(target=loop.run_forever, daemon=True)
        thread.start()
        asyncio.run_coroutine_threadsafe(start(), loop).result(timeout=10)
        try:
            yield self
        finally:
            asyncio.run_coroutine_threadsafe(stop(), loop).result(timeout=10)
            loop.call_soon_threadsafe(loop.stop)
            thread.join(timeout=10)
            loop.close()

    def base_url(self, scheme: str = "http") -> str:
        return f"{scheme}://127.0.0.1:{self.port}/3.0/"

    async def _serve(self, reader: asyncio.StreamReader, writer: asyncio.StreamWriter) -> None:
        self.connections += 1
        if self.greeting is not None:
            writer.write(self.greeting)
            writer.close()
            return
        try:
            while True:
                head = await reader.readuntil(b"\r\n\r\n")
                answer = self.script(Received(head, b""))  # decided on the head alone
                body = b""
                lengths = Received(head, b"").header_values("content-length")
                if lengths and (answer is None or answer.read_body):
                    body = await reader.readexactly(int(lengths[0]))
                self.received.append(Received(head, body))
                if answer is None:
                    break
                writer.write(answer.data)
                await writer.drain()
                if answer.linger:
                    writer.write_eof()
                    with contextlib.suppress(TimeoutError, ConnectionError):
                        async with asyncio.timeout(5):
                            while await reader.read(1 << 16):
                                pass
                    break
                if answer.close or not answer.read_body:
                    break
        except (asyncio.IncompleteReadError, asyncio.LimitOverrunError, ConnectionError):
            pass
        except asyncio.CancelledError:  # the server stops: end quietly (no "never retrieved")
            pass
        finally:
            writer.close()
