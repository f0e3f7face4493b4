"""Diagnosis: what most likely went wrong with *this* request, using what we know around it
(the key's datacenter, the host, the user's role, how many of our slots were busy, the method).

The glossary says what an error means in general; these sentences apply it to the case at hand.
"""

from __future__ import annotations

from dataclasses import dataclass

from mcexplorer.core.problems.glossary import Glossary, GlossaryEntry, provider_of
from mcexplorer.core.problems.problem import Problem

ACCOUNT_CONNECTIONS = 10  # Mailchimp processes at most this many requests per user at once
NON_IDEMPOTENT = frozenset({"POST", "PATCH"})
LIMITED_ROLES = {
    "viewer": "a viewer can only read",
    "author": "an author can work on campaigns and content but not manage audiences or the account",
}
SUFFICIENT_ROLES = frozenset({"owner", "admin", "manager"})
# Entries for which "wait and retry" is wrong advice: the answer will not change by itself.
NOT_TRANSIENT = frozenset({"mc-compliance-related", "mc-too-many-batch-webhooks"})


@dataclass(frozen=True)
class DiagnosisContext:
    key_dc: str | None = None  # the datacenter the key names (after its last '-')
    host_dc: str | None = None  # the datacenter of the host the request went to
    role: str | None = None  # the key user's role from the API root
    in_use: int | None = None  # our slots busy when the answer came
    limit: int | None = None  # our slot limit at that moment
    base_url: str | None = None
    method: str | None = None  # the request's HTTP method


def _datacenter(problem: Problem, entry: GlossaryEntry | None, ctx: DiagnosisContext) -> list[str]:
    if problem.status not in (401, 403) or not ctx.key_dc:
        return []
    url = f"https://{ctx.key_dc}.api.mailchimp.com/3.0/"
    if ctx.host_dc and ctx.host_dc != ctx.key_dc:
        return [
            f"The key belongs to datacenter {ctx.key_dc} but the request went to {ctx.host_dc}: "
            f"send it to {url} instead."
        ]
    if entry is not None and entry.key == "mc-wrong-datacenter":
        return [f"The key names datacenter {ctx.key_dc}, so its API lives at {url}."]
    if ctx.host_dc == ctx.key_dc and problem.status == 401:
        return [
            f"The key and the host agree on datacenter {ctx.key_dc}, so the key itself is "
            "wrong, revoked or disabled."
        ]
    return []


def _firewall(problem: Problem) -> list[str]:
    if problem.kind != "firewall-html":
        return []
    if problem.reference:
        return [
            "The edge firewall blocked this request before it reached the API "
            f"(Reference #{problem.reference}).",
            "Stop the loop that was sending, then give that reference number to Mailchimp "
            "support and ask for the block to be lifted.",
        ]
    return [
        "The edge firewall blocked this request before it reached the API; the page carried "
        "no reference number, so note the time and your public IP address for support."
    ]


def _role(problem: Problem, entry: GlossaryEntry | None, ctx: DiagnosisContext) -> list[str]:
    if problem.status != 403 or problem.kind in ("firewall-html", "empty"):
        return []
    if entry is not None and entry.key in ("mc-user-disabled", "mc-authorization-failure"):
        return []
    role = (ctx.role or "").lower()
    if role in LIMITED_ROLES:
        return [
            f"The key's user has the {role} role and {LIMITED_ROLES[role]}: "
            "use a key created by a manager, admin or owner for this operation."
        ]
    if role in SUFFICIENT_ROLES:
        return [
            f"The key's user is {'an' if role in ('owner', 'admin') else 'a'} {role}, so the "
            "role is probably not the cause: check the account's plan and state instead."
        ]
    return ["The key's role is not known yet: GET the API root (/3.0/) and read its role field."]


def _throttle(problem: Problem, entry: GlossaryEntry | None, ctx: DiagnosisContext) -> list[str]:
    if problem.kind == "empty" and problem.status in (403, 429):
        lines = [
            f"A {problem.status} with no body is how the API refuses requests at very high "
            "volume: read it as throttling, not as a permission problem."
        ]
    elif problem.status == 429:
        lines = []
    else:
        return []
    if entry is not None and entry.key == "mc-too-many-batch-webhooks":
        return [
            "This 429 is about batch webhook deliveries waiting (500 or more), not about "
            "concurrency: wait for them to drain before starting another batch."
        ]
    if ctx.in_use is not None:
        if ctx.in_use >= ACCOUNT_CONNECTIONS - 1:
            lines.append(
                f"{ctx.in_use} of our requests were in flight, at the account's limit of "
                f"{ACCOUNT_CONNECTIONS}: our own concurrency caused this; lower it or move bulk "
                "work to Batch Operations."
            )
        elif ctx.in_use <= ACCOUNT_CONNECTIONS // 2:
            lines.append(
                f"Only {ctx.in_use} of our requests were in flight, well under the account's "
                f"{ACCOUNT_CONNECTIONS}: another app or integration using the same Mailchimp "
                "user is holding the other connections."
            )
        else:
            lines.append(
                f"{ctx.in_use} of our requests were in flight: together with another app using "
                f"the same Mailchimp user that reaches the account's {ACCOUNT_CONNECTIONS}."
            )
    if ctx.limit is not None and ctx.limit > ACCOUNT_CONNECTIONS:
        lines.append(
            f"Our slot limit is {ctx.limit}, above the {ACCOUNT_CONNECTIONS} the account allows: "
            f"set it to {ACCOUNT_CONNECTIONS} or fewer."
        )
    lines.append("A 429 is refused before processing, so repeating it later is safe, even a POST.")
    return lines


def _mailersend_limits(problem: Problem, entry: GlossaryEntry | None) -> list[str]:
    if entry is not None and entry.key == "ms-daily-quota":
        refill = problem.quota_reset or "midnight UTC"
        return [
            f"The daily request quota is used up; it refills at {refill}. Retrying before then "
            "only fails again (and per-minute waits will not help)."
        ]
    if entry is not None and entry.key == "ms-rate-limit":
        wait = f"{problem.retry_after_s:g} s" if problem.retry_after_s is not None else "a minute"
        return [
            f"This is the per-minute rate limit, not the daily quota: wait {wait} and try again."
        ]
    return []


def _unsure_write(
    problem: Problem, entry: GlossaryEntry | None, ctx: DiagnosisContext
) -> list[str]:
    status = problem.status
    unknown = problem.kind == "transport" and problem.title != "Connection Failed"
    if not (unknown or (status is not None and status >= 500)):
        return []
    if entry is not None and entry.key in NOT_TRANSIENT:
        return []
    method = (ctx.method or "").upper()
    if method in NON_IDEMPOTENT:
        return [
            f"A {method} that ended this way may or may not have been applied: read the "
            "resource to check before sending it again (or use an idempotent PUT where one "
            "exists)."
        ]
    if method:
        wait = (
            f" after the {problem.retry_after_s:g} s the server asked for"
            if problem.retry_after_s is not None
            else " with backoff"
        )
        return [f"A {method} is safe to repeat: retry it{wait}."]
    return []


def _plain_http(problem: Problem, ctx: DiagnosisContext) -> list[str]:
    if problem.status == 426 and ctx.base_url and ctx.base_url.startswith("http://"):
        return [f"The base URL {ctx.base_url} uses plain http: switch it to https://."]
    return []


def _fallback(problem: Problem, entry: GlossaryEntry | None) -> list[str]:
    # With a glossary entry the views already list its causes: repeating them
    # here would say the same thing twice.
    if entry is not None:
        return []
    status = problem.status
    if status is not None and 500 <= status < 600:
        return ["The server failed while handling the request; the request itself may be fine."]
    if status is not None and 400 <= status < 500:
        return ["The server refused the request as sent: read the detail text for the reason."]
    return ["The request did not get a normal answer; see the detail text."]


def diagnose(problem: Problem, ctx: DiagnosisContext) -> list[str]:
    """What the context says about this failure, most likely first; [] when it adds nothing."""
    entry = Glossary.load().lookup(problem)
    lines = _firewall(problem)
    if provider_of(problem) == "mailersend":
        lines += _mailersend_limits(problem, entry)
    else:
        lines += _datacenter(problem, entry, ctx)
        lines += _role(problem, entry, ctx) if not lines else []
        lines += _throttle(problem, entry, ctx)
        lines += _plain_http(problem, ctx)
    lines += _unsure_write(problem, entry, ctx)
    return lines or _fallback(problem, entry)
