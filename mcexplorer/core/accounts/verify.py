"""Checking that credentials work before they are saved, and finding an OAuth token's dc.

Verification is one GET through the engine: the API root for Mailchimp (account name and
role), the API quota for MailerSend (which does not count against the quota).
"""

from __future__ import annotations

from dataclasses import dataclass
from typing import Any
from urllib.parse import urlsplit

import httpx

from mcexplorer.core.accounts.keys import (
    BaseUrlError,
    Credentials,
    Provider,
    check_dc,
    check_token,
    normalize_base_url,
)
from mcexplorer.core.http.engine import Engine
from mcexplorer.core.http.request import ApiRequest
from mcexplorer.core.http.retry import RetryPolicy

OAUTH_METADATA_URL = "https://login.mailchimp.com/oauth2/metadata"
ROOT_FIELDS = "account_name,role,email,login_id"


class VerifyError(Exception):
    """The credentials could not be confirmed; the message says what the server or network said."""


@dataclass(frozen=True)
class AccountInfo:
    account_name: str | None
    role: str | None
    email: str | None
    summary: str  # one line for a person, e.g. "account 'Acme' (role: owner)"


@dataclass(frozen=True)
class OAuthMetadata:
    dc: str
    role: str | None
    account_name: str | None
    api_endpoint: str | None


def _text(data: dict[str, Any], key: str) -> str | None:
    value = data.get(key)
    return str(value) if value is not None else None


async def verify_credentials(
    credentials: Credentials,
    base_url: str,
    *,
    transport: httpx.AsyncBaseTransport | None = None,
    attempts: int = 2,
) -> AccountInfo:
    """GET the account through the engine; raises VerifyError naming the cause."""
    if credentials.provider is Provider.MAILERSEND:
        request = ApiRequest("GET", "/api-quota")
    else:
        request = ApiRequest("GET", "/", query={"fields": ROOT_FIELDS})
    policy = RetryPolicy(max_attempts=attempts, deadline_s=30.0)
    async with Engine(base_url, credentials, transport=transport, policy=policy) as engine:
        outcome = await engine.send(request)
    if not outcome.ok:
        problem = outcome.problem
        what = f"{problem.title}: {problem.detail}" if problem else "no answer"
        status = f"HTTP {outcome.status}" if outcome.status else "no response"
        raise VerifyError(f"Verification failed at {outcome.url} ({status}) - {what}".rstrip(": "))
    data = outcome.json()
    if not isinstance(data, dict):
        raise VerifyError(f"Verification got a non-object answer from {outcome.url}.")
    if credentials.provider is Provider.MAILERSEND:
        remaining, quota = data.get("remaining"), data.get("quota")
        return AccountInfo(
            None, None, None, f"MailerSend token accepted (quota {remaining}/{quota})"
        )
    name, role = _text(data, "account_name"), _text(data, "role")
    return AccountInfo(name, role, _text(data, "email"), f"account '{name}' (role: {role})")


async def oauth_metadata(
    token: str,
    *,
    url: str = OAUTH_METADATA_URL,
    transport: httpx.AsyncBaseTransport | None = None,
    timeout_s: float = 10.0,
) -> OAuthMetadata:
    """Ask Mailchimp's login service which datacenter an OAuth token belongs to."""
    check_token(token)
    try:
        normalize_base_url(url)  # https, or plain http only to loopback
    except BaseUrlError as exc:
        raise VerifyError(str(exc)) from None
    host = urlsplit(url).hostname
    try:
        async with httpx.AsyncClient(transport=transport, timeout=timeout_s) as client:
            response = await client.get(url, headers={"Authorization": f"OAuth {token}"})
    except httpx.HTTPError as exc:
        raise VerifyError(
            f"Could not reach {host} to look up the token's datacenter ({type(exc).__name__}); "
            "give it with --dc."
        ) from None
    try:
        data = response.json()
    except ValueError:
        data = None
    if not isinstance(data, dict):
        raise VerifyError(f"{host} answered HTTP {response.status_code} without JSON; use --dc.")
    if "error" in data:
        # The metadata endpoint answers 200 with {"error": "invalid_token"} for a bad token.
        raise VerifyError(f"{host} rejected the OAuth token ({data['error']}).")
    try:
        dc = check_dc(str(data.get("dc", "")))
    except ValueError:
        raise VerifyError(f"{host} gave no usable datacenter; use --dc.") from None
    return OAuthMetadata(
        dc, _text(data, "role"), _text(data, "accountname"), _text(data, "api_endpoint")
    )
