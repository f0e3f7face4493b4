"""Checking a saved request's assertions against the response it got.

A path with `[*]` or `.*` selects many values: `equals` and `matches` then hold when every
selected value passes (and at least one is selected). Values compare as JSON does: `1` equals
`1.0`, but `true` never equals `1`.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from typing import Any

from mcexplorer.core.collections.assertions import Assertion, Check, Subject
from mcexplorer.core.collections.json_path import has_wildcard, parse_path, select
from mcexplorer.core.http.outcome import Outcome


@dataclass(frozen=True)
class AssertionResult:
    check: str  # the assertion as written: `json members[0].status equals "subscribed"`
    subject: str  # status, json or header
    target: str  # the JSON path or header name ("" for status)
    passed: bool
    expected: Any
    actual: Any  # what the response had: a value, a list (for a wildcard path), or None
    message: str  # the failure in words, naming the path and both values ("" when passed)


def _same(a: Any, b: Any) -> bool:
    """JSON equality: numbers by value, but a bool is never a number."""
    if isinstance(a, bool) or isinstance(b, bool):
        return type(a) is type(b) and a == b
    if isinstance(a, int | float) and isinstance(b, int | float):
        return a == b
    if isinstance(a, list) and isinstance(b, list):
        return len(a) == len(b) and all(_same(x, y) for x, y in zip(a, b, strict=True))
    if isinstance(a, dict) and isinstance(b, dict):
        return a.keys() == b.keys() and all(_same(a[k], b[k]) for k in a)
    return type(a) is type(b) and bool(a == b)


def _show(value: Any) -> str:
    text = json.dumps(value, ensure_ascii=False)
    return text if len(text) <= 200 else text[:199] + "…"


def _searched(pattern: str, value: Any) -> bool:
    text = value if isinstance(value, str) else json.dumps(value, ensure_ascii=False)
    return re.search(pattern, text) is not None


def _judge(assertion: Assertion, found: list[Any]) -> bool:
    if assertion.check is Check.EXISTS:
        return bool(found) is assertion.expected
    if not found:
        return False
    if assertion.check is Check.MATCHES:
        return all(_searched(assertion.expected, value) for value in found)
    return all(_same(value, assertion.expected) for value in found)


def _status(assertion: Assertion, status: int | None) -> tuple[bool, Any]:
    if status is None:
        return False, None
    if assertion.check is Check.IN_CLASS:
        return str(status)[0] == assertion.expected[0], status
    return status == assertion.expected, status


def _header(headers: dict[str, str], name: str) -> list[str]:
    lowered = name.lower()
    return [value for key, value in headers.items() if key.lower() == lowered]


def _failure(assertion: Assertion, actual: Any, found: list[Any] | None, many: bool) -> str:
    where = f"{assertion.subject} {assertion.target}".strip()
    if assertion.check is Check.EXISTS:
        wanted = "a value" if assertion.expected else "no value"
    elif assertion.check is Check.IN_CLASS:
        wanted = assertion.expected
    elif assertion.check is Check.MATCHES:
        verb = "to match" if many else "a match for"
        wanted = f"{verb} /{assertion.expected}/"
    else:
        wanted = ("to equal " if many else "") + _show(assertion.expected)
    if many and assertion.check is not Check.EXISTS:
        wanted = "every value " + wanted
    if found is not None and not found:
        got = "nothing (no value there)"
    elif actual is None and assertion.subject is Subject.STATUS:
        got = "no response"
    else:
        got = _show(actual)
    return f"{where}: expected {wanted}, got {got}"


def check_assertion(assertion: Assertion, outcome: Outcome) -> AssertionResult:
    found: list[Any] | None = None
    many = False
    if assertion.subject is Subject.STATUS:
        passed, actual = _status(assertion, outcome.status)
    else:
        if assertion.subject is Subject.HEADER:
            found = _header(outcome.headers, assertion.target)
        else:
            steps = parse_path(assertion.target)
            document = outcome.json()
            found = select(document, steps) if document is not None else []
            many = has_wildcard(steps)
        passed = _judge(assertion, found)
        actual = found if many else (found[0] if found else None)
    return AssertionResult(
        check=assertion.describe(),
        subject=str(assertion.subject),
        target=assertion.target,
        passed=passed,
        expected=assertion.expected,
        actual=actual,
        message="" if passed else _failure(assertion, actual, found, many),
    )


def check_assertions(
    assertions: tuple[Assertion, ...], outcome: Outcome
) -> tuple[AssertionResult, ...]:
    return tuple(check_assertion(a, outcome) for a in assertions)


def judges_status(assertions: tuple[Assertion, ...]) -> bool:
    """A request that asserts its status is judged by it, not by the 2xx rule (so a saved
    request can expect a 404)."""
    return any(a.subject is Subject.STATUS for a in assertions)
