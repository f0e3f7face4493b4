"""Checks a JSON request body against its operation's body schema, before it is sent.

Each finding is an `Issue` with a severity, the field's path (`merge_fields.FNAME`,
`tags[2]`, `location.latitude`; "" for the body itself) and a plain message that names
the expected type or the allowed values. Errors are what the API would refuse (a wrong
type, a value outside an enum or a limit, a missing required field); warnings are what
it may take differently than meant (an unknown field, a null, a malformed date or email
address). The server stays the final judge: the composer sends anyway when asked.
"""

from __future__ import annotations

import difflib
import json
import math
import re
from dataclasses import dataclass
from datetime import datetime
from typing import Any, Literal

from mcexplorer.core.catalog.body_paths import PathPart, join_path, split_path
from mcexplorer.core.catalog.model import Operation, Schema

Severity = Literal["error", "warning"]

# How many names or values a message lists before it says "…".
MAX_LISTED = 12
# How alike an unknown name must be to a field to be offered as a fix ("stauts" -> status,
# but not "tags" -> status).
SUGGEST_CUTOFF = 0.75
# Loose on purpose: it catches "ann@", "ann example.com" and "ann@example" only.
_EMAIL = re.compile(r"^[^@\s]+@[^@\s]+\.[^@\s]+$")
# Fields the API treats as email addresses though the spec gives them no format.
_EMAIL_FIELDS = frozenset({"email_address"})
_KIND_NAMES = {
    "object": "an object",
    "array": "an array",
    "string": "a string",
    "integer": "an integer",
    "number": "a number",
    "boolean": "true or false",
}


@dataclass(frozen=True)
class Issue:
    severity: Severity
    path: str  # "" is the body itself
    message: str

    @property
    def is_error(self) -> bool:
        return self.severity == "error"

    def __str__(self) -> str:
        return f"{self.path or 'body'}: {self.message}"


def check_body(op: Operation, body: Any) -> list[Issue]:
    """The issues of a parsed JSON body for `op`, in document order."""
    if op.body is None:
        if body in (None, {}, ""):
            return []
        return [Issue("warning", "", f"{op.method} {op.path} takes no body; it is ignored.")]
    if body is None:
        if op.body.required:
            return [Issue("error", "", f"a body is required, with {_listed(op.body.required)}.")]
        return []
    return check(op.body, body)


def check(schema: Schema, value: Any, path: str = "") -> list[Issue]:
    """The issues of `value` against `schema`, `path` naming where the value sits."""
    issues: list[Issue] = []
    _check(schema, value, path, issues)
    return issues


def has_errors(issues: list[Issue]) -> bool:
    return any(issue.is_error for issue in issues)


def field_at(schema: Schema, path: str) -> Schema | None:
    """The schema of the field at a dotted path (`tags[2]`, `merge_fields.FNAME`)."""
    node: Schema | None = schema
    for part in split_path(path):
        if node is None:
            return None
        node = _child(node, part)
    return node


def describe(schema: Schema) -> str:
    """The expected value in a few words: `one of: a, b`, `a string (date-time)`."""
    if schema.enum:
        return "one of: " + _listed(schema.enum)
    if schema.type == "any":
        return "any value"
    text = _KIND_NAMES.get(schema.type, schema.type)
    if schema.type == "array" and schema.items is not None and schema.items.type != "any":
        text = f"an array of {_plural(schema.items)}"
    if schema.format:
        text += f" ({schema.format})"
    return text


def _child(schema: Schema, part: PathPart) -> Schema | None:
    if isinstance(part, int):
        return schema.items
    return schema.properties.get(part) or schema.additional


def _check(schema: Schema, value: Any, path: str, out: list[Issue]) -> None:
    if value is None:
        if schema.type != "any":
            out.append(Issue("warning", path, f"is null; expected {describe(schema)}."))
        return
    if not _is_kind(schema.type, value):
        out.append(Issue("error", path, f"expected {describe(schema)}, got {_kind_of(value)}."))
        return
    if schema.enum and value not in schema.enum:
        got = _shown(value)
        out.append(Issue("error", path, f"{got} is not allowed; use {describe(schema)}."))
    elif isinstance(value, dict):
        _check_object(schema, value, path, out)
    elif isinstance(value, list):
        if schema.items is not None:
            for index, item in enumerate(value):
                _check(schema.items, item, join_path(path, index), out)
    elif isinstance(value, str):
        _check_string(schema, value, path, out)
    elif not isinstance(value, bool) and isinstance(value, int | float):
        _check_number(schema, value, path, out)


def _check_object(schema: Schema, value: dict[str, Any], path: str, out: list[Issue]) -> None:
    for name in schema.required:
        if name not in value:
            needed = schema.properties.get(name, Schema())
            inner = f" with {_listed(needed.required)}" if needed.required else ""
            out.append(
                Issue("error", join_path(path, name), f"is required: {describe(needed)}{inner}.")
            )
    for name, item in value.items():
        where = join_path(path, str(name))
        sub = schema.properties.get(name) or schema.additional
        if sub is not None:
            _check(sub, item, where, out)
        elif schema.properties:
            out.append(Issue("warning", where, _unknown(str(name), schema)))


def _unknown(name: str, schema: Schema) -> str:
    known = sorted(schema.properties)
    close = difflib.get_close_matches(name, known, n=1, cutoff=SUGGEST_CUTOFF)
    if close:
        return f"is not a field here; did you mean {close[0]}?"
    return f"is not a field here; the fields are {_listed(known)}."


def _check_string(schema: Schema, value: str, path: str, out: list[Issue]) -> None:
    if schema.max_length is not None and len(value) > schema.max_length:
        out.append(
            Issue(
                "error",
                path,
                f"is {len(value)} characters long; at most {schema.max_length} are allowed.",
            )
        )
    leaf = path.rsplit(".", 1)[-1]
    if (schema.format == "email" or leaf in _EMAIL_FIELDS) and not _EMAIL.match(value):
        out.append(Issue("warning", path, f"{_shown(value)} does not look like an email address."))
    if schema.format == "date-time" and value and not _is_datetime(value):
        out.append(
            Issue(
                "warning",
                path,
                f"{_shown(value)} is not an ISO 8601 date and time "
                "(like 2024-01-15T09:30:00+00:00).",
            )
        )


def _check_number(schema: Schema, value: float, path: str, out: list[Issue]) -> None:
    if schema.minimum is not None and value < schema.minimum:
        out.append(Issue("error", path, f"is {value}; the minimum is {_number(schema.minimum)}."))
    if schema.maximum is not None and value > schema.maximum:
        out.append(Issue("error", path, f"is {value}; the maximum is {_number(schema.maximum)}."))


def _is_kind(kind: str, value: Any) -> bool:
    if kind == "object":
        return isinstance(value, dict)
    if kind == "array":
        return isinstance(value, list)
    if kind == "string":
        return isinstance(value, str)
    if kind == "boolean":
        return isinstance(value, bool)
    if isinstance(value, bool):
        return kind == "any"
    if kind == "integer":
        return isinstance(value, int) or (
            isinstance(value, float) and math.isfinite(value) and value.is_integer()
        )
    if kind == "number":
        return isinstance(value, int | float)
    return True  # "any", or a type this checker does not know


def _is_datetime(text: str) -> bool:
    try:
        datetime.fromisoformat(text)
    except ValueError:
        return False
    return True


def _kind_of(value: Any) -> str:
    if isinstance(value, bool):
        return f"{str(value).lower()} (a boolean)"
    if isinstance(value, dict):
        return "an object"
    if isinstance(value, list):
        return "an array"
    if isinstance(value, str):
        return f"the string {_shown(value)}"
    if isinstance(value, int):
        return f"the integer {value}"
    return f"the number {value}"


def _plural(schema: Schema) -> str:
    if schema.enum:
        return "values from: " + _listed(schema.enum)
    return {"object": "objects", "boolean": "booleans"}.get(schema.type, schema.type + "s")


def _listed(values: Any) -> str:
    values = list(values)
    shown = [v if isinstance(v, str) else _shown(v) for v in values[:MAX_LISTED]]
    more = len(values) - MAX_LISTED
    return ", ".join(shown) + (f", … ({more} more)" if more > 0 else "")


def _shown(value: Any) -> str:
    """A value as JSON writes it, cut short."""
    text = json.dumps(value, ensure_ascii=False, default=str)
    return text if len(text) <= 60 else text[:57] + "…"


def _number(value: float) -> str:
    return str(int(value)) if float(value).is_integer() else str(value)
