"""Assertions a saved request carries: what its response must look like.

In a request file, `"assertions"` is a list of objects, one check each:

    {"status": 200}                                   the status equals 200
    {"status": "2xx"}                                 the status is in a class (1xx … 5xx)
    {"json": "members[0].email_address", "equals": "a@example.com"}
    {"json": "members[*].status", "equals": "subscribed"}    every selected value equals
    {"json": "total_items", "exists": true}           the path selects something (false: nothing)
    {"json": "id", "matches": "^[0-9a-f]{10}$"}       a regular expression, searched
    {"header": "Content-Type", "matches": "json"}     headers: equals, exists or matches

JSON paths use the syntax of `json_path`. String values may hold `{{name}}` variables; they
are filled like the request's own before the check.
"""

from __future__ import annotations

import json
import re
from dataclasses import dataclass
from enum import StrEnum
from typing import Any

from mcexplorer.core.collections.json_path import parse_path

_STATUS_CLASS = re.compile(r"[1-5]xx")


class Subject(StrEnum):
    STATUS = "status"
    JSON = "json"
    HEADER = "header"


class Check(StrEnum):
    EQUALS = "equals"
    IN_CLASS = "class"  # status only: "2xx"
    EXISTS = "exists"
    MATCHES = "matches"


_OPERATORS = (Check.EQUALS, Check.EXISTS, Check.MATCHES)


class AssertionSpecError(ValueError):
    """An assertion written wrongly; the message says which key and why."""


@dataclass(frozen=True)
class Assertion:
    subject: Subject
    check: Check
    expected: Any  # int or "2xx" for status; a JSON value, a bool (exists) or a regex
    target: str = ""  # the JSON path or the header name; empty for status

    def describe(self) -> str:
        """One line a person reads: `json members[0].status equals "subscribed"`."""
        where = f"{self.subject} {self.target}".strip()
        if self.check is Check.EXISTS:
            return f"{where} {'exists' if self.expected else 'is absent'}"
        verb = "in" if self.check is Check.IN_CLASS else str(self.check)
        return f"{where} {verb} {_show(self.expected)}"


def _show(value: Any) -> str:
    return json.dumps(value, ensure_ascii=False)


def _status(value: Any) -> Assertion:
    if isinstance(value, int) and not isinstance(value, bool) and 100 <= value <= 599:
        return Assertion(Subject.STATUS, Check.EQUALS, value)
    if isinstance(value, str) and _STATUS_CLASS.fullmatch(value):
        return Assertion(Subject.STATUS, Check.IN_CLASS, value)
    raise AssertionSpecError(
        f'status must be a code from 100 to 599 or a class like "2xx", not {_show(value)}'
    )


def _compiles(pattern: Any) -> str:
    if not isinstance(pattern, str):
        raise AssertionSpecError("matches takes a regular expression (a string)")
    try:
        re.compile(pattern)
    except re.error as exc:
        raise AssertionSpecError(
            f"matches {_show(pattern)} is not a regular expression: {exc}"
        ) from None
    return pattern


def _operator(data: dict[str, Any], subject: Subject) -> tuple[Check, Any]:
    given = [op for op in _OPERATORS if op in data]
    if len(given) != 1:
        raise AssertionSpecError(
            f"a {subject} assertion takes exactly one of equals, exists, matches"
        )
    check = given[0]
    value = data[check]
    if check is Check.EXISTS and not isinstance(value, bool):
        raise AssertionSpecError("exists takes true or false")
    if check is Check.MATCHES:
        value = _compiles(value)
    if subject is Subject.HEADER and check is Check.EQUALS and not isinstance(value, str):
        raise AssertionSpecError("a header equals a string")
    return check, value


def assertion_from_dict(data: Any) -> Assertion:
    """One assertion from its file form; AssertionSpecError says what is wrong."""
    if not isinstance(data, dict):
        raise AssertionSpecError('each assertion is an object, like {"status": 200}')
    subjects = [s for s in Subject if s in data]
    if len(subjects) != 1:
        raise AssertionSpecError("each assertion names exactly one of status, json, header")
    subject = subjects[0]
    allowed = {str(subject)} if subject is Subject.STATUS else {str(subject), *_OPERATORS}
    unknown = sorted(set(data) - allowed)
    if unknown:
        raise AssertionSpecError(
            f"unknown key {unknown[0]!r} in a {subject} assertion "
            f"(expected {', '.join(sorted(allowed))})"
        )
    if subject is Subject.STATUS:
        return _status(data["status"])
    target = data[subject]
    if not isinstance(target, str) or not target.strip():
        raise AssertionSpecError(f"{subject} takes a non-empty string")
    if subject is Subject.JSON:
        parse_path(target)  # a JsonPathError (a ValueError) names the bad character
    check, expected = _operator(data, subject)
    return Assertion(subject, check, expected, target)


def assertion_to_dict(assertion: Assertion) -> dict[str, Any]:
    if assertion.subject is Subject.STATUS:
        return {"status": assertion.expected}
    return {str(assertion.subject): assertion.target, str(assertion.check): assertion.expected}


def assertions_from_list(data: Any) -> tuple[Assertion, ...]:
    """The `assertions` value of a request file; the error names the assertion's position."""
    if not isinstance(data, list):
        raise AssertionSpecError("assertions must be a list of objects")
    found: list[Assertion] = []
    for number, item in enumerate(data, start=1):
        try:
            found.append(assertion_from_dict(item))
        except ValueError as exc:
            raise AssertionSpecError(f"assertion {number}: {exc}") from None
    return tuple(found)
