"""Turning a failed response (or a failed connection) into one readable `Problem`.

Mailchimp answers with RFC 7807 problem documents; MailerSend with Laravel-style
`{message, errors: {field: [..]}}`; the CDN and its firewall with HTML; a throttled burst
sometimes with nothing at all. Whatever arrives, the decoder never raises: hostile or broken
bodies degrade to a Problem titled after the status.
"""

from __future__ import annotations

import json
import math
import re
from collections.abc import Mapping
from dataclasses import dataclass
from datetime import UTC, datetime
from email.utils import parsedate_to_datetime
from http import HTTPStatus
from typing import Any

from mcexplorer.core.problems.html_errors import (
    find_reference,
    is_firewall_block,
    looks_like_html,
    read_page,
)

KINDS = (
    "problem+json",
    "json",
    "mailersend",
    "firewall-html",
    "cdn-html",
    "html",
    "empty",
    "text",
    "transport",
)
BODY_CAP = 256 * 1024  # bodies above this are not parsed: real error documents are tiny
DETAIL_CAP = 2000
TITLE_CAP = 200
ERRORS_CAP = 100  # field errors kept from one response
_MS_CODE_RE = re.compile(r"#\s*(MS\d{3,6})\b")
_SECONDS_RE = re.compile(r"^\d{1,12}(\.\d{1,6})?$")


@dataclass(frozen=True)
class FieldError:
    field: str
    message: str


@dataclass(frozen=True)
class Problem:
    status: int | None
    title: str
    detail: str = ""
    type: str = ""
    instance: str = ""
    errors: tuple[FieldError, ...] = ()
    kind: str = "problem+json"
    reference: str | None = None  # the edge firewall's / CDN's "Reference #…"
    code: str | None = None  # MailerSend "#MS42207" -> "MS42207"
    retry_after_s: float | None = None
    quota_reset: str | None = None  # MailerSend x-apiquota-reset: when the daily quota refills

    def to_dict(self) -> dict[str, Any]:
        return {
            "status": self.status,
            "title": self.title,
            "detail": self.detail,
            "type": self.type,
            "instance": self.instance,
            "errors": [{"field": e.field, "message": e.message} for e in self.errors],
            "kind": self.kind,
            "reference": self.reference,
            "code": self.code,
            "retry_after_s": self.retry_after_s,
            "quota_reset": self.quota_reset,
        }

    @classmethod
    def from_dict(cls, d: Mapping[str, Any]) -> Problem:
        status = d.get("status")
        retry = d.get("retry_after_s")
        return cls(
            status=status if isinstance(status, int) and not isinstance(status, bool) else None,
            title=str(d.get("title") or ""),
            detail=str(d.get("detail") or ""),
            type=str(d.get("type") or ""),
            instance=str(d.get("instance") or ""),
            errors=_field_errors(d.get("errors")),
            kind=str(d.get("kind") or "problem+json"),
            reference=_optional_str(d.get("reference")),
            code=_optional_str(d.get("code")),
            retry_after_s=float(retry) if isinstance(retry, int | float) else None,
            quota_reset=_optional_str(d.get("quota_reset")),
        )


def _optional_str(value: Any) -> str | None:
    return None if value is None else str(value)


def reason_phrase(status: int | None) -> str:
    if status is None:
        return "No response"
    if status == 426:
        return "Upgrade Required"  # Mailchimp sends "426 Unknown"; the meaning is this
    try:
        return HTTPStatus(status).phrase
    except ValueError:
        return f"HTTP {status}"


def _short(value: Any, cap: int) -> str:
    """A readable one-field string from any JSON value, capped."""
    if isinstance(value, str):
        text = value
    elif value is None:
        text = ""
    else:
        try:
            text = json.dumps(value, ensure_ascii=False)[: cap + 1]
        except (ValueError, RecursionError):
            text = "…"
    return text if len(text) <= cap else text[: cap - 1] + "…"


def _field_errors(raw: Any) -> tuple[FieldError, ...]:
    """Mailchimp: a list of {field, message}; MailerSend: {field: [messages]}; anything else
    is kept as best we can rather than dropped."""
    found: list[FieldError] = []
    if isinstance(raw, list):
        for item in raw[:ERRORS_CAP]:
            if isinstance(item, Mapping):
                found.append(
                    FieldError(_short(item.get("field"), 200), _short(item.get("message"), 500))
                )
            else:
                found.append(FieldError("", _short(item, 500)))
    elif isinstance(raw, Mapping):
        for name, messages in list(raw.items())[:ERRORS_CAP]:
            items = messages if isinstance(messages, list) else [messages]
            found += [FieldError(_short(name, 200), _short(m, 500)) for m in items[:ERRORS_CAP]]
    elif raw not in (None, "", 0, False):
        found.append(FieldError("", _short(raw, 500)))
    return tuple(found[:ERRORS_CAP])


def _lower_headers(headers: Mapping[str, str]) -> dict[str, str]:
    lowered: dict[str, str] = {}
    try:
        for name, value in headers.items():
            lowered[str(name).lower()] = str(value)
    except (AttributeError, TypeError):
        return {}
    return lowered


def parse_retry_after(value: str | None, *, now: datetime | None = None) -> float | None:
    """Retry-After as seconds from now: delta-seconds or an HTTP date; None when unreadable."""
    if not value:
        return None
    text = value.strip()
    if _SECONDS_RE.match(text):
        return float(text)
    try:
        when = parsedate_to_datetime(text)
    except (TypeError, ValueError, IndexError, OverflowError):
        return None
    if when.tzinfo is None:
        when = when.replace(tzinfo=UTC)
    delta = (when - (now or datetime.now(UTC))).total_seconds()
    return max(0.0, delta) if math.isfinite(delta) else None


def _decode_text(body: bytes) -> str:
    try:
        return body.decode("utf-8")
    except UnicodeDecodeError:
        return body.decode("utf-8", errors="replace")


def _load_json(text: str) -> tuple[bool, Any]:
    try:
        return True, json.loads(text)
    except (ValueError, RecursionError):  # bad JSON, too deep, or an int over 4300 digits
        return False, None


def _mailersend_code(message: str, errors: tuple[FieldError, ...]) -> str | None:
    for text in (message, *(e.message for e in errors)):
        match = _MS_CODE_RE.search(text)
        if match:
            return match.group(1)
    return None


def _from_json(status: int, content_type: str, data: Any) -> dict[str, Any]:
    phrase = reason_phrase(status)
    if not isinstance(data, Mapping):
        return {"title": phrase, "detail": _short(data, DETAIL_CAP), "kind": "json"}
    is_problem = any(k in data for k in ("title", "type", "detail", "instance"))
    if not is_problem and "message" in data:
        message = _short(data.get("message"), DETAIL_CAP)
        errors = _field_errors(data.get("errors"))
        return {
            "title": phrase,
            "detail": message,
            "errors": errors,
            "kind": "mailersend",
            "code": _mailersend_code(message, errors),
        }
    if not is_problem:
        return {"title": phrase, "detail": _short(dict(data), DETAIL_CAP), "kind": "json"}
    title = " ".join(_short(data.get("title"), TITLE_CAP).split())
    return {
        "title": title or phrase,
        "detail": _short(data.get("detail"), DETAIL_CAP),
        "type": _short(data.get("type"), 500),
        "instance": _short(data.get("instance"), 200),
        "errors": _field_errors(data.get("errors")),
        "kind": "problem+json" if "problem+json" in content_type else "json",
    }


def _from_markup(status: int, text: str) -> dict[str, Any]:
    page = read_page(text[:BODY_CAP])
    if page.firewall_block:
        return {
            "title": "Access Denied",
            "detail": page.text,
            "kind": "firewall-html",
            "reference": page.reference,
        }
    # A 502 page comes from the CDN in front of the API; its heading is generic, the status not.
    if status == 502:
        kind, title = "cdn-html", reason_phrase(status)
    else:
        kind, title = "html", page.heading or reason_phrase(status)
    return {"title": title, "detail": page.text, "kind": kind, "reference": page.reference}


def _from_text(status: int, text: str) -> dict[str, Any]:
    if is_firewall_block(text):
        return {
            "title": "Access Denied",
            "detail": text[:DETAIL_CAP],
            "kind": "firewall-html",
            "reference": find_reference(text),
        }
    snippet = " ".join(text[: DETAIL_CAP * 2].split())
    return {"title": reason_phrase(status), "detail": _short(snippet, DETAIL_CAP), "kind": "text"}


def decode_problem(
    status: int, headers: Mapping[str, str], body: bytes, *, now: datetime | None = None
) -> Problem | None:
    """The Problem a response carries; None for a 2xx. `now` pins the clock for HTTP dates."""
    if 200 <= status < 300:
        return None
    head = _lower_headers(headers)
    content_type = head.get("content-type", "").lower()
    raw = bytes(body or b"")
    fields: dict[str, Any]
    if not raw.strip():
        fields = {"title": reason_phrase(status), "detail": "", "kind": "empty"}
    else:
        text = _decode_text(raw[:BODY_CAP])
        stripped = text.lstrip()
        parsed, data = False, None
        if len(raw) <= BODY_CAP and ("json" in content_type or stripped[:1] in ("{", "[")):
            parsed, data = _load_json(text)
        if parsed:
            fields = _from_json(status, content_type, data)
        elif looks_like_html(content_type, stripped):
            fields = _from_markup(status, text)
        else:
            fields = _from_text(status, text)
    return Problem(
        status=status,
        title=fields["title"],
        detail=fields.get("detail", ""),
        type=fields.get("type", ""),
        instance=fields.get("instance", ""),
        errors=fields.get("errors", ()),
        kind=fields["kind"],
        reference=fields.get("reference"),
        code=fields.get("code"),
        retry_after_s=parse_retry_after(head.get("retry-after"), now=now),
        # Every MailerSend answer carries the reset time; it explains only a 429.
        quota_reset=(head.get("x-apiquota-reset", "")[:64] or None) if status == 429 else None,
    )


def problem_from_error(
    error: str, *, sent: bool, timeout: bool = False, reset: bool = False
) -> Problem:
    """A transport failure (no HTTP response). `sent` says whether the request left us:
    after sending, the server may have applied it even though we never saw the answer."""
    cause = _short(error, 500) or "no error text"
    if not sent:
        title = "Connection Reset" if reset else "Connection Failed"
        what = "timed out" if timeout else "failed"
        detail = (
            f"The connection {what} before the request was sent ({cause}). "
            "Nothing reached the server, so repeating the request is safe."
        )
    elif timeout:
        title = "Read Timeout"
        detail = (
            f"The request was sent but no answer came in time ({cause}). The server may still be "
            "processing it and may already have applied it: check its effect before repeating."
        )
    elif reset:
        title = "Connection Reset"
        detail = (
            f"The connection was dropped after the request was sent ({cause}). It may or may not "
            "have been applied: check its effect before repeating."
        )
    else:
        title = "Outcome Unknown"
        detail = (
            f"The request was sent but the exchange broke off ({cause}). Whether the server "
            "applied it is unknown: check its effect before repeating."
        )
    return Problem(status=None, title=title, detail=detail, kind="transport")
