"""The HTTP protocol the sandbox server runs: uvicorn's httptools one, with two changes.

httptools parses in C (h11 is pure Python, ~0.3 ms a request here), which matters
on two cores shared by client and server. Each connection's transport is
remembered by client address, so a "reset" fault can drop it; and writes made in
one event-loop step go out in one send(): uvicorn writes a response's head and
body separately, which costs a system call and a TCP segment more per response.
"""

from __future__ import annotations

import asyncio
from typing import Any

from uvicorn.protocols.http.httptools_impl import HttpToolsProtocol

from mcexplorer.sandbox.app import Transports


class CorkedTransport:
    """Passes everything to `transport`, but joins the writes of one loop step."""

    def __init__(self, transport: asyncio.Transport) -> None:
        self._transport = transport
        self._pending: list[bytes] = []

    def write(self, data: bytes | bytearray | memoryview) -> None:
        if not self._pending:
            asyncio.get_running_loop().call_soon(self._flush)
        self._pending.append(bytes(data))

    def _flush(self) -> None:
        if not self._pending:
            return
        data = b"".join(self._pending)
        self._pending.clear()
        if not self._transport.is_closing():
            self._transport.write(data)

    def close(self) -> None:
        self._flush()
        self._transport.close()

    def __getattr__(self, name: str) -> Any:
        return getattr(self._transport, name)


def protocol_class(transports: Transports) -> type[asyncio.Protocol]:
    """uvicorn's httptools protocol on a corked transport, tracked in `transports`."""

    class SandboxProtocol(HttpToolsProtocol):
        def connection_made(self, transport: asyncio.BaseTransport) -> None:
            corked = CorkedTransport(transport)  # type: ignore[arg-type]
            super().connection_made(corked)  # type: ignore[arg-type]
            if self.client:
                transports[self.client] = corked  # type: ignore[assignment]

        def connection_lost(self, exc: Exception | None) -> None:
            if self.client:
                transports.pop(self.client, None)
            super().connection_lost(exc)

    return SandboxProtocol
