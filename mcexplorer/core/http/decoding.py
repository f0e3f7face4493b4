"""Content-Encoding decoding with a ceiling on what comes out.

httpx's decoders inflate each piece of the body in full, so half a megabyte of gzip can
become 512 MB in memory before anyone can count it. These decoders stop one byte past the
cap (zlib's `max_length`), whatever the compression ratio.
"""

from __future__ import annotations

import zlib

STEP = 1 << 20  # inflate at most this much per call


class BodyTooLarge(Exception):
    """The body (as sent or once decoded) goes past the cap."""


class UndecodableBody(Exception):
    """The body's Content-Encoding is unknown here or its data is damaged."""


class _Inflate:
    """gzip or deflate (zlib-wrapped, or raw as some servers send it)."""

    def __init__(self, name: str) -> None:
        self.name = name
        wbits = zlib.MAX_WBITS | 16 if name in ("gzip", "x-gzip") else zlib.MAX_WBITS
        self._z = zlib.decompressobj(wbits)
        self._fed = False

    def feed(self, data: bytes, room: int) -> bytes:
        """What `data` inflates to, a step at a time, so no more than `room` plus one step
        is ever held."""
        pieces: list[bytes] = []
        size = 0
        while True:
            want = min(STEP, room - size + 1)
            out = self._inflate(data, want)
            pieces.append(out)
            size += len(out)
            if size > room:
                raise BodyTooLarge
            data = self._z.unconsumed_tail
            if not data and len(out) < want:  # all of it consumed, nothing held back
                return b"".join(pieces)

    def _inflate(self, data: bytes, want: int) -> bytes:
        try:
            out = self._z.decompress(data, want)
        except zlib.error as exc:
            if self.name == "deflate" and not self._fed:  # raw deflate, without the zlib header
                self._z = zlib.decompressobj(-zlib.MAX_WBITS)
                self._fed = True
                return self._inflate(data, want)
            raise UndecodableBody(f"the {self.name} data is damaged ({exc})") from None
        self._fed = True
        return out

    def finish(self, room: int) -> bytes:
        out = self._z.flush()
        if len(out) > room:
            raise BodyTooLarge
        if self._fed and not self._z.eof:
            raise UndecodableBody(f"the {self.name} data is cut short")
        return out


class BoundedDecoder:
    """Decodes a body as its Content-Encoding lists (applied in order, so undone in reverse)
    and refuses to hold more than `limit` bytes of it."""

    def __init__(self, content_encoding: str | None, limit: int) -> None:
        names = [n.strip().lower() for n in (content_encoding or "").split(",") if n.strip()]
        unknown = [n for n in names if n not in ("identity", "gzip", "x-gzip", "deflate")]
        if unknown:
            raise UndecodableBody(
                f"the server compressed the body with {unknown[0]!r}, which this client does "
                "not decode (it asks for gzip or deflate)"
            )
        self._stages = [_Inflate(n) for n in reversed(names) if n != "identity"]
        self._limit = limit
        self._parts: list[bytes] = []
        self._size = 0

    def feed(self, data: bytes) -> None:
        for stage in self._stages:
            data = stage.feed(data, self._limit - self._size)
        self._keep(data)

    def finish(self) -> bytes:
        tail = b""
        for stage in self._stages:
            room = self._limit - self._size
            # What an earlier stage still holds passes through the later ones.
            tail = stage.feed(tail, room) if tail else b""
            tail += stage.finish(room - len(tail))
        self._keep(tail)
        return b"".join(self._parts)

    def _keep(self, data: bytes) -> None:
        self._size += len(data)
        if self._size > self._limit:
            raise BodyTooLarge
        if data:
            self._parts.append(data)
