"""The request model: what to send, checked before anything leaves the machine.

Auth is never part of a request: it comes from Credentials when the engine sends it,
so a saved or exported request can never carry a secret.
"""

from __future__ import annotations

import hashlib
import json
import re
from collections.abc import Iterable
from dataclasses import dataclass, field, replace
from typing import Any
from urllib.parse import quote, urlencode

__all__ = [
    "ApiRequest",
    "PreparedRequest",
    "RequestInvalid",
    "ValidationIssue",
    "apply_params",
    "parse_body_text",
    "split_assignment",
    "subscriber_hash",
    "url_for",
]

METHODS = ("GET", "POST", "PUT", "PATCH", "DELETE", "HEAD", "OPTIONS")
OVERRIDE_HEADER = "X-HTTP-Method-Override"
TRIGGER_HEADER = "X-Trigger-Error"
COUNT_MAX = 1000
_PLACEHOLDER = re.compile(r"\{([^{}/]+)\}")
_HEADER_NAME = re.compile(r"^[!#$%&'*+.^_`|~0-9A-Za-z-]+$")
_AUTH_HEADERS = ("authorization", "proxy-authorization")


@dataclass(frozen=True)
class ValidationIssue:
    field: str
    message: str

    def __str__(self) -> str:
        return f"{self.field}: {self.message}"


class RequestInvalid(ValueError):
    """The request cannot be sent as it stands; nothing was sent."""

    def __init__(self, issues: Iterable[ValidationIssue]) -> None:
        self.issues = list(issues)
        super().__init__("; ".join(str(i) for i in self.issues))


def subscriber_hash(email: str) -> str:
    """Mailchimp addresses a member by the MD5 of the lower-cased address."""
    return hashlib.md5(email.strip().lower().encode("utf-8"), usedforsecurity=False).hexdigest()


def placeholders(path: str) -> list[str]:
    return _PLACEHOLDER.findall(path)


def _int_issue(name: str, text: str, low: int, high: int | None) -> ValidationIssue | None:
    try:
        value = int(text.strip())
    except ValueError:
        return ValidationIssue(name, f"{text!r} is not a whole number")
    if value < low or (high is not None and value > high):
        bound = f"between {low} and {high}" if high is not None else f"at least {low}"
        return ValidationIssue(name, f"must be {bound}, got {value}")
    return None


@dataclass
class ApiRequest:
    method: str = "GET"
    path: str = "/"
    path_params: dict[str, str] = field(default_factory=dict)
    query: dict[str, str] = field(default_factory=dict)
    headers: dict[str, str] = field(default_factory=dict)
    body: Any = None

    def header(self, name: str) -> str | None:
        lowered = name.lower()
        return next((v for k, v in self.headers.items() if k.lower() == lowered), None)

    def validate(self) -> list[ValidationIssue]:
        return self._checked()[0]

    def _checked(self) -> tuple[list[ValidationIssue], bytes | None]:
        """Every issue, and the body encoded (None without a body or when it cannot be)."""
        issues: list[ValidationIssue] = []
        content: bytes | None = None
        method = self.method.upper()
        if method not in METHODS:
            issues.append(ValidationIssue("method", f"{self.method!r} is not an HTTP method"))
        if not self.path.startswith("/") or "://" in self.path:
            issues.append(ValidationIssue("path", "must be relative to the API base, like /lists"))
        if any(ch in self.path for ch in "?#"):
            issues.append(
                ValidationIssue("path", "has a '?' or '#': give query parameters separately")
            )
        issues += [
            ValidationIssue("path", f"no value for {{{name}}}")
            for name in placeholders(self.path)
            if not self.path_params.get(name)
        ]
        if "fields" in self.query and "exclude_fields" in self.query:
            issues.append(
                ValidationIssue("fields", "fields and exclude_fields cannot be used together")
            )
        if "count" in self.query:
            issue = _int_issue("count", self.query["count"], 1, COUNT_MAX)
            issues += [issue] if issue else []
        if "offset" in self.query:
            issue = _int_issue("offset", self.query["offset"], 0, None)
            issues += [issue] if issue else []
        for name, value in self.headers.items():
            if not _HEADER_NAME.match(name):
                issues.append(ValidationIssue("headers", f"{name!r} is not a valid header name"))
            elif any(ch in value for ch in "\r\n\0"):
                issues.append(ValidationIssue("headers", f"{name} has a line break in its value"))
            elif not value.isascii():
                issues.append(
                    ValidationIssue("headers", f"{name} has a non-ASCII character in its value")
                )
            elif name.lower() in _AUTH_HEADERS:
                issues.append(
                    ValidationIssue("headers", f"{name} is set from the profile, not by hand")
                )
        if self.header(OVERRIDE_HEADER) is not None and method != "POST":
            issues.append(ValidationIssue("headers", f"{OVERRIDE_HEADER} is only accepted on POST"))
        if self.body is not None:
            try:
                content = json.dumps(self.body, allow_nan=False).encode("utf-8")
            except (TypeError, ValueError, RecursionError) as exc:
                issues.append(ValidationIssue("body", f"not JSON-serialisable: {exc}"))
        return issues, content

    def check(self) -> None:
        """Raise RequestInvalid listing every issue, if there is any."""
        issues = self.validate()
        if issues:
            raise RequestInvalid(issues)

    def prepare(self) -> PreparedRequest:
        """Check the request once and work out what goes on the wire; raises RequestInvalid
        (nothing sent). What it returns is trusted from then on."""
        issues, content = self._checked()
        if issues:
            raise RequestInvalid(issues)
        method = self.method.upper()
        override = self.header(OVERRIDE_HEADER)
        return PreparedRequest(
            request=self,
            method=method,
            meaning=override.upper() if method == "POST" and override else method,
            path=self.render_path(),
            content=content,
        )

    def render_path(self) -> str:
        missing = [n for n in placeholders(self.path) if not self.path_params.get(n)]
        if missing:
            raise RequestInvalid(ValidationIssue("path", f"no value for {{{n}}}") for n in missing)
        return _PLACEHOLDER.sub(lambda m: quote(self.path_params[m.group(1)], safe=""), self.path)

    def with_method_override(self) -> ApiRequest:
        """Send as POST and name the intended method in the override header."""
        headers = {**self.headers, OVERRIDE_HEADER: self.method.upper()}
        return replace(self, method="POST", headers=headers)

    def with_trigger_error(self, name: str) -> ApiRequest:
        """Ask the API to answer with a named error (X-Trigger-Error)."""
        return replace(self, headers={**self.headers, TRIGGER_HEADER: name})

    def to_dict(self) -> dict[str, Any]:
        return {
            "method": self.method,
            "path": self.path,
            "path_params": dict(self.path_params),
            "query": dict(self.query),
            "headers": dict(self.headers),
            "body": self.body,
        }

    @classmethod
    def from_dict(cls, data: dict[str, Any]) -> ApiRequest:
        def strings(key: str) -> dict[str, str]:
            raw = data.get(key) or {}
            if not isinstance(raw, dict):
                raise ValueError(f"request {key} must be an object, got {type(raw).__name__}")
            return {str(k): str(v) for k, v in raw.items()}

        return cls(
            method=str(data.get("method", "GET")),
            path=str(data.get("path", "/")),
            path_params=strings("path_params"),
            query=strings("query"),
            headers=strings("headers"),
            body=data.get("body"),
        )


@dataclass(frozen=True)
class PreparedRequest:
    """A request that passed its checks, with its wire form worked out once."""

    request: ApiRequest
    method: str  # as sent
    meaning: str  # what the server will apply: the override's method on a POST that has one
    path: str  # the template with its parameters filled in and quoted
    content: bytes | None  # the JSON body, encoded


def url_for(base_url: str, path: str, query: dict[str, str]) -> str:
    """The full URL of a rendered path under an API base."""
    url = base_url.rstrip("/") + "/" + path.lstrip("/")
    return f"{url}?{urlencode(query, safe=',')}" if query else url


def split_assignment(text: str) -> tuple[str, str]:
    """`name=value` -> (name, value); the value may itself hold '='."""
    name, sep, value = text.partition("=")
    if not sep or not name.strip():
        raise RequestInvalid([ValidationIssue("query", f"{text!r} is not in the form name=value")])
    return name.strip(), value


def apply_params(req: ApiRequest, pairs: Iterable[tuple[str, str]]) -> ApiRequest:
    """Names in the path template fill it; every other name becomes a query parameter."""
    names = set(placeholders(req.path))
    path_params, query = dict(req.path_params), dict(req.query)
    for name, value in pairs:
        (path_params if name in names else query)[name] = value
    return replace(req, path_params=path_params, query=query)


def parse_body_text(text: str) -> Any:
    """A body typed or read as text; a clear position when it is not JSON."""
    try:
        return json.loads(text)
    except json.JSONDecodeError as exc:
        where = f"line {exc.lineno}, column {exc.colno}"
        raise RequestInvalid(
            [ValidationIssue("body", f"invalid JSON at {where}: {exc.msg}")]
        ) from None
