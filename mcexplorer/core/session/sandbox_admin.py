"""Switching a local sandbox's fault profile while the explorer runs (demos, support).

The sandbox's admin endpoint answers only on its own loopback address, so this refuses any
other target before sending anything.
"""

from __future__ import annotations

from urllib.parse import urlsplit, urlunsplit

import httpx

from mcexplorer.core.accounts.keys import is_loopback


class SandboxAdminError(Exception):
    """The profile could not be switched; the message says why."""


def faults_url(api_url: str) -> str:
    parts = urlsplit(api_url)
    if parts.scheme != "http" or not is_loopback(parts.hostname or ""):
        raise SandboxAdminError(
            "fault profiles are a sandbox feature: this account's server is not a sandbox "
            "on this machine"
        )
    return urlunsplit((parts.scheme, parts.netloc, "/_sandbox/faults", "", ""))


async def set_fault_profile(api_url: str, profile: str) -> None:
    url = faults_url(api_url)
    # trust_env=False: a proxy from the environment must not see loopback admin calls.
    async with httpx.AsyncClient(trust_env=False, timeout=5.0) as client:
        try:
            response = await client.put(url, json={"profile": profile})
        except httpx.HTTPError as exc:
            raise SandboxAdminError(f"the sandbox did not answer ({exc})") from exc
    if response.status_code != 200:
        detail = response.text[:200].strip() or f"HTTP {response.status_code}"
        raise SandboxAdminError(f"the sandbox refused profile {profile!r}: {detail}")
