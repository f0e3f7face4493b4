"""Documentation where the cursor is: the operation, the parameter or the body field.

The composer tells the pane what has focus; the pane says what the API documents about
it (from the catalog): summary and description, type, format, allowed values, default,
limits, and whether it is required.
"""

from __future__ import annotations

from typing import Any

from textual.content import Content
from textual.widgets import Static

from mcexplorer.core.catalog.model import Operation, Param, Schema
from mcexplorer.core.catalog.schema import describe

# Parameters every Mailchimp read takes, documented once here when an operation has none.
_OPTIONS = {
    "fields": "Response fields to return, comma-separated, with dot paths (lists.name).",
    "exclude_fields": "Response fields to leave out, comma-separated, with dot paths.",
    "count": "How many records to return (default 10, at most 1000). Empty: the default.",
    "offset": "How many records to skip (default 0). Empty: the default.",
    "query": "Other query parameters, name=value&other=value.",
    "headers": "Extra headers, Name: value; Other: value. Auth comes from the profile.",
    "email": "An address: its subscriber_hash (MD5 of the lower-cased address) fills "
    "{subscriber_hash}.",
    "trigger": "Ask the sandbox (or the API) to answer with this error (X-Trigger-Error).",
    "override": "Send PUT/PATCH/DELETE as POST with X-HTTP-Method-Override.",
}


def _limits(minimum: Any, maximum: Any, default: Any) -> list[str]:
    parts = []
    if minimum is not None:
        parts.append(f"min {minimum}")
    if maximum is not None:
        parts.append(f"max {maximum}")
    if default is not None:
        parts.append(f"default {default}")
    return parts


def operation_doc(op: Operation) -> str:
    head = f"{op.method} {op.path}"
    if op.summary:
        head += f" — {op.summary}"
    if op.deprecated:
        head += " (deprecated)"
    return "\n".join(part for part in (head, op.description) if part)


def param_doc(param: Param) -> str:
    kind = param.type + (f"<{param.items}>" if param.items else "")
    facts = [kind + (f" ({param.format})" if param.format else "")]
    facts.append("required" if param.required else "optional")
    if param.enum:
        facts.append("one of: " + ", ".join(param.enum))
    facts += _limits(param.minimum, param.maximum, param.default)
    head = f"{param.name} [{param.location}] — " + ", ".join(facts)
    return "\n".join(part for part in (head, param.description) if part)


def field_doc(path: str, schema: Schema, required: bool) -> str:
    facts = [describe(schema), "required" if required else "optional"]
    facts += _limits(schema.minimum, schema.maximum, schema.default)
    if schema.max_length is not None:
        facts.append(f"at most {schema.max_length} characters")
    head = f"body {path or '(the whole body)'} — " + ", ".join(facts)
    return "\n".join(part for part in (head, schema.description) if part)


def option_doc(name: str, op: Operation | None) -> str:
    param = op.param(name) if op is not None else None
    if param is not None:
        return param_doc(param)
    return f"{name} — {_OPTIONS[name]}" if name in _OPTIONS else ""


def focus_doc(op: Operation | None, name: str | None) -> str:
    """The focused parameter or option (`name`), else the operation itself."""
    if name is not None:
        param = op.param(name) if op else None
        return param_doc(param) if param else option_doc(name, op)
    return operation_doc(op) if op is not None else ""


def body_doc(op: Operation, body: str, offset: int) -> str:
    """The body field under the cursor at `offset` (the body need not be valid yet)."""
    from mcexplorer.core.catalog.body_paths import path_at, split_path
    from mcexplorer.core.catalog.schema import field_at

    if op.body is None:
        return ""
    path = path_at(body, offset)
    schema = field_at(op.body, path)
    if schema is None:
        return f"body {path}: not a field of {op.method} {op.path}"
    parts = split_path(path)
    parent = field_at(op.body, path.rpartition(".")[0]) if parts else None
    required = bool(parent and parts and parts[-1] in parent.required)
    return field_doc(path, schema, required)


class DocPane(Static):
    """A few lines of documentation under the composer (empty: nothing documented)."""

    DEFAULT_CSS = """
    DocPane {
        height: auto; max-height: 5; padding: 0 1; color: $text-muted;
        background: $boost; overflow: hidden;
    }
    """

    def say(self, text: str) -> None:
        self.update(Content(text))
        self.display = bool(text)
