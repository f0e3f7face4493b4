"""Problem documents: the exception handlers raise, and the table of named errors.

The table (`data/sandbox_errors.json`) maps each `X-Trigger-Error` name to its
status, title and detail, so triggered and naturally raised errors look alike. An
entry may give its own `type`: `null` where the real body has none (the member-state
errors since 2021) and `about:blank` for the 500, whose body also names an `exception`.
"""

from __future__ import annotations

import hashlib
import json
from functools import cache
from pathlib import Path
from typing import Any

DATA_DIR = Path(__file__).resolve().parent.parent / "data"
PROBLEM_TYPE = "https://mailchimp.com/developer/marketing/docs/errors/"
PROBLEM_CONTENT_TYPE = "application/problem+json; charset=utf-8"


class ApiError(Exception):
    def __init__(
        self,
        status: int,
        title: str,
        detail: str,
        *,
        errors: list[dict[str, str]] | None = None,
        headers: dict[str, str] | None = None,
        type: str | None = PROBLEM_TYPE,
        exception: bool = False,
    ) -> None:
        super().__init__(f"{status} {title}: {detail}")
        self.status = status
        self.title = title
        self.detail = detail
        self.errors = errors
        self.headers = headers or {}
        self.type = type  # None: the body has no `type` member
        self.exception = exception  # the body names an exception id


@cache
def error_table() -> dict[str, dict[str, Any]]:
    """Every documented error name → {status, title, detail}."""
    table: dict[str, dict[str, Any]] = json.loads(
        (DATA_DIR / "sandbox_errors.json").read_text("utf-8")
    )
    return table


def named(
    name: str,
    detail: str | None = None,
    *,
    errors: list[dict[str, str]] | None = None,
    headers: dict[str, str] | None = None,
) -> ApiError:
    """The ApiError for a documented name, optionally with a more specific detail."""
    entry = error_table()[name]
    return ApiError(
        entry["status"],
        entry["title"],
        detail or entry["detail"],
        errors=errors,
        headers=headers,
        type=entry.get("type", PROBLEM_TYPE),
        exception=entry.get("exception", False),
    )


def not_found(detail: str | None = None) -> ApiError:
    return named("ResourceNotFound", detail)


def invalid(errors: list[dict[str, str]] | None = None, detail: str | None = None) -> ApiError:
    """400 Invalid Resource, with per-field errors when there are some."""
    return named("InvalidResource", detail, errors=errors)


def bad_request(detail: str, name: str = "BadRequest") -> ApiError:
    return named(name, detail)


def problem_document(err: ApiError, request_id: str) -> dict[str, Any]:
    doc: dict[str, Any] = {} if err.type is None else {"type": err.type}
    doc.update(title=err.title, status=err.status, detail=err.detail)
    if err.exception:
        doc["exception"] = hashlib.md5(request_id.encode()).hexdigest()
    doc["instance"] = request_id
    if err.errors:
        doc["errors"] = err.errors
    return doc


def trigger_names() -> list[str]:
    """The names `X-Trigger-Error` accepts (the table also holds fault-only entries)."""
    return [name for name, entry in error_table().items() if entry.get("trigger", True)]


def triggered(name: str) -> ApiError:
    """The error an `X-Trigger-Error: <name>` header asks for."""
    name = name.strip()
    if name not in trigger_names():
        return named(
            "BadRequest",
            f"Unknown X-Trigger-Error name {name!r}; valid names: {', '.join(trigger_names())}.",
        )
    headers = {"Allow": "GET"} if name == "MethodNotAllowed" else None
    return named(name, headers=headers)
