"""What a credential looks like, and taking credentials out of text before it is kept.

Two nets: anything *shaped* like a key or token (Mailchimp `<32 hex>-<dc>`, MailerSend
`mlsn.…`), and the secrets a session actually holds, in every form they take on the wire
(an OAuth token is opaque, and a server that echoes `Authorization: Basic …` sends back the
key in base64: only knowing the secret catches those).
"""

from __future__ import annotations

import re
from collections.abc import Iterable
from dataclasses import dataclass
from typing import Any
from urllib.parse import quote

REDACTED = "[redacted]"
# Mailchimp keys (<32 hex>-<dc>) and MailerSend tokens, in one pass over the text.
_SHAPES = r"\b[0-9a-f]{32}-[a-z]{2,4}[0-9]{1,3}\b|\bmlsn\.[0-9A-Za-z]{20,}"
_SECRET_SHAPES = re.compile(_SHAPES)
_SECRET_SHAPES_BYTES = re.compile(_SHAPES.encode())  # bodies: no decoding, binary ones too
# A header value that carries an auth scheme and something after it.
AUTH_VALUE_RE = re.compile(r"^\s*(basic|bearer|oauth|apikey)\s+\S", re.IGNORECASE)
# Names that say their value is a credential (an OAuth token is opaque: only its name tells).
# "auth" but not "author(s)": a template's author is not a credential.
SECRET_NAME = re.compile(r"(api_?key|token|secret|password|auth(?!ors?(?![a-z])))", re.IGNORECASE)
SECRET_HEADERS = frozenset(
    {"authorization", "proxy-authorization", "x-api-key", "api-key", "cookie", "set-cookie"}
)
# Shorter "secrets" would scrub ordinary words; every real key and token is far longer.
_MIN_SECRET = 8


def looks_secret(text: str) -> bool:
    return _SECRET_SHAPES.search(text) is not None


def redact_text(text: str) -> str:
    """Replace anything shaped like a key or token in free text."""
    return _SECRET_SHAPES.sub(REDACTED, text)


def secret_header(name: str, value: str) -> bool:
    """A header that carries a credential by its name or by its value."""
    return (
        name.lower() in SECRET_HEADERS
        or bool(AUTH_VALUE_RE.match(value))
        or (bool(SECRET_NAME.search(name)) and bool(value.strip()))
        or looks_secret(value)
    )


@dataclass(frozen=True)
class Scrubber:
    """Removes known secrets (exact strings) and key-shaped text."""

    secrets: tuple[str, ...] = ()

    @classmethod
    def of(cls, secrets: Iterable[str]) -> Scrubber:
        forms = {s for secret in secrets for s in (secret, quote(secret, safe=""))}
        # Longest first, so a secret inside another form is not half-replaced.
        return cls(tuple(sorted((s for s in forms if len(s) >= _MIN_SECRET), key=len)[::-1]))

    def text(self, text: str) -> str:
        if len(text) < _MIN_SECRET:  # nothing worth scrubbing fits (most values in a row)
            return text
        for secret in self.secrets:
            if secret in text:
                text = text.replace(secret, REDACTED)
        return redact_text(text)

    def data(self, data: bytes) -> bytes:
        for secret in self.secrets:
            raw = secret.encode("utf-8")
            if raw in data:
                data = data.replace(raw, REDACTED.encode())
        return _SECRET_SHAPES_BYTES.sub(REDACTED.encode(), data)

    def value(self, value: Any) -> Any:
        """A JSON-like value with every string (and key) scrubbed."""
        if isinstance(value, str):
            return self.text(value)
        if isinstance(value, dict):
            return {self.text(str(k)): self.value(v) for k, v in value.items()}
        if isinstance(value, list):
            return [self.value(v) for v in value]
        return value

    def headers(self, headers: dict[str, str]) -> dict[str, str]:
        return {
            name: REDACTED if name.lower() in SECRET_HEADERS else self.text(value)
            for name, value in headers.items()
        }
