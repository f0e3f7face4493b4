"""Credentials and addressing: API keys, OAuth tokens, the datacenter, the base URL.

A secret never appears in an error message or a repr: only `mask()` output does.
"""

from __future__ import annotations

import ipaddress
import re
from dataclasses import dataclass, field
from enum import StrEnum
from urllib.parse import urlsplit

KEY_RE = re.compile(r"^[0-9a-f]{32}-[a-z]{2,4}[0-9]{1,3}$")
DC_RE = re.compile(r"^[a-z]{2,4}[0-9]{1,3}$")
HEX_RE = re.compile(r"^[0-9a-f]{32}$")
MAILERSEND_BASE = "https://api.mailersend.com/v1/"


class KeyFormatError(ValueError):
    """The text given as a key or token cannot be one. The message never holds the secret."""


class BaseUrlError(ValueError):
    """A base URL that we refuse to send credentials to."""


class Provider(StrEnum):
    MAILCHIMP = "mailchimp"
    MAILERSEND = "mailersend"


class AuthKind(StrEnum):
    API_KEY = "api_key"
    OAUTH = "oauth"
    TOKEN = "token"  # MailerSend API token (Bearer)


def mask(secret: str) -> str:
    """Enough to tell two keys apart, never enough to use one: `…a1b2-us6`."""
    head, sep, dc = secret.rpartition("-")
    if sep and DC_RE.match(dc) and len(head) >= 4:
        return f"…{head[-4:]}-{dc}"
    return f"…{secret[-4:]}" if len(secret) >= 12 else "…"


def _describe_problem(text: str) -> str:
    if not text:
        return "the key is empty"
    if text != text.strip():
        return "the key has spaces or a line break around it"
    if any(ch.isspace() for ch in text):
        return "the key contains a space or a line break"
    head, sep, dc = text.rpartition("-")
    if not sep:
        return (
            "the key has no '-<dc>' suffix (expected 32 hex characters, '-', a datacenter like us6)"
        )
    if not DC_RE.match(dc):
        return "the part after the last '-' is not a datacenter like us6"
    if len(head) != 32:
        return f"the part before '-{dc}' has {len(head)} characters, expected 32"
    if not HEX_RE.match(head):
        if HEX_RE.match(head.lower()):
            return "the key has upper-case letters; Mailchimp keys are lower-case hex"
        return "the part before the datacenter is not hexadecimal"
    return "the key is not in the form <32 hex>-<dc>"


def parse_api_key(text: str) -> str:
    """Return the key's datacenter, or raise KeyFormatError saying what is wrong."""
    if KEY_RE.match(text):
        return text.rpartition("-")[2]
    raise KeyFormatError(f"Not a Mailchimp API key: {_describe_problem(text)}.")


def check_token(text: str) -> None:
    """An OAuth access token or MailerSend token: opaque, but one line with no spaces."""
    if not text:
        raise KeyFormatError("The token is empty.")
    if any(ch.isspace() for ch in text):
        raise KeyFormatError("The token contains a space or a line break.")


def check_dc(dc: str) -> str:
    if not DC_RE.match(dc):
        raise KeyFormatError(f"{dc!r} is not a datacenter name like us6.")
    return dc


def is_loopback(host: str) -> bool:
    if host == "localhost":
        return True
    try:
        return ipaddress.ip_address(host.strip("[]")).is_loopback
    except ValueError:
        return False


def normalize_base_url(url: str) -> str:
    """Check an override: https anywhere, plain http only to a loopback host. Ends with '/'."""
    parts = urlsplit(url)
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BaseUrlError(f"Base URL {url!r} must be an http(s) URL with a host.")
    if parts.scheme == "http" and not is_loopback(parts.hostname):
        raise BaseUrlError(
            f"Refusing plain http:// to {parts.hostname}: credentials would cross the network "
            "unencrypted. Use https://, or http:// only for a loopback host."
        )
    return url if url.endswith("/") else url + "/"


def mailchimp_base_url(dc: str) -> str:
    return f"https://{check_dc(dc)}.api.mailchimp.com/3.0/"


def dc_of_host(url: str) -> str | None:
    """`us6` for https://us6.api.mailchimp.com/3.0/, None for hosts without a dc."""
    host = urlsplit(url).hostname or ""
    first = host.split(".", 1)[0]
    return first if host.endswith(".api.mailchimp.com") and DC_RE.match(first) else None


@dataclass(frozen=True)
class Credentials:
    """What the engine needs to authenticate; the secret is excluded from repr."""

    provider: Provider
    kind: AuthKind
    secret: str = field(repr=False)
    dc: str | None = None

    @classmethod
    def api_key(cls, key: str) -> Credentials:
        return cls(Provider.MAILCHIMP, AuthKind.API_KEY, key, parse_api_key(key))

    @classmethod
    def oauth(cls, token: str, dc: str) -> Credentials:
        check_token(token)
        return cls(Provider.MAILCHIMP, AuthKind.OAUTH, token, check_dc(dc))

    @classmethod
    def mailersend(cls, token: str) -> Credentials:
        check_token(token)
        return cls(Provider.MAILERSEND, AuthKind.TOKEN, token)

    @property
    def masked(self) -> str:
        return mask(self.secret)

    def default_base_url(self) -> str:
        if self.provider is Provider.MAILERSEND:
            return MAILERSEND_BASE
        assert self.dc is not None
        return mailchimp_base_url(self.dc)

    def auth_headers(self) -> dict[str, str]:
        if self.kind is AuthKind.API_KEY:
            import base64

            token = base64.b64encode(f"mcexplorer:{self.secret}".encode()).decode()
            return {"Authorization": f"Basic {token}"}
        if self.kind is AuthKind.OAUTH:
            return {"Authorization": f"OAuth {self.secret}"}
        return {"Authorization": f"Bearer {self.secret}"}
