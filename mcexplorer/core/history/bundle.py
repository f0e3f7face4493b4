"""A support bundle: one Markdown file about one history entry, readable on its own.

It leads with a summary a support engineer can scan, explains the problem (glossary and
diagnosis), shows the request as curl with the key as an environment-variable reference,
the response, the attempts timeline, and ends with the same facts as a JSON appendix.
"""

from __future__ import annotations

import re
from dataclasses import replace
from pathlib import Path
from typing import Any
from urllib.parse import urlsplit

from mcexplorer import __version__
from mcexplorer.core import jsontext
from mcexplorer.core.accounts.keys import AuthKind, Credentials, Provider, is_loopback
from mcexplorer.core.accounts.target import ENV_FOR_PROVIDER
from mcexplorer.core.atomic import atomic_write_text
from mcexplorer.core.history.store import HistoryEntry
from mcexplorer.core.http.curl import to_curl
from mcexplorer.core.http.request import TRIGGER_HEADER, RequestInvalid
from mcexplorer.core.problems.glossary import Glossary, GlossaryEntry
from mcexplorer.core.redact import SECRET_HEADERS, redact_text
from mcexplorer.core.session.explain import explain

BUNDLE_FORMAT = "mcexplorer.bundle/1"
_OAUTH_ENV = "MAILCHIMP_OAUTH_TOKEN"


def _fence(text: str, lang: str = "") -> str:
    """A code fence longer than any run of backticks inside, so the body cannot break out."""
    longest = max((len(m) for m in re.findall(r"`+", text)), default=0)
    ticks = "`" * max(3, longest + 1)
    return f"{ticks}{lang}\n{text.rstrip()}\n{ticks}"


def _cell(value: Any) -> str:
    return str(value).replace("|", "\\|").replace("\n", " ") if value not in (None, "") else "—"


def _curl(entry: HistoryEntry) -> str:
    """The request as curl; the secret is a `$VAR` the reader fills in."""
    kind = AuthKind(entry.auth_kind) if entry.auth_kind else None
    creds: Credentials | None = None
    env_var = ENV_FOR_PROVIDER[Provider.MAILCHIMP]
    if kind is not None:
        provider = Provider.MAILERSEND if kind is AuthKind.TOKEN else Provider.MAILCHIMP
        # A placeholder with no secret: to_curl only needs the kind to write "$VAR".
        creds = Credentials(provider, kind, "", entry.dc)
        env_var = _OAUTH_ENV if kind is AuthKind.OAUTH else ENV_FOR_PROVIDER[provider]
    headers = {
        k: v for k, v in entry.outcome.request.headers.items() if k.lower() not in SECRET_HEADERS
    }
    req = replace(entry.outcome.request, headers=headers)
    base = entry.base_url or entry.outcome.url
    try:
        return to_curl(req, base, creds, env_var)
    except RequestInvalid as exc:
        return f"# could not rebuild the command: {exc}"


def _body_block(entry: HistoryEntry) -> str:
    if not entry.outcome.body:
        return "_(empty body)_"
    kept = len(entry.outcome.body)
    note = (
        f"\n\n_Body truncated: {kept} of {entry.body_size} bytes kept in history._"
        if entry.body_truncated
        else ""
    )
    try:
        pretty = jsontext.dumps(jsontext.loads(entry.outcome.body), indent=2)
        return _fence(pretty, "json") + note
    except ValueError:
        return _fence(entry.outcome.body.decode("utf-8", "replace")) + note


def _outcome_words(entry: HistoryEntry) -> str:
    if entry.outcome.unknown_outcome:
        return "unknown: the request may or may not have been applied (no answer received)"
    if entry.outcome.ok:
        return "succeeded"
    return "failed" + (f" ({entry.outcome.gave_up})" if entry.outcome.gave_up else "")


def _timeline(entry: HistoryEntry) -> str:
    if not entry.outcome.attempts:
        return "_(no attempt events recorded)_"
    start = entry.outcome.attempts[0].t
    rows = ["| +ms | attempt | event | status | details |", "|---:|---:|---|---|---|"]
    for event in entry.outcome.attempts:
        details = [
            f"{name}={value}"
            for name, value in (
                ("elapsed_ms", event.elapsed_ms),
                ("delay_s", event.delay_s),
                ("retry_after_s", event.retry_after_s),
                ("reason", event.reason),
                ("error", event.error),
                ("sent", event.sent),
                ("slots", f"{event.in_use}/{event.limit}" if event.limit is not None else None),
            )
            if value is not None
        ]
        rows.append(
            f"| {(event.t - start) * 1000:.1f} | {event.attempt} | {event.kind.value} | "
            f"{_cell(event.status)} | {_cell(', '.join(details))} |"
        )
    return "\n".join(rows)


def _problem_section(entry: HistoryEntry, glossary: Glossary) -> tuple[str, GlossaryEntry | None]:
    problem = entry.outcome.problem
    if problem is None:
        return "No problem: the API answered with a success status.", None
    lines = [f"**{problem.title}**" + (f" ({problem.status})" if problem.status else "")]
    if problem.detail:
        lines.append(f"\n> {problem.detail}")
    facts = [
        ("Kind of error body", problem.kind),
        ("Type", problem.type),
        ("Instance", problem.instance),
        ("Reference", problem.reference),
        ("Code", problem.code),
        ("Retry-After (s)", problem.retry_after_s),
    ]
    lines += ["", *[f"- {name}: {value}" for name, value in facts if value]]
    if problem.errors:
        lines += ["", "Field errors:", *[f"- `{e.field}`: {e.message}" for e in problem.errors]]
    explained = explain(entry.outcome, base_url=entry.base_url, key_dc=entry.dc, glossary=glossary)
    found = explained.entry if explained else None
    if found is not None:
        lines += ["", f"### What it means ({found.title})", "", found.meaning]
        if found.causes:
            lines += ["", "Likely causes:", *[f"- {c}" for c in found.causes]]
        if found.next_steps:
            lines += ["", "What to try:", *[f"{i}. {s}" for i, s in enumerate(found.next_steps, 1)]]
    hints = explained.hints if explained else []
    if hints:
        lines += ["", "### Diagnosis", "", *[f"- {h}" for h in hints]]
    return "\n".join(lines), found


def _target_words(entry: HistoryEntry) -> str:
    host = urlsplit(entry.base_url).hostname or ""
    if is_loopback(host):
        return f"a local server ({host}), such as mcexplorer's sandbox: not the real API"
    return host


def _simulated_words(entry: HistoryEntry) -> str:
    """Support must not chase an error the user asked for."""
    headers = {k.lower(): v for k, v in entry.outcome.request.headers.items()}
    asked = headers.get(TRIGGER_HEADER.lower())
    if asked:
        return f"yes: the request asked for it ({TRIGGER_HEADER}: {asked})"
    return "no"


def render_bundle(entry: HistoryEntry, glossary: Glossary | None = None) -> str:
    glossary = glossary or Glossary.load()
    problem_text, found = _problem_section(entry, glossary)
    status = f"{entry.outcome.status}" if entry.outcome.status is not None else "no response"
    headline = f"{entry.outcome.method} {entry.outcome.url} → {status}"
    if entry.outcome.problem:
        headline += f" {entry.outcome.problem.title}"
    summary = [
        ("Started", entry.outcome.started_at),
        ("Recorded", entry.recorded_at),
        ("Request", f"{entry.outcome.method} {entry.outcome.url}"),
        ("Target", _target_words(entry)),
        ("Status", status),
        ("Simulated error", _simulated_words(entry)),
        ("Outcome", _outcome_words(entry)),
        ("Elapsed", f"{entry.outcome.elapsed_ms:.0f} ms"),
        ("Attempts", len({a.attempt for a in entry.outcome.attempts})),
        ("X-Request-Id", entry.outcome.x_request_id),
        ("Problem instance", entry.outcome.problem.instance if entry.outcome.problem else None),
        ("Datacenter", entry.dc),
        ("Profile", entry.profile),
        ("Auth", entry.auth_kind),
        ("Client", f"mcexplorer {__version__}"),
        ("History entry", entry.id),
    ]
    appendix = {
        "format": BUNDLE_FORMAT,
        "client_version": __version__,
        "glossary_key": found.key if found else None,
        "entry": entry.to_dict(),
    }
    headers = "\n".join(f"{k}: {v}" for k, v in sorted(entry.outcome.headers.items()))
    parts = [
        f"# Support bundle: {headline}",
        "",
        "Written by mcexplorer from one entry of its request history. Credentials are not "
        "included: the curl command reads the key from an environment variable.",
        "",
        "| | |",
        "|---|---|",
        *[f"| {name} | {_cell(value)} |" for name, value in summary],
        "",
        "## Problem",
        "",
        problem_text,
        "",
        "## Request",
        "",
        _fence(_curl(entry), "sh"),
        "",
        _fence(jsontext.dumps(entry.outcome.request.to_dict(), indent=2), "json"),
        "",
        "## Response",
        "",
        _fence(headers or "(no headers)", "http"),
        "",
        _body_block(entry),
        "",
        "## Attempts timeline",
        "",
        _timeline(entry),
        "",
        "## Appendix: machine-readable copy",
        "",
        _fence(jsontext.dumps(appendix, indent=2), "json"),
        "",
    ]
    return redact_text("\n".join(parts))


def write_bundle(
    entry: HistoryEntry, path: Path, glossary: Glossary | None = None, *, overwrite: bool = True
) -> None:
    """Write the bundle; with `overwrite=False` an existing file is left alone
    (FileExistsError)."""
    atomic_write_text(path, render_bundle(entry, glossary), overwrite=overwrite)
