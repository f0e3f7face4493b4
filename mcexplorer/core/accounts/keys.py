"""Credentials and addressing: API keys, OAuth tokens, the datacenter, the base URL.

A secret never appears in an error message or a repr: only `mask()` output does.
"""

from __future__ import annotations

import base64
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
    if text != text.lower() and KEY_RE.match(text.lower()):
        return "the key has upper-case letters; Mailchimp keys are lower-case"
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


def provider_of_token(secret: str) -> Provider | None:
    """The provider a secret's shape names: MailerSend tokens start with `mlsn.`."""
    if secret.startswith("mlsn."):
        return Provider.MAILERSEND
    if KEY_RE.match(secret):
        return Provider.MAILCHIMP
    return None


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


def shown_url(url: str) -> str:
    """A URL fit for a message: whatever precedes '@' in its authority is left out."""
    scheme, sep, rest = url.partition("://")
    authority, slash, path = rest.partition("/")
    if "@" in authority:
        authority = "…@" + authority.rpartition("@")[2]
    return repr(scheme + sep + authority + slash + path) if sep else repr(url.rpartition("@")[2])


def normalize_base_url(url: str) -> str:
    """Check an override: https anywhere, plain http only to a loopback host, no credentials
    in it. Ends with '/'. The error never repeats a URL that holds userinfo."""
    try:
        parts = urlsplit(url)
        parts.port  # noqa: B018 - a port that is not a number raises here
    except ValueError as exc:
        raise BaseUrlError(f"Base URL {shown_url(url)} cannot be read as a URL ({exc}).") from None
    if "@" in parts.netloc:
        raise BaseUrlError(
            f"Base URL {shown_url(url)} holds a user name or password: auth comes from the "
            "profile (keys add), never from the URL. Give the URL without the part before '@'."
        )
    if parts.scheme not in ("http", "https") or not parts.hostname:
        raise BaseUrlError(f"Base URL {shown_url(url)} must be an http(s) URL with a host.")
    if any(ch.isspace() or not ch.isprintable() for ch in url):
        raise BaseUrlError(
            f"Base URL {shown_url(url)} has a space, line break or control character."
        )
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
            return {"Authorization": f"Basic {self._basic_token()}"}
        if self.kind is AuthKind.OAUTH:
            return {"Authorization": f"OAuth {self.secret}"}
        return {"Authorization": f"Bearer {self.secret}"}

    def _basic_token(self) -> str:
        return base64.b64encode(f"mcexplorer:{self.secret}".encode()).decode()

    def wire_forms(self) -> tuple[str, ...]:
        """The secret as it may come back from a server that echoes what it got: as is, and
        inside the Basic token (base64 has no separators, so only the whole token matches)."""
        if self.kind is AuthKind.API_KEY:
            return (self.secret, self._basic_token())
        return (self.secret,)
